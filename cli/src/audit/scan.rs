//! One source file through the analysis: every invocation found, checked as
//! the macro would check it, with positions resolved to lines and columns.

use std::path::Path;

use checked_asm_analysis::find::{Invocation, invocations};
use checked_asm_analysis::includes::ReadInclude;
use checked_asm_analysis::{Finding, TargetArch, check_block_where_it_builds};
use proc_macro2::{Span, TokenStream, TokenTree};

/// A position range in a file: 1-based lines, 0-based character columns
/// (what `proc_macro2` gives; rustc prints columns 1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) end_line: usize,
    pub(crate) end_column: usize,
}

impl Place {
    fn between(start: Span, end: Span) -> Place {
        let (start, end) = (start.start(), end.end());
        Place {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    /// Tokens made up by the analysis rather than read from the file have
    /// no line (0); they are reported at the invocation instead.
    fn is_known(self) -> bool {
        self.line > 0
    }
}

/// Something the audit reports.
pub(crate) enum Item {
    /// A finding of the analysis, as the macro would report it.
    Finding { finding: Finding, place: Place },
    /// An invocation the analysis cannot read, and why.
    NotAnalysable {
        macro_name: String,
        why: &'static str,
        place: Place,
    },
}

/// What one file held.
#[derive(Default)]
pub(crate) struct Scan {
    /// Every invocation found.
    pub(crate) invocations: usize,
    /// Those the analysis read.
    pub(crate) analysed: usize,
    /// What to report, in source order.
    pub(crate) items: Vec<Item>,
}

/// Why a block in a `macro_rules!` body is not read: its tokens are a
/// pattern, and the text only exists once the macro is used.
const FRAGMENTS: &str = "its arguments are built from `macro_rules!` fragments, which only have a value where the macro is used";

/// Why a block outside a macro body is not read: our parser rejected it,
/// and rustc will say why when it compiles the file.
const NOT_ASM_SYNTAX: &str = "its arguments are not valid `asm!` syntax";

/// Lexes `text` and checks every invocation in it for `arch`; `Err` holds
/// the lexer's complaint when the file is not Rust tokens. `include_str!`
/// templates are read relative to `dir`, the directory of the file (as
/// rustc reads them), when it is given.
pub(crate) fn scan(text: &str, arch: TargetArch, dir: Option<&Path>) -> Result<Scan, String> {
    let tokens: TokenStream = lexable(text).parse().map_err(|err| format!("{err}"))?;
    let read = |_: Span, path: &str| std::fs::read_to_string(dir?.join(path)).ok();
    let mut scan = Scan::default();
    for invocation in invocations(tokens) {
        scan.invocations += 1;
        check(invocation, arch, &read, &mut scan);
    }
    Ok(scan)
}

fn check(invocation: Invocation, arch: TargetArch, read: ReadInclude<'_>, scan: &mut Scan) {
    let here = Place::between(invocation.span, invocation.span);
    let not_analysable = |why| Item::NotAnalysable {
        macro_name: invocation.name.clone(),
        why,
        place: here,
    };
    let has_fragments = invocation.in_macro_rules && has_fragment(&invocation.args);
    let Some(report) =
        check_block_where_it_builds(invocation.kind, invocation.args.clone(), arch, read)
    else {
        scan.items.push(not_analysable(if has_fragments {
            FRAGMENTS
        } else {
            NOT_ASM_SYNTAX
        }));
        return;
    };
    // A template made of fragments is opaque here but may be plain text
    // wherever the macro is used, where the macro itself checks it: it is
    // not analysable, not a lie.
    if has_fragments
        && report
            .findings
            .iter()
            .any(|finding| finding.rule == "opaque_template")
    {
        scan.items.push(not_analysable(FRAGMENTS));
        return;
    }
    scan.analysed += 1;
    for finding in report.findings {
        let place = Place::between(finding.span.start, finding.span.end);
        let place = if place.is_known() { place } else { here };
        scan.items.push(Item::Finding { finding, place });
    }
}

/// Whether `tokens` hold a `$name` (or `$(..)`) of a `macro_rules!` pattern.
fn has_fragment(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Punct(punct) => punct.as_char() == '$',
        TokenTree::Group(group) => has_fragment(&group.stream()),
        _ => false,
    })
}

