//! One URL type for every address cnrm reads: the database (`--db postgres://…`), the SMTP
//! server (`CNRM_SMTP_URL`) and the IMAP mailbox (`CNRM_IMAP_URL`).
//!
//! A URL is parsed once, by [`Url::parse`], with one set of rules:
//!
//! - `scheme://[user[:password]@]host[:port][/path][?key=value&…]`;
//! - the credentials end at the **last** `@` of the text, and the password runs from the first
//!   `:` of them to there, so a password may hold `/`, `?`, `@`, `:` or spaces unencoded (an `@`
//!   in a path, such as an IMAP mailbox name, is written `%40`);
//! - `%XX` sequences are decoded in the user, the password, the path and the parameters, and a
//!   `%` that does not start two hexadecimal digits (or bytes that are not UTF-8 once decoded)
//!   is an error, never taken as written: write `%` itself as `%25`;
//! - an IPv6 host is written in brackets (`[::1]:2525`); a port is a number from 1 to 65535.
//!
//! The password is held in a [`Password`], decoded and as written; `Display` and `Debug` of a
//! [`Url`] (and of [`SmtpUrl`], [`ImapUrl`]) show `***` in its place, and a `password=` parameter
//! too. A [`UrlError`] never holds any part of the text: a malformed URL is said without being
//! echoed. The SMTP and IMAP views ([`SmtpUrl`], [`ImapUrl`]) add what their protocol reads
//! (TLS mode, default port, HELO name, time-out, mailbox); the database's view is
//! `store::DbUrl`.

use crate::lang::Lang;
use crate::tr;
use std::fmt;
use std::time::Duration;

/// Why a text is not a URL; no variant holds any of the text (it may hold a password).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// No `scheme://` at the start.
    #[error("the URL does not start with a scheme (scheme://)")]
    NoScheme,
    /// The host holds a character no host name holds, or an unclosed `[`.
    #[error("the URL's server name is not valid")]
    BadHost,
    /// The port is not a number from 1 to 65535.
    #[error("the URL's port is not a number from 1 to 65535")]
    BadPort,
    /// A `%` not followed by two hexadecimal digits, or bytes that are not UTF-8 once decoded.
    #[error("the URL holds an invalid %XX encoding")]
    BadEncoding,
}

/// A password, decoded and as the URL wrote it; `Debug` shows `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password {
    decoded: String,
    written: String,
}

impl Password {
    /// The password itself, as sent to the server.
    pub fn decoded(&self) -> &str {
        &self.decoded
    }

