//! Messages in the TUI: thread list, thread view (paging, wide characters, escape
//! sequences), composer (send, private replies, paste, drafts), pickers, search, live
//! updates and the unread badge; snapshots at phone, classic and wide sizes.

use chrono::{TimeZone, Utc};
use portail::services::classes::Class;
use portail::{Role, User};

use super::admin::{students, trainer};
use super::learning::user;
use super::support::{SIZES, ch, ctrl, draw, key, loaded};
use crate::*;

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle(ch(c));
    }
}

fn text(app: &App, w: u16, h: u16) -> String {
    let term = draw(app, w, h);
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let s = buf[(x, y)].symbol();
            assert!(!s.chars().any(char::is_control), "control character drawn");
            out.push_str(s);
        }
        out.push('\n');
    }
    out
}

fn at(h: u32, m: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
}

fn thread(
    id: i64,
    kind: ThreadKind,
    title: &str,
    student: Option<i64>,
    class: Option<i64>,
    unread: i64,
    excerpt: &str,
) -> ThreadItem {
    ThreadItem {
        summary: ThreadSummary {
            id,
            kind,
            title: title.into(),
            student_id: student,
            class_id: class,
            last_message_at: at(13, id as u32),
            last_excerpt: excerpt.into(),
            unread,
            trainer_name: None,
        },
        when: format!("2026-11-24 14:{id:02}"),
    }
}

fn msg(id: i64, thread: i64, sender: i64, name: &str, trainer: bool, body: &str) -> MessageItem {
    MessageItem {
        message: Message {
            id,
            thread_id: thread,
            sender_id: Some(sender),
            sender_name: name.into(),
            sender_is_trainer: trainer,
            body: body.into(),
            created_at: at(13, (id % 60) as u32),
        },
        when: format!("2026-11-24 14:{:02}", id % 60),
    }
}

fn trainer_threads() -> Vec<ThreadItem> {
    vec![
        thread(
            3,
            ThreadKind::Direct,
            "Léa Bernard",
            Some(10),
            None,
            2,
            "Bonjour 😀 une question sur le TP…",
        ),
        thread(
            2,
            ThreadKind::Announcement,
            "École des Métiers du Numérique / BTS SIO 1",
            None,
            Some(7),
            0,
            "Cours annulé demain",
        ),
        thread(
            1,
            ThreadKind::Direct,
            "Hugo Dubois",
            Some(11),
            None,
            1,
            "Merci\x1b[2J !",
        ),
    ]
}

/// The trainer on the Messages list, threads loaded.
fn trainer_list() -> App {
    let mut app = App::new(trainer(), false);
    assert_eq!(app.handle(ch('5')), vec![Command::Load(Query::Threads)]);
    loaded(&mut app, Data::Threads(trainer_threads(), 3));
    app
}

const EVIL: &str = "Regardez\x1b]52;c;SGVsbG8=\x07 ceci\x1b[2J\u{202E}fin\u{9b}31m";
const WIDE: &str = "Bonjour 😀👋 漢字テスト — une très longue ligne avec des caractères \
                    larges 中文中文中文中文中文 qui doit passer à la ligne sans casser la mise en page.\n\
                    Deuxième ligne : à bientôt !";

fn conversation() -> Vec<MessageItem> {
    vec![
        msg(40, 3, 10, "Léa Bernard", false, WIDE),
        msg(
            41,
            3,
            1,
            "Marie Curie",
            true,
            "Bien reçu.\nJe regarde ce soir.",
        ),
        msg(42, 3, 10, "Léa\x1b[31m Bernard", false, EVIL),
    ]
}

/// The trainer in Léa's thread.
fn trainer_thread() -> App {
    let mut app = trainer_list();
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Load(Query::Thread {
            id: 3,
            before: None
        })]
    );
    loaded(
        &mut app,
        Data::Thread {
            id: 3,
            before: None,
            messages: conversation(),
            unread: 1,
        },
    );
    app
}

#[test]
fn thread_list_snapshots_badge_and_titles() {
    let app = trainer_list();
    assert_eq!(app.unread(), 3);
    let t = text(&app, 80, 24);
    assert!(t.contains("✉ 3"), "{t}");
    assert!(t.contains("● Léa Bernard"), "{t}");
    assert!(t.contains("Annonce · École"), "{t}");
    assert!(t.contains("2026-11-24 14:03"), "{t}");
    assert!(t.contains("Merci[2J !"), "{t}");
    snapshots!("messages_list", app);
}

