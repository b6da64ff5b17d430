//! Secrets a customer or staff member holds: random tokens from the OS RNG (only
//! their SHA-256 is stored), human-readable ticket references, and HMAC-signed
//! values the server can check without storing them (form time tokens).

use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// Letters for references and codes: no 0/O, 1/I/L, 5/S, 2/Z that are misread aloud.
const READABLE: &[u8] = b"346789ABCDEFGHJKMNPQRTUVWXY";

/// A fresh secret with 256 bits from the OS RNG, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    BASE64URL_NOPAD.encode(&bytes)
}

/// The form in which a token is stored: its SHA-256, hex.
pub fn hash_token(token: &str) -> String {
    digest_hex(token.as_bytes())
}

/// SHA-256 of any bytes, hex.
pub fn digest_hex(bytes: &[u8]) -> String {
    HEXLOWER.encode(&Sha256::digest(bytes))
}

/// A ticket reference such as `TL-7KQ2-9XMA`: 8 readable characters (≈ 38 bits)
/// from the OS RNG. It names a ticket; it never grants access to one.
pub fn new_reference() -> String {
    let mut rng = OsRng;
    let mut pick = || READABLE[rng.gen_range(0..READABLE.len())] as char;
    let first: String = (0..4).map(|_| pick()).collect();
    let second: String = (0..4).map(|_| pick()).collect();
    format!("TL-{first}-{second}")
}

/// Bytes of the signature `Signer::sign` appends (128 bits).
const SIGNATURE_BYTES: usize = 16;

/// Signs and checks values with the server's secret key.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl Signer {
    /// A signer over the given secret key.
    pub fn new(key: &[u8]) -> Signer {
        Signer { key: key.to_vec() }
    }

    fn mac(&self, purpose: &str, value: &str) -> Hmac<Sha256> {
        // The key length is unrestricted for HMAC, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        mac
    }

    /// `value.signature`, where the signature binds the value to a purpose.
    pub fn sign(&self, purpose: &str, value: &str) -> String {
        let tag = self.mac(purpose, value).finalize().into_bytes();
        format!(
            "{value}.{}",
            BASE64URL_NOPAD.encode(&tag[..SIGNATURE_BYTES])
        )
    }

    /// The value inside a signed string, if the signature is right (constant-time check).
    pub fn verify<'a>(&self, purpose: &str, signed: &'a str) -> Option<&'a str> {
        let (value, tag) = signed.rsplit_once('.')?;
        let tag = BASE64URL_NOPAD.decode(tag.as_bytes()).ok()?;
        // The whole 128-bit tag `sign` makes, never a shorter prefix: HMAC's
        // truncated check alone would take a one-byte guess.
        if tag.len() != SIGNATURE_BYTES {
            return None;
        }
        self.mac(purpose, value).verify_truncated_left(&tag).ok()?;
        Some(value)
    }

    /// A secret derived from `value`: recomputable with the key, unguessable without.
    pub fn derive(&self, purpose: &str, value: &str) -> String {
        BASE64URL_NOPAD.encode(&self.mac(purpose, value).finalize().into_bytes())
    }

    /// The raw HMAC tag of `value` for `purpose` (for callers that encode it their own way).
    pub fn tag(&self, purpose: &str, value: &str) -> Vec<u8> {
        self.mac(purpose, value).finalize().into_bytes().to_vec()
    }

    /// Whether `tag` is the leftmost `len` bytes of `value`'s tag
    /// (constant-time check); a tag of any other length is refused.
    pub fn check_tag(&self, purpose: &str, value: &str, tag: &[u8], len: usize) -> bool {
        tag.len() == len && self.mac(purpose, value).verify_truncated_left(tag).is_ok()
    }

    /// A token carrying the moment a form was served, for one form `scope`.
    pub fn form_token(&self, scope: &str, now_unix: i64) -> String {
        self.sign(&format!("form:{scope}"), &now_unix.to_string())
    }

    /// When the form behind `token` was served, if the token is genuine for `scope`.
    pub fn form_token_time(&self, scope: &str, token: &str) -> Option<i64> {
        self.verify(&format!("form:{scope}"), token)?.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortened_signature_is_refused() {
        let signer = Signer::new(b"a key that is long enough for the test here");
        let signed = signer.sign("p", "42");
        assert_eq!(signer.verify("p", &signed), Some("42"));
        let (value, tag) = signed.rsplit_once('.').unwrap();
        let tag = BASE64URL_NOPAD.decode(tag.as_bytes()).unwrap();
        for len in [1, 8, 15] {
            let short = format!("{value}.{}", BASE64URL_NOPAD.encode(&tag[..len]));
            assert_eq!(signer.verify("p", &short), None, "{len} bytes");
        }
        assert!(!signer.check_tag("p", "42", &signer.tag("p", "42")[..1], 15));
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token();
        assert!(a.len() >= 43);
        assert_ne!(a, random_token());
        assert_eq!(hash_token(&a).len(), 64);
    }

    #[test]
    fn references_are_readable() {
        let r = new_reference();
        assert_eq!(r.len(), 12);
        assert!(r.starts_with("TL-"));
        assert!(r[3..]
            .chars()
            .all(|c| c == '-' || READABLE.contains(&(c as u8))));
    }

    #[test]
    fn signatures_bind_purpose_and_value() {
        let s = Signer::new(b"0123456789abcdef0123456789abcdef");
        let t = s.form_token("shop", 1000);
        assert_eq!(s.form_token_time("shop", &t), Some(1000));
        assert_eq!(s.form_token_time("other", &t), None);
        assert_eq!(s.form_token_time("shop", &t.replace("1000", "1")), None);
        assert_eq!(s.form_token_time("shop", "garbage"), None);
        assert_eq!(
            Signer::new(b"another key").form_token_time("shop", &t),
            None
        );
    }
}
