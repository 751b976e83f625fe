//! Live demos over real SSH, streamed exactly as the README says: the trainer runs the
//! real `script` (util-linux) with its output going to `ssh … demo live N` (process
//! substitution, or a FIFO), two students of the audience watch in PTYs at 80×24 and
//! 40×15, a student outside it is refused, a question reaches the trainer, pause hides
//! what follows, and stop (or the stream's end) makes the demo done. Every broadcast is
//! recorded: its `.cast` (downloaded over HTTPS) has what was shown, the markers, and not
//! what was sent while paused.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;

use crate::harness::*;

const PW: &str = "un mot de passe étudiant";

/// The `ssh` of the README's command lines, with the trainer's password from `SSHPASS`.
fn ssh_line(port: u16, user: &str) -> String {
    format!(
        "sshpass -e ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
         -o LogLevel=ERROR -o PubkeyAuthentication=no -o PreferredAuthentications=password \
         -p {port} {user}@127.0.0.1"
    )
}

/// Runs a bash command line in `dir` in its own process group (killed at the end).
fn bash(dir: &Path, line: &str) -> Child {
    use std::os::unix::process::CommandExt;
    Command::new("bash")
        .args(["-c", line])
        .current_dir(dir)
        .env("SSHPASS", TRAINER_PASSWORD)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("bash runs")
}

/// Ends what is left of `child`'s process group. Only while the child is not reaped yet
/// (alive or a zombie), so its group id cannot belong to anyone else.
fn kill_group(child: &mut Child) {
    if matches!(child.try_wait(), Ok(None)) {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", child.id())])
            .status();
    }
    let _ = child.wait();
}