#[test]
fn student_direct_thread_is_titled_trainer_and_home_shows_unread() {
    let mut app = App::new(user(Role::Student), false);
    assert_eq!(
        app.start(),
        vec![
            Command::Load(Query::Unread),
            Command::Load(Query::Logos(None)),
            Command::Load(Query::MyDemos)
        ]
    );
    loaded(&mut app, Data::Unread(2));
    let home = text(&app, 80, 24);
    assert!(home.contains("Messages  ✉ 2"), "{home}");
    assert!(home.contains("✉ 2 · Léa Bernard"), "{home}");
    app.handle(ch('2'));
    loaded(
        &mut app,
        Data::Threads(
            vec![
                thread(
                    5,
                    ThreadKind::Direct,
                    "Léa Bernard",
                    Some(10),
                    None,
                    2,
                    "Oui",
                ),
                thread(
                    2,
                    ThreadKind::Announcement,
                    "Alpha / K",
                    None,
                    Some(7),
                    0,
                    "Cours annulé",
                ),
            ],
            2,
        ),
    );
    let t = text(&app, 80, 24);
    assert!(t.contains("● Formateur"), "{t}");
    assert!(!t.contains("Léa Bernard  "), "{t}");
    assert!(t.contains("n écrire au formateur"), "{t}");
    // n: write to the trainer in the existing direct thread; the draft is asked for.
    let cmds = app.handle(ch('n'));
    assert_eq!(
        cmds,
        vec![
            Command::Load(Query::Thread {
                id: 5,
                before: None
            }),
            Command::Load(Query::Draft("trainer".into())),
        ]
    );
}

#[test]
fn thread_view_snapshots_wide_characters_and_escape_sequences() {
    let app = trainer_thread();
    for (w, h) in SIZES {
        let t = text(&app, w, h);
        assert!(!t.contains('\u{202E}'), "{t}");
        assert!(t.contains("Léa Bernard"), "{t}");
    }
    let t = text(&app, 160, 48);
    assert!(t.contains("Regardez]52;c;SGVsbG8= ceci[2Jfin31m"), "{t}");
    assert!(t.contains("Vous · 2026-11-24 14:41"), "{t}");
    // Wide characters take two cells (the buffer shows a blank continuation cell).
    assert!(t.replace(' ', "").contains("😀👋漢字テスト"), "{t}");
    // Every line stays within the frame: the right border is intact on each row.
    let term = draw(&app, 40, 15);
    let buf = term.backend().buffer();
    let mut rows = 0;
    for y in 0..15 {
        if buf[(0, y)].symbol() == "│" {
            rows += 1;
            assert_eq!(buf[(39, y)].symbol(), "│", "row {y} overflowed");
        }
    }
    assert!(rows >= 8);
    snapshots!("messages_thread", app);
}

#[test]
fn composer_sends_with_ctrl_s_keeps_newlines_and_pastes() {
    let mut app = trainer_thread();
    assert_eq!(
        app.handle(ch('r')),
        vec![Command::Load(Query::Draft("student:10".into()))]
    );
    typed(&mut app, "Bonjour");
    app.handle(key(KeyCode::Enter));
    typed(&mut app, "q?");
    app.handle(Input::Paste("collé\r\nici".into()));
    assert!(!app.should_quit());
    let t = text(&app, 80, 24);
    assert!(t.contains("Votre message"), "{t}");
    assert!(t.contains("Ctrl-S/Alt-Entrée envoyer"), "{t}");
    let cmds = app.handle(ctrl('s'));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::SendMessage {
            to: Recipient::Student(10),
            body: "Bonjour\nq?collé\nici".into(),
            draft: "student:10".into(),
        })]
    );
    assert!(text(&app, 80, 24).contains("Envoi…"));
    let next = app.apply(Outcome::Ran(Ok(Effect::MessageSent { thread: 3 })));
    assert_eq!(
        next,
        vec![Command::Load(Query::Thread {
            id: 3,
            before: None
        })]
    );
    let t = text(&app, 80, 24);
    assert!(t.contains("Message envoyé."), "{t}");
    assert!(!t.contains("Votre message"), "{t}");
    // Alt-Enter sends too; an empty body is refused without a command.
    app.handle(ch('r'));
    assert!(app.handle(ctrl('s')).is_empty());
    assert!(text(&app, 80, 24).contains("Message vide"));
    typed(&mut app, "x");
    let alt_enter = Input::Key(KeyEvent::new(KeyCode::Enter).modifiers(KeyModifiers::ALT));
    assert!(matches!(
        app.handle(alt_enter).as_slice(),
        [Command::Run(Action::SendMessage { .. })]
    ));
}

