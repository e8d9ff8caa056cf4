//! LLVM as the oracle: assemble many one-instruction lines with the real
//! rustc in one go and hand back the bytes LLVM chose for each.
//!
//! Every line gets its own 16-byte slot in a section of its own: `int3`, the
//! line, then `int3` padding up to the next 16-byte boundary (x86
//! instructions are at most 15 bytes). Numeric labels `2:` … `9:` and the
//! named label `foo` follow the line so that `2f`, `3b` or `foo` resolve. A
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
    let (int3, align) = ("int3", ".balign 16, 0xcc");
    let mut source = String::from("core::arch::global_asm!(\n");
    source.push_str(&format!(
        "    \".pushsection {SECTION},\\\"ax\\\",@progbits\",\n"
    ));
    for &index in part {
        source.push_str(&format!(
            "    \"{int3}\", \"{}\", \"2:\", \"3:\", \"4:\", \"5:\", \"{align}\",\n",
            escape(&lines[index])
        ));
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
