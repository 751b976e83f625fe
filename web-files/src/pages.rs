//! Plain, mobile-friendly HTML pages in French: no JavaScript, no framework.

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A complete page around `body` (already escaped HTML).
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} — Portail</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}}\
         h1{{font-size:1.4rem}} .ok{{color:#0a6b2d}} .err{{color:#a40000}}\
         input[type=file]{{display:block;margin:1rem 0;font-size:1rem}}\
         button{{font-size:1.1rem;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #235;background:#2a5db0;color:#fff}}\
         </style></head><body><h1>{t}</h1>{body}<p><small>Portail</small></p></body></html>\n",
        t = esc(title)
    )
}

pub fn message(title: &str, class: &str, text: &str) -> String {
    page(title, &format!("<p class=\"{class}\">{}</p>", esc(text)))
}

pub fn upload_form(title: &str, intro: &str, accept: &str) -> String {
    page(
        title,
        &format!(
            "<p>{}</p><form method=\"post\" enctype=\"multipart/form-data\">\
             <label for=\"file\">Fichier</label>\
             <input id=\"file\" type=\"file\" name=\"file\" accept=\"{}\" required>\
             <button type=\"submit\">Envoyer</button></form>",
            esc(intro),
            esc(accept)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            esc("<script>\"x\"&'"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;"
        );
        assert!(page("a<b", "").contains("<title>a&lt;b — Portail</title>"));
    }
}
