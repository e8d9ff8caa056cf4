//! ### What it does
//! Checks that a block declaring `options(pure)` has no side effect and
//! reads nothing beyond its inputs: no time-stamp, random or `cpuid` reads,
//! no control, debug, MSR or flags register reads, no port I/O, system
//! calls, halts, traps, fences, stores or calls.
//!
//! ### Why is this bad?
//! The compiler may merge two `pure` blocks with the same inputs, hoist one
//! out of a loop, or delete it when its outputs are unused: two `rdtsc`
//! reads become one, a `wrmsr` disappears.
//!
//! ### Example
//! ```ignore
//! asm!("rdtsc", out("eax") lo, out("edx") hi, options(pure, nomem, nostack));
//! ```
//! Use instead:
//! ```ignore
//! asm!("rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack));
//! ```
//!
//! ### Reference
//! `r[asm.options.supported-options.pure]`, `r[asm.rules.pure]`

use super::{Cx, Rule, Step, effect_phrases, is_call, option_finding, shared_memory};
use crate::diagnostics::Finding;
use crate::parse::AsmOption;

pub(super) static RULE: Rule = Rule {
    name: "side_effect_in_pure",
    summary: "`pure`, but an instruction has a side effect or reads state beyond its inputs",
    needs_full_reading: true,
    check,
};

// error: `options(pure)` promises no side effects and a result that depends only on the inputs, but `rdtsc` (line 1) reads a value that changes from run to run
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.option_word(AsmOption::Pure).is_none() {
        return;
    }
    let offenders: Vec<(Step<'_>, String)> = cx
        .steps()
        .filter_map(|step| {
            if is_call(&step) {
                return Some((step, "calls code with unknown effects".to_owned()));
            }
            if let Some(phrase) = effect_phrases(step.facts.side_effects).into_iter().next() {
                return Some((step, phrase.to_owned()));
            }
            if step.facts.lock {
                return Some((step, "orders memory accesses (a locked access)".to_owned()));
            }
            if shared_memory(cx, &step)
                .iter()
                .any(|access| access.access.writes())
            {
                return Some((step, "writes memory".to_owned()));
            }
            None
        })
        .collect();
    findings.extend(option_finding(
        cx,
        &RULE,
        AsmOption::Pure,
        &offenders,
        "no side effects and a result that depends only on the inputs",
        "remove `pure`: the compiler may merge, hoist or delete a pure block",
    ));
}
