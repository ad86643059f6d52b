//! The JSON Schema as an editor shows it: the real yaml-language-server (the server of VS Code's
//! YAML extension), driven over stdio LSP with the schema that `cnrm plan schema` prints, gives
//! French messages (then English) at the line and column of each mistake, and nothing at all for
//! the example plans.

use crate::common::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long the whole conversation with the server may take (it answers in about a second).
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// A diagnostic as the editor shows it: 1-based line and column, message.
#[derive(Debug, Clone)]
struct Diag {
    line: u64,
    column: u64,
    message: String,
}

/// A running yaml-language-server; killed when dropped, so a failing test leaves nothing behind.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: u64,
    deadline: Instant,
    /// The `yaml` settings the server pulls with `workspace/configuration`.
    settings: Value,
    /// The latest diagnostics published for each document URI.
    published: HashMap<String, Vec<Diag>>,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads one `Content-Length`-framed message, or `None` at the end of the stream.
fn read_message(from: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if from.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; length?];
    from.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl Server {
    fn start(command: &str, dir: &Path, settings: Value) -> Server {
        let log = dir.join("yaml-language-server.log");
        let mut child = Command::new(command)
            .arg("--stdio")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .unwrap_or_else(|e| panic!("{command} --stdio does not start: {e}"));
        let stdin = child.stdin.take().expect("stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let (tx, messages) = mpsc::channel();
        // The reader ends with the server's stdout, when the server is killed.
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            stdin,
            messages,
            next_id: 1,
            deadline: Instant::now() + TIME_LIMIT,
            settings,
            published: HashMap::new(),
            log,
        };
        // An English editor: the schema's messages are French first whatever the editor's locale.
        let root = file_uri(dir);
        server.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "locale": "en",
                "rootUri": root,
                "workspaceFolders": [{ "uri": root, "name": "plans" }],
                "capabilities": { "workspace": { "configuration": true } },
            }),
        );
        server.notify("initialized", json!({}));
        // As VS Code does: the settings changed, the server pulls them.
        server.notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": null }),
        );
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.stdin
            .write_all(framed.as_bytes())
            .and_then(|()| self.stdin.flush())
            .unwrap_or_else(|e| panic!("writing to yaml-language-server: {e}{}", self.tail()));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.next(&format!("the answer to `{method}`"));
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
        }
    }

    /// The server's log, for a failure message.
    fn tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("\nyaml-language-server's stderr:\n{tail}")
    }

    /// The next message that is not a request of the server (those are answered here); fails
    /// the test when the time limit passes first.
    fn next(&mut self, waiting_for: &str) -> Value {
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            let message = match self.messages.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "yaml-language-server: no {waiting_for} within {TIME_LIMIT:?}; published so \
                     far: {:#?}{}",
                    self.published,
                    self.tail()
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!(
                        "yaml-language-server stopped before {waiting_for}{}",
                        self.tail()
                    )
                }
            };
            match (message.get("id"), message["method"].as_str()) {
                (Some(id), Some(method)) => {
                    let result = match method {
                        "workspace/configuration" => {
                            let items = message["params"]["items"].as_array().cloned();
                            let answers: Vec<Value> = items
                                .unwrap_or_default()
                                .iter()
                                .map(|item| match item["section"].as_str() {
                                    Some("yaml") => self.settings.clone(),
                                    _ => json!({}),
                                })
                                .collect();
                            Value::Array(answers)
                        }
                        _ => Value::Null,
                    };
                    let answer = json!({ "jsonrpc": "2.0", "id": id, "result": result });
                    self.send(answer);
                }
                (None, Some("textDocument/publishDiagnostics")) => {
                    let params = &message["params"];
                    let diags = params["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .iter()
                        .map(|d| Diag {
                            line: d["range"]["start"]["line"].as_u64().unwrap_or(0) + 1,
                            column: d["range"]["start"]["character"].as_u64().unwrap_or(0) + 1,
                            message: d["message"].as_str().unwrap_or("").to_string(),
                        })
                        .collect();
                    let uri = params["uri"].as_str().unwrap_or("").to_string();
                    self.published.insert(uri, diags);
                    return message;
                }
                _ => return message,
            }
        }
    }

    fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = file_uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "yaml", "version": 1, "text": text,
            }}),
        );
        uri
    }

    /// Waits until the diagnostics published for `uri` satisfy `done`, and returns them.
    fn diagnostics(&mut self, uri: &str, done: impl Fn(&[Diag]) -> bool) -> Vec<Diag> {
        loop {
            if let Some(diags) = self.published.get(uri) {
                if done(diags) {
                    return diags.clone();
                }
            }
            self.next(&format!("expected diagnostics for {uri}"));
        }
    }
}

/// A plan with one mistake a line, each beside the value that is wrong.
const MISTAKES: &str = "\
version: 1
plan:
  id: essai
  title: Plan d'essai
  period: { start: 2025-01-01, end: 2025-12-31 }
  currency: euros
reminders:
  before: [14d, trois jours]
owners:
  - id: St-CNRM
    name: Secrétariat
    email: st@example.ml
priorities:
  - id: axe-1
    title: Coordination
    tasks:
      - id: axe-1.a1
        title: Première tâche
        owner: st
        deadline: 2025-13-45
      - id: axe-1.a2
        title: Deuxième tâche
        owner: st
        deadline: demain
        dealine: T3 2025
        resources:
          - kind: budget
            amount: beaucoup
            currency: FCFA
            status: versé
          - kind: budget
            amount: -500000
            status: secured
";

