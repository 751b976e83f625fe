//! Input validation shared by every door. Each check names the field it rejects.

use chrono::NaiveDate;

use crate::i18n::Key;
use crate::{Error, Result};

pub const MAX_NAME: usize = 200;
pub const MAX_SHORT: usize = 500;
pub const MAX_NOTES: usize = 5_000;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_LESSON_BODY: usize = 200_000;
pub const MAX_OBJECTIVES: usize = 50;
/// Longest prerequisites text of a course.
pub const MAX_PREREQUISITES: usize = 2_000;
/// Longest phone number, separators included.
pub const MAX_PHONE: usize = 30;
/// Longest description of a technical demo.
pub const MAX_DEMO_DESCRIPTION: usize = 5_000;
/// Longest technical demo, in minutes (one day).
pub const MAX_DEMO_MINUTES: i64 = 1_440;
/// Most classes in a technical demo's audience.
pub const MAX_DEMO_CLASSES: usize = 50;
/// Largest terminal a live demo streams (columns, rows): bigger sizes are clamped, so a
/// stream's virtual screen never holds more than 100,000 cells.
pub const MAX_LIVE_COLS: u16 = 500;
pub const MAX_LIVE_ROWS: u16 = 200;
/// Most bytes read from a live stream at once (the SSH channel's packets are smaller).
pub const LIVE_READ_CHUNK: usize = 64 * 1024;
/// Longest question a student sends during a live demo.
pub const MAX_DEMO_QUESTION: usize = 500;
/// Longest marker label in a live demo's recording (`demo mark`).
pub const MAX_DEMO_MARKER: usize = 100;
/// Largest terminal recording (asciicast) stored or uploaded.
pub const MAX_CAST_BYTES: usize = 20 * 1024 * 1024;
/// Widest and tallest terminal a recording may have (a replay's virtual screen is this
/// big at most).
/// The same as a live demo's: a live demo's recording always replays.
pub const MAX_CAST_COLS: u16 = MAX_LIVE_COLS;
pub const MAX_CAST_ROWS: u16 = MAX_LIVE_ROWS;

pub fn invalid(field: Key, problem: Key, value: &str) -> Error {
    Error::InvalidField {
        field,
        problem,
        value: value.to_string(),
    }
}

/// Checks every field of an input and reports all the invalid ones at once: each check's
/// `Err` is kept, and [`Fields::done`] answers [`Error::InvalidField`] for one,
/// [`Error::InvalidFields`] for several.
#[derive(Debug, Default)]
pub struct Fields {
    problems: Vec<crate::error::FieldProblem>,
    other: Option<Error>,
}

impl Fields {
    /// The value of one check, or `T::default()` when it failed (the failure is kept).
    pub fn check<T: Default>(&mut self, r: Result<T>) -> T {
        match r {
            Ok(v) => v,
            Err(e) => {
                let p = e.field_problems();
                if p.is_empty() {
                    self.other.get_or_insert(e);
                } else {
                    self.problems.extend(p);
                }
                T::default()
            }
        }
    }

    /// `Ok` when every check passed.
    pub fn done(mut self) -> Result<()> {
        if let Some(e) = self.other {
            return Err(e);
        }
        match self.problems.len() {
            0 => Ok(()),
            1 => {
                let p = self.problems.remove(0);
                Err(invalid(p.field, p.problem, &p.value))
            }
            _ => Err(Error::InvalidFields(self.problems)),
        }
    }
}

/// A required single-line text: trimmed, non-empty, at most `max` characters, no controls.
pub fn required(field: Key, value: &str, max: usize) -> Result<String> {
    let v = clean_line(value);
    if v.is_empty() {
        return Err(invalid(field, Key::ProbRequired, value));
    }
    if v.chars().count() > max {
        return Err(invalid(field, Key::ProbTooLong, value));
    }
    Ok(v)
}

/// An optional single-line text: empty becomes `None`.
pub fn optional(field: Key, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(clean_line) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) if v.chars().count() > max => Err(invalid(field, Key::ProbTooLong, &v)),
        Some(v) => Ok(Some(v)),
    }
}

/// An optional multi-line text (notes, descriptions): controls other than newlines removed.
pub fn optional_text(field: Key, value: Option<&str>, max: usize) -> Result<Option<String>> {
    let Some(v) = value else { return Ok(None) };
    let v = crate::sanitize::multiline(&v.replace("\r\n", "\n"))
        .trim()
        .to_string();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(invalid(field, Key::ProbTooLong, &v));
    }
    Ok(Some(v))
}

