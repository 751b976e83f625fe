//! Reusable building blocks of the administration screens: a searchable list, a form and
//! a confirmation dialog. Plain state + render, like the screens.

pub(crate) mod dialog;
pub(crate) mod form;
pub(crate) mod link;
pub(crate) mod list;
pub(crate) mod preview;

/// Lower-case, accents removed: "Étienne" and "etienne" match.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' | 'ý' => out.push('y'),
            'ñ' => out.push('n'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(super::fold("Étienne CŒUR à Noël"), "etienne coeur a noel");
    }
}
