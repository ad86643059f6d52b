//! The JSON Schema of the plan format, for editors (VS Code's YAML extension) to complete and
//! check plans as authors type. Kept by hand beside the validator: the tests check every example
//! plan against it, that it refuses what the validator refuses structurally, that its value forms
//! (dates, durations, amounts, currencies, ids) are the checker's, and that yaml-language-server
//! shows its French messages at the right place (`tests/plan_schema_editor.rs`).

/// The schema document (JSON Schema draft-07, with the `patternErrorMessage`, `errorMessage` and
/// `enumDescriptions` keywords that VS Code's YAML extension shows: French, then English).
pub const SCHEMA: &str = include_str!("schema.json");
