//! `quiz …`: authoring, import/export and results for trainers; the list
//! of quizzes and one's own results for students. Thin calls into the quiz services,
//! which authorize every call themselves.

use clap::Subcommand;
use portail::i18n::{Key, t, tf};
use portail::present::{self, Label};
use portail::quiz::check::MAX_QUIZ_BYTES;
use portail::quiz::{QuizFormat, QuizKind, QuizSummary, StudentAttempts};
use portail::{Error, Role, sanitize};

use super::common::{Ctx, Fail, Family, Out, Stdin, json, line_out, or_dash};

pub const FAMILY: Family = Family::both(
    "quiz",
    Key::XhQuiz,
    Key::ExecHelpQuizTrainer,
    Key::ExecHelpQuizStudent,
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuizFormatArg {
    Json,
    Gift,
}

impl From<QuizFormatArg> for QuizFormat {
    fn from(f: QuizFormatArg) -> Self {
        match f {
            QuizFormatArg::Json => QuizFormat::Json,
            QuizFormatArg::Gift => QuizFormat::Gift,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum QuizCmd {
    #[command(about = Key::XhQuizList.name())]
    List {
        #[arg(long, help = Key::XaFilterCourse.name())]
        course: Option<String>,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhQuizShow.name())]
    Show {
        quiz: String,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhQuizImport.name())]
    Import {
        course: String,
        #[arg(long, help = Key::XaQuizKind.name())]
        kind: Option<String>,
        #[arg(long, value_enum, help = Key::XaQuizFormat.name())]
        format: Option<QuizFormatArg>,
        #[arg(long, help = Key::XaQuizDryRun.name())]
        dry_run: bool,
    },
    #[command(about = Key::XhQuizExport.name())]
    Export {
        quiz: String,
        #[arg(long, value_enum, help = Key::XaQuizFormat.name())]
        format: Option<QuizFormatArg>,
    },
    #[command(about = Key::XhQuizResults.name())]
    Results {
        quiz: Option<String>,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhQuizProgression.name())]
    Progression {
        course: String,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhQuizPublish.name())]
    Publish { quiz: String },
    #[command(about = Key::XhQuizUnpublish.name())]
    Unpublish { quiz: String },
    #[command(about = Key::XhQuizAttempts.name())]
    Attempts {
        quiz: String,
        #[arg(help = Key::XaQuizStudent.name())]
        student: String,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhQuizGrant.name())]
    Grant {
        quiz: String,
        #[arg(help = Key::XaQuizStudent.name())]
        student: String,
        #[arg(long, help = Key::XaExtraAttempts.name())]
        attempts: Option<u32>,
        #[arg(long, help = Key::XaExtraMinutes.name())]
        minutes: Option<u32>,
    },
    #[command(about = Key::XhQuizRm.name())]
    Rm {
        quiz: String,
        #[arg(long, help = Key::XaQuizYes.name())]
        yes: bool,
    },
}

fn pct(p: Option<f64>) -> String {
    p.map(|p| format!("{p} %")).unwrap_or_else(|| "—".into())
}

