//! The shared corpus of real `asm!` blocks (`../shared/corpus`, next to the
//! project), for the tests that measure against it. Absent, they skip.

use std::path::Path;

/// The corpus file's JSON lines, if the corpus is there.
pub(crate) fn records() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/x86_blocks.jsonl");
    std::fs::read_to_string(path).ok()
}

/// The `text` field of a corpus record (a JSON string), unescaped.
pub(crate) fn text_field(record: &str) -> Option<String> {
    let start = record.find("\"text\": \"")? + 9;
    let mut out = String::new();
    let mut chars = record[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?).unwrap_or('?'));
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}