    /// The password as the URL wrote it (percent-encoded or not).
    pub fn written(&self) -> &str {
        &self.written
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A URL, parsed once (see the module's rules).
#[derive(Clone, PartialEq, Eq)]
pub struct Url {
    /// Lower-case.
    scheme: String,
    /// Decoded; empty when the URL names none.
    user: String,
    password: Option<Password>,
    /// Without the brackets of an IPv6 address; may be empty (a PostgreSQL socket).
    host: String,
    port: Option<u16>,
    /// Decoded, without its leading `/`.
    path: String,
    /// Decoded `key=value` pairs, in order.
    query: Vec<(String, String)>,
}

impl Url {
    /// Parses `text` (surrounding spaces ignored). The error says what is wrong, never where
    /// in the text (the text may hold a password).
    pub fn parse(text: &str) -> Result<Url, UrlError> {
        let text = text.trim();
        let (scheme, rest) = text.split_once("://").ok_or(UrlError::NoScheme)?;
        let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !scheme_ok {
            return Err(UrlError::NoScheme);
        }
        let (userinfo, rest) = match rest.rfind('@') {
            Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
            None => (None, rest),
        };
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (host, port) = host_port(authority)?;
        let (user, password) = match userinfo {
            None => (String::new(), None),
            Some(info) => match info.split_once(':') {
                Some((u, p)) => (
                    percent_decode(u)?,
                    Some(Password {
                        decoded: percent_decode(p)?,
                        written: p.to_string(),
                    }),
                ),
                None => (percent_decode(info)?, None),
            },
        };
        let mut pairs = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            pairs.push((percent_decode(k)?, percent_decode(v)?));
        }
        Ok(Url {
            scheme: scheme.to_ascii_lowercase(),
            user,
            password,
            host: host.to_string(),
            port,
            path: percent_decode(path)?,
            query: pairs,
        })
    }

    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The user, decoded; empty when the URL names none.
    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn password(&self) -> Option<&Password> {
        self.password.as_ref()
    }

    /// The host, without the brackets of an IPv6 address; empty when the URL names none.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, when the URL writes one.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The path, decoded, without its leading `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The parameters, decoded, in order.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// `host:port` (`[v6]:port`) for messages, with `default` when the URL writes no port.
    pub fn server(&self, default: u16) -> String {
        host_and_port(&self.host, self.port.unwrap_or(default))
    }

    /// The whole URL, password included and every part encoded again: for a driver, never for
    /// a message.
    pub fn with_password(&self) -> String {
        self.write(false)
    }

    /// Every form in which this URL's password may be repeated (decoded, as written, encoded,
    /// and the encodings of an authentication exchange); empty without a password.
    pub fn secrets(&self) -> Vec<String> {
        match &self.password {
            None => Vec::new(),
            Some(p) => {
                let mut out = crate::text::secret_forms(&self.user, &p.decoded);
                out.push(p.written.clone());
                out
            }
        }
    }

    fn write(&self, masked: bool) -> String {
        let mut out = format!("{}://", self.scheme);
        match (&self.password, self.user.is_empty()) {
            (Some(p), _) => {
                let p = if masked {
                    "***".to_string()
                } else {
                    percent_encode(&p.decoded)
                };
                out.push_str(&format!("{}:{p}@", percent_encode(&self.user)));
            }
            (None, false) => out.push_str(&format!("{}@", percent_encode(&self.user))),
            (None, true) => {}
        }
        if self.host.contains(':') {
            out.push_str(&format!("[{}]", self.host));
        } else {
            out.push_str(&self.host);
        }
        if let Some(port) = self.port {
            out.push_str(&format!(":{port}"));
        }
        if !self.path.is_empty() {
            out.push('/');
            let segments: Vec<String> = self.path.split('/').map(percent_encode).collect();
            out.push_str(&segments.join("/"));
        }
        if !self.query.is_empty() {
            let pairs: Vec<String> = self
                .query
                .iter()
                .map(|(k, v)| {
                    let v = if masked && k.eq_ignore_ascii_case("password") {
                        "***".to_string()
                    } else {
                        percent_encode(v)
                    };
                    format!("{}={v}", percent_encode(k))
                })
                .collect();
            out.push('?');
            out.push_str(&pairs.join("&"));
        }
        out
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.write(true))
    }
}

impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Url({self})")
    }
}

/// `host:port`, the host in brackets when it is an IPv6 address.
fn host_and_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `host[:port]` or `[v6][:port]` as host and port.
fn host_port(authority: &str) -> Result<(&str, Option<u16>), UrlError> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or(UrlError::BadHost)?;
        match after {
            "" => (h, None),
            p => (h, Some(p.strip_prefix(':').ok_or(UrlError::BadHost)?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let bad = |c: char| c.is_control() || c.is_whitespace() || "[]@#?/\\".contains(c);
    if host.contains(bad) || (host.contains(':') && !authority.starts_with('[')) {
        return Err(UrlError::BadHost);
    }
    let port = match port {
        None | Some("") => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => return Err(UrlError::BadPort),
        },
    };
    Ok((host, port))
}

/// `%XX` sequences decoded; a `%` not followed by two hexadecimal digits, or bytes that are
/// not UTF-8 once decoded, is an error.
pub fn percent_decode(s: &str) -> Result<String, UrlError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                .ok_or(UrlError::BadEncoding)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| UrlError::BadEncoding)?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| UrlError::BadEncoding)
}

/// Every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`) as `%XX`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// True for this machine: `localhost`, 127.0.0.0/8 and `::1`.
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Text typed by a user inside a sentence of ours: at most 20 characters, no control.
fn shown(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(20).collect()
}

/// How the connection to the SMTP server is secured: `tls=` in the URL, or `smtps://`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// `smtp://` without `tls=`: plain text, for a local relay.
    Unset,
    /// `tls=none`: plain text, chosen explicitly (the only way to send a password in clear to a
    /// server that is not on this machine).
    None,
    /// `tls=opportunistic`: STARTTLS when the server offers it, else plain text.
    Opportunistic,
    /// `tls=required`: STARTTLS, or no exchange at all.
    Required,
    /// `smtps://`: TLS from the first byte.
    Implicit,
}

/// `CNRM_SMTP_URL`, parsed once: `smtp[s]://[user[:password]@]host[:port][/helo][?tls=…&timeout=…]`.
/// `Display` and `Debug` show `***` in place of the password.
#[derive(Clone, PartialEq)]
pub struct SmtpUrl {
    pub tls: TlsMode,
    pub host: String,
    pub port: u16,
    pub user: String,
    pub(crate) url: Url,
    pub(crate) hello: Option<String>,
    pub(crate) timeout: Option<Duration>,
}

