//! Time-based one-time passwords (RFC 6238, the codes authenticator apps show): HMAC-SHA1,
//! 30-second steps, 6 digits; and the base32 and `otpauth://` forms that apps read.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per code.
pub const STEP: i64 = 30;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;

/// The code for `secret` at time step `step` (RFC 4226 HOTP), as a number below 10^6.
pub fn code_at(secret: &[u8], step: i64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[19] & 0x0f) as usize;
    let n = u32::from_be_bytes([
        h[offset] & 0x7f,
        h[offset + 1],
        h[offset + 2],
        h[offset + 3],
    ]);
    n % 1_000_000
}

/// The step a Unix time falls in.
pub fn step_of(unix: i64) -> i64 {
    unix.div_euclid(STEP)
}

/// Check a typed code (spaces allowed, Arabic-Indic digits too) against the steps around
/// `unix` (one before, one after: clocks drift). Returns the step it matched, so that the
/// caller can refuse the same step twice.
pub fn verify(secret: &[u8], typed: &str, unix: i64) -> Option<i64> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            other => other,
        })
        .collect();
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    let now = step_of(unix);
    [now, now - 1, now + 1]
        .into_iter()
        .find(|s| code_at(secret, *s) == n)
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32, without padding (what authenticator apps expect).
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for b in bytes {
        buf = (buf << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buf >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Read base32 (case and spaces ignored, padding allowed).
pub fn from_base32(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = ALPHABET
            .iter()
            .position(|a| *a as char == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push(((buf >> (bits - 8)) & 0xff) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// The `otpauth://` URI an authenticator app reads (from a QR code or pasted).
pub fn otpauth_uri(secret: &[u8], account: &str, issuer: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_vectors() {
        // Appendix B, SHA-1, with the 8-digit values cut to the 6 digits apps show
        let secret = b"12345678901234567890";
        for (t, code) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (1_111_111_111, 50_471),
            (1_234_567_890, 5_924),
            (2_000_000_000, 279_037),
        ] {
            assert_eq!(code_at(secret, step_of(t)), code, "t = {t}");
        }
        assert_eq!(verify(secret, "287 082", 59), Some(1));
        assert_eq!(verify(secret, "٢٨٧٠٨٢", 59), Some(1), "Arabic-Indic digits");
        assert_eq!(verify(secret, "287082", 59 + 30), Some(1), "one step late");
        assert_eq!(verify(secret, "287082", 59 + 90), None, "three steps late");
        assert_eq!(verify(secret, "28708", 59), None);
    }

    #[test]
    fn base32_round_trips() {
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(from_base32("my======").unwrap(), b"f");
        assert_eq!(
            from_base32("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ").unwrap(),
            b"12345678901234567890"
        );
        assert!(from_base32("not base32!").is_none());
        assert!(otpauth_uri(b"f", "fp@example.org", "Minbar")
            .starts_with("otpauth://totp/Minbar:fp@example.org?secret=MY&issuer=Minbar"));
    }
}
