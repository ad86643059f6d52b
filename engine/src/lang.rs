//! The two languages of cnrm's users, and the one helper every localised message goes through.
//!
//! French comes first: every user-facing sentence is written in French and English side by side at
//! the place that produces it (`tr!`), so no message can exist in one language only.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" | "fr_fr" | "fr-fr" | "français" | "francais" => Ok(Lang::Fr),
            "en" | "en_us" | "en-us" | "en_gb" | "en-gb" | "english" => Ok(Lang::En),
            _ => Err(format!("unknown language `{s}` (fr, en)")),
        }
    }
}

/// `tr!(lang, "texte {x}", "text {x}")`: the message in the reader's language.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $fr:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::lang::Lang::Fr => format!($fr $(, $arg)*),
            $crate::lang::Lang::En => format!($en $(, $arg)*),
        }
    };
}
