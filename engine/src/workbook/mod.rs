//! Plan workbooks (`.xlsx`, `.ods`): the same plan as a YAML file, in sheets and cells
//! (`../shared/spec/workbook.md`).
//!
//! `columns` is the one table of sheets and columns (names in French and English, the YAML key of
//! each, enumeration labels, descriptions) that the reader, the converter and the template share.

mod cells;
pub mod columns;
pub mod convert;
pub mod read;

pub use cells::{
    MAX_CELLS, MAX_CELL_CHARS, MAX_COLUMNS, MAX_PARTS, MAX_ROWS, MAX_XML_BYTES, MIN_CELLS,
    XML_BYTES_PER_CELL,
};
pub use read::{check, is_workbook_path, Refusal, Workbook};

// Writing workbooks: the report (`report`, with its `chronogram` sheet), the task list, and the
// plan template (`template`). `sheet` holds what they share: typed cells, a frozen and filterable
// header row, widths that fit. Writing is pure: each function returns the file's bytes, and the
// command line writes them whole or not at all.
pub mod chronogram;
pub mod report;
mod sheet;
pub mod template;

/// Why a workbook could not be made. `rust_xlsxwriter` fails only on what exceeds a
/// spreadsheet (rows, columns, a sheet name) or on a bug of ours; the edge says it in one
/// sentence, without the library's words.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// More rows or columns than a spreadsheet holds (1,048,576 rows, 16,384 columns).
    #[error("the workbook holds more rows or columns than a spreadsheet can")]
    TooLarge,
    #[error("the workbook could not be composed: {0}")]
    Xlsx(String),
}

impl From<rust_xlsxwriter::XlsxError> for WorkbookError {
    fn from(e: rust_xlsxwriter::XlsxError) -> WorkbookError {
        match e {
            rust_xlsxwriter::XlsxError::RowColumnLimitError => WorkbookError::TooLarge,
            other => WorkbookError::Xlsx(other.to_string()),
        }
    }
}
