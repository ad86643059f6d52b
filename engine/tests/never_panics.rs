//! The loader never panics, whatever it is given: arbitrary bytes, arbitrary YAML documents built
//! from the format's own keys, and real plans with random damage.

use cnrm_engine::plan::check_source;
use cnrm_engine::Lang;
use proptest::prelude::*;

const EXAMPLE: &str = include_str!("../../plans/pao-cnrm-2025-2027.yaml");

const KEYS: &[&str] = &[
    "version",
    "plan",
    "id",
    "title",
    "period",
    "start",
    "end",
    "timezone",
    "currency",
    "language",
    "secretariat",
    "exchange_rates",
    "reminders",
    "schedule",
    "before",
    "digest",
    "calendar",
    "weekend",
    "holidays",
    "from",
    "to",
    "owners",
    "name",
    "email",
    "parent",
    "priorities",
    "tasks",
    "owner",
    "partners",
    "deadline",
    "repeat",
    "depends_on",
    "milestone",
    "renamed_from",
    "resources",
    "kind",
    "amount",
    "funder",
    "status",
    "quantity",
    "indicators",
    "baseline",
    "target",
    "due",
];

const SCALARS: &[&str] = &[
    "1",
    "2",
    "T3 2025",
    "2025-02-30",
    "2025-09",
    "continu",
    "14d",
    "0 8 * * MON-FRI",
    "* * *",
    "-5",
    "6.000",
    "\"12 500 000\"",
    "EUR",
    "CHF",
    "axe-1.a1",
    "mmeia",
    "Axe 1",
    "fr",
    "en",
    "off",
    "true",
    "a@b.ml",
    "quarterly",
    "budget",
    "needed",
    "~",
    "",
    "é",
    "[]",
    "{}",
];

fn yaml_value() -> impl Strategy<Value = serde_yaml::Value> {
    let leaf = prop_oneof![
        prop::sample::select(SCALARS).prop_map(|s| serde_yaml::Value::String(s.to_string())),
        any::<i64>().prop_map(|n| serde_yaml::Value::Number(n.into())),
        any::<bool>().prop_map(serde_yaml::Value::Bool),
        Just(serde_yaml::Value::Null),
    ];
    leaf.prop_recursive(5, 200, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_yaml::Value::Sequence),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|pairs| {
                let mut m = serde_yaml::Mapping::new();
                for (k, v) in pairs {
                    m.insert(serde_yaml::Value::String(k.to_string()), v);
                }
                serde_yaml::Value::Mapping(m)
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let checked = check_source(&text, "fuzz.yaml", Lang::Fr);
        prop_assert!(checked.plan.is_some() || !checked.diagnostics.is_empty());
    }

    #[test]
    fn arbitrary_yaml_with_the_formats_keys(value in yaml_value()) {
        let text = serde_yaml::to_string(&value).unwrap_or_default();
        let checked = check_source(&text, "fuzz.yaml", Lang::En);
        for d in &checked.diagnostics {
            prop_assert!(d.line >= 1 && d.column >= 1, "positions are 1-based: {d:?}");
        }
    }

    #[test]
    fn damaged_real_plan(cut in 0usize..EXAMPLE.len(), len in 0usize..40, insert in "[ -~éà\n\t:{}\\[\\]#&*!|>'\"-]{0,8}") {
        let mut text: String = EXAMPLE.chars().take(cut).collect();
        text.push_str(&insert);
        text.extend(EXAMPLE.chars().skip(cut + len));
        let checked = check_source(&text, "damaged.yaml", Lang::Fr);
        prop_assert!(checked.plan.is_some() || checked.errors() > 0);
    }
}

#[test]
fn the_real_plan_loads_completely() {
    let checked = check_source(EXAMPLE, "pao.yaml", Lang::Fr);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let plan = checked.plan.expect("valid plan");
    assert_eq!(plan.priorities.len(), 6);
    assert!(plan.tasks().count() >= 30);
    let coled = plan.tasks().filter(|(_, t)| t.owners.len() > 1).count();
    assert!(coled >= 2, "co-led tasks");
    let quarterly = plan
        .tasks()
        .find(|(_, t)| t.id == "axe-6.a2")
        .map(|(_, t)| t.occurrences(plan.start, plan.end).len());
    assert_eq!(quarterly, Some(12), "a quarterly report over three years");
    let kits = plan
        .tasks()
        .find(|(_, t)| t.id == "axe-3.a3")
        .expect("kits");
    assert_eq!(
        kits.1.resources[0].amount_in_plan_currency,
        Some(1_200_000.0 * 655.957)
    );
    assert_eq!(plan.owner("dgme").map(|o| o.emails.len()), Some(2));
}
