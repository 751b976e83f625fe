//! Validation of quiz settings, questions and answers, the short-answer normalisation and
//! the grading rules. Pure functions: the services call them, the tests and the fuzz
//! target exercise them without a database.

use super::{Answer, Choice, QuestionDraft, QuestionKind, QuizSettings};
use crate::i18n::Key;
use crate::import::{Issue, Location};
use crate::validate::invalid;
use crate::{Error, Result};

/// Largest quiz document accepted (JSON or GIFT), in bytes.
pub const MAX_QUIZ_BYTES: usize = 1024 * 1024;
/// Most questions in one quiz.
pub const MAX_QUESTIONS: usize = 300;
/// Most choices in one question.
pub const MAX_CHOICES: usize = 26;
/// Most accepted answers of a short-answer question.
pub const MAX_ACCEPTED: usize = 30;
pub const MAX_TITLE: usize = 200;
pub const MAX_QUESTION_TEXT: usize = 5_000;
pub const MAX_CHOICE_TEXT: usize = 1_000;
pub const MAX_FEEDBACK: usize = 2_000;
/// Longest typed answer a student may save.
pub const MAX_ANSWER_TEXT: usize = 500;
pub const MAX_POINTS: f64 = 1_000.0;
pub const MAX_ATTEMPTS: u32 = 100;
/// One day.
pub const MAX_TIME_LIMIT: u32 = 24 * 60;

/// A problem with one part of a question: which field (as the JSON names it, and as
/// people read it), what is wrong, the value.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftProblem {
    pub field: Key,
    pub path: String,
    pub problem: Key,
    pub value: String,
}

impl DraftProblem {
    fn new(field: Key, path: impl Into<String>, problem: Key, value: impl Into<String>) -> Self {
        DraftProblem {
            field,
            path: path.into(),
            problem,
            value: value.into(),
        }
    }
    pub fn into_error(self) -> Error {
        invalid(self.field, self.problem, &self.value)
    }
    pub fn into_issue(self, location: Location) -> Issue {
        Issue {
            location,
            column: Some(self.path),
            problem: self.problem,
            value: self.value,
        }
    }
}

fn text_line(
    field: Key,
    path: &str,
    value: &str,
    max: usize,
) -> std::result::Result<String, DraftProblem> {
    let v = crate::sanitize::line(value).trim().to_string();
    if v.chars().count() > max {
        return Err(DraftProblem::new(field, path, Key::ProbTooLong, v));
    }
    Ok(v)
}

fn text_multi(
    field: Key,
    path: &str,
    value: &str,
    max: usize,
) -> std::result::Result<String, DraftProblem> {
    let v = crate::sanitize::multiline(&value.replace("\r\n", "\n"))
        .trim()
        .to_string();
    if v.chars().count() > max {
        return Err(DraftProblem::new(field, path, Key::ProbTooLong, v));
    }
    Ok(v)
}

fn optional_multi(
    field: Key,
    path: &str,
    value: Option<&str>,
    max: usize,
) -> std::result::Result<Option<String>, DraftProblem> {
    match value {
        None => Ok(None),
        Some(v) => Ok(Some(text_multi(field, path, v, max)?).filter(|s| !s.is_empty())),
    }
}

