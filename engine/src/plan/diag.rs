//! Diagnostics: what `cnrm plan check` reports, with the contract's codes and JSON shape.

use serde::Serialize;
use std::fmt;

/// Every diagnostic code of the plan format (`../shared/spec/plan-format.md`, "Diagnostics").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    YamlSyntax,
    UnsupportedVersion,
    UnknownField,
    MissingField,
    InvalidValue,
    InvalidId,
    DuplicateId,
    UnknownReference,
    DependencyCycle,
    InvalidDate,
    InvalidDuration,
    InvalidEmail,
    InvalidCron,
    InvalidAmount,
    UnknownCurrency,
    InvalidPeriod,
    DeadlineOutsidePeriod,
    DeadlineBeforeDependency,
    OwnerWithoutEmail,
    EmptyPriority,
    DeadlineOnNonWorkingDay,
    AmbiguousAmount,
    /// A workbook's rows hidden in the spreadsheet (read like the others; workbooks only, so not
    /// in [`Code::ALL`], which lists the YAML format's codes).
    HiddenRows,
    /// Merged cells below a workbook's header, read on every row they cover (workbooks only).
    MergedCells,
    /// A date cell on the 1st of a month in a deadline column: most likely a month that the
    /// spreadsheet turned into its first day (workbooks only).
    MonthAsDate,
}

impl Code {
    pub const ALL: [Code; 22] = [
        Code::YamlSyntax,
        Code::UnsupportedVersion,
        Code::UnknownField,
        Code::MissingField,
        Code::InvalidValue,
        Code::InvalidId,
        Code::DuplicateId,
        Code::UnknownReference,
        Code::DependencyCycle,
        Code::InvalidDate,
        Code::InvalidDuration,
        Code::InvalidEmail,
        Code::InvalidCron,
        Code::InvalidAmount,
        Code::UnknownCurrency,
        Code::InvalidPeriod,
        Code::DeadlineOutsidePeriod,
        Code::DeadlineBeforeDependency,
        Code::OwnerWithoutEmail,
        Code::EmptyPriority,
        Code::DeadlineOnNonWorkingDay,
        Code::AmbiguousAmount,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::YamlSyntax => "yaml-syntax",
            Code::UnsupportedVersion => "unsupported-version",
            Code::UnknownField => "unknown-field",
            Code::MissingField => "missing-field",
            Code::InvalidValue => "invalid-value",
            Code::InvalidId => "invalid-id",
            Code::DuplicateId => "duplicate-id",
            Code::UnknownReference => "unknown-reference",
            Code::DependencyCycle => "dependency-cycle",
            Code::InvalidDate => "invalid-date",
            Code::InvalidDuration => "invalid-duration",
            Code::InvalidEmail => "invalid-email",
            Code::InvalidCron => "invalid-cron",
            Code::InvalidAmount => "invalid-amount",
            Code::UnknownCurrency => "unknown-currency",
            Code::InvalidPeriod => "invalid-period",
            Code::DeadlineOutsidePeriod => "deadline-outside-period",
            Code::DeadlineBeforeDependency => "deadline-before-dependency",
            Code::OwnerWithoutEmail => "owner-without-email",
            Code::EmptyPriority => "empty-priority",
            Code::DeadlineOnNonWorkingDay => "deadline-on-non-working-day",
            Code::AmbiguousAmount => "ambiguous-amount",
            Code::HiddenRows => "hidden-rows",
            Code::MergedCells => "merged-cells",
            Code::MonthAsDate => "month-as-date",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::DeadlineOutsidePeriod
            | Code::DeadlineBeforeDependency
            | Code::OwnerWithoutEmail
            | Code::EmptyPriority
            | Code::DeadlineOnNonWorkingDay
            | Code::AmbiguousAmount
            | Code::HiddenRows
            | Code::MergedCells
            | Code::MonthAsDate => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a plan file. Serialises to the contract's JSON object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// In a workbook: the sheet's name as written in the workbook (`line` is then the row and
    /// `column` the column number, 1 = A).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// In a workbook: the cell (`H12`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

/// A column number (1 = A) as its letters (`AA` for 27).
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    while col > 0 {
        let rem = (col - 1) % 26;
        out.push(b'A' + rem as u8);
        col = (col - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
