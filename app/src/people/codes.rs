//! The one-time codes of invitations and password resets: easy to read out, and kept
//! only as a hash.

use rand::Rng;
use sha2::{Digest, Sha256};

/// Letters and digits that cannot be misread for one another when a code is printed
/// or read out (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

pub(super) fn new_code() -> String {
    let mut rng = rand::rng();
    let chars: Vec<char> =
        (0..12).map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Codes are compared without case, spaces or dashes, however they were typed.
pub(super) fn code_hash(code: &str) -> String {
    let plain: String =
        code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    hex::encode(Sha256::digest(plain.as_bytes()))
}

#[cfg(test)]
#[path = "codes_tests.rs"]
mod tests;
