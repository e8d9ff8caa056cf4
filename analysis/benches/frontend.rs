//! How much the front-end costs inside rustc. Proc macros are built at
//! opt-level 0, so the figure that matters is the unoptimised one:
//!
//! ```text
//! cargo bench -p checked-asm-analysis --bench frontend --profile dev
//! ```
//!
//! It prints (1) the one-off set-up of the instruction tables, measured on
//! the first block of a fresh process, (2) the cost per statement of
//! reading and checking a block for one architecture, over every literal
//! block of the shared corpus (`../shared/corpus/x86_blocks.jsonl`; a small
//! built-in set when absent), by stage, and (3) what the macro's expansion
//! costs per statement: it checks each block for x86-64 and, unless the
//! block names registers only 64-bit mode has, for x86, as it cannot know
//! the target.

use std::hint::black_box;
use std::time::{Duration, Instant};

use checked_asm_analysis::find::invocations;
use checked_asm_analysis::includes::no_includes;
use checked_asm_analysis::parse::AsmArgs;
use checked_asm_analysis::template::ast::Bitness;
use checked_asm_analysis::{
    MacroKind, TargetArch, check_block, expand, reading, run_rules, template,
};
use proc_macro2::TokenStream;

#[path = "../tests/shared_corpus/mod.rs"]
mod shared_corpus;

const BUILT_IN: &[&str] = &[
    r#"asm!("mov {t:r}, rbx", "cpuid", "xchg {t:r}, rbx", t = out(reg) b, inout("eax") 0 => a, inout("ecx") 0 => c, out("edx") d)"#,
    r#"asm!("rep movsb", inout("rcx") n => _, inout("rsi") s => _, inout("rdi") d => _, options(nostack, preserves_flags))"#,
    r#"asm!("lock cmpxchg qword ptr [{p}], {new}", p = in(reg) p, new = in(reg) n, inout("rax") old => prev)"#,
    r#"asm!("vaddps {0}, {1}, ymmword ptr [{2}]", out(ymm_reg) r, in(ymm_reg) a, in(reg) p)"#,
];

fn corpus_blocks() -> Vec<String> {
    let Some(records) = shared_corpus::records() else {
        return BUILT_IN.iter().map(|s| (*s).to_owned()).collect();
    };
    records
        .lines()
        .filter(|line| line.contains("\"template_literal\": true"))
        .filter_map(shared_corpus::text_field)
        .collect()
}

fn main() {
    // Fewer rounds (e.g. `FRONTEND_ROUNDS=1`) keep a run under callgrind short.
    let rounds: usize = std::env::var("FRONTEND_ROUNDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(5);
    let blocks: Vec<(MacroKind, TokenStream)> = corpus_blocks()
        .iter()
        .filter_map(|text| text.parse().ok())
        .filter_map(|tokens| invocations(tokens).into_iter().next())
        .map(|found| (found.kind, found.args))
        .collect();

    // (1) Set-up: the first block pays for building the tables.
    let (kind, args) = &blocks[0];
    let started = Instant::now();
    black_box(check_block(*kind, args.clone(), TargetArch::X86_64));
    let first = started.elapsed();
    let started = Instant::now();
    black_box(check_block(*kind, args.clone(), TargetArch::X86_64));
    let second = started.elapsed();
    let setup = first.saturating_sub(second);

    // (2) Per statement, best of a few rounds over the whole set.
    let mut statements = 0usize;
    let best = best_pass(rounds, &blocks, |kind, args| {
        if let Some(report) = check_block(kind, args, TargetArch::X86_64) {
            statements += report.reading.statements.len();
            black_box(&report);
        }
    });
    // (Counted over every pass.)
    let statements = statements / rounds.max(1);
    let per_statement = best.as_secs_f64() * 1e6 / statements.max(1) as f64;

    // `FRONTEND_STAGES=0` stops here (profiling the whole check alone).
    if std::env::var("FRONTEND_STAGES").is_ok_and(|v| v == "0") {
        println!("{:.1} µs per statement", per_statement);
        return;
    }
    // Where the time goes: each stage alone, best of a few rounds.
    let stage = |run: &dyn Fn()| {
        (0..rounds)
            .map(|_| {
                let started = Instant::now();
                run();
                started.elapsed()
            })
            .min()
            .unwrap_or_default()
            .as_secs_f64()
            * 1e6
            / statements.max(1) as f64
    };
    let parsed: Vec<_> = blocks
        .iter()
        .filter_map(|(kind, args)| Some((*kind, AsmArgs::parse(args.clone()).ok()?)))
        .collect();
    let parse = {
        let inputs: Vec<Vec<_>> = (0..5)
            .map(|_| blocks.iter().map(|(_, args)| args.clone()).collect())
            .collect();
        let mut best = Duration::MAX;
        for round in inputs {
            let started = Instant::now();
            for args in round {
                black_box(AsmArgs::parse(args).ok());
            }
            best = best.min(started.elapsed());
        }
        best.as_secs_f64() * 1e6 / statements.max(1) as f64
    };
    let lower = stage(&|| {
        for (kind, args) in &parsed {
            black_box(template::lower(args, *kind, Bitness::Bits64));
        }
    });
    let read = stage(&|| {
        for (kind, args) in &parsed {
            black_box(reading::read(args, *kind, Bitness::Bits64));
        }
    });
    let checked = stage(&|| {
        for (kind, args) in &parsed {
            black_box(run_rules(*kind, args, TargetArch::X86_64));
        }
    });
    // What the macro itself does per invocation: the check for both
    // architectures (it cannot know the target) and the expansion.
    let expansion = best_pass(rounds, &blocks, |kind, args| {
        black_box(expand(kind, args, &no_includes));
    })
    .as_secs_f64()
        * 1e6
        / statements.max(1) as f64;
    let profile = if cfg!(debug_assertions) {
        "unoptimised"
    } else {
        "optimised"
    };
    println!("front-end cost ({profile} build)");
    println!(
        "  table set-up (first block minus second): {:.2} ms",
        setup.as_secs_f64() * 1e3
    );
    println!(
        "  {} blocks, {statements} statements: {:.1} ms per pass, {per_statement:.1} µs per statement (parse + read + match + facts + rules)",
        blocks.len(),
        best.as_secs_f64() * 1e3
    );
    println!(
        "  per statement by stage: parse {parse:.1} µs, text to statements {lower:.1} µs, + matching and facts {:.1} µs, + control flow and rules {:.1} µs",
        read - lower,
        checked - read
    );
    println!(
        "  the macro's whole expansion (x86-64, and x86 where it can build): {expansion:.1} µs per statement"
    );
}

/// The fastest of `rounds` passes of `run` over every block. The macro owns
/// its input, so copying the tokens is not its cost: each pass gets token
/// lists of its own, made before the clock starts (a clone would share them
/// with `blocks`, and the first walk over them would then copy every token
/// inside the timed loop).
fn best_pass(
    rounds: usize,
    blocks: &[(MacroKind, TokenStream)],
    mut run: impl FnMut(MacroKind, TokenStream),
) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..rounds {
        let inputs: Vec<(MacroKind, TokenStream)> = blocks
            .iter()
            .map(|(kind, args)| (*kind, args.clone().into_iter().collect()))
            .collect();
        let started = Instant::now();
        for (kind, args) in inputs {
            run(kind, args);
        }
        best = best.min(started.elapsed());
    }
    best
}
