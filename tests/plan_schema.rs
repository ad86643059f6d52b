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
    doc["priorities"][0]["tasks"][0]["deadline"] = serde_json::json!("30/09/2025");
    assert!(
        !validator.is_valid(&doc),
        "a date in no known form is refused"
    );
}
