//! LLVM as the oracle: assemble many one-instruction lines with the real
//! rustc in one go and hand back the bytes LLVM chose for each.
//!
//! Every line gets its own 16-byte slot in a section of its own: `int3`, the
//! line, then `int3` padding up to the next 16-byte boundary (x86
//! instructions are at most 15 bytes). Numeric labels `2:` and `3:` stand
//! before the line and `2:` … `5:` after it, and the named label `foo` ends
//! the section, so that `2f`, `3b` or `foo` resolve even in a batch of one. A
//! batch that does not assemble is split in halves until the lines LLVM
//! rejects are alone.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::elf;

const SLOT: usize = 16;
const SECTION: &str = ".text.checked_asm_oracle";

/// What LLVM made of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Assembled {
    /// The 15 bytes of the line's slot after the leading `int3`: the line's
    /// instruction starts at the first byte (decode one instruction; the
    /// rest is padding).
    Bytes(Vec<u8>),
    /// LLVM rejected the line.
    Rejected,
}

/// Assembles `lines` (each one statement, Intel or AT&T) for x86-64.
pub(crate) fn assemble(lines: &[String], att: bool, scratch: &Path) -> Vec<Assembled> {
    std::fs::create_dir_all(scratch).unwrap();
    let mut results = vec![Assembled::Rejected; lines.len()];
    let indices: Vec<usize> = (0..lines.len()).collect();
    let mut counter = 0;
    assemble_part(lines, &indices, att, scratch, &mut counter, &mut results);
    results
}

fn assemble_part(
    lines: &[String],
    part: &[usize],
    att: bool,
    scratch: &Path,
    counter: &mut usize,
    results: &mut [Assembled],
) {
    if part.is_empty() {
        return;
    }
    *counter += 1;
    match try_batch(lines, part, att, scratch, *counter) {
        Some(bytes) => {
            for (slot, &index) in part.iter().enumerate() {
                let slot_bytes = &bytes[slot * SLOT..(slot + 1) * SLOT];
                results[index] = Assembled::Bytes(slot_bytes[1..].to_vec());
            }
        }
        None if part.len() == 1 => results[part[0]] = Assembled::Rejected,
        None => {
            let (left, right) = part.split_at(part.len() / 2);
            assemble_part(lines, left, att, scratch, counter, results);
            assemble_part(lines, right, att, scratch, counter, results);
        }
    }
}

/// Numeric local labels the line refers to (`2f`, `10b`), to be defined in
/// its slot before and after it. In Intel syntax `1b` and `10b` are binary
/// numbers to LLVM, so those backward references are left alone.
fn numeric_labels(line: &str, att: bool) -> Vec<String> {
    let mut labels = vec!["2".to_owned(), "3".to_owned()];
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b'.');
        if starts_word && bytes[i].is_ascii_digit() {
            let end = (i..bytes.len())
                .find(|&j| !bytes[j].is_ascii_digit())
                .unwrap_or(bytes.len());
            let suffix_ok = end < bytes.len()
                && (bytes[end] == b'f' || bytes[end] == b'b')
                && bytes
                    .get(end + 1)
                    .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
            let digits = &line[i..end];
            let binary_looking = digits.bytes().all(|b| b == b'0' || b == b'1');
            let forward = suffix_ok && bytes[end] == b'f';
            if suffix_ok
                && (att || forward || !binary_looking)
                && !labels.iter().any(|l| l == digits)
            {
                labels.push(digits.to_owned());
            }
            i = end;
        } else {
            i += 1;
        }
    }
    labels
}

/// `.L…` symbols the line refers to: ELF requires them to be defined in the
/// same object, so the batch defines each once at its end.
fn local_symbol_references(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find(".L") {
        let tail = &rest[at..];
        let end = tail[2..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$'))
            .map_or(tail.len(), |e| e + 2);
        let before_ok = at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric();
        if before_ok && end > 2 {
            found.push(tail[..end].to_owned());
        }
        rest = &tail[end.max(2)..];
    }
    found
}

fn escape(line: &str) -> String {
    line.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('{', "{{")
        .replace('}', "}}")
}

fn try_batch(
    lines: &[String],
    part: &[usize],
    att: bool,
    scratch: &Path,
    counter: usize,
) -> Option<Vec<u8>> {
    let mut source = String::from("core::arch::global_asm!(\n");
    source.push_str(&format!(
        "    \".pushsection {SECTION},\\\"ax\\\",@progbits\",\n"
    ));
    let mut local_symbols = std::collections::BTreeSet::new();
    for &index in part {
        let line = &lines[index];
        let labels: String = numeric_labels(line, att)
            .iter()
            .map(|label| format!("\"{label}:\", "))
            .collect();
        local_symbols.extend(local_symbol_references(line));
        source.push_str(&format!(
            "    {labels}\"int3\", \"{}\", {labels}\".balign 16, 0xcc\",\n",
            escape(line)
        ));
    }
    for symbol in &local_symbols {
        source.push_str(&format!("    \"{symbol}:\",\n"));
    }
    source.push_str("    \"foo:\", \".popsection\",");
    if att {
        source.push_str(" options(att_syntax),");
    }
    source.push_str("\n);\n");
    let src: PathBuf = scratch.join(format!("batch{counter}.rs"));
    let obj: PathBuf = scratch.join(format!("batch{counter}.o"));
    std::fs::write(&src, source).unwrap();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = Command::new(rustc)
        .args([
            "--edition",
            "2021",
            "--crate-type=lib",
            "--emit=obj",
            "-C",
            "panic=abort",
        ])
        .args(["--target", "x86_64-unknown-linux-gnu", "-o"])
        .arg(&obj)
        .arg(&src)
        .output()
        .expect("rustc runs");
    if !output.status.success() {
        return None;
    }
    let object = std::fs::read(&obj).unwrap();
    let bytes = elf::section(&object, SECTION)?.to_vec();
    (bytes.len() == part.len() * SLOT).then_some(bytes)
}
