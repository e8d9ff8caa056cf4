//! Our parser accepts every invocation in the project's own compiling
//! sources: the syntax-forms UI test, the pass-through tests and the codegen
//! crate. Each of those compiles with rustc, so each is valid syntax, and a
//! rejection here would mean a block forwarded unchecked without notice.

use std::path::Path;

use checked_asm_analysis::AsmArgs;
use checked_asm_analysis::find::invocations;

fn check_file(relative: &str, at_least: usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    let source = std::fs::read_to_string(&path).unwrap();
    let tokens: proc_macro2::TokenStream = source.parse().unwrap();
    let mut checked = 0;
    for invocation in invocations(tokens) {
        if invocation.in_macro_rules {
            continue; // a pattern of `$fragments`, not tokens
        }
        if let Err(err) = AsmArgs::parse(invocation.args.clone()) {
            panic!(
                "{relative}: rejected a valid `{}!`: {err}\n{}",
                invocation.name, invocation.args
            );
        }
        checked += 1;
    }
    assert!(
        checked >= at_least,
        "{relative}: only {checked} invocations found"
    );
}

#[test]
fn syntax_forms() {
    check_file("ui-tests/pass/syntax_forms.rs", 70);
}

#[test]
fn passthrough_blocks() {
    check_file("tests/passthrough.rs", 20);
}

#[test]
fn codegen_blocks() {
    check_file("tests/codegen/blocks.rs", 36);
}
