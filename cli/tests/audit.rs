//! `checked-asm audit` on a small crate written for the purpose: two lies
//! under different paths, one allowed in place, a block built from
//! `macro_rules!` fragments, a file that does not lex, and lies in places an
//! audit must not read (`target/`, hidden directories).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const LIB: &str = r#"use core::arch::asm;

pub fn lies() {
    unsafe { asm!("cli", options(nomem, nostack)) };
    unsafe { core::arch::asm!("add {x}, 1", x = inout(reg) 1u64 => _, options(nomem, nostack, preserves_flags)) };
}

pub fn allowed() {
    unsafe {
        checked_asm::checked_asm!("pushfq", "pop {f}", f = out(reg) _, options(nomem, nostack),
            allow(stack_use_in_nostack, reason = "no red zone on this kernel stack"))
    };
}

macro_rules! read_segment {
    ($name:literal) => {
        unsafe { std::arch::asm!(concat!("mov {0:x}, ", $name), out(reg) _, options(nomem, nostack, preserves_flags)) }
    };
}
"#;

const CLEAN: &str = r#"pub fn clean(x: u64) -> u64 {
    let y: u64;
    unsafe { core::arch::asm!("lea {y}, [{x} + 1]", x = in(reg) x, y = lateout(reg) y, options(pure, nomem, nostack, preserves_flags)) };
    y
}
"#;

const LIE: &str = "fn f() { unsafe { asm!(\"cli\", options(nomem)) } }\n";

/// A fresh copy of the crate under cargo's per-test temporary directory.
fn fixture(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in [
        ("src/lib.rs", LIB),
        ("src/clean.rs", CLEAN),
        ("src/broken.rs", "fn f() { \"unterminated }\n"),
        ("target/debug/build/out.rs", LIE),
        (".hidden/lie.rs", LIE),
        ("notes.txt", LIE),
    ] {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

fn audit(dir: &Path, args: &[&str]) -> (Output, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_checked-asm"))
        .current_dir(dir)
        .arg("audit")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    (output, stdout, stderr)
}

#[test]
fn reports_lies_like_rustc_and_fails() {
    let root = fixture("audit_text");
    let (output, stdout, stderr) = audit(&root, &[]);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    let expected_cli = "\
error: `options(nomem)` promises no memory effects, but `cli` (line 1) changes the interrupt flag
       help: remove `nomem`: the compiler may move memory accesses across this instruction
       note: `checked_asm::memory_effect_in_nomem`
 --> src/lib.rs:4:34
  |
4 |     unsafe { asm!(\"cli\", options(nomem, nostack)) };
  |                                  ^^^^^
";
    assert!(stdout.contains(expected_cli), "{stdout}");
    assert!(
        stdout.contains(" --> src/lib.rs:5:")
            && stdout.contains("`checked_asm::flags_modified_in_preserves_flags`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("note: this `asm!` is not analysable: its arguments are built from `macro_rules!` fragments")
            && stdout.contains(" --> src/lib.rs:17:29"),
        "{stdout}"
    );
    // The allowed lie, the clean block and the places not to read.
    assert!(!stdout.contains("stack_use_in_nostack"), "{stdout}");
    assert!(!stdout.contains("src/clean.rs"), "{stdout}");
    assert!(
        !stdout.contains("target/") && !stdout.contains(".hidden"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("\nerror: ").count() + 1, 2, "{stdout}");
    assert!(
        stderr.contains("warning: cannot read `src/broken.rs` as Rust tokens"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "audit: 3 files scanned (1 not readable as Rust tokens), 5 invocations: 4 analysed, 1 not analysable; 2 errors, 0 warnings (flags_modified_in_preserves_flags: 1, memory_effect_in_nomem: 1)"
        ),
        "{stderr}"
    );
}

#[test]
fn prints_one_json_object_per_finding() {
    let root = fixture("audit_json");
    let (output, stdout, _) = audit(&root, &["--format", "json", "src/lib.rs"]);
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(
        lines[0],
        "{\"file\": \"src/lib.rs\", \"line\": 4, \"column\": 34, \"rule\": \"memory_effect_in_nomem\", \"severity\": \"error\", \"message\": \"`options(nomem)` promises no memory effects, but `cli` (line 1) changes the interrupt flag\", \"notes\": [], \"help\": \"remove `nomem`: the compiler may move memory accesses across this instruction\", \"statement\": \"cli\"}"
    );
    assert!(lines[1].contains("\"rule\": \"flags_modified_in_preserves_flags\""));
    assert!(lines[2].contains("\"rule\": \"not_analysable\", \"severity\": \"note\""));
}

#[test]
fn a_clean_crate_passes_and_bad_usage_is_reported() {
    let root = fixture("audit_clean");
    let (output, stdout, stderr) = audit(&root, &["src/clean.rs"]);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("1 invocation: 1 analysed"), "{stderr}");

    let (output, _, stderr) = audit(&root, &["--format", "yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: unknown format `yaml`"),
        "{stderr}"
    );
    let (output, _, stderr) = audit(&root, &["missing"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: cannot read `missing`"),
        "{stderr}"
    );
}
