//! Reading import files as people really have them: CSV in UTF-8 (with or without BOM)
//! or Windows-1252 (French Excel), `,` `;` or tab, CRLF, quoted fields with newlines,
//! column names in French or English; or JSON. Pure functions, no database.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};

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
    /// A Moodle user-upload CSV's `cohort1`, `cohort2`…: one more class of the student.
    Cohort(u8),
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
            Col::Cohort(_) => "cohort",
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
/// (The folding itself is [`crate::present::fold`].)
pub fn fold(header: &str) -> String {
    crate::present::fold(header.trim().trim_start_matches('\u{feff}'))
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\'' | '\u{2019}'))
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
            // Moodle's user upload: cohort1, cohort2… are the student's classes.
            c => c
                .strip_prefix("cohort")
                .and_then(|n| n.parse::<u8>().ok())
                .filter(|n| (1..=99).contains(n))
                .map(Col::Cohort),
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

/// Parses a whole input held in memory (the TUI paste, tests, the fuzz target): the same
/// streaming reader as the exec command's spooled file, records collected.
pub fn parse(bytes: &[u8], format: Format, kind: Kind) -> Result<Parsed, Vec<Issue>> {
    parse_from(
        std::io::Cursor::new(bytes),
        Some(format),
        kind,
        MAX_INPUT as u64,
    )
}

/// Parses an input and collects its records (small imports: organisations, classes).
pub fn parse_from<R: Read + Seek>(
    src: R,
    format: Option<Format>,
    kind: Kind,
    max_input: u64,
) -> Result<Parsed, Vec<Issue>> {
    let opened = open(src, format, kind, max_input)?;
    let mut parsed = Parsed {
        records: Vec::new(),
        unknown_columns: opened.unknown_columns.clone(),
        encoding: opened.encoding,
        delimiter: opened.delimiter,
    };
    let mut records = opened.records;
    let mut issues = Vec::new();
    while issues.len() < MAX_ISSUES {
        match records.next_row() {
            Err(fatal) => return Err(vec![fatal]),
            Ok(None) => break,
            Ok(Some(Row::Invalid(mut i))) => issues.append(&mut i),
            Ok(Some(Row::Record(r))) => parsed.records.push(r),
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(parsed)
}

/// The text encoding of an input, decided on a first pass over all its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8Bom,
    Utf8,
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// What a first streaming pass over the input found (constant memory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub len: u64,
    pub encoding: Encoding,
    /// The delimiter of the header line: the most frequent of `,` `;` tab outside quotes.
    pub delimiter: u8,
    /// No ASCII character other than white space.
    pub no_ascii_text: bool,
    /// Some byte outside ASCII.
    pub non_ascii: bool,
    /// The first significant byte opens a JSON array or object.
    pub looks_json: bool,
}

const CHUNK: usize = 64 * 1024;

/// Reads the whole input once: UTF-8 validity (else Windows-1252, what French Excel
/// saves), the header's delimiter, whether it holds any text. Only bytes that are ASCII
/// matter for the delimiter, and they mean the same in all three encodings.
pub fn sniff<R: Read>(mut r: R) -> std::io::Result<Sniffed> {
    let mut buf = vec![0u8; CHUNK];
    let mut s = Sniffed {
        len: 0,
        encoding: Encoding::Utf8,
        delimiter: b',',
        no_ascii_text: true,
        non_ascii: false,
        looks_json: false,
    };
    let mut first_significant = None;
    let mut counts = [0usize; 3];
    let (mut quoted, mut header_done) = (false, false);
    let mut valid = true;
    let mut keep = 0usize; // an incomplete UTF-8 sequence carried to the next chunk
    let mut start = true;
    loop {
        let n = read_full(&mut r, &mut buf[keep..])?;
        if n == 0 {
            if keep > 0 {
                valid = false;
            }
            break;
        }
        let mut from = keep;
        let end = keep + n;
        s.len += n as u64;
        if start {
            start = false;
            if buf[..end].starts_with(b"\xef\xbb\xbf") {
                s.encoding = Encoding::Utf8Bom;
                from = 3;
            }
        }
        for &b in &buf[keep..end] {
            if first_significant.is_none()
                && !(b.is_ascii_whitespace() || matches!(b, 0xef | 0xbb | 0xbf))
            {
                first_significant = Some(b);
            }
        }
        for &b in &buf[from.max(keep)..end] {
            if b >= 0x80 {
                s.non_ascii = true;
            } else if !b.is_ascii_whitespace() {
                s.no_ascii_text = false;
            }
            if !header_done {
                match b {
                    b'"' => quoted = !quoted,
                    b'\n' if !quoted => header_done = true,
                    b',' if !quoted => counts[0] += 1,
                    b';' if !quoted => counts[1] += 1,
                    b'\t' if !quoted => counts[2] += 1,
                    _ => {}
                }
            }
        }
        keep = 0;
        if valid && s.encoding == Encoding::Utf8 {
            match std::str::from_utf8(&buf[..end]) {
                Ok(_) => {}
                Err(e) if e.error_len().is_none() => {
                    let v = e.valid_up_to();
                    buf.copy_within(v..end, 0);
                    keep = end - v;
                }
                Err(_) => valid = false,
            }
        }
    }
    if !valid && s.encoding == Encoding::Utf8 {
        s.encoding = Encoding::Windows1252;
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 2 - i)).unwrap_or(0);
    s.delimiter = [b',', b';', b'\t'][best];
    s.looks_json = matches!(first_significant, Some(b'[' | b'{'));
    Ok(s)
}