impl Ctx<'_> {
    /// "Title (kind) — course", the first line of a quiz and of its results.
    fn quiz_heading(&self, q: &QuizSummary) -> String {
        format!(
            "{} ({}) — {}",
            sanitize::line(&q.settings.title),
            t(self.lang, q.settings.kind.label()),
            sanitize::line(&q.course_title)
        )
    }

    fn yes_no(&self, b: bool) -> &'static str {
        t(self.lang, if b { Key::QzYes } else { Key::QzNo })
    }

    pub async fn quiz(&self, cmd: QuizCmd, stdin: &mut impl Stdin) -> Out {
        let (p, a) = (self.portail, self.actor);
        match cmd {
            QuizCmd::List {
                course,
                json: as_json,
            } => {
                if a.role == Role::Student {
                    let mine = p.my_quizzes(a).await?;
                    return self.listing(as_json, &mine, Key::QzNone, |q| {
                        vec![
                            (Key::OutId, q.id.to_string()),
                            (Key::QzColQuiz, q.title.clone()),
                            (Key::QzColKind, t(self.lang, q.kind.label()).into()),
                            (Key::QzColCourse, q.course_title.clone()),
                            (Key::QzColQuestions, q.question_count.to_string()),
                            (
                                Key::QzColAttempts,
                                match q.max_attempts {
                                    Some(m) => format!("{}/{m}", q.attempts_used),
                                    None => q.attempts_used.to_string(),
                                },
                            ),
                            (Key::QzColState, present::quiz_status(self.lang, q)),
                            (Key::QzColBest, pct(q.best_percent)),
                        ]
                    });
                }
                let course = match course {
                    Some(c) => Some(p.course_resolve(a, &c).await?),
                    None => None,
                };
                let list = p.quiz_list(a, course).await?;
                self.listing(as_json, &list, Key::QzNone, |q| {
                    vec![
                        (Key::OutId, q.id.to_string()),
                        (Key::QzColQuiz, q.settings.title.clone()),
                        (Key::QzColKind, t(self.lang, q.settings.kind.label()).into()),
                        (Key::QzColCourse, q.course_title.clone()),
                        (Key::QzColQuestions, q.question_count.to_string()),
                        (Key::QzColPoints, q.total_points.to_string()),
                        (Key::QzColAttempts, q.attempt_count.to_string()),
                        (
                            Key::QzColState,
                            t(
                                self.lang,
                                if q.settings.published {
                                    Key::QzPublished
                                } else {
                                    Key::QzDraft
                                },
                            )
                            .into(),
                        ),
                    ]
                })
            }
            QuizCmd::Show {
                quiz,
                json: as_json,
            } => {
                let d = p.quiz_get(a, p.quiz_resolve(a, &quiz).await?).await?;
                self.json_or(as_json, &d, |d| {
                    let s = &d.summary.settings;
                    let mut out = format!("{}\n", self.quiz_heading(&d.summary));
                    out.push_str(&format!(
                        "{} : {} % · {} : {} · {} : {}\n",
                        t(self.lang, Key::QzFieldPass),
                        s.pass_percent,
                        t(self.lang, Key::QzFieldAttempts),
                        or_dash(s.max_attempts),
                        t(self.lang, Key::QzFieldTimeLimit),
                        or_dash(s.time_limit_minutes),
                    ));
                    for q in &d.questions {
                        out.push_str(&format!(
                            "\n{}. [{}, {} pt] {}\n",
                            q.position,
                            t(self.lang, q.draft.kind.label()),
                            q.draft.points,
                            sanitize::line(&q.draft.text)
                        ));
                        for c in &q.draft.choices {
                            out.push_str(&format!(
                                "   {:>4} %  {}\n",
                                c.credit,
                                sanitize::line(&c.text)
                            ));
                        }
                        if let Some(b) = q.draft.answer {
                            let answer = t(self.lang, if b { Key::QtTrue } else { Key::QtFalse });
                            out.push_str(&format!("   → {answer}\n"));
                        }
                        for acc in &q.draft.accepted {
                            out.push_str(&format!("   = {}\n", sanitize::line(acc)));
                        }
                    }
                    Ok(out)
                })
            }
            QuizCmd::Import {
                course,
                kind,
                format,
                dry_run,
            } => {
                // Resolve (and authorize) before reading anything.
                let course = p.course_resolve(a, &course).await?;
                let kind = match kind {
                    Some(k) => Some(QuizKind::parse(&k).ok_or_else(|| Error::InvalidField {
                        field: Key::QzFieldKind,
                        problem: Key::QzProbKind,
                        value: k.clone(),
                    })?),
                    None => None,
                };
                let bytes = stdin
                    .read_all(MAX_QUIZ_BYTES)
                    .await
                    .ok_or(Error::Invalid(Key::QzErrTooLarge))?;
                let text = String::from_utf8_lossy(&bytes);
                let format = format.map(QuizFormat::from).unwrap_or_else(|| {
                    if text
                        .trim_start_matches('\u{feff}')
                        .trim_start()
                        .starts_with('{')
                    {
                        QuizFormat::Json
                    } else {
                        QuizFormat::Gift
                    }
                });
                let r = p
                    .quiz_import(a, course, format, &text, kind, dry_run)
                    .await?;
                let title = sanitize::line(&r.title).into_owned();
                let (n, pts) = (r.question_count.to_string(), r.total_points.to_string());
                let mut out = match r.quiz_id {
                    Some(id) => tf(
                        self.lang,
                        Key::QzImported,
                        &[&title, &id.to_string(), &n, &pts],
                    ),
                    None => tf(self.lang, Key::QzDryRun, &[&title, &n, &pts]),
                };
                out.push('\n');
                if !r.warnings.is_empty() {
                    out.push_str(&format!("{}\n", t(self.lang, Key::QzWarnings)));
                    for w in &r.warnings {
                        out.push_str(&format!(
                            "  {}\n",
                            portail::import::describe_issue(self.lang, w)
                        ));
                    }
                }
                Ok(out)
            }
            QuizCmd::Export { quiz, format } => {
                let id = p.quiz_resolve(a, &quiz).await?;
                let format = format.map(QuizFormat::from).unwrap_or_default();
                Ok(p.quiz_export(a, id, format).await?)
            }
            QuizCmd::Results {
                quiz,
                json: as_json,
            } => {
                if a.role == Role::Student {
                    return self.my_results(quiz, as_json).await;
                }
                let Some(quiz) = quiz else {
                    return Err(Fail::Message(self.t(Key::ExpNeedsQuiz).to_string()));
                };
                let r = p.quiz_results(a, p.quiz_resolve(a, &quiz).await?).await?;
                self.json_or(as_json, &r, |r| {
                    let s = &r.quiz.settings;
                    let mut out = format!(
                        "{} · {} : {} %\n\n",
                        self.quiz_heading(&r.quiz),
                        t(self.lang, Key::QzFieldPass),
                        s.pass_percent
                    );
                    let rows: Vec<Vec<String>> = r
                        .students
                        .iter()
                        .map(|s| {
                            vec![
                                s.name.clone(),
                                s.email.clone(),
                                s.attempts.to_string(),
                                pct(s.best_percent),
                                pct(s.last_percent),
                                or_dash(s.last_submitted_at.map(|d| p.local_time(d))),
                                if s.attempts > 0 {
                                    self.yes_no(s.passed).into()
                                } else {
                                    "—".into()
                                },
                            ]
                        })
                        .collect();
                    out.push_str(&self.rows_or(
                        &[
                            Key::QzColStudent,
                            Key::FieldEmail,
                            Key::QzColAttempts,
                            Key::QzColBest,
                            Key::QzColLast,
                            Key::QzColDate,
                            Key::QzColPassed,
                        ],
                        &rows,
                        Key::QzNoResults,
                    ));
                    out.push_str(&format!("\n{}\n", t(self.lang, Key::QzPerQuestion)));
                    let rows: Vec<Vec<String>> = r
                        .questions
                        .iter()
                        .map(|q| {
                            let text: String = q.text.chars().take(60).collect();
                            vec![
                                q.position.to_string(),
                                text,
                                q.answered.to_string(),
                                pct(q.success_percent),
                            ]
                        })
                        .collect();
                    out.push_str(&self.rows_or(
                        &[
                            Key::OutId,
                            Key::QzColQuestions,
                            Key::QzColAnswered,
                            Key::QzColSuccess,
                        ],
                        &rows,
                        Key::QzNoResults,
                    ));
                    Ok(out)
                })
            }
            QuizCmd::Progression {
                course,
                json: as_json,
            } => {
                let rows = p
                    .quiz_progression(a, p.course_resolve(a, &course).await?)
                    .await?;
                self.json_or(as_json, &rows, |rows| {
                    let table_rows: Vec<Vec<String>> = rows
                        .iter()
                        .map(|r| {
                            vec![
                                r.name.clone(),
                                r.email.clone(),
                                pct(r.positioning_percent),
                                pct(r.final_percent),
                                match (r.positioning_percent, r.final_percent) {
                                    (Some(a), Some(b)) => {
                                        format!("{:+} pts", ((b - a) * 100.0).round() / 100.0)
                                    }
                                    _ => "—".into(),
                                },
                            ]
                        })
                        .collect();
                    let mut out = format!("{}\n", t(self.lang, Key::QzProgressionTitle));
                    out.push_str(&self.rows_or(
                        &[
                            Key::QzColStudent,
                            Key::FieldEmail,
                            Key::QzColPositioning,
                            Key::QzColFinal,
                            Key::OutProgress,
                        ],
                        &table_rows,
                        Key::QzNoResults,
                    ));
                    Ok(out)
                })
            }
            QuizCmd::Publish { quiz } => self.set_published(&quiz, true).await,
            QuizCmd::Unpublish { quiz } => self.set_published(&quiz, false).await,
            QuizCmd::Attempts {
                quiz,
                student,
                json: as_json,
            } => {
                let id = p.quiz_resolve(a, &quiz).await?;
                let student = p.student_resolve(a, &student).await?;
                let r = p.quiz_student_attempts(a, id, student).await?;
                self.json_or(as_json, &r, |r| Ok(self.attempts_text(r)))
            }
            QuizCmd::Grant {
                quiz,
                student,
                attempts,
                minutes,
            } => {
                let id = p.quiz_resolve(a, &quiz).await?;
                let student = p.student_resolve(a, &student).await?;
                let (extra_a, extra_m) = (attempts.unwrap_or(0), minutes.unwrap_or(0));
                let r = p.quiz_grant(a, id, student, extra_a, extra_m).await?;
                let mut out = tf(
                    self.lang,
                    Key::QzGranted,
                    &[
                        &sanitize::line(&r.name),
                        &sanitize::line(&r.quiz.settings.title),
                        &present::quiz_allowance(self.lang, extra_a, extra_m),
                    ],
                );
                out.push_str(&format!(
                    "\n{} : {}\n",
                    t(self.lang, Key::QzAllowance),
                    present::quiz_allowance(self.lang, r.extra_attempts, r.extra_minutes)
                ));
                Ok(out)
            }
            QuizCmd::Rm { quiz, yes } => {
                let id = p.quiz_resolve(a, &quiz).await?;
                p.quiz_delete(a, id, yes).await?;
                line_out(t(self.lang, Key::QzDeleted).into())
            }
        }
    }

    /// A student's attempts, each question with the answer given, the answer expected
    /// and the points (✓ right, ≈ partly, ✗ wrong).
    fn attempts_text(&self, r: &StudentAttempts) -> String {
        let lang = self.lang;
        let mut out = format!(
            "{} <{}> — {}\n{} : {}\n",
            sanitize::line(&r.name),
            sanitize::line(&r.email),
            self.quiz_heading(&r.quiz),
            t(lang, Key::QzAllowance),
            present::quiz_allowance(lang, r.extra_attempts, r.extra_minutes),
        );
        if r.attempts.is_empty() {
            out.push_str(&format!("\n{}\n", t(lang, Key::QzNoAttempt)));
        }
        for (n, at) in r.attempts.iter().enumerate() {
            let state = match (at.submitted_at, at.score, at.max_score) {
                (Some(done), Some(s), Some(m)) => {
                    let mut st = format!(
                        "{} · {} ({}) · {}",
                        self.minute(done),
                        present::score(lang, s, m),
                        present::percent(at.percent.unwrap_or(0.0)),
                        t(
                            lang,
                            if at.passed == Some(true) {
                                Key::QzStPassed
                            } else {
                                Key::QzStFailed
                            }
                        ),
                    );
                    if at.timed_out {
                        st.push_str(&format!(" · {}", t(lang, Key::QzTimedOut)));
                    }
                    st
                }
                _ => tf(
                    lang,
                    Key::QzAttemptInProgress,
                    &[&self.minute(at.started_at)],
                ),
            };
            out.push_str(&format!(
                "\n{}\n",
                tf(lang, Key::QzAttemptN, &[&(n + 1).to_string(), &state])
            ));
            for (i, c) in at.answers.iter().enumerate() {
                let Some(q) = &c.expected else { continue };
                out.push_str(&format!(
                    "  {} {}. {} — {}\n     {} {}\n     {} {}\n",
                    present::quiz_mark(c.earned, c.points),
                    i + 1,
                    sanitize::line(&q.text),
                    present::score(lang, c.earned, c.points),
                    t(lang, Key::QzGivenAnswer),
                    sanitize::line(&present::quiz_answer(lang, c.given.as_ref(), q)),
                    t(lang, Key::QzRightAnswer),
                    sanitize::line(&present::quiz_expected(lang, q)),
                ));
            }
        }
        out
    }

    async fn set_published(&self, quiz: &str, published: bool) -> Out {
        let (p, a) = (self.portail, self.actor);
        let id = p.quiz_resolve(a, quiz).await?;
        let mut s = p.quiz_get(a, id).await?.summary.settings;
        s.published = published;
        p.quiz_update_settings(a, id, s).await?;
        line_out(
            t(
                self.lang,
                if published {
                    Key::QzPublishedNow
                } else {
                    Key::QzUnpublishedNow
                },
            )
            .into(),
        )
    }

    /// A student's own results: every submitted attempt, optionally of one quiz.
    async fn my_results(&self, quiz: Option<String>, as_json: bool) -> Out {
        let (p, a) = (self.portail, self.actor);
        let id = match quiz {
            Some(q) => Some(p.quiz_resolve(a, &q).await?),
            None => None,
        };
        let results = p.my_quiz_results(a, id).await?;
        if as_json {
            return json(&results);
        }
        let titles: Vec<(i64, String)> = p
            .my_quizzes(a)
            .await?
            .into_iter()
            .map(|q| (q.id, q.title))
            .collect();
        let rows: Vec<Vec<String>> = results
            .iter()
            .map(|r| {
                let title = titles
                    .iter()
                    .find(|(id, _)| *id == r.quiz_id)
                    .map_or_else(|| r.quiz_id.to_string(), |(_, t)| t.clone());
                let mut score = format!("{}/{} ({} %)", r.score, r.max_score, r.percent);
                if r.timed_out {
                    score.push_str(&format!(" — {}", t(self.lang, Key::QzTimedOut)));
                }
                vec![
                    title,
                    p.local_time(r.submitted_at),
                    score,
                    self.yes_no(r.passed).into(),
                ]
            })
            .collect();
        Ok(self.rows_or(
            &[
                Key::QzColQuiz,
                Key::QzColDate,
                Key::QzColScore,
                Key::QzColPassed,
            ],
            &rows,
            Key::QzNoResults,
        ))
    }
}
