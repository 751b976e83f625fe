//! Files in the TUI: signed links to course files, photo and logo previews, one-time
//! upload links with their QR codes (commands, hyperlinks, half-block cells, snapshots).

use portail::services::courses::Resource;
use portail::services::learning::MyCourseDetail;
use portail::services::profile::Profile;
use portail::{Role, User};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use super::admin::{course_screen, org_list, student_list, students};
use super::learning::{my_course, my_courses_app, user};
use super::support::{SIZES, ch, draw, key, loaded, screen, text};
use crate::*;

const FILE_URL: &str = "https://portail.example.fr:8443/f/3/10/1790000000/\
                        6f1c0b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a";
const UPLOAD_URL: &str =
    "https://portail.example.fr:8443/u/0123456789abcdef0123456789abcdef0123456789abcdef";

/// Every hyperlink's text is what the frame shows at its place, and its URL is safe.
fn check_links(app: &App, term: &Terminal<TestBackend>) {
    let buf = term.backend().buffer();
    for l in app.hyperlinks() {
        assert_eq!(safe_url(&l.url), Some(l.url.as_str()));
        let drawn: String = (0..l.text.chars().count() as u16)
            .map(|i| buf[(l.x + i, l.y)].symbol().to_string())
            .collect();
        assert_eq!(drawn, l.text);
    }
}

/// A 16×16 gradient: red grows to the right, green downwards.
fn picture(w: u16, h: u16) -> Picture {
    let mut pixels = Vec::new();
    for y in 0..h {
        for x in 0..w {
            pixels.push([(x * 16) as u8, (y * 16) as u8, 90]);
        }
    }
    Picture {
        width: w,
        height: h,
        pixels,
    }
}

/// The '▀' cells drawn: (x, y, fg, bg).
fn half_blocks(term: &Terminal<TestBackend>) -> Vec<(u16, u16, Color, Color)> {
    let buf = term.backend().buffer();
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            if c.symbol() == "▀" {
                out.push((x, y, c.fg, c.bg));
            }
        }
    }
    out
}

/// The preview's top-left cell is the picture's first two pixels, and there are exactly
/// width × rows cells.
fn check_preview(term: &Terminal<TestBackend>, pic: &Picture) {
    let cells = half_blocks(term);
    assert_eq!(
        cells.len(),
        pic.width as usize * pic.rows() as usize,
        "{}",
        screen(term)
    );
    let (x0, y0, fg, bg) = cells[0];
    let rgb = |c: [u8; 3]| Color::Rgb(c[0], c[1], c[2]);
    assert_eq!(fg, rgb(pic.pixel(0, 0)));
    assert_eq!(bg, rgb(pic.pixel(0, 1)));
    // The last cell: bottom-right pixels, below and right of the first.
    let (x1, y1, fg, bg) = cells[cells.len() - 1];
    assert_eq!((x1 - x0 + 1, y1 - y0 + 1), (pic.width, pic.rows()));
    assert_eq!(fg, rgb(pic.pixel(pic.width - 1, pic.height - 2)));
    assert_eq!(bg, rgb(pic.pixel(pic.width - 1, pic.height - 1)));
}

// ---- Student: a course file is a link like the others ----

fn file_course() -> MyCourseDetail {
    let mut d = my_course(&[true, false, false]);
    d.detail.resources.insert(
        0,
        Resource {
            id: 90,
            course_id: 7,
            lesson_id: None,
            kind: "file".into(),
            title: "Diapositives du cours".into(),
            url: Some(FILE_URL.into()),
            ..Default::default()
        },
    );
    d
}

fn file_resources_app() -> App {
    let mut app = my_courses_app();
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![
            Command::Load(Query::MyCourse(7)),
            Command::Load(Query::Logos(Some(7)))
        ]
    );
    loaded(&mut app, Data::MyCourse(Box::new(file_course())));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::End));
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    app
}

