//! The terminal UI in a real terminal: `cnrm open` inside tmux on a fresh database with the
//! example plan; keys are sent, the screen is read with `capture-pane`, and `cnrm task show`
//! then checks that what was done on screen was recorded. Needs tmux: see `require::tmux`.

use crate::common::db::TestDb;
use crate::common::require;
use crate::common::*;
use std::process::Command;
use std::time::{Duration, Instant};

pub(crate) struct Tmux {
    pub(crate) socket: String,
    pub(crate) session: String,
}

impl Tmux {
    /// `command` in a new detached tmux session of `width`x`height` in the repository.
    pub(crate) fn start(name: &str, width: u16, height: u16, command: &str) -> Tmux {
        let tmux = Tmux {
            socket: format!("cnrm-{name}-{}", std::process::id()),
            session: "cnrm".into(),
        };
        let started = tmux
            .cmd()
            .args(["new-session", "-d", "-s", &tmux.session, "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .arg("-c")
            .arg(root())
            .arg(command)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(started, "tmux new-session");
        tmux
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let ok = self
            .cmd()
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "tmux send-keys {keys:?}");
        std::thread::sleep(Duration::from_millis(150));
    }

    /// The screen as text, non-breaking spaces as spaces.
    pub(crate) fn screen(&self) -> String {
        self.cmd()
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).replace('\u{a0}', " "))
            .unwrap_or_default()
    }

    /// Waits until the screen shows `text` (at most 15 s) and returns it.
    pub(crate) fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "waited for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn alive(&self) -> bool {
        self.cmd()
            .args(["has-session", "-t", &self.session])
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}

#[test]
fn a_new_user_finds_late_tasks_marks_one_done_with_a_note_and_sees_the_dashboard_change() {
    if !require::tmux() {
        return;
    }
    let db = TestDb::sqlite();
    let tmux = Tmux {
        socket: format!("cnrm-test-{}", std::process::id()),
        session: "cnrm".into(),
    };
    let bin = env!("CARGO_BIN_EXE_cnrm");
    let command = format!(
        "env CNRM_DATABASE_URL='{}' CNRM_NOW=2026-03-16 CNRM_ACTOR=awa CNRM_CONFIG=/nonexistent TERM=xterm-256color '{bin}' open plans/pao-cnrm-2025-2027.yaml",
        db.url
    );
    let started = tmux
        .cmd()
        .args([
            "new-session",
            "-d",
            "-s",
            &tmux.session,
            "-x",
            "100",
            "-y",
            "30",
            "-c",
        ])
        .arg(root())
        .arg(&command)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(started, "tmux new-session");

    let dashboard = tmux.wait_for("11 en retard");
    assert!(dashboard.contains("Tableau de bord"), "{dashboard}");
    assert!(dashboard.contains("0/8 faites"), "{dashboard}");

    // The late tasks, then the one to record.
    tmux.keys(&["2"]);
    tmux.wait_for("Échéance");
    tmux.keys(&["o"]);
    let late = tmux.wait_for("filtres : en retard");
    assert!(
        late.contains("axe-1.a1") && late.contains("+259j"),
        "{late}"
    );
    tmux.keys(&["/"]);
    tmux.keys(&["-l", "reglement"]);
    tmux.keys(&["Enter"]);
    let found = tmux.wait_for("recherche : « reglement »");
    assert!(
        found.contains("Adopter les termes de référence"),
        "accent-insensitive search: {found}"
    );

    tmux.keys(&["n"]);
    tmux.wait_for("Note sur axe-1.a1");
    tmux.keys(&["-l", "Adopté en session à Kayes"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("note enregistrée");
    tmux.keys(&["t"]);
    tmux.wait_for("Statut de axe-1.a1");
    tmux.keys(&["Right", "Right", "Right", "Right"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("à faire → terminée");

    tmux.keys(&["1"]);
    let after = tmux.wait_for("1/8 faites");
    assert!(
        after.contains("10 en retard"),
        "the dashboard changed: {after}"
    );
    tmux.keys(&["?"]);
    tmux.wait_for("changer d'écran");
    tmux.keys(&["Escape"]);
    tmux.keys(&["q"]);
    let start = Instant::now();
    while tmux.alive() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!tmux.alive(), "q quits");

    let (code, show, _) = exec(cnrm_db(&db, "2026-03-16").args(["task", "show", "axe-1.a1"]));
    let show = show.replace('\u{a0}', " ");
    assert_eq!(code, 0);
    assert!(show.contains("terminée · 100 %"), "{show}");
    assert!(
        show.contains("— awa — note : « Adopté en session à Kayes »"),
        "{show}"
    );
    assert!(
        show.contains("— awa — statut : à faire → terminée"),
        "{show}"
    );
}
