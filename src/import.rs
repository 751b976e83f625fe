//! Reading import files as people really have them: CSV in UTF-8 (with or without BOM)
//! or Windows-1252 (French Excel), `,` `;` or tab, CRLF, quoted fields with newlines,
//! column names in French or English; or JSON. Pure functions, no database.

use std::collections::HashMap;

use crate::i18n::Key;

/// Largest import accepted, in bytes.
pub const MAX_INPUT: usize = 20 * 1024 * 1024;
pub const MAX_COLUMNS: usize = 64;
pub const MAX_FIELD_CHARS: usize = 10_000;
pub const MAX_ROWS: usize = 200_000;
/// Errors listed before "and N more".
pub const MAX_LISTED_ERRORS: usize = 50;
/// Errors collected at most (the rest of the file is not examined further).
pub const MAX_ISSUES: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// The columns Portail understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    Email,
    FirstName,
    LastName,
    Phone,
    Organisation,
    Class,
    Notes,
    Name,
    Siret,
    Address,
    Contact,
    Website,
    Start,
    End,
}

impl Col {
    /// The canonical (JSON / English) name.
    pub fn canonical(self) -> &'static str {
        match self {
            Col::Email => "email",
            Col::FirstName => "first_name",
            Col::LastName => "last_name",
            Col::Phone => "phone",
            Col::Organisation => "organisation",
            Col::Class => "class",
            Col::Notes => "notes",
            Col::Name => "name",
            Col::Siret => "siret",
            Col::Address => "address",
            Col::Contact => "contact",
            Col::Website => "website",
            Col::Start => "start",
            Col::End => "end",
        }
    }
}

/// What is being imported: decides which columns mean what ("nom" is a student's last
/// name but an organisation's or a class's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Students,
    Orgs,
    Classes,
}

/// Lower-case, accents folded, separators removed: "Prénom" → "prenom", "E-mail" → "email".
pub fn fold(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            Some(match c {
                'à' | 'â' | 'ä' | 'á' => 'a',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'î' | 'ï' | 'í' => 'i',
                'ô' | 'ö' | 'ó' => 'o',
                'ù' | 'û' | 'ü' | 'ú' => 'u',
                'ç' => 'c',
                ' ' | '_' | '-' | '.' | '\'' => return None,
                c => c,
            })
        })
        .collect()
}

/// Maps a header to a column for this kind of import.
pub fn column(kind: Kind, header: &str) -> Option<Col> {
    let h = fold(header);
    let common = match h.as_str() {
        "email" | "courriel" | "mail" | "adressemail" | "adresseemail" | "adressecourriel" => {
            Some(Col::Email)
        }
        "telephone" | "phone" | "tel" | "portable" | "mobile" => Some(Col::Phone),
        "notes" | "note" | "remarques" => Some(Col::Notes),
        "organisme" | "organisation" | "organization" | "ecole" => Some(Col::Organisation),
        "debut" | "start" | "startdate" | "datededebut" | "datedebut" => Some(Col::Start),
        "fin" | "end" | "enddate" | "datedefin" | "datefin" => Some(Col::End),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    match kind {
        Kind::Students => match h.as_str() {
            "prenom" | "firstname" => Some(Col::FirstName),
            "nom" | "lastname" | "nomdefamille" | "surname" => Some(Col::LastName),
            "classe" | "class" | "groupe" | "group" => Some(Col::Class),
            _ => None,
        },
        Kind::Orgs => match h.as_str() {
            "nom" | "name" | "raisonsociale" => Some(Col::Name),
            "siret" => Some(Col::Siret),
            "adresse" | "address" => Some(Col::Address),
            "contact" | "contactname" | "interlocuteur" => Some(Col::Contact),
            "siteweb" | "site" | "website" | "url" => Some(Col::Website),
            _ => None,
        },
        Kind::Classes => match h.as_str() {
            "nom" | "name" | "classe" | "class" | "groupe" => Some(Col::Name),
            _ => None,
        },
    }
}

/// Where an issue is: a CSV line, or a JSON item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    File,
    Line(u64),
    Item(usize),
}