impl fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.tls == TlsMode::Implicit {
            "smtps"
        } else {
            "smtp"
        };
        write!(f, "{scheme}://")?;
        match (&self.url.password, self.user.is_empty()) {
            (Some(_), _) => write!(f, "{}:***@", percent_encode(&self.user))?,
            (None, false) => write!(f, "{}@", percent_encode(&self.user))?,
            (None, true) => {}
        }
        f.write_str(&self.server())?;
        let tls = match self.tls {
            TlsMode::None => Some("none"),
            TlsMode::Opportunistic => Some("opportunistic"),
            TlsMode::Required => Some("required"),
            TlsMode::Unset | TlsMode::Implicit => None,
        };
        if let Some(t) = tls {
            write!(f, "?tls={t}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmtpUrl({self})")
    }
}

impl SmtpUrl {
    /// Parses `CNRM_SMTP_URL`; the error is one sentence that never quotes the URL (it may hold
    /// a password).
    pub fn parse(text: &str, lang: Lang) -> Result<SmtpUrl, String> {
        let scheme_error = || {
            tr!(
                lang,
                "CNRM_SMTP_URL doit commencer par smtp:// ou smtps:// (par exemple smtp://127.0.0.1:2525 ou smtp://utilisateur:motdepasse@mail.example.ml:587?tls=required)",
                "CNRM_SMTP_URL must start with smtp:// or smtps:// (for example smtp://127.0.0.1:2525 or smtp://user:password@mail.example.ml:587?tls=required)"
            )
        };
        let no_server = || {
            tr!(
                lang,
                "CNRM_SMTP_URL ne nomme pas de serveur (par exemple smtp://mail.example.ml:587)",
                "CNRM_SMTP_URL names no server (for example smtp://mail.example.ml:587)"
            )
        };
        let url = Url::parse(text).map_err(|e| match e {
            UrlError::NoScheme => scheme_error(),
            UrlError::BadHost => no_server(),
            UrlError::BadPort => tr!(
                lang,
                "CNRM_SMTP_URL\u{a0}: le port doit être un nombre de 1 à 65535",
                "CNRM_SMTP_URL: the port must be a number from 1 to 65535"
            ),
            UrlError::BadEncoding => tr!(
                lang,
                "CNRM_SMTP_URL\u{a0}: l'utilisateur, le mot de passe ou un paramètre contient un encodage %XX invalide",
                "CNRM_SMTP_URL: the user, the password or a parameter holds an invalid %XX encoding"
            ),
        })?;
        let implicit = match url.scheme() {
            "smtp" => false,
            "smtps" => true,
            _ => return Err(scheme_error()),
        };
        if url.host().is_empty() {
            return Err(no_server());
        }
        let mut tls = if implicit {
            TlsMode::Implicit
        } else {
            TlsMode::Unset
        };
        let mut timeout = None;
        for (key, value) in url.query() {
            match (key.as_str(), value.as_str(), implicit) {
                ("tls", "none", false) => tls = TlsMode::None,
                ("tls", "opportunistic", false) => tls = TlsMode::Opportunistic,
                ("tls", "required", false) => tls = TlsMode::Required,
                ("tls", _, true) => {
                    return Err(tr!(
                        lang,
                        "CNRM_SMTP_URL\u{a0}: smtps:// chiffre déjà toute la connexion, retirez le paramètre tls=",
                        "CNRM_SMTP_URL: smtps:// already encrypts the whole connection, remove the tls= parameter"
                    ))
                }
                ("tls", v, false) => {
                    let v = shown(v);
                    return Err(tr!(
                        lang,
                        "CNRM_SMTP_URL\u{a0}: tls={v} est inconnu (valeurs possibles\u{a0}: none, opportunistic, required)",
                        "CNRM_SMTP_URL: tls={v} is unknown (possible values: none, opportunistic, required)"
                    ));
                }
                ("timeout", v, _) => match v.parse::<u64>() {
                    Ok(s @ 1..=600) => timeout = Some(Duration::from_secs(s)),
                    _ => {
                        return Err(tr!(
                            lang,
                            "CNRM_SMTP_URL\u{a0}: timeout= attend un nombre de secondes de 1 à 600",
                            "CNRM_SMTP_URL: timeout= takes a number of seconds from 1 to 600"
                        ))
                    }
                },
                (k, _, _) => {
                    let k = shown(k);
                    return Err(tr!(
                        lang,
                        "CNRM_SMTP_URL\u{a0}: le paramètre {k} est inconnu (paramètres possibles\u{a0}: tls, timeout)",
                        "CNRM_SMTP_URL: the parameter {k} is unknown (possible parameters: tls, timeout)"
                    ));
                }
            }
        }
        let default_port = match tls {
            TlsMode::Implicit => 465,
            TlsMode::Required | TlsMode::Opportunistic => 587,
            TlsMode::Unset | TlsMode::None => 25,
        };
        let hello = Some(url.path().trim_matches('/'))
            .filter(|h| !h.is_empty())
            .map(str::to_string);
        Ok(SmtpUrl {
            tls,
            host: url.host().to_string(),
            port: url.port().unwrap_or(default_port),
            user: url.user().to_string(),
            hello,
            timeout,
            url,
        })
    }

