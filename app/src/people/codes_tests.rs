//! Tests of codes.rs.

use super::*;

#[test]
fn codes_are_easy_to_read_out_and_match_however_typed() {
    let code = new_code();
    assert_eq!(code.len(), 14);
    assert!(code.chars().all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8))));
    assert_eq!(code_hash(&code), code_hash(&code.to_lowercase().replace('-', " ")));
    assert_ne!(code_hash(&code), code_hash(&new_code()));
}
