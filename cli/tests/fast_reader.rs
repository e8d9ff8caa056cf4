//! The fast reader of `asm!` arguments (`parse/fast.rs`) gives exactly what
//! syn's parser gives, spans included, wherever it does not leave the input
//! to syn: on every invocation of the UI tests and the shared corpus, and
//! on hand-written edge cases. And it does take the common shapes, or the
//! speed it exists for would be lost without a failing test.
//!
//! It lives with the command because spans have lines and columns only with
//! proc-macro2's `span-locations`, which the command enables; the analysis
//! crate goes without, so that its benchmark measures what the macro pays.

use std::fmt::Write;
use std::path::Path;

use checked_asm_analysis::AsmArgs;
use checked_asm_analysis::find::invocations;
use checked_asm_analysis::parse::{OperandKind, Output, RegSpec, TemplatePiece};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

#[path = "../../analysis/tests/shared_corpus/mod.rs"]
mod shared_corpus;

fn at(span: Span) -> String {
    let (start, end) = (span.start(), span.end());
    format!(
        "{}:{}-{}:{}",
        start.line, start.column, end.line, end.column
    )
}

/// Everything a reading holds, as text.
fn describe(args: &AsmArgs) -> String {
    let mut out = String::new();
    for template in &args.templates {
        let piece = match &template.piece {
            TemplatePiece::Text(text) => format!("text {text:?}"),
            TemplatePiece::Opaque(name) => format!("opaque {name}"),
        };
        let _ = writeln!(
            out,
            "template {piece} attrs {} span {}..{} include {:?}",
            template.attrs.len(),
            at(template.span.start),
            at(template.span.end),
            template
                .include
                .as_ref()
                .map(|(path, span)| (path, at(*span))),
        );
    }
    for operand in &args.operands {
        let name = operand
            .name
            .as_ref()
            .map(|name| format!("{name}@{}", at(name.span())));
        let kind = match &operand.kind {
            OperandKind::Reg(reg) => {
                let spec = match &reg.reg {
                    RegSpec::Class(ident) => format!("class {ident}@{}", at(ident.span())),
                    RegSpec::Explicit(lit) => format!(
                        "explicit {:?} as {}@{}",
                        lit.value(),
                        lit.token(),
                        at(lit.span())
                    ),
                };
                let input = reg
                    .input
                    .as_ref()
                    .map(|expr| (expr.to_token_stream().to_string(), expr.is_underscore()));
                let output = match &reg.output {
                    None => "none".to_owned(),
                    Some(Output::Discard) => "discard".to_owned(),
                    Some(Output::SameAsInput) => "same".to_owned(),
                    Some(Output::Place(place)) => format!(
                        "place {} {}",
                        place.to_token_stream(),
                        place.is_underscore()
                    ),
                };
                format!(
                    "{:?}@{} {spec} name {:?} in {input:?} out {output}",
                    reg.direction,
                    at(reg.direction_ident.span()),
                    reg.reg_name
                )
            }
            OperandKind::Const(expr) => format!(
                "const {} lone {:?}",
                expr.to_token_stream(),
                expr.lone_token().map(|token| token.to_string())
            ),
            OperandKind::Sym(expr) => format!("sym {}", expr.to_token_stream()),
            OperandKind::Label(block) => format!("label {}", block.to_token_stream()),
        };
        let _ = writeln!(
            out,
            "operand {name:?} {kind} attrs {} span {}..{} text {}",
            operand.attrs.len(),
            at(operand.span.start),
            at(operand.span.end),
            operand.text()
        );
    }
    for group in &args.options {
        let words: Vec<String> = group
            .words
            .iter()
            .map(|word| format!("{:?}@{}", word.option, at(word.ident.span())))
            .collect();
        let _ = writeln!(
            out,
            "options {words:?} attrs {} span {}..{}",
            group.attrs.len(),
            at(group.span.start),
            at(group.span.end)
        );
    }
    let _ = writeln!(
        out,
        "clobber_abi {} allow {}",
        args.clobber_abis.len(),
        args.allows.len()
    );
    out
}

/// Compares the readers on one input; whether the fast one took it.
fn compare(args: &TokenStream, origin: &str) -> bool {
    let slow = AsmArgs::parse_with_syn(args.clone());
    let Some(fast) = AsmArgs::parse_fast(args.clone()) else {
        return false;
    };
    match slow {
        Ok(slow) => assert_eq!(
            describe(&fast),
            describe(&slow),
            "{origin}: the readers differ on `{args}`"
        ),
        Err(err) => panic!("{origin}: the fast reader took `{args}`, which syn rejects: {err}"),
    }
    true
}

/// (invocations, taken by the fast reader) in one file or text.
fn compare_all(source: &str, origin: &str) -> (usize, usize) {
    let tokens: TokenStream = source.parse().unwrap();
    let mut counts = (0, 0);
    for invocation in invocations(tokens) {
        counts.0 += 1;
        if compare(&invocation.args, origin) {
            counts.1 += 1;
        }
    }
    counts
}

