//! ### What it does
//! Checks that a block declaring `options(nomem)` does not change how memory
//! is seen or hand control to something that may touch memory: TLB and cache
//! maintenance (`invlpg`, `wbinvd`, `clflush`), control-register and MSR
//! writes, segment and fs/gs base writes (`mov ds, ax`, `wrfsbase`,
//! `swapgs`), port I/O, system calls and hypercalls, `cli`/`sti`, calls.
//!
//! ### Why is this bad?
//! None of these names a memory operand, yet each is a barrier for memory:
//! `nomem` lets the compiler move loads and stores across the block, so a
//! store can land after the `invlpg` or the `cli` meant to order it. Real
//! crates fixed exactly these as bugs.
//!
//! ### Example
//! ```ignore
//! asm!("invlpg [{p}]", p = in(reg) addr, options(nomem, nostack, preserves_flags));
//! ```
//! Use instead:
//! ```ignore
//! asm!("invlpg [{p}]", p = in(reg) addr, options(nostack, preserves_flags));
//! ```
//!
//! ### Reference
//! `r[asm.options.supported-options.nomem]`, `r[asm.rules.mem-same-as-ffi]`

use super::{Cx, Rule, Step, effect_phrases, is_call, option_finding};
use crate::diagnostics::Finding;
use crate::parse::AsmOption;
use crate::semantics::{Flow, SideEffects};

pub(super) static RULE: Rule = Rule {
    name: "memory_effect_in_nomem",
    summary: "`nomem`, but an instruction changes how memory is seen or hands control to code that may touch it",
    needs_full_reading: true,
    check,
};

/// Effects that act on memory without naming it. Fences and locked accesses
/// belong to `memory_access_in_nomem`; `popf` restores a saved state and is
/// left to the flag rules.
const MEMORY_EFFECTS: SideEffects = SideEffects(
    SideEffects::CACHE_MAINTENANCE.0
        | SideEffects::CONTROL_REGISTER_WRITE.0
        | SideEffects::MSR_WRITE.0
        | SideEffects::SEGMENT_WRITE.0
        | SideEffects::SEGMENT_BASE_WRITE.0
        | SideEffects::PORT_IO.0
        | SideEffects::SYSCALL.0
        | SideEffects::HYPERCALL.0
        | SideEffects::INTERRUPT_FLAG.0,
);

// error: `options(nomem)` promises no memory effects, but `invlpg [{p}]` (line 1) invalidates or flushes TLB or cache entries
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.option_word(AsmOption::Nomem).is_none() {
        return;
    }
    let offenders: Vec<(Step<'_>, String)> = cx
        .steps()
        .filter_map(|step| {
            if is_call(&step) {
                return Some((step, "calls code that may touch memory".to_owned()));
            }
            if step.facts.flow == Flow::Interrupt {
                return Some((
                    step,
                    "runs an interrupt handler, which may touch memory".to_owned(),
                ));
            }
            let mut effects = SideEffects(step.facts.side_effects.0 & MEMORY_EFFECTS.0);
            if step.facts.mnemonic.starts_with("popf") {
                effects = SideEffects(effects.0 & !SideEffects::INTERRUPT_FLAG.0);
            }
            // `xsetbv` selects what `xsave` manages; it changes nothing about
            // how loads and stores behave.
            if step.facts.mnemonic == "xsetbv" {
                effects = SideEffects(effects.0 & !SideEffects::CONTROL_REGISTER_WRITE.0);
            }
            if effects.0 == 0 {
                return None;
            }
            let phrase = effect_phrases(effects).into_iter().next()?;
            Some((step, phrase.to_owned()))
        })
        .collect();
    findings.extend(option_finding(
        cx,
        &RULE,
        AsmOption::Nomem,
        &offenders,
        "no memory effects",
        "remove `nomem`: the compiler may move memory accesses across this instruction",
    ));
}
