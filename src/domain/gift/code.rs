//! A gift's page token and till code, and the signed request key that makes
//! a doubled submit of the send form one gift (see the codes in
//! [`super`]'s doc).

use crate::tokens::Signer;
use chrono::NaiveDateTime;
use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use rand::rngs::OsRng;
use rand::RngCore;

/// The characters of a code: digits and capitals without the ones misread
/// aloud or on a till receipt (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V).
pub const CODE_ALPHABET: &[u8] = b"34679ACDEFGHJKMNPQRTWXY";
/// Characters in a code.
pub const CODE_LEN: usize = 10;
/// A send form older than this is refused (shown again with a fresh key).
pub const REQUEST_KEY_MAX_AGE_SECS: i64 = 24 * 3600;

/// A fresh page token: 128 bits from the OS RNG, URL-safe.
pub fn new_page_token() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    BASE64URL_NOPAD.encode(&bytes)
}

/// The code of the gift whose page token is `token`: HMAC under the server
/// secret, mapped onto [`CODE_ALPHABET`] without bias (bytes past the last
/// whole multiple of the alphabet are skipped).
pub fn code_for(signer: &Signer, token: &str) -> String {
    let limit = (256 / CODE_ALPHABET.len() * CODE_ALPHABET.len()) as u8;
    let mut code = String::with_capacity(CODE_LEN);
    let mut round = 0u32;
    while code.len() < CODE_LEN {
        let tag = signer.tag(&format!("gift-code:{round}"), token);
        for b in tag {
            if b < limit && code.len() < CODE_LEN {
                code.push(CODE_ALPHABET[usize::from(b) % CODE_ALPHABET.len()] as char);
            }
        }
        round += 1;
    }
    code
}

/// A code grouped for reading out: `K7QF-M3XP-RW`.
pub fn grouped(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 2);
    for (i, c) in code.chars().enumerate() {
        if i == 4 || i == 8 {
            out.push('-');
        }
        out.push(c);
    }
    out
}

/// A typed code without case, spaces or dashes; None when it cannot be a code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// The stored form of a code: HMAC(server secret, code), hex.
pub fn code_hash(signer: &Signer, code: &str) -> String {
    HEXLOWER.encode(&signer.tag("gift-code-hash", code))
}

/// A signed request key for one send form, bound to the user.
pub fn request_key(signer: &Signer, user_id: i64, now: NaiveDateTime) -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    let value = format!(
        "{}:{}",
        BASE64URL_NOPAD.encode(&bytes),
        now.and_utc().timestamp()
    );
    signer.sign(&format!("gift-send:{user_id}"), &value)
}

/// What a submitted request key says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestKey {
    /// Genuine and fresh.
    Fresh,
    /// Genuine but older than [`REQUEST_KEY_MAX_AGE_SECS`].
    Stale,
    /// Not ours or not this user's.
    Forged,
}

/// Checks a request key from the send form.
pub fn check_request_key(
    signer: &Signer,
    user_id: i64,
    key: &str,
    now: NaiveDateTime,
) -> RequestKey {
    let Some(value) = signer.verify(&format!("gift-send:{user_id}"), key) else {
        return RequestKey::Forged;
    };
    let issued = value
        .rsplit_once(':')
        .and_then(|(_, t)| t.parse::<i64>().ok());
    match issued {
        Some(t) if now.and_utc().timestamp() - t <= REQUEST_KEY_MAX_AGE_SECS => RequestKey::Fresh,
        Some(_) => RequestKey::Stale,
        None => RequestKey::Forged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_normalise() {
        let signer = Signer::new(b"a key for the test, long enough to be a key");
        let code = code_for(&signer, &new_page_token());
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        let shown = grouped(&code);
        assert_eq!(shown.len(), 12);
        assert_eq!(
            normalise_code(&shown.to_lowercase().replace('-', " ")),
            Some(code.clone())
        );
        assert_eq!(normalise_code("0000-0000-00"), None);
        for c in b"0O1IL2Z5S8BUV" {
            assert!(!CODE_ALPHABET.contains(c));
        }
    }
}
