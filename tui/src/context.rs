//! What every command and the terminal UI work with: the global options as typed, the context
//! made from them (database, language, actor, clock), and how people type values: statuses in
//! French or English, dates as `AAAA-MM-JJ` or `JJ/MM/AAAA`, amounts grouped by spaces, durations.
//!
//! It sits beneath both `cli` and `ui`, which use it and never each other's insides; it prints
//! nothing. A value that cannot be used is a [`BadValue`]: the sentence in both languages, so
//! that clap's value parsers (which run before anything knows the language for sure) can refuse
//! it and the edge says it in the user's language.

use crate::strings;
use chrono::{Datelike, NaiveDate};
use clap::Args;
use cnrm_engine::clock::Clock;
use cnrm_engine::store::DbUrl;
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Base de données : chemin SQLite, sqlite://… ou postgres://… / database URL
    #[arg(long, global = true, env = "CNRM_DATABASE_URL", value_name = "URL", value_parser = parse_db, hide_env_values = true)]
    pub db: Option<DbUrl>,
    /// Langue des messages : fr ou en / language of human output
    #[arg(long, global = true, env = "CNRM_LANG", default_value = "fr", value_parser = parse_lang, hide_env_values = true)]
    pub lang: Lang,
    /// Qui agit (enregistré dans l'historique) / who is acting
    #[arg(
        long = "as",
        global = true,
        env = "CNRM_ACTOR",
        value_name = "NAME",
        hide_env_values = true
    )]
    pub actor: Option<String>,
    /// Date courante simulée, AAAA-MM-JJ ou RFC 3339 / pretend the current time is TIME
    #[arg(long, global = true, env = "CNRM_NOW", value_name = "TIME", value_parser = parse_now, hide_env_values = true)]
    pub now: Option<Clock>,
}

/// A value the user typed that cannot be used, said in both languages (see the module's note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadValue {
    fr: String,
    en: String,
}

impl BadValue {
    /// The sentence `say` makes, in both languages.
    pub fn new(say: impl Fn(Lang) -> String) -> BadValue {
        BadValue {
            fr: say(Lang::Fr),
            en: say(Lang::En),
        }
    }

    pub fn say(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for BadValue {}

/// The language of messages before the arguments are parsed (an argument error is said in it):
/// the last `--lang X` or `--lang=X` of `args` before a `--`, else `CNRM_LANG`, else French.
pub fn early_lang(args: &[std::ffi::OsString], env: Option<&str>) -> Lang {
    let mut found = None;
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            found = args.next().map(|v| v.into_owned());
        } else if let Some(v) = arg.strip_prefix("--lang=") {
            found = Some(v.to_string());
        }
    }
    let known = |v: Option<&str>| v.and_then(|v| v.parse::<Lang>().ok());
    known(found.as_deref()).or(known(env)).unwrap_or_default()
}

fn parse_lang(s: &str) -> Result<Lang, BadValue> {
    s.parse().map_err(|_| BadValue::new(strings::bad_lang))
}

fn parse_db(s: &str) -> Result<DbUrl, BadValue> {
    DbUrl::parse(s).map_err(|e| BadValue::new(|l| strings::bad_db(l, &e)))
}

/// `--now`: a day or an instant, within the years every date of cnrm lies in.
fn parse_now(s: &str) -> Result<Clock, BadValue> {
    Clock::parse(s)
        .filter(|c| YEARS.contains(&c.now().year()))
        .ok_or_else(|| BadValue::new(strings::bad_now))
}

/// What every command needs: language, clock, actor and database.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub clock: Clock,
    pub actor: String,
    pub db: DbUrl,
}

impl Ctx {
    /// The context of `g`: the default database and the OS user name where `g` says nothing.
    pub fn from_global(g: &Global) -> Ctx {
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
        Ctx {
            lang: g.lang,
            clock: g.now.unwrap_or(Clock::System),
            actor,
            db: g.db.clone().unwrap_or_else(DbUrl::default_sqlite),
        }
    }
}

/// A count such as `daemon --next N`: 1 to 1000.
pub fn count(text: &str) -> Result<usize, BadValue> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=1000).contains(n))
        .ok_or_else(|| BadValue::new(strings::bad_count))
}