#[test]
fn a_course_file_is_text_hyperlink_and_qr_code() {
    let mut app = file_resources_app();
    let term = draw(&app, 160, 48);
    let t = screen(&term);
    assert!(t.contains("Diapositives du cours"), "{t}");
    assert!(t.contains("https://portail.example.fr:8443/f/3/10/"), "{t}");
    let links = app.hyperlinks();
    assert!(links.iter().any(|l| l.url == FILE_URL), "{links:?}");
    check_links(&app, &term);
    // Narrow: the link is cut on screen, the hyperlink keeps the whole URL.
    let term = draw(&app, 40, 15);
    check_links(&app, &term);
    assert!(app.hyperlinks().iter().any(|l| l.url == FILE_URL));
    // Q: its QR code, no hyperlink under the overlay.
    app.handle(ch('Q'));
    let t = text(&app, 160, 48);
    assert!(t.contains("QR code") && t.contains('▄'), "{t}");
    assert!(app.hyperlinks().is_empty());
    snapshots!("file_resource_qr", app);
}

/// Entry point "file names": a course file's title with escape sequences reaches the
/// student's screen neutralized, and its hyperlink text is clean.
#[test]
fn course_file_titles_with_escape_sequences_are_neutralized() {
    let mut app = my_courses_app();
    app.handle(key(KeyCode::Enter));
    let mut d = file_course();
    d.detail.resources[0].title = "Diapos\x1b]52;c;SGVsbG8=\x07\x1b[2J\u{202E}.pdf".into();
    loaded(&mut app, Data::MyCourse(Box::new(d)));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::End));
    app.handle(key(KeyCode::Enter));
    for (w, h) in [(40, 15), (80, 24), (160, 48)] {
        let term = draw(&app, w, h);
        for cell in term.backend().buffer().content() {
            assert!(
                !cell
                    .symbol()
                    .chars()
                    .any(|c| c.is_control() || c == '\u{202E}'),
                "control character reached the screen at {w}x{h}"
            );
        }
        check_links(&app, &term);
    }
    let t = text(&app, 160, 48);
    assert!(t.contains("Diapos]52;c;SGVsbG8=[2J.pdf"), "{t}");
    assert!(
        app.hyperlinks()
            .iter()
            .all(|l| !l.text.chars().any(char::is_control))
    );
}

// ---- Mon compte: the photo's upload link, QR code and preview ----

fn photo_profile(url: Option<&str>) -> Profile {
    Profile {
        email: "lea.bernard@example.fr".into(),
        first_name: "Marie".into(),
        last_name: "Curie".into(),
        phone: None,
        locked: Vec::new(),
        has_photo: true,
        photo_upload_url: url.map(String::from),
    }
}

fn account_app(role: Role) -> App {
    let u: User = user(role);
    let mut app = App::new(u, false);
    let menu = if role == Role::Trainer { '6' } else { '3' };
    assert_eq!(
        app.handle(ch(menu)),
        vec![
            Command::Load(Query::Profile),
            Command::Load(Query::Photo(10))
        ]
    );
    loaded(
        &mut app,
        Data::Profile(Box::new(photo_profile(Some(UPLOAD_URL)))),
    );
    loaded(&mut app, Data::Photo(10, Some(picture(16, 16))));
    app
}

#[test]
fn account_shows_the_upload_link_and_the_photo_preview() {
    for role in [Role::Trainer, Role::Student] {
        let app = account_app(role);
        for (w, h) in SIZES {
            let term = draw(&app, w, h);
            let t = screen(&term);
            assert!(t.contains("Photo"), "{w}×{h}: {t}");
            assert!(t.contains("définie · QR code"), "{w}×{h}: {t}");
            assert!(t.contains("https://portail.example.fr"), "{w}×{h}: {t}");
            let links = app.hyperlinks();
            assert_eq!(links.len(), 1, "{w}×{h}: {links:?}");
            assert_eq!(links[0].url, UPLOAD_URL);
            check_links(&app, &term);
        }
        // Wide enough: the preview beside the text, every pixel pair in its cell.
        check_preview(&draw(&app, 80, 24), &picture(16, 16));
        check_preview(&draw(&app, 160, 48), &picture(16, 16));
    }
    // A photo from elsewhere (a phone) refreshes the account: profile and photo reload.
    let mut app = account_app(Role::Student);
    let next = app.apply(Outcome::UserRefreshed(user(Role::Student)));
    assert_eq!(
        next,
        vec![
            Command::Load(Query::Profile),
            Command::Load(Query::Photo(10))
        ]
    );
    // Another user's photo is not ours.
    loaded(&mut app, Data::Photo(11, None));
    assert_eq!(half_blocks(&draw(&app, 80, 24)).len(), 128);
    loaded(&mut app, Data::Photo(10, None));
    assert!(half_blocks(&draw(&app, 80, 24)).is_empty());
}

