//! The UI suite: `fail/*.rs` must fail to compile with exactly the errors
//! in their `.stderr` files, `pass/*.rs` must compile and run.
//!
//! Syntax files (`*/syntax_*.rs`) are also built a second time with their
//! `use checked_asm::…` line switched to `core::arch::…`, expecting the very
//! same outcome and, for failures, the very same diagnostics: that is how we
//! know checked_asm accepts exactly what `asm!` accepts.

use std::path::{Path, PathBuf};

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("fail/*.rs");
    cases.pass("pass/*.rs");
    for twin in twins("fail") {
        cases.compile_fail(twin);
    }
    for twin in twins("pass") {
        cases.pass(twin);
    }
}

/// On input rustc rejects anyway, our own findings may come on top of
/// rustc's errors; the twin expects rustc's errors alone, unchanged.
fn without_checked_asm_findings(stderr: &str) -> String {
    let mut out = String::new();
    for error in stderr.split_inclusive("\n\n") {
        if !error.contains("`checked_asm::") {
            out.push_str(error);
        }
    }
    out
}

/// `core::arch` does not know checked_asm's `allow(..)`: drop each
/// `, allow(…)` (with its balanced parentheses) from the twin.
fn without_allow_clauses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(", allow(") {
        out.push_str(&rest[..at]);
        let mut depth = 0usize;
        let mut end = rest.len();
        for (offset, c) in rest[at + 2..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + 2 + offset + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// An error rustc raises on the macro call itself (`asm!()` with no
/// template) points at the same place through both macros, but only through
/// ours does rustc add that it "originates in the macro": the one difference
/// we accept, and remove from the twin's expectations.
fn without_macro_origin_notes(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let is_note = line.contains("= note: this error originates in the macro");
        let precedes_note = line.trim() == "|"
            && lines
                .get(i + 1)
                .is_some_and(|next| next.contains("= note: this error originates in the macro"));
        if !is_note && !precedes_note {
            kept.push(line);
        }
    }
    let mut out = kept.join("\n");
    out.push('\n');
    out
}

/// Writes `twins/<kind>/syntax_*.rs`: copies whose first `use` line imports
/// from `core::arch` instead of `checked_asm`, with expected output adjusted
/// only in the file paths it names.
fn twins(kind: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = root.join("twins").join(kind);
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut made = Vec::new();
    for entry in std::fs::read_dir(root.join(kind)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("syntax_") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if name.ends_with(".rs") {
            let line = text
                .lines()
                .find(|line| line.starts_with("use checked_asm::"))
                .unwrap_or_else(|| panic!("{name} has no `use checked_asm::` line"));
            let plain = line.replacen("checked_asm::", "core::arch::", 1);
            let text = without_allow_clauses(&text.replacen(line, &plain, 1));
            std::fs::write(out_dir.join(&name), text).unwrap();
            // Relative, like the globs above, so that trybuild normalises
            // the paths in diagnostics the same way.
            made.push(Path::new("twins").join(kind).join(&name));
        } else if name.ends_with(".stderr") {
            let from = format!("--> {kind}/");
            let to = format!("--> twins/{kind}/");
            let text = without_checked_asm_findings(&without_macro_origin_notes(
                &text.replace(&from, &to),
            ));
            std::fs::write(out_dir.join(&name), text).unwrap();
        } else {
            std::fs::copy(&path, out_dir.join(&name)).unwrap();
        }
    }
    made.sort();
    made
}