/// The years a typed date may fall in (as in plans).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The largest amount or value cnrm takes (as in plans): 10^15.
pub const MAX_AMOUNT: f64 = 1e15;

/// The longest typed duration, in days (as in plans): ten years.
pub const MAX_DAYS: u32 = 3650;

/// Parses a number as people type it: `12 500`, `12_500`, `1500,5`, `2 500 000,50` (spaces
/// may be non-breaking, as word processors write them), `1,5 million`: the plan format's own
/// reader, so that the command line and plans take the same amounts.
pub fn parse_number(text: &str) -> Option<f64> {
    cnrm_engine::plan::values::parse_number(text)
}

/// Parses a day as `AAAA-MM-JJ` or `JJ/MM/AAAA`, within [`YEARS`].
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    day(text).ok()
}

/// A day typed by the user, or the sentence saying why it is not one.
pub fn day(text: &str) -> Result<NaiveDate, BadValue> {
    let t = text.trim();
    let number = |s: &str, max_len: usize| {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let ymd = |y: &str, m: &str, d: &str| Some((number(y, 4)?, number(m, 2)?, number(d, 2)?));
    let parts = if t.contains('/') {
        match t.split('/').collect::<Vec<_>>().as_slice() {
            [d, m, y] if y.len() == 4 => ymd(y, m, d),
            _ => None,
        }
    } else {
        match t.split('-').collect::<Vec<_>>().as_slice() {
            [y, m, d] if y.len() == 4 => ymd(y, m, d),
            _ => None,
        }
    };
    let Some((y, m, d)) = parts else {
        return Err(BadValue::new(strings::bad_day));
    };
    let year = y as i32;
    if !YEARS.contains(&year) {
        return Err(BadValue::new(strings::date_out_of_range));
    }
    NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| BadValue::new(strings::no_such_day))
}

/// A word or two as people type them, for matching: accents and letter case ignored, `_` and
/// `-` read as spaces, spaces squeezed (`In_Progress` and `in  progress` are `in progress`).
fn typed_words(text: &str) -> String {
    let folded = cnrm_engine::text::fold(text.trim());
    let words: Vec<&str> = folded
        .split([' ', '_', '-'])
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

/// A status as people type it: the English names (`in_progress`, `in progress`) or the French
/// labels (`en cours`, `terminée`), accents and letter case ignored.
pub fn status(text: &str) -> Result<Status, BadValue> {
    let found = match typed_words(text).as_str() {
        "todo" | "to do" | "a faire" => Some(Status::Todo),
        "in progress" | "en cours" | "ongoing" => Some(Status::InProgress),
        "blocked" | "bloque" | "bloquee" => Some(Status::Blocked),
        "suspended" | "suspendu" | "suspendue" => Some(Status::Suspended),
        "done" | "fait" | "faite" | "termine" | "terminee" => Some(Status::Done),
        "cancelled" | "canceled" | "annule" | "annulee" => Some(Status::Cancelled),
        _ => None,
    };
    found.ok_or_else(|| BadValue::new(strings::bad_status))
}

/// A state of the outbox, as `cnrm outbox --status` takes it: `pending`, `sent`, `failed` or
/// `superseded`, also in French (`en attente`, `envoyé`, `en échec`, `caduc`).
pub fn outbox_status(text: &str) -> Result<&'static str, BadValue> {
    let found = match typed_words(text).as_str() {
        "pending" | "en attente" | "attente" => Some("pending"),
        "sent" | "envoye" | "envoyes" | "envoyee" | "envoyees" => Some("sent"),
        "failed" | "en echec" | "echec" | "echoue" | "echoues" => Some("failed"),
        "superseded" | "caduc" | "caducs" | "remplace" | "remplaces" => Some("superseded"),
        _ => None,
    };
    found.ok_or_else(|| BadValue::new(strings::bad_outbox_status))
}

