//! Presentation: values as a person reads them, the same in the TUI, the exec text, the
//! HTTPS pages and the exports made for people (CSV for Excel).
//!
//! - Times: stored in UTC, shown in the configured zone ([`CoreOptions::time_zone`]):
//!   [`minute`], [`second`], [`day`]; typed back with [`parse_local`]. Machine output
//!   (JSON) keeps ISO-8601 with its offset: [`iso`].
//! - Labels of enums, from the catalog in both languages: [`Label`], [`label`].
//! - Numbers and units: [`number`], [`hours`], [`percent`].
//! - French elision: [`elide`], [`de`] (applied by [`crate::i18n::tf`] to `de {}`).
//! - Collation: [`fold`] (case and accents) and [`sort_key`] / [`compare`] for every
//!   list people read sorted (Bénard before Boyer, École among the E's).
//!
//! [`CoreOptions::time_zone`]: crate::services::CoreOptions::time_zone

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::i18n::{Key, Lang, t};

// ---------------------------------------------------------------------------------------
// Time

/// A moment to the minute in `tz`: `2026-01-15 10:34`.
pub fn minute(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// A moment to the second in `tz`: `2026-01-15 10:34:05` (logs, proof of attendance).
pub fn second(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The local day of a moment in `tz`: `2026-01-15`.
pub fn day(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d").to_string()
}

/// The local day of a moment in `tz`, as a date (what "today" means here).
pub fn local_date(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// A day in words, as a sentence says it: `1er mars`, `12 janvier` (English `March 1`,
/// `January 12`); the year is added when it is not the year of `today` (`1er mars 2027`,
/// `March 1, 2027`).
pub fn day_month(lang: Lang, d: NaiveDate, today: NaiveDate) -> String {
    use chrono::Datelike;
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = d.month0() as usize;
    let year = (d.year() != today.year()).then(|| d.year());
    match lang {
        Lang::Fr => {
            let day = if d.day() == 1 {
                "1er".to_string()
            } else {
                d.day().to_string()
            };
            match year {
                Some(y) => format!("{day} {} {y}", FR[month]),
                None => format!("{day} {}", FR[month]),
            }
        }
        Lang::En => match year {
            Some(y) => format!("{} {}, {y}", EN[month], d.day()),
            None => format!("{} {}", EN[month], d.day()),
        },
    }
}

/// A calendar date (no time, no zone): `2026-01-15`.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The first moment of the local day `d` in `tz` (midnight, or the first hour that
/// exists when a DST change skips it).
pub fn start_of_day(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    (0..24)
        .find_map(|h| tz.from_local_datetime(&d.and_hms_opt(h, 0, 0)?).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
}

/// Whole minutes from `now` until `until`, rounded up, at least 1 ("try again in 8 min":
/// never "0 min" while something is still refused).
pub fn minutes_left(now: DateTime<Utc>, until: DateTime<Utc>) -> i64 {
    let secs = (until - now).num_seconds().max(0);
    ((secs + 59) / 60).max(1)
}

/// Machine form (JSON): ISO-8601 / RFC 3339 with its offset.
pub fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339()
}

/// Reads what a person typed in `tz`: `2026-09-01 14:00`, `2026-09-01T14:00`, or a bare
/// `2026-09-01` (then at `default_time`). A time skipped by a DST change is refused; a
/// repeated one takes its first occurrence.
pub fn parse_local(tz: Tz, s: &str, default_time: (u32, u32)) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?.and_hms_opt(
                default_time.0,
                default_time.1,
                0,
            )
        })?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

// ---------------------------------------------------------------------------------------
// Labels

/// An enum a person reads: its catalog entry (both languages).
pub trait Label: Copy {
    fn label(self) -> Key;
}

/// The label of `v` in `lang`.
pub fn label<L: Label>(lang: Lang, v: L) -> &'static str {
    t(lang, v.label())
}

impl Label for crate::domain::Role {
    fn label(self) -> Key {
        match self {
            crate::domain::Role::Trainer => Key::RoleTrainer,
            crate::domain::Role::Student => Key::RoleStudent,
        }
    }
}