#[test]
fn a_student_replying_to_an_announcement_writes_privately_to_the_trainer() {
    let mut app = App::new(user(Role::Student), false);
    app.handle(ch('2'));
    loaded(
        &mut app,
        Data::Threads(
            vec![thread(
                2,
                ThreadKind::Announcement,
                "Alpha / K",
                None,
                Some(7),
                1,
                "Cours annulé",
            )],
            1,
        ),
    );
    app.handle(key(KeyCode::Enter));
    loaded(
        &mut app,
        Data::Thread {
            id: 2,
            before: None,
            messages: vec![msg(9, 2, 1, "Marie Curie", true, "Cours annulé demain.")],
            unread: 0,
        },
    );
    let t = text(&app, 80, 24);
    assert!(t.contains("vont au formateur, en privé"), "{t}");
    assert!(!t.contains('✉'), "{t}");
    app.handle(ch('r'));
    let t = text(&app, 80, 24);
    assert!(t.contains("Réponse privée au formateur"), "{t}");
    typed(&mut app, "D'accord");
    assert_eq!(
        app.handle(ctrl('s')),
        vec![Command::Run(Action::SendMessage {
            to: Recipient::Trainer,
            body: "D'accord".into(),
            draft: "trainer".into(),
        })]
    );
    // The reply went to the direct thread; the announcement stays open.
    let next = app.apply(Outcome::Ran(Ok(Effect::MessageSent { thread: 5 })));
    assert_eq!(
        next,
        vec![Command::Load(Query::Thread {
            id: 2,
            before: None
        })]
    );
}

#[test]
fn drafts_are_restored_saved_while_typing_and_on_leaving() {
    let mut app = trainer_thread();
    app.handle(ch('r'));
    assert!(!app.draft_pending());
    loaded(
        &mut app,
        Data::Draft("student:10".into(), Some("Brouillon\nd'hier".into())),
    );
    let t = text(&app, 80, 24);
    assert!(t.contains("Brouillon retrouvé."), "{t}");
    assert!(t.contains("d'hier"), "{t}");
    typed(&mut app, " !");
    assert!(app.draft_pending());
    assert_eq!(
        app.take_draft(),
        Some(("student:10".into(), "Brouillon\nd'hier !".into()))
    );
    assert!(!app.draft_pending());
    // Nothing new: leaving saves nothing; after typing, leaving saves.
    assert!(app.handle(key(KeyCode::Esc)).is_empty());
    app.handle(ch('r'));
    typed(&mut app, "?");
    assert_eq!(
        app.handle(key(KeyCode::Esc)),
        vec![Command::SaveDraft {
            key: "student:10".into(),
            body: "Brouillon\nd'hier !?".into()
        }]
    );
    // A draft arriving after typing does not replace the text.
    let mut app = trainer_thread();
    app.handle(ch('r'));
    typed(&mut app, "neuf");
    loaded(
        &mut app,
        Data::Draft("student:10".into(), Some("vieux".into())),
    );
    assert_eq!(app.take_draft().unwrap().1, "neuf");
}

