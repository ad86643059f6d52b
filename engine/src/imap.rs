//! Reading members' replies from an IMAP mailbox (`CNRM_IMAP_URL`), for `cnrm mail fetch` and the
//! daemon.
//!
//! One pass logs in, selects the mailbox, asks for the UIDs of the unseen messages and, one
//! message at a time, fetches it without marking it (`BODY.PEEK[]`), hands its bytes to the
//! caller's processing (the inbox) and marks it `\Seen` only once that processing has recorded
//! it. A temporary failure of the processing (the database out of reach) stops the pass and leaves
//! that message and the following ones unseen, for the next pass. Two passes at once on one
//! mailbox may both read a message; the inbox's unique Message-ID applies it once.
//!
//! The password never leaves [`ImapConfig`]: `Display` and `Debug` show `***`, and every error is
//! a sentence of ours, never the server's or the system's words.

use crate::lang::Lang;
use crate::mail::read_password_file;
use crate::tr;
use crate::url::is_loopback;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};

/// How long one exchange with the server (connecting, logging in, one command) may take.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub use crate::url::ImapUrl;

/// IMAP settings from `CNRM_IMAP_URL`, `CNRM_IMAP_PASSWORD_FILE` and `CNRM_IMAP_CA_FILE`.
#[derive(Clone)]
pub struct ImapConfig {
    pub url: ImapUrl,
    /// The password sent in `LOGIN`: the password file's, else the URL's.
    password: String,
    /// Certificates (PEM) trusted besides the usual authorities: a self-signed server's own.
    ca_file: Option<PathBuf>,
    /// The language of the errors.
    pub lang: Lang,
}

impl fmt::Debug for ImapConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapConfig")
            .field("url", &self.url)
            .field("password", &"***")
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

impl ImapConfig {
    /// Reads the environment; `None` when `CNRM_IMAP_URL` is not set. The error is a sentence.
    pub fn from_env(lang: Lang) -> Result<Option<ImapConfig>, String> {
        let Ok(url) = std::env::var("CNRM_IMAP_URL") else {
            return Ok(None);
        };
        let file = match std::env::var_os("CNRM_IMAP_PASSWORD_FILE") {
            Some(path) => Some(read_password_file(
                std::path::Path::new(&path),
                ("IMAP", "CNRM_IMAP_PASSWORD_FILE"),
                lang,
            )?),
            None => None,
        };
        let ca = std::env::var_os("CNRM_IMAP_CA_FILE").map(PathBuf::from);
        ImapConfig::new(&url, file, ca, lang).map(Some)
    }

    /// Settings from a URL, the password file's content and a file of certificates to trust,
    /// checked: a password is never sent in clear to another machine.
    pub fn new(
        url: &str,
        password_file: Option<String>,
        ca_file: Option<PathBuf>,
        lang: Lang,
    ) -> Result<ImapConfig, String> {
        let url = ImapUrl::parse(url, lang)?;
        if !url.tls && !is_loopback(&url.host) {
            let server = url.server();
            return Err(tr!(
                lang,
                "CNRM_IMAP_URL\u{a0}: imap:// enverrait le mot de passe en clair au serveur {server}\u{a0}; utilisez imaps:// (imap:// ne sert que pour un serveur sur cette machine)",
                "CNRM_IMAP_URL: imap:// would send the password in clear to the server {server}; use imaps:// (imap:// is only for a server on this machine)"
            ));
        }
        let Some(password) =
            password_file.or_else(|| url.password().map(|p| p.decoded().to_string()))
        else {
            return Err(tr!(
                lang,
                "CNRM_IMAP_URL ne donne pas de mot de passe\u{a0}: écrivez-le dans le fichier nommé par CNRM_IMAP_PASSWORD_FILE (ou dans l'adresse, imaps://utilisateur:motdepasse@serveur/INBOX)",
                "CNRM_IMAP_URL gives no password: write it in the file named by CNRM_IMAP_PASSWORD_FILE (or in the URL, imaps://user:password@server/INBOX)"
            ));
        };
        Ok(ImapConfig {
            url,
            password,
            ca_file,
            lang,
        })
    }

