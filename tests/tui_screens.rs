//! The terminal UI's judged points in a real terminal (tmux), at 80x24 and 160x48: two plans
//! open on a picker, an empty database says how to load a plan (and follows when one is
//! applied), `--plan nope` is refused before the UI starts, the earliest overdue task shows on
//! the timeline, occurrence ids are whole, and every amount of the money screen is the report's
//! (whole, or abbreviated correctly). Needs tmux: see `require::tmux`.

use crate::common::db::TestDb;
use crate::common::require;
use crate::common::*;
use crate::tui::Tmux;

const NOW: &str = "2026-03-16";
const PAO: &str = "plans/pao-cnrm-2025-2027.yaml";

/// `cnrm ARGS` on `db` in tmux at `w`x`h`.
fn open(name: &str, db: &TestDb, w: u16, h: u16, args: &str) -> Tmux {
    let bin = env!("CARGO_BIN_EXE_cnrm");
    Tmux::start(
        name,
        w,
        h,
        &format!(
            "env CNRM_DATABASE_URL='{}' CNRM_NOW={NOW} CNRM_ACTOR=awa CNRM_CONFIG=/nonexistent CNRM_LANG=fr TERM=xterm-256color '{bin}' {args}",
            db.url
        ),
    )
}

fn apply(db: &TestDb, file: &str) {
    let (code, _, err) = exec(cnrm_db(db, NOW).args(["plan", "apply", file]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn two_plans_open_a_picker_and_p_switches_plans() {
    if !require::tmux() {
        return;
    }
    let db = TestDb::sqlite();
    apply(&db, PAO);
    apply(&db, "plans/exemple.yaml");
    for (w, h) in [(80, 24), (160, 48)] {
        let tmux = open(&format!("picker{w}"), &db, w, h, "tui");
        let screen = tmux.wait_for("Quel plan ?");
        assert!(
            screen.contains("Plan d'actions d'exemple du CNRM")
                && screen.contains("Plan d'actions opérationnel du CNRM 2025-2027"),
            "{screen}"
        );
        assert!(!screen.contains("Chargement"), "{screen}");
        tmux.keys(&["-l", "opérationnel"]);
        tmux.keys(&["Enter"]);
        let screen = tmux.wait_for("46 tâches");
        assert!(
            screen.contains("Exécution physique par priorité"),
            "{screen}"
        );
        tmux.keys(&["P"]);
        tmux.wait_for("Quel plan ?");
        tmux.keys(&["-l", "exemple"]);
        tmux.keys(&["Enter"]);
        let screen = tmux.wait_for("8 tâches");
        assert!(screen.contains("Plan d'actions d'exemple"), "{screen}");
    }
}

#[test]
fn an_empty_database_says_how_to_load_a_plan_and_follows_when_one_is_applied() {
    if !require::tmux() {
        return;
    }
    let db = TestDb::sqlite();
    let tmux = open("empty", &db, 80, 24, "");
    let screen = tmux.wait_for("Aucun plan dans la base de données.");
    assert!(screen.contains("cnrm plan apply FICHIER"), "{screen}");
    assert!(!screen.contains("Chargement"), "{screen}");
    apply(&db, PAO);
    let screen = tmux.wait_for("46 tâches");
    assert!(screen.contains("11 en retard"), "{screen}");
}

#[test]
fn an_unknown_plan_is_refused_before_the_ui_starts() {
    let db = TestDb::sqlite();
    apply(&db, PAO);
    let (code, out, err) = exec(
        cnrm_db(&db, NOW)
            .args(["tui", "--plan", "nope"])
            .env("CNRM_LANG", "fr"),
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("aucun plan `nope` dans la base"), "{err}");
    // Without a terminal: where each plan stands, exit 0.
    let (code, out, err) = exec(cnrm_db(&db, NOW).env("CNRM_LANG", "fr"));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("pas de terminal"), "{err}");
    assert!(
        out.contains("pao-cnrm-2025-2027") && out.contains("11 en retard"),
        "{out}"
    );
}

/// `12 345 678` as the screens write an amount whole.
fn whole(v: f64) -> String {
    let digits = (v.round() as i64).to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `1,52 Md`, `27,2 M`, `950 k`: three significant digits.
fn abbreviated(v: f64) -> String {
    for (scale, unit) in [(1e9, "Md"), (1e6, "M"), (1e3, "k")] {
        let x = v / scale;
        let d = if x >= 99.95 {
            0
        } else if x >= 9.995 {
            1
        } else {
            2
        };
        let text = format!("{x:.d$}");
        if text.parse::<f64>().unwrap_or(0.0) >= 1.0 {
            return format!("{} {unit}", text.replace('.', ","));
        }
    }
    whole(v)
}

#[test]
fn at_80x24_and_160x48_amounts_are_the_reports_ids_whole_and_the_earliest_overdue_task_shows() {
    if !require::tmux() {
        return;
    }
    let db = TestDb::sqlite();
    apply(&db, PAO);
    let (code, report, err) = exec(cnrm_db(&db, NOW).args(["report", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&report).expect("report json");
    let (code, late, err) =
        exec(cnrm_db(&db, NOW).args(["tasks", "--overdue", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let late: serde_json::Value = serde_json::from_str(&late).expect("tasks json");
    let mut late: Vec<(String, String)> = late
        .as_array()
        .expect("a list")
        .iter()
        .map(|t| {
            (
                t["deadline"].as_str().unwrap_or("").to_string(),
                t["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    late.sort();
    let earliest = late.first().expect("overdue tasks").1.clone();
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let tmux = open(&format!("screens{w}"), &db, w, h, "tui");
        tmux.wait_for("46 tâches");
        // Every tab reachable by its number, the overdue count in the title bar.
        let dash = tmux.screen();
        assert!(dash.contains("11 en retard"), "{w}x{h}: {dash}");
        for n in 1..=8 {
            assert!(
                dash.lines()
                    .nth(1)
                    .is_some_and(|l| l.contains(&n.to_string())),
                "{dash}"
            );
        }

        tmux.keys(&["5"]);
        let money = tmux.wait_for("Financement par priorité");
        let mut amounts = Vec::new();
        for p in report["priorities"].as_array().expect("priorities") {
            for k in ["planned", "secured", "pledged", "needed", "spent"] {
                amounts.push(p["money"][k].as_f64().unwrap_or(0.0));
            }
        }
        for k in ["planned", "secured", "pledged", "needed", "spent"] {
            amounts.push(report["summary"]["money"][k].as_f64().unwrap_or(0.0));
        }
        for a in amounts {
            let (full, short) = (whole(a), abbreviated(a));
            assert!(
                money.contains(&full) || money.contains(&short),
                "{w}x{h}: {a} is neither `{full}` nor `{short}` on\n{money}"
            );
        }

        tmux.keys(&["4"]);
        let timeline = tmux.wait_for("Échéances par mois");
        assert!(
            timeline.contains(&earliest),
            "{w}x{h}: {earliest} on\n{timeline}"
        );
        assert!(timeline.contains("mars 2025"), "{timeline}");

        tmux.keys(&["2"]);
        let tasks = tmux.wait_for("Échéance▲");
        let occurrences: Vec<&str> = tasks
            .split(|c: char| c.is_whitespace() || c == '│')
            .filter(|w| w.starts_with("axe-") && w.contains('@'))
            .collect();
        assert!(!occurrences.is_empty(), "{tasks}");
        for id in occurrences {
            assert_eq!(
                id.len(),
                "axe-6.a2@2025-03-31".len(),
                "{w}x{h}: `{id}` cut in\n{tasks}"
            );
        }
        tmux.keys(&["q"]);
    }
}

#[test]
fn a_spending_typed_wrong_is_recorded_with_its_date_and_note_then_cancelled_from_the_ui() {
    if !require::tmux() {
        return;
    }
    let db = TestDb::sqlite();
    apply(&db, PAO);
    let tmux = open("spend", &db, 80, 24, "tui");
    tmux.wait_for("46 tâches");
    tmux.keys(&["2"]);
    tmux.wait_for("Échéance▲");
    tmux.keys(&["/"]);
    tmux.keys(&["-l", "axe-1.a1"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("recherche : « axe-1.a1 »");
    tmux.keys(&["d"]);
    tmux.wait_for("Dépense sur axe-1.a1");
    tmux.keys(&["-l", "4500000"]);
    tmux.keys(&["Tab"]);
    tmux.keys(&["-l", "10/03/2026"]);
    tmux.keys(&["Tab", "Tab"]);
    tmux.keys(&["-l", "atelier de Kayes"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("4 500 000 FCFA");
    // Typed one zero too many: cancelled from the detail's number.
    tmux.keys(&["Enter"]);
    tmux.wait_for("n° 1 · 10/03/2026 · 4 500 000 FCFA « atelier de Kayes »");
    tmux.keys(&["c"]);
    tmux.wait_for("Annuler une dépense de axe-1.a1");
    tmux.keys(&["-l", "1"]);
    tmux.keys(&["Tab"]);
    tmux.keys(&["-l", "un zéro de trop"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("annulée ; l'historique la garde");
    // The detail pane follows: the entry shows cancelled.
    tmux.wait_for("« atelier de Kayes » · annulée");
    let (code, show, _) = exec(cnrm_db(&db, NOW).args(["task", "show", "axe-1.a1"]));
    let show = show.replace('\u{a0}', " ");
    assert_eq!(code, 0);
    assert!(
        show.contains("n° 1   10/03/2026  4 500 000 FCFA  « atelier de Kayes »  (annulée)"),
        "{show}"
    );
    // The reason given is told as the cancellation's reason, not as a note.
    assert!(
        show.contains("dépense n° 1 annulée (4 500 000 FCFA) · motif : « un zéro de trop »"),
        "{show}"
    );
}

#[test]
fn cnrm_plan_opens_the_ui_where_indicator_values_are_numbered_and_the_status_form_takes_a_note_and_a_date(
) {
    if !require::tmux() {
        return;
    }
    let db = TestDb::sqlite();
    apply(&db, PAO);
    apply(&db, "plans/exemple.yaml");
    for (value, date) in [
        ("7000", "2026-01-15"),
        ("70000", "2026-02-15"),
        ("7500", "2026-03-01"),
    ] {
        let (code, _, err) = exec(cnrm_db(&db, NOW).args([
            "indicator",
            "record",
            "axe-2.i1",
            value,
            "--date",
            date,
            "--plan",
            "pao-cnrm-2025-2027",
        ]));
        assert_eq!(code, 0, "{err}");
    }
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        // Two plans, `cnrm --plan ID`: no picker, that plan.
        let tmux = open(
            &format!("values{w}"),
            &db,
            w,
            h,
            "--plan pao-cnrm-2025-2027",
        );
        tmux.wait_for("46 tâches");
        tmux.keys(&["6"]);
        tmux.wait_for("Valeur / cible");
        for _ in 0..3 {
            tmux.keys(&["Down"]);
        }
        tmux.keys(&["Enter"]);
        let values = tmux.wait_for("n° 3");
        assert!(
            values.contains("n° 2   15/02/2026  70 000 personnes"),
            "{w}x{h}: {values}"
        );
        if w == 80 {
            // The second value was a zero too many: cancelled by its number.
            tmux.keys(&["Up"]);
            tmux.keys(&["c"]);
            tmux.wait_for("Annuler une valeur de axe-2.i1");
            tmux.keys(&["-l", "un zéro de trop"]);
            tmux.keys(&["Enter"]);
            tmux.wait_for("70 000 personnes · annulée");
        }
        tmux.keys(&["Escape"]);
        tmux.keys(&["2"]);
        tmux.wait_for("Échéance▲");
        if w == 160 {
            // The first task is blocked since the first round: the next one, to do.
            tmux.keys(&["Down"]);
        }
        tmux.keys(&["t"]);
        tmux.wait_for("Statut de");
        tmux.keys(&["Right", "Right", "Tab"]);
        tmux.keys(&["-l", "en attente du décret"]);
        tmux.keys(&["Tab"]);
        tmux.keys(&["-l", "10/03/2026"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for("à faire → bloquée");
        tmux.keys(&["q"]);
    }
    let (_, out, _) = exec(cnrm_db(&db, NOW).args([
        "indicator",
        "show",
        "axe-2.i1",
        "--plan",
        "pao-cnrm-2025-2027",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["values"][1]["cancelled"], true, "{v}");
    let (_, out, _) = exec(cnrm_db(&db, NOW).args([
        "tasks",
        "--plan",
        "pao-cnrm-2025-2027",
        "--status",
        "bloqué",
        "--format",
        "json",
    ]));
    let blocked: serde_json::Value = serde_json::from_str(&out).expect("json");
    let id = blocked[0]["id"]
        .as_str()
        .expect("a blocked task")
        .to_string();
    let (_, out, _) = exec(cnrm_db(&db, NOW).args([
        "task",
        "show",
        &id,
        "--plan",
        "pao-cnrm-2025-2027",
        "--format",
        "json",
    ]));
    let t: serde_json::Value = serde_json::from_str(&out).expect("json");
    let last = t["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["data"]["effective_date"], "2026-03-10", "{last}");
    assert_eq!(last["note"], "en attente du décret", "{last}");
}
