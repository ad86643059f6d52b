//! Property tests of the value parsers and of every scalar field of a plan: arbitrary text
//! (non-ASCII, control characters, huge numbers, nothing at all) never makes cnrm panic, and a
//! refused plan always says why on a line of the file.

use cnrm_engine::plan::check_source;
use cnrm_engine::plan::values;
use cnrm_engine::schedule::CronSpec;
use cnrm_engine::Lang;
use proptest::prelude::*;

/// A valid plan in which every scalar field is a slot `{name}`; `FIELDS` gives the valid value of
/// each, so a case damages one field at a time.
const TEMPLATE: &str = "version: 1
plan:
  id: {plan.id}
  title: {plan.title}
  period: { start: {period.start}, end: {period.end} }
  timezone: {plan.timezone}
  currency: {plan.currency}
  language: {plan.language}
  secretariat: {plan.secretariat}
  exchange_rates: { USD: {rate} }
reminders:
  schedule: {schedule}
  before: [{before}, 3d]
  on_deadline: {on_deadline}
  overdue_every: {overdue_every}
  escalate_after: {escalate_after}
  digest: {digest}
  on_start: {on_start}
calendar:
  weekend: [{weekend}, SUN]
  holidays:
    - {holiday}
    - { from: {holiday.from}, to: 2025-09-12, label: {holiday.label} }
owners:
  - id: {owner.id}
    name: {owner.name}
    short: {owner.short}
    email: {owner.email}
    language: {owner.language}
  - id: dgme
    name: Direction générale
    parent: {owner.parent}
    email: [dgme@example.ml]
priorities:
  - id: {priority.id}
    title: {priority.title}
    lead: {priority.lead}
    indicators:
      - id: axe-1.i1
        title: {indicator.title}
        unit: {indicator.unit}
        baseline: {indicator.baseline}
        target: {indicator.target}
        due: {indicator.due}
    tasks:
      - id: {task.id}
        title: {task.title}
        description: {task.description}
        owner: {task.owner}
        partners: [{task.partner}]
        start: {task.start}
        deadline: {task.deadline}
        milestone: {task.milestone}
        repeat: {task.repeat}
        reminders: { before: [{task.before}], escalate_after: {task.escalate_after} }
        resources:
          - kind: {resource.kind}
            amount: {resource.amount}
            currency: {resource.currency}
            funder: {resource.funder}
            status: {resource.status}
          - kind: staff
            quantity: {resource.quantity}
            unit: {resource.unit}
            label: {resource.label}
      - id: axe-1.a2
        title: Deuxième tâche
        owner: dgme
        deadline: {task2.deadline}
        depends_on: [{task2.depends_on}]
        renamed_from: {task2.renamed_from}
";

const FIELDS: &[(&str, &str)] = &[
    ("plan.id", "fuzz"),
    ("plan.title", "Plan de test"),
    ("period.start", "2025-01-01"),
    ("period.end", "2026-12-31"),
    ("plan.timezone", "Africa/Bamako"),
    ("plan.currency", "XOF"),
    ("plan.language", "fr"),
    ("plan.secretariat", "st"),
    ("rate", "605.5"),
    ("schedule", "\"0 8 * * LUN-VEN\""),
    ("before", "14d"),
    ("on_deadline", "true"),
    ("overdue_every", "7j"),
    ("escalate_after", "2w"),
    ("digest", "\"0 8 * * MON\""),
    ("on_start", "false"),
    ("weekend", "SAT"),
    ("holiday", "2025-09-22"),
    ("holiday.from", "2025-09-11"),
    ("holiday.label", "Maouloud"),
    ("owner.id", "st"),
    ("owner.name", "Secrétariat"),
    ("owner.short", "ST"),
    ("owner.email", "st@example.ml"),
    ("owner.language", "fr"),
    ("owner.parent", "st"),
    ("priority.id", "axe-1"),
    ("priority.title", "Coordination"),
    ("priority.lead", "st"),
    ("indicator.title", "Sessions tenues"),
    ("indicator.unit", "sessions"),
    ("indicator.baseline", "0"),
    ("indicator.target", "8"),
    ("indicator.due", "T4 2026"),
    ("task.id", "axe-1.a1"),
    ("task.title", "Première tâche"),
    ("task.description", "Une description"),
    ("task.owner", "st"),
    ("task.partner", "dgme"),
    ("task.start", "2025-02"),
    ("task.deadline", "T1 2025"),
    ("task.milestone", "false"),
    ("task.repeat", "quarterly"),
    ("task.before", "30d"),
    ("task.escalate_after", "21d"),
    ("resource.kind", "budget"),
    ("resource.amount", "12_500_000"),
    ("resource.currency", "EUR"),
    ("resource.funder", "dgme"),
    ("resource.status", "secured"),
    ("resource.quantity", "3"),
    ("resource.unit", "personne-mois"),
    ("resource.label", "Consultants"),
    ("task2.deadline", "S2 2026"),
    ("task2.depends_on", "axe-1.a1"),
    ("task2.renamed_from", "axe-1.old"),
];

