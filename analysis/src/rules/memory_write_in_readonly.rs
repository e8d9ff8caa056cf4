//! ### What it does
//! Checks that a block declaring `options(readonly)` does not write memory
//! outside its own stack, does not synchronise memory (fences, `lock`,
//! `xchg` with memory), and does not hand control to something that may
//! write memory (calls, system calls, hypercalls, port I/O, `ltr`, which
//! marks the TSS descriptor busy).
//!
//! ### Why is this bad?
//! `readonly` lets the compiler assume memory is unchanged after the block:
//! it reuses values loaded before it and drops the block entirely if its
//! outputs are unused. The write is then invisible or lost.
//!
//! ### Example
//! ```ignore
//! asm!("mov qword ptr [{p}], 0", p = in(reg) p, options(readonly, nostack));
//! ```
//! Use instead:
//! ```ignore
//! asm!("mov qword ptr [{p}], 0", p = in(reg) p, options(nostack));
//! ```
//!
//! ### Reference
//! `r[asm.options.supported-options.readonly]`

use super::{Cx, Rule, Step, effect_phrases, is_call, option_finding, shared_memory};
use crate::diagnostics::Finding;
use crate::parse::AsmOption;
use crate::semantics::SideEffects;

pub(super) static RULE: Rule = Rule {
    name: "memory_write_in_readonly",
    summary: "`readonly`, but an instruction writes or synchronises memory or hands control to code that may write it",
    needs_full_reading: true,
    check,
};

const WRITE_EFFECTS: SideEffects =
    SideEffects(SideEffects::SYSCALL.0 | SideEffects::HYPERCALL.0 | SideEffects::PORT_IO.0);

// error: `options(readonly)` promises no memory writes, but `mov qword ptr [{p}], 0` (line 1) writes memory
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.option_word(AsmOption::Readonly).is_none() {
        return;
    }
    let offenders: Vec<(Step<'_>, String)> = cx
        .steps()
        .filter_map(|step| {
            let writes = shared_memory(cx, &step)
                .iter()
                .any(|access| access.access.writes());
            let what = if step.facts.lock
                || step
                    .facts
                    .side_effects
                    .intersects(SideEffects::MEMORY_FENCE)
            {
                "synchronises memory".to_owned()
            } else if writes {
                "writes memory".to_owned()
            } else if is_call(&step) {
                "calls code that may write memory".to_owned()
            } else if step.facts.mnemonic == "ltr" {
                // `lgdt`/`lidt` only read their operand; `ltr` marks the
                // task-state descriptor busy in the GDT.
                "marks the task-state descriptor busy in memory".to_owned()
            } else {
                let effects = SideEffects(step.facts.side_effects.0 & WRITE_EFFECTS.0);
                effect_phrases(effects).into_iter().next()?.to_owned()
            };
            Some((step, what))
        })
        .collect();
    findings.extend(option_finding(
        cx,
        &RULE,
        AsmOption::Readonly,
        &offenders,
        "no memory writes",
        "remove `readonly`",
    ));
}
