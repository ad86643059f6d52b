//! Reading members' replies from an IMAP mailbox (`CNRM_IMAP_URL`), for `cnrm mail fetch` and the
//! daemon.
//!
//! One pass logs in, selects the mailbox, asks for the UIDs of the unseen messages and, one
//! message at a time, fetches it without marking it (`BODY.PEEK[]`), hands its bytes to the
//! caller's processing (the inbox) and marks it `\Seen` only once that processing has recorded
//! it. A temporary failure of the processing (the database out of reach) stops the pass and leaves
//! that message and the following ones unseen, for the next pass; a message that cannot be
//! recorded (no content, too large, refused) stays unseen with its reason and the pass goes on.
//! Two passes at once on one mailbox may both read a message; the inbox's unique Message-ID
//! applies it once.
//!
//! Whatever the server sends, memory and time stay bounded: a message of at most
//! [`MAX_MESSAGE`] (a larger literal is read through and dropped, never allocated from the size
//! it announces), lines of at most [`MAX_LINE`], at most [`MAX_UNTAGGED`] answer lines to one
//! command, each step within [`TIMEOUT`] (`CNRM_IMAP_TIMEOUT`, at most [`MAX_TIMEOUT`]) and the
//! pass within [`PASS_TIMEOUT`]. A message whose exchange broke off is left unseen and the pass
//! goes on with a new connection, [`MAX_BROKEN`] times at most.
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

/// How long one step with the server (connecting, logging in, one command) may take, unless
/// `CNRM_IMAP_TIMEOUT` says otherwise (1 to [`MAX_TIMEOUT`] seconds).
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The longest step `CNRM_IMAP_TIMEOUT` may ask for.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(30);

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
    /// Messages left unseen, each with its reason, while the pass went on.
    pub unseen: Vec<Unseen>,
    /// Messages left unseen because the pass stopped: the one whose processing failed for now,
    /// and those after it.
    pub left_unseen: usize,
    /// Why the pass stopped early (a sentence), if it did.
    pub stopped: Option<String>,
}

/// A message left unseen and why (a sentence's end: « le serveur n'a pas donné son contenu »).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Unseen {
    pub uid: u32,
    #[serde(rename = "reason")]
    pub why: String,
}

/// Why a message of the mailbox was not recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum NotRecorded {
    /// Not now (the database out of reach or busy): the pass stops, leaving this message and
    /// the following ones unseen for the next pass.
    TryLater(String),
    /// This message cannot be recorded: it stays unseen with this reason and the pass goes on
    /// to the next one.
    Skip(String),
}