/// The template with `field` written as `value` and every other slot valid.
fn plan_with(field: &str, value: &str) -> String {
    let mut text = TEMPLATE.to_string();
    for (name, valid) in FIELDS {
        let slot = format!("{{{name}}}");
        text = text.replace(&slot, if *name == field { value } else { valid });
    }
    text
}

/// `text` as a YAML double-quoted scalar, so that it reaches the field whatever it holds.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text of the kinds that broke cnrm before: accents right after digits, huge numbers, control
/// characters, far-away years, units and separators, and any Unicode at all.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{0,25}[djwéèJDW ]?",
        "[0-9]{1,5}[-/.][0-9é]{0,3}[-/.]?[0-9]{0,3}",
        "[TQStqs]?[0-9é]? ?[0-9]{0,6}",
        "[-+]?[0-9]{0,30}([.,][0-9]{0,30})?(e[0-9]{1,4})?",
        "[\\x00-\\x1f\\x7f\u{a0}\u{202f}\u{feff}\u{200b}]{0,6}[a-z0-9]{0,4}",
        "[0-9*/,\\-A-Za-zé]{0,6}( [0-9*/,\\-A-Za-zé]{0,6}){0,7}",
        Just(String::new()),
        Just("1é".to_string()),
        Just("100000000d".to_string()),
        Just("0001-01-01".to_string()),
        Just("0 61 9 * *".to_string()),
    ]
}

/// Every diagnostic is on a line of the file, and a refused plan has at least one.
fn assert_sound(text: &str, lang: Lang) -> Result<(), TestCaseError> {
    let checked = check_source(text, "fuzz.yaml", lang);
    for d in &checked.diagnostics {
        prop_assert!(d.line >= 1 && d.column >= 1, "1-based position: {d:?}");
        prop_assert!(!d.message.is_empty(), "a message: {d:?}");
    }
    if checked.plan.is_none() {
        prop_assert!(checked.errors() > 0, "refused without an error:\n{text}");
    }
    Ok(())
}

#[test]
fn the_template_is_a_valid_plan() {
    let checked = check_source(&plan_with("", ""), "fuzz.yaml", Lang::Fr);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    assert!(checked.plan.is_some());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn value_parsers_never_panic(text in nasty()) {
        let _ = values::parse_date(&text);
        let _ = values::is_continuous(&text);
        let _ = values::is_valid_id(&text);
        let _ = values::is_valid_email(&text);
        let _ = values::is_currency_code(&text);
        let _ = values::is_ambiguous_amount(&text);
        if let Ok(days) = values::parse_duration(&text) {
            prop_assert!(days <= values::MAX_DURATION_DAYS);
        }
        if let Ok(v) = values::parse_amount(&text) {
            prop_assert!(v.is_finite() && (0.0..=values::MAX_AMOUNT).contains(&v));
        }
        if let Ok((date, _)) = values::parse_date(&text) {
            use chrono::Datelike;
            prop_assert!((values::MIN_YEAR..=values::MAX_YEAR).contains(&date.year()));
        }
        match CronSpec::parse(&text) {
            Ok(spec) => {
                let start = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
                let _ = spec.next_after(&start, 2);
            }
            Err(e) => {
                for lang in [Lang::Fr, Lang::En] {
                    let sentence = e.sentence(lang);
                    prop_assert!(!sentence.is_empty() && !sentence.contains('\n') || text.contains('\n'));
                }
            }
        }
        if let Err(e) = cnrm_engine::plan::yaml::parse(&text) {
            prop_assert!(e.pos.line >= 1 && e.pos.col >= 1);
            prop_assert!(!e.message(Lang::Fr).is_empty() && !e.help(Lang::En).is_empty());
        }
    }

    #[test]
    fn any_text_quoted_in_any_field(field in 0..FIELDS.len(), text in nasty(), en in any::<bool>()) {
        let plan = plan_with(FIELDS[field].0, &quoted(&text));
        assert_sound(&plan, if en { Lang::En } else { Lang::Fr })?;
    }

    #[test]
    fn any_text_written_raw_in_any_field(field in 0..FIELDS.len(), text in nasty()) {
        let plan = plan_with(FIELDS[field].0, &text);
        assert_sound(&plan, Lang::Fr)?;
    }
}