#[test]
fn fast_reader_agrees_with_syn_on_ui_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui-tests");
    let mut totals = (0, 0);
    for dir in ["pass", "fail"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
            .collect();
        paths.sort();
        for path in paths {
            let source = std::fs::read_to_string(&path).unwrap();
            let (found, taken) = compare_all(&source, &path.display().to_string());
            totals.0 += found;
            totals.1 += taken;
        }
    }
    // Most UI-test blocks are plain; some are there for the forms the fast
    // reader leaves to syn (attributes, `sym`, `clobber_abi`, `allow`).
    eprintln!("ui tests: {} of {} taken", totals.1, totals.0);
    assert!(totals.0 > 200, "only {} invocations found", totals.0);
    assert!(
        totals.1 * 2 > totals.0,
        "the fast reader took only {} of {}",
        totals.1,
        totals.0
    );
}

#[test]
fn fast_reader_agrees_with_syn_on_the_corpus() {
    let Some(corpus) = shared_corpus::records() else {
        eprintln!("shared corpus not found; skipped");
        return;
    };
    let mut totals = (0, 0);
    for record in corpus.lines() {
        let Some(text) = shared_corpus::text_field(record) else {
            continue;
        };
        if text.parse::<TokenStream>().is_err() {
            continue;
        }
        let (found, taken) = compare_all(&text, "corpus");
        totals.0 += found;
        totals.1 += taken;
    }
    eprintln!("corpus: {} of {} taken", totals.1, totals.0);
    assert!(totals.0 > 1200, "only {} invocations found", totals.0);
    // Measured: 81% (the rest are mostly `macro_rules!` fragments, macro
    // templates and `label` operands).
    assert!(
        totals.1 * 4 > totals.0 * 3,
        "the fast reader took only {} of {}",
        totals.1,
        totals.0
    );
}

#[test]
fn fast_reader_agrees_with_syn_on_edge_cases() {
    // Each case is one invocation; the fast reader must take these...
    let taken = [
        r#"asm!("nop")"#,
        r#"asm!("nop",)"#,
        r#"asm!("a", "b", in(reg) x,)"#,
        r#"asm!("{}", x=in(reg)y)"#,
        r#"asm!("{x}", x = inout(reg) a => b, options())"#,
        r#"asm!("{x}", x = inout(reg) a => _, options(nomem, nostack,))"#,
        r#"asm!("{}", inlateout(reg) f(a, b), lateout("eax") _)"#,
        r#"asm!("{}", in(reg) -1i32, out("ecx") *p, const 4 * N)"#,
        r#"asm!("{}", const -1, in(xmm_reg) [1, 2][i])"#,
        r#"asm!("{}", in(reg) if c { 1 } else { 2 })"#,
        r#"asm!("{}", r#in = in(reg) x, type = const 1)"#,
        r#"asm!("x", options(pure, nomem, bogus))"#,
        r#"asm!("x", in(reg) a == b)"#,
        r#"asm!("x", in(reg) (a) (b))"#,
        r##"asm!(r"raw", r#"{x}"#, x = in(reg) x)"##,
        r#"asm!("esc\n", "\t{0}")"#,
        r#"asm!("x"suffix)"#,
        r#"asm!("x", in("e\x61x") x, in(r"ebx") y, in("ecx"s) z)"#,
        r#"asm!("x", sym foo, f = sym crate::m::f)"#,
    ];
    // ...and leave these to syn, each for its own reason.
    let left = [
        r#"asm!()"#,
        r#"asm!(, "nop")"#,
        r#"asm!("nop",, in(reg) x)"#,
        r#"asm!(concat!("a", "b"))"#,
        r#"asm!("x", in(reg) _)"#,
        r#"asm!("x", in(reg) a => b)"#,
        r#"asm!("x", inout(reg) a => b => c)"#,
        r#"asm!("x", inout(reg) a =>)"#,
        r#"asm!("x", out(reg))"#,
        r#"asm!("x", in(reg, reg) x)"#,
        r#"asm!("x", in() x)"#,
        r#"asm!("x", label { return; })"#,
        r#"asm!("x", clobber_abi("C"))"#,
        r#"asm!("x", allow(flags))"#,
        r#"asm!("x", #[cfg(x)] in(reg) x)"#,
        r#"asm!("x", in(reg) f::<A, B>(x))"#,
        r#"asm!("x", in(reg) |a, b| a)"#,
        r#"asm!("x", options(nomem) x)"#,
        r#"asm!("x", options(,))"#,
        r#"asm!("x", options(nomem nostack))"#,
        r#"asm!("x", in(reg) x, "late template")"#,
        r#"asm!(options(nomem), "x")"#,
        r#"asm!("x", x == in(reg) y)"#,
        r#"asm!("x", foo(reg) x)"#,
        r#"asm!("x", r#in(reg) x)"#,
        r#"asm!("x", const)"#,
        r#"asm!("x", sym)"#,
        r#"asm!("x", sym foo bar)"#,
        r#"asm!("x", sym <T as X>::f)"#,
        r#"asm!("x", sym!(foo))"#,
        r#"asm!("x", sym ::m!())"#,
        r#"asm!(b"bytes")"#,
        r#"asm!("x", in(b"rax") x)"#,
    ];
    for (cases, expected) in [(&taken[..], 1), (&left[..], 0)] {
        for case in cases {
            assert_eq!(compare_all(case, case), (1, expected), "{case}");
        }
    }
}
