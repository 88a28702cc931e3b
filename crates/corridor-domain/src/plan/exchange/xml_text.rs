//! Text that XML 1.0 can carry. quick-xml escapes markup (`<`, `&`, quotes) but writes other
//! characters as they are, and XML 1.0 has no way at all to write most control characters
//! (U+0000–U+001F except tab, newline and carriage return, U+FFFE, U+FFFF): a name that holds
//! one would make the whole file unreadable. They become U+FFFD, visibly, instead.

use std::borrow::Cow;

/// Whether XML 1.0 allows `c` in a document (the `Char` production).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` with every character XML 1.0 cannot hold replaced by U+FFFD.
#[must_use]
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.chars()
                .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_replacement_characters_and_the_rest_stays() {
        assert_eq!(
            xml_safe("Herat–Kandahar <&> ′″ 喀布尔"),
            "Herat–Kandahar <&> ′″ 喀布尔"
        );
        assert!(matches!(xml_safe("plain"), Cow::Borrowed(_)));
        assert_eq!(
            xml_safe("bell\u{7}tab\tnul\u{0}"),
            "bell\u{FFFD}tab\tnul\u{FFFD}"
        );
        assert_eq!(xml_safe("\u{FFFE}"), "\u{FFFD}");
    }
}
