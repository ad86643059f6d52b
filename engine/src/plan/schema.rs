//! The JSON Schema of the plan format, for editors (VS Code's YAML extension) to complete and
//! check plans as authors type. Kept by hand beside the validator: the tests check every example
//! plan against it, and that it refuses what the validator refuses structurally.

/// The schema document (JSON, draft 2020-12).
pub const SCHEMA: &str = include_str!("schema.json");