impl Label for crate::quiz::QuizKind {
    fn label(self) -> Key {
        use crate::quiz::QuizKind;
        match self {
            QuizKind::Positioning => Key::QtKindPositioning,
            QuizKind::Check => Key::QtKindCheck,
            QuizKind::Final => Key::QtKindFinal,
        }
    }
}

impl Label for crate::quiz::QuestionKind {
    fn label(self) -> Key {
        use crate::quiz::QuestionKind;
        match self {
            QuestionKind::Single => Key::QtQkSingle,
            QuestionKind::Multiple => Key::QtQkMultiple,
            QuestionKind::TrueFalse => Key::QtQkTrueFalse,
            QuestionKind::Short => Key::QtQkShort,
        }
    }
}

impl Label for crate::quiz::QuizAvailability {
    fn label(self) -> Key {
        use crate::quiz::QuizAvailability;
        match self {
            QuizAvailability::NotYetOpen => Key::QtAvNotYetOpen,
            QuizAvailability::Open => Key::QtAvOpen,
            QuizAvailability::InProgress => Key::QtAvInProgress,
            QuizAvailability::Closed => Key::QtAvClosed,
            QuizAvailability::NoAttemptsLeft => Key::QtAvNoAttemptsLeft,
        }
    }
}

impl Label for crate::quiz::QuizStatus {
    fn label(self) -> Key {
        use crate::quiz::QuizStatus;
        match self {
            QuizStatus::NotYetOpen => Key::QtAvNotYetOpen,
            QuizStatus::Open => Key::QtAvOpen,
            QuizStatus::InProgress => Key::QtAvInProgress,
            QuizStatus::Closed => Key::QtAvClosed,
            QuizStatus::NoAttemptsLeft => Key::QtAvNoAttemptsLeft,
            QuizStatus::Passed => Key::QzStPassed,
            QuizStatus::Failed => Key::QzStFailed,
        }
    }
}

impl Label for crate::services::tech_demos::DemoStatus {
    fn label(self) -> Key {
        use crate::services::tech_demos::DemoStatus;
        match self {
            DemoStatus::Planned => Key::DmStatusPlanned,
            DemoStatus::Live => Key::DmStatusLive,
            DemoStatus::Done => Key::DmStatusDone,
        }
    }
}

/// A score out of its maximum: `8/10`, `7,5/10`.
pub fn score(lang: Lang, score: f64, max: f64) -> String {
    format!("{}/{}", number(lang, score), number(lang, max))
}

/// A quiz's status in a student's list: `à faire`, `en cours`, or once handed in
/// `réussi · 8/10` / `échoué · 4/10` (the best attempt).
pub fn quiz_status(lang: Lang, q: &crate::quiz::MyQuiz) -> String {
    use crate::quiz::QuizStatus;
    let l = label(lang, q.status);
    match (q.status, q.best_score, q.best_max_score) {
        (QuizStatus::Passed | QuizStatus::Failed, Some(s), Some(m)) => {
            format!("{l} · {}", score(lang, s, m))
        }
        _ => l.to_string(),
    }
}

/// A student's answer in words (`Paris ; Lyon`, `Vrai`, `« pwd »`, "sans réponse"), the
/// choices named from the question as authored. Not sanitized: each door cleans it.
pub fn quiz_answer(
    lang: Lang,
    given: Option<&crate::quiz::Answer>,
    question: &crate::quiz::QuestionDraft,
) -> String {
    use crate::quiz::Answer;
    match given {
        None => t(lang, Key::QzUnanswered).to_string(),
        Some(Answer::Choices(v)) if v.is_empty() => t(lang, Key::QzUnanswered).to_string(),
        Some(Answer::Bool(b)) => t(lang, if *b { Key::QtTrue } else { Key::QtFalse }).into(),
        Some(Answer::Text(s)) => quoted(lang, s),
        Some(Answer::Choices(v)) => v
            .iter()
            .map(|i| {
                question
                    .choices
                    .get(*i)
                    .map_or_else(|| "?".to_string(), |c| c.text.clone())
            })
            .collect::<Vec<_>>()
            .join(" ; "),
    }
}

