//! Fuzzes the GIFT parser (Moodle's quiz format): any input must give questions that
//! pass the quiz checks, or a non-empty list of issues with their lines — never a panic.
//! Whatever parses must write back (`gift::write`) to text that parses to the same
//! questions, and grading any answer must stay within the question's points.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portail::import::describe_issues;
use portail::quiz::{Answer, check, gift};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match gift::parse(&text) {
        Ok(quiz) => {
            assert!(!quiz.questions.is_empty());
            assert!(gift::roundtrip_holds(&text), "write/parse round trip differs");
            for (_, q) in &quiz.questions {
                assert!(check::clean_draft(q).is_ok());
                let n = q.choices.len();
                let answers = [
                    Answer::Choices((0..n).collect()),
                    Answer::Choices(vec![0]),
                    Answer::Choices(vec![n]),
                    Answer::Bool(true),
                    Answer::Text(text.chars().take(40).collect()),
                ];
                for a in &answers {
                    let f = check::question_fraction(q, Some(a));
                    assert!((0.0..=1.0).contains(&f), "fraction {f}");
                }
            }
        }
        Err(issues) => {
            assert!(!issues.is_empty());
            let _ = describe_issues(portail::Lang::Fr, &issues);
        }
    }
});
