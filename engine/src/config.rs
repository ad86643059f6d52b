//! The optional configuration file: the same keys as the environment variables
//! (`CNRM_DATABASE_URL`, `CNRM_LANG`, `CNRM_SMTP_URL`, `CNRM_SMTP_FROM`, `CNRM_SMTP_PASSWORD_FILE`,
//! `CNRM_REPLY_TO`, `CNRM_IMAP_URL`, `CNRM_IMAP_PASSWORD_FILE`, `CNRM_IMAP_CA_FILE`,
//! `CNRM_TRUSTED_AUTHSERV`),
//! in YAML, read with serde. The environment wins over the file.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(rename = "CNRM_DATABASE_URL")]
    pub database_url: Option<String>,
    #[serde(rename = "CNRM_LANG")]
    pub lang: Option<String>,
    #[serde(rename = "CNRM_SMTP_URL")]
    pub smtp_url: Option<String>,
    #[serde(rename = "CNRM_SMTP_FROM")]
    pub smtp_from: Option<String>,
    #[serde(rename = "CNRM_SMTP_PASSWORD_FILE")]
    pub smtp_password_file: Option<String>,
    /// The address members answer to (`mail-replies.md`); `reply_to` is read too.
    #[serde(rename = "CNRM_REPLY_TO", alias = "reply_to")]
    pub reply_to: Option<String>,
    /// The IMAP mailbox `mail fetch` and the daemon read.
    #[serde(rename = "CNRM_IMAP_URL")]
    pub imap_url: Option<String>,
    #[serde(rename = "CNRM_IMAP_PASSWORD_FILE")]
    pub imap_password_file: Option<String>,
    #[serde(rename = "CNRM_IMAP_CA_FILE")]
    pub imap_ca_file: Option<String>,
    /// The receiving server whose `Authentication-Results` are believed (`mail-replies.md`).
    #[serde(rename = "CNRM_TRUSTED_AUTHSERV")]
    pub trusted_authserv: Option<String>,
}

impl FileConfig {
    /// Its settings as (variable, value) pairs.
    pub fn entries(&self) -> Vec<(&'static str, &str)> {
        [
            ("CNRM_DATABASE_URL", &self.database_url),
            ("CNRM_LANG", &self.lang),
            ("CNRM_SMTP_URL", &self.smtp_url),
            ("CNRM_SMTP_FROM", &self.smtp_from),
            ("CNRM_SMTP_PASSWORD_FILE", &self.smtp_password_file),
            ("CNRM_REPLY_TO", &self.reply_to),
            ("CNRM_IMAP_URL", &self.imap_url),
            ("CNRM_IMAP_PASSWORD_FILE", &self.imap_password_file),
            ("CNRM_IMAP_CA_FILE", &self.imap_ca_file),
            ("CNRM_TRUSTED_AUTHSERV", &self.trusted_authserv),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

/// `CNRM_CONFIG`, else `$XDG_CONFIG_HOME/cnrm/config.yaml`, else `~/.config/cnrm/config.yaml`.
pub fn default_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CNRM_CONFIG") {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("cnrm").join("config.yaml"))
}

/// Why a configuration file cannot be used; the CLI says it in one sentence (never quoting a
/// value, which may be a secret URL).
#[derive(Debug, PartialEq)]
pub enum ConfigError {
    /// The file exists but cannot be read (permission, a folder, not UTF-8...).
    Unreadable {
        path: PathBuf,
        kind: std::io::ErrorKind,
    },
    /// A key that is none of the five.
    UnknownKey {
        path: PathBuf,
        key: String,
        line: usize,
        column: usize,
    },
    /// Not YAML, not a mapping, or a value that is not a text.
    Invalid {
        path: PathBuf,
        /// Line and column, when the YAML reader gives them.
        at: Option<(usize, usize)>,
    },
}

/// The keys a configuration file may hold.
pub const KEYS: [&str; 10] = [
    "CNRM_DATABASE_URL",
    "CNRM_LANG",
    "CNRM_SMTP_URL",
    "CNRM_SMTP_FROM",
    "CNRM_SMTP_PASSWORD_FILE",
    "CNRM_REPLY_TO",
    "CNRM_IMAP_URL",
    "CNRM_IMAP_PASSWORD_FILE",
    "CNRM_IMAP_CA_FILE",
    "CNRM_TRUSTED_AUTHSERV",
];

/// Reads a configuration file; a missing file is an empty configuration.
pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
        Err(e) => {
            return Err(ConfigError::Unreadable {
                path: path.to_path_buf(),
                kind: e.kind(),
            })
        }
    };
    if text.trim().is_empty() {
        return Ok(FileConfig::default());
    }
    serde_yaml::from_str(&text).map_err(|e| {
        let at = e.location().map(|l| (l.line(), l.column()));
        let what = e.to_string();
        // serde's "unknown field `X`, expected one of ..." names the key written.
        let unknown = what
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
            .map(str::to_string);
        match unknown {
            Some(key) => ConfigError::UnknownKey {
                path: path.to_path_buf(),
                key,
                line: at.map_or(1, |a| a.0),
                column: at.map_or(1, |a| a.1),
            },
            None => ConfigError::Invalid {
                path: path.to_path_buf(),
                at,
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_same_keys_as_the_environment() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("config.yaml");
        std::fs::write(&path, "CNRM_SMTP_URL: smtp://127.0.0.1:2525\nCNRM_SMTP_FROM: \"Secrétariat CNRM <cnrm@example.ml>\"\n").expect("write");
        let c = load(&path).expect("valid");
        assert_eq!(
            c.entries(),
            [
                ("CNRM_SMTP_URL", "smtp://127.0.0.1:2525"),
                ("CNRM_SMTP_FROM", "Secrétariat CNRM <cnrm@example.ml>")
            ]
        );
        std::fs::write(&path, "CNRM_SMTP_URLL: x\n").expect("write");
        assert_eq!(
            load(&path),
            Err(ConfigError::UnknownKey {
                path: path.clone(),
                key: "CNRM_SMTP_URLL".into(),
                line: 1,
                column: 1
            })
        );
        std::fs::write(&path, "CNRM_LANG: fr\nCNRM_SMTP_URL: [a, b]\n").expect("write");
        assert_eq!(
            load(&path),
            Err(ConfigError::Invalid {
                path: path.clone(),
                at: Some((2, 16))
            })
        );
        std::fs::write(&path, "CNRM_LANG: \"fr\n").expect("write");
        assert!(matches!(load(&path), Err(ConfigError::Invalid { .. })));
        assert_eq!(
            load(&dir.path().join("absent.yaml")),
            Ok(FileConfig::default())
        );
    }
}
