//! Plan workbooks (`.xlsx`, `.ods`): the same plan as a YAML file, in sheets and cells
//! (`../shared/spec/workbook.md`).
//!
//! `columns` is the one table of sheets and columns (names in French and English, the YAML key of
//! each, enumeration labels, descriptions) that the reader, the converter and the template share.

pub mod columns;
pub mod convert;
pub mod read;

pub use read::{check, is_workbook_path, Refusal, Workbook};
