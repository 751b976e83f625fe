//! Issue 13.4: stored text never reaches a terminal raw. Hostile text (OSC 52 clipboard
//! write, OSC 0 title, clear screen, C1 CSI, bidi overrides and isolates, BOM, NEL, CR,
//! BS, DEL) is planted straight into the database, as a row older than today's input
//! rules would be, in every text column a command prints. Then every exec command is run,
//! text and `--json`, every export kind in CSV, JSON and Excel: no output carries a
//! control or bidi character, and JSON reads back the exact stored value (escaped as
//! `\uXXXX`). The list of commands is checked against the clap tree, so a new command
//! fails this test until it is added here.

use std::collections::{BTreeMap, BTreeSet};

use portail::quiz::Answer;
use portail::{Actor, Role};
use russh::ChannelMsg;
use russh::client::Handle;

use crate::harness::*;

/// What a legacy row may hold. `pwned` survives cleaning as visible text, so an output
/// that printed the field can be told from one that did not.
const H: &str = "Evil\x1b]52;c;SGVsbG8=\x07\x1b]0;pwned\x07\x1b[2J\u{9b}31m\u{202E}gpj.exe\u{2066}\u{2069}\u{200F}\u{200E}\u{202A}\u{FEFF}\u{85}\r\x08\x7f\u{61C}End";
const PW: &str = "un mot de passe étudiant";
const TRAINER: &str = "prof@example.fr";
const LEA: &str = "lea@example.fr";

/// Commands that need not be run here, with the reason. Empty today: every command runs.
const EXEMPT: &[(&str, &str)] = &[];

struct Run {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: Option<u32>,
}

/// One logged-in connection; each command on its own channel, like `ssh host cmd`.
struct Conn(Handle<Client>);

impl Conn {
    async fn open(server: &TestServer, user: &str, pw: &str) -> Conn {
        Conn(login(server.addr(), user, pw).await.expect("login"))
    }

    async fn run(&self, cmd: &str, stdin: Option<&[u8]>) -> Run {
        let mut ch = self.0.channel_open_session().await.expect("channel");
        ch.exec(true, cmd.as_bytes()).await.expect("exec");
        if let Some(input) = stdin {
            ch.data(input).await.expect("stdin");
        }
        ch.eof().await.expect("eof");
        let mut r = Run {
            stdout: Vec::new(),
            stderr: Vec::new(),
            status: None,
        };
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            match tokio::time::timeout_at(deadline, ch.wait())
                .await
                .unwrap_or_else(|_| panic!("{cmd:?} finished in time"))
            {
                Some(ChannelMsg::Data { data }) => r.stdout.extend_from_slice(&data),
                Some(ChannelMsg::ExtendedData { data, .. }) => r.stderr.extend_from_slice(&data),
                Some(ChannelMsg::ExitStatus { exit_status }) => r.status = Some(exit_status),
                Some(ChannelMsg::Close) | None => break,
                Some(_) => {}
            }
        }
        r
    }

    async fn ok(&self, cmd: &str, stdin: Option<&[u8]>) -> String {
        let r = self.run(cmd, stdin).await;
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status, Some(0), "{cmd}: {err}");
        String::from_utf8(r.stdout).unwrap()
    }
}

/// Why `text` could still fool a terminal, if it could: any control or bidi character but
/// a newline, a tab, a CR just before a newline, and a BOM as the first character.
fn hostile_chars(text: &str) -> Vec<(usize, char)> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            let allowed = match c {
                '\n' | '\t' => true,
                '\r' => chars.get(i + 1) == Some(&'\n'),
                '\u{FEFF}' => i == 0,
                _ => false,
            };
            portail::sanitize::is_dangerous(c) && !allowed
        })
        .map(|(i, &c)| (i, c))
        .collect()
}

