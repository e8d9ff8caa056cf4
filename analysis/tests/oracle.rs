//! The LLVM oracle (see `oracle/assemble.rs`).

#[path = "oracle/assemble.rs"]
mod assemble;
#[path = "oracle/elf.rs"]
mod elf;

use std::path::{Path, PathBuf};

use assemble::{Assembled, assemble};

fn lines(file: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/oracle")
        .join(file);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("checked-asm-oracle-{}-{name}", std::process::id()))
}

#[test]
fn llvm_assembles_the_hand_written_lines() {
    for (file, att) in [("intel.txt", false), ("att.txt", true)] {
        let lines = lines(file);
        let results = assemble(&lines, att, &scratch(file));
        let rejected: Vec<&String> = lines
            .iter()
            .zip(&results)
            .filter(|(_, r)| **r == Assembled::Rejected)
            .map(|(l, _)| l)
            .collect();
        println!("{file}: {} lines, LLVM rejects {:?}", lines.len(), rejected);
    }
}
