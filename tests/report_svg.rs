//! The HTML report's pictures, rendered by headless Chromium on a plan whose answers are known:
//! a bar per task, today's line, a ◆ per milestone, the red / amber / green rating of each
//! priority, and texts that fit their columns as the browser lays them out (measured with the
//! real fonts, in the rendered page).

use crate::common::db::TestDb;
use crate::common::require;
use crate::common::*;

/// Three priorities built to be red, amber and green on 1 October 2025 (see the rule in
/// `engine/src/chronogram.rs`).
const PLAN: &str = r#"version: 1
plan:
  id: svg
  title: Plan des images
  period: { start: 2025-01-01, end: 2025-12-31 }
owners:
  - { id: dgme, name: Délégation générale, short: DGME, email: dgme@example.ml }
  - { id: ue, name: Union européenne, short: UE }
priorities:
  - id: axe-r
    title: Rouge par un long retard
    tasks:
      - { id: r1, title: "Tâche en retard de 47 jours <b>gras</b> & co", owner: dgme, deadline: 2025-08-15 }
      - { id: r2, title: Tâche à venir, owner: dgme, deadline: T4 2025 }
  - id: axe-a
    title: Orange par un retard court
    tasks:
      - id: a1
        title: Tâche en retard de 11 jours
        owner: dgme
        start: 2025-05-05
        deadline: 2025-09-20
        resources:
          - { kind: budget, amount: "2 500 000", funder: ue, status: secured }
          - { kind: budget, amount: "1 000 000", status: needed }
      - { id: a2, title: Deuxième tâche, owner: dgme, deadline: 2025-11-30 }
      - { id: a3, title: Troisième tâche, owner: dgme, deadline: 2025-12-15 }
      - { id: a4, title: Quatrième tâche, owner: dgme, deadline: 2025-12-31 }
  - id: axe-g
    title: Vert sans retard
    tasks:
      - { id: g1, title: Tâche faite, owner: dgme, deadline: T1 2025 }
      - { id: g2, title: Jalon de fin d'année, owner: dgme, deadline: T4 2025, milestone: true }
      - { id: g3, title: Activité continue, owner: dgme, deadline: continu }
      - { id: g4, title: Tâche annulée, owner: dgme, deadline: 2025-06-30 }
"#;

const NOW: &str = "2025-10-01";

/// Runs in the rendered page: what is drawn, and every text that leaves its column.
const PROBE: &str = r#"<script>
(function () {
  const all = (sel) => Array.from(document.querySelectorAll(sel));
  const overflow = [];
  for (const svg of all('svg.chronogram')) {
    for (const t of svg.querySelectorAll('text.label')) {
      const b = t.getBBox();
      if (b.x + b.width > 238) overflow.push('label ' + t.textContent + ' ' + (b.x + b.width));
    }
  }
  for (const t of all('svg text')) {
    const b = t.getBBox();
    if (b.x < -0.5 || b.x + b.width > 720.5) overflow.push('outside ' + t.textContent);
  }
  const out = {
    bars: all('svg.chronogram rect.task-bar').map((r) => r.closest('g').dataset.task + ':' + r.dataset.phase),
    today: all('svg.chronogram line.today').length,
    milestones: all('svg.chronogram polygon.milestone').map((p) => p.closest('g').dataset.task),
    levels: all('svg.ratings g.rating').map((g) => g.dataset.priority + ':' + g.dataset.level),
    titles: all('svg > title').length,
    svgs: all('svg').length,
    months: all('svg.chronogram')[0].querySelectorAll('text.month').length,
    firstMonth: all('svg.chronogram text.month')[0].textContent,
    money: all('svg.budget-priorities rect.money-bar').map((r) => r.dataset.measure + ':' + r.dataset.amount),
    widest: Math.max(...all('svg').map((s) => s.getBoundingClientRect().width)),
    overflow,
  };
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"#;

fn setup(db: &TestDb) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let plan = write_plan(dir.path(), "svg.yaml", PLAN);
    let (code, _, err) = exec(cnrm_db(db, "2025-01-02").args(["plan", "apply", &plan]));
    assert_eq!(code, 0, "{err}");
    for args in [
        ["task", "set", "g1", "--status", "done"],
        ["task", "set", "g4", "--status", "cancelled"],
    ] {
        let (code, _, err) = exec(cnrm_db(db, NOW).args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
    }
    dir
}

fn run_chromium(args: &[String]) {
    let Some(chromium) = require::chromium() else {
        return;
    };
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .args(args)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn report(db: &TestDb, dir: &std::path::Path, lang: &str) -> std::path::PathBuf {
    let html = dir.join(format!("rapport-{lang}.html"));
    let (code, _, err) = exec(
        cnrm_db(db, NOW)
            .args(["report", "--format", "html", "--lang", lang, "--output"])
            .arg(&html),
    );
    assert_eq!(code, 0, "{err}");
    html
}

#[test]
fn the_pictures_hold_the_bars_ratings_and_today_as_chromium_draws_them() {
    let db = TestDb::sqlite();
    let dir = setup(&db);
    let html = report(&db, dir.path(), "fr");
    let text = std::fs::read_to_string(&html).expect("written");
    // Self-contained, escaped, and the rule under the badges.
    assert!(!text.contains("<script") && !text.contains("href=") && !text.contains("<image"));
    assert!(
        text.contains("&lt;b&gt;gras&lt;/b&gt; &amp; co"),
        "titles escaped"
    );
    assert!(text.contains("Rouge\u{a0}: une tâche en retard de plus de 30\u{a0}jours"));
    assert!(text.contains("@media print") && text.contains("size:A4"));
    let probed = dir.path().join("probe.html");
    std::fs::write(&probed, text.replace("</body>", &format!("{PROBE}</body>"))).expect("probe");
    let profile = dir.path().join("profile");
    let Some(chromium) = require::chromium() else {
        return;
    };
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--window-size=1240,1754",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", probed.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let json = dom
        .split("<pre id=\"probe\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| panic!("the probe ran: {}", String::from_utf8_lossy(&out.stderr)))
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    let p: serde_json::Value = serde_json::from_str(&json).expect("probe json");
    let strings = |k: &str| -> Vec<String> {
        p[k].as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        strings("bars"),
        [
            "r1:late",
            "r2:under-way",
            "a1:late",
            "a2:upcoming",
            "a3:upcoming",
            "a4:upcoming",
            "g1:done",
            "g2:under-way",
            "g3:under-way"
        ],
        "a bar per task not cancelled, in the plan's order, coloured by phase"
    );
    assert_eq!(
        p["today"], 3,
        "today's line on each priority's chronogramme"
    );
    assert_eq!(strings("milestones"), ["g2"]);
    assert_eq!(
        strings("levels"),
        ["axe-r:red", "axe-a:amber", "axe-g:green"]
    );
    assert_eq!(p["months"], 12, "the plan period's months, every one named");
    assert_eq!(p["firstMonth"], "janv.");
    assert_eq!(p["titles"], p["svgs"], "every picture has a <title>");
    assert!(
        strings("money").contains(&"planned:3500000".to_string())
            && strings("money").contains(&"gap:1000000".to_string()),
        "{:?}",
        strings("money")
    );
    assert_eq!(strings("overflow"), Vec::<String>::new(), "texts fit");
    assert!(p["widest"].as_f64().unwrap_or(0.0) > 600.0);

    // A screenshot and an A4 print, as a reader sees them.
    let png = dir.path().join("rapport.png");
    let pdf = dir.path().join("rapport.pdf");
    run_chromium(&[
        format!("--user-data-dir={}", profile.display()),
        "--window-size=1240,1754".into(),
        format!("--screenshot={}", png.display()),
        format!("file://{}", html.display()),
    ]);
    run_chromium(&[
        format!("--user-data-dir={}", profile.display()),
        "--no-pdf-header-footer".into(),
        format!("--print-to-pdf={}", pdf.display()),
        format!("file://{}", html.display()),
    ]);
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(size > 50_000, "a page with pictures ({size} bytes)");
    let pdf = std::fs::read(&pdf).expect("pdf");
    let pages = String::from_utf8_lossy(&pdf)
        .matches("/Type /Page\n")
        .count()
        + String::from_utf8_lossy(&pdf)
            .matches("/Type /Page/")
            .count()
        + String::from_utf8_lossy(&pdf)
            .matches("/Type /Page ")
            .count();
    assert!(
        pdf.starts_with(b"%PDF") && pages >= 4,
        "each chronogramme on its own A4 page ({pages} pages)"
    );
}

#[test]
fn the_english_pictures_speak_english() {
    let db = TestDb::sqlite();
    let dir = setup(&db);
    let text = std::fs::read_to_string(report(&db, dir.path(), "en")).expect("written");
    for word in [
        ">Jan<",
        "today 2025-10-01",
        "Red: a task more than 30 days late",
        ">under way<",
        ">Planned<",
        "Chronogramme of axe-r",
    ] {
        assert!(text.contains(word), "{word}");
    }
    for french in ["janv.", "aujourd'hui", "Prévu", "Promis", "Chronogramme de"] {
        assert!(!text.contains(french), "{french}");
    }
}
