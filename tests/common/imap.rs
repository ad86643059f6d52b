//! A real IMAP server on 127.0.0.1 for `cnrm mail fetch`: Debian's Dovecot (`dovecot-imapd`),
//! started on a free port with a throwaway configuration in a temporary folder (passwd-file
//! login, one Maildir mailbox under the folder, its state, sockets and log there too). Nothing
//! outside the folder is read or written but the `dovecot` program itself. A test that starts one
//! checks first that it can (`require::imap()`).
//!
//! The mailbox is filled by writing Maildir files (what a delivery agent does) and read back the
//! same way: a message Dovecot has marked `\Seen` is a file of `cur/` whose flags hold `S`.

use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "cnrm-retours";
/// A password with characters a URL must encode, to check that none of its forms leaks.
pub const PASSWORD: &str = "s3cr#t/imap%pw";

pub struct Dovecot {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
    count: usize,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// `(uid, gid)` of a user of `/etc/passwd`.
fn passwd_ids(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.first() == Some(&name))
            .then(|| Some((f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?)))?
    })
}

/// A user name of `/etc/passwd` with this uid.
fn passwd_name(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.get(2)?.parse::<u32>().ok()? == uid).then(|| f[0].to_string())
    })
}

/// A self-signed certificate for `localhost` and 127.0.0.1 (made by the `openssl` tool), as
/// `(cert.pem, key.pem)` in `dir`.
fn self_signed(dir: &Path) -> (PathBuf, PathBuf) {
    let conf = dir.join("cert.cnf");
    std::fs::write(
        &conf,
        "[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n\
         [dn]\nCN = localhost\n\
         [ext]\nsubjectAltName = DNS:localhost, IP:127.0.0.1\nbasicConstraints = critical, CA:FALSE\n\
         keyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\n",
    )
    .expect("write cert.cnf");
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let out = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .arg("-config")
        .arg(&conf)
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl starts");
    assert!(
        out.status.success(),
        "openssl req: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}

impl Dovecot {
    /// Starts Dovecot without TLS (`imap://`), for the tests on 127.0.0.1.
    pub fn start() -> Dovecot {
        Dovecot::launch(false)
    }

    /// Starts Dovecot with TLS from the first byte (`imaps://`) and a self-signed certificate,
    /// whose file is [`Dovecot::cert`].
    pub fn start_tls() -> Dovecot {
        Dovecot::launch(true)
    }

    fn launch(tls: bool) -> Dovecot {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        // Dovecot's login and mail processes run as another user when the tests run as root:
        // they must reach the folder.
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let me = std::fs::metadata(&root).expect("stat").uid();
        let (login_user, mail_ids) = if me == 0 {
            // Dovecot refuses to run its login process, or a mailbox, as root.
            let ids = passwd_ids("nobody").expect("a user nobody in /etc/passwd");
            ("nobody".to_string(), ids)
        } else {
            let gid = std::fs::metadata(&root).expect("stat").gid();
            (passwd_name(me).unwrap_or_else(|| me.to_string()), (me, gid))
        };
        let group_of = |gid: u32| {
            std::fs::read_to_string("/etc/group")
                .ok()
                .and_then(|g| {
                    g.lines().find_map(|l| {
                        let f: Vec<&str> = l.split(':').collect();
                        (f.get(2)?.parse::<u32>().ok()? == gid).then(|| f[0].to_string())
                    })
                })
                .unwrap_or_else(|| gid.to_string())
        };
        let mail = root.join("mail").join(USER);
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(mail.join(sub)).expect("maildir");
        }
        if me == 0 {
            for d in [root.join("mail"), mail.clone()]
                .into_iter()
                .chain(["cur", "new", "tmp"].map(|s| mail.join(s)))
            {
                std::os::unix::fs::chown(&d, Some(mail_ids.0), Some(mail_ids.1)).expect("chown");
            }
        }
        std::fs::write(
            root.join("passwd"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .expect("passwd file");
        std::fs::set_permissions(root.join("passwd"), std::fs::Permissions::from_mode(0o644))
            .expect("chmod passwd");
        let port = free_port();
        let r = root.display();
        let ssl = if tls {
            let (cert, key) = self_signed(&root);
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644))
                .expect("chmod key");
            format!(
                "ssl = required\nssl_cert = <{}\nssl_key = <{}\n",
                cert.display(),
                key.display()
            )
        } else {
            "ssl = no\n".to_string()
        };
        let (listener, tls_flag) = if tls {
            ("imaps", "yes")
        } else {
            ("imap", "no")
        };
        let config = format!(
            "base_dir = {r}/run\nstate_dir = {r}/state\ninstance_name = cnrm-test-{port}\n\
             protocols = imap\nlisten = 127.0.0.1\n{ssl}disable_plaintext_auth = no\n\
             auth_mechanisms = plain login\nlog_path = {r}/dovecot.log\n\
             default_internal_user = {login_user}\ndefault_internal_group = {group}\n\
             default_login_user = {login_user}\nfirst_valid_uid = 1\n\
             mail_location = maildir:{r}/mail/%u\nmail_fsync = never\n\
             service imap-login {{\n  inet_listener {listener} {{\n    address = 127.0.0.1\n    port = {port}\n    ssl = {tls_flag}\n  }}\n  chroot =\n}}\n\
             service imap {{\n  process_limit = 16\n}}\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {r}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={r}/mail/%u\n}}\n",
            group = group_of(mail_ids.1),
            uid = mail_ids.0,
            gid = mail_ids.1,
        );
        // A second listener is not wanted: without TLS there is no imaps one, and the other way.
        let config = if tls {
            config.replace(
                "service imap-login {\n",
                "service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n",
            )
        } else {
            config.replace(
                "service imap-login {\n",
                "service imap-login {\n  inet_listener imaps {\n    port = 0\n  }\n",
            )
        };
        std::fs::create_dir_all(root.join("state")).expect("state dir");
        std::fs::write(root.join("dovecot.conf"), config).expect("dovecot.conf");
        let child = Command::new("/usr/sbin/dovecot")
            .arg("-F")
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dovecot starts");
        let server = Dovecot {
            port,
            dir,
            child,
            count: 0,
        };
        server.wait_until_listening();
        server
    }

    fn wait_until_listening(&self) {
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "Dovecot did not listen on 127.0.0.1:{}: {}",
                self.port,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Dovecot's log, for a failing test's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// The self-signed certificate of a TLS server.
    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    /// `CNRM_IMAP_URL` for this server, the password left out (see [`Dovecot::password_file`]).
    pub fn url(&self) -> String {
        let scheme = if self.cert().exists() {
            "imaps"
        } else {
            "imap"
        };
        format!("{scheme}://{USER}@127.0.0.1:{}/INBOX", self.port)
    }

    /// A file holding the password, for `CNRM_IMAP_PASSWORD_FILE`.
    pub fn password_file(&self) -> PathBuf {
        let path = self.dir.path().join("imap-password");
        std::fs::write(&path, format!("{PASSWORD}\n")).expect("password file");
        path
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("mail").join(USER)
    }

    /// Delivers a message to the mailbox, unseen (as a delivery agent does: written in `tmp/`,
    /// renamed into `new/`).
    pub fn deliver(&mut self, raw: &[u8]) {
        self.count += 1;
        let name = format!(
            "{}.M{}P{}.cnrm-test",
            1_700_000_000 + self.count,
            self.count,
            std::process::id()
        );
        let tmp = self.maildir().join("tmp").join(&name);
        std::fs::write(&tmp, raw).expect("write message");
        std::fs::rename(&tmp, self.maildir().join("new").join(&name)).expect("deliver");
    }

    /// How many messages of the mailbox are seen and how many unseen.
    pub fn seen_unseen(&self) -> (usize, usize) {
        let (mut seen, mut unseen) = (0, 0);
        for sub in ["new", "cur"] {
            for entry in std::fs::read_dir(self.maildir().join(sub)).expect("read maildir") {
                let name = entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned();
                let flags = name.rsplit_once(":2,").map(|(_, f)| f).unwrap_or("");
                if sub == "cur" && flags.contains('S') {
                    seen += 1;
                } else {
                    unseen += 1;
                }
            }
        }
        (seen, unseen)
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its login and mail processes; then it is reaped.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
