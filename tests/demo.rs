//! The README's first command must show the main job on a fresh clone:
//! `examples/lies` fails to build, with one finding per lie.

use std::path::Path;
use std::process::Command;

#[test]
fn the_lies_demo_fails_with_one_finding_per_lie() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let output = Command::new(env!("CARGO"))
        .current_dir(root)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("lies"),
        )
        .args([
            "build",
            "--quiet",
            "--manifest-path",
            "examples/lies/Cargo.toml",
        ])
        .output()
        .expect("cargo runs");
    assert!(!output.status.success(), "the demo of lies compiled");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for rule in [
        "flags_modified_in_preserves_flags",
        "memory_access_in_nomem",
        "memory_effect_in_nomem",
        "side_effect_in_pure",
        "stack_use_in_nostack",
    ] {
        assert!(
            stderr.contains(&format!("`checked_asm::{rule}`")),
            "no `{rule}` finding:\n{stderr}"
        );
    }
    assert_eq!(
        stderr.matches("\nerror: `options(").count()
            + usize::from(stderr.starts_with("error: `options(")),
        5,
        "{stderr}"
    );
}
