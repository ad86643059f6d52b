//! A real SMTP server on 127.0.0.1 for the reminder tests (mailin-embedded, in a thread): it
//! accepts every message and keeps what arrived, to be read back.

use mailin_embedded::{response, Handler, Response, Server, SslConfig};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
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

#[derive(Clone)]
struct Sink {
    store: Arc<Mutex<Vec<Received>>>,
    current: Vec<u8>,
    to: Vec<String>,
    delay: Duration,
}

impl Handler for Sink {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        // A slow server: the pause comes before the message is transferred, so a client killed
        // meanwhile leaves an incomplete message, which the server drops (as real servers do).
        std::thread::sleep(self.delay);
        self.current.clear();
        self.to = to.to_vec();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let data = String::from_utf8_lossy(&self.current).into_owned();
        if let Ok(mut s) = self.store.lock() {
            s.push(Received {
                to: self.to.clone(),
                data,
            });
        }
        response::OK
    }
}

pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
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

    /// Starts a server on `port`, taking `delay` to accept each message.
    pub fn start_on(port: u16, delay: Duration) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind SMTP port");
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = Sink {
            store: received.clone(),
            current: Vec::new(),
            to: Vec::new(),
            delay,
        };
        let mut server = Server::new(sink);
        server
            .with_name("test.cnrm")
            .with_ssl(SslConfig::None)
            .expect("no TLS")
            .with_num_threads(16)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpServer { port, received }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
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