/// (the wrong value as written, French message start, English message start).
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "euros",
        "Devise inconnue\u{a0}: un code ISO 4217",
        "Unknown currency",
    ),
    (
        "trois jours",
        "Durée illisible\u{a0}: un nombre entier",
        "Unreadable duration",
    ),
    (
        "St-CNRM",
        "Identifiant invalide\u{a0}: une minuscule",
        "Invalid id",
    ),
    (
        "2025-13-45",
        "Échéance illisible\u{a0}: écrivez AAAA-MM-JJ",
        "Unreadable deadline",
    ),
    (
        "demain",
        "Échéance illisible\u{a0}: écrivez AAAA-MM-JJ",
        "Unreadable deadline",
    ),
    (
        "dealine",
        "Une tâche est une table aux clés id, title",
        "A task is a mapping",
    ),
    (
        "beaucoup",
        "Montant illisible\u{a0}: un nombre positif",
        "Unreadable amount",
    ),
    (
        "versé",
        "Statut inconnu\u{a0}: `secured` (acquis)",
        "Unknown status",
    ),
    (
        "-500000",
        "Montant négatif\u{a0}: un montant",
        "Negative amount",
    ),
];

/// Line and column (1-based) of `needle` in `text`, found once.
fn position(text: &str, needle: &str) -> (u64, u64) {
    let found: Vec<(u64, u64)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            l.find(&format!(" {needle}"))
                .map(|c| (i as u64 + 1, l[..c + 1].chars().count() as u64 + 1))
        })
        .collect();
    assert_eq!(found.len(), 1, "`{needle}` once in the plan");
    found[0]
}

/// A folder for the schema and the plans. Its name has no leading dot: the server's globs (as
/// `yaml.schemas` in VS Code) match no path through a hidden folder such as `/tmp/.tmpXXXX`.
fn folder() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("cnrm-yamlls-")
        .tempdir()
        .expect("tempdir")
}

/// The French half of a message, before ` / `.
fn french(message: &str) -> &str {
    message.split_once(" / ").map_or(message, |(fr, _)| fr)
}

#[test]
fn yaml_language_server_shows_french_messages_at_each_mistake() {
    let Some(command) = require::yamlls() else {
        return;
    };
    let dir = folder();
    let out = run(&["plan", "schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema_path = dir.path().join("plan.schema.json");
    std::fs::write(&schema_path, &out.stdout).expect("write schema");

    // The VS Code setting `yaml.schemas` gives the schema to the files it names.
    let settings = json!({
        "validate": true,
        "schemaStore": { "enable": false },
        "schemas": { file_uri(&schema_path): ["erreurs*.yaml"] },
    });
    let mut server = Server::start(&command, dir.path(), settings);

    let bad = dir.path().join("erreurs.yaml");
    let uri = server.open(&bad, MISTAKES);
    let expected: Vec<(u64, u64, &str, &str)> = EXPECTED
        .iter()
        .map(|(needle, fr, en)| {
            let (line, column) = position(MISTAKES, needle);
            (line, column, *fr, *en)
        })
        .collect();
    let shown = |d: &Diag, (line, column, fr, en): &(u64, u64, &str, &str)| {
        d.line == *line
            && d.column == *column
            && d.message.starts_with(fr)
            && d.message.contains(&format!(" / {en}"))
    };
    let diags = server.diagnostics(&uri, |diags| {
        expected.iter().all(|e| diags.iter().any(|d| shown(d, e)))
    });
    for d in &diags {
        eprintln!("{}:{}: {}", d.line, d.column, d.message);
    }
    assert_eq!(
        diags.len(),
        expected.len(),
        "one message a mistake, no other: {diags:#?}"
    );
    for d in &diags {
        let fr = french(&d.message);
        assert!(
            d.message.contains(" / ") && !fr.contains(" :") && !fr.contains(" ;"),
            "French (with its typography), then English: {d:?}"
        );
    }
}

#[test]
fn yaml_language_server_finds_nothing_wrong_in_the_example_plans() {
    let Some(command) = require::yamlls() else {
        return;
    };
    let dir = folder();
    let out = run(&["plan", "schema"]);
    assert_eq!(out.status.code(), Some(0));
    // As the documentation says: `cnrm plan schema > plan.schema.json` beside the plan, and the
    // modeline `# yaml-language-server: $schema=./plan.schema.json` (plans/exemple.yaml has it).
    std::fs::write(dir.path().join("plan.schema.json"), &out.stdout).expect("write schema");
    let settings = json!({ "validate": true, "schemaStore": { "enable": false } });
    let mut server = Server::start(&command, dir.path(), settings);
    let modeline = "# yaml-language-server: $schema=./plan.schema.json";
    let mut uris = Vec::new();
    for plan in example_plans() {
        let mut text = std::fs::read_to_string(&plan).expect("readable plan");
        if !text.contains(modeline) {
            text = format!("{modeline}\n{text}");
        }
        let name = plan.file_name().expect("a file name");
        uris.push(server.open(&dir.path().join(name), &text));
    }
    // A plan with one mistake, opened last: once it has its message, the schema was read.
    let mistake = format!(
        "{modeline}\n{}",
        MISTAKES.replace("currency: euros", "currency: XOF")
    );
    let probe = server.open(&dir.path().join("sonde.yaml"), &mistake);
    server.diagnostics(&probe, |d| {
        d.iter()
            .any(|d| d.message.starts_with("Durée illisible\u{a0}:"))
    });
    for uri in &uris {
        let diags = server.diagnostics(uri, |_| true);
        assert!(diags.is_empty(), "{uri}: {diags:#?}");
    }
}
