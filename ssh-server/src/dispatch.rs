//! The TUI's reads ([`Query`] → [`Data`]) and changes ([`Action`] → [`Effect`]): one
//! service call each, the same services the exec commands call.

use portail::Portail;
use portail_tui::{Action, Data, Effect, MessageItem, Query, ThreadItem};

/// One read of the TUI, one service call.
pub(crate) async fn load(p: &Portail, a: &portail::Actor, query: Query) -> portail::Result<Data> {
    Ok(match query {
        Query::Orgs => Data::Orgs(p.org_list(a).await?),
        Query::OrgDeletion(id) => Data::OrgDeletion(id, p.org_deletion_impact(a, id).await?),
        Query::Classes => Data::Classes(p.class_list(a, None).await?),
        Query::ClassDeletion(id) => Data::ClassDeletion(id, p.class_deletion_impact(a, id).await?),
        Query::ClassMembers(id) => Data::ClassMembers(id, p.class_members(a, id).await?),
        Query::Students => Data::Students(p.student_list(a, None, None).await?),
        Query::Student(id) => Data::Student(Box::new(p.student_get(a, id).await?)),
        Query::StudentHistory(id) => Data::StudentHistory(id, p.student_has_history(a, id).await?),
        Query::Courses => Data::Courses(p.course_list(a).await?),
        Query::Course(id) => Data::Course(Box::new(p.course_get(a, id).await?)),
        Query::Assignments(id) => Data::Assignments(id, p.course_assignments(a, id).await?),
        Query::Participants(id) => Data::Participants(id, p.course_participants(a, id).await?),
        Query::MyCourses => Data::MyCourses(p.my_courses(a).await?),
        Query::MyCourse(id) => Data::MyCourse(Box::new(p.my_course(a, id).await?)),
        Query::ClassProgress(id) => {
            Data::ClassProgress(id, p.progress(a, None, Some(id), None).await?)
        }
        Query::StudentProgress(id) => Data::StudentProgress(
            id,
            p.progress(a, None, None, Some(id)).await?,
            p.activity(a, Some(id), None, 50).await?,
        ),
        Query::Profile => Data::Profile(Box::new(p.my_profile(a).await?)),
        Query::Photo(id) => Data::Photo(id, p.avatar_preview(a, id).await?),
        Query::OrgLogo(id) => Data::OrgLogo(id, p.org_logo_preview(a, id).await?),
        Query::Threads => {
            let list: Vec<ThreadItem> = p
                .threads(a)
                .await?
                .into_iter()
                .map(|t| ThreadItem {
                    when: p.local_time(t.last_message_at),
                    summary: t,
                })
                .collect();
            let unread = list.iter().map(|t| t.summary.unread).sum();
            Data::Threads(list, unread)
        }
        Query::Thread { id, before } => {
            let messages = p
                .thread_messages(a, id, before, portail_tui::MESSAGE_PAGE as i64)
                .await?;
            // Showing the latest messages reads them.
            if before.is_none() {
                p.thread_mark_read(a, id).await?;
            }
            Data::Thread {
                id,
                before,
                messages: messages.into_iter().map(|m| dated(p, m)).collect(),
                unread: p.unread_count(a).await?,
            }
        }
        Query::Unread => Data::Unread(p.unread_count(a).await?),
        Query::SearchMessages(q) => {
            let threads = p.threads(a).await?;
            let hits = p
                .message_search(a, &q)
                .await?
                .into_iter()
                .map(|m| {
                    let t = threads.iter().find(|t| t.id == m.thread_id).cloned();
                    (dated(p, m), t)
                })
                .collect();
            Data::SearchResults(q, hits)
        }
        Query::Draft(key) => {
            let body = p.draft_get(a, &key).await?;
            Data::Draft(key, body)
        }
        Query::SecurityLog => Data::SecurityLog(
            p.security_log(a, portail_tui::SECURITY_ROWS)
                .await?
                .into_iter()
                .map(|entry| portail_tui::SecurityItem {
                    when: portail::present::second(p.options().time_zone, entry.at),
                    entry,
                })
                .collect(),
        ),
        Query::BlockedSources => Data::BlockedSources(
            p.blocked_sources(a)
                .await?
                .into_iter()
                .map(|block| portail_tui::BlockedItem {
                    until: portail::present::minute(p.options().time_zone, block.until),
                    block,
                })
                .collect(),
        ),
        Query::Quizzes(course) => Data::Quizzes(course, p.quiz_list(a, course).await?),
        Query::Quiz(id) => Data::Quiz(Box::new(p.quiz_get(a, id).await?)),
        Query::QuizResults(id) => {
            let results = p.quiz_results(a, id).await?;
            let progression = p.quiz_progression(a, results.quiz.course_id).await?;
            Data::QuizResults(Box::new(results), progression)
        }
        Query::QuizStudentAttempts { quiz, student } => {
            Data::QuizStudentAttempts(Box::new(p.quiz_student_attempts(a, quiz, student).await?))
        }
        Query::MyQuizzes => Data::MyQuizzes(p.my_quizzes(a).await?),
        Query::MyQuizResults(id) => Data::MyQuizResults(id, p.my_quiz_results(a, Some(id)).await?),
        Query::Logos(course) => Data::Logos(
            course,
            p.org_logos(a, course)
                .await?
                .into_iter()
                .map(|l| portail_tui::LogoLink {
                    url: format!("{}{}", p.options().public_url, l.path),
                    organisation: l.organisation,
                })
                .collect(),
        ),
        Query::Demos => Data::Demos(p.demo_list(a, None).await?),
        Query::MyDemos => Data::MyDemos(p.my_demos(a).await?),
        Query::Demo(id) => Data::Demo(Box::new(p.visible_demo(a, id).await?)),
        Query::LiveDemo(id) => {
            let (d, live) = p.demo_watch(a, id).await?;
            Data::LiveDemo(Box::new(d), live)
        }
        Query::DemoRecording(id) => {
            let (_, cast) = p.demo_recording(a, id).await?;
            Data::DemoRecording(id, cast.map(|c| std::sync::Arc::new(c.timeline())))
        }
    })
}

