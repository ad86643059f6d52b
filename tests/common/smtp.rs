//! A real SMTP server on 127.0.0.1 for the reminder tests: aiosmtpd, run as a separate process
//! (`tests/smtp_server.py`); it accepts every message and keeps what arrived, to be read back. A
//! test that starts one checks first that it can (`require::smtp()`).

use std::net::TcpListener;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// A header's value (first occurrence), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded
            .lines()
            .find(|l| {
                l.to_ascii_lowercase()
                    .starts_with(&format!("{}:", name.to_ascii_lowercase()))
            })
            .map(|l| l[name.len() + 1..].trim().to_string())
    }

    /// The decoded subject (RFC 2047 words in UTF-8, base64 or quoted-printable).
    pub fn subject(&self) -> String {
        decode_words(&self.header("Subject").unwrap_or_default())
    }

    /// The text/plain part, decoded.
    pub fn text(&self) -> String {
        part(&self.data, "text/plain")
    }

    pub fn ics(&self) -> String {
        part(&self.data, "text/calendar")
    }

    /// The text/html part, decoded.
    pub fn html(&self) -> String {
        part(&self.data, "text/html")
    }
}

fn b64(s: &str) -> Vec<u8> {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let Some(v) = T.iter().position(|t| *t == c) else {
            continue;
        };
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

fn qp(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let b = s.replace("=\r\n", "").replace("=\n", "");
    let bytes = b.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&b[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn decode_words(s: &str) -> String {
    let mut out = String::new();
    // Whitespace between two encoded words is not part of the text (RFC 2047); any other is.
    let mut previous_encoded = false;
    for word in s.split_whitespace() {
        let decoded = word
            .strip_prefix("=?utf-8?")
            .or_else(|| word.strip_prefix("=?UTF-8?"))
            .and_then(|w| w.strip_suffix("?="))
            .map(|w| match w.split_once('?') {
                Some(("b" | "B", data)) => String::from_utf8_lossy(&b64(data)).into_owned(),
                Some(("q" | "Q", data)) => {
                    String::from_utf8_lossy(&qp(&data.replace('_', " "))).into_owned()
                }
                _ => word.to_string(),
            });
        if !(out.is_empty() || previous_encoded && decoded.is_some()) {
            out.push(' ');
        }
        previous_encoded = decoded.is_some();
        out.push_str(decoded.as_deref().unwrap_or(word));
    }
    out
}

/// The body of the first MIME part of `content_type`, transfer-decoded.
fn part(data: &str, content_type: &str) -> String {
    let lower = data.to_ascii_lowercase();
    let Some(at) = lower.find(&format!("content-type: {content_type}")) else {
        return String::new();
    };
    let rest = &data[at..];
    let Some(body_at) = rest.find("\r\n\r\n") else {
        return String::new();
    };
    let headers = rest[..body_at].to_ascii_lowercase();
    let body = &rest[body_at + 4..];
    let body = body.split("\r\n--").next().unwrap_or(body);
    let bytes = if headers.contains("base64") {
        b64(body)
    } else if headers.contains("quoted-printable") {
        qp(body)
    } else {
        body.as_bytes().to_vec()
    };
    String::from_utf8_lossy(&bytes).into_owned()
}

pub struct SmtpServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: std::process::Child,
}

/// A free port on 127.0.0.1, for a server started later (SMTP down, then up).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        SmtpServer::start_on(free_port(), Duration::ZERO)
    }

    /// Starts the server (`tests/smtp_server.py`, on aiosmtpd) on `port`, pausing `delay` before
    /// accepting each message's content. Its stderr goes to `server.log` beside the messages,
    /// quoted if it does not start.
    pub fn start_on(port: u16, delay: Duration) -> SmtpServer {
        SmtpServer::start_with(port, delay, "ok")
    }

    /// A server that misbehaves as `mode` says (`silent`, `reject-rcpt`, `reject-data`,
    /// `defer-rcpt`, `auth-echo`: see `tests/smtp_server.py`).
    pub fn start_mode(mode: &str) -> SmtpServer {
        SmtpServer::start_with(free_port(), Duration::ZERO, mode)
    }

    fn start_with(port: u16, delay: Duration, mode: &str) -> SmtpServer {
        let dir = tempfile::tempdir().expect("dir");
        let script = super::root().join("tests/smtp_server.py");
        let log_path = dir.path().join("server.log");
        let log = std::fs::File::create(&log_path).expect("server log");
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(dir.path())
            .arg(delay.as_millis().to_string())
            .arg(mode)
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .expect("python3 runs the test SMTP server");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = child.try_wait().ok().flatten();
            if exited.is_some() || start.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the test SMTP server did not start ({}):\n{}",
                    exited.map_or("no answer in 10 s".into(), |s| s.to_string()),
                    std::fs::read_to_string(&log_path).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        SmtpServer { port, dir, child }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.path())
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter_map(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .map(|v| Received {
                to: v["to"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
                data: v["data"]
                    .as_str()
                    .unwrap_or("")
                    .replace("\r\n", "\n")
                    .replace('\n', "\r\n"),
            })
            .collect()
    }

    /// Waits (at most `timeout`) until at least `n` messages arrived.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.received()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
