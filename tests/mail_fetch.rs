//! `mail fetch` against a real Dovecot on 127.0.0.1 (`common::imap`): the IMAP client of the
//! engine on its own (what it reads, what it marks `\Seen`, what it leaves for later, its
//! sentences, TLS with a certificate trusted explicitly).

use crate::common::db::block_on;
use crate::common::imap::{Dovecot, PASSWORD, USER};
use crate::common::require;
use cnrm_engine::imap::{self, ImapConfig, TryLater};
use cnrm_engine::Lang;

fn message(n: usize) -> Vec<u8> {
    format!(
        "From: Membre <membre{n}@example.ml>\r\nTo: cnrm-retours@example.ml\r\nSubject: Re: [CNRM] Rappel {n}\r\nMessage-ID: <reply-{n}@example.ml>\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\n\r\nfait {n}\r\n"
    )
    .into_bytes()
}

fn config(server: &Dovecot, lang: Lang) -> ImapConfig {
    let ca = server.cert();
    let ca = ca.exists().then_some(ca);
    let password = std::fs::read_to_string(server.password_file()).expect("password file");
    assert_eq!(password.trim_end(), PASSWORD);
    ImapConfig::new(&server.url(), Some(password.trim_end().into()), ca, lang).expect("config")
}

/// The `n` of each message's `fait n` line.
fn numbers(raws: &[Vec<u8>]) -> Vec<usize> {
    raws.iter()
        .map(|raw| {
            let text = String::from_utf8_lossy(raw);
            let line = text.lines().find(|l| l.starts_with("fait ")).expect("body");
            line["fait ".len()..].trim().parse().expect("number")
        })
        .collect()
}

#[test]
fn unseen_messages_are_read_whole_and_marked_seen_once_processed() {
    if !require::imap() {
        return;
    }
    let mut server = Dovecot::start();
    for n in 1..=3 {
        server.deliver(&message(n));
    }
    let cfg = config(&server, Lang::Fr);
    let report = block_on(imap::fetch(
        &cfg,
        |raw| async move { Ok::<_, TryLater>(raw) },
    ))
    .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(numbers(&report.processed), vec![1, 2, 3]);
    assert_eq!(report.processed[0], message(1), "the bytes as delivered");
    assert_eq!((report.left_unseen, report.stopped), (0, None));
    assert_eq!(server.seen_unseen(), (3, 0));
    // Seen messages are not read again; a new one is.
    server.deliver(&message(4));
    let again = block_on(imap::fetch(
        &cfg,
        |raw| async move { Ok::<_, TryLater>(raw) },
    ))
    .expect("second pass");
    assert_eq!(numbers(&again.processed), vec![4]);
    assert_eq!(server.seen_unseen(), (4, 0));
}

#[test]
fn a_message_that_cannot_be_recorded_now_stays_unseen_with_those_after_it() {
    if !require::imap() {
        return;
    }
    let mut server = Dovecot::start();
    for n in 1..=4 {
        server.deliver(&message(n));
    }
    let cfg = config(&server, Lang::En);
    let report = block_on(imap::fetch(&cfg, |raw| async move {
        if numbers(std::slice::from_ref(&raw)) == [3] {
            Err(TryLater("the database is out of reach".into()))
        } else {
            Ok(raw)
        }
    }))
    .expect("pass");
    assert_eq!(numbers(&report.processed), vec![1, 2]);
    assert_eq!(report.left_unseen, 2);
    assert_eq!(
        report.stopped.as_deref(),
        Some("the database is out of reach")
    );
    assert_eq!(server.seen_unseen(), (2, 2));
    // The next pass takes them.
    let next = block_on(imap::fetch(
        &cfg,
        |raw| async move { Ok::<_, TryLater>(raw) },
    ))
    .expect("next pass");
    assert_eq!(numbers(&next.processed), vec![3, 4]);
    assert_eq!(server.seen_unseen(), (4, 0));
}

#[test]
fn imaps_with_the_servers_own_certificate_trusted_explicitly() {
    if !require::imap() {
        return;
    }
    let mut server = Dovecot::start_tls();
    server.deliver(&message(7));
    let cfg = config(&server, Lang::Fr);
    assert!(cfg.url.tls);
    let report = block_on(imap::fetch(
        &cfg,
        |raw| async move { Ok::<_, TryLater>(raw) },
    ))
    .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(numbers(&report.processed), vec![7]);
    assert_eq!(server.seen_unseen(), (1, 0));
    // Without the certificate, the usual authorities do not know it: one sentence, nothing read.
    server.deliver(&message(8));
    let untrusted =
        ImapConfig::new(&server.url(), Some(PASSWORD.into()), None, Lang::Fr).expect("config");
    let e = block_on(imap::fetch(&untrusted, |raw| async move {
        Ok::<_, TryLater>(raw)
    }))
    .expect_err("untrusted certificate");
    assert_eq!(
        e,
        format!(
            "la connexion chiffrée (TLS) au serveur IMAP 127.0.0.1:{} a échoué\u{a0}: son certificat n'est pas reconnu (autorité inconnue, nom ou date qui ne conviennent pas\u{a0}; un certificat à faire confiance peut être donné par CNRM_IMAP_CA_FILE)",
            server.port
        )
    );
    assert_eq!(server.seen_unseen(), (1, 1));
}

#[test]
fn a_wrong_password_a_missing_mailbox_and_no_server_are_one_sentence_each() {
    if !require::imap() {
        return;
    }
    let mut server = Dovecot::start();
    server.deliver(&message(1));
    let port = server.port;
    let wrong = ImapConfig::new(
        &server.url(),
        Some("n0t-the-password".into()),
        None,
        Lang::Fr,
    )
    .expect("config");
    let e = block_on(imap::fetch(
        &wrong,
        |raw| async move { Ok::<_, TryLater>(raw) },
    ))
    .expect_err("wrong password");
    assert_eq!(
        e,
        format!("le serveur IMAP 127.0.0.1:{port} refuse l'utilisateur {USER} ou son mot de passe")
    );
    assert!(!e.contains("n0t-the-password"));
    let url = format!("imap://{USER}@127.0.0.1:{port}/Archives");
    let missing = ImapConfig::new(&url, Some(PASSWORD.into()), None, Lang::En).expect("config");
    let e = block_on(imap::fetch(&missing, |raw| async move {
        Ok::<_, TryLater>(raw)
    }))
    .expect_err("missing mailbox");
    assert_eq!(
        e,
        format!("the IMAP server 127.0.0.1:{port} has no mailbox Archives (the name comes from CNRM_IMAP_URL, after the /)")
    );
    assert_eq!(server.seen_unseen(), (0, 1));
    drop(server);
    let gone = ImapConfig::new(
        &format!("imap://{USER}@127.0.0.1:{port}/INBOX"),
        Some(PASSWORD.into()),
        None,
        Lang::En,
    )
    .expect("config");
    let e = block_on(imap::fetch(
        &gone,
        |raw| async move { Ok::<_, TryLater>(raw) },
    ))
    .expect_err("no server");
    assert_eq!(
        e,
        format!("the IMAP server 127.0.0.1:{port} does not answer (check CNRM_IMAP_URL and the network)")
    );
}