/// Checks and cleans a question (trims, strips control characters, drops empty
/// optional parts). Every rule of the kind is checked; the first problem is returned.
pub fn clean_draft(d: &QuestionDraft) -> std::result::Result<QuestionDraft, DraftProblem> {
    let text = text_multi(Key::QzFieldText, "text", &d.text, MAX_QUESTION_TEXT)?;
    if text.is_empty() {
        return Err(DraftProblem::new(
            Key::QzFieldText,
            "text",
            Key::ProbRequired,
            "",
        ));
    }
    let title = match d.title.as_deref() {
        None => None,
        Some(t) => {
            Some(text_line(Key::FieldTitle, "title", t, MAX_TITLE)?).filter(|s| !s.is_empty())
        }
    };
    if !d.points.is_finite() || d.points <= 0.0 || d.points > MAX_POINTS {
        return Err(DraftProblem::new(
            Key::QzFieldPoints,
            "points",
            Key::QzProbPoints,
            d.points.to_string(),
        ));
    }
    let feedback = optional_multi(
        Key::QzFieldFeedback,
        "feedback",
        d.feedback.as_deref(),
        MAX_FEEDBACK,
    )?;
    let not_for_kind =
        |field: Key, path: &str| Err(DraftProblem::new(field, path, Key::QzProbNotForKind, ""));
    let mut choices = Vec::new();
    let mut accepted = Vec::new();
    let mut answer = None;
    match d.kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            if d.answer.is_some() {
                return not_for_kind(Key::QzFieldAnswer, "answer");
            }
            if !d.accepted.is_empty() {
                return not_for_kind(Key::QzFieldAccepted, "accepted");
            }
            if d.choices.len() < 2 {
                return Err(DraftProblem::new(
                    Key::QzFieldChoices,
                    "choices",
                    Key::QzProbTooFewChoices,
                    d.choices.len().to_string(),
                ));
            }
            if d.choices.len() > MAX_CHOICES {
                return Err(DraftProblem::new(
                    Key::QzFieldChoices,
                    "choices",
                    Key::ProbTooMany,
                    d.choices.len().to_string(),
                ));
            }
            for (i, c) in d.choices.iter().enumerate() {
                let path = format!("choices[{i}]");
                let text = text_line(
                    Key::QzFieldChoices,
                    &format!("{path}.text"),
                    &c.text,
                    MAX_CHOICE_TEXT,
                )?;
                if text.is_empty() {
                    return Err(DraftProblem::new(
                        Key::QzFieldChoices,
                        format!("{path}.text"),
                        Key::ProbRequired,
                        "",
                    ));
                }
                if !(-100..=100).contains(&c.credit) {
                    return Err(DraftProblem::new(
                        Key::QzFieldCredit,
                        format!("{path}.credit"),
                        Key::QzProbCredit,
                        c.credit.to_string(),
                    ));
                }
                let feedback = optional_multi(
                    Key::QzFieldFeedback,
                    &format!("{path}.feedback"),
                    c.feedback.as_deref(),
                    MAX_FEEDBACK,
                )?;
                choices.push(Choice {
                    text,
                    credit: c.credit,
                    feedback,
                });
            }
            let positive: i32 = choices.iter().map(|c| c.credit.max(0)).sum();
            if d.kind == QuestionKind::Single {
                let right = choices.iter().filter(|c| c.credit == 100).count();
                if right == 0 {
                    return Err(DraftProblem::new(
                        Key::QzFieldChoices,
                        "choices",
                        Key::QzProbNoRightChoice,
                        "",
                    ));
                }
                // A student can tick only one: a second right answer is a mistake (or
                // a multiple choice). Named by the question's text, whatever the door.
                if right > 1 {
                    return Err(DraftProblem::new(
                        Key::QzFieldChoices,
                        "choices",
                        Key::QzProbSeveralRight,
                        text.clone(),
                    ));
                }
            } else if !(99..=100).contains(&positive) {
                return Err(DraftProblem::new(
                    Key::QzFieldChoices,
                    "choices",
                    Key::QzProbCreditsSum,
                    format!("{positive} %"),
                ));
            }
        }
        QuestionKind::TrueFalse => {
            if !d.choices.is_empty() {
                return not_for_kind(Key::QzFieldChoices, "choices");
            }
            if !d.accepted.is_empty() {
                return not_for_kind(Key::QzFieldAccepted, "accepted");
            }
            match d.answer {
                Some(b) => answer = Some(b),
                None => {
                    return Err(DraftProblem::new(
                        Key::QzFieldAnswer,
                        "answer",
                        Key::QzProbTrueFalse,
                        "",
                    ));
                }
            }
        }
        QuestionKind::Short => {
            if !d.choices.is_empty() {
                return not_for_kind(Key::QzFieldChoices, "choices");
            }
            if d.answer.is_some() {
                return not_for_kind(Key::QzFieldAnswer, "answer");
            }
            if d.accepted.len() > MAX_ACCEPTED {
                return Err(DraftProblem::new(
                    Key::QzFieldAccepted,
                    "accepted",
                    Key::ProbTooMany,
                    d.accepted.len().to_string(),
                ));
            }
            let mut seen = Vec::new();
            for (i, a) in d.accepted.iter().enumerate() {
                let path = format!("accepted[{i}]");
                let v = text_line(Key::QzFieldAccepted, &path, a, MAX_ANSWER_TEXT)?;
                let n = normalize_short(&v);
                if n.is_empty() {
                    return Err(DraftProblem::new(
                        Key::QzFieldAccepted,
                        path,
                        Key::ProbRequired,
                        "",
                    ));
                }
                if !seen.contains(&n) {
                    seen.push(n);
                    accepted.push(v);
                }
            }
            if accepted.is_empty() {
                return Err(DraftProblem::new(
                    Key::QzFieldAccepted,
                    "accepted",
                    Key::QzProbNoAccepted,
                    "",
                ));
            }
        }
    }
    Ok(QuestionDraft {
        kind: d.kind,
        title,
        text,
        points: d.points,
        choices,
        answer,
        accepted,
        feedback,
    })
}