fn clean_line(s: &str) -> String {
    crate::sanitize::line(s).trim().to_string()
}

/// SIRET: 14 digits (spaces allowed in input) with a valid Luhn check digit.
pub fn siret(value: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || invalid(Key::FieldSiret, Key::ProbSiret, raw);
    if digits.len() != 14 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if !luhn(&digits) {
        return Err(bad());
    }
    Ok(Some(digits))
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = (b - b'0') as u32;
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

pub fn email(field: Key, value: &str) -> Result<String> {
    crate::services::accounts::normalize_email(value)
        .map_err(|_| invalid(field, Key::ProbEmail, value))
}

pub fn optional_email(field: Key, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => email(field, v).map(Some),
    }
}

/// Phone: digits with the usual separators (+ . - space parentheses), 6 to 15 digits.
pub fn phone(value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let allowed = v
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '.' | '-' | ' ' | '(' | ')'));
    let digits = v.chars().filter(|c| c.is_ascii_digit()).count();
    if !allowed || !(6..=15).contains(&digits) || v.len() > MAX_PHONE {
        return Err(invalid(Key::FieldPhone, Key::ProbPhone, v));
    }
    Ok(Some(v.to_string()))
}

/// Web address: absolute http(s) URL with a host. A control character (ESC, BEL, C1 CSI…)
/// or a bidi override inside is refused, not cleaned: a URL is stored as given and then
/// printed, linked and opened, so it must be harmless as typed.
pub fn url(field: Key, value: &str) -> Result<String> {
    let v = value.trim();
    if v.chars().any(crate::sanitize::is_dangerous) {
        return Err(invalid(field, Key::ProbUrlControl, v));
    }
    let ok = v.len() <= 2000
        && url::Url::parse(v)
            .ok()
            .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    if !ok {
        return Err(invalid(field, Key::ProbUrl, v));
    }
    Ok(v.to_string())
}

pub fn optional_url(field: Key, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => url(field, v).map(Some),
    }
}

pub fn date(field: Key, value: Option<&str>) -> Result<Option<NaiveDate>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| invalid(field, Key::ProbDate, v)),
    }
}

pub fn date_range(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Result<()> {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(invalid(
            Key::FieldEnd,
            Key::ProbEndBeforeStart,
            &e.to_string(),
        ));
    }
    Ok(())
}

/// A moment typed by a person in `tz`, date and time required: `2026-12-03 14:00` (or
/// `2026-12-03T14:00`). A time skipped by a DST change is refused.
pub fn local_datetime(
    field: Key,
    tz: chrono_tz::Tz,
    value: &str,
) -> Result<chrono::DateTime<chrono::Utc>> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(field, Key::ProbRequired, value));
    }
    // A bare date would get a time nobody chose.
    if !v.contains(':') {
        return Err(invalid(field, Key::DmProbDateTime, v));
    }
    crate::present::parse_local(tz, v, (0, 0)).ok_or_else(|| invalid(field, Key::DmProbDateTime, v))
}

/// A technical demo's duration: whole minutes, 1 to [`MAX_DEMO_MINUTES`].
pub fn demo_minutes(field: Key, value: &str) -> Result<i64> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(field, Key::ProbRequired, value));
    }
    match v.parse::<i64>() {
        Ok(m) if (1..=MAX_DEMO_MINUTES).contains(&m) => Ok(m),
        _ => Err(invalid(field, Key::DmProbMinutes, v)),
    }
}