#[test]
fn account_photo_snapshots() {
    snapshots!("account_photo", account_app(Role::Trainer));
}

#[test]
fn account_photo_qr_code_on_demand() {
    let mut app = account_app(Role::Trainer);
    // Q anywhere, or Enter on the "Photo" row.
    assert!(app.handle(ch('Q')).is_empty());
    let t = text(&app, 160, 48);
    assert!(t.contains("QR code") && t.contains('▄'), "{t}");
    assert!(app.hyperlinks().is_empty(), "no link under the overlay");
    assert!(t.contains("Échap ou Entrée pour fermer"), "{t}");
    snapshots!("account_photo_qr", app);
    app.handle(key(KeyCode::Esc));
    assert!(!text(&app, 160, 48).contains("pour fermer"));
    assert_eq!(app.hyperlinks().len(), 1);
    // "Mes informations", "Langue", "Mot de passe", then "Photo".
    app.handle(key(KeyCode::End));
    app.handle(key(KeyCode::Enter));
    assert!(text(&app, 160, 48).contains("pour fermer"));
    app.handle(key(KeyCode::Enter));
    // The help says how, including the terminal way.
    app.handle(ch('?'));
    assert!(text(&app, 100, 30).contains("avatar set < photo.jpg"));
}

#[test]
fn account_without_an_upload_link_or_with_an_unsafe_one() {
    let mut app = account_app(Role::Student);
    loaded(&mut app, Data::Profile(Box::new(photo_profile(None))));
    let t = text(&app, 80, 24);
    assert!(t.contains("Lien d'envoi indisponible"), "{t}");
    assert!(app.hyperlinks().is_empty());
    loaded(
        &mut app,
        Data::Profile(Box::new(photo_profile(Some(
            "https://evil.example/\x1b]52;c;SGVsbG8=\x07",
        )))),
    );
    let term = draw(&app, 80, 24);
    assert!(app.hyperlinks().is_empty());
    assert!(
        term.backend()
            .buffer()
            .content()
            .iter()
            .all(|c| !c.symbol().chars().any(|c| c.is_control()))
    );
    app.handle(ch('Q'));
    assert!(text(&app, 160, 48).contains("lien non affiché"));
}

// ---- Trainer: a student's photo, an organisation's logo ----

#[test]
fn student_detail_shows_the_photo_preview() {
    let mut app = student_list();
    let s = students()[0].clone();
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![
            Command::Load(Query::Student(s.id)),
            Command::Load(Query::Photo(s.id))
        ]
    );
    loaded(&mut app, Data::Student(Box::new(s.clone())));
    assert!(text(&app, 80, 24).contains("Chargement…"));
    loaded(&mut app, Data::Photo(s.id, Some(picture(16, 16))));
    let term = draw(&app, 160, 48);
    assert!(screen(&term).contains("définie"));
    check_preview(&term, &picture(16, 16));
    snapshots!("student_photo", app);
    loaded(&mut app, Data::Photo(s.id, None));
    let t = text(&app, 80, 24);
    assert!(t.contains("absente") && !t.contains('▀'), "{t}");
}

fn org_detail_app() -> App {
    let mut app = org_list();
    app.handle(key(KeyCode::Enter));
    loaded(&mut app, Data::Orgs(super::admin::orgs()));
    loaded(&mut app, Data::OrgLogo(1, Some(picture(32, 8))));
    app
}