/// Warnings about a valid question: accepted, but probably not what the author meant.
pub fn draft_warnings(d: &QuestionDraft) -> Vec<(String, Key)> {
    let mut out = Vec::new();
    if d.kind == QuestionKind::Multiple && !d.choices.iter().any(|c| c.credit < 0) {
        out.push(("choices".to_string(), Key::QzWarnNoPenalty));
    }
    out
}

/// Whether a quiz with these questions may be published: at least one question, and
/// every question valid by today's rules (stored ones may predate a rule). The refusal
/// names the first bad question by its number and text.
pub fn publishable(questions: &[QuestionDraft]) -> Result<()> {
    if questions.is_empty() {
        return Err(Error::Invalid(Key::QzErrPublishEmpty));
    }
    for (i, q) in questions.iter().enumerate() {
        if let Err(p) = clean_draft(q) {
            let text = crate::sanitize::line(&q.text).trim().to_string();
            return Err(Error::InvalidField {
                field: Key::EntQuestion,
                problem: p.problem,
                value: format!("{}. {text}", i + 1),
            });
        }
    }
    Ok(())
}

/// Checks a grant of extra attempts and minutes to one student: something to give,
/// within the quiz limits, and only what the quiz limits (no extra attempt on unlimited
/// attempts, no extra time on an untimed quiz).
pub fn check_grant(s: &QuizSettings, extra_attempts: u32, extra_minutes: u32) -> Result<()> {
    if extra_attempts == 0 && extra_minutes == 0 {
        return Err(Error::Invalid(Key::QzErrGrantNothing));
    }
    if extra_attempts > MAX_ATTEMPTS {
        return Err(invalid(
            Key::QzFieldExtraAttempts,
            Key::QzProbAttempts,
            &extra_attempts.to_string(),
        ));
    }
    if extra_minutes > MAX_TIME_LIMIT {
        return Err(invalid(
            Key::QzFieldExtraMinutes,
            Key::QzProbTimeLimit,
            &extra_minutes.to_string(),
        ));
    }
    if extra_attempts > 0 && s.max_attempts.is_none() {
        return Err(invalid(
            Key::QzFieldExtraAttempts,
            Key::QzProbUnlimitedAttempts,
            &extra_attempts.to_string(),
        ));
    }
    if extra_minutes > 0 && s.time_limit_minutes.is_none() {
        return Err(invalid(
            Key::QzFieldExtraMinutes,
            Key::QzProbUntimed,
            &extra_minutes.to_string(),
        ));
    }
    Ok(())
}

