//! ### What it does
//! Checks that a register the block borrows as a scratch (saves, uses,
//! restores: `push rbx` … `pop rbx`) is not one the compiler may have given
//! to a `reg`-class operand that is still live.
//!
//! ### Why is this bad?
//! The compiler allocates class operands among all registers the block does
//! not declare, `rbx` and `rbp` included. If it picks the borrowed one, the
//! block overwrites its own operand: an input read afterwards, or an output
//! written before, is wrong, with some allocations only.
//!
//! ### Example
//! ```ignore
//! asm!("push rbx", "cpuid", "mov [{p}], ebx", "pop rbx", p = in(reg) p, inout("eax") 0 => _, out("ecx") _, out("edx") _);
//! ```
//! Use instead:
//! ```ignore
//! asm!("mov {t:r}, rbx", "cpuid", "xchg {t:r}, rbx", "mov [{p}], {t:e}", t = out(reg) _, p = in(reg) p,
//!      inout("eax") 0 => _, out("ecx") _, out("edx") _);
//! ```
//!
//! ### Reference
//! `r[asm.register-names.fp-bp-reserved]`

use super::{Cx, Rule};
use crate::dataflow::allocatable_gprs;
use crate::diagnostics::Finding;
use crate::parse::MacroKind;

pub(super) static RULE: Rule = Rule {
    name: "scratch_may_alias_operand",
    summary: "a register borrowed and restored by the block may be the one given to a live `reg` operand",
    needs_full_reading: true,
    check,
};

// error: `p = in(reg) p` may be given `rbx`, which the block borrows: `cpuid` (line 2) overwrites it while `p` is still to be read
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.kind != MacroKind::Asm {
        return;
    }
    let class_gpr = |class: Option<&str>| matches!(class, Some("reg" | "reg_abcd" | "reg_byte"));
    if !cx
        .declared
        .operands
        .iter()
        .any(|op| class_gpr(op.class.as_deref()))
    {
        return; // nothing the compiler allocates could be borrowed
    }
    // Only a register the block writes can be borrowed: usually few.
    let mut written: Vec<&str> = Vec::new();
    for &id in cx.states.writes.iter().flatten() {
        if let Some(name) = cx.states.families.get(id)
            && !written.contains(&name.as_str())
        {
            written.push(name);
        }
    }
    let placeholders: Vec<&String> = cx.reading.placeholder_registers.values().collect();
    let mut reported: Vec<usize> = Vec::new();
    for &scratch in allocatable_gprs(cx.reading.bitness) {
        if !written.contains(&scratch)
            || placeholders.iter().any(|p| p.as_str() == scratch)
            || cx.declared.is_explicit(scratch)
            || cx.declared.abi_clobbers.contains(scratch)
        {
            continue;
        }
        let Some(scratch_id) = cx.states.id(scratch) else {
            continue;
        };
        for writer in 0..cx.cfg.nodes.len() {
            let Some(before) = &cx.states.before[writer] else {
                continue;
            };
            if !cx.states.writes[writer].contains(&scratch_id) {
                continue;
            }
            let after = cx.reachable_after(writer);
            for operand in &cx.declared.operands {
                let class_gpr = matches!(
                    operand.class.as_deref(),
                    Some("reg" | "reg_abcd" | "reg_byte")
                );
                if !class_gpr || reported.contains(&operand.index) {
                    continue;
                }
                if operand.class.as_deref() == Some("reg_abcd")
                    && !matches!(scratch, "rax" | "rbx" | "rcx" | "rdx")
                {
                    continue;
                }
                let Some(id) = cx.states.id(&operand.family) else {
                    continue;
                };
                // `xchg {x}, rbx` / `mov rbx, {x}` with the operand itself
                // work whatever register it got (both names are the same).
                let step = cx.step(writer);
                let moves_with_operand = matches!(step.facts.mnemonic, "xchg" | "mov")
                    && cx
                        .states
                        .reads
                        .iter()
                        .any(|read| read.node == writer && read.family == id);
                if moves_with_operand {
                    continue;
                }
                // Read by the block while the borrowed register does not hold
                // its own value (an input, or a value the block put there);
                // `xchg {t}, rbx` / `mov rbx, {t}` between the two registers
                // work whatever register the operand got.
                let read_later = cx.states.reads.iter().any(|read| {
                    read.family == id
                        && after[read.node]
                        && cx.states.before[read.node]
                            .as_ref()
                            .is_some_and(|s| !s.holds_entry(scratch_id))
                        && !(matches!(cx.step(read.node).facts.mnemonic, "xchg" | "mov")
                            && cx.states.writes[read.node].contains(&scratch_id))
                });
                let written_after = cx
                    .states
                    .writes
                    .iter()
                    .enumerate()
                    .any(|(n, w)| (after[n] || n == writer) && w.contains(&id));
                // (A discarded output has no value to keep.)
                let kept_across = operand.is_output()
                    && !operand.discarded
                    && before.may_written[id]
                    && !written_after;
                if !read_later && !kept_across {
                    continue;
                }
                reported.push(operand.index);
                let text = cx.operand_text(operand.index);
                let why = if read_later {
                    "is still to be read"
                } else {
                    "already holds its result"
                };
                let help = if matches!(scratch, "rbx" | "rbp") {
                    format!(
                        "take the scratch register as an operand (`tmp = out(reg) _`) instead of `{scratch}`"
                    )
                } else {
                    format!(
                        "declare `out({scratch:?}) _` instead of saving and restoring `{scratch}`"
                    )
                };
                findings.push(cx.operand_finding(
                    &RULE,
                    operand.index,
                    format!(
                        "`{text}` may be given `{scratch}`, which the block borrows: {} overwrites it while the operand {why}",
                        step.quoted()
                    ),
                    vec![format!("the compiler may allocate any register the block does not declare, `{scratch}` included")],
                    help,
                ));
            }
        }
    }
}