fn contains_h(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains(H),
        serde_json::Value::Array(a) => a.iter().any(contains_h),
        serde_json::Value::Object(o) => o.iter().any(|(k, v)| k.contains(H) || contains_h(v)),
        _ => false,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Who {
    Trainer,
    Student,
}

/// One command to run, and what its output must show.
struct Case {
    who: Who,
    cmd: String,
    stdin: Option<Vec<u8>>,
    /// The output prints stored hostile text (its cleaned remains, or in JSON the exact
    /// value): proves the command was given something to clean.
    shows: bool,
    /// Exit status 0 expected (else any status: refusals are checked for cleanliness too).
    ok: bool,
    /// The service itself returns the text cleaned (the security log): its JSON holds the
    /// cleaned remains, not the stored value.
    cleaned: bool,
}

fn case(who: Who, cmd: impl Into<String>, shows: bool) -> Case {
    Case {
        who,
        cmd: cmd.into(),
        stdin: None,
        shows,
        ok: true,
        cleaned: false,
    }
}

impl Case {
    fn stdin(mut self, s: &[u8]) -> Case {
        self.stdin = Some(s.to_vec());
        self
    }
    fn cleaned_by_service(mut self) -> Case {
        self.cleaned = true;
        self
    }
    fn may_fail(mut self) -> Case {
        self.ok = false;
        self
    }
    fn json(&self) -> bool {
        let w: Vec<&str> = self.cmd.split_whitespace().collect();
        w.contains(&"--json")
            || w.windows(2).any(|p| p == ["--format", "json"])
            || (w.starts_with(&["quiz", "export"]) && !w.contains(&"--format"))
    }
}

/// The leaf command (`org show`, `class members add`) a command line runs, by the tree.
fn leaf_of(tree: &clap::Command, cmd: &str) -> String {
    let mut node = tree;
    let mut path = Vec::new();
    for w in cmd.split_whitespace() {
        match node.find_subcommand(w) {
            Some(sub) => {
                path.push(w);
                node = sub;
            }
            None => break,
        }
    }
    assert!(
        node.get_subcommands().next().is_none(),
        "{cmd:?} does not name a leaf command"
    );
    path.join(" ")
}

fn leaves(node: &clap::Command, prefix: &str, out: &mut BTreeMap<String, bool>) {
    for sub in node.get_subcommands() {
        let path = format!("{prefix}{}", sub.get_name()).trim().to_string();
        if sub.get_subcommands().next().is_none() {
            let has_json = sub.get_arguments().any(|a| a.get_id() == "json");
            out.insert(path, has_json);
        } else {
            leaves(sub, &format!("{path} "), out);
        }
    }
}

async fn id(p: &portail::Portail, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(p.store().pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn plant(p: &portail::Portail, sql: &'static str) {
    let n = sqlx::query(sql)
        .bind(H)
        .execute(p.store().pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .rows_affected();
    assert!(n > 0, "{sql}: no row planted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_exec_output_carries_a_control_or_bidi_character_from_stored_text() {
    let server = TestServer::start().await;
    let p = &server.running.portail;
    server.trainer(TRAINER).await;
    let t = Conn::open(&server, TRAINER, TRAINER_PASSWORD).await;

    // Clean data through the ordinary doors…
    t.ok("org add --name Alpha --website https://alpha.fr", None)
        .await;
    t.ok("class add --org Alpha --name K1", None).await;
    let out = t
        .ok(
            "student add --email lea@example.fr --first-name Lea --class K1",
            None,
        )
        .await;
    let code = activation_code(&out);
    let first = Conn::open(&server, LEA, &code).await;
    first
        .ok("passwd --stdin", Some(format!("{PW}\n").as_bytes()))
        .await;
    t.ok("student add --email bob@example.fr --class K1", None)
        .await;
    t.ok("course add --title Excel --published", None).await;
    t.ok("lesson add Excel --title L1", Some(b"Corps")).await;
    t.ok("resource add Excel --title Doc --url https://doc.fr", None)
        .await;
    t.ok("course assign Excel --class K1", None).await;
    let quiz = r#"{"title": "Q", "kind": "check", "max_attempts": 5, "questions": [
        {"kind": "short", "text": "Capitale ?", "accepted": ["Paris"], "feedback": "f"},
        {"kind": "single", "text": "Choix", "choices": [{"text": "A", "credit": 100}, {"text": "B", "credit": 0}]}]}"#;
    t.ok("quiz import Excel", Some(quiz.as_bytes())).await;
    let (org, class, course, lesson) = (
        id(p, "SELECT id FROM organisations").await,
        id(p, "SELECT id FROM classes").await,
        id(p, "SELECT id FROM courses").await,
        id(p, "SELECT id FROM lessons").await,
    );
    let (quiz, bob) = (
        id(p, "SELECT id FROM quizzes").await,
        id(p, "SELECT id FROM users WHERE email = 'bob@example.fr'").await,
    );
    t.ok(&format!("quiz publish {quiz}"), None).await;
    t.ok(
        "demo add Excel --title D --at '2030-01-02 10:00' --duration 30 --class K1 \
         --repo https://r.fr --slides https://s.fr --description Texte",
        None,
    )
    .await;
    let demo = id(p, "SELECT id FROM demos").await;
    let s = Conn::open(&server, LEA, PW).await;
    s.ok(&format!("lesson done {course} {lesson}"), None).await;
    s.ok("message send --to trainer", Some(b"Bonjour")).await;
    t.ok(&format!("message send --class {class}"), Some(b"Annonce"))
        .await;
    let lea = Actor {
        user_id: id(p, "SELECT id FROM users WHERE email = 'lea@example.fr'").await,
        role: Role::Student,
        must_change_password: false,
    };
    let view = p.attempt_start(&lea, quiz).await.unwrap();
    let qid = id(p, "SELECT id FROM quiz_questions ORDER BY position LIMIT 1").await;
    p.attempt_answer(&lea, view.attempt_id, qid, Some(Answer::Text("x".into())))
        .await
        .unwrap();
    p.attempt_submit(&lea, view.attempt_id).await.unwrap();
    assert!(login(server.addr(), "nobody", "wrong").await.is_none());
    let thread = id(p, "SELECT min(id) FROM threads").await;

    // …then hostile text in every column a command prints, as a legacy row would hold.
    for sql in [
        "UPDATE users SET first_name = ?1, last_name = ?1, phone = ?1, notes = ?1",
        "UPDATE users SET email = 'bob' || ?1 || '@example.fr' WHERE email = 'bob@example.fr'",
        "UPDATE organisations SET name = ?1, siret = ?1, address = ?1, contact_name = ?1, \
         email = ?1, phone = ?1, website = 'https://ex.com/' || ?1, notes = ?1",
        "UPDATE classes SET name = ?1",
        "UPDATE courses SET title = ?1, description = ?1, objectives = json_array(?1, ?1), \
         level = ?1, prerequisites = ?1",
        "UPDATE lessons SET title = ?1, body = ?1",
        "UPDATE resources SET title = ?1, url = 'https://ex.com/' || ?1",
        "UPDATE quizzes SET title = ?1",
        "UPDATE demos SET title = ?1, description = ?1, repo_url = 'https://ex.com/' || ?1, \
         slides_url = 'https://ex.com/' || ?1",
        "UPDATE quiz_questions SET draft = json_set(draft, '$.text', ?1, '$.title', ?1, \
         '$.feedback', ?1)",
        "UPDATE quiz_questions SET draft = json_set(draft, '$.accepted', json_array(?1)) \
         WHERE kind = 'short'",
        "UPDATE quiz_questions SET draft = json_set(draft, '$.choices[0].text', ?1) \
         WHERE kind = 'single'",
        "UPDATE quiz_answers SET answer = json_object('type', 'text', 'value', ?1)",
        "UPDATE messages SET body = ?1",
        "UPDATE activity_log SET detail = ?1, source_ip = ?1",
        "UPDATE login_failures SET source = ?1, source_group = ?1, login = ?1",
    ] {
        plant(p, sql).await;
    }

    use Who::{Student as S, Trainer as T};
    let csv_h = |header: &str, row: &str| format!("{header}\n{}\n", row.replace("{H}", H));
    let mut cases = vec![
        case(T, "help", false),
        case(S, "help", false),
        case(T, "whoami", true),
        case(T, "whoami --json", true),
        case(S, "whoami", true),
        case(S, "whoami --json", true),
        case(S, "passwd --stdin", false)
            .stdin(b"wrong\nencore une autre phrase\n")
            .may_fail(),
        case(S, "courses", true),
        case(S, "courses --json", true),
        case(S, "course list", true),
        case(S, "course list --json", true),
        case(S, "progress", true),
        case(S, "progress --json", true),
        case(T, "progress", true),
        case(T, format!("progress --course {course} --json"), true),
        case(T, "activity", true),
        case(T, "activity --json", true),
        case(T, "security log", true),
        case(T, "security log --json", true).cleaned_by_service(),
        case(T, "security blocked", false),
        case(T, "security blocked --json", false),
        case(T, "security unblock 192.0.2.1", false).may_fail(),
        case(T, "message list", true),
        case(T, "message list --json", true),
        case(T, format!("message show {thread}"), true),
        case(T, format!("message show {thread} --json"), true),
        case(S, "message list", true),
        case(S, "message list --json", true),
        case(S, format!("message show {thread}"), true),
        case(S, format!("message show {thread} --json"), true),
        case(S, "message send --to trainer", false).stdin(b"Re"),
        case(S, "avatar link", false),
        case(S, "avatar set", false).stdin(b"").may_fail(),
        case(T, format!("org add --name 'Beta{H}' --notes '{H}'"), false),
        case(T, format!("org add --name Gamma --website 'https://ex.com/{H}'"), false).may_fail(),
        case(T, "org list", true),
        case(T, "org list --json", true),
        case(T, format!("org show {org}"), true),
        case(T, format!("org show {org} --json"), true),
        case(T, format!("org logo {org}"), false).stdin(b"").may_fail(),
        case(T, format!("org logo-link {org}"), false),
        case(T, format!("org rm {org}"), true).may_fail(),
        case(T, format!("class add --org {org} --name K2"), true),
        case(T, "class list", true),
        case(T, "class list --json", true),
        case(T, format!("class members add {class} {bob}"), true),
        case(T, format!("class members rm {class} {bob}"), true),
        case(T, format!("student add --email new@example.fr --class {class}"), false),
        case(T, "student list", true),
        case(T, "student list --json", true),
        case(T, format!("student show {bob}"), true),
        case(T, format!("student show {bob} --json"), true),
        case(T, format!("student disable {bob}"), true),
        case(T, format!("student enable {bob}"), true),
        case(T, format!("student reset-code {bob}"), false),
        case(T, "course add --title Word", false),
        case(T, "course list", true),
        case(T, "course list --json", true),
        case(T, format!("course show {course}"), true),
        case(T, format!("course show {course} --json"), true),
        case(S, format!("course show {course}"), true),
        case(S, format!("course show {course} --json"), true),
        case(T, format!("course participants {course}"), true),
        case(T, format!("course participants {course} --json"), true),
        case(T, format!("course assign {course} --student {bob}"), true),
        case(T, format!("course unassign {course} --student {bob}"), true),
        case(T, format!("course unpublish {course}"), true),
        case(T, format!("course publish {course}"), true),
        case(T, format!("course duplicate {course}"), true),
        case(T, format!("lesson add {course} --title L2"), false).stdin(H.as_bytes()),
        case(S, format!("lesson done {course} {lesson} --undo"), true),
        case(S, format!("lesson done {course} {lesson}"), true),
        case(T, format!("resource add {course} --title R --url https://r.fr"), false),
        case(T, format!("resource add {course} --title R --url 'https://r.fr/{H}'"), false)
            .may_fail(),
        case(T, format!("resource upload-link {course} --title R"), false),
        case(T, format!("resource upload {course} --title F --name f.txt"), false)
            .stdin(b"texte")
            .may_fail(),
        case(T, "quiz list", true),
        case(T, "quiz list --json", true),
        case(S, "quiz list", true),
        case(S, "quiz list --json", true),
        case(T, format!("quiz show {quiz}"), true),
        case(T, format!("quiz show {quiz} --json"), true),
        case(T, format!("quiz export {quiz}"), true),
        case(T, format!("quiz export {quiz} --format gift"), true),
        case(T, format!("quiz results {quiz}"), true),
        case(T, format!("quiz results {quiz} --json"), true),
        case(S, "quiz results", true),
        case(S, "quiz results --json", true),
        case(S, format!("quiz results {quiz} --json"), true),
        case(T, format!("quiz attempts {quiz} {}", lea.user_id), true),
        case(T, format!("quiz attempts {quiz} {} --json", lea.user_id), true),
        case(T, format!("quiz grant {quiz} {} --attempts 1", lea.user_id), true),
        case(T, format!("quiz progression {course}"), true),
        case(T, format!("quiz progression {course} --json"), true),
        case(T, format!("quiz unpublish {quiz}"), false),
        case(T, format!("quiz publish {quiz}"), false),
        case(T, format!("quiz rm {quiz}"), false).may_fail(),
        case(T, format!("quiz import {course} --dry-run"), false)
            .stdin(
                serde_json::json!({"title": H, "questions": [
                    {"kind": "true_false", "text": H, "answer": true}]})
                .to_string()
                .as_bytes(),
            )
            .may_fail(),
        case(T, "demo list", true),
        case(T, "demo list --json", true),
        case(T, format!("demo show {demo}"), true),
        case(T, format!("demo show {demo} --json"), true),
        case(S, "demos", true),
        case(S, "demos --json", true),
        case(S, format!("demos {demo}"), true),
        case(S, format!("demos {demo} --json"), true),
        // A recording whose title, output and marker carry the hostile text.
        case(T, format!("demo upload {demo} --yes"), false).stdin(
            format!(
                "{}\n{}\n{}\n",
                serde_json::json!({"version": 2, "width": 80, "height": 24, "title": H}),
                serde_json::json!([0.5, "o", H]),
                serde_json::json!([1.0, "m", H]),
            )
            .as_bytes(),
        ),
        case(T, format!("demo show {demo}"), true),
        case(T, format!("demo add {course} --title X --at '2030-01-03 10:00' --duration 5"), false),
        case(T, format!("demo edit {demo} --duration 40"), false).may_fail(),
        case(T, format!("demo rm {demo}"), false),
        // The live broadcast (on the demo `X` added above; ended by its input's end).
        case(T, "demo live X --cols 99999 --rows 0", false)
            .stdin(b"\x1b]52;c;SGk=\x07\x1b[8;65535;65535t\x1b]0;t\x07")
            .may_fail(),
        case(T, "demo pause X", false).may_fail(),
        case(T, "demo resume X", false).may_fail(),
        case(T, "demo resize X --cols 1 --rows 1", false).may_fail(),
        case(T, "demo stop X", false).may_fail(),
        case(T, "demo mark X 'Étape 2'", false).may_fail(),
        case(T, "server stats", false),
        case(T, "server stats --json", false),
        // Imports: hostile files (refused on a URL, or previewed), the report and the
        // refusal are both clean.
        case(T, "import orgs", false)
            .stdin(csv_h("nom;site web;notes", "\"O{H}\";\"https://ex.com/{H}\";\"{H}\"").as_bytes())
            .may_fail(),
        case(T, "import orgs --dry-run", false)
            .stdin(csv_h("nom;notes", "\"O{H}\";\"{H}\"").as_bytes()),
        case(T, "import students --dry-run", false)
            .stdin(csv_h("email;prénom;classe;organisme", "a@example.fr;\"{H}\";\"C{H}\";\"O{H}\"").as_bytes()),
        case(T, "import students --codes-csv", false)
            .stdin(csv_h("email;prénom", "z@example.fr;\"{H}\"").as_bytes()),
        case(T, "import students", false)
            .stdin(csv_h("email;prénom", "\"y{H}@example.fr\";x").as_bytes())
            .may_fail(),
        case(T, "import classes --dry-run", false)
            .stdin(csv_h("organisme;nom", "\"O{H}\";\"C{H}\"").as_bytes()),
        case(T, "import all --dry-run", false)
            .stdin(
                serde_json::json!({"organisations": [{"name": format!("O{H}"), "notes": H}]})
                    .to_string()
                    .as_bytes(),
            ),
        case(T, "import all", false)
            .stdin(
                serde_json::json!({"organisations": [{"name": "O", "website": format!("https://ex.com/{H}")}]})
                    .to_string()
                    .as_bytes(),
            )
            .may_fail(),
    ];

    // Every export kind the tree knows, in every format.
    let tree = portail_ssh::exec::command_tree();
    let export = tree.find_subcommand("export").unwrap();
    let kinds: Vec<String> = export
        .get_arguments()
        .find(|a| a.get_id() == "what")
        .unwrap()
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_string())
        .collect();
    for kind in &kinds {
        let target = match kind.as_str() {
            "students" | "orgs" | "classes" | "progress" => String::new(),
            "participants" => format!(" --course {course}"),
            "quiz-results" => format!(" {quiz}"),
            other => panic!("export {other}: add its arguments to this test"),
        };
        for format in ["", " --format json", " --excel"] {
            cases.push(case(T, format!("export {kind}{target}{format}"), true));
        }
    }

    // Deletions unconfirmed (they say what would go), then edits, last: an edit stores
    // the cleaned values, which the cases above read back exactly.
    cases.extend([
        case(T, format!("course rm {course}"), true).may_fail(),
        case(T, format!("class rm {class}"), true).may_fail(),
        case(T, format!("lesson rm {course} {lesson}"), true).may_fail(),
        case(T, format!("resource rm {course} 1"), true).may_fail(),
        case(T, format!("lesson mv {course} {lesson} --to 1"), true),
        case(
            T,
            format!("org edit {org} --siret '' --website https://alpha.fr --email '' --phone ''"),
            false,
        ),
        case(T, format!("org edit {org} --json"), false),
        case(T, format!("class edit {class} --end 2030-01-01"), false),
        case(T, format!("class edit {class} --json"), false),
        case(T, format!("course edit {course} --level B1"), false),
        case(T, format!("course edit {course} --json"), false),
        case(T, format!("lesson edit {course} {lesson} --title L"), false),
        case(T, format!("lesson edit {course} {lesson} --stdin"), false).stdin(b"corps"),
        case(T, format!("resource edit {course} 1 --title R1"), false),
    ]);
    // Last: these rewrite the users' names (cleaned), which earlier cases read back.
    cases.push(case(S, "account set --phone '06 12 34 56 78'", true));
    cases.push(case(T, "account set --phone '01 02 03 04 05'", true));

    // The list covers the whole command tree, and every `--json` of it.
    let mut all = BTreeMap::new();
    leaves(&tree, "", &mut all);
    let mut covered = BTreeSet::new();
    let mut json_covered = BTreeSet::new();
    for c in &cases {
        let leaf = leaf_of(&tree, &c.cmd);
        if c.json() {
            json_covered.insert(leaf.clone());
        }
        covered.insert(leaf);
    }
    for (leaf, has_json) in &all {
        if EXEMPT.iter().any(|(l, _)| l == leaf) {
            continue;
        }
        assert!(covered.contains(leaf), "`{leaf}` is not run by this test");
        assert!(
            !has_json || json_covered.contains(leaf),
            "`{leaf} --json` is not run by this test"
        );
    }

    let mut failures = Vec::new();
    for c in &cases {
        let conn = if c.who == T { &t } else { &s };
        let r = conn.run(&c.cmd, c.stdin.as_deref()).await;
        let who = if c.who == T { "trainer" } else { "student" };
        let label = format!("{who}: {}", c.cmd.escape_debug());
        if c.ok && r.status != Some(0) {
            failures.push(format!(
                "{label}: status {:?}: {}",
                r.status,
                String::from_utf8_lossy(&r.stderr).escape_debug()
            ));
            continue;
        }
        for (name, bytes) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
            if let Some(b) = bytes.iter().find(|&&b| b == 0x1b || b == 0x07) {
                failures.push(format!("{label}: {name} holds byte {b:#04x}"));
            }
            let Ok(text) = std::str::from_utf8(bytes) else {
                failures.push(format!("{label}: {name} is not UTF-8"));
                continue;
            };
            let bad = hostile_chars(text);
            if !bad.is_empty() {
                failures.push(format!(
                    "{label}: {name} holds {:?}",
                    bad.iter()
                        .take(8)
                        .map(|(i, c)| format!("U+{:04X}@{i}", *c as u32))
                        .collect::<Vec<_>>()
                ));
            }
        }
        let stdout = String::from_utf8_lossy(&r.stdout);
        if c.json() {
            match serde_json::from_str::<serde_json::Value>(&stdout) {
                Err(e) => failures.push(format!("{label}: not JSON: {e}")),
                Ok(v) if c.shows && c.cleaned && !v.to_string().contains("pwned") => {
                    failures.push(format!("{label}: the stored text is not printed"))
                }
                Ok(v) if c.shows && !c.cleaned && !contains_h(&v) => failures.push(format!(
                    "{label}: the stored value does not read back exactly from the JSON"
                )),
                Ok(_) => {}
            }
        } else if c.shows {
            let all_out = format!("{stdout}{}", String::from_utf8_lossy(&r.stderr));
            if !all_out.contains("pwned") {
                failures.push(format!("{label}: the stored text is not printed"));
            }
        }
        if c.cmd.contains("--excel") {
            let ok = stdout.starts_with('\u{FEFF}') && stdout.contains("\r\n");
            if !ok {
                failures.push(format!("{label}: Excel needs its BOM and CRLF"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} commands:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The issue's reproduction: a hostile URL through every exec door is refused naming the
/// field, and nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_urls_are_refused_at_every_exec_door() {
    let server = TestServer::start().await;
    server.trainer(TRAINER).await;
    let t = Conn::open(&server, TRAINER, TRAINER_PASSWORD).await;
    t.ok("course add --title Excel", None).await;
    let url = "https://ex.com/\x1b]52;c;SGVsbG8=\x07\x1b]0;pwned\x07\x1b[2J";
    let bidi = "https://ex.com/\u{202E}gpj.exe";
    let c1 = "https://ex.com/\u{9b}2J";
    let csv = format!("nom;site web\nAlpha;https://alpha.fr\nBeta;\"{url}\"\n");
    let all = serde_json::json!({"organisations": [{"name": "Gamma", "website": c1}]}).to_string();
    for (cmd, stdin, field) in [
        (
            format!("org add --name Alpha --website '{url}'"),
            None,
            "Site web",
        ),
        (
            format!("org add --name Alpha --website '{bidi}'"),
            None,
            "Site web",
        ),
        (
            "import orgs".to_string(),
            Some(csv.as_bytes()),
            "colonne site web",
        ),
        (
            "import all".to_string(),
            Some(all.as_bytes()),
            "colonne website",
        ),
        (
            format!("resource add Excel --title Doc --url '{c1}'"),
            None,
            "Adresse (URL)",
        ),
        (
            format!("resource add Excel --title Doc --url '{url}'"),
            None,
            "Adresse (URL)",
        ),
    ] {
        let r = t.run(&cmd, stdin).await;
        let err = String::from_utf8(r.stderr).unwrap();
        assert_eq!(r.status, Some(1), "{cmd:?}: {err}");
        assert!(
            err.contains(field) && err.contains("caractère de contrôle"),
            "{cmd:?}: {err}"
        );
        assert!(hostile_chars(&err).is_empty(), "{err:?}");
    }
    assert_eq!(t.ok("org list --json", None).await.trim(), "[]");
    let course = t.ok("course show Excel --json", None).await;
    let course: serde_json::Value = serde_json::from_str(&course).unwrap();
    assert_eq!(course["resources"], serde_json::json!([]));
}