/// One pass over the unseen messages of the configured mailbox: each is given to `process`, and
/// marked `\Seen` once it returned `Ok`. `progress(done, total)` is told of each message. A
/// message the server does not give (`BODY[] NIL`, too large) or that `process` skips stays
/// unseen with its reason and the pass goes on; `NotRecorded::TryLater`, a server that stops
/// answering or breaks a bound stop the pass, leaving the rest unseen. Each step takes at most
/// [`TIMEOUT`] and the pass at most [`PASS_TIMEOUT`]. The error is one sentence (connection,
/// login, mailbox).
pub async fn fetch<T, F, Fut>(
    cfg: &ImapConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
    mut process: F,
) -> Result<FetchReport<T>, String>
where
    F: FnMut(Vec<u8>) -> Fut,
    Fut: Future<Output = Result<T, NotRecorded>>,
{
    let lang = cfg.lang;
    let server = cfg.url.server();
    let step = step_timeout();
    let deadline = tokio::time::Instant::now() + PASS_TIMEOUT;
    let broke_off = |what: String, broke: Broke| broke_sentence(lang, &server, &what, broke, step);
    let mut conn = open(cfg, step, deadline).await?;
    let mut uids: Vec<u32> = match conn.command("UID SEARCH UNSEEN").await {
        Ok((Done::Ok, untagged)) => untagged
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
        Ok((Done::Refused, _)) => {
            return Err(broke_off(tr!(lang, "recherche", "search"), Broke::Closed))
        }
        Err(b) => return Err(broke_off(tr!(lang, "recherche", "search"), b)),
    };
    uids.sort_unstable();
    uids.dedup();
    let mut report = FetchReport {
        processed: Vec::new(),
        unseen: Vec::new(),
        left_unseen: 0,
        stopped: None,
    };
    let total = uids.len();
    let mut conn = Some(conn);
    let mut broken = 0;
    let reading = || tr!(lang, "lecture d'un message", "reading a message");
    for (i, uid) in uids.iter().copied().enumerate() {
        progress(i, total);
        let mut stop = |why: String| {
            report.left_unseen = total - i;
            report.stopped = Some(why);
        };
        if tokio::time::Instant::now() >= deadline {
            stop(broke_off(
                tr!(lang, "lecture des messages", "reading the messages"),
                Broke::TimedOut,
            ));
            break;
        }
        if broken >= MAX_BROKEN {
            stop(tr!(
                lang,
                "le serveur IMAP {server} a interrompu l'échange {MAX_BROKEN} fois pendant ce passage",
                "the IMAP server {server} broke off the exchange {MAX_BROKEN} times during this pass"
            ));
            break;
        }
        // After an exchange broke off on a message, a new connection for the next one.
        let c = match conn.as_mut() {
            Some(c) => c,
            None => match open(cfg, step, deadline).await {
                Ok(c) => conn.insert(c),
                Err(why) => {
                    stop(why);
                    break;
                }
            },
        };
        let fetch = format!("UID FETCH {uid} BODY.PEEK[]<0.{MAX_MESSAGE}>");
        let raw = match c.command(&fetch).await {
            Ok((Done::Ok, untagged)) => {
                let mine: Vec<Reply> = untagged
                    .into_iter()
                    .filter(|r| names_uid(&r.text(), uid))
                    .collect();
                if mine.is_empty() {
                    // Expunged by someone else since the search: nothing to read.
                    continue;
                }
                if let Some(size) = mine.iter().find_map(|r| r.dropped) {
                    let mib = MAX_MESSAGE >> 20;
                    let size = size.div_ceil(1 << 20);
                    report.unseen.push(Unseen {
                        uid,
                        why: tr!(
                            lang,
                            "le serveur en a envoyé {size}\u{a0}Mio, plus que la limite de {mib}\u{a0}Mio par message",
                            "the server sent {size} MiB of it, more than the limit of {mib} MiB a message"
                        ),
                    });
                    continue;
                }
                match mine
                    .into_iter()
                    .find_map(|r| r.literals.into_iter().find(|l| !l.is_empty()))
                {
                    Some(raw) => raw,
                    None => {
                        // `BODY[] NIL`, an empty or quoted body: nothing to record, and never
                        // marked seen without its content recorded.
                        report.unseen.push(Unseen {
                            uid,
                            why: tr!(
                                lang,
                                "le serveur n'a pas donné son contenu (BODY[] vide ou NIL)",
                                "the server did not give its content (BODY[] empty or NIL)"
                            ),
                        });
                        continue;
                    }
                }
            }
            Ok((Done::Refused, _)) => {
                report.unseen.push(Unseen {
                    uid,
                    why: tr!(
                        lang,
                        "le serveur a refusé de le donner",
                        "the server refused to give it"
                    ),
                });
                continue;
            }
            Err(b) => {
                report.unseen.push(Unseen {
                    uid,
                    why: broke_off(reading(), b),
                });
                conn = None;
                broken += 1;
                continue;
            }
        };
        match process(raw).await {
            Ok(outcome) => report.processed.push(outcome),
            Err(NotRecorded::Skip(why)) => {
                report.unseen.push(Unseen { uid, why });
                continue;
            }
            Err(NotRecorded::TryLater(why)) => {
                stop(why);
                break;
            }
        }
        let store = format!("UID STORE {uid} +FLAGS.SILENT (\\Seen)");
        if c.command(&store).await.is_err() {
            // Recorded already: read again at a next pass, it is a duplicate then.
            conn = None;
            broken += 1;
        }
    }
    if report.stopped.is_none() {
        progress(total, total);
    }
    if let Some(mut c) = conn {
        // The messages are recorded and marked: a failing LOGOUT changes nothing.
        let _ = c.command("LOGOUT").await;
    }
    Ok(report)
}

