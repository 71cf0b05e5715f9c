//! How numbers are shown: the same everywhere, and the same for tests to look for.

/// 67580 → "67,580".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value for a URL's path or query (region names have spaces): every byte but letters,
/// digits and `-_.~` percent-encoded.
pub fn url_part(s: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    utf8_percent_encode(s, KEEP).to_string()
}

#[cfg(test)]
mod tests {
    use super::{thousands, url_part};

    #[test]
    fn url_parts_keep_only_the_unreserved_characters() {
        assert_eq!(url_part("North West"), "North%20West");
        assert_eq!(url_part("a b&c\n/é~-_."), "a%20b%26c%0A%2F%C3%A9~-_.");
    }

    #[test]
    fn numbers_are_grouped_in_thousands() {
        assert_eq!(thousands(378), "378");
        assert_eq!(thousands(67_580), "67,580");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(-1000), "-1,000");
        assert_eq!(thousands(0), "0");
    }
}