/// The right answer of a question in words: the right choices (with their share when
/// partial or multiple), Vrai / Faux, the accepted answers.
pub fn quiz_expected(lang: Lang, q: &crate::quiz::QuestionDraft) -> String {
    use crate::quiz::QuestionKind;
    match q.kind {
        QuestionKind::TrueFalse => t(
            lang,
            if q.answer == Some(true) {
                Key::QtTrue
            } else {
                Key::QtFalse
            },
        )
        .into(),
        QuestionKind::Short => q
            .accepted
            .iter()
            .map(|a| quoted(lang, a))
            .collect::<Vec<_>>()
            .join(" / "),
        QuestionKind::Single | QuestionKind::Multiple => q
            .choices
            .iter()
            .filter(|c| c.credit > 0)
            .map(|c| {
                if q.kind == QuestionKind::Multiple || c.credit < 100 {
                    format!("{} ({} %)", c.text, c.credit)
                } else {
                    c.text.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ; "),
    }
}

/// ✓ all the points, ≈ some, ✗ none.
pub fn quiz_mark(earned: f64, points: f64) -> &'static str {
    if points > 0.0 && earned >= points {
        "✓"
    } else if earned > 0.0 {
        "≈"
    } else {
        "✗"
    }
}

/// Typed text between the language's quotes: `« pwd »`, `"pwd"`.
fn quoted(lang: Lang, s: &str) -> String {
    match lang {
        Lang::Fr => format!("« {s} »"),
        Lang::En => format!("\"{s}\""),
    }
}

/// Whether a count reads in the singular: 0 and 1 in French, 1 in English.
fn singular(lang: Lang, n: f64) -> bool {
    match lang {
        Lang::Fr => n < 2.0,
        Lang::En => n == 1.0,
    }
}

/// `Bases · 5 pts · 4 questions`: a quiz's title, total and size, each named.
pub fn quiz_size(lang: Lang, title: &str, points: f64, questions: i64) -> String {
    let n = if singular(lang, questions as f64) {
        crate::i18n::tf(lang, Key::QzQuestions1, &[&questions.to_string()])
    } else {
        crate::i18n::tf(lang, Key::QzQuestionsN, &[&questions.to_string()])
    };
    let pts = crate::i18n::tf(
        lang,
        if singular(lang, points) {
            Key::QzPt1
        } else {
            Key::QzPtsN
        },
        &[&number(lang, points)],
    );
    crate::i18n::tf(lang, Key::QzPtsQuestions, &[title, &pts, &n])
}

/// What was granted: `+1 tentative, +10 min`, or "aucun".
pub fn quiz_allowance(lang: Lang, extra_attempts: u32, extra_minutes: u32) -> String {
    let mut parts = Vec::new();
    if extra_attempts > 0 {
        parts.push(if extra_attempts == 1 {
            t(lang, Key::QzExtraAttempt1).to_string()
        } else {
            crate::i18n::tf(lang, Key::QzExtraAttempts, &[&extra_attempts.to_string()])
        });
    }
    if extra_minutes > 0 {
        parts.push(crate::i18n::tf(
            lang,
            Key::QzExtraMinutes,
            &[&extra_minutes.to_string()],
        ));
    }
    if parts.is_empty() {
        t(lang, Key::QzGrantedNone).to_string()
    } else {
        parts.join(", ")
    }
}

impl Label for crate::services::courses::CourseStatus {
    fn label(self) -> Key {
        use crate::services::courses::CourseStatus;
        match self {
            CourseStatus::Draft => Key::CourseDraft,
            CourseStatus::Published => Key::CoursePublished,
        }
    }
}

impl Label for crate::services::students::AccountStatus {
    fn label(self) -> Key {
        use crate::services::students::AccountStatus;
        match self {
            AccountStatus::Pending => Key::StatusPending,
            AccountStatus::Active => Key::StatusActive,
            AccountStatus::Disabled => Key::StatusDisabled,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Days and technical demos

const WEEKDAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A moment near `now` as people say it, in `tz`: `aujourd'hui à 14:00`, `demain à
/// 14:00`, `jeudi 3 déc. à 14:00` (`today at 14:00`, `Thursday 3 Dec at 14:00`).
pub fn day_time(lang: Lang, tz: Tz, now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    use chrono::Datelike;
    let local = at.with_timezone(&tz);
    let today = now.with_timezone(&tz).date_naive();
    let time = local.format("%H:%M").to_string();
    let d = local.date_naive();
    if d == today {
        return crate::i18n::tf(lang, Key::DmToday, &[&time]);
    }
    if Some(d) == today.succ_opt() {
        return crate::i18n::tf(lang, Key::DmTomorrow, &[&time]);
    }
    let wd = d.weekday().num_days_from_monday() as usize;
    let m = d.month0() as usize;
    let mut day = match lang {
        Lang::Fr => format!("{} {} {}", WEEKDAYS_FR[wd], d.day(), MONTHS_FR[m]),
        Lang::En => format!("{} {} {}", WEEKDAYS_EN[wd], d.day(), MONTHS_EN[m]),
    };
    if d.year() != today.year() {
        day = format!("{day} {}", d.year());
    }
    crate::i18n::tf(lang, Key::DmOnDay, &[&day, &time])
}

/// The line announcing a demo (a student's home, the lists): live now, starting within
/// the hour (`Démo en direct dans 10 min : Docker multi-stage`), or later (`Démo technique
/// jeudi 3 déc. à 14:00 : …`). The title is cleaned here.
pub fn demo_line(
    lang: Lang,
    tz: Tz,
    now: DateTime<Utc>,
    d: &crate::services::tech_demos::Demo,
) -> String {
    use crate::services::tech_demos::DemoStatus;
    let title = crate::sanitize::line(&d.title);
    match d.status {
        DemoStatus::Live => crate::i18n::tf(lang, Key::DmLineLive, &[&title]),
        DemoStatus::Done => crate::i18n::tf(
            lang,
            Key::DmLineDone,
            &[&day_time(lang, tz, now, d.starts_at), &title],
        ),
        DemoStatus::Planned => {
            let secs = (d.starts_at - now).num_seconds();
            let minutes = (secs + 59).div_euclid(60);
            if minutes <= 0 {
                crate::i18n::tf(lang, Key::DmLineNow, &[&title])
            } else if minutes <= 60 {
                crate::i18n::tf(lang, Key::DmLineSoon, &[&minutes.to_string(), &title])
            } else {
                crate::i18n::tf(
                    lang,
                    Key::DmLineAt,
                    &[&day_time(lang, tz, now, d.starts_at), &title],
                )
            }
        }
    }
}

/// Who a demo is for: `Participants du cours`, or its classes (`Alpha / K1, Beta / K2`).
pub fn demo_audience(lang: Lang, d: &crate::services::tech_demos::Demo) -> String {
    use crate::services::tech_demos::DemoAudience;
    match d.audience {
        DemoAudience::Course => t(lang, Key::DmAudienceCourse).to_string(),
        DemoAudience::Classes if d.classes.is_empty() => t(lang, Key::DmAudienceNobody).to_string(),
        DemoAudience::Classes => d
            .classes
            .iter()
            .map(|c| format!("{} / {}", c.organisation_name, c.name))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

// ---------------------------------------------------------------------------------------
// Numbers and units

/// A number as people read it, at most two decimals: `7`, `7,5` (French) or `7.5`.
pub fn number(lang: Lang, x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    let s = if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_string()
    };
    match lang {
        Lang::Fr => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A duration in hours: `7 h`, `7,5 h` (the unit is in the value, not in the label).
pub fn hours(lang: Lang, h: f64) -> String {
    format!("{} h", number(lang, h))
}

/// A percentage, rounded: `75 %`.
pub fn percent(p: f64) -> String {
    format!("{p:.0} %")
}

// ---------------------------------------------------------------------------------------
// French elision

/// Whether a French word elides the article or preposition before it: a vowel or a
/// (mute) h; a `y` only before a consonant (`d'Yves`, but `de Yasmine`).
fn elides_before(word: &str) -> bool {
    let mut letters = word.chars().flat_map(fold_char);
    match letters.next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'h') => true,
        Some('y') => !matches!(letters.next(), Some('a' | 'e' | 'i' | 'o' | 'u' | 'y')),
        _ => false,
    }
}

/// `de`, `le`, `la`, `que`, `ce`, `je`, `me`, `se`, `ne`, `te` followed by `word`,
/// elided when French wants it: `d'Anne-Sophie`, `de Marie`, `l'École`.
pub fn elide(short: &str, word: &str) -> String {
    let elidable = matches!(
        short,
        "de" | "le" | "la" | "que" | "ce" | "je" | "me" | "se" | "ne" | "te"
    );
    if elidable && elides_before(word) {
        format!("{}'{word}", &short[..short.len() - 1])
    } else {
        format!("{short} {word}")
    }
}

/// `de` before a name: `d'Anne-Sophie`, `de Marie`.
pub fn de(name: &str) -> String {
    elide("de", name)
}

// ---------------------------------------------------------------------------------------
// Collation

/// One character lowercased and without its accents (NFKD, combining marks dropped);
/// ligatures spelled out (œ → oe, æ → ae, ß → ss).
fn fold_char(c: char) -> impl Iterator<Item = char> {
    let mut out = Vec::with_capacity(2);
    for d in c.nfkd().filter(|d| !is_combining_mark(*d)) {
        for l in d.to_lowercase() {
            match l {
                'œ' => out.extend(['o', 'e']),
                'æ' => out.extend(['a', 'e']),
                'ß' => out.extend(['s', 's']),
                'ø' => out.push('o'),
                'đ' => out.push('d'),
                'ł' => out.push('l'),
                l => out.push(l),
            }
        }
    }
    out.into_iter()
}

/// Text folded for searching and comparing: lowercase, accents removed, ligatures spelled
/// out, compatibility forms unified (`ＡＢＣ` → `abc`). `"Étienne CŒUR"` → `"etienne coeur"`.
pub fn fold(s: &str) -> String {
    s.chars().flat_map(fold_char).collect()
}

/// The key by which text is sorted for people: accents and case ignored first (so École
/// sits among the E's and Bénard before Boyer), then accents, then case, so the order
/// is total and stable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    primary: String,
    secondary: String,
    tertiary: String,
}

/// The collation key of `s` (see [`SortKey`]).
pub fn sort_key(s: &str) -> SortKey {
    let s = s.trim();
    SortKey {
        primary: fold(s),
        secondary: s.to_lowercase(),
        tertiary: s.to_string(),
    }
}

/// Compares two texts as people expect them sorted (see [`SortKey`]).
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

/// Sorts `items` by the collation of the texts `key` gives (several texts: the first
/// decides, then the next…).
pub fn sort_by_texts<T, const N: usize>(items: &mut [T], key: impl Fn(&T) -> [&str; N]) {
    items.sort_by_cached_key(|x| key(x).map(sort_key));
}

/// A playback position or length: `0:42`, `12:05`, `1:02:03` (whole seconds, rounded
/// down).
pub fn clock(seconds: f64) -> String {
    let s = if seconds.is_finite() && seconds > 0.0 {
        seconds as u64
    } else {
        0
    };
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn minutes_left_round_up_and_never_say_zero() {
        let t = utc("2026-12-02T10:00:00Z");
        let s = chrono::Duration::seconds;
        assert_eq!(minutes_left(t, t + s(1)), 1);
        assert_eq!(minutes_left(t, t + s(60)), 1);
        assert_eq!(minutes_left(t, t + s(61)), 2);
        assert_eq!(minutes_left(t, t + s(450)), 8);
        assert_eq!(minutes_left(t, t - s(5)), 1);
    }

    #[test]
    fn times_are_local_across_dst() {
        // Winter: UTC+1.
        assert_eq!(
            minute(Paris, utc("2026-01-15T09:34:00Z")),
            "2026-01-15 10:34"
        );
        // Summer: UTC+2.
        assert_eq!(
            second(Paris, utc("2026-07-15T09:34:05Z")),
            "2026-07-15 11:34:05"
        );
        // The night of the spring change: 01:59:59 UTC is 03:59:59, 00:59:59 UTC 01:59:59.
        assert_eq!(
            minute(Paris, utc("2026-03-29T00:59:00Z")),
            "2026-03-29 01:59"
        );
        assert_eq!(
            minute(Paris, utc("2026-03-29T01:00:00Z")),
            "2026-03-29 03:00"
        );
        // The local day, not the UTC one.
        assert_eq!(day(Paris, utc("2026-07-15T22:30:00Z")), "2026-07-16");
        assert_eq!(
            iso(utc("2026-07-15T22:30:00Z")),
            "2026-07-15T22:30:00+00:00"
        );
        let d = NaiveDate::from_ymd_opt(2026, 7, 15).unwrap();
        assert_eq!(start_of_day(Paris, d), utc("2026-07-14T22:00:00Z"));
    }

    #[test]
    fn days_in_words() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let today = d(2026, 11, 20);
        assert_eq!(day_month(Lang::Fr, d(2026, 3, 1), today), "1er mars");
        assert_eq!(day_month(Lang::Fr, d(2026, 1, 12), today), "12 janvier");
        assert_eq!(day_month(Lang::Fr, d(2027, 3, 1), today), "1er mars 2027");
        assert_eq!(day_month(Lang::En, d(2026, 3, 1), today), "March 1");
        assert_eq!(
            day_month(Lang::En, d(2027, 8, 15), today),
            "August 15, 2027"
        );
        // The local day: 23:30 UTC on 28 February is already 1 March in Paris.
        assert_eq!(
            local_date(Paris, utc("2026-02-28T23:30:00Z")),
            d(2026, 3, 1)
        );
    }

    #[test]
    fn typed_times_are_read_in_the_zone() {
        assert_eq!(
            parse_local(Paris, "2026-01-15 10:34", (0, 0)),
            Some(utc("2026-01-15T09:34:00Z"))
        );
        assert_eq!(
            parse_local(Paris, "2026-07-15", (23, 59)),
            Some(utc("2026-07-15T21:59:00Z"))
        );
        // 02:30 does not exist on the night of the spring change.
        assert_eq!(parse_local(Paris, "2026-03-29 02:30", (0, 0)), None);
        // 02:30 happens twice in the autumn: the first one (still UTC+2).
        assert_eq!(
            parse_local(Paris, "2026-10-25 02:30", (0, 0)),
            Some(utc("2026-10-25T00:30:00Z"))
        );
        assert_eq!(parse_local(Paris, "demain", (0, 0)), None);
    }

    #[test]
    fn demo_days_and_lines() {
        use crate::services::tech_demos::{Demo, DemoAudience, DemoStatus};
        // Monday 30 Nov 2026, 09:00 in Paris.
        let now = utc("2026-11-30T08:00:00Z");
        assert_eq!(
            day_time(Lang::Fr, Paris, now, utc("2026-12-03T13:00:00Z")),
            "jeudi 3 déc. à 14:00"
        );
        assert_eq!(
            day_time(Lang::En, Paris, now, utc("2026-12-03T13:00:00Z")),
            "Thursday 3 Dec at 14:00"
        );
        assert_eq!(
            day_time(Lang::Fr, Paris, now, utc("2026-11-30T16:30:00Z")),
            "aujourd'hui à 17:30"
        );
        // 23:30 UTC on the 30th is already the 1st in Paris: tomorrow.
        assert_eq!(
            day_time(Lang::Fr, Paris, now, utc("2026-11-30T23:30:00Z")),
            "demain à 00:30"
        );
        assert_eq!(
            day_time(Lang::Fr, Paris, now, utc("2027-01-04T13:00:00Z")),
            "lundi 4 janv. 2027 à 14:00"
        );
        let mut d = Demo {
            id: 1,
            course_id: 1,
            course_title: "Docker".into(),
            lesson_id: None,
            lesson_title: None,
            title: "Docker multi-stage\x1b[2J".into(),
            description: String::new(),
            starts_at: now + chrono::Duration::seconds(9 * 60 + 30),
            duration_minutes: 30,
            audience: DemoAudience::Course,
            classes: Vec::new(),
            repo_url: None,
            slides_url: None,
            status: DemoStatus::Planned,
            started_at: None,
            ended_at: None,
            recording_file_id: None,
            created_at: now,
            updated_at: now,
        };
        assert_eq!(
            demo_line(Lang::Fr, Paris, now, &d),
            "Démo en direct dans 10 min : Docker multi-stage[2J"
        );
        d.starts_at = utc("2026-12-03T13:00:00Z");
        assert_eq!(
            demo_line(Lang::Fr, Paris, now, &d),
            "Démo technique jeudi 3 déc. à 14:00 : Docker multi-stage[2J"
        );
        d.starts_at = now - chrono::Duration::minutes(5);
        assert!(demo_line(Lang::Fr, Paris, now, &d).starts_with("Démo technique maintenant"));
        d.status = DemoStatus::Live;
        assert!(demo_line(Lang::Fr, Paris, now, &d).starts_with("● EN DIRECT : Docker"));
        assert_eq!(label(Lang::Fr, DemoStatus::Done), "Terminée");
    }

    #[test]
    fn numbers_and_units() {
        assert_eq!(hours(Lang::Fr, 7.0), "7 h");
        assert_eq!(hours(Lang::Fr, 7.5), "7,5 h");
        assert_eq!(hours(Lang::En, 7.25), "7.25 h");
        assert_eq!(number(Lang::Fr, 2.0 / 3.0), "0,67");
        assert_eq!(percent(74.6), "75 %");
    }

    #[test]
    fn labels_come_from_the_catalog() {
        use crate::quiz::QuizKind;
        assert_eq!(label(Lang::Fr, crate::Role::Student), "Étudiant");
        assert_eq!(label(Lang::En, QuizKind::Final), "Final assessment");
    }

    #[test]
    fn french_elision() {
        assert_eq!(de("Anne-Sophie"), "d'Anne-Sophie");
        assert_eq!(de("Marie"), "de Marie");
        assert_eq!(de("Étienne"), "d'Étienne");
        assert_eq!(de("Hugo"), "d'Hugo");
        assert_eq!(de("Yves"), "d'Yves");
        assert_eq!(de("Yasmine"), "de Yasmine");
        assert_eq!(de("3 cibles"), "de 3 cibles");
        assert_eq!(elide("la", "École"), "l'École");
        assert_eq!(elide("que", "il"), "qu'il");
        assert_eq!(elide("pour", "Anne"), "pour Anne");
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Étienne CŒUR à Noël"), "etienne coeur a noel");
        assert_eq!(fold("ＡＢＣ Ñandú Øre Straße"), "abc nandu ore strasse");
    }

    #[test]
    fn collation() {
        let mut v = vec![
            "Boyer", "Zola", "École", "bénard", "Bénard", "Bernard", "Ezra", "eve",
        ];
        v.sort_by(|a, b| compare(a, b));
        assert_eq!(
            v,
            [
                "Bénard", "bénard", "Bernard", "Boyer", "École", "eve", "Ezra", "Zola"
            ]
        );
        // Case only decides between otherwise equal texts (capital first).
        assert_eq!(compare("zola", "Zola"), Ordering::Greater);
        assert_eq!(compare("anne", "Boyer"), Ordering::Less);
        assert_eq!(compare("Bénard", "Boyer"), Ordering::Less);
        assert_eq!(compare("Ecole", "École"), Ordering::Less);
        assert_eq!(compare("  Anne", "Anne"), Ordering::Equal);
        let mut people = vec![("Émile", "Zoé"), ("Durand", "Élise"), ("Durand", "Alain")];
        sort_by_texts(&mut people, |p| [p.0, p.1]);
        assert_eq!(
            people,
            [("Durand", "Alain"), ("Durand", "Élise"), ("Émile", "Zoé")]
        );
    }
}