/// After this many exchanges broken off in one pass, the rest waits for the next pass.
const MAX_BROKEN: usize = 3;

/// What a connection to the server runs on: TCP, or TLS over TCP.
trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<S: AsyncRead + AsyncWrite + Unpin + Send> Stream for S {}

/// `work` within `step` and before `deadline`.
async fn within<T>(
    step: Duration,
    deadline: tokio::time::Instant,
    work: impl Future<Output = Result<T, Broke>>,
) -> Result<T, Broke> {
    let left = deadline.saturating_duration_since(tokio::time::Instant::now());
    tokio::time::timeout(step.min(left), work)
        .await
        .unwrap_or(Err(Broke::TimedOut))
}

/// A connection logged in, its mailbox selected. The error is one sentence.
async fn open(
    cfg: &ImapConfig,
    step: Duration,
    deadline: tokio::time::Instant,
) -> Result<Conn<Box<dyn Stream>>, String> {
    let lang = cfg.lang;
    let server = cfg.url.server();
    let mailbox = cfg.url.mailbox.as_str();
    let broke_off = |what: String, broke: Broke| broke_sentence(lang, &server, &what, broke, step);
    let unreachable = || {
        tr!(
            lang,
            "le serveur IMAP {server} ne répond pas (vérifiez CNRM_IMAP_URL et le réseau)",
            "the IMAP server {server} does not answer (check CNRM_IMAP_URL and the network)"
        )
    };
    let tcp = tokio::time::timeout(
        step,
        tokio::net::TcpStream::connect((cfg.url.host.as_str(), cfg.url.port)),
    )
    .await
    .map_err(|_| unreachable())?
    .map_err(|_| unreachable())?;
    let stream: Box<dyn Stream> = if cfg.url.tls {
        let connector = tokio_rustls::TlsConnector::from(Arc::new(tls_config(cfg)?));
        let name = rustls::pki_types::ServerName::try_from(cfg.url.host.clone()).map_err(|_| {
            tr!(
                lang,
                "le nom du serveur IMAP {server} ne convient pas à une connexion chiffrée (TLS)",
                "the IMAP server name {server} does not suit an encrypted (TLS) connection"
            )
        })?;
        let tls = tokio::time::timeout(step, connector.connect(name, tcp))
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
        Box::new(tls)
    } else {
        Box::new(tcp)
    };
    let mut conn = Conn {
        stream: tokio::io::BufStream::new(stream),
        next_tag: 0,
        step,
        deadline,
    };
    let mut budget = Budget::new();
    match within(step, deadline, conn.reply(&mut budget)).await {
        Ok(greeting) if greeting.text.starts_with(b"* OK") => {}
        Ok(_) => return Err(broke_off(tr!(lang, "accueil", "greeting"), Broke::Closed)),
        Err(b) => return Err(broke_off(tr!(lang, "accueil", "greeting"), b)),
    }
    let user = cfg.url.user.as_str();
    match within(step, deadline, conn.login(user, &cfg.password)).await {
        Ok(Done::Ok) => {}
        Ok(Done::Refused) => {
            return Err(tr!(
                lang,
                "le serveur IMAP {server} refuse l'utilisateur {user} ou son mot de passe",
                "the IMAP server {server} refuses the user {user} or its password"
            ));
        }
        Err(b) => return Err(broke_off(tr!(lang, "connexion", "login"), b)),
    }
    match conn
        .command(&format!("SELECT {}", mailbox_name(mailbox)))
        .await
    {
        Ok((Done::Ok, _)) => Ok(conn),
        Ok((Done::Refused, _)) => Err(tr!(
            lang,
            "le serveur IMAP {server} n'a pas de boîte {mailbox} (le nom vient de CNRM_IMAP_URL, après le /)",
            "the IMAP server {server} has no mailbox {mailbox} (the name comes from CNRM_IMAP_URL, after the /)"
        )),
        Err(b) => Err(broke_off(
            tr!(lang, "choix de la boîte", "mailbox selection"),
            b,
        )),
    }
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

/// The largest message read (25 MiB), asked of the server as a partial fetch
/// (`BODY.PEEK[]<0.N>`): a longer message is read up to there. A server that sends a larger
/// literal anyway (or announces one it never sends) has it skipped, never held in memory: that
/// message stays unseen, with the reason said.
pub const MAX_MESSAGE: usize = 25 << 20;

/// The longest line of a server's answer outside its literals (4 MiB: the `SEARCH` answer of
/// 400,000 unseen messages).
pub const MAX_LINE: usize = 4 << 20;

/// The most text (literals aside) kept of the answers to one command.
const MAX_TEXT: usize = 16 << 20;

/// The most untagged answer lines to one command: a server that sends more (an endless stream)
/// is left, with one sentence.
pub const MAX_UNTAGGED: usize = 10_000;
// The sentences say "10 000" in words.
const _: () = assert!(MAX_UNTAGGED == 10_000);

/// The longest a pass may take: the messages not read by then wait for the next pass.
pub const PASS_TIMEOUT: Duration = Duration::from_secs(600);

/// The time-out of one step, `CNRM_IMAP_TIMEOUT` seconds (1 to 30) when it is set.
fn step_timeout() -> Duration {
    std::env::var("CNRM_IMAP_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| (1..=MAX_TIMEOUT.as_secs()).contains(s))
        .map_or(TIMEOUT, Duration::from_secs)
}

/// One answer line of the server, with the literals (`{n}` then n bytes) it carried.
#[derive(Debug, Default)]
struct Reply {
    /// The line's text, literals left out.
    text: Vec<u8>,
    literals: Vec<Vec<u8>>,
    /// The size of a literal too large to keep, read through and dropped.
    dropped: Option<u64>,
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

/// Why an exchange with the server broke off.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Broke {
    /// The connection closed or failed.
    Closed,
    /// The step's time-out passed.
    TimedOut,
    /// A line longer than [`MAX_LINE`], or more than [`MAX_TEXT`] of answers to one command.
    TooLong,
    /// More than [`MAX_UNTAGGED`] answer lines to one command.
    TooMany,
    /// `* BYE`: the server closes.
    Bye,
}

impl From<std::io::Error> for Broke {
    fn from(_: std::io::Error) -> Broke {
        Broke::Closed
    }
}

/// What one command may still take of the server's answers.
struct Budget {
    text: usize,
    literal: usize,
}

impl Budget {
    fn new() -> Budget {
        Budget {
            text: MAX_TEXT,
            literal: MAX_MESSAGE,
        }
    }
}

/// The size of the literal a line ends with (`… {123}` or `{123+}`), if it does; a size too
/// large to be a number is `u64::MAX` (skipped as too large).
fn literal_len(line: &[u8]) -> Option<u64> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|b| *b == b'{')?;
    let digits = &inner[open + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        std::str::from_utf8(digits)
            .ok()?
            .parse()
            .unwrap_or(u64::MAX),
    )
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
        .take(64)
        .collect();
    words
        .get(2)
        .is_some_and(|w| w.eq_ignore_ascii_case("FETCH"))
        && words
            .windows(2)
            .any(|w| w[0].eq_ignore_ascii_case("UID") && w[1].parse() == Ok(uid))
}