/// `read` until the buffer is full or the input ends.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Where a quoted CSV field stands (the csv crate's rules: a quote opens a field only at
/// its start, `""` inside is a quote, a lone quote elsewhere is a character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    FieldStart,
    Unquoted,
    Quoted,
    AfterClosing,
}

/// The input decoded to UTF-8 on the fly, as the csv reader pulls it. It also remembers,
/// for the bytes read ahead, where line breaks are (to number lines exactly: the csv
/// crate's own counter lags on CRLF and blank lines) and whether a quote is left open.
struct Decoded<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    input_done: bool,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    finished: bool,
    /// Bytes handed out so far.
    pos: u64,
    /// Line breaks handed out but not yet passed by a record: (offset, is `\n`).
    breaks: std::collections::VecDeque<(u64, bool)>,
    newlines: u64,
    quote: Quote,
    delimiter: u8,
}

impl<R: Read> Decoded<R> {
    fn new(mut inner: R, encoding: Encoding, delimiter: u8) -> std::io::Result<Self> {
        let decoder = match encoding {
            Encoding::Utf8Bom => {
                let mut bom = [0u8; 3];
                read_full(&mut inner, &mut bom)?;
                encoding_rs::UTF_8.new_decoder_without_bom_handling()
            }
            Encoding::Utf8 => encoding_rs::UTF_8.new_decoder_without_bom_handling(),
            // As `Encoding::decode` does: a UTF-16 BOM still wins.
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252.new_decoder(),
        };
        Ok(Decoded {
            inner,
            decoder,
            input: vec![0; CHUNK],
            in_start: 0,
            in_end: 0,
            input_done: false,
            output: vec![0; CHUNK],
            out_start: 0,
            out_end: 0,
            finished: false,
            pos: 0,
            breaks: Default::default(),
            newlines: 0,
            quote: Quote::FieldStart,
            delimiter,
        })
    }