async fn status(server: &TestServer, tr: &str, demo: i64) -> String {
    let out = exec_ok(
        server.addr(),
        tr,
        TRAINER_PASSWORD,
        &format!("demo show {demo} --json"),
        None,
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["status"].as_str().unwrap().to_string()
}

async fn wait_status(server: &TestServer, tr: &str, demo: i64, want: &str) {
    for _ in 0..100 {
        if status(server, tr, demo).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("demo {demo} never became {want}");
}

async fn wait_file(path: &Path, text: &str) -> String {
    for _ in 0..150 {
        let s = std::fs::read_to_string(path).unwrap_or_default();
        if s.contains(text) {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{text:?} never in {}: {:?}",
        path.display(),
        std::fs::read_to_string(path)
    );
}

/// Demo `demo`'s recording, downloaded through the signed link `demo show --json` gives,
/// parsed.
async fn recording(server: &TestServer, tr: &str, demo: i64) -> portail::asciicast::Cast {
    let out = exec_ok(
        server.addr(),
        tr,
        TRAINER_PASSWORD,
        &format!("demo show {demo} --json"),
        None,
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let url = v["recording"]["url"]
        .as_str()
        .unwrap_or_else(|| panic!("no recording: {out}"));
    let r = crate::recordings::client().get(url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    portail::asciicast::parse(&r.bytes().await.unwrap()).expect("a valid recording")
}

/// All the output of a recording, as one text.
fn output_text(cast: &portail::asciicast::Cast) -> String {
    cast.events
        .iter()
        .filter(|e| e.kind == portail::asciicast::EventKind::Output)
        .map(|e| e.data.as_str())
        .collect()
}

async fn student(server: &TestServer, tr: &str, email: &str, class: &str) {
    let out = exec_ok(
        server.addr(),
        tr,
        TRAINER_PASSWORD,
        &format!("student add --email {email} --first-name X --class {class}"),
        None,
    )
    .await;
    choose_password(server.addr(), email, &activation_code(&out), PW).await;
}

/// Opens the student's Démos screen and the live demo on top of it.
async fn watch(pty: &mut Pty, what: &str) -> String {
    pty.send(b"5").await;
    pty.wait_until(
        |s| s.contains("Mes démos") && s.contains("› ● "),
        "the live demo listed",
    )
    .await;
    pty.send(b"\r").await;
    pty.wait_for(what).await
}

async fn classroom_with_demo(title: &str) -> (TestServer, String, String) {
    let (server, tr, code) = classroom().await;
    choose_password(server.addr(), "lea@example.fr", &code, PW).await;
    exec_ok(
        server.addr(),
        &tr,
        TRAINER_PASSWORD,
        "course assign Shell --class K1",
        None,
    )
    .await;
    let at = portail::present::minute(
        chrono_tz::Europe::Paris,
        Utc::now() + chrono::Duration::minutes(5),
    );
    exec_ok(
        server.addr(),
        &tr,
        TRAINER_PASSWORD,
        &format!("demo add Shell --title '{title}' --at '{at}' --duration 30"),
        None,
    )
    .await;
    (server, tr, code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_streams_to_two_students_pause_question_stop() {
    let (server, tr, _) = classroom_with_demo("Docker multi-stage").await;
    student(&server, &tr, "marc@example.fr", "K1").await;
    exec_ok(
        server.addr(),
        &tr,
        TRAINER_PASSWORD,
        "class add --org Alpha --name K2",
        None,
    )
    .await;
    student(&server, &tr, "paul@example.fr", "K2").await;
    let port = server.addr().port();
    let dir = tempfile::tempdir().unwrap();
    // What the trainer does in the shell `script` records: a command and its output,
    // then (once the test says so) something shown during the pause, then a clear.
    std::fs::write(
        dir.path().join("steps.sh"),
        "echo bonjour-demo; ls /\n\
         while [ ! -e step1 ]; do sleep 0.1; done; echo secret-en-pause\n\
         while [ ! -e step2 ]; do sleep 0.1; done; clear; echo apres-reprise\n\
         while [ ! -e step3 ]; do sleep 0.1; done\n",
    )
    .unwrap();
    // The README's command line, as is (with the size given).
    let line = format!(
        "script -qf -c 'sh steps.sh' >({} demo live 1 --cols 80 --rows 24 > ssh.out 2>&1)",
        ssh_line(port, &tr)
    );
    let mut trainer = bash(dir.path(), &line);
    wait_status(&server, &tr, 1, "live").await;

    // A trainer's Portail window, to see the question arrive.
    let mut prof = Pty::login_as(server.addr(), &tr, TRAINER_PASSWORD, 80, 24).await;
    // Two students of the audience: 80×24 and a 40×15 phone, both joining late.
    let mut lea = Pty::login_as(server.addr(), "lea@example.fr", PW, 80, 24).await;
    let home = lea.wait_for("● EN DIRECT : Docker multi-stage").await;
    assert!(home.contains("● EN DIRECT"), "{home}");
    let screen = watch(&mut lea, "bonjour-demo").await;
    assert!(
        screen.contains("● EN DIRECT : Docker multi-stage"),
        "{screen}"
    );
    lea.wait_for("usr").await;
    let mut marc = Pty::login_as(server.addr(), "marc@example.fr", PW, 40, 15).await;
    let screen = watch(&mut marc, "bonjour-demo").await;
    assert!(screen.contains("EN DIRECT"), "{screen}");
    // The trainer's raw bytes never reach a student: the frames are Portail's own.
    assert!(!String::from_utf8_lossy(&lea.raw).contains("\x1b]0;"));

    // Outside the audience: the demo does not exist for Paul.
    let r = exec(server.addr(), "paul@example.fr", PW, "demos 1", None).await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("Introuvable."), "{}", r.stderr);
    let mut paul = Pty::login_as(server.addr(), "paul@example.fr", PW, 80, 24).await;
    paul.send(b"5").await;
    let list = paul.wait_for("Mes démos techniques").await;
    assert!(!list.contains("Docker"), "{list}");

    // A question, without leaving the demo; the trainer's window shows it.
    lea.send(b"m").await;
    lea.wait_for("Question : ").await;
    lea.send("pourquoi slim ?".as_bytes()).await;
    lea.send(b"\r").await;
    lea.wait_for("Question envoyée au formateur.").await;
    assert!(lea.screen().contains("bonjour-demo"));
    prof.wait_for("pourquoi slim ?").await;
    let out = exec_ok(server.addr(), &tr, TRAINER_PASSWORD, "message list", None).await;
    assert!(out.contains("Question pendant la démo"), "{out}");

    // A marker in the recording (trainer only).
    let out = exec_ok(
        server.addr(),
        &tr,
        TRAINER_PASSWORD,
        "demo mark 1 'Étape 2'",
        None,
    )
    .await;
    assert!(
        out.contains("Repère « Étape 2 » ajouté à l'enregistrement."),
        "{out}"
    );
    let r = exec(server.addr(), "lea@example.fr", PW, "demo mark 1 x", None).await;
    assert_eq!(r.status, Some(1));
    let r = exec(
        server.addr(),
        &tr,
        TRAINER_PASSWORD,
        "demo mark 1 ' '",
        None,
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("Repère"), "{}", r.stderr);

    // Pause: watchers see the notice and a frozen screen; what follows stays hidden.
    exec_ok(server.addr(), &tr, TRAINER_PASSWORD, "demo pause 1", None).await;
    lea.wait_for("EN PAUSE").await;
    std::fs::write(dir.path().join("step1"), "").unwrap();
    lea.settle(1500).await;
    marc.settle(200).await;
    assert!(
        !lea.screen().contains("secret-en-pause"),
        "{}",
        lea.screen()
    );
    assert!(
        !marc.screen().contains("secret-en-pause"),
        "{}",
        marc.screen()
    );
    std::fs::write(dir.path().join("step2"), "").unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    exec_ok(server.addr(), &tr, TRAINER_PASSWORD, "demo resume 1", None).await;
    let screen = lea.wait_for("apres-reprise").await;
    assert!(!screen.contains("secret-en-pause"), "{screen}");
    assert!(screen.contains("● EN DIRECT"), "{screen}");

    // Stop: the demo is done, the watchers told, the trainer's ssh ends with a line.
    let out = exec_ok(server.addr(), &tr, TRAINER_PASSWORD, "demo stop 1", None).await;
    assert!(out.contains("La démo N°1 est terminée."), "{out}");
    assert_eq!(status(&server, &tr, 1).await, "done");
    lea.wait_for("La démo est terminée").await;
    marc.wait_for("terminée").await;
    wait_file(
        &dir.path().join("ssh.out"),
        "Diffusion terminée : la démo N°1 est terminée",
    )
    .await;
    std::fs::write(dir.path().join("step3"), "").unwrap();
    kill_group(&mut trainer);

    // The broadcast was recorded: what was shown, the marker after it, the screen as it
    // was on resume, and nothing of what was sent while paused.
    let cast = recording(&server, &tr, 1).await;
    assert_eq!((cast.header.width, cast.header.height), (80, 24));
    let text = output_text(&cast);
    assert!(text.contains("bonjour-demo"), "{text:?}");
    assert!(text.contains("apres-reprise"), "{text:?}");
    assert!(!text.contains("secret-en-pause"), "{text:?}");
    let kinds: Vec<&str> = cast.events.iter().map(|e| e.kind.code()).collect();
    let mark = cast
        .events
        .iter()
        .position(|e| e.kind == portail::asciicast::EventKind::Marker)
        .unwrap_or_else(|| panic!("no marker: {kinds:?}"));
    assert_eq!(cast.events[mark].data, "Étape 2");
    assert!(
        output_text(&portail::asciicast::Cast {
            header: cast.header.clone(),
            events: cast.events[..mark].to_vec(),
        })
        .contains("bonjour-demo")
    );
    // Students of the audience get it too; the temporary file is gone.
    let mine = exec_ok(server.addr(), "lea@example.fr", PW, "demos 1", None).await;
    assert!(mine.contains("Lien de l'enregistrement"), "{mine}");
    let no_temp = std::fs::read_dir(
        server
            .running
            .portail
            .data_dir()
            .join(portail::live_record::RECORDINGS_DIR),
    )
    .map(|d| d.count())
    .unwrap_or(0);
    assert_eq!(no_temp, 0, "the temporary recording is removed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fifo_stream_resizes_in_band_and_ends_with_its_input_random_bytes_stay_bounded() {
    let (server, tr, _) = classroom_with_demo("Fifo").await;
    let port = server.addr().port();
    let dir = tempfile::tempdir().unwrap();
    // The size changes in the stream (what a WINCH trap prints), then waits for the test.
    std::fs::write(
        dir.path().join("steps.sh"),
        "printf '\\033[8;30;100t'; echo fifo-ok\n\
         while [ ! -e go ]; do sleep 0.1; done\n",
    )
    .unwrap();
    // The README's second form, for shells without process substitution.
    let line = format!(
        "mkfifo live.fifo; {} demo live 1 --cols 80 --rows 24 < live.fifo > ssh.out 2>&1 & \
         script -qf -c 'sh steps.sh' live.fifo; wait",
        ssh_line(port, &tr)
    );
    let mut trainer = bash(dir.path(), &line);
    wait_status(&server, &tr, 1, "live").await;
    let mut lea = Pty::login_as(server.addr(), "lea@example.fr", PW, 40, 15).await;
    watch(&mut lea, "fifo-ok").await;
    lea.wait_for("100×30").await;
    // The script ends: so does the stream, and the demo.
    std::fs::write(dir.path().join("go"), "").unwrap();
    lea.wait_for("La démo est terminée").await;
    let out = wait_file(&dir.path().join("ssh.out"), "Diffusion terminée").await;
    assert!(out.contains("la démo N°1 est terminée"), "{out}");
    assert_eq!(status(&server, &tr, 1).await, "done");
    let _ = trainer.wait();
    // Recorded when the stream ended, the in-band size change included.
    let cast = recording(&server, &tr, 1).await;
    assert!(output_text(&cast).contains("fifo-ok"));
    assert!(
        cast.events.iter().any(|e| e.size() == Some((100, 30))),
        "{:?}",
        cast.events
    );
    // Refused once done.
    let r = exec(
        server.addr(),
        &tr,
        TRAINER_PASSWORD,
        "demo live 1",
        Some(b"x"),
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("n'est plus prévue"), "{}", r.stderr);

    // 5 MB of random bytes: read as they come, the server stays responsive.
    exec_ok(
        server.addr(),
        &tr,
        TRAINER_PASSWORD,
        "demo add Shell --title Bruit --at '2030-01-01 10:00' --duration 5",
        None,
    )
    .await;
    let line = format!(
        "head -c 5000000 /dev/urandom | {} demo live 2 > noise.out 2>&1",
        ssh_line(port, &tr)
    );
    let mut noise = bash(dir.path(), &line);
    let out = wait_file(&dir.path().join("noise.out"), "Diffusion terminée").await;
    assert!(out.contains("5000000 octets"), "{out}");
    let _ = noise.wait();
    assert_eq!(status(&server, &tr, 2).await, "done");
    exec_ok(server.addr(), &tr, TRAINER_PASSWORD, "whoami", None).await;
    kill_group(&mut trainer);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_trainers_stream_and_the_commands_need_a_live_demo() {
    let (server, tr, _) = classroom_with_demo("Docker").await;
    let r = exec(
        server.addr(),
        "lea@example.fr",
        PW,
        "demo live 1",
        Some(b"x"),
    )
    .await;
    assert_eq!(r.status, Some(1));
    for cmd in [
        "demo pause 1",
        "demo resume 1",
        "demo resize 1 --cols 90 --rows 30",
        "demo mark 1 'Étape 2'",
    ] {
        let r = exec(server.addr(), &tr, TRAINER_PASSWORD, cmd, None).await;
        assert_eq!(r.status, Some(1), "{cmd}");
        assert!(
            r.stderr.contains("n'est pas diffusée"),
            "{cmd}: {}",
            r.stderr
        );
    }
    let r = exec(server.addr(), &tr, TRAINER_PASSWORD, "demo stop 1", None).await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("n'est pas en direct"), "{}", r.stderr);
    let r = exec(
        server.addr(),
        &tr,
        TRAINER_PASSWORD,
        "demo live 99",
        Some(b"x"),
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert_eq!(status(&server, &tr, 1).await, "planned");
}
