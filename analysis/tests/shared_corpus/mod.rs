//! The shared corpus of real `asm!` blocks (`../shared/corpus`, next to the
//! project), for the tests that measure against it. Absent, they skip.

use std::path::Path;

/// The corpus file's JSON lines, if the corpus is there.
pub(crate) fn records() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/x86_blocks.jsonl");
    std::fs::read_to_string(path).ok()
}

/// The `text` field of a corpus record (a JSON string), unescaped.
#[allow(dead_code)] // (not every test that includes this module reads it)
pub(crate) fn text_field(record: &str) -> Option<String> {
    string_field(record, "text")
}

/// The value of string field `field` in one JSON line, unescaped (a
/// minimal scanner: the analysis crate has no JSON dependency).
pub(crate) fn string_field(record: &str, field: &str) -> Option<String> {
    let key = format!("\"{field}\": \"");
    let start = record.find(&key)? + key.len();
    let mut out = String::new();
    let mut chars = record[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let code = u32::from_str_radix(&hex, 16).ok()?;
                    out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                }
                other => out.push(other),
            },
            other => out.push(other),
        }
    }
    None
}