/// A problem found in the input, said with its place and column.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub location: Location,
    /// The column as the file names it.
    pub column: Option<String>,
    pub problem: Key,
    pub value: String,
}

impl Issue {
    pub fn file(problem: Key, value: impl Into<String>) -> Issue {
        Issue {
            location: Location::File,
            column: None,
            problem,
            value: value.into(),
        }
    }
}

/// One record: its place and its values by column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub location: Option<Location>,
    pub values: HashMap<Col, String>,
    /// Header text of each column, to name it in messages (shared by all CSV records).
    pub names: std::sync::Arc<HashMap<Col, String>>,
}

impl Record {
    pub fn get(&self, col: Col) -> Option<&str> {
        self.values
            .get(&col)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
    pub fn name(&self, col: Col) -> String {
        self.names
            .get(&col)
            .cloned()
            .unwrap_or_else(|| col.canonical().to_string())
    }
}

/// The parsed input.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub records: Vec<Record>,
    pub unknown_columns: Vec<String>,
    pub encoding: &'static str,
    pub delimiter: Option<char>,
}

/// Decodes bytes: UTF-8 with BOM, UTF-8, else Windows-1252 (what French Excel saves).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 (BOM)");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// The delimiter of the header line: the most frequent of `,` `;` tab outside quotes.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 2 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// Undoes the formula-injection escaping of our exports (`'=…` → `=…`).
fn unescape_cell(v: &str) -> String {
    let t = v.trim();
    match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => t.to_string(),
    }
}

pub fn parse(bytes: &[u8], format: Format, kind: Kind) -> Result<Parsed, Vec<Issue>> {
    if bytes.len() > MAX_INPUT {
        return Err(vec![Issue::file(
            Key::ImpTooLarge,
            format!("{} o", bytes.len()),
        )]);
    }
    let (text, encoding) = decode(bytes);
    if text.trim().is_empty() {
        return Err(vec![Issue::file(Key::ImpEmpty, "")]);
    }
    let mut parsed = match format {
        Format::Csv => parse_csv(&text, kind)?,
        Format::Json => parse_json(&text, kind)?,
    };
    parsed.encoding = encoding;
    Ok(parsed)
}