    /// Every form in which the password may appear: the URL's and the one sent, in every form
    /// of `text::secret_forms` (`AUTHENTICATE PLAIN`'s base64 included).
    fn secrets(&self) -> Vec<String> {
        let mut out = self.url.url.secrets();
        out.extend(crate::text::secret_forms(&self.url.user, &self.password));
        out
    }

    /// Removes every trace of the password from a text (logs).
    pub fn scrub(&self, text: &str) -> String {
        crate::text::scrub(text, self.secrets())
    }
}

/// What one pass did with the unseen messages.
#[derive(Debug)]
pub struct FetchReport<T> {
    /// What the processing said of each message it recorded (and that is now `\Seen`).
    pub processed: Vec<T>,
    /// Messages left unseen because the pass stopped: the one whose processing failed for now,
    /// and those after it.
    pub left_unseen: usize,
    /// Why the pass stopped early (a sentence), if it did.
    pub stopped: Option<String>,
}

/// Why a message of the mailbox could not be recorded now: a sentence, and the message stays
/// unseen for the next pass.
#[derive(Debug, Clone, PartialEq)]
pub struct TryLater(pub String);

/// One pass over the unseen messages of the configured mailbox: each is given to `process`, and
/// marked `\Seen` once it returned `Ok`. `Err(TryLater)` stops the pass, leaving that message
/// and the following ones unseen. The error is one sentence (connection, login, mailbox).
pub async fn fetch<T, F, Fut>(cfg: &ImapConfig, process: F) -> Result<FetchReport<T>, String>
where
    F: FnMut(Vec<u8>) -> Fut,
    Fut: Future<Output = Result<T, TryLater>>,
{
    let lang = cfg.lang;
    let server = cfg.url.server();
    let unreachable = || {
        tr!(
            lang,
            "le serveur IMAP {server} ne répond pas (vérifiez CNRM_IMAP_URL et le réseau)",
            "the IMAP server {server} does not answer (check CNRM_IMAP_URL and the network)"
        )
    };
    let tcp = tokio::time::timeout(
        TIMEOUT,
        tokio::net::TcpStream::connect((cfg.url.host.as_str(), cfg.url.port)),
    )
    .await
    .map_err(|_| unreachable())?
    .map_err(|_| unreachable())?;
    if !cfg.url.tls {
        return session(cfg, tcp, process).await;
    }
    let connector = tokio_rustls::TlsConnector::from(Arc::new(tls_config(cfg)?));
    let name = rustls::pki_types::ServerName::try_from(cfg.url.host.clone()).map_err(|_| {
        tr!(
            lang,
            "le nom du serveur IMAP {server} ne convient pas à une connexion chiffrée (TLS)",
            "the IMAP server name {server} does not suit an encrypted (TLS) connection"
        )
    })?;
    let tls = tokio::time::timeout(TIMEOUT, connector.connect(name, tcp))
        .await
        .map_err(|_| unreachable())?
        .map_err(|e| {
            let why = tls_failure(lang, &e);
            tr!(
                lang,
                "la connexion chiffrée (TLS) au serveur IMAP {server} a échoué\u{a0}: {why}",
                "the encrypted (TLS) connection to the IMAP server {server} failed: {why}"
            )
        })?;
    session(cfg, tls, process).await
}

/// Why a TLS handshake failed, in words of ours.
fn tls_failure(lang: Lang, e: &std::io::Error) -> String {
    let certificate = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .is_some_and(|r| {
            matches!(
                r,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            )
        });
    if certificate {
        tr!(
            lang,
            "son certificat n'est pas reconnu (autorité inconnue, nom ou date qui ne conviennent pas\u{a0}; un certificat à faire confiance peut être donné par CNRM_IMAP_CA_FILE)",
            "its certificate is not trusted (unknown authority, wrong name or date; a certificate to trust may be given in CNRM_IMAP_CA_FILE)"
        )
    } else {
        tr!(
            lang,
            "le serveur ne parle pas TLS sur ce port ou a interrompu l'échange",
            "the server does not speak TLS on this port or broke off the exchange"
        )
    }
}