/// A connection to the server: commands written, answers read, each step within `step` and the
/// whole pass before `deadline`.
struct Conn<S> {
    stream: tokio::io::BufStream<S>,
    next_tag: u32,
    step: Duration,
    deadline: tokio::time::Instant,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    /// One answer line and its literals, within what `budget` still allows.
    async fn reply(&mut self, budget: &mut Budget) -> Result<Reply, Broke> {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt};
        let mut reply = Reply::default();
        loop {
            let mut line = Vec::new();
            // Two more bytes than the longest line: its CR LF.
            let limit = MAX_LINE.min(budget.text) as u64 + 2;
            let n = (&mut self.stream)
                .take(limit)
                .read_until(b'\n', &mut line)
                .await?;
            if n == 0 {
                return Err(Broke::Closed);
            }
            if line.last() != Some(&b'\n') {
                return Err(if n as u64 >= limit {
                    Broke::TooLong
                } else {
                    Broke::Closed
                });
            }
            budget.text = budget.text.saturating_sub(line.len());
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let Some(len) = literal_len(&line) else {
                reply.text.extend_from_slice(&line);
                return Ok(reply);
            };
            let open = line.iter().rposition(|b| *b == b'{').unwrap_or(line.len());
            reply.text.extend_from_slice(&line[..open]);
            match usize::try_from(len) {
                Ok(size) if size <= budget.literal => {
                    // Grown as the bytes come, never reserved from the announced size.
                    let mut literal = Vec::new();
                    (&mut self.stream)
                        .take(len)
                        .read_to_end(&mut literal)
                        .await?;
                    if literal.len() < size {
                        return Err(Broke::Closed);
                    }
                    budget.literal -= size;
                    reply.literals.push(literal);
                }
                _ => {
                    // Too large to keep: read through (the answer must be consumed) and dropped.
                    let mut chunk = vec![0u8; 64 << 10];
                    let mut left = len;
                    while left > 0 {
                        let want = left.min(chunk.len() as u64) as usize;
                        let got = self.stream.read(&mut chunk[..want]).await?;
                        if got == 0 {
                            return Err(Broke::Closed);
                        }
                        left -= got as u64;
                    }
                    reply.dropped = Some(reply.dropped.unwrap_or(0).max(len));
                }
            }
        }
    }

    async fn send(&mut self, line: &str) -> Result<(), Broke> {
        use tokio::io::AsyncWriteExt;
        self.stream.write_all(line.as_bytes()).await?;
        self.stream.write_all(b"\r\n").await?;
        Ok(self.stream.flush().await?)
    }

    /// A new tag, and the command written with it.
    async fn start(&mut self, command: &str) -> Result<String, Broke> {
        self.next_tag += 1;
        let tag = format!("c{}", self.next_tag);
        self.send(&format!("{tag} {command}")).await?;
        Ok(tag)
    }

    /// Reads up to the tagged end of the command `tag`; the untagged answers before it (at most
    /// [`MAX_UNTAGGED`], within one command's budget).
    async fn finish(
        &mut self,
        tag: &str,
        budget: &mut Budget,
    ) -> Result<(Done, Vec<Reply>), Broke> {
        let mut untagged = Vec::new();
        loop {
            let reply = self.reply(budget).await?;
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
                return Err(Broke::Bye);
            }
            if untagged.len() >= MAX_UNTAGGED {
                return Err(Broke::TooMany);
            }
            untagged.push(reply);
        }
    }

    /// One command and its answers, within the step's time-out.
    async fn command(&mut self, command: &str) -> Result<(Done, Vec<Reply>), Broke> {
        let (step, deadline) = (self.step, self.deadline);
        let work = async {
            let tag = self.start(command).await?;
            self.finish(&tag, &mut Budget::new()).await
        };
        within(step, deadline, work).await
    }

    /// `AUTHENTICATE PLAIN` (RFC 4616): any character in the user or the password, no quoting.
    async fn login(&mut self, user: &str, password: &str) -> Result<Done, Broke> {
        let mut budget = Budget::new();
        let tag = self.start("AUTHENTICATE PLAIN").await?;
        let reply = self.reply(&mut budget).await?;
        if !reply.text.starts_with(b"+") {
            // Refused at once (no PLAIN): the tagged answer is this line.
            return Ok(Done::Refused);
        }
        self.send(&crate::mail::base64(
            format!("\0{user}\0{password}").as_bytes(),
        ))
        .await?;
        Ok(self.finish(&tag, &mut budget).await?.0)
    }
}