fn parse_csv(text: &str, kind: Kind) -> Result<Parsed, Vec<Issue>> {
    let delimiter = detect_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = reader.records();
    let header = match rows.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![Issue::file(Key::ImpUnreadable, e.to_string())]),
        None => return Err(vec![Issue::file(Key::ImpEmpty, "")]),
    };
    if header.len() > MAX_COLUMNS {
        return Err(vec![Issue::file(
            Key::ImpTooManyColumns,
            header.len().to_string(),
        )]);
    }
    let mut cols: Vec<Option<Col>> = Vec::with_capacity(header.len());
    let mut names = HashMap::new();
    let mut unknown = Vec::new();
    for h in header.iter() {
        let col = column(kind, h);
        match col {
            Some(c) if names.contains_key(&c) => {
                return Err(vec![Issue::file(Key::ImpDuplicateColumn, h.trim())]);
            }
            Some(c) => {
                names.insert(c, h.trim().trim_start_matches('\u{feff}').to_string());
            }
            None if !h.trim().is_empty() => unknown.push(h.trim().to_string()),
            None => {}
        }
        cols.push(col);
    }
    let required = match kind {
        Kind::Students => Col::Email,
        Kind::Orgs | Kind::Classes => Col::Name,
    };
    if !cols.contains(&Some(required)) {
        return Err(vec![Issue::file(
            Key::ImpMissingColumn,
            required.canonical(),
        )]);
    }
    let names = std::sync::Arc::new(names);
    let mut records = Vec::new();
    let mut issues = Vec::new();
    let mut lines = LineCounter::new(text);
    let mut last_offset = 0usize;
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                issues.push(Issue {
                    location: Location::Line(line),
                    column: None,
                    problem: Key::ImpUnreadable,
                    value: e.to_string(),
                });
                continue;
            }
        };
        if let Some(p) = row.position() {
            last_offset = p.byte() as usize;
        }
        let line = row
            .position()
            .map(|p| lines.line_at(p.byte() as usize))
            .unwrap_or(0);
        if row.iter().all(|f| f.trim().is_empty()) {
            continue; // blank lines, as spreadsheets leave them
        }
        if records.len() >= MAX_ROWS {
            return Err(vec![Issue::file(Key::ImpTooManyRows, MAX_ROWS.to_string())]);
        }
        if issues.len() >= MAX_ISSUES {
            break;
        }
        if row.len() > MAX_COLUMNS {
            issues.push(Issue {
                location: Location::Line(line),
                column: None,
                problem: Key::ImpTooManyColumns,
                value: row.len().to_string(),
            });
            continue;
        }
        let mut rec = Record {
            location: Some(Location::Line(line)),
            values: HashMap::new(),
            names: names.clone(),
        };
        for (i, field) in row.iter().enumerate() {
            match cols.get(i) {
                Some(Some(col)) => {
                    if field.chars().count() > MAX_FIELD_CHARS {
                        issues.push(Issue {
                            location: Location::Line(line),
                            column: Some(rec.name(*col)),
                            problem: Key::ProbTooLong,
                            value: field.chars().take(40).collect(),
                        });
                    }
                    rec.values.insert(*col, unescape_cell(field));
                }
                Some(None) => {}
                None if !field.trim().is_empty() => issues.push(Issue {
                    location: Location::Line(line),
                    column: None,
                    problem: Key::ImpExtraField,
                    value: field.chars().take(40).collect(),
                }),
                None => {}
            }
        }
        records.push(rec);
    }
    // An unterminated quote swallows the rest of the file into the last record: its raw
    // text then holds an odd number of quotes (a well-formed quoted field holds pairs).
    let tail = text.get(last_offset.min(text.len())..).unwrap_or("");
    let opens_field = tail.starts_with('"')
        || tail
            .as_bytes()
            .windows(2)
            .any(|w| w[1] == b'"' && (w[0] == delimiter || w[0] == b'\n'));
    if !records.is_empty() && opens_field && tail.bytes().filter(|&b| b == b'"').count() % 2 == 1 {
        issues.push(Issue {
            location: records
                .last()
                .and_then(|r| r.location)
                .unwrap_or(Location::File),
            column: None,
            problem: Key::ImpUnterminatedQuote,
            value: String::new(),
        });
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(Parsed {
        records,
        unknown_columns: unknown,
        encoding: "",
        delimiter: Some(delimiter as char),
    })
}

/// Line numbers from byte offsets (the csv crate's own line counter lags on CRLF and
/// blank lines). Offsets only grow, so counting is incremental.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    newlines: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            pos: 0,
            newlines: 0,
        }
    }

    /// The 1-based line of the first character of a record reported at `offset`.
    fn line_at(&mut self, mut offset: usize) -> u64 {
        while offset < self.bytes.len() && matches!(self.bytes[offset], b'\r' | b'\n') {
            offset += 1;
        }
        let end = offset.min(self.bytes.len());
        if end > self.pos {
            self.newlines += self.bytes[self.pos..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.pos = end;
        }
        self.newlines + 1
    }
}

/// JSON: an array of objects (or `{"students": [...]}` / `{"organisations": [...]}` /
/// `{"classes": [...]}`), keys as in CSV headers.
fn parse_json(text: &str, kind: Kind) -> Result<Parsed, Vec<Issue>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        vec![Issue {
            location: Location::Line(e.line() as u64),
            column: None,
            problem: Key::ImpBadJson,
            value: e.to_string(),
        }]
    })?;
    let key = match kind {
        Kind::Students => "students",
        Kind::Orgs => "organisations",
        Kind::Classes => "classes",
    };
    let items = match &value {
        serde_json::Value::Array(a) => a.clone(),
        serde_json::Value::Object(o) => match o.get(key) {
            Some(serde_json::Value::Array(a)) => a.clone(),
            _ => {
                return Err(vec![Issue::file(
                    Key::ImpBadJson,
                    format!("\"{key}\": [...]"),
                )]);
            }
        },
        _ => return Err(vec![Issue::file(Key::ImpBadJson, "[...]")]),
    };
    json_records(items, kind, &mut Vec::new())
}

