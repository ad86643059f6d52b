//! `cnrm plan schema`: a JSON Schema that editors use, checked against the real example plans.

use crate::common::*;

fn schema() -> jsonschema::Validator {
    let out = run(&["plan", "schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value =
        serde_json::from_str(&stdout(&out)).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn as_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("readable");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    serde_json::to_value(yaml).expect("YAML maps to JSON")
}

#[test]
fn every_example_plan_matches_the_schema() {
    let validator = schema();
    for plan in example_plans() {
        let doc = as_json(&plan);
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", plan.display());
    }
}

#[test]
fn the_schema_refuses_structural_mistakes() {
    let validator = schema();
    for name in [
        "unknown-field",
        "missing-field",
        "invalid-id",
        "unsupported-version",
        "invalid-value",
        "invalid-duration",
    ] {
        let doc = as_json(&fixture(&format!("{name}.yaml")));
        assert!(
            !validator.is_valid(&doc),
            "{name} should be refused by the schema"
        );
    }
    // A date in none of the forms (the schema checks forms; impossible days are the checker's).
    let mut doc = as_json(&root().join("plans/exemple.yaml"));
    assert!(validator.is_valid(&doc));
    doc["priorities"][0]["tasks"][0]["deadline"] = serde_json::json!("30/09/25");
    assert!(
        !validator.is_valid(&doc),
        "a date in no known form is refused"
    );
}

/// The schema as `cnrm plan schema` prints it.
fn schema_json() -> serde_json::Value {
    let out = run(&["plan", "schema"]);
    assert_eq!(out.status.code(), Some(0));
    serde_json::from_str(&stdout(&out)).expect("the schema is JSON")
}

/// A validator for one definition of the schema (`date`, `amount`, ...).
fn definition(schema: &serde_json::Value, name: &str) -> jsonschema::Validator {
    let doc = serde_json::json!({
        "$schema": schema["$schema"],
        "definitions": schema["definitions"],
        "$ref": format!("#/definitions/{name}"),
    });
    jsonschema::validator_for(&doc).unwrap_or_else(|e| panic!("definition {name}: {e}"))
}

fn accepts(v: &jsonschema::Validator, text: &str) -> bool {
    v.is_valid(&serde_json::json!(text))
}

#[test]
fn the_schema_refuses_the_value_forms_the_checker_refuses() {
    let validator = schema();
    for name in [
        "invalid-amount",
        "invalid-email",
        "edge-duration-huge",
        "edge-duration-accent",
        "edge-year-one",
    ] {
        let doc = as_json(&fixture(&format!("{name}.yaml")));
        assert!(
            !validator.is_valid(&doc),
            "{name} should be refused by the schema"
        );
    }
}

#[test]
fn dates_and_deadlines_take_the_checkers_forms() {
    use cnrm_engine::plan::values::{parse_date, DateError};
    let schema = schema_json();
    let (date, deadline) = (definition(&schema, "date"), definition(&schema, "deadline"));
    let day = definition(&schema, "day");
    let mut samples: Vec<String> = Vec::new();
    for y in ["0001", "1899", "1900", "2025", "2200", "2201", "9999", "25"] {
        for m in ["00", "01", "02", "09", "12", "13", "9"] {
            samples.push(format!("{y}-{m}"));
            for d in ["00", "01", "28", "29", "30", "31", "32", "1"] {
                samples.push(format!("{y}-{m}-{d}"));
            }
        }
        for letter in ["T", "Q", "S", "t", "q", "s", "X"] {
            for n in 0..=5 {
                for sep in [" ", "  ", "-", "- ", " -", ""] {
                    samples.push(format!("{letter}{n}{sep}{y}"));
                }
            }
        }
    }
    samples.extend(
        [
            "30/09/2025",
            "septembre",
            "",
            " 2025-09-30 ",
            "2025-é1-01",
            "demain",
        ]
        .map(String::from),
    );
    for s in &samples {
        let checked = parse_date(s);
        // The schema checks the forms and the years; impossible days (2025-02-30) are the
        // checker's.
        let form_ok = matches!(checked, Ok(_) | Err(DateError::Impossible));
        let ok = checked.is_ok();
        let a = accepts(&date, s);
        assert!(!ok || a, "the checker reads `{s}`, the schema refuses it");
        assert!(!a || form_ok, "the schema accepts `{s}`: {checked:?}");
        assert_eq!(accepts(&deadline, s), a, "deadline `{s}`");
        let is_day = checked.is_ok() && s.trim().len() == 10;
        assert!(!is_day || accepts(&day, s), "holiday `{s}`");
        assert!(!accepts(&day, s) || s.trim().len() == 10, "holiday `{s}`");
    }
    for s in ["continu", "Continu", "CONTINU", " continu "] {
        assert!(accepts(&deadline, s) && !accepts(&date, s), "{s}");
    }
    assert!(!accepts(&deadline, "continue"));
}

#[test]
fn durations_take_the_checkers_forms() {
    use cnrm_engine::plan::values::parse_duration;
    let schema = schema_json();
    let (duration, interval) = (
        definition(&schema, "duration"),
        definition(&schema, "interval"),
    );
    let mut samples: Vec<String> = Vec::new();
    for n in (0..=4000).chain([9999, 100000000]) {
        for unit in ["d", "j", "w", "D", "x", ""] {
            samples.push(format!("{n}{unit}"));
        }
        samples.push(format!("00{n}d"));
    }
    samples.extend(
        [
            "3 days",
            "trois jours",
            "-3d",
            "+3d",
            "3.5d",
            "1é",
            "é",
            " 14d ",
            "٣d",
        ]
        .map(String::from),
    );
    for s in &samples {
        let checked = parse_duration(s);
        assert_eq!(accepts(&duration, s), checked.is_ok(), "duration `{s}`");
        assert_eq!(
            accepts(&interval, s),
            checked.is_ok_and(|d| d >= 1),
            "overdue_every `{s}`"
        );
    }
}

#[test]
fn amounts_take_the_checkers_forms() {
    use cnrm_engine::plan::values::parse_amount;
    let schema = schema_json();
    let amount = definition(&schema, "amount");
    for s in [
        "12 500 000",
        "12_500_000",
        "12\u{a0}500",
        "12\u{202f}500",
        "1500.5",
        " 7 ",
        "+5",
        ".5",
        "6.000",
        "999 999 999 999 999",
        "1000000000000000",
        "1 000 000 000 000 000.00",
        "1000000000000001",
        "1000000000000000.5",
        "9999999999999999",
        "beaucoup",
        "1.2.3",
        "12é",
        "-5",
        "1e5",
        "",
    ] {
        assert_eq!(
            accepts(&amount, s),
            parse_amount(s).is_ok(),
            "amount `{s}`: {:?}",
            parse_amount(s)
        );
    }
    for (n, ok) in [
        (serde_json::json!(0), true),
        (serde_json::json!(12500000), true),
        (serde_json::json!(1e15), true),
        (serde_json::json!(-1), false),
        (serde_json::json!(-0.5), false),
        (serde_json::json!(1e15 + 1.0), false),
        (serde_json::json!(true), false),
        (serde_json::json!([1]), false),
    ] {
        assert_eq!(amount.is_valid(&n), ok, "amount {n}");
    }
}

#[test]
fn currencies_are_the_current_iso_codes_and_fcfa() {
    use cnrm_engine::plan::currency::{read, Currency};
    let schema = schema_json();
    let currency = definition(&schema, "currency");
    let letters = b'A'..=b'Z';
    for a in letters.clone() {
        for b in letters.clone() {
            for c in letters.clone() {
                let code = String::from_utf8(vec![a, b, c]).expect("ASCII");
                assert_eq!(
                    accepts(&currency, &code),
                    matches!(read(&code), Currency::Known(_)),
                    "currency `{code}`"
                );
            }
        }
    }
    for s in [
        "FCFA",
        "fcfa",
        "F CFA",
        "f cfa",
        "CFA",
        "Cfa",
        " F\u{a0}CFA ",
        " EUR ",
        "usd",
        "francs",
        "euros",
        "",
        "EURO",
    ] {
        assert_eq!(
            accepts(&currency, s),
            matches!(read(s), Currency::Known(_)),
            "currency `{s}`"
        );
    }
}

#[test]
fn ids_emails_and_weekdays_take_the_checkers_forms() {
    use cnrm_engine::plan::values::{is_valid_email, is_valid_id};
    let schema = schema_json();
    let id = definition(&schema, "id");
    let long = "a".repeat(64);
    let too_long = "a".repeat(65);
    for s in [
        "axe-1.a1", "0abc_d", "st-cnrm", &long, &too_long, "Axe-1", "-a", "a b", "", "é",
    ] {
        assert_eq!(accepts(&id, s), is_valid_id(s), "id `{s}`");
    }
    let email = definition(&schema, "email");
    for s in [
        "focal.dgme@example.ml",
        "Secrétariat CNRM <cnrm@example.ml>",
        "focal.dgme.example.ml",
        "a@@b",
        "a b@example.ml",
    ] {
        assert_eq!(accepts(&email, s), is_valid_email(s), "e-mail `{s}`");
    }
    let weekday = definition(&schema, "weekday");
    for day in [
        "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN", "LUN", "MAR", "MER", "JEU", "VEN", "SAM",
        "DIM",
    ] {
        for s in [
            day.to_string(),
            day.to_lowercase(),
            format!("{}{}", &day[..1], day[1..].to_lowercase()),
        ] {
            assert!(accepts(&weekday, &s), "weekday `{s}`");
        }
    }
    for s in ["dimanche", "SUNDAY", "7", ""] {
        assert!(!accepts(&weekday, s), "weekday `{s}`");
    }
}

/// Every key of every mapping (and every definition) tells an editor what it is, in French then
/// English; every pattern has its own message; the French halves have French typography.
#[test]
fn every_leaf_is_described_and_every_pattern_explained() {
    let schema = schema_json();
    let defs = schema["definitions"].as_object().expect("definitions");
    let mut problems = Vec::new();
    fn walk(
        node: &serde_json::Value,
        path: &str,
        defs: &serde_json::Map<String, serde_json::Value>,
        problems: &mut Vec<String>,
    ) {
        let Some(obj) = node.as_object() else {
            if let Some(items) = node.as_array() {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}/{i}"), defs, problems);
                }
            }
            return;
        };
        if obj.contains_key("pattern") && !obj.contains_key("patternErrorMessage") {
            problems.push(format!("{path}: a pattern without patternErrorMessage"));
        }
        if let Some(values) = obj.get("enum").and_then(|e| e.as_array()) {
            let described = obj
                .get("enumDescriptions")
                .and_then(|d| d.as_array())
                .is_some_and(|d| d.len() == values.len());
            if !described {
                problems.push(format!(
                    "{path}: an enum without one enumDescription per value"
                ));
            }
        }
        if let Some(props) = obj.get("properties").and_then(|p| p.as_object()) {
            for (key, prop) in props {
                let own = prop.get("description").is_some();
                let by_ref = prop
                    .get("$ref")
                    .and_then(|r| r.as_str())
                    .and_then(|r| r.strip_prefix("#/definitions/"))
                    .and_then(|d| defs.get(d))
                    .is_some_and(|d| d.get("description").is_some());
                if !own && !by_ref {
                    problems.push(format!("{path}/properties/{key}: no description"));
                }
            }
        }
        for (key, value) in obj {
            let texts: Vec<&str> = match (key.as_str(), value) {
                ("description" | "patternErrorMessage" | "errorMessage", v) => {
                    v.as_str().into_iter().collect()
                }
                ("enumDescriptions", v) => v
                    .as_array()
                    .map(|a| a.iter().filter_map(|t| t.as_str()).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            for text in texts {
                let Some((fr, _en)) = text.split_once(" / ") else {
                    problems.push(format!("{path}/{key}: not `French / English`: {text}"));
                    continue;
                };
                // Outside `code`, a non-breaking space (never a plain one) before : ; ? !
                let prose: String = fr.split('`').step_by(2).collect::<Vec<_>>().join("`");
                for mark in [" :", " ;", " ?", " !"] {
                    if prose.contains(mark) {
                        problems.push(format!("{path}/{key}: `{mark}` with a plain space: {fr}"));
                    }
                }
                if fr.contains("YYYY") {
                    problems.push(format!("{path}/{key}: YYYY in French (AAAA-MM-JJ): {fr}"));
                }
            }
            if key != "enum" && key != "const" {
                walk(value, &format!("{path}/{key}"), defs, problems);
            }
        }
    }
    walk(&schema, "#", defs, &mut problems);
    for (name, def) in defs {
        if def.get("description").is_none() {
            problems.push(format!("#/definitions/{name}: no description"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The editor takes what `plan check` reads: the workbook's French words, day-first dates,
/// `oui`, amounts with a decimal comma or a word, `funders`, `until`, `semiannual`.
#[test]
fn the_schema_takes_the_workbook_values_and_the_new_keys() {
    let validator = schema();
    let mut doc = as_json(&root().join("plans/exemple.yaml"));
    doc["funders"] = serde_json::json!([{ "id": "bn", "name": "Budget national" }]);
    let task = &mut doc["priorities"][0]["tasks"][0];
    task["deadline"] = serde_json::json!("31/03/2026");
    task["milestone"] = serde_json::json!("oui");
    task["repeat"] = serde_json::json!("Semestrielle");
    task["until"] = serde_json::json!("S2 2026");
    task["resources"] = serde_json::json!([
        { "kind": "personnel", "quantity": "2,5" },
        { "kind": "budget", "amount": "1,5 million", "status": "acquis", "funder": "Budget national" },
        { "kind": "budget", "amount": "350 000,50", "status": "à rechercher" },
    ]);
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    doc["priorities"][0]["tasks"][0]["repeat"] = serde_json::json!("parfois");
    assert!(!validator.is_valid(&doc));
    let amount = definition(&schema_json(), "amount");
    assert!(accepts(&amount, "350 000,50") && accepts(&amount, "2 milliards"));
    assert!(!accepts(&amount, "1,5 billion"));
}