/// The usual authorities (webpki-roots, as for SMTP), and the certificates of `CNRM_IMAP_CA_FILE`.
fn tls_config(cfg: &ImapConfig) -> Result<rustls::ClientConfig, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let lang = cfg.lang;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &cfg.ca_file {
        let shown = path.display();
        let bad = || {
            tr!(
                lang,
                "le fichier de certificats {shown} (CNRM_IMAP_CA_FILE) est illisible ou ne contient aucun certificat PEM",
                "the certificate file {shown} (CNRM_IMAP_CA_FILE) is unreadable or holds no PEM certificate"
            )
        };
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|_| bad())?
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        if certs.is_empty() {
            return Err(bad());
        }
        for cert in certs {
            roots.add(cert).map_err(|_| bad())?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| {
            tr!(
                lang,
                "la bibliothèque TLS ne peut pas être préparée",
                "the TLS library cannot be set up"
            )
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

/// The largest part of a message read (64 MiB): a bigger one is read up to there and recorded
/// by the inbox as it judges a message of that size, so that it never blocks the mailbox.
const MAX_MESSAGE: usize = 64 << 20;

/// The longest line of a server's answer outside its literals.
const MAX_LINE: u64 = 1 << 20;

/// One answer line of the server, with the literals (`{n}` then n bytes) it carried.
#[derive(Debug, Default)]
struct Reply {
    /// The line's text, literals left out.
    text: Vec<u8>,
    literals: Vec<Vec<u8>>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.text).into_owned()
    }
}

/// How a tagged command ended.
#[derive(Debug, PartialEq)]
enum Done {
    Ok,
    /// `NO` or `BAD`: refused.
    Refused,
}

/// The size of the literal a line ends with (`… {123}` or `{123+}`), if it does.
fn literal_len(line: &[u8]) -> Option<usize> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|b| *b == b'{')?;
    let digits = &inner[open + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// A mailbox name as IMAP writes it (RFC 3501, 5.1.3): modified UTF-7 for what is not printable
/// ASCII, `&` as `&-`, then quoted.
fn mailbox_name(name: &str) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
    let mut out = String::from("\"");
    let mut wide: Vec<u16> = Vec::new();
    let flush = |wide: &mut Vec<u16>, out: &mut String| {
        if wide.is_empty() {
            return;
        }
        let bytes: Vec<u8> = wide.iter().flat_map(|u| u.to_be_bytes()).collect();
        out.push('&');
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for k in 0..=chunk.len() {
                out.push(B64[((n >> (18 - 6 * k)) & 63) as usize] as char);
            }
        }
        out.push('-');
        wide.clear();
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut wide, &mut out);
            match c {
                '&' => out.push_str("&-"),
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            }
        } else {
            let mut buf = [0u16; 2];
            wide.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut wide, &mut out);
    out.push('"');
    out
}

/// Whether an untagged answer is the `FETCH` of the message `uid` (`* 3 FETCH (UID 17 …)`).
fn names_uid(text: &str, uid: u32) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .get(2)
        .is_some_and(|w| w.eq_ignore_ascii_case("FETCH"))
        && words
            .windows(2)
            .any(|w| w[0].eq_ignore_ascii_case("UID") && w[1].parse() == Ok(uid))
}