/// Why an exchange broke off, as the end of a sentence (`what`: the step).
fn broke_sentence(lang: Lang, server: &str, what: &str, broke: Broke, step: Duration) -> String {
    let seconds = step.as_secs();
    let minutes = PASS_TIMEOUT.as_secs() / 60;
    let mib = MAX_LINE >> 20;
    match broke {
        Broke::TimedOut => tr!(
            lang,
            "le serveur IMAP {server} n'a pas répondu à temps ({what}, {seconds}\u{a0}s au plus par étape et {minutes}\u{a0}min par passage)",
            "the IMAP server {server} did not answer in time ({what}, at most {seconds} s a step and {minutes} min a pass)"
        ),
        Broke::TooLong => tr!(
            lang,
            "le serveur IMAP {server} a envoyé une réponse trop longue ({what}, plus de {mib}\u{a0}Mio de texte), l'échange est abandonné",
            "the IMAP server {server} sent too long an answer ({what}, over {mib} MiB of text), the exchange is given up"
        ),
        Broke::TooMany => tr!(
            lang,
            "le serveur IMAP {server} a envoyé plus de 10\u{202f}000 lignes de réponse à une seule commande ({what}), l'échange est abandonné",
            "the IMAP server {server} sent more than 10,000 answer lines to one command ({what}), the exchange is given up"
        ),
        Broke::Closed | Broke::Bye => tr!(
            lang,
            "le serveur IMAP {server} a interrompu l'échange ({what})",
            "the IMAP server {server} broke off the exchange ({what})"
        ),
    }
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

    /// A connection to a server played by `script` (what it sends, whatever is asked).
    fn scripted(script: Vec<u8>) -> (Conn<tokio::io::DuplexStream>, tokio::task::JoinHandle<()>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (client, mut server) = tokio::io::duplex(1 << 16);
        let task = tokio::spawn(async move {
            let _ = server.write_all(&script).await;
            // Then drains what the client says until it leaves.
            let mut sink = vec![0u8; 1024];
            while matches!(server.read(&mut sink).await, Ok(n) if n > 0) {}
        });
        let conn = Conn {
            stream: tokio::io::BufStream::new(client),
            next_tag: 0,
            step: Duration::from_secs(5),
            deadline: tokio::time::Instant::now() + Duration::from_secs(60),
        };
        (conn, task)
    }

    fn run<T>(f: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn a_literal_over_the_limit_is_read_through_and_dropped_never_kept() {
        run(async {
            let size = MAX_MESSAGE + 1;
            let mut script = format!("* 1 FETCH (UID 1 BODY[]<0> {{{size}}}\r\n").into_bytes();
            script.extend(std::iter::repeat_n(b'x', size));
            script.extend_from_slice(
                b")\r\n* 2 FETCH (UID 2 BODY[]<0> {5}\r\nhello)\r\nc1 OK done\r\n",
            );
            let (mut conn, _task) = scripted(script);
            let (done, untagged) = conn
                .command("UID FETCH 1:2 BODY.PEEK[]")
                .await
                .expect("answer");
            assert_eq!(done, Done::Ok);
            assert_eq!(untagged[0].dropped, Some(size as u64));
            assert!(untagged[0].literals.is_empty());
            assert_eq!(untagged[1].literals, [b"hello".to_vec()]);
        });
    }

    #[test]
    fn endless_untagged_lines_a_long_line_and_silence_are_each_a_bound() {
        run(async {
            let script = b"* OK noise\r\n".repeat(MAX_UNTAGGED + 1);
            let (mut conn, _task) = scripted(script);
            assert_eq!(conn.command("NOOP").await.err(), Some(Broke::TooMany));
            let mut script = b"* OK ".to_vec();
            script.extend(std::iter::repeat_n(b'y', MAX_LINE + 10));
            let (mut conn, _task) = scripted(script);
            assert_eq!(conn.command("NOOP").await.err(), Some(Broke::TooLong));
            // A claim of 2 GB never sent: the step's time-out, nothing allocated for it.
            let (mut conn, _task) = scripted(b"* 1 FETCH (UID 1 BODY[] {2000000000}\r\n".to_vec());
            conn.step = Duration::from_millis(200);
            assert_eq!(conn.command("NOOP").await.err(), Some(Broke::TimedOut));
            assert_eq!(
                literal_len(b"* 1 FETCH (BODY[] {99999999999999999999999}"),
                Some(u64::MAX)
            );
        });
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