#[test]
fn long_threads_page_back_with_page_up() {
    let mut app = trainer_list();
    app.handle(key(KeyCode::Enter));
    let page: Vec<MessageItem> = (100..150)
        .map(|i| msg(i, 3, 10, "Léa Bernard", false, &format!("message {i}")))
        .collect();
    loaded(
        &mut app,
        Data::Thread {
            id: 3,
            before: None,
            messages: page,
            unread: 0,
        },
    );
    let t = text(&app, 80, 24);
    assert!(t.contains("message 149"), "{t}");
    let mut asked = Vec::new();
    for _ in 0..40 {
        asked.extend(app.handle(key(KeyCode::PageUp)));
        text(&app, 80, 24);
    }
    assert_eq!(
        asked,
        vec![Command::Load(Query::Thread {
            id: 3,
            before: Some(100)
        })]
    );
    assert!(text(&app, 80, 24).contains("messages plus anciens"));
    let older: Vec<MessageItem> = (80..100)
        .map(|i| msg(i, 3, 10, "Léa Bernard", false, &format!("message {i}")))
        .collect();
    loaded(
        &mut app,
        Data::Thread {
            id: 3,
            before: Some(100),
            messages: older,
            unread: 0,
        },
    );
    app.handle(key(KeyCode::Home));
    let t = text(&app, 80, 24);
    assert!(t.contains("message 80"), "{t}");
    assert!(!t.contains("messages plus anciens"), "{t}");
    // A live reload of the latest page keeps the older messages above it.
    let mut latest: Vec<MessageItem> = (101..151)
        .map(|i| msg(i, 3, 10, "Léa Bernard", false, &format!("message {i}")))
        .collect();
    latest.last_mut().unwrap().message.body = "tout neuf".into();
    loaded(
        &mut app,
        Data::Thread {
            id: 3,
            before: None,
            messages: latest,
            unread: 0,
        },
    );
    let t = text(&app, 80, 24);
    assert!(t.contains("message 80"), "{t}");
    app.handle(key(KeyCode::End));
    assert!(text(&app, 80, 24).contains("tout neuf"));
}

#[test]
fn live_messages_reload_what_shows_them() {
    let mut app = trainer_thread();
    assert_eq!(
        app.message_created(3, true),
        vec![Command::Load(Query::Thread {
            id: 3,
            before: None
        })]
    );
    // Another thread: only the badge.
    assert_eq!(
        app.message_created(99, true),
        vec![Command::Load(Query::Unread)]
    );
    // Not a recipient, a thread this session never saw: nothing.
    assert!(app.message_created(98, false).is_empty());
    // Sent from another session of the same user in a known thread: reload.
    assert!(!app.message_created(1, false).is_empty());
    app.handle(key(KeyCode::Esc));
    assert_eq!(
        app.message_created(1, true),
        vec![Command::Load(Query::Threads)]
    );
    app.handle(key(KeyCode::Esc));
    assert_eq!(
        app.message_created(1, true),
        vec![Command::Load(Query::Unread)]
    );
    loaded(&mut app, Data::Unread(4));
    let t = text(&app, 40, 15);
    assert!(t.contains("✉ 4"), "{t}");
    // A session that must choose its password loads nothing.
    let mut forced = App::new(user(Role::Student), true);
    assert!(forced.start().is_empty());
    assert!(forced.message_created(1, true).is_empty());
}

#[test]
fn trainer_writes_to_a_student_or_a_class_from_a_list() {
    let mut app = trainer_list();
    assert_eq!(app.handle(ch('n')), vec![Command::Load(Query::Students)]);
    loaded(&mut app, Data::Students(students()));
    assert!(text(&app, 80, 24).contains("Écrire à un étudiant"));
    app.handle(ch('j'));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Run(Action::OpenStudentThread(11))]
    );
    let next = app.apply(Outcome::Ran(Ok(Effect::Thread(6))));
    assert_eq!(
        next,
        vec![
            Command::Load(Query::Thread {
                id: 6,
                before: None
            }),
            Command::Load(Query::Draft("student:11".into())),
        ]
    );
    let t = text(&app, 80, 24);
    assert!(t.contains("Hugo Dubois"), "{t}");
    assert!(t.contains("Votre message"), "{t}");
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Esc));
    // A class: its announcement thread when it has one, the editor open.
    let classes = vec![
        Class {
            id: 7,
            organisation_id: 1,
            organisation_name: "École".into(),
            name: "BTS SIO 1".into(),
            start_date: None,
            end_date: None,
            member_count: 2,
        },
        Class {
            id: 8,
            organisation_id: 1,
            organisation_name: "École".into(),
            name: "BTS SIO 2".into(),
            start_date: None,
            end_date: None,
            member_count: 1,
        },
    ];
    assert_eq!(app.handle(ch('c')), vec![Command::Load(Query::Classes)]);
    loaded(&mut app, Data::Classes(classes.clone()));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![
            Command::Load(Query::Thread {
                id: 2,
                before: None
            }),
            Command::Load(Query::Draft("class:7".into())),
        ]
    );
    assert!(text(&app, 80, 24).contains("Annonce à toute la classe"));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Esc));
    app.handle(ch('c'));
    loaded(&mut app, Data::Classes(classes));
    app.handle(ch('j'));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Load(Query::Draft("class:8".into()))]
    );
    typed(&mut app, "Bienvenue");
    assert_eq!(
        app.handle(ctrl('s')),
        vec![Command::Run(Action::SendMessage {
            to: Recipient::Class(8),
            body: "Bienvenue".into(),
            draft: "class:8".into()
        })]
    );
    // The new thread is adopted and loaded.
    assert_eq!(
        app.apply(Outcome::Ran(Ok(Effect::MessageSent { thread: 12 }))),
        vec![Command::Load(Query::Thread {
            id: 12,
            before: None
        })]
    );
}