/// A connection to the server: commands written, answers read.
struct Conn<S> {
    stream: tokio::io::BufStream<S>,
    next_tag: u32,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    /// One answer line and its literals.
    async fn reply(&mut self) -> std::io::Result<Reply> {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt};
        let mut reply = Reply::default();
        loop {
            let mut line = Vec::new();
            let n = (&mut self.stream)
                .take(MAX_LINE)
                .read_until(b'\n', &mut line)
                .await?;
            if n == 0 || line.last() != Some(&b'\n') {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            match literal_len(&line) {
                Some(len) => {
                    let open = line.iter().rposition(|b| *b == b'{').unwrap_or(line.len());
                    reply.text.extend_from_slice(&line[..open]);
                    // Read in full (the answer must be consumed), kept up to MAX_MESSAGE.
                    let mut literal = Vec::new();
                    (&mut self.stream)
                        .take(len as u64)
                        .read_to_end(&mut literal)
                        .await?;
                    if literal.len() < len {
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                    literal.truncate(MAX_MESSAGE);
                    reply.literals.push(literal);
                }
                None => {
                    reply.text.extend_from_slice(&line);
                    return Ok(reply);
                }
            }
        }
    }

    async fn send(&mut self, line: &str) -> std::io::Result<()> {
        use tokio::io::AsyncWriteExt;
        self.stream.write_all(line.as_bytes()).await?;
        self.stream.write_all(b"\r\n").await?;
        self.stream.flush().await
    }

    /// A new tag, and the command written with it.
    async fn start(&mut self, command: &str) -> std::io::Result<String> {
        self.next_tag += 1;
        let tag = format!("c{}", self.next_tag);
        self.send(&format!("{tag} {command}")).await?;
        Ok(tag)
    }

    /// Reads up to the tagged end of the command `tag`; the untagged answers before it.
    async fn finish(&mut self, tag: &str) -> std::io::Result<(Done, Vec<Reply>)> {
        let mut untagged = Vec::new();
        loop {
            let reply = self.reply().await?;
            let text = reply.text();
            if let Some(rest) = text.strip_prefix(tag).and_then(|r| r.strip_prefix(' ')) {
                let word = rest.split(' ').next().unwrap_or("").to_ascii_uppercase();
                let done = if word == "OK" {
                    Done::Ok
                } else {
                    Done::Refused
                };
                return Ok((done, untagged));
            }
            if text.starts_with("* BYE") {
                return Err(std::io::ErrorKind::ConnectionAborted.into());
            }
            untagged.push(reply);
        }
    }

    async fn command(&mut self, command: &str) -> std::io::Result<(Done, Vec<Reply>)> {
        let tag = self.start(command).await?;
        self.finish(&tag).await
    }

    /// `AUTHENTICATE PLAIN` (RFC 4616): any character in the user or the password, no quoting.
    async fn login(&mut self, user: &str, password: &str) -> std::io::Result<Done> {
        let tag = self.start("AUTHENTICATE PLAIN").await?;
        let reply = self.reply().await?;
        if !reply.text.starts_with(b"+") {
            // Refused at once (no PLAIN): the tagged answer is this line.
            return Ok(Done::Refused);
        }
        self.send(&crate::mail::base64(
            format!("\0{user}\0{password}").as_bytes(),
        ))
        .await?;
        Ok(self.finish(&tag).await?.0)
    }
}

/// Logs in, reads the unseen messages one by one, logs out.
async fn session<S, T, F, Fut>(
    cfg: &ImapConfig,
    stream: S,
    mut process: F,
) -> Result<FetchReport<T>, String>
where
    S: AsyncRead + AsyncWrite + Unpin,
    F: FnMut(Vec<u8>) -> Fut,
    Fut: Future<Output = Result<T, TryLater>>,
{
    let lang = cfg.lang;
    let server = cfg.url.server();
    let mailbox = cfg.url.mailbox.as_str();
    let broke_off = |what: String| {
        tr!(
            lang,
            "le serveur IMAP {server} a interrompu l'échange ({what})",
            "the IMAP server {server} broke off the exchange ({what})"
        )
    };
    let mut conn = Conn {
        stream: tokio::io::BufStream::new(stream),
        next_tag: 0,
    };
    match tokio::time::timeout(TIMEOUT, conn.reply()).await {
        Ok(Ok(greeting)) if greeting.text.starts_with(b"* OK") => {}
        _ => return Err(broke_off(tr!(lang, "accueil", "greeting"))),
    }
    match tokio::time::timeout(TIMEOUT, conn.login(&cfg.url.user, &cfg.password)).await {
        Ok(Ok(Done::Ok)) => {}
        Ok(Ok(Done::Refused)) => {
            let user = cfg.url.user.as_str();
            return Err(tr!(
                lang,
                "le serveur IMAP {server} refuse l'utilisateur {user} ou son mot de passe",
                "the IMAP server {server} refuses the user {user} or its password"
            ));
        }
        _ => return Err(broke_off(tr!(lang, "connexion", "login"))),
    }
    match tokio::time::timeout(TIMEOUT, conn.command(&format!("SELECT {}", mailbox_name(mailbox)))).await {
        Ok(Ok((Done::Ok, _))) => {}
        Ok(Ok((Done::Refused, _))) => {
            return Err(tr!(
                lang,
                "le serveur IMAP {server} n'a pas de boîte {mailbox} (le nom vient de CNRM_IMAP_URL, après le /)",
                "the IMAP server {server} has no mailbox {mailbox} (the name comes from CNRM_IMAP_URL, after the /)"
            ))
        }
        _ => return Err(broke_off(tr!(lang, "choix de la boîte", "mailbox selection"))),
    }
    let mut uids: Vec<u32> =
        match tokio::time::timeout(TIMEOUT, conn.command("UID SEARCH UNSEEN")).await {
            Ok(Ok((Done::Ok, untagged))) => untagged
                .iter()
                .filter_map(|r| {
                    let text = r.text();
                    let rest = text.strip_prefix("* ")?;
                    let (word, numbers) = rest.split_once(' ').unwrap_or((rest, ""));
                    word.eq_ignore_ascii_case("SEARCH").then(|| {
                        numbers
                            .split_whitespace()
                            .filter_map(|n| n.parse::<u32>().ok())
                            .collect::<Vec<_>>()
                    })
                })
                .flatten()
                .collect(),
            _ => return Err(broke_off(tr!(lang, "recherche", "search"))),
        };
    uids.sort_unstable();
    uids.dedup();
    let mut report = FetchReport {
        processed: Vec::new(),
        left_unseen: 0,
        stopped: None,
    };
    for (i, uid) in uids.iter().enumerate() {
        let fetch = format!("UID FETCH {uid} BODY.PEEK[]<0.{MAX_MESSAGE}>");
        let raw = match tokio::time::timeout(TIMEOUT, conn.command(&fetch)).await {
            // The body is a literal; a server that sends it otherwise (a quoted string, NIL) gives
            // an empty message, which the inbox records as malformed, rather than one read
            // again at every pass.
            Ok(Ok((Done::Ok, untagged))) => untagged
                .into_iter()
                .filter(|r| names_uid(&r.text(), *uid))
                .max_by_key(|r| r.literals.len())
                .map(|r| r.literals.into_iter().next().unwrap_or_default()),
            _ => {
                return Err(broke_off(tr!(
                    lang,
                    "lecture d'un message",
                    "reading a message"
                )))
            }
        };
        // Expunged by someone else since the search: nothing to read.
        let Some(raw) = raw else { continue };
        match process(raw).await {
            Ok(outcome) => report.processed.push(outcome),
            Err(TryLater(why)) => {
                report.left_unseen = uids.len() - i;
                report.stopped = Some(why);
                break;
            }
        }
        let store = format!("UID STORE {uid} +FLAGS.SILENT (\\Seen)");
        match tokio::time::timeout(TIMEOUT, conn.command(&store)).await {
            Ok(Ok((Done::Ok, _))) => {}
            _ => return Err(broke_off(tr!(lang, "marquage comme lu", "marking as seen"))),
        }
    }
    // The messages are recorded and marked: a failing LOGOUT changes nothing.
    let _ = tokio::time::timeout(TIMEOUT, conn.command("LOGOUT")).await;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_is_read_once_and_shown_without_its_password() {
        let u = ImapUrl::parse(
            "imaps://cnrm-retours:p%40ss@mail.example.ml/INBOX",
            Lang::Fr,
        )
        .expect("url");
        assert!(u.tls);
        assert_eq!(
            (u.host.as_str(), u.port, u.user.as_str()),
            ("mail.example.ml", 993, "cnrm-retours")
        );
        assert_eq!(u.mailbox, "INBOX");
        assert_eq!(
            u.to_string(),
            "imaps://cnrm-retours:***@mail.example.ml:993/INBOX"
        );
        assert_eq!(
            format!("{u:?}"),
            "ImapUrl(imaps://cnrm-retours:***@mail.example.ml:993/INBOX)"
        );
        let u =
            ImapUrl::parse("imap://a%40b.ml@127.0.0.1:1430/R%C3%A9ponses", Lang::En).expect("url");
        assert!(!u.tls);
        assert_eq!((u.user.as_str(), u.port), ("a@b.ml", 1430));
        assert_eq!(u.mailbox, "Réponses");
        let u = ImapUrl::parse("imaps://u@[::1]", Lang::En).expect("url");
        assert_eq!(
            (u.host.as_str(), u.port, u.mailbox.as_str()),
            ("::1", 993, "INBOX")
        );
    }

    #[test]
    fn mailbox_names_are_modified_utf7_and_literals_are_found() {
        assert_eq!(mailbox_name("INBOX"), "\"INBOX\"");
        assert_eq!(mailbox_name("Réponses"), "\"R&AOk-ponses\"");
        assert_eq!(mailbox_name("A&B"), "\"A&-B\"");
        assert_eq!(mailbox_name("台北"), "\"&U,BTFw-\"");
        assert_eq!(
            literal_len(b"* 1 FETCH (UID 4 BODY[]<0> {1234}"),
            Some(1234)
        );
        assert_eq!(literal_len(b"c1 LOGIN {5+}"), Some(5));
        assert_eq!(literal_len(b"* OK {x}"), None);
        assert_eq!(literal_len(b"* OK done"), None);
        assert!(names_uid("* 3 FETCH (UID 17 BODY[]<0> )", 17));
        assert!(names_uid("* 3 FETCH (BODY[]<0> NIL UID 17)", 17));
        assert!(!names_uid("* 4 FETCH (UID 18 FLAGS (\\Seen))", 17));
        assert!(!names_uid("* 17 EXISTS", 17));
    }

    #[test]
    fn a_bad_url_is_one_sentence_that_never_quotes_the_password() {
        let refused = |url: &str, lang| ImapUrl::parse(url, lang).expect_err(url);
        assert_eq!(
            refused("pop3://u:Secr3t@mail.example.ml", Lang::Fr),
            "CNRM_IMAP_URL doit commencer par imaps:// (par exemple imaps://cnrm-retours@mail.example.ml/INBOX)"
        );
        assert_eq!(
            refused("imaps://u:Secr3t@mail.example.ml:99999/INBOX", Lang::En),
            "CNRM_IMAP_URL: the port must be a number from 1 to 65535"
        );
        assert_eq!(
            refused("imaps://:Secr3t@mail.example.ml", Lang::En),
            "CNRM_IMAP_URL names no user (for example imaps://cnrm-retours@mail.example.ml/INBOX)"
        );
        assert_eq!(
            refused("imaps://u:Secr3t@", Lang::Fr),
            "CNRM_IMAP_URL ne nomme pas de serveur (par exemple imaps://cnrm-retours@mail.example.ml/INBOX)"
        );
        for url in [
            "imaps://u:Se%ZZcr3t@mail.example.ml",
            "imaps://u:Secr3t@mail.example.ml:x",
            "imaps://u:Secr3t@mail.example.ml/IN%22BOX",
        ] {
            let e = refused(url, Lang::Fr);
            assert!(!e.contains("Secr3t") && !e.contains("Se%ZZ"), "{e}");
        }
    }

    #[test]
    fn a_password_goes_in_clear_to_this_machine_only_and_one_is_required() {
        let e = ImapConfig::new(
            "imap://u:Secr3t@mail.example.ml/INBOX",
            None,
            None,
            Lang::Fr,
        )
        .expect_err("clear");
        assert_eq!(
            e,
            "CNRM_IMAP_URL\u{a0}: imap:// enverrait le mot de passe en clair au serveur mail.example.ml:143\u{a0}; utilisez imaps:// (imap:// ne sert que pour un serveur sur cette machine)"
        );
        assert!(ImapConfig::new("imap://u:p@127.0.0.1:1430", None, None, Lang::En).is_ok());
        let e = ImapConfig::new("imaps://u@mail.example.ml", None, None, Lang::En)
            .expect_err("no password");
        assert!(e.starts_with("CNRM_IMAP_URL gives no password"), "{e}");
        let cfg = ImapConfig::new(
            "imaps://u:url%2Fpass@mail.example.ml",
            Some("file-pass".into()),
            None,
            Lang::En,
        )
        .expect("cfg");
        assert_eq!(cfg.password, "file-pass");
        let shown = format!("{cfg:?}");
        assert!(
            !shown.contains("pass@") && !shown.contains("file-pass"),
            "{shown}"
        );
        assert_eq!(
            cfg.scrub("LOGIN u file-pass / url%2Fpass / url/pass"),
            "LOGIN u *** / *** / ***"
        );
    }
}