    fn fill(&mut self) -> std::io::Result<()> {
        while self.out_start == self.out_end && !self.finished {
            if self.in_start == self.in_end && !self.input_done {
                let n = read_full(&mut self.inner, &mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.input_done = n == 0;
            }
            let last = self.input_done;
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                last,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if last && result == encoding_rs::CoderResult::InputEmpty {
                self.finished = true;
            }
        }
        Ok(())
    }

    fn observe(&mut self, bytes: &[u8]) {
        let d = self.delimiter;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                self.breaks.push_back((self.pos + i as u64, b == b'\n'));
            }
            let ends_field = b == d || b == b'\n' || b == b'\r';
            self.quote = match (self.quote, b) {
                (Quote::FieldStart, b'"') => Quote::Quoted,
                (Quote::FieldStart | Quote::Unquoted, _) if ends_field => Quote::FieldStart,
                (Quote::FieldStart | Quote::Unquoted, _) => Quote::Unquoted,
                (Quote::Quoted, b'"') => Quote::AfterClosing,
                (Quote::Quoted, _) => Quote::Quoted,
                (Quote::AfterClosing, b'"') => Quote::Quoted,
                (Quote::AfterClosing, _) if ends_field => Quote::FieldStart,
                (Quote::AfterClosing, _) => Quote::Unquoted,
            };
        }
        self.pos += bytes.len() as u64;
    }

    /// The 1-based line of the first character of a record reported at `offset`
    /// (offsets only grow).
    fn line_at(&mut self, offset: u64) -> u64 {
        while let Some(&(p, lf)) = self.breaks.front() {
            if p >= offset {
                break;
            }
            self.newlines += u64::from(lf);
            self.breaks.pop_front();
        }
        // A record reported at its leading line break starts after it.
        let mut at = offset;
        while let Some(&(p, lf)) = self.breaks.front() {
            if p != at {
                break;
            }
            self.newlines += u64::from(lf);
            self.breaks.pop_front();
            at += 1;
        }
        self.newlines + 1
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.fill()?;
        let n = (self.out_end - self.out_start).min(buf.len());
        let (from, to) = (self.out_start, self.out_start + n);
        buf[..n].copy_from_slice(&self.output[from..to]);
        self.out_start = to;
        let chunk = std::mem::take(&mut self.output);
        self.observe(&chunk[from..to]);
        self.output = chunk;
        Ok(n)
    }
}

/// One data row of the input.
#[derive(Debug)]
pub enum Row {
    Record(Record),
    /// Problems of this row (the row is not used).
    Invalid(Vec<Issue>),
}

/// The rows of an opened input, one at a time.
pub struct Records<R: Read> {
    inner: RecordsInner<R>,
}

enum RecordsInner<R: Read> {
    Csv(Box<CsvRows<R>>),
    Json(std::vec::IntoIter<Record>),
}

struct CsvRows<R: Read> {
    reader: csv::Reader<Decoded<R>>,
    row: csv::StringRecord,
    cols: Vec<Option<Col>>,
    names: std::sync::Arc<HashMap<Col, String>>,
    count: usize,
    last: Option<Location>,
    done: bool,
}

impl<R: Read> Records<R> {
    /// The next row; `Err` refuses the whole file with this one issue.
    pub fn next_row(&mut self) -> Result<Option<Row>, Issue> {
        match &mut self.inner {
            RecordsInner::Json(items) => Ok(items.next().map(Row::Record)),
            RecordsInner::Csv(csv) => csv.next_row(),
        }
    }
}