#[test]
fn search_finds_messages_and_opens_their_thread() {
    let mut app = trainer_list();
    app.handle(ch('/'));
    typed(&mut app, "annulé q");
    assert!(!app.should_quit());
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Load(Query::SearchMessages("annulé q".into()))]
    );
    loaded(&mut app, Data::SearchResults("annulé q".into(), Vec::new()));
    assert!(text(&app, 80, 24).contains("Aucun message ne contient « annulé q »"));
    app.handle(ch('/'));
    app.handle(key(KeyCode::Backspace));
    app.handle(key(KeyCode::Backspace));
    app.handle(key(KeyCode::Enter));
    let t = trainer_threads();
    loaded(
        &mut app,
        Data::SearchResults(
            "annulé".into(),
            vec![(
                msg(9, 2, 1, "Marie Curie", true, "Cours annulé demain\x1b[2J"),
                Some(t[1].summary.clone()),
            )],
        ),
    );
    let s = text(&app, 80, 24);
    assert!(s.contains("Cours annulé demain[2J"), "{s}");
    assert!(s.contains("Annonce · École"), "{s}");
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Load(Query::Thread {
            id: 2,
            before: None
        })]
    );
}

#[test]
fn english_texts_and_every_size_fit() {
    let mut u: User = trainer();
    u.language = Lang::En;
    let mut app = App::new(u, false);
    app.handle(ch('5'));
    loaded(&mut app, Data::Threads(trainer_threads(), 3));
    let t = text(&app, 80, 24);
    assert!(t.contains("n to a student"), "{t}");
    app.handle(ch('?'));
    assert!(text(&app, 80, 24).contains("Your conversations"));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Enter));
    loaded(
        &mut app,
        Data::Thread {
            id: 3,
            before: None,
            messages: conversation(),
            unread: 0,
        },
    );
    app.handle(ch('r'));
    let t = text(&app, 80, 24);
    assert!(t.contains("Ctrl-S/Alt-Enter send"), "{t}");
    for (w, h) in [(40, 15), (41, 16), (60, 20), (100, 30), (160, 48)] {
        text(&app, w, h);
    }
}

/// 300 characters of words, as typed on a phone.
const LONG_MESSAGE: &str = "Bonjour à tous, pour demain pensez à apporter votre ordinateur portable chargé, \
le support du module trois imprimé et vos questions sur les tableaux croisés dynamiques. \
Nous commencerons à neuf heures précises dans la salle habituelle au deuxième étage. \
Merci et très bonne soirée à chacun, Claire D.";

#[test]
fn a_long_message_typed_on_a_phone_wraps_and_every_word_shows() {
    assert!(
        LONG_MESSAGE.chars().count() >= 300,
        "{}",
        LONG_MESSAGE.chars().count()
    );
    let mut app = trainer_thread();
    app.handle(ch('r'));
    typed(&mut app, LONG_MESSAGE);
    let t = text(&app, 40, 15);
    for word in LONG_MESSAGE.split_whitespace() {
        assert!(t.contains(word), "{word:?} not on screen:\n{t}");
    }
    snapshots!("messages_compose_long", app);
    // The cursor is after the last word typed, on screen.
    let mut term = draw(&app, 40, 15);
    let pos = term.get_cursor_position().unwrap();
    assert!(pos.x < 40 && pos.y < 15, "{pos:?}");
    // Undo takes back the last word; redo puts it back.
    app.handle(ctrl('z'));
    assert!(!text(&app, 40, 15).contains("Claire D."));
    app.handle(ctrl('y'));
    assert!(text(&app, 40, 15).contains("Claire D."));
    // Undo all the way empties the composer.
    for _ in 0..100 {
        app.handle(ctrl('z'));
    }
    assert!(!text(&app, 40, 15).contains("Bonjour à tous"));
    assert!(app.handle(ctrl('s')).is_empty());
}