/// Turns JSON objects into records; wrong types are reported per item and key.
pub(crate) fn json_records(
    items: Vec<serde_json::Value>,
    kind: Kind,
    extra_unknown: &mut Vec<String>,
) -> Result<Parsed, Vec<Issue>> {
    if items.len() > MAX_ROWS {
        return Err(vec![Issue::file(Key::ImpTooManyRows, MAX_ROWS.to_string())]);
    }
    let mut records = Vec::new();
    let mut issues = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let location = Location::Item(i + 1);
        let serde_json::Value::Object(obj) = item else {
            issues.push(Issue {
                location,
                column: None,
                problem: Key::ImpNotAnObject,
                value: String::new(),
            });
            continue;
        };
        let mut rec = Record {
            location: Some(location),
            ..Default::default()
        };
        for (k, v) in obj {
            let Some(col) = column(kind, &k) else {
                if !matches!(k.as_str(), "classes" | "students" | "id") && !unknown.contains(&k) {
                    unknown.push(k);
                }
                continue;
            };
            let text = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                serde_json::Value::Number(n) if matches!(col, Col::Phone | Col::Siret) => {
                    n.to_string()
                }
                other => {
                    issues.push(Issue {
                        location,
                        column: Some(k.clone()),
                        problem: Key::ImpWrongType,
                        value: other.to_string().chars().take(40).collect(),
                    });
                    continue;
                }
            };
            if text.chars().count() > MAX_FIELD_CHARS {
                issues.push(Issue {
                    location,
                    column: Some(k.clone()),
                    problem: Key::ProbTooLong,
                    value: text.chars().take(40).collect(),
                });
                continue;
            }
            std::sync::Arc::make_mut(&mut rec.names).insert(col, k);
            rec.values.insert(col, text.trim().to_string());
        }
        records.push(rec);
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    extra_unknown.extend(unknown.iter().cloned());
    Ok(Parsed {
        records,
        unknown_columns: unknown,
        encoding: "",
        delimiter: None,
    })
}

/// "ligne 14, colonne email : adresse de courriel invalide « jean.dupont@ »"
pub fn describe_issue(lang: crate::Lang, issue: &Issue) -> String {
    use crate::i18n::{t, tf};
    let place = match issue.location {
        Location::File => t(lang, Key::ImpFile).to_string(),
        Location::Line(n) => tf(lang, Key::ImpLine, &[&n.to_string()]),
        Location::Item(n) => tf(lang, Key::ImpItem, &[&n.to_string()]),
    };
    let place = match &issue.column {
        Some(c) => format!(
            "{place}, {}",
            tf(lang, Key::ImpColumn, &[&crate::sanitize::line(c)])
        ),
        None => place,
    };
    let sep = if lang == crate::Lang::Fr { " : " } else { ": " };
    let mut out = format!("{place}{sep}{}", t(lang, issue.problem));
    if !issue.value.is_empty() {
        let v: String = crate::sanitize::line(&issue.value)
            .chars()
            .take(60)
            .collect();
        out.push_str(&if lang == crate::Lang::Fr {
            format!(" « {v} »")
        } else {
            format!(" \"{v}\"")
        });
    }
    out
}