/// A state of the inbox, as `cnrm inbox --status` takes it: `applied`, `rejected`, `ignored`,
/// also in French (`appliqué`, `refusé`, `ignoré`).
pub fn inbox_status(text: &str) -> Result<&'static str, BadValue> {
    let found = match typed_words(text).as_str() {
        "applied" | "applique" | "appliques" | "appliquee" | "appliquees" => Some("applied"),
        "rejected" | "refuse" | "refuses" | "refusee" | "refusees" | "rejete" | "rejetes" => {
            Some("rejected")
        }
        "ignored" | "ignore" | "ignores" | "ignoree" | "ignorees" => Some("ignored"),
        _ => None,
    };
    found.ok_or_else(|| BadValue::new(strings::bad_inbox_status))
}

/// An amount spent: a number of at most 10^15, not negative.
pub fn amount(text: &str) -> Result<f64, BadValue> {
    let v = parse_number(text).ok_or_else(|| BadValue::new(strings::bad_amount))?;
    if v < 0.0 {
        return Err(BadValue::new(strings::negative_amount));
    }
    if v > MAX_AMOUNT {
        return Err(BadValue::new(strings::too_large));
    }
    Ok(v)
}

/// A measured value: a number between -10^15 and 10^15.
pub fn measure(text: &str) -> Result<f64, BadValue> {
    let v = parse_number(text).ok_or_else(|| BadValue::new(strings::bad_measure))?;
    if v.abs() > MAX_AMOUNT {
        return Err(BadValue::new(strings::too_large));
    }
    Ok(v)
}

/// A progress percentage, 0 to 100 (`60` or `60 %`).
pub fn progress(text: &str) -> Result<i64, BadValue> {
    let t = text.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    t.parse::<i64>()
        .ok()
        .filter(|p| (0..=100).contains(p))
        .ok_or_else(|| BadValue::new(strings::bad_progress))
}