#[test]
fn org_detail_logo_preview_and_upload_link() {
    let mut app = org_detail_app();
    let term = draw(&app, 160, 48);
    check_preview(&term, &picture(32, 8));
    snapshots!("org_logo", app);
    // u: a one-time logo upload link, shown with its QR code on demand.
    assert_eq!(
        app.handle(ch('u')),
        vec![Command::Run(Action::LogoUploadLink(1))]
    );
    assert!(
        app.apply(Outcome::Ran(Ok(Effect::Link(UPLOAD_URL.into()))))
            .is_empty()
    );
    let term = draw(&app, 80, 24);
    let t = screen(&term);
    assert!(t.contains("Lien d'envoi du logo"), "{t}");
    assert!(t.contains("org logo ORGANISME < logo.png"), "{t}");
    assert_eq!(app.hyperlinks().len(), 1);
    assert_eq!(app.hyperlinks()[0].url, UPLOAD_URL);
    check_links(&app, &term);
    snapshots!("logo_link", app);
    app.handle(ch('Q'));
    assert!(text(&app, 160, 48).contains('▄'));
    assert!(app.hyperlinks().is_empty());
    app.handle(key(KeyCode::Esc));
    // Esc: back to the organisation, which reloads (the logo may have changed).
    assert_eq!(
        app.handle(key(KeyCode::Esc)),
        vec![Command::Load(Query::Orgs), Command::Load(Query::OrgLogo(1))]
    );
    // A refused link (e.g. not a trainer any more) is a flash, no screen.
    app.handle(ch('u'));
    app.apply(Outcome::Ran(Err("Accès refusé.".into())));
    assert!(text(&app, 80, 24).contains("Accès refusé."));
}

// ---- Trainer: a course file through a one-time upload link ----

#[test]
fn course_file_upload_link_with_title_and_lesson() {
    let mut app = course_screen();
    app.handle(ch('2'));
    let t = text(&app, 120, 30);
    assert!(t.contains("u envoyer un fichier"), "{t}");
    assert!(app.handle(ch('u')).is_empty());
    let t = text(&app, 80, 24);
    assert!(
        t.contains("Envoyer un fichier") && t.contains("Tout le cours"),
        "{t}"
    );
    for c in "Diapos".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Right));
    assert!(text(&app, 80, 24).contains("1. Installer"));
    let cmds = app.handle(Input::Key(
        KeyEvent::new(KeyCode::Char('s')).modifiers(KeyModifiers::CTRL),
    ));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::ResourceUploadLink {
            course: 7,
            lesson: Some(70),
            title: "Diapos".into(),
        })]
    );
    // The link replaces the form.
    assert!(
        app.apply(Outcome::Ran(Ok(Effect::Link(UPLOAD_URL.into()))))
            .is_empty()
    );
    let term = draw(&app, 80, 24);
    let t = screen(&term);
    assert!(t.contains("Lien d'envoi : Diapos"), "{t}");
    assert!(t.contains("resource upload COURS --title T"), "{t}");
    check_links(&app, &term);
    snapshots!("upload_link", app);
    app.handle(key(KeyCode::Enter));
    snapshots!("upload_link_qr", app);
    app.handle(key(KeyCode::Esc));
    // Esc: straight back to the course, reloaded.
    assert_eq!(
        app.handle(key(KeyCode::Esc)),
        vec![
            Command::Load(Query::Course(7)),
            Command::Load(Query::Assignments(7))
        ]
    );
    // "Whole course" sends no lesson; the service's refusal stays in the form.
    app.handle(ch('u'));
    for c in "Plan".chars() {
        app.handle(ch(c));
    }
    let cmds = app.handle(Input::Key(
        KeyEvent::new(KeyCode::Char('s')).modifiers(KeyModifiers::CTRL),
    ));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::ResourceUploadLink {
            course: 7,
            lesson: None,
            title: "Plan".into(),
        })]
    );
    app.apply(Outcome::Ran(Err("Le titre est trop long.".into())));
    let t = text(&app, 80, 24);
    assert!(
        t.contains("Le titre est trop long.") && t.contains("Envoyer un fichier"),
        "{t}"
    );
}