/// The refusal message: a summary, then each issue on its line (capped).
pub fn describe_issues(lang: crate::Lang, issues: &[Issue]) -> String {
    use crate::i18n::tf;
    let mut out = tf(lang, Key::ImpRefused, &[&issues.len().to_string()]);
    for i in issues.iter().take(MAX_LISTED_ERRORS) {
        out.push('\n');
        out.push_str(&describe_issue(lang, i));
    }
    if issues.len() > MAX_LISTED_ERRORS {
        out.push('\n');
        out.push_str(&tf(
            lang,
            Key::ImpMoreErrors,
            &[&(issues.len() - MAX_LISTED_ERRORS).to_string()],
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_french_or_english_any_case_and_accents() {
        for h in ["Email", "COURRIEL", "mail", "E-mail", "\u{feff}email"] {
            assert_eq!(column(Kind::Students, h), Some(Col::Email), "{h}");
        }
        for h in ["Prénom", "prenom", "first_name", "FirstName"] {
            assert_eq!(column(Kind::Students, h), Some(Col::FirstName), "{h}");
        }
        assert_eq!(column(Kind::Students, "Nom"), Some(Col::LastName));
        assert_eq!(column(Kind::Orgs, "Nom"), Some(Col::Name));
        assert_eq!(column(Kind::Students, "Téléphone"), Some(Col::Phone));
        assert_eq!(column(Kind::Students, "Groupe"), Some(Col::Class));
        assert_eq!(
            column(Kind::Students, "Organization"),
            Some(Col::Organisation)
        );
        assert_eq!(column(Kind::Students, "Pointure"), None);
    }

    #[test]
    fn decoding_and_delimiters() {
        let cp1252 = b"email;pr\xe9nom\r\na@b.fr;L\xe9a\r\n";
        let (text, enc) = decode(cp1252);
        assert_eq!(enc, "Windows-1252");
        assert!(text.contains("prénom") && text.contains("Léa"));
        assert_eq!(detect_delimiter(&text), b';');
        assert_eq!(decode(b"\xef\xbb\xbfemail\n").1, "UTF-8 (BOM)");
        assert_eq!(detect_delimiter("email\tnom\n"), b'\t');
        assert_eq!(detect_delimiter("\"a;b\",c,d\n"), b',');
    }

    #[test]
    fn csv_with_quotes_newlines_crlf_unknown_columns() {
        let input = "Courriel,Prénom,Pointure,notes\r\nlea@x.fr,Léa,38,\"deux\r\nlignes\"\r\n\r\n'=1+1@x.fr,Bob,,\r\n";
        let p = parse(input.as_bytes(), Format::Csv, Kind::Students).unwrap();
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.unknown_columns, vec!["Pointure"]);
        assert_eq!(p.records[0].get(Col::Notes), Some("deux\r\nlignes"));
        assert_eq!(p.records[0].location, Some(Location::Line(2)));
        assert_eq!(p.records[1].get(Col::Email), Some("=1+1@x.fr"));
        assert_eq!(p.records[0].name(Col::Email), "Courriel");
    }

    #[test]
    fn bad_files_are_explained() {
        let issue = |r: Result<Parsed, Vec<Issue>>| r.unwrap_err()[0].problem;
        assert_eq!(
            issue(parse(b"", Format::Csv, Kind::Students)),
            Key::ImpEmpty
        );
        assert_eq!(
            issue(parse(b"nom\nx\n", Format::Csv, Kind::Students)),
            Key::ImpMissingColumn
        );
        assert_eq!(
            issue(parse(b"email\na@b.fr,extra\n", Format::Csv, Kind::Students)),
            Key::ImpExtraField
        );
        assert_eq!(
            issue(parse(
                b"email,nom\n\"a@b.fr,x\n",
                Format::Csv,
                Kind::Students
            )),
            Key::ImpUnterminatedQuote
        );
        assert_eq!(
            issue(parse(b"[{\"email\": 3}]", Format::Json, Kind::Students)),
            Key::ImpWrongType
        );
        assert_eq!(
            issue(parse(b"{\"email\"", Format::Json, Kind::Students)),
            Key::ImpBadJson
        );
        assert_eq!(
            issue(parse(b"[1]", Format::Json, Kind::Students)),
            Key::ImpNotAnObject
        );
        // A lone quote inside an unquoted field is a character, not an error.
        let p = parse(
            "email,nom\na@b.fr,Écran 15\" large\n".as_bytes(),
            Format::Csv,
            Kind::Students,
        )
        .unwrap();
        assert_eq!(p.records[0].get(Col::LastName), Some("Écran 15\" large"));
        // Header only: no records, no error.
        assert!(
            parse(b"email\n", Format::Csv, Kind::Students)
                .unwrap()
                .records
                .is_empty()
        );
    }
}
