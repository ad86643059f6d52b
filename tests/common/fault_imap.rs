//! A misbehaving IMAP server on 127.0.0.1, written here for the fault suite (`mail_faults.rs`):
//! it logs anyone in, then answers `SEARCH` and `FETCH` the way its [`Fault`] says (a huge
//! literal claim, an endless stream of untagged lines, silence, `BODY[] NIL`, literals too large,
//! many unseen messages). It records which UIDs were marked `\Seen`.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// How the server misbehaves.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Says nothing at all, ever (not even a greeting).
    Silent,
    /// `SEARCH` is answered by untagged lines without end.
    EndlessUntagged,
    /// UID 1's `FETCH` announces a literal of 2,000,000,000 bytes and sends none.
    HugeClaim,
    /// UID 1's `FETCH` sends `count` literals of `size` bytes each (over any sane limit); UID 2
    /// is `valid`.
    Oversized { count: usize, size: usize },
    /// UIDs 1 to `nil` answer `BODY[] NIL`; UID `nil + 1` is `valid`.
    NilBodies { nil: u32 },
    /// `n` unseen messages, each `valid` with its own Message-ID (`<many-UID@example.ml>`).
    Many { n: u32 },
}

pub struct FaultImap {
    pub port: u16,
    seen: Arc<Mutex<BTreeSet<u32>>>,
}

/// What the server says of one message: the test's own bytes.
#[derive(Clone)]
struct Script {
    fault: Fault,
    messages: Vec<Vec<u8>>,
}

impl FaultImap {
    /// Starts the server; the first of `messages` is the valid message it serves besides its
    /// fault.
    pub fn start(fault: Fault, messages: Vec<Vec<u8>>) -> FaultImap {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Mutex::new(BTreeSet::new()));
        let script = Script { fault, messages };
        let marks = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let script = script.clone();
                let marks = marks.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &script, &marks);
                });
            }
        });
        FaultImap { port, seen }
    }

    /// `CNRM_IMAP_URL` for it (clear text: it is on this machine).
    pub fn url(&self) -> String {
        format!("imap://cnrm:pw@127.0.0.1:{}/INBOX", self.port)
    }

    /// The UIDs marked `\Seen` so far.
    pub fn seen(&self) -> BTreeSet<u32> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

fn uids(script: &Script) -> Vec<u32> {
    match &script.fault {
        Fault::Oversized { .. } | Fault::HugeClaim => vec![1, 2],
        Fault::NilBodies { nil } => (1..=nil + 1).collect(),
        Fault::Many { n } => (1..=*n).collect(),
        Fault::Silent | Fault::EndlessUntagged => vec![1],
    }
}

/// The bytes of message `uid` when it is a valid one.
fn valid(script: &Script, uid: u32) -> Vec<u8> {
    match &script.fault {
        Fault::Many { .. } => format!(
            "From: membre@example.ml\r\nTo: cnrm-retours@example.ml\r\nSubject: Re: Rappel\r\nMessage-ID: <many-{uid}@example.ml>\r\n\r\nfait\r\n"
        )
        .into_bytes(),
        _ => script.messages.first().cloned().unwrap_or_default(),
    }
}

fn literal(out: &mut TcpStream, uid: u32, bytes: &[u8]) -> std::io::Result<()> {
    write!(
        out,
        "* {uid} FETCH (UID {uid} BODY[]<0> {{{}}}\r\n",
        bytes.len()
    )?;
    out.write_all(bytes)?;
    out.write_all(b")\r\n")
}

fn serve(stream: TcpStream, script: &Script, seen: &Mutex<BTreeSet<u32>>) -> std::io::Result<()> {
    if matches!(script.fault, Fault::Silent) {
        // Holds the connection open without a word until the client leaves.
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line)? > 0 {
            line.clear();
        }
        return Ok(());
    }
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    out.write_all(b"* OK fault server ready\r\n")?;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let text = line.trim_end().to_string();
        let (tag, command) = text.split_once(' ').unwrap_or((&text, ""));
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("AUTHENTICATE") {
            out.write_all(b"+ \r\n")?;
            line.clear();
            reader.read_line(&mut line)?;
            write!(out, "{tag} OK logged in\r\n")?;
        } else if upper.starts_with("SELECT") {
            write!(out, "* 1 EXISTS\r\n{tag} OK [READ-WRITE] selected\r\n")?;
        } else if upper.starts_with("UID SEARCH") {
            if matches!(script.fault, Fault::EndlessUntagged) {
                // Until the client hangs up (a write fails).
                let noise = b"* OK still thinking about it\r\n".repeat(1000);
                loop {
                    out.write_all(&noise)?;
                }
            }
            let list: Vec<String> = uids(script).iter().map(u32::to_string).collect();
            write!(
                out,
                "* SEARCH {}\r\n{tag} OK search done\r\n",
                list.join(" ")
            )?;
        } else if upper.starts_with("UID FETCH") {
            let uid: u32 = command
                .split_whitespace()
                .nth(2)
                .and_then(|u| u.parse().ok())
                .unwrap_or(0);
            match (&script.fault, uid) {
                (Fault::HugeClaim, 1) => {
                    write!(out, "* 1 FETCH (UID 1 BODY[]<0> {{2000000000}}\r\n")?;
                    out.flush()?;
                    // Never sends it: waits for the client to give up.
                    while reader.read_line(&mut line)? > 0 {}
                    return Ok(());
                }
                (Fault::Oversized { count, size }, 1) => {
                    write!(out, "* 1 FETCH (UID 1")?;
                    let chunk = vec![b'x'; 1 << 20];
                    for _ in 0..*count {
                        write!(out, " BODY[]<0> {{{size}}}\r\n")?;
                        let mut left = *size;
                        while left > 0 {
                            let n = left.min(chunk.len());
                            out.write_all(&chunk[..n])?;
                            left -= n;
                        }
                    }
                    write!(out, ")\r\n{tag} OK fetched\r\n")?;
                }
                (Fault::NilBodies { nil }, uid) if uid <= *nil => {
                    write!(
                        out,
                        "* {uid} FETCH (UID {uid} BODY[]<0> NIL)\r\n{tag} OK fetched\r\n"
                    )?;
                }
                (_, uid) => {
                    literal(&mut out, uid, &valid(script, uid))?;
                    write!(out, "{tag} OK fetched\r\n")?;
                }
            }
        } else if upper.starts_with("UID STORE") {
            if let Some(uid) = command
                .split_whitespace()
                .nth(2)
                .and_then(|u| u.parse().ok())
            {
                if let Ok(mut s) = seen.lock() {
                    s.insert(uid);
                }
            }
            write!(out, "{tag} OK stored\r\n")?;
        } else if upper.starts_with("LOGOUT") {
            write!(out, "* BYE bye\r\n{tag} OK logged out\r\n")?;
            return Ok(());
        } else {
            write!(out, "{tag} BAD unknown command\r\n")?;
        }
        out.flush()?;
    }
}
