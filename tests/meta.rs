//! One name for a rule everywhere: every rule in `RULES` has its module
//! (`analysis/src/rules/<rule>.rs`), its UI tests (`ui-tests/fail/<rule>.rs`
//! with a `.stderr`, `ui-tests/pass/<rule>.rs`) and its section in the rule
//! documentation (`runtime/src/rules.md`), and nothing exists for a rule that
//! is not in `RULES`.
//!
//! `runtime/src/rules.md` is generated from the rule modules' doc comments
//! and `RULES`' summaries, so the docs cannot drift: this test fails when the
//! committed file differs, and rewrites it when run with
//! `CHECKED_ASM_BLESS=1`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use checked_asm_analysis::rules::RULES;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn stems(dir: &str, extension: &str) -> BTreeSet<String> {
    std::fs::read_dir(root().join(dir))
        .unwrap()
        .filter_map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name()?.to_str()?.to_owned();
            name.strip_suffix(extension).map(str::to_owned)
        })
        .collect()
}

#[test]
fn every_rule_has_module_tests_and_docs() {
    let names: BTreeSet<String> = RULES.iter().map(|rule| rule.name.to_owned()).collect();
    let sorted: Vec<&str> = RULES.iter().map(|rule| rule.name).collect();
    let mut alphabetical = sorted.clone();
    alphabetical.sort_unstable();
    assert_eq!(sorted, alphabetical, "RULES must be in alphabetical order");

    let modules: BTreeSet<String> = stems("analysis/src/rules", ".rs")
        .into_iter()
        .filter(|stem| stem != "mod")
        .collect();
    assert_eq!(modules, names, "rule modules and RULES differ");

    let not_syntax = |stems: BTreeSet<String>| -> BTreeSet<String> {
        // `syntax_*`: the asm! grammar; `allow_*`: the allow(..) clause.
        stems
            .into_iter()
            .filter(|stem| !stem.starts_with("syntax_") && !stem.starts_with("allow_"))
            .collect()
    };
    assert_eq!(
        not_syntax(stems("ui-tests/fail", ".rs")),
        names,
        "ui-tests/fail and RULES differ"
    );
    assert_eq!(
        not_syntax(stems("ui-tests/fail", ".stderr")),
        names,
        "a fail test has no .stderr"
    );
    assert_eq!(
        not_syntax(stems("ui-tests/pass", ".rs")),
        names,
        "ui-tests/pass and RULES differ"
    );

    let docs = std::fs::read_to_string(root().join("runtime/src/rules.md")).unwrap();
    for rule in RULES {
        let row = format!("| [`{}`](#{}) | {} |", rule.name, rule.name, rule.summary);
        assert!(
            docs.contains(&row),
            "runtime/src/rules.md lacks the row {row}"
        );
    }
}

/// The doc comment (`//!` lines) of a rule module, without the markers.
fn module_doc(name: &str) -> String {
    let source =
        std::fs::read_to_string(root().join(format!("analysis/src/rules/{name}.rs"))).unwrap();
    source
        .lines()
        .take_while(|line| line.starts_with("//!"))
        .map(|line| {
            line.strip_prefix("//! ")
                .unwrap_or(line.strip_prefix("//!").unwrap_or(line))
        })
        .map(|line| {
            // Rule docs are rendered in the runtime crate: headings one level
            // down, code blocks marked as not compiled.
            if let Some(heading) = line.strip_prefix("### ") {
                format!("#### {heading}")
            } else if line == "```ignore" {
                "```rust,ignore".to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn generate() -> String {
    let mut out = String::from(
        "<!-- Generated from analysis/src/rules/*.rs by tests/meta.rs; run\n     \
         `CHECKED_ASM_BLESS=1 cargo test -p checked-asm-tests --test meta` after changing a rule. -->\n\n\
         Every rule `checked_asm!` checks. A finding names its rule (`checked_asm::<rule>`); the same\n\
         name is what `allow(<rule>, reason = \"…\")` takes, the module in `analysis/src/rules/`, and\n\
         the UI tests `ui-tests/fail/<rule>.rs` and `ui-tests/pass/<rule>.rs`, whose `.stderr` shows\n\
         each message as users see it.\n\n\
         | rule | fires when |\n|---|---|\n",
    );
    for rule in RULES {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} |\n",
            rule.name, rule.name, rule.summary
        ));
    }
    for rule in RULES {
        out.push_str(&format!(
            "\n### `{}`\n\n{}\n",
            rule.name,
            module_doc(rule.name)
        ));
    }
    out
}

#[test]
fn rule_docs_are_generated_from_the_rule_modules() {
    let path = root().join("runtime/src/rules.md");
    let expected = generate();
    if std::env::var_os("CHECKED_ASM_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "runtime/src/rules.md is out of date: run `CHECKED_ASM_BLESS=1 cargo test -p checked-asm-tests --test meta`"
    );
}