/// Hours: a non-negative decimal (comma accepted, as French users type it), at most 10,000.
pub fn hours(value: Option<&str>) -> Result<Option<f64>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    match v.replace(',', ".").parse::<f64>() {
        Ok(h) if h.is_finite() && (0.0..=10_000.0).contains(&h) => Ok(Some(h)),
        _ => Err(invalid(Key::FieldDuration, Key::ProbNumber, v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_luhn() {
        assert_eq!(
            siret(Some("732 829 320 00074")).unwrap().unwrap(),
            "73282932000074"
        );
        assert!(siret(Some("73282932000075")).is_err());
        assert!(siret(Some("7328293200007")).is_err());
        assert!(siret(Some("7328293200007a")).is_err());
        assert_eq!(siret(Some("  ")).unwrap(), None);
    }

    #[test]
    fn fields_are_named_in_errors() {
        let e = siret(Some("123")).unwrap_err();
        assert_eq!(
            e.user_message(crate::Lang::Fr),
            "SIRET : un SIRET a 14 chiffres et une clé de contrôle valide « 123 »."
        );
        let e = date_range(
            NaiveDate::from_ymd_opt(2026, 9, 1),
            NaiveDate::from_ymd_opt(2026, 8, 1),
        )
        .unwrap_err();
        assert!(
            e.user_message(crate::Lang::Fr)
                .starts_with("Fin : la fin est avant le début")
        );
    }

    #[test]
    fn urls_with_controls_or_bidi_are_refused_naming_the_field() {
        for evil in [
            "https://ex.com/\x1b]52;c;SGVsbG8=\x07\x1b]0;pwned\x07\x1b[2J",
            "https://ex.com/\x07",
            "https://ex.com/a\tb",
            "https://ex.com/a\nb",
            "https://ex.com/\u{9b}31m",
            "https://ex.com/a\u{85}b",
            "https://ex.com/\u{7f}",
            "https://ex.com/\u{202E}fdp.exe",
            "https://ex.com/\u{2066}x\u{2069}",
            "https://ex.com/\u{200F}",
            "https://ex\u{200E}.com/",
            "https://ex.com/\u{FEFF}",
        ] {
            for field in [Key::FieldWebsite, Key::FieldUrl] {
                let e = url(field, evil).unwrap_err();
                assert!(
                    matches!(e, Error::InvalidField { field: f, problem: Key::ProbUrlControl, .. } if f == field),
                    "{evil:?}: {e:?}"
                );
                let fr = e.user_message(crate::Lang::Fr);
                let en = e.user_message(crate::Lang::En);
                assert!(
                    fr.starts_with(&format!("{} : ", crate::i18n::t(crate::Lang::Fr, field))),
                    "{fr}"
                );
                assert!(fr.contains("caractère de contrôle"), "{fr}");
                assert!(en.contains("control character"), "{en}");
                assert!(!fr.chars().any(crate::sanitize::is_dangerous), "{fr:?}");
            }
        }
        assert_eq!(
            optional_url(Key::FieldWebsite, Some("  https://ex.com/é?q=ü  ")).unwrap(),
            Some("https://ex.com/é?q=ü".to_string())
        );
        assert!(optional_url(Key::FieldWebsite, Some("https://ex.com/\u{202E}")).is_err());
    }

    #[test]
    fn demo_times_and_durations() {
        let tz = chrono_tz::Europe::Paris;
        let at = local_datetime(Key::DmFieldStarts, tz, " 2026-12-03 14:00 ").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-12-03T13:00:00+00:00");
        for bad in ["2026-12-03", "demain 14:00", "2026-03-29 02:30", ""] {
            let e = local_datetime(Key::DmFieldStarts, tz, bad).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::InvalidField {
                        field: Key::DmFieldStarts,
                        ..
                    }
                ),
                "{bad}: {e:?}"
            );
        }
        assert_eq!(demo_minutes(Key::DmFieldDuration, "45").unwrap(), 45);
        assert_eq!(demo_minutes(Key::DmFieldDuration, "1440").unwrap(), 1440);
        for bad in ["0", "1441", "-5", "1h", "", "4.5"] {
            assert!(demo_minutes(Key::DmFieldDuration, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_url_hours_dates() {
        assert!(phone(Some("+33 1 23 45 67 89")).unwrap().is_some());
        assert!(phone(Some("01 23")).is_err());
        assert!(phone(Some("call me")).is_err());
        assert!(url(Key::FieldWebsite, "https://exemple.fr/a?b").is_ok());
        assert!(url(Key::FieldWebsite, "javascript:alert(1)").is_err());
        assert!(url(Key::FieldWebsite, "exemple.fr").is_err());
        assert_eq!(hours(Some("3,5")).unwrap(), Some(3.5));
        assert!(hours(Some("-1")).is_err());
        assert!(hours(Some("NaN")).is_err());
        assert!(date(Key::FieldStart, Some("2026-02-30")).is_err());
        assert!(required(Key::FieldName, "  \x1b ", 10).is_err());
        assert_eq!(
            required(Key::FieldName, " a\x1b[2Jb ", 10).unwrap(),
            "a[2Jb"
        );
    }
}