/// A duration as plans write it (`14d`, `14j`, `2w`), through the plan format's own parser, at
/// most [`MAX_DAYS`] days: the date arithmetic it feeds cannot overflow.
pub fn duration_days(text: &str) -> Result<u32, BadValue> {
    // Durations are ASCII: anything else is refused before the parser sees it.
    use cnrm_engine::plan::values::{parse_duration, DurationError};
    match parse_duration(text) {
        Ok(days) if days <= MAX_DAYS => Ok(days),
        Ok(_) | Err(DurationError::TooLong) => Err(BadValue::new(strings::duration_too_long)),
        Err(DurationError::Form) => Err(BadValue::new(strings::bad_days)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text people might type, and worse: non-ASCII, control characters, huge numbers.
    fn typed() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[0-9]{1,30}[dDjJwWsé ]?",
            "-?[0-9 ,.]{0,25}( ?%|€|é)?",
            "[0-9]{1,4}[-/][0-9]{1,4}[-/][0-9]{1,6}(T[0-9:]{0,12}Z?)?",
            "(pending|sent|en cours|fait|à faire|\u{1b}|\u{0}|é|  ){1,4}",
            "(postgres|sqlite|mysql)://[a-z:@/?% é]{0,30}",
        ]
    }

    fn said(b: &BadValue) -> bool {
        [Lang::Fr, Lang::En]
            .iter()
            .all(|&l| !b.say(l).trim().is_empty() && !b.say(l).contains('\n'))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Every value parser of the command line answers any text with a value or one
        /// sentence in each language; none panics.
        #[test]
        fn every_value_parser_answers_any_text(text in typed()) {
            let answers = [
                status(&text).map(|_| ()),
                outbox_status(&text).map(|_| ()),
                amount(&text).map(|_| ()),
                measure(&text).map(|_| ()),
                progress(&text).map(|_| ()),
                duration_days(&text).map(|_| ()),
                day(&text).map(|_| ()),
                count(&text).map(|_| ()),
                parse_lang(&text).map(|_| ()),
                parse_now(&text).map(|_| ()),
                parse_db(&text).map(|_| ()),
            ];
            for answer in answers {
                if let Err(b) = answer {
                    prop_assert!(said(&b), "{text:?}: {:?}", b.say(Lang::Fr));
                }
            }
            if let Ok(v) = amount(&text) {
                prop_assert!(v.is_finite() && (0.0..=MAX_AMOUNT).contains(&v));
            }
            if let Ok(d) = duration_days(&text) {
                prop_assert!(d <= MAX_DAYS);
            }
            if let Ok(p) = progress(&text) {
                prop_assert!((0..=100).contains(&p));
            }
            let _ = early_lang(&[text.clone().into()], Some(&text));
        }
    }

    #[test]
    fn statuses_in_french_and_english() {
        for (typed, want) in [
            ("à faire", Status::Todo),
            ("A FAIRE", Status::Todo),
            ("todo", Status::Todo),
            ("en cours", Status::InProgress),
            ("in_progress", Status::InProgress),
            ("in-progress", Status::InProgress),
            ("Bloqué", Status::Blocked),
            ("bloquee", Status::Blocked),
            ("suspendu", Status::Suspended),
            ("fait", Status::Done),
            ("terminée", Status::Done),
            ("Terminé", Status::Done),
            ("annulée", Status::Cancelled),
            ("cancelled", Status::Cancelled),
        ] {
            assert_eq!(status(typed), Ok(want), "{typed}");
        }
        assert!(status("fini").is_err());
        assert!(status("").is_err());
    }

    #[test]
    fn days_in_both_forms_and_bounded() {
        let d = |s: &str| NaiveDate::from_ymd_opt(2025, 12, 31).filter(|_| !s.is_empty());
        assert_eq!(parse_day("2025-12-31"), d("x"));
        assert_eq!(parse_day("31/12/2025"), d("x"));
        assert_eq!(parse_day(" 31/12/2025 "), d("x"));
        assert_eq!(parse_day("5/1/2026"), NaiveDate::from_ymd_opt(2026, 1, 5));
        for bad in [
            "2025-02-30",
            "31/02/2025",
            "1899-12-31",
            "01/01/2201",
            "2025-13-01",
            "12/31",
            "2025/12/31",
            "31-12-2025",
            "",
            "3é/12/2025",
            "+2025-01-01",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        assert_eq!(
            day("2025-02-30").map_err(|e| e.say(Lang::En).to_string()),
            Err("this date does not exist".to_string())
        );
    }

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_number("2500000"), Some(2_500_000.0));
        assert_eq!(parse_number("2 500 000"), Some(2_500_000.0));
        assert_eq!(parse_number("2\u{a0}500\u{a0}000,50"), Some(2_500_000.5));
        assert_eq!(parse_number("1500.5"), Some(1500.5));
        assert_eq!(parse_number("-5"), Some(-5.0));
        assert_eq!(parse_number("1,5 million"), Some(1_500_000.0));
        for bad in [
            "", "-", "1e5", "inf", "NaN", "0x10", "1,5,0", "douze", "1.5é",
        ] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
        assert!(amount("-5").is_err());
        assert!(amount("2000000000000000").is_err());
        assert_eq!(measure("-5"), Ok(-5.0));
    }

    #[test]
    fn progress_and_durations_are_bounded() {
        assert_eq!(progress("60"), Ok(60));
        assert_eq!(progress("60 %"), Ok(60));
        assert_eq!(progress("0"), Ok(0));
        for bad in ["-5", "101", "abc", "", "99999999999999999999"] {
            assert!(progress(bad).is_err(), "{bad}");
        }
        assert_eq!(duration_days("14d"), Ok(14));
        assert_eq!(duration_days("2w"), Ok(14));
        assert!(duration_days("100000000d").is_err());
        assert!(duration_days("3é").is_err());
    }

    #[test]
    fn the_language_is_known_before_parsing() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(early_lang(&args(&["cnrm", "tasks"]), None), Lang::Fr);
        assert_eq!(early_lang(&args(&["cnrm", "tasks"]), Some("en")), Lang::En);
        assert_eq!(
            early_lang(&args(&["cnrm", "--lang", "en", "x"]), Some("fr")),
            Lang::En
        );
        assert_eq!(early_lang(&args(&["cnrm", "--lang=en"]), None), Lang::En);
        assert_eq!(
            early_lang(&args(&["cnrm", "--", "--lang=en"]), None),
            Lang::Fr
        );
        assert_eq!(
            early_lang(&args(&["cnrm", "--lang", "xx"]), Some("en")),
            Lang::En
        );
    }
}
