//! Message tokens: what ties a member's reply to the message it answers.
//!
//! Every outgoing message gets a token of 128 random bits written in 26 lower-case letters and
//! digits (base32, RFC 4648 alphabet in lower case). Its Message-ID is `<TOKEN@domain>`, and, when
//! a reply address is configured, its `Reply-To` is that address with the token as a subaddress
//! (`cnrm-retours+TOKEN@example.ml`, RFC 5233): the token is found again from either.

use sha2::{Digest, Sha256};

/// Characters of a token.
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// The shortest token read back from an address (the spec's floor: 16 letters and digits).
const MIN_LEN: usize = 16;

/// A new token: 128 bits from the operating system's random source.
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No random source (never seen on Linux): a hash of the time, the process and a
        // counter, still unique and not guessable from outside the machine.
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut h = Sha256::new();
        h.update(format!(
            "{:?}{}{}",
            std::time::SystemTime::now(),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        bytes.copy_from_slice(&h.finalize()[..16]);
    }
    base32(&bytes)
}

/// Lower-case base32 without padding.
fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buf, mut bits) = (0u32, 0u32);
    for b in bytes {
        buf = (buf << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// True for a token as written by [`new_token`] (or any run of at least 16 letters and digits).
pub fn is_token(text: &str) -> bool {
    text.len() >= MIN_LEN && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The Message-ID of a message with this token.
pub fn message_id(token: &str, domain: &str) -> String {
    format!("<{token}@{domain}>")
}

/// The token of a Message-ID written by [`message_id`] (angle brackets optional).
pub fn of_message_id(id: &str) -> Option<String> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, _) = id.rsplit_once('@')?;
    is_token(local).then(|| local.to_ascii_lowercase())
}

/// The token in a subaddress (`cnrm-retours+TOKEN@example.ml`), if the address has one.
pub fn of_address(address: &str) -> Option<String> {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, _) = address.rsplit_once('@')?;
    let (_, detail) = local.rsplit_once('+')?;
    is_token(detail).then(|| detail.to_ascii_lowercase())
}

/// The reply address for a token: `base` (`cnrm-retours@example.ml`, or with a display name
/// `Retours CNRM <cnrm-retours@example.ml>`) with the token as a subaddress. `None` when `base`
/// is not an address.
pub fn reply_address(base: &str, token: &str) -> Option<String> {
    let base = base.trim();
    let (name, address) = match (base.rfind('<'), base.rfind('>')) {
        (Some(a), Some(b)) if a < b => (Some(base[..a].trim()), &base[a + 1..b]),
        _ => (None, base),
    };
    let (local, domain) = address.trim().rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() || local.contains(char::is_whitespace) {
        return None;
    }
    // An address that already carries a subaddress keeps only its base.
    let local = local.split('+').next().unwrap_or(local);
    let tagged = format!("{local}+{token}@{domain}");
    Some(match name.filter(|n| !n.is_empty()) {
        Some(n) => format!("{n} <{tagged}>"),
        None => tagged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_hold_128_random_bits_in_letters_and_digits() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 26);
        assert!(
            is_token(&a) && a.bytes().all(|c| ALPHABET.contains(&c)),
            "{a}"
        );
        assert_eq!(base32(&[0xff; 5]), "77777777");
        assert_eq!(base32(b"f"), "my");
    }

    #[test]
    fn a_token_is_found_from_the_message_id_and_from_the_reply_address() {
        let t = new_token();
        let id = message_id(&t, "example.ml");
        assert_eq!(of_message_id(&id).as_deref(), Some(t.as_str()));
        assert_eq!(of_message_id("<cnrm.pao.1.17000@x>"), None);
        let reply = reply_address("Retours CNRM <cnrm-retours@example.ml>", &t).expect("address");
        assert_eq!(reply, format!("Retours CNRM <cnrm-retours+{t}@example.ml>"));
        assert_eq!(
            of_address(&format!("cnrm-retours+{}@example.ml", t.to_uppercase())).as_deref(),
            Some(t.as_str())
        );
        assert_eq!(
            reply_address("cnrm+old@example.ml", "abc").as_deref(),
            Some("cnrm+abc@example.ml")
        );
        assert_eq!(reply_address("not an address", "abc"), None);
        assert_eq!(of_address("dgme+short@example.ml"), None);
        assert_eq!(of_address("dgme@example.ml"), None);
    }
}