/// The concrete inputs: each refused with its own diagnostic on its own line.
#[test]
fn concrete_inputs_are_diagnostics_on_their_line() {
    let cases: &[(&str, &str, &str)] = &[
        ("overdue_every", "\"1é\"", "invalid-duration"),
        ("before", "100000000d", "invalid-duration"),
        ("task.before", "100000000d", "invalid-duration"),
        ("schedule", "\"0 61 9 * *\"", "invalid-cron"),
        ("task.deadline", "0001-01-01", "invalid-date"),
        ("period.start", "0001-01-01", "invalid-date"),
        ("resource.amount", "1e400", "invalid-amount"),
        ("resource.amount", "\"9999999999999999\"", "invalid-amount"),
    ];
    for (field, value, code) in cases {
        let slot = format!("{{{field}}}");
        let line = TEMPLATE
            .lines()
            .position(|l| l.contains(&slot))
            .map(|i| i as u32 + 1)
            .expect("slot in the template");
        let plan = plan_with(field, value);
        let checked = check_source(&plan, "fuzz.yaml", Lang::Fr);
        assert!(checked.plan.is_none(), "{field}: {value} refused");
        assert!(
            checked
                .diagnostics
                .iter()
                .any(|d| d.code.as_str() == *code && d.line == line),
            "{field}: {value}: {:#?}",
            checked.diagnostics
        );
    }
}

/// A mapping of 100,000 keys is read whole (the duplicate-key check is linear).
#[test]
fn a_mapping_of_a_hundred_thousand_keys() {
    let mut text = String::from("big:\n");
    for i in 0..100_000 {
        text.push_str(&format!("  k{i}: {i}\n"));
    }
    let root = cnrm_engine::plan::yaml::parse(&text).expect("valid YAML");
    let cnrm_engine::plan::yaml::Kind::Map(top) = &root.kind else {
        panic!("a mapping")
    };
    let cnrm_engine::plan::yaml::Kind::Map(pairs) = &top[0].1.kind else {
        panic!("a mapping")
    };
    assert_eq!(pairs.len(), 100_000);
    text.push_str("  k17: again\n");
    let err = cnrm_engine::plan::yaml::parse(&text).expect_err("duplicate");
    assert_eq!(err.pos.line, 100_002);
    assert_eq!(
        err.message(Lang::En),
        "duplicate key `k17` at line 100002, column 3 (already written at line 19)"
    );
}

/// A member's line as a phone or a hurried hand may write it: words of the grammar, numbers,
/// separators, accents, typographic characters, in any order.
fn reply_line() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("fait"),
        Just("terminé"),
        Just("en cours"),
        Just("bloqué"),
        Just("avancement"),
        Just("dépensé"),
        Just("montant"),
        Just("million"),
        Just("M"),
        Just("F CFA"),
        Just("report"),
        Just("au T2"),
        Just("le 12 mars"),
        Just("pour le"),
        Just("point"),
        Just("et"),
        Just("%"),
        Just("pour cent"),
        Just("(UE)"),
        Just("axe-1.a1"),
        Just("axe-1.a1@"),
        Just("vendredi dernier"),
        Just("merci"),
        Just("—"),
        Just("−"),
        Just("«"),
        Just("œ"),
        Just("é"),
    ];
    let piece = prop_oneof![
        word.prop_map(str::to_string),
        "[0-9]{1,12}",
        "[-+.,:;/ ]{1,3}",
        "[\u{a0}\u{202f}\u{2019}\u{200b}]",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..14).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The reply grammar and the cutting of quotes never panic, whatever a member writes, and
    /// a task it names is always one the message listed (or a number it did not).
    #[test]
    fn the_reply_grammar_never_panics(line in reply_line(), text in any::<String>()) {
        use cnrm_engine::inbox::grammar::{read_line, TaskRef};
        let ids = vec!["axe-1.a1@2026-03-31".to_string(), "axe-1.a2".to_string()];
        for l in read_line(&line, &ids) {
            if let TaskRef::Task(t) = &l.task {
                prop_assert!(ids.contains(t), "{line:?} named {t}");
            }
        }
        let _ = read_line(&text, &ids);
        let _ = cnrm_engine::inbox::read::own_words(&format!("{line}\n> {text}\n{text}"), &text, &ids);
        let _ = cnrm_engine::inbox::grammar::amount(&line);
    }
}
