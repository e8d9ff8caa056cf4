//! ### What it does
//! Checks that every `out`/`lateout` operand with a place (not `_`) is
//! written on every path to the end of the block.
//!
//! ### Why is this bad?
//! An `out` register holds garbage on entry; on a path that does not write
//! it, the caller receives whatever the compiler left there.
//!
//! ### Example
//! ```ignore
//! asm!("test {x}, {x}", "jz 2f", "mov {r}, 1", "2:", x = in(reg) x, r = out(reg) r);
//! ```
//! Use instead:
//! ```ignore
//! asm!("xor {r:e}, {r:e}", "test {x}, {x}", "jz 2f", "mov {r}, 1", "2:", x = in(reg) x, r = out(reg) r);
//! ```
//!
//! ### Reference
//! `r[asm.operand-type.supported-operands.out]`

use super::{Cx, Rule};
use crate::diagnostics::Finding;
use crate::parse::MacroKind;

pub(super) static RULE: Rule = Rule {
    name: "output_never_written",
    summary: "an `out`/`lateout` operand is not written on some path to the end",
    needs_full_reading: true,
    check,
};

// error: `r = out(reg) r` is not written on every path: the block can end after `jz 2f` (line 2) without writing it
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.kind != MacroKind::Asm {
        return;
    }
    for operand in &cx.declared.operands {
        if !operand.is_kept_output() {
            continue;
        }
        let Some(family) = cx.states.id(&operand.family) else {
            continue;
        };
        let Some((exit, _)) = cx
            .exits()
            .iter()
            .find(|(_, state)| !state.must_written[family])
        else {
            continue;
        };
        let text = cx.operand_text(operand.index);
        let exit = cx.step(*exit);
        let message = if cx.states.writes.iter().any(|w| w.contains(&family)) {
            format!(
                "`{text}` is not written on every path: the block can end after {} without writing it, and the caller receives garbage",
                exit.quoted()
            )
        } else {
            format!("`{text}` is never written, so the caller receives garbage")
        };
        findings.push(cx.operand_finding(
            &RULE,
            operand.index,
            message,
            Vec::new(),
            "write it on every path, or give it a starting value with `inout(…) value => place`".to_owned(),
        ));
    }
}
