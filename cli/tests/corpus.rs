//! The corpus triage: `checked-asm corpus` over the shared corpus of real
//! blocks (`../shared/corpus/x86_blocks.jsonl`) must report exactly the
//! findings recorded in `tests/corpus/*.jsonl`, each looked at and judged,
//! with its reason: `options.jsonl` and `operands.jsonl` hold the true lies
//! of the option and operand rules; `false_alarms_not_fixed.jsonl` lists,
//! in the open, the false alarms the analysis cannot avoid yet (16-bit boot
//! code, callees and system calls that never return, conventions a
//! template cannot show), each with why it is wrong. A new finding fails the test
//! (a false alarm to fix, or a lie to record), and so does a recorded one
//! that disappeared.
//!
//! `CHECKED_ASM_BLESS=1` drops recorded findings that disappeared and writes
//! new ones to `tests/corpus/new.jsonl` with `"reason": "TODO"`, to be judged
//! and moved to their group's file; a `TODO` fails the test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The string value of `"key": "…"` in one JSON line (enough for the
/// corpus's and our own flat records).
fn field(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("\"{key}\": "))? + key.len() + 4;
    let rest = &line[start..];
    if let Some(body) = rest.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'u' => {
                        let hex: String = chars.by_ref().take(4).collect();
                        out.push(
                            char::from_u32(u32::from_str_radix(&hex, 16).ok()?).unwrap_or('?'),
                        );
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        None
    } else {
        let end = rest.find([',', '}']).unwrap_or(rest.len());
        Some(rest[..end].trim().to_owned())
    }
}

fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// (source, path, line, rule, message) → reason
type Expected = BTreeMap<(String, String, String, String, String), String>;

fn read_expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let get = |key: &str| field(line, key).unwrap_or_default();
            (
                (
                    get("source"),
                    get("path"),
                    get("line"),
                    get("rule"),
                    get("message"),
                ),
                get("reason"),
            )
        })
        .collect()
}

#[test]
fn corpus_findings_are_the_recorded_lies() {
    let corpus = root().join("../shared/corpus/x86_blocks.jsonl");
    let Ok(records) = std::fs::read_to_string(&corpus) else {
        println!("no shared corpus beside the repository: skipped");
        return;
    };
    let output = Command::new(env!("CARGO_BIN_EXE_checked-asm"))
        .args(["corpus", "--json"])
        .arg(&corpus)
        .output()
        .expect("checked-asm runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut found = Expected::new();
    for (record, result) in records.lines().zip(stdout.lines()) {
        let get = |key: &str| field(record, key).unwrap_or_default();
        // One finding object per `{"rule": …}` in the block's list.
        for finding in result.split("{\"rule\": ").skip(1) {
            let finding = format!("{{\"rule\": {finding}");
            let rule = field(&finding, "rule").unwrap_or_default();
            if matches!(
                rule.as_str(),
                "opaque_template" | "not_analysable" | "unsupported_instruction"
            ) {
                continue; // not lies: blocks we could not read (see the summary)
            }
            let message = field(&finding, "message").unwrap_or_default();
            found.insert(
                (get("source"), get("path"), get("line"), rule, message),
                String::new(),
            );
        }
    }
    let dir = root().join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut expected = Expected::new();
    for file in &files {
        expected.extend(read_expected(file));
    }
    if std::env::var_os("CHECKED_ASM_BLESS").is_some() {
        let line_of = |key: &(String, String, String, String, String), reason: &str| {
            let (source, file, line, rule, message) = key;
            format!(
                "{{\"source\": {}, \"path\": {}, \"line\": {line}, \"rule\": {}, \"message\": {}, \"reason\": {}}}\n",
                quote(source),
                quote(file),
                quote(rule),
                quote(message),
                quote(reason)
            )
        };
        for file in &files {
            let kept: String = read_expected(file)
                .iter()
                .filter(|(key, _)| found.contains_key(*key))
                .map(|(key, reason)| line_of(key, reason))
                .collect();
            std::fs::write(file, kept).unwrap();
        }
        let fresh: String = found
            .keys()
            .filter(|key| !expected.contains_key(*key))
            .map(|key| line_of(key, "TODO"))
            .collect();
        if !fresh.is_empty() {
            let new_file = dir.join("new.jsonl");
            let mut text = std::fs::read_to_string(&new_file).unwrap_or_default();
            text.push_str(&fresh);
            std::fs::write(new_file, text).unwrap();
        }
        return;
    }
    let new: Vec<_> = found
        .keys()
        .filter(|key| !expected.contains_key(*key))
        .collect();
    let gone: Vec<_> = expected
        .keys()
        .filter(|key| !found.contains_key(*key))
        .collect();
    let todo: Vec<_> = expected
        .iter()
        .filter(|(_, reason)| reason.as_str() == "TODO")
        .map(|(key, _)| key)
        .collect();
    assert!(
        new.is_empty() && gone.is_empty() && todo.is_empty(),
        "corpus findings differ from tests/corpus/*.jsonl\nnew (fix the false alarm or record the lie): {new:#?}\n\
         gone: {gone:#?}\nnot yet judged: {}",
        todo.len()
    );
}
