//! The `cnrm` command: the command line (`cli`) and the terminal UI (`ui`) over the engine.
//!
//! This crate owns everything about terminals and arguments; the engine owns the logic. `cli`
//! and `ui` both stand on `context` (the global options, the context made from them, what
//! people type) and `strings`; `cli` opens `ui`, never the reverse. Human output is French by
//! default and English with `--lang en`; JSON keys are never translated.
#![forbid(unsafe_code)]

pub mod cli;
pub mod context;
pub mod history;
pub mod strings;
pub mod ui;

pub use cli::run;