    /// `host:port`, for messages.
    pub fn server(&self) -> String {
        host_and_port(&self.host, self.port)
    }

    /// The password the URL gives, if any.
    pub fn password(&self) -> Option<&Password> {
        self.url.password()
    }
}

/// `CNRM_IMAP_URL`, parsed once: `imaps://user[:password]@host[:port][/MAILBOX]`, or
/// `imap://…` (no encryption) for a server on this machine only. `Display` and `Debug` show
/// `***` for the password.
#[derive(Clone, PartialEq)]
pub struct ImapUrl {
    /// `imaps://`: TLS from the first byte.
    pub tls: bool,
    pub host: String,
    pub port: u16,
    pub user: String,
    /// The mailbox, `INBOX` when the URL names none.
    pub mailbox: String,
    pub(crate) url: Url,
}

impl fmt::Display for ImapUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.tls { "imaps" } else { "imap" };
        write!(f, "{scheme}://{}", percent_encode(&self.user))?;
        if self.url.password.is_some() {
            write!(f, ":***")?;
        }
        write!(f, "@{}/{}", self.server(), self.mailbox)
    }
}

impl fmt::Debug for ImapUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ImapUrl({self})")
    }
}

impl ImapUrl {
    /// Parses `CNRM_IMAP_URL`; the error is one sentence that never quotes the URL (it may hold
    /// a password).
    pub fn parse(text: &str, lang: Lang) -> Result<ImapUrl, String> {
        let scheme_error = || {
            tr!(
                lang,
                "CNRM_IMAP_URL doit commencer par imaps:// (par exemple imaps://cnrm-retours@mail.example.ml/INBOX)",
                "CNRM_IMAP_URL must start with imaps:// (for example imaps://cnrm-retours@mail.example.ml/INBOX)"
            )
        };
        let no_server = || {
            tr!(
                lang,
                "CNRM_IMAP_URL ne nomme pas de serveur (par exemple imaps://cnrm-retours@mail.example.ml/INBOX)",
                "CNRM_IMAP_URL names no server (for example imaps://cnrm-retours@mail.example.ml/INBOX)"
            )
        };
        let url = Url::parse(text).map_err(|e| match e {
            UrlError::NoScheme => scheme_error(),
            UrlError::BadHost => no_server(),
            UrlError::BadPort => tr!(
                lang,
                "CNRM_IMAP_URL\u{a0}: le port doit être un nombre de 1 à 65535",
                "CNRM_IMAP_URL: the port must be a number from 1 to 65535"
            ),
            UrlError::BadEncoding => tr!(
                lang,
                "CNRM_IMAP_URL\u{a0}: l'utilisateur, le mot de passe ou la boîte contient un encodage %XX invalide",
                "CNRM_IMAP_URL: the user, the password or the mailbox holds an invalid %XX encoding"
            ),
        })?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            _ => return Err(scheme_error()),
        };
        if url.host().is_empty() {
            return Err(no_server());
        }
        if url.user().is_empty() {
            return Err(tr!(
                lang,
                "CNRM_IMAP_URL ne nomme pas d'utilisateur (par exemple imaps://cnrm-retours@mail.example.ml/INBOX)",
                "CNRM_IMAP_URL names no user (for example imaps://cnrm-retours@mail.example.ml/INBOX)"
            ));
        }
        let mailbox = url.path().trim_matches('/');
        if mailbox.chars().any(|c| c.is_control() || c == '"') {
            return Err(tr!(
                lang,
                "CNRM_IMAP_URL\u{a0}: le nom de la boîte contient un caractère de contrôle ou un guillemet",
                "CNRM_IMAP_URL: the mailbox name holds a control character or a double quote"
            ));
        }
        let mailbox = if mailbox.is_empty() { "INBOX" } else { mailbox };
        Ok(ImapUrl {
            tls,
            host: url.host().to_string(),
            port: url.port().unwrap_or(if tls { 993 } else { 143 }),
            user: url.user().to_string(),
            mailbox: mailbox.to_string(),
            url,
        })
    }

    /// `host:port`, for messages.
    pub fn server(&self) -> String {
        host_and_port(&self.host, self.port)
    }

    /// The password the URL gives, if any.
    pub fn password(&self) -> Option<&Password> {
        self.url.password()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_parse_for_every_address() {
        let u = Url::parse("postgres://cnrm:a/b?c d@e@127.0.0.1:5433/nulle?sslmode=disable")
            .expect("url");
        assert_eq!(
            (u.scheme(), u.user(), u.host(), u.port(), u.path()),
            ("postgres", "cnrm", "127.0.0.1", Some(5433), "nulle")
        );
        assert_eq!(u.password().map(Password::decoded), Some("a/b?c d@e"));
        assert_eq!(
            u.to_string(),
            "postgres://cnrm:***@127.0.0.1:5433/nulle?sslmode=disable"
        );
        assert_eq!(
            format!("{u:?}"),
            "Url(postgres://cnrm:***@127.0.0.1:5433/nulle?sslmode=disable)"
        );
        assert_eq!(
            u.with_password(),
            "postgres://cnrm:a%2Fb%3Fc%20d%40e@127.0.0.1:5433/nulle?sslmode=disable"
        );
        let again = Url::parse(&u.with_password()).expect("again");
        assert_eq!(again.to_string(), u.to_string());
        assert_eq!(again.password().map(Password::decoded), Some("a/b?c d@e"));
        let u = Url::parse("postgres://h/db?user=x&password=S3cret").expect("url");
        assert_eq!(u.to_string(), "postgres://h/db?user=x&password=***");
        let u = Url::parse("smtp://[::1]:2525").expect("url");
        assert_eq!((u.host(), u.server(25)), ("::1", "[::1]:2525".to_string()));
        let u = Url::parse("postgres:///cnrm").expect("socket");
        assert_eq!((u.host(), u.path()), ("", "cnrm"));
    }

    #[test]
    fn a_bad_percent_sequence_is_an_error_everywhere() {
        for text in [
            "smtp://u:S3%ZZcret@h",
            "smtp://u:S3cret%@h",
            "smtp://u:S3cret%4@h",
            "imaps://u:p@h/IN%G0BOX",
            "postgres://u:p@h/db?x=%ff",
            "postgres://u%C3:p@h/db",
        ] {
            assert_eq!(Url::parse(text), Err(UrlError::BadEncoding), "{text}");
        }
        assert_eq!(percent_decode("100%25"), Ok("100%".into()));
    }

    #[test]
    fn malformed_urls_are_said_without_a_word_of_them() {
        for (text, error) in [
            ("postgres://postgres:TopS3cret", UrlError::BadPort),
            ("smtp://u:S3cret@h:99999", UrlError::BadPort),
            ("smtp://u:S3cret@h:0", UrlError::BadPort),
            ("smtp://u:S3cret@h:+25", UrlError::BadPort),
            ("smtp://u:S3cret@[::1", UrlError::BadHost),
            ("smtp://u:S3cret@h st", UrlError::BadHost),
            ("smtp://u:S3cret@::1:25", UrlError::BadHost),
            ("u:S3cret@host", UrlError::NoScheme),
            ("1x://u:S3cret@host", UrlError::NoScheme),
        ] {
            let e = Url::parse(text).expect_err(text);
            assert_eq!(e, error, "{text}");
            assert!(!e.to_string().contains("S3cret"), "{e}");
        }
    }

    #[test]
    fn smtp_and_imap_views_read_their_parameters() {
        let s =
            SmtpUrl::parse("smtps://a:b@mail.example.ml/helo.example.ml", Lang::Fr).expect("url");
        assert_eq!((s.tls, s.port), (TlsMode::Implicit, 465));
        assert_eq!(s.hello.as_deref(), Some("helo.example.ml"));
        assert_eq!(s.to_string(), "smtps://a:***@mail.example.ml:465");
        let i =
            ImapUrl::parse("imaps://u:p%2Fw@mail.example.ml/Re%40ponses", Lang::En).expect("url");
        assert_eq!(
            (i.mailbox.as_str(), i.password().map(Password::decoded)),
            ("Re@ponses", Some("p/w"))
        );
        assert_eq!(
            SmtpUrl::parse("smtp://u:S3%ZZcret@h", Lang::En).expect_err("bad"),
            "CNRM_SMTP_URL: the user, the password or a parameter holds an invalid %XX encoding"
        );
        assert_eq!(
            ImapUrl::parse("imaps://u:Secr3t@h:x", Lang::En).expect_err("bad"),
            "CNRM_IMAP_URL: the port must be a number from 1 to 65535"
        );
    }
}
