//! The one place untrusted text is made inert for a terminal. Every string
//! that comes from a file — record fields, ingredient titles, certificate
//! names, file names — passes through [`term`] in the human renderers, so
//! control characters, ANSI/OSC escape sequences, newlines and bidirectional
//! overrides are shown escaped (`\x1b`, `\n`, `\u{202e}`) and can never
//! forge a line such as a verdict, retitle the terminal, or reorder text.

use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;

/// `text` with every control, line-breaking or reordering character
/// written as an escape; unchanged (borrowed) when there is none.
pub fn term(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && needs_escape(c) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escape text for HTML element content and attribute values; control
/// characters are shown escaped, as on a terminal.
pub fn html(text: &str) -> String {
    term(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A path for a terminal: displayed (lossily for non-UTF-8 names), then
/// escaped like any other untrusted text.
pub fn path(p: &Path) -> String {
    term(&crate::sys::path_text::path_text(p)).into_owned()
}

/// C0 and C1 controls and DEL (`char::is_control`), the Unicode line and
/// paragraph separators, and the bidirectional marks, embeddings,
/// overrides and isolates that reorder what a terminal shows.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(term("Runway gen4 — été"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_cannot_reach_the_terminal() {
        let hostile = "Evil\x1b]0;x\x07\nTRUSTED\u{9b}2J\u{202e}cba";
        let shown = term(hostile);
        assert_eq!(shown, "Evil\\x1b]0;x\\x07\\nTRUSTED\\u{9b}2J\\u{202e}cba");
        assert!(!shown.chars().any(needs_escape));
    }
}
