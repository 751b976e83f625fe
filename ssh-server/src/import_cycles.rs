//! No file of `ssh-server/src` or `src/services` imports from a file that imports it back,
//! directly or through others: each folder reads as layers, lowest first.
//!
//! A reference is a path starting with `crate::`, `super::` or (in a `mod.rs`/`lib.rs`) a
//! child module's name, outside comments and `#[cfg(test)]` code; it points at the file
//! of the longest module prefix it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (within its crate) → file, for every non-test `.rs` file under `dir`.
fn modules(dir: &Path, prefix: &[&str]) -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".rs") || name.ends_with("tests.rs") || name == "main.rs" {
                continue;
            }
            let rel = path.strip_prefix(dir).unwrap().with_extension("");
            let mut module: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
            module.extend(rel.iter().map(|s| s.to_string_lossy().to_string()));
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            out.insert(module, path);
        }
    }
    out
}

#[derive(Debug, PartialEq)]
enum Tok {
    Ident(String),
    Path,
    Open,
    Close,
    Comma,
    Other,
}

/// The code without its `#[cfg(test)]` parts: a test module's declaration, or the rest of
/// the file from an inline test module on.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let line = after.trim_start().lines().next().unwrap_or("");
        if !(line.starts_with("mod ") && line.trim_end().ends_with(';')) {
            return out;
        }
        rest = after.trim_start().split_once('\n').map_or("", |(_, r)| r);
    }
    out.push_str(rest);
    out
}

/// The code's tokens, comments, strings and test code left out.
fn tokens(text: &str) -> Vec<Tok> {
    let text = without_tests(text);
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
            continue;
        }
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            out.push(Tok::Other);
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Tok::Path);
            i += 1;
        } else if c == '{' {
            out.push(Tok::Open);
        } else if c == '}' {
            out.push(Tok::Close);
        } else if c == ',' {
            out.push(Tok::Comma);
        } else if !c.is_whitespace() {
            out.push(Tok::Other);
        }
        i += 1;
    }
    out
}

/// Every path of the code, with `a::{b, c::d}` groups spread out.
fn paths(toks: &[Tok]) -> Vec<Vec<String>> {
    fn path_at(toks: &[Tok], mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        let mut path = prefix;
        while let Some(Tok::Ident(s)) = toks.get(i) {
            path.push(s.clone());
            if toks.get(i + 1) != Some(&Tok::Path) {
                break;
            }
            i += 2;
            if toks.get(i) == Some(&Tok::Open) {
                let mut depth = 0;
                let mut item = i + 1;
                for (j, t) in toks.iter().enumerate().skip(i) {
                    match t {
                        Tok::Open => depth += 1,
                        Tok::Close => depth -= 1,
                        Tok::Comma if depth == 1 => {
                            path_at(toks, item, path.clone(), out);
                            item = j + 1;
                        }
                        _ => {}
                    }
                    if depth == 0 {
                        path_at(toks, item, path.clone(), out);
                        break;
                    }
                }
                return;
            }
        }
        out.push(path);
    }
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if matches!(t, Tok::Ident(_)) && (i == 0 || toks[i - 1] != Tok::Path) {
            path_at(toks, i, Vec::new(), &mut out);
        }
    }
    out
}

/// Which file imports which, by module path.
fn graph(dir: &Path, prefix: &[&str]) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mods = modules(dir, prefix);
    let mut g = BTreeMap::new();
    for (module, file) in &mods {
        let is_dir_module = file.ends_with("mod.rs") || file.ends_with("lib.rs");
        let text = std::fs::read_to_string(file).unwrap();
        let mut deps = BTreeSet::new();
        for path in paths(&tokens(&text)).into_iter().filter(|p| p.len() > 1) {
            let mut abs: Vec<String> = match path[0].as_str() {
                "crate" => Vec::new(),
                "super" => module[..module.len().saturating_sub(1)].to_vec(),
                _ if is_dir_module => module.clone(),
                _ => continue,
            };
            let rest = path.iter().skip_while(|s| *s == "crate" || *s == "super");
            abs.extend(rest.cloned());
            let target = (1..=abs.len())
                .rev()
                .map(|n| abs[..n].to_vec())
                .find(|m| mods.contains_key(m));
            if let Some(t) = target.filter(|t| t != module) {
                deps.insert(t);
            }
        }
        g.insert(module.clone(), deps);
    }
    g
}

/// A cycle of the graph, if there is one.
fn cycle(g: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<String>> {
    fn visit(
        g: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        node: &Vec<String>,
        stack: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
    ) -> Option<Vec<String>> {
        if let Some(pos) = stack.iter().position(|n| n == node) {
            let mut c: Vec<String> = stack[pos..].iter().map(|m| m.join("::")).collect();
            c.push(node.join("::"));
            return Some(c);
        }
        if !done.insert(node.clone()) {
            return None;
        }
        stack.push(node.clone());
        for next in g.get(node).into_iter().flatten() {
            if let Some(c) = visit(g, next, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    g.keys()
        .find_map(|n| visit(g, n, &mut Vec::new(), &mut done))
}

fn check(dir: &Path, prefix: &[&str]) {
    let g = graph(dir, prefix);
    assert!(
        g.len() > 5,
        "{} files read under {}",
        g.len(),
        dir.display()
    );
    if let Some(c) = cycle(&g) {
        let imports: Vec<String> = g
            .iter()
            .map(|(m, deps)| {
                let deps: Vec<String> = deps.iter().map(|d| d.join("::")).collect();
                format!("  {} → {}", m.join("::"), deps.join(", "))
            })
            .collect();
        panic!(
            "import cycle under {}: {}\n(move the shared piece down into a module both \
             import)\nwho imports whom:\n{}",
            dir.display(),
            c.join(" → "),
            imports.join("\n")
        );
    }
}

#[test]
fn ssh_server_files_import_in_one_direction() {
    check(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &[]);
}

#[test]
fn service_files_import_in_one_direction() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src/services");
    check(&dir, &["services"]);
}

#[test]
fn the_check_sees_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lib.rs"), "mod a;\nmod b;\nuse a::X;\n").unwrap();
    std::fs::write(dir.path().join("a.rs"), "use super::b::Y; // crate::lib\n").unwrap();
    std::fs::write(dir.path().join("b.rs"), "use crate::a::{X, Z};\n").unwrap();
    std::fs::write(dir.path().join("c.rs"), "use crate::b::Y;\n").unwrap();
    std::fs::write(dir.path().join("d.rs"), "").unwrap();
    std::fs::write(dir.path().join("e.rs"), "").unwrap();
    let c = cycle(&graph(dir.path(), &[])).expect("a cycle");
    assert!(
        c.contains(&"a".to_string()) && c.contains(&"b".to_string()),
        "{c:?}"
    );
}