/// `text` without what rustc strips before lexing: a byte-order mark and a
/// shebang line (`#!` not followed by `[`). The shebang line is blanked
/// rather than removed, so that line numbers stay right.
fn lexable(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_shebang = text
        .strip_prefix("#!")
        .is_some_and(|rest| !rest.trim_start().starts_with('['));
    if is_shebang {
        let end = text.find('\n').unwrap_or(text.len());
        format!("{}{}", " ".repeat(end), &text[end..])
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Vec<String> {
        scan(text, TargetArch::X86_64, None)
            .unwrap()
            .items
            .iter()
            .map(|item| match item {
                Item::Finding { finding, place } => format!("{}@{}", finding.rule, place.line),
                Item::NotAnalysable { place, .. } => format!("not_analysable@{}", place.line),
            })
            .collect()
    }

    #[test]
    fn finds_blocks_under_any_path() {
        let text = "fn f() {\n    unsafe { core::arch::asm!(\"cli\", options(nomem)) };\n    unsafe { std::arch::asm!(\"nop\", options(nomem)) };\n}\n";
        assert_eq!(rules(text), ["memory_effect_in_nomem@2"]);
        assert_eq!(scan(text, TargetArch::X86_64, None).unwrap().analysed, 2);
    }

    #[test]
    fn fragments_are_not_analysable_but_plain_macro_bodies_are_checked() {
        let text = "macro_rules! m {\n    ($r:literal) => { asm!(concat!(\"mov {}, \", $r), out(reg) _) };\n    () => { asm!(\"cli\", options(nomem)) };\n    ($x:expr) => { asm!(\"nop\", in(reg) $x) };\n}\n";
        assert_eq!(
            rules(text),
            [
                "not_analysable@2",
                "memory_effect_in_nomem@3",
                "not_analysable@4"
            ]
        );
    }

    #[test]
    fn a_shebang_keeps_line_numbers() {
        let text = "#!/usr/bin/env run-cargo-script\nfn f() { unsafe { asm!(\"cli\", options(nomem)) } }\n";
        assert_eq!(rules(text), ["memory_effect_in_nomem@2"]);
        assert!(scan("fn f() { \"unterminated }", TargetArch::X86_64, None).is_err());
    }

    #[test]
    fn real_mode_blocks_are_read_for_the_target_that_builds_them() {
        // A BIOS call is real-mode code, which only an x86 (16-bit) target
        // builds: its two-byte push and pop balance there. Without the BIOS
        // call the block is read for x86-64, where the push moves 8 bytes.
        let bios = "fn f() { unsafe { asm!(\"push 0x7a\", \"int 0x13\", \"pop cx\", in(\"ax\") 0x4200u16, out(\"cx\") _) } }\n";
        assert_eq!(rules(bios), Vec::<String>::new());
        let other = bios.replace("int 0x13", "nop");
        assert_eq!(rules(&other), ["reserved_register_modified@1"]);
        // A `.code16` trampoline inside x86-64 code stays x86-64 code.
        let trampoline =
            "fn f() { unsafe { asm!(\".code16\", \"nop\", \".code64\", \"mov rbx, 5\") } }\n";
        assert_eq!(rules(trampoline), ["reserved_register_modified@1"]);
    }

    #[test]
    fn included_templates_are_read_next_to_the_file() {
        let dir = std::env::temp_dir().join(format!("checked-asm-audit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("lie.s"), "cli\n").unwrap();
        let text = "fn f() { unsafe { asm!(include_str!(\"lie.s\"), options(nomem)) } }\n";
        let found = |dir: Option<&Path>| -> Vec<String> {
            scan(text, TargetArch::X86_64, dir)
                .unwrap()
                .items
                .iter()
                .map(|item| match item {
                    Item::Finding { finding, .. } => finding.rule.to_owned(),
                    Item::NotAnalysable { .. } => "not_analysable".to_owned(),
                })
                .collect()
        };
        assert_eq!(found(Some(&dir)), ["memory_effect_in_nomem"]);
        // Without the directory the file cannot be found: the block is opaque.
        assert_eq!(found(None), ["opaque_template"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
