//! cnrm's engine: the plan format, validation, and (in later modules) the store, scheduling and
//! mail. It knows nothing of terminals; the `cnrm` command in `tui/` is its only front end.
#![forbid(unsafe_code)]

pub mod chronogram;
pub mod clock;
pub mod config;
pub mod figures;
pub mod ical;
pub mod imap;
pub mod inbox;
pub mod lang;
pub mod mail;
pub mod plan;
pub mod records;
pub mod remind;
pub mod report;
pub mod schedule;
pub mod service;
pub mod store;
pub mod text;
pub mod token;
pub mod url;
pub mod workbook;
pub mod workflow;

pub use lang::Lang;
