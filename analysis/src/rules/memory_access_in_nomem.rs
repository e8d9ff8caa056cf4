//! ### What it does
//! Checks that a block declaring `options(nomem)` neither reads nor writes
//! memory outside its own stack, explicitly (`mov rax, [rdi]`) or implicitly
//! (string instructions, `xlat`, descriptor-table loads such as `ltr` and
//! `lgdt`), and does not synchronise memory (fences, `lock`, `xchg` with
//! memory).
//!
//! ### Why is this bad?
//! `nomem` tells the compiler the block cannot see memory: it may keep
//! values in registers across the block, reorder loads and stores around
//! it, or delete stores it thinks nobody reads. The block then reads stale
//! data or its stores are lost.
//!
//! ### Example
//! ```ignore
//! asm!("mov {v}, qword ptr [{p}]", p = in(reg) p, v = lateout(reg) v, options(nomem, nostack));
//! ```
//! Use instead:
//! ```ignore
//! asm!("mov {v}, qword ptr [{p}]", p = in(reg) p, v = lateout(reg) v, options(readonly, nostack));
//! ```
//!
//! ### Reference
//! `r[asm.options.supported-options.nomem]`

use super::{Cx, Rule, Step, access_phrase, option_finding, shared_memory};
use crate::diagnostics::Finding;
use crate::parse::AsmOption;
use crate::semantics::SideEffects;

pub(super) static RULE: Rule = Rule {
    name: "memory_access_in_nomem",
    summary: "`nomem`, but an instruction reads, writes or synchronises memory",
    needs_full_reading: true,
    check,
};

// error: `options(nomem)` promises no memory access, but `mov qword ptr [{p}], {v}` (line 1) writes memory
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.option_word(AsmOption::Nomem).is_none() {
        return;
    }
    let offenders: Vec<(Step<'_>, String)> = cx
        .steps()
        .filter_map(|step| {
            let shared = shared_memory(cx, &step);
            let what = if step.facts.lock
                || step
                    .facts
                    .side_effects
                    .intersects(SideEffects::MEMORY_FENCE)
            {
                "synchronises memory".to_owned()
            } else if !shared.is_empty() {
                access_phrase(&shared).to_owned()
            } else if step
                .facts
                .side_effects
                .intersects(SideEffects::DESCRIPTOR_LOAD)
            {
                "reads a descriptor table in memory".to_owned()
            } else {
                return None;
            };
            Some((step, what))
        })
        .collect();
    findings.extend(option_finding(
        cx,
        &RULE,
        AsmOption::Nomem,
        &offenders,
        "no memory access",
        "remove `nomem` (declare `readonly` instead if the block only reads memory)",
    ));
}
