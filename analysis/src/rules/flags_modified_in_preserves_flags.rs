//! ### What it does
//! Checks that a block declaring `options(preserves_flags)` leaves the
//! status flags (CF, PF, AF, ZF, SF, OF), the x87 status word and the MXCSR
//! exception flags as it found them: no instruction may change them unless a
//! `pushf`/`popf` pair around it restores them. `cli`/`sti` and `cld`/`std`
//! do not count: IF and DF are not covered by the option.
//!
//! ### Why is this bad?
//! With `preserves_flags` the compiler keeps a comparison's result in the
//! flags across the block; an `add` inside it silently changes which branch
//! is taken afterwards.
//!
//! ### Example
//! ```ignore
//! asm!("add {x}, 1", x = inout(reg) x, options(nomem, nostack, preserves_flags));
//! ```
//! Use instead:
//! ```ignore
//! asm!("lea {x}, [{x} + 1]", x = inout(reg) x, options(nomem, nostack, preserves_flags));
//! ```
//!
//! ### Reference
//! `r[asm.options.supported-options.preserves_flags]`, `r[asm.rules.preserved-registers]`

use super::{Cx, Rule, Step, is_call, option_finding};
use crate::diagnostics::Finding;
use crate::parse::AsmOption;
use crate::semantics::{FlagSet, Flow, SideEffects};

pub(super) static RULE: Rule = Rule {
    name: "flags_modified_in_preserves_flags",
    summary: "`preserves_flags`, but an instruction changes the status flags, the x87 status word or MXCSR flags",
    needs_full_reading: true,
    check,
};

/// What the step does to the covered flags, if anything.
///
/// Two policies keep real, correct code quiet:
/// - `mov` to or from a control or debug register leaves the flags
///   "undefined" in Intel's manual and "unaffected" in AMD's; no processor
///   changes them, and kernels rely on it, so undefined-only effects of these
///   moves are not counted;
/// - `syscall` and `int n` return with the flags the kernel saved on entry
///   (`sysret`/`iret` restore them), so the block sees them unchanged.
fn change(step: &Step<'_>) -> Option<String> {
    if is_call(step) {
        return Some("calls code that may change the flags".to_owned());
    }
    if step.facts.flow == Flow::SyscallLike {
        return None;
    }
    let register_move = step.facts.mnemonic == "mov"
        && step.facts.side_effects.intersects(SideEffects(
            SideEffects::CONTROL_REGISTER_READ.0
                | SideEffects::CONTROL_REGISTER_WRITE.0
                | SideEffects::DEBUG_REGISTER.0,
        ));
    if register_move && step.facts.flags_written == step.facts.flags_undefined {
        return None;
    }
    let status = step.facts.flags_written.intersection(FlagSet::STATUS);
    if !status.is_empty() {
        let names = status.names();
        let list = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.join(""),
        };
        return Some(format!("modifies {list}"));
    }
    if step.facts.x87_status_written {
        return Some("changes the x87 status word".to_owned());
    }
    if step.facts.mxcsr_status_written {
        return Some("may set MXCSR exception flags".to_owned());
    }
    None
}

// error: `options(preserves_flags)` promises the flags are unchanged, but `add {x}, 1` (line 1) modifies CF, PF, AF, ZF, SF and OF
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.option_word(AsmOption::PreservesFlags).is_none() {
        return;
    }
    // Changes between a `pushf` and its `popf` are restored; a `popf`
    // without a `pushf` sets the flags from memory.
    let mut offenders: Vec<(Step<'_>, String)> = Vec::new();
    let mut saved_depth = 0usize;
    let mut pending: Vec<(Step<'_>, String)> = Vec::new();
    for step in cx.steps() {
        let mnemonic = step.facts.mnemonic;
        if mnemonic.starts_with("pushf") {
            saved_depth += 1;
            continue;
        }
        if mnemonic.starts_with("popf") {
            if saved_depth > 0 {
                saved_depth -= 1;
                if saved_depth == 0 {
                    pending.clear();
                }
            } else {
                offenders.push((step, "loads the flags from the stack".to_owned()));
            }
            continue;
        }
        if let Some(what) = change(&step) {
            // `popfq` restores RFLAGS, not the x87 status word nor MXCSR.
            let status_only =
                step.facts.flags_written.intersects(FlagSet::STATUS) || is_call(&step);
            if saved_depth > 0 && status_only {
                pending.push((step, what));
            } else {
                offenders.push((step, what));
            }
        }
    }
    offenders.extend(pending);
    offenders.sort_by_key(|(step, _)| step.node);
    findings.extend(option_finding(
        cx,
        &RULE,
        AsmOption::PreservesFlags,
        &offenders,
        "the flags are unchanged",
        "remove `preserves_flags`, or restore what changes before the block ends (`pushfq` … `popfq` for the status flags)",
    ));
}
