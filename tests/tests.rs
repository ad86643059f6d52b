//! End-to-end tests: the real `cnrm` binary on real files (and, in later suites, real databases,
//! a real SMTP server and a real terminal). One test binary, one module per topic.

mod common;

mod mail_bounds;
mod mail_faults;
mod mail_fetch;
mod mail_replies;
mod outbox_truth;
mod overview;
mod plan_check;
mod plan_schema;
mod plan_schema_editor;
mod plan_values;
mod remind;
mod reply_corpus;
mod report;
mod report_svg;
mod safety;
mod secretariat;
mod store_cli;
mod store_story;
mod tui;
mod tui_screens;
mod workbook_bounds;
mod workbook_read;
mod xlsx_write;
