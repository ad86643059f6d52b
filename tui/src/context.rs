//! What every command and the terminal UI work with: the global options as typed, the context
//! made from them (database URL, language, actor, clock), and how people type numbers and dates.
//!
//! It sits beneath both `cli` and `ui`, which use it and never each other's insides; it prints
//! nothing (its errors are sentences for the edge to say).

use clap::Args;
use cnrm_engine::clock::Clock;
use cnrm_engine::Lang;

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Base de données : chemin SQLite, sqlite://… ou postgres://… / database URL
    #[arg(long, global = true, env = "CNRM_DATABASE_URL", value_name = "URL")]
    pub db: Option<String>,
    /// Langue des messages : fr ou en / language of human output
    #[arg(long, global = true, env = "CNRM_LANG", default_value = "fr", value_parser = parse_lang)]
    pub lang: Lang,
    /// Qui agit (enregistré dans l'historique) / who is acting
    #[arg(long = "as", global = true, env = "CNRM_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,
    /// Date courante simulée, YYYY-MM-DD ou RFC 3339 / pretend the current time is TIME
    #[arg(long, global = true, env = "CNRM_NOW", value_name = "TIME")]
    pub now: Option<String>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

/// What every database command needs: language, clock, actor and database URL.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub clock: Clock,
    pub actor: String,
    pub db: String,
}

impl Ctx {
    /// The context of `g`; an unreadable `--now` is the sentence saying so.
    pub fn from_global(g: &Global) -> Result<Ctx, String> {
        let clock = match &g.now {
            None => Clock::System,
            Some(text) => {
                Clock::parse(text).ok_or_else(|| crate::strings::bad_now(g.lang, text))?
            }
        };
        let actor = g
            .actor
            .clone()
            .filter(|a| !a.trim().is_empty())
            .or_else(|| {
                ["USER", "LOGNAME", "USERNAME"]
                    .iter()
                    .find_map(|v| std::env::var(v).ok())
            })
            .filter(|a| !a.trim().is_empty())
            .or_else(|| {
                // Services often run without USER: the home folder's name is the account's.
                std::env::var_os("HOME")
                    .map(std::path::PathBuf::from)
                    .and_then(|h| h.file_name().map(|n| n.to_string_lossy().into_owned()))
            })
            .unwrap_or_else(|| "inconnu".into());
        let db =
            g.db.clone()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| cnrm_engine::store::default_path().display().to_string());
        Ok(Ctx {
            lang: g.lang,
            clock,
            actor,
            db,
        })
    }
}

/// Parses a number as people type it: `12 500`, `12_500`, `1500,5`.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '\u{a0}' | '\u{202f}'))
        .collect();
    cleaned
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// Parses a day as `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}