impl<R: Read> CsvRows<R> {
    fn next_row(&mut self) -> Result<Option<Row>, Issue> {
        loop {
            if self.done {
                return Ok(None);
            }
            match self.reader.read_record(&mut self.row) {
                Err(e) => {
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        self.done = true;
                    }
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    return Ok(Some(Row::Invalid(vec![Issue {
                        location: Location::Line(line),
                        column: None,
                        problem: Key::ImpUnreadable,
                        value: e.to_string(),
                    }])));
                }
                Ok(false) => {
                    self.done = true;
                    // An unterminated quote swallows the rest of the file into the last record.
                    if self.count > 0 && self.reader.get_ref().quote == Quote::Quoted {
                        return Ok(Some(Row::Invalid(vec![Issue {
                            location: self.last.unwrap_or(Location::File),
                            column: None,
                            problem: Key::ImpUnterminatedQuote,
                            value: String::new(),
                        }])));
                    }
                    return Ok(None);
                }
                Ok(true) => {}
            }
            let line = match self.row.position() {
                Some(p) => self.reader.get_mut().line_at(p.byte()),
                None => 0,
            };
            if self.row.iter().all(|f| f.trim().is_empty()) {
                continue; // blank lines, as spreadsheets leave them
            }
            if self.count >= MAX_ROWS {
                self.done = true;
                return Err(Issue::file(Key::ImpTooManyRows, MAX_ROWS.to_string()));
            }
            self.count += 1;
            self.last = Some(Location::Line(line));
            return Ok(Some(self.record(line)));
        }
    }

    fn record(&self, line: u64) -> Row {
        let row = &self.row;
        let mut issues = Vec::new();
        if row.len() > MAX_COLUMNS {
            return Row::Invalid(vec![Issue {
                location: Location::Line(line),
                column: None,
                problem: Key::ImpTooManyColumns,
                value: row.len().to_string(),
            }]);
        }
        let mut rec = Record {
            location: Some(Location::Line(line)),
            values: HashMap::new(),
            names: self.names.clone(),
        };
        for (i, field) in row.iter().enumerate() {
            match self.cols.get(i) {
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
        if issues.is_empty() {
            Row::Record(rec)
        } else {
            Row::Invalid(issues)
        }
    }
}

/// An input opened for reading row by row.
pub struct Opened<R: Read> {
    pub format: Format,
    pub unknown_columns: Vec<String>,
    pub encoding: &'static str,
    pub delimiter: Option<char>,
    pub records: Records<R>,
}

/// Opens an input for reading row by row: a first pass decides the encoding and the
/// delimiter (and the format when `format` is `None`), the second decodes as it goes.
/// Memory stays bounded by one row (CSV); a JSON document is read whole (within
/// `max_input`). `Err` refuses the whole file.
pub fn open<R: Read + Seek>(
    mut src: R,
    format: Option<Format>,
    kind: Kind,
    max_input: u64,
) -> Result<Opened<R>, Vec<Issue>> {
    let io = |e: std::io::Error| vec![Issue::file(Key::ImpUnreadable, e.to_string())];
    let len = src.seek(SeekFrom::End(0)).map_err(io)?;
    if len > max_input {
        return Err(vec![Issue::file(
            Key::ImpTooLarge,
            too_large_value(len, max_input),
        )]);
    }
    src.seek(SeekFrom::Start(0)).map_err(io)?;
    let sniffed = sniff(&mut src).map_err(io)?;
    src.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut decoded = Decoded::new(src, sniffed.encoding, sniffed.delimiter).map_err(io)?;
    let blank = sniffed.no_ascii_text && {
        // Only white space, or no ASCII text at all: decide on the decoded text.
        let mut text = String::new();
        !sniffed.non_ascii || {
            decoded.read_to_string(&mut text).map_err(io)?;
            text.trim().is_empty()
        }
    };
    if blank {
        return Err(vec![Issue::file(Key::ImpEmpty, "")]);
    }
    if sniffed.no_ascii_text {
        // Read above: start again.
        let mut src = decoded.inner;
        src.seek(SeekFrom::Start(0)).map_err(io)?;
        decoded = Decoded::new(src, sniffed.encoding, sniffed.delimiter).map_err(io)?;
    }
    let format = format.unwrap_or(if sniffed.looks_json {
        Format::Json
    } else {
        Format::Csv
    });
    let encoding = sniffed.encoding.label();
    match format {
        Format::Json => {
            let mut text = String::new();
            decoded.read_to_string(&mut text).map_err(io)?;
            let parsed = parse_json(&text, kind)?;
            Ok(Opened {
                format,
                unknown_columns: parsed.unknown_columns,
                encoding,
                delimiter: None,
                records: Records {
                    inner: RecordsInner::Json(parsed.records.into_iter()),
                },
            })
        }
        Format::Csv => {
            let (unknown_columns, rows) = open_csv(decoded, sniffed.delimiter, kind)?;
            Ok(Opened {
                format,
                unknown_columns,
                encoding,
                delimiter: Some(sniffed.delimiter as char),
                records: Records {
                    inner: RecordsInner::Csv(Box::new(rows)),
                },
            })
        }
    }
}

/// "25.3 Mio > 20 Mio": the size and the limit, in MiB.
pub fn too_large_value(len: u64, max: u64) -> String {
    format!(
        "{:.1} Mio {}",
        len as f64 / (1024.0 * 1024.0),
        over_limit(max)
    )
}

/// "> 20 Mio": the limit, in MiB (when the size is not known: reading stopped there).
pub fn over_limit(max: u64) -> String {
    let v = max as f64 / (1024.0 * 1024.0);
    if v.fract() == 0.0 {
        format!("> {v:.0} Mio")
    } else {
        format!("> {v:.2} Mio")
    }
}

fn open_csv<R: Read>(
    decoded: Decoded<R>,
    delimiter: u8,
    kind: Kind,
) -> Result<(Vec<String>, CsvRows<R>), Vec<Issue>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded);
    let mut header = csv::StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return Err(vec![Issue::file(Key::ImpEmpty, "")]),
        Err(e) => return Err(vec![Issue::file(Key::ImpUnreadable, e.to_string())]),
    }
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
    if let Some(p) = header.position() {
        reader.get_mut().line_at(p.byte());
    }
    Ok((
        unknown,
        CsvRows {
            reader,
            row: csv::StringRecord::new(),
            cols,
            names: std::sync::Arc::new(names),
            count: 0,
            last: None,
            done: false,
        },
    ))
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
    let value = if issue.problem == Key::ImpTooLarge && lang == crate::Lang::En {
        issue.value.replace("Mio", "MiB")
    } else {
        issue.value.clone()
    };
    let mut out = format!("{place}{sep}{}", t(lang, issue.problem));
    if !value.is_empty() {
        let v: String = crate::sanitize::line(&value).chars().take(60).collect();
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

    #[test]
    fn large_inputs_are_read_in_pieces_with_exact_lines() {
        // Over several 64 KiB pieces; the only byte that is not UTF-8 comes last.
        let mut input = b"email;nom\r\n".to_vec();
        for i in 0..5000 {
            input.extend_from_slice(format!("e{i}@x.fr;\"Nom\r\n{i}\"\r\n").as_bytes());
        }
        input.extend_from_slice(b"\r\nlast@x.fr;L\xe9a\r\n");
        let p = parse(&input, Format::Csv, Kind::Students).unwrap();
        assert_eq!(p.encoding, "Windows-1252");
        assert_eq!(p.delimiter, Some(';'));
        assert_eq!(p.records.len(), 5001);
        assert_eq!(p.records[4999].location, Some(Location::Line(2 + 2 * 4999)));
        assert_eq!(p.records[4999].get(Col::LastName), Some("Nom\r\n4999"));
        // After a blank line.
        assert_eq!(
            p.records[5000].location,
            Some(Location::Line(2 + 2 * 5000 + 1))
        );
        assert_eq!(p.records[5000].get(Col::LastName), Some("Léa"));
        // A quote left open near the end is found, at its row.
        let mut bad = input[..input.len() - 15].to_vec();
        bad.extend_from_slice(b"x@x.fr;\"open\r\n");
        let issues = parse(&bad, Format::Csv, Kind::Students).unwrap_err();
        assert_eq!(issues[0].problem, Key::ImpUnterminatedQuote);
        assert_eq!(issues[0].location, Location::Line(2 + 2 * 5000 + 1));
        // Too large for the limit given.
        let issues = parse_from(
            std::io::Cursor::new(&input),
            Some(Format::Csv),
            Kind::Students,
            1024,
        )
        .unwrap_err();
        assert_eq!(issues[0].problem, Key::ImpTooLarge);
    }
}
