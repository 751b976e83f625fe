//! What every TUI test file draws and types with: keys, a terminal of a given size, its
//! text, the three sizes of the snapshots and the `snapshots!` macro.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::*;

pub(super) fn key(code: KeyCode) -> Input {
    Input::Key(KeyEvent::new(code))
}

pub(super) fn ch(c: char) -> Input {
    key(KeyCode::Char(c))
}

pub(super) fn ctrl(c: char) -> Input {
    Input::Key(KeyEvent::new(KeyCode::Char(c)).modifiers(KeyModifiers::CTRL))
}

pub(super) fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| app.render(f)).unwrap();
    term
}

pub(super) fn screen(term: &Terminal<TestBackend>) -> String {
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

pub(super) fn text(app: &App, w: u16, h: u16) -> String {
    screen(&draw(app, w, h))
}

pub(super) const SIZES: [(u16, u16); 3] = [(40, 15), (80, 24), (160, 48)];

pub(super) fn loaded(app: &mut App, data: Data) -> Vec<Command> {
    app.apply(Outcome::Loaded(Ok(data)))
}

/// Snapshots of one app at the three sizes (40×15, 80×24, 160×48). The snapshot names
/// keep the module path of the file that calls it.
macro_rules! snapshots {
    ($name:literal, $app:expr) => {
        for (w, h) in SIZES {
            let term = draw(&$app, w, h);
            insta::assert_snapshot!(format!("{}_{}x{}", $name, w, h), term.backend());
        }
    };
}