#[test]
fn trainer_course_lists_file_resources_as_files() {
    let mut app = course_screen();
    let mut d = super::admin::course_detail_pub();
    d.resources.push(Resource {
        id: 91,
        course_id: 7,
        lesson_id: None,
        kind: "file".into(),
        title: "Diapositives".into(),
        url: None,
        ..Default::default()
    });
    loaded(&mut app, Data::Course(Box::new(d)));
    app.handle(ch('2'));
    let t = text(&app, 100, 24);
    assert!(t.contains("Diapositives") && t.contains("[fichier]"), "{t}");
    app.handle(ch('?'));
    assert!(text(&app, 100, 30).contains("resource upload COURS --title T"));
}

const LOGO_URL: &str = "https://portail.example.fr:8443/i/0123456789abcdef0123456789abcdef";

/// A student sees their organisation's logo as a link: on the home screen (once loaded at
/// the start) and above their course's page; with several organisations, each is named,
/// and a hostile organisation name arrives neutralized.
#[test]
fn a_students_home_and_course_pages_link_their_organisation_logo() {
    let mut app = App::new(user(Role::Student), false);
    assert!(app.start().contains(&Command::Load(Query::Logos(None))));
    let t = text(&app, 80, 24);
    assert!(!t.contains("Logo"), "{t}");
    let logo = |org: &str, url: &str| LogoLink {
        organisation: org.into(),
        url: url.into(),
    };
    loaded(&mut app, Data::Logos(None, vec![logo("Alpha", LOGO_URL)]));
    for (w, h) in SIZES {
        let term = draw(&app, w, h);
        let t = screen(&term);
        assert!(
            t.contains("Logo : https://portail.example.fr"),
            "{w}×{h}\n{t}"
        );
        assert!(t.contains("1 Mes cours"), "{w}×{h}\n{t}");
        check_links(&app, &term);
        assert_eq!(app.hyperlinks().len(), 1);
        assert_eq!(app.hyperlinks()[0].url, LOGO_URL);
    }
    // A course page: its logo as a link on the first line.
    app.handle(ch('1'));
    loaded(&mut app, Data::MyCourses(super::learning::my_courses()));
    let cmds = app.handle(key(KeyCode::Enter));
    assert!(
        cmds.contains(&Command::Load(Query::Logos(Some(7)))),
        "{cmds:?}"
    );
    loaded(
        &mut app,
        Data::MyCourse(Box::new(my_course(&[true, false, false]))),
    );
    assert!(!text(&app, 80, 24).contains("Logo"));
    loaded(
        &mut app,
        Data::Logos(Some(8), vec![logo("Autre", UPLOAD_URL)]),
    );
    assert!(!text(&app, 80, 24).contains("Logo"), "another course's");
    loaded(
        &mut app,
        Data::Logos(Some(7), vec![logo("Alpha", LOGO_URL)]),
    );
    for (w, h) in SIZES {
        let term = draw(&app, w, h);
        let t = screen(&term);
        assert!(
            t.contains("Logo : https://portail.example.fr"),
            "{w}×{h}\n{t}"
        );
        check_links(&app, &term);
        assert!(app.hyperlinks().iter().any(|l| l.url == LOGO_URL));
    }
    snapshots!("course_with_logo", app);
    // Two organisations: each named; escape sequences neutralized.
    let mut app = App::new(user(Role::Student), false);
    loaded(
        &mut app,
        Data::Logos(
            None,
            vec![
                logo("Alpha", LOGO_URL),
                logo("Bêta\x1b]52;c;SGVsbG8=\x07\x1b[2J", UPLOAD_URL),
            ],
        ),
    );
    let term = draw(&app, 80, 24);
    let t = screen(&term);
    assert!(t.contains("Logo Alpha : https://"), "{t}");
    assert!(t.contains("Logo Bêta"), "{t}");
    assert!(!t.chars().any(|c| c.is_control() && c != '\n'), "{t:?}");
    assert_eq!(app.hyperlinks().len(), 2);
    check_links(&app, &term);
}
