//! cnrm's engine: the plan format, validation, and (in later modules) the store, scheduling and
//! mail. It knows nothing of terminals; the `cnrm` command in `tui/` is its only front end.
#![forbid(unsafe_code)]

pub mod clock;
pub mod config;
pub mod figures;
pub mod ical;
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
pub mod workflow;

pub use lang::Lang;

/// Frees `value` on a thread of its own: a large plan's model and rows are millions of small
/// allocations (0.1 s to free at 100,000 tasks), freed while the command reports and closes the
/// database; a command that has finished exits without waiting for it.
pub fn drop_later<T: Send + 'static>(value: T) {
    // If no thread can be started, the closure (and the value) is dropped here.
    let _ = std::thread::Builder::new()
        .name("cnrm-free".into())
        .spawn(move || drop(value));
}
