//! ### What it does
//! Checks that every register the block reads, by name or implicitly
//! (`div` reads `rdx`, `shl reg, cl` reads `cl`, `rep movsb` reads `rcx`),
//! holds an input or was written by the block before.
//!
//! ### Why is this bad?
//! A register that is not an input holds whatever the compiler left there:
//! the block computes with garbage, differently in every build. Saving a
//! register (`push rcx`, `mov {t}, rbx`) is not a use and is fine.
//!
//! ### Example
//! ```ignore
//! asm!("div {d}", d = in(reg) d, inout("rax") n => q, out("rdx") _);
//! ```
//! Use instead:
//! ```ignore
//! asm!("div {d}", d = in(reg) d, inout("rax") n => q, inout("rdx") 0u64 => _);
//! ```
//!
//! ### Reference
//! `r[asm.rules.reg-not-input]`

use super::{Cx, Rule};
use crate::dataflow::reserved;
use crate::diagnostics::Finding;
use crate::parse::MacroKind;

pub(super) static RULE: Rule = Rule {
    name: "undeclared_register_read",
    summary: "a register is read before the block wrote it, and it holds no input",
    needs_full_reading: true,
    check,
};

// error: `div {d}` (line 1) reads `rdx`, which holds no input: its value is whatever the compiler left there
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.kind != MacroKind::Asm {
        return;
    }
    // A body that only ever leaves by `ret` is a function of its own (a
    // naked function written with `asm!`): its argument registers are
    // inputs by the calling convention, not by the operand list.
    let returns = cx.returns_to_rust();
    let by_ret = cx.steps().any(|step| step.facts.mnemonic == "ret");
    if by_ret && !returns.iter().any(|r| *r) {
        return;
    }
    let reserved = reserved(cx.reading.bitness);
    let mut reported: Vec<usize> = Vec::new();
    for read in &cx.states.reads {
        let name = cx.states.families[read.family].as_str();
        if read.copy
            || reported.contains(&read.family)
            || reserved.contains(&name)
            || cx.declared.is_input(name)
        {
            continue;
        }
        // An `out` operand read early is `output_read_before_write`.
        if cx
            .declared
            .operand_of(name)
            .is_some_and(|op| op.is_output() && !op.discarded)
        {
            continue;
        }
        let Some(before) = &cx.states.before[read.node] else {
            continue;
        };
        if before.must_written[read.family] {
            continue;
        }
        reported.push(read.family);
        let step = cx.step(read.node);
        let spelled = cx.spelling(&step, read.family);
        findings.push(cx.piece_finding(
            &RULE,
            &step,
            format!(
                "{} reads `{spelled}`, which holds no input: its value is whatever the compiler left there",
                step.quoted()
            ),
            Vec::new(),
            format!("pass a value in: `in({spelled:?}) value`, or `inout({spelled:?}) value => _` if the block changes it"),
        ));
    }
}
