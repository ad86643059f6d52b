//! The plan format: read a YAML file, check it, and hand out a validated model.
//!
//! `yaml` builds a positioned tree, `validate` walks it into a `model::Plan` while collecting
//! `diag::Diagnostic`s, `values` knows the value forms, `schema` is the JSON Schema for editors.

pub mod currency;
pub mod diag;
pub mod model;
pub mod schema;
pub mod validate;
pub mod values;
pub mod yaml;

pub use diag::{Code, Diagnostic, Severity};
pub use model::Plan;
pub use validate::{check_source, check_tree, Checked, Found};
