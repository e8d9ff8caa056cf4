//! ### What it does
//! Checks that no `out`/`lateout` operand is read before the block writes
//! it.
//!
//! ### Why is this bad?
//! An `out` register holds garbage on entry (the compiler may even have put
//! an input's value there, for a `lateout`): reading it computes with
//! garbage.
//!
//! ### Example
//! ```ignore
//! asm!("add {r}, 1", r = out(reg) r);
//! ```
//! Use instead:
//! ```ignore
//! asm!("add {r}, 1", r = inout(reg) 0u64 => r);
//! ```
//!
//! ### Reference
//! `r[asm.rules.reg-not-input]`

use super::{Cx, Rule};
use crate::diagnostics::Finding;
use crate::parse::MacroKind;

pub(super) static RULE: Rule = Rule {
    name: "output_read_before_write",
    summary: "an `out`/`lateout` operand is read before the block wrote it",
    needs_full_reading: true,
    check,
};

// error: `r = out(reg) r` is read by `add {r}, 1` (line 1) before the block writes it: an output holds garbage on entry
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.kind != MacroKind::Asm {
        return;
    }
    for operand in &cx.declared.operands {
        if !operand.is_kept_output() {
            continue;
        }
        // `in("rax") x, lateout("rax") y`: the register holds the input.
        if cx.declared.is_input(&operand.family) {
            continue;
        }
        let Some(family) = cx.states.id(&operand.family) else {
            continue;
        };
        let early = cx.states.reads.iter().find(|read| {
            read.family == family
                && cx.states.before[read.node]
                    .as_ref()
                    .is_some_and(|s| !s.must_written[family])
        });
        let Some(read) = early else { continue };
        let text = cx.operand_text(operand.index);
        findings.push(cx.operand_finding(
            &RULE,
            operand.index,
            format!(
                "`{text}` is read by {} before the block writes it: an output holds garbage on entry",
                cx.step(read.node).quoted()
            ),
            Vec::new(),
            "give it a starting value with `inout(…) value => place`".to_owned(),
        ));
    }
}