/// Checks and cleans a quiz's settings.
pub fn clean_settings(s: &QuizSettings) -> Result<QuizSettings> {
    let title = crate::validate::required(Key::FieldTitle, &s.title, MAX_TITLE)?;
    if s.pass_percent > 100 {
        return Err(invalid(
            Key::QzFieldPass,
            Key::QzProbPercent,
            &s.pass_percent.to_string(),
        ));
    }
    if let Some(n) = s.max_attempts
        && !(1..=MAX_ATTEMPTS).contains(&n)
    {
        return Err(invalid(
            Key::QzFieldAttempts,
            Key::QzProbAttempts,
            &n.to_string(),
        ));
    }
    if let Some(n) = s.time_limit_minutes
        && !(1..=MAX_TIME_LIMIT).contains(&n)
    {
        return Err(invalid(
            Key::QzFieldTimeLimit,
            Key::QzProbTimeLimit,
            &n.to_string(),
        ));
    }
    if let (Some(o), Some(c)) = (s.opens_at, s.closes_at)
        && c <= o
    {
        return Err(invalid(
            Key::QzFieldCloses,
            Key::QzProbClosesBeforeOpens,
            &c.to_rfc3339(),
        ));
    }
    Ok(QuizSettings { title, ..s.clone() })
}

/// Short answers are compared after this: folded as everywhere ([`crate::present::fold`]:
/// accents removed, lower case, ligatures spelled out), spaces trimmed and collapsed,
/// typographic apostrophes and dashes made plain.
pub fn normalize_short(s: &str) -> String {
    let folded: String = crate::present::fold(s)
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' => '\'',
            '\u{2010}'..='\u{2015}' => '-',
            c => c,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks a student's answer against the question's kind and cleans it (sorted, unique
/// choice indexes; trimmed text). Refused: wrong type, index out of range, several
/// choices on a single-choice question, a text too long.
pub fn clean_answer(d: &QuestionDraft, a: &Answer) -> Result<Answer> {
    let bad = || Error::Invalid(Key::QzErrBadAnswer);
    match (d.kind, a) {
        (QuestionKind::Single | QuestionKind::Multiple, Answer::Choices(v)) => {
            let mut v = v.clone();
            v.sort_unstable();
            v.dedup();
            if v.iter().any(|i| *i >= d.choices.len()) {
                return Err(bad());
            }
            if d.kind == QuestionKind::Single && v.len() > 1 {
                return Err(bad());
            }
            Ok(Answer::Choices(v))
        }
        (QuestionKind::TrueFalse, Answer::Bool(b)) => Ok(Answer::Bool(*b)),
        (QuestionKind::Short, Answer::Text(t)) => {
            let t = crate::sanitize::line(t).trim().to_string();
            if t.chars().count() > MAX_ANSWER_TEXT {
                return Err(invalid(Key::QzFieldAnswer, Key::ProbTooLong, &t));
            }
            Ok(Answer::Text(t))
        }
        _ => Err(bad()),
    }
}

/// The share of the question's points an answer earns, 0.0..=1.0.
///
/// - single choice: the credit of the selected choice (negative counts as 0);
/// - multiple choice: the sum of the credits of the selected choices, clamped to
///   0..=100 %; selecting every positive choice and no negative one earns 100 % even when
///   the credits add up to 99 (three thirds);
/// - true/false: all or nothing;
/// - short answer: all or nothing, compared after [`normalize_short`].
pub fn question_fraction(d: &QuestionDraft, a: Option<&Answer>) -> f64 {
    let Some(a) = a else { return 0.0 };
    match (d.kind, a) {
        (QuestionKind::Single, Answer::Choices(v)) => match v.as_slice() {
            [i] => d
                .choices
                .get(*i)
                .map(|c| f64::from(c.credit.clamp(0, 100)) / 100.0)
                .unwrap_or(0.0),
            _ => 0.0,
        },
        (QuestionKind::Multiple, Answer::Choices(v)) => {
            let mut v = v.clone();
            v.sort_unstable();
            v.dedup();
            if v.iter().any(|i| *i >= d.choices.len()) {
                return 0.0;
            }
            let sum: i32 = v.iter().map(|i| d.choices[*i].credit).sum();
            let positive: i32 = d.choices.iter().map(|c| c.credit.max(0)).sum();
            let all_right = d
                .choices
                .iter()
                .enumerate()
                .all(|(i, c)| (c.credit > 0) == v.contains(&i) || c.credit == 0);
            if positive > 0 && sum >= positive && all_right {
                1.0
            } else {
                f64::from(sum.clamp(0, 100)) / 100.0
            }
        }
        (QuestionKind::TrueFalse, Answer::Bool(b)) => f64::from(u8::from(d.answer == Some(*b))),
        (QuestionKind::Short, Answer::Text(t)) => {
            let n = normalize_short(t);
            if !n.is_empty() && d.accepted.iter().any(|a| normalize_short(a) == n) {
                1.0
            } else {
                0.0
            }
        }
        _ => 0.0,
    }
}

/// A score as shown: rounded to two decimals.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(text: &str, credit: i32) -> Choice {
        Choice {
            text: text.into(),
            credit,
            feedback: None,
        }
    }

    fn draft(kind: QuestionKind) -> QuestionDraft {
        QuestionDraft {
            kind,
            title: None,
            text: "Question ?".into(),
            points: 2.0,
            choices: vec![],
            answer: None,
            accepted: vec![],
            feedback: None,
        }
    }

    #[test]
    fn single_choice_grading_with_partial_and_negative_credit() {
        let mut d = draft(QuestionKind::Single);
        d.choices = vec![
            choice("Paris", 100),
            choice("Lyon", 50),
            choice("Nice", -50),
        ];
        assert!(clean_draft(&d).is_ok());
        let f = |v: Vec<usize>| question_fraction(&d, Some(&Answer::Choices(v)));
        assert_eq!(f(vec![0]), 1.0);
        assert_eq!(f(vec![1]), 0.5);
        assert_eq!(f(vec![2]), 0.0, "negative credit is clamped to 0");
        assert_eq!(f(vec![]), 0.0);
        assert_eq!(
            f(vec![0, 1]),
            0.0,
            "two choices on a single choice earn nothing"
        );
        assert_eq!(question_fraction(&d, None), 0.0);
        assert_eq!(question_fraction(&d, Some(&Answer::Bool(true))), 0.0);
        assert!(clean_answer(&d, &Answer::Choices(vec![0, 1])).is_err());
        assert!(clean_answer(&d, &Answer::Choices(vec![3])).is_err());
        assert!(clean_answer(&d, &Answer::Text("Paris".into())).is_err());
    }

    #[test]
    fn multiple_choice_partial_credit_and_clamping() {
        let mut d = draft(QuestionKind::Multiple);
        d.choices = vec![
            choice("a", 50),
            choice("b", 50),
            choice("c", -100),
            choice("d", -50),
        ];
        assert!(clean_draft(&d).is_ok());
        let f = |v: Vec<usize>| question_fraction(&d, Some(&Answer::Choices(v)));
        assert_eq!(f(vec![0, 1]), 1.0);
        assert_eq!(f(vec![1, 0, 0]), 1.0, "duplicates count once");
        assert_eq!(f(vec![0]), 0.5);
        assert_eq!(f(vec![0, 3]), 0.0);
        assert_eq!(f(vec![0, 1, 3]), 0.5);
        assert_eq!(f(vec![0, 1, 2, 3]), 0.0, "negative total is clamped to 0");
        assert_eq!(f(vec![2]), 0.0);
        assert_eq!(f(vec![9]), 0.0);
        // Three thirds: the right set earns everything although 33 × 3 = 99.
        d.choices = vec![
            choice("a", 33),
            choice("b", 33),
            choice("c", 33),
            choice("d", -100),
        ];
        assert!(clean_draft(&d).is_ok());
        assert_eq!(
            question_fraction(&d, Some(&Answer::Choices(vec![0, 1, 2]))),
            1.0
        );
        assert_eq!(
            question_fraction(&d, Some(&Answer::Choices(vec![0, 1]))),
            0.66
        );
        // Positive credits must add up to 100 %.
        d.choices = vec![choice("a", 50), choice("b", 20)];
        assert_eq!(clean_draft(&d).unwrap_err().problem, Key::QzProbCreditsSum);
    }

    #[test]
    fn true_false_and_short_answer() {
        let mut d = draft(QuestionKind::TrueFalse);
        assert_eq!(clean_draft(&d).unwrap_err().problem, Key::QzProbTrueFalse);
        d.answer = Some(false);
        let d = clean_draft(&d).unwrap();
        assert_eq!(question_fraction(&d, Some(&Answer::Bool(false))), 1.0);
        assert_eq!(question_fraction(&d, Some(&Answer::Bool(true))), 0.0);

        let mut s = draft(QuestionKind::Short);
        assert_eq!(clean_draft(&s).unwrap_err().problem, Key::QzProbNoAccepted);
        s.accepted = vec![
            "Élysée".into(),
            "  palais de l’Élysée ".into(),
            "ELYSEE".into(),
        ];
        let s = clean_draft(&s).unwrap();
        assert_eq!(
            s.accepted.len(),
            2,
            "duplicates after normalisation are dropped"
        );
        for given in [
            "elysee",
            "  ÉLYSÉE ",
            "Palais  de l'elysee",
            "palais de l\u{2019}Élysée",
        ] {
            assert_eq!(
                question_fraction(&s, Some(&Answer::Text(given.into()))),
                1.0,
                "{given}"
            );
        }
        for given in ["", "elyse", "palais"] {
            assert_eq!(
                question_fraction(&s, Some(&Answer::Text(given.into()))),
                0.0
            );
        }
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalize_short("  Ça   VA\tbien  "), "ca va bien");
        assert_eq!(normalize_short("Noël"), "noel");
        assert_eq!(normalize_short("ＡＢＣ"), "abc");
        assert_eq!(normalize_short("Cœur"), normalize_short("coeur"));
    }

    #[test]
    fn drafts_are_checked_and_cleaned() {
        let mut d = draft(QuestionKind::Single);
        d.choices = vec![choice("a", 50), choice("b", 0)];
        assert_eq!(
            clean_draft(&d).unwrap_err().problem,
            Key::QzProbNoRightChoice
        );
        d.choices = vec![choice("a", 100)];
        assert_eq!(
            clean_draft(&d).unwrap_err().problem,
            Key::QzProbTooFewChoices
        );
        d.choices = vec![choice("a", 100), choice("  ", 0)];
        let e = clean_draft(&d).unwrap_err();
        assert_eq!(
            (e.problem, e.path.as_str()),
            (Key::ProbRequired, "choices[1].text")
        );
        d.choices = vec![choice("a", 100), choice("b", 150)];
        assert_eq!(clean_draft(&d).unwrap_err().problem, Key::QzProbCredit);
        d.choices = vec![choice("a\x1b[2J", 100), choice("b", 0)];
        d.points = 0.0;
        assert_eq!(clean_draft(&d).unwrap_err().problem, Key::QzProbPoints);
        d.points = f64::NAN;
        assert_eq!(clean_draft(&d).unwrap_err().problem, Key::QzProbPoints);
        d.points = 1.5;
        let c = clean_draft(&d).unwrap();
        assert_eq!(c.choices[0].text, "a[2J");
        d.answer = Some(true);
        assert_eq!(clean_draft(&d).unwrap_err().problem, Key::QzProbNotForKind);
        d.answer = None;
        d.text = "x".repeat(MAX_QUESTION_TEXT + 1);
        assert_eq!(clean_draft(&d).unwrap_err().problem, Key::ProbTooLong);
        let e = clean_draft(&d).unwrap_err().into_error();
        assert!(
            e.user_message(crate::Lang::Fr)
                .starts_with("Énoncé : trop long")
        );
    }

    #[test]
    fn settings_are_checked() {
        let mut s = QuizSettings {
            title: " Test ".into(),
            ..Default::default()
        };
        assert_eq!(clean_settings(&s).unwrap().title, "Test");
        s.pass_percent = 101;
        assert!(clean_settings(&s).is_err());
        s.pass_percent = 60;
        s.max_attempts = Some(0);
        assert!(clean_settings(&s).is_err());
        s.max_attempts = Some(3);
        s.time_limit_minutes = Some(0);
        assert!(clean_settings(&s).is_err());
        s.time_limit_minutes = Some(30);
        let now = chrono::Utc::now();
        s.opens_at = Some(now);
        s.closes_at = Some(now - chrono::Duration::hours(1));
        assert!(clean_settings(&s).is_err());
        s.closes_at = Some(now + chrono::Duration::hours(1));
        assert!(clean_settings(&s).is_ok());
        s.title = "  ".into();
        assert!(clean_settings(&s).is_err());
    }
}
