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
         .logos img{{max-height:4rem;max-width:100%;margin-right:1rem}}\
         button{{font-size:1.1rem;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #235;background:#2a5db0;color:#fff}}\
         </style></head><body><h1>{t}</h1>{body}<p><small>Portail</small></p></body></html>\n",
        t = esc(title)
    )
}

pub fn message(title: &str, class: &str, text: &str) -> String {
    page(title, &format!("<p class=\"{class}\">{}</p>", esc(text)))
}

/// The organisations' logos (name, path on this server) above a page's text.
fn logos(list: &[(String, String)]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let imgs: String = list
        .iter()
        .map(|(name, path)| format!("<img src=\"{}\" alt=\"Logo {}\">", esc(path), esc(name)))
        .collect();
    format!("<p class=\"logos\">{imgs}</p>")
}

pub fn upload_form(
    title: &str,
    intro: &str,
    accept: &str,
    logo_list: &[(String, String)],
) -> String {
    page(
        title,
        &format!(
            "{}<p>{}</p><form method=\"post\" enctype=\"multipart/form-data\">\
             <label for=\"file\">Fichier</label>\
             <input id=\"file\" type=\"file\" name=\"file\" accept=\"{}\" required>\
             <button type=\"submit\">Envoyer</button></form>",
            logos(logo_list),
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
        let f = upload_form("t", "i", "image/*", &[("A\"<b".into(), "/i/x".into())]);
        assert!(
            f.contains("<img src=\"/i/x\" alt=\"Logo A&quot;&lt;b\">"),
            "{f}"
        );
    }
}