fn dated(p: &Portail, m: portail::services::messaging::Message) -> MessageItem {
    MessageItem {
        when: p.local_time(m.created_at),
        message: m,
    }
}

/// How long a one-time upload link made in the TUI stays valid (as with the exec commands).
const UPLOAD_LINK_TTL: chrono::Duration = chrono::Duration::minutes(30);

fn upload_url(p: &Portail, token: &str) -> Effect {
    Effect::Link(format!("{}/u/{token}", p.options().public_url))
}

/// One change of the TUI, one service call (the same as its exec twin).
pub(crate) async fn run_action(
    p: &Portail,
    a: &portail::Actor,
    action: Action,
) -> portail::Result<Effect> {
    use Effect::{Deleted, Saved};
    Ok(match action {
        Action::SaveOrg { id: None, input } => p.org_create(a, &input).await.map(|_| Saved)?,
        Action::SaveOrg {
            id: Some(id),
            input,
        } => p.org_update(a, id, &input).await.map(|_| Saved)?,
        Action::DeleteOrg(id) => p.org_delete(a, id).await.map(|_| Deleted)?,
        Action::SaveClass { id: None, input } => p.class_create(a, &input).await.map(|_| Saved)?,
        Action::SaveClass {
            id: Some(id),
            input,
        } => p.class_update(a, id, &input).await.map(|_| Saved)?,
        Action::DeleteClass(id) => p.class_delete(a, id).await.map(|_| Deleted)?,
        Action::AddMembers { class, students } => p
            .class_add_members(a, class, &students)
            .await
            .map(|_| Saved)?,
        Action::RemoveMembers { class, students } => p
            .class_remove_members(a, class, &students)
            .await
            .map(|_| Deleted)?,
        Action::SaveStudent { id: None, input } => {
            let (student, code) = p.student_create(a, &input, &[], &[]).await?;
            Effect::Code {
                who: student.display_name(),
                code,
            }
        }
        Action::SaveStudent {
            id: Some(id),
            input,
        } => p.student_update(a, id, &input).await.map(|_| Saved)?,
        Action::SetStudentDisabled { id, disabled } => p
            .student_set_disabled(a, id, disabled)
            .await
            .map(|_| Saved)?,
        Action::ResetCode(id) => {
            let code = p.student_reset_code(a, id).await?;
            let who = p.student_get(a, id).await?.display_name();
            Effect::Code { who, code }
        }
        Action::DeleteStudent { id, force } => {
            p.student_delete(a, id, force).await.map(|_| Deleted)?
        }
        Action::SaveCourse { id: None, input } => {
            p.course_create(a, &input).await.map(|_| Saved)?
        }
        Action::SaveCourse {
            id: Some(id),
            input,
        } => p.course_update(a, id, &input).await.map(|_| Saved)?,
        Action::DeleteCourse(id) => p.course_delete(a, id).await.map(|_| Deleted)?,
        Action::DuplicateCourse(id) => p.course_duplicate(a, id).await.map(|_| Saved)?,
        Action::SaveLesson {
            course,
            id: None,
            title,
            body,
        } => p
            .lesson_add(a, course, &title, &body)
            .await
            .map(|_| Saved)?,
        Action::SaveLesson {
            id: Some(id),
            title,
            body,
            ..
        } => p.lesson_update(a, id, &title, &body).await.map(|_| Saved)?,
        Action::MoveLesson { id, position } => {
            p.lesson_move(a, id, position).await.map(|_| Saved)?
        }
        Action::DeleteLesson(id) => p.lesson_delete(a, id).await.map(|_| Deleted)?,
        Action::AddResource { course, title, url } => p
            .resource_add_link(a, course, None, &title, &url)
            .await
            .map(|_| Saved)?,
        Action::DeleteResource(id) => p.resource_delete(a, id).await.map(|_| Deleted)?,
        Action::Assign {
            course,
            targets,
            start,
            end,
        } => Effect::Assigned(
            p.course_assign(a, course, &targets, start.as_deref(), end.as_deref())
                .await?,
        ),
        Action::Unassign { course, targets } => p
            .course_unassign(a, course, &targets)
            .await
            .map(|_| Deleted)?,
        Action::OpenLesson(id) => p.lesson_open(a, id).await.map(|()| Effect::Opened)?,
        Action::SetLessonDone { lesson, done } => Effect::Progress {
            done,
            percent: p.lesson_set_done(a, lesson, done).await?,
        },
        Action::SaveProfile {
            first_name,
            last_name,
            phone,
            email,
        } => p
            .update_my_profile(
                a,
                &first_name,
                &last_name,
                phone.as_deref(),
                email.as_deref(),
            )
            .await
            .map(|_| Saved)?,
        Action::UnblockSource(source) => {
            Effect::Unblocked(p.unblock_source(a, &source).await?.source)
        }
        Action::ResourceUploadLink {
            course,
            lesson,
            title,
        } => {
            let purpose = portail::services::files::UploadPurpose::Resource {
                course,
                lesson,
                title,
            };
            upload_url(p, &p.upload_link_create(a, purpose, UPLOAD_LINK_TTL).await?)
        }
        Action::OpenStudentThread(student) => {
            Effect::Thread(p.thread_for_student(a, student).await?)
        }
        Action::SendMessage { to, body, draft } => {
            let m = p.message_send(a, to, &body).await?;
            // Sent: the draft is done with (a failure here only leaves a stale draft).
            let _ = p.draft_save(a, &draft, "").await;
            Effect::MessageSent {
                thread: m.thread_id,
            }
        }
        Action::LogoUploadLink(organisation) => {
            let purpose = portail::services::files::UploadPurpose::Logo { organisation };
            upload_url(p, &p.upload_link_create(a, purpose, UPLOAD_LINK_TTL).await?)
        }
        Action::Import {
            kind,
            text,
            dry_run,
            default_org,
            default_class,
        } => {
            use portail::services::bulk::ImportOptions;
            use portail_tui::ImportKind;
            let opts = ImportOptions {
                // CSV, or JSON when the paste opens with `[` or `{`.
                format: None,
                dry_run,
                default_org,
                default_class,
            };
            let bytes = text.as_bytes();
            let report = match kind {
                ImportKind::Students => p.import_students(a, bytes, &opts).await?,
                ImportKind::Orgs => p.import_orgs(a, bytes, &opts).await?,
                ImportKind::Classes => p.import_classes(a, bytes, &opts).await?,
            };
            Effect::Imported(Box::new((&report).into()))
        }
        Action::SaveQuiz {
            course,
            id: None,
            settings,
        } => {
            let doc = portail::quiz::QuizDoc {
                settings,
                questions: Vec::new(),
            };
            p.quiz_create(a, course, doc).await.map(|_| Saved)?
        }
        Action::SaveQuiz {
            id: Some(id),
            settings,
            ..
        } => p
            .quiz_update_settings(a, id, settings)
            .await
            .map(|()| Saved)?,
        // The screen asked first, naming the attempts that go with it.
        Action::DeleteQuiz(id) => p.quiz_delete(a, id, true).await.map(|()| Deleted)?,
        Action::SaveDemo { id: None, input } => p.demo_create(a, &input).await.map(|_| Saved)?,
        Action::SaveDemo {
            id: Some(id),
            input,
        } => p.demo_update(a, id, &input).await.map(|_| Saved)?,
        // The screen asked for a confirmation first.
        Action::DeleteDemo(id) => p.demo_delete(a, id, true).await.map(|()| Deleted)?,
        Action::AskDemo { demo, text } => {
            let m = p.demo_question(a, demo, &text).await?;
            Effect::MessageSent {
                thread: m.thread_id,
            }
        }
        Action::LogReplay {
            demo,
            reached,
            total,
        } => p
            .demo_replay_log(a, demo, f64::from(reached), f64::from(total))
            .await
            .map(|()| Effect::Opened)?,
        Action::SaveQuestion {
            quiz,
            id: None,
            draft,
        } => p.question_add(a, quiz, draft).await.map(|_| Saved)?,
        Action::SaveQuestion {
            id: Some(id),
            draft,
            ..
        } => p.question_update(a, id, draft).await.map(|()| Saved)?,
        Action::DeleteQuestion(id) => p.question_delete(a, id).await.map(|()| Deleted)?,
        Action::MoveQuestion { id, delta } => {
            p.question_move(a, id, delta).await.map(|()| Saved)?
        }
        Action::GrantQuiz {
            quiz,
            student,
            attempts,
            minutes,
        } => p
            .quiz_grant(a, quiz, student, attempts, minutes)
            .await
            .map(|_| Saved)?,
        Action::StartAttempt(quiz) => Effect::Attempt(Box::new(p.attempt_start(a, quiz).await?)),
        Action::SaveAnswer {
            attempt,
            question,
            answer,
        } => {
            p.attempt_answer(a, attempt, question, answer).await?;
            Effect::Answered(question)
        }
        Action::SubmitAttempt(attempt) => {
            Effect::Graded(Box::new(p.attempt_submit(a, attempt).await?))
        }
    })
}
