//! Identical codegen: `codegen/blocks.rs` (36 varied blocks) is built twice
//! in release mode with `--emit=asm`, once as written (`core::arch`) and once
//! with only its `use` line switched to `checked_asm`. The two assembly
//! listings must be byte-identical once crate hashes are normalised.
//!
//! Both copies are packages named `blocks` in throwaway workspaces under
//! cargo's per-test temporary directory, so symbol names agree; the only
//! difference cargo may introduce is the crate's metadata hash in mangled
//! names, which is normalised away.

#![cfg(target_arch = "x86_64")]

use std::path::{Path, PathBuf};
use std::process::Command;

const PLAIN_USE: &str = "use core::arch::{asm, global_asm, naked_asm};";
const CHECKED_USE: &str = "use checked_asm::{asm, global_asm, naked_asm};";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Writes a one-package workspace and returns the path of its `--emit=asm` output.
fn build(dir: &Path, lib: &str, dependency: Option<&str>) -> String {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let deps = dependency.unwrap_or("");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"blocks\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n{deps}\n\n[workspace]\n\n\
             [profile.release]\ncodegen-units = 1\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
    // Pin the same dependency versions as the main workspace.
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = dir.join("target");
    let status = Command::new(env!("CARGO"))
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .args(["rustc", "--release", "--lib", "--quiet", "--", "--emit=asm"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building {} failed", dir.display());
    let deps_dir = target.join("release/deps");
    let listing = std::fs::read_dir(&deps_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with("blocks-") && name.ends_with(".s")
        })
        .expect("an assembly listing");
    std::fs::read_to_string(listing).unwrap()
}

/// Replaces the crate's metadata hash wherever it shows (`.file
/// "blocks.2372d35de50b6f68-cgu.0"`) and legacy-mangling hashes
/// (`17h0123456789abcdefE`): the only places where the two builds may differ
/// by name. Everything else must be the same byte for byte.
fn normalise(listing: &str) -> String {
    let mut out = String::with_capacity(listing.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let is_hex16 = |s: &str| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if is_hex16(word) {
            out.push_str("HASH");
        } else if let Some(prefix) = word
            .len()
            .checked_sub(20)
            .filter(|&at| word.is_char_boundary(at))
            .map(|at| &word[..at])
            .filter(|prefix| {
                let tail = &word[prefix.len()..];
                tail.starts_with("17h") && tail.ends_with('E') && is_hex16(&tail[3..19])
            })
        {
            out.push_str(prefix);
            out.push_str("17hHASHE");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for ch in listing.chars() {
        if ch.is_ascii_alphanumeric() {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[test]
fn checked_asm_generates_identical_assembly() {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen/blocks.rs"))
            .unwrap();
    assert!(source.contains(PLAIN_USE));
    let blocks = source.matches("asm!(").count();
    assert!(blocks >= 30, "only {blocks} blocks");
    let checked_source = source.replacen(PLAIN_USE, CHECKED_USE, 1);

    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("codegen");
    let runtime = workspace_root().join("runtime");
    let plain = build(&root.join("plain"), &source, None);
    let checked = build(
        &root.join("checked"),
        &checked_source,
        Some(&format!("checked-asm = {{ path = {:?} }}", runtime)),
    );

    // Every block made it into the listing.
    for n in 1..=36 {
        let symbol = format!("b{n:02}_");
        assert!(
            plain.contains(&symbol),
            "block {symbol} missing from the listing"
        );
    }
    let (plain, checked) = (normalise(&plain), normalise(&checked));
    if plain != checked {
        let first_difference = plain
            .lines()
            .zip(checked.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b);
        panic!("assembly differs; first difference (line, plain, checked): {first_difference:?}");
    }
}

#[test]
fn normalise_replaces_only_hashes() {
    assert_eq!(
        normalise("call _ZN6blocks6callee17h0123456789abcdefE@PLT"),
        "call _ZN6blocks6callee17hHASHE@PLT"
    );
    assert_eq!(
        normalise(".file\t\"blocks.2372d35de50b6f68-cgu.0\""),
        ".file\t\"blocks.HASH-cgu.0\""
    );
    assert_eq!(normalise("mov eax, 17"), "mov eax, 17");
}
