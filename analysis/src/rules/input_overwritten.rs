//! ### What it does
//! Checks that the register of every `in` operand holds its value again when
//! the block returns, unless a `lateout` or `clobber_abi` clobber shares it.
//! Implicit changes count: `rep movsb` advances `rsi`, `rdi` and `rcx`.
//!
//! ### Why is this bad?
//! After an `in` operand the compiler still uses the register's value,
//! believing it unchanged: a loop counter or a pointer silently moves.
//!
//! ### Example
//! ```ignore
//! asm!("add {x}, 1", x = in(reg) x, options(nomem, nostack));
//! ```
//! Use instead:
//! ```ignore
//! asm!("add {x}, 1", x = inout(reg) x => _, options(nomem, nostack));
//! ```
//!
//! ### Reference
//! `r[asm.rules.reg-not-output]`

use super::{Cx, Rule};
use crate::diagnostics::Finding;
use crate::parse::{Direction, MacroKind};

pub(super) static RULE: Rule = Rule {
    name: "input_overwritten",
    summary: "an `in` operand's register is changed and not restored",
    needs_full_reading: true,
    check,
};

// error: `x = in(reg) x` is an input, so its register must keep its value, but `add {x}, 1` (line 1) changes it
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.kind != MacroKind::Asm {
        return;
    }
    for operand in &cx.declared.operands {
        if operand.direction != Direction::In || cx.declared.is_clobbered(&operand.family) {
            continue;
        }
        let Some(family) = cx.states.id(&operand.family) else {
            continue;
        };
        let Some(writer) = cx.changed_at_exit(family) else {
            continue;
        };
        let step = cx.step(writer);
        let text = cx.operand_text(operand.index);
        let relaxed = match text.strip_prefix("in(") {
            Some(rest) => format!("inout({rest}"),
            None => text.replacen(" = in(", " = inout(", 1),
        };
        findings.push(cx.operand_finding(
            &RULE,
            operand.index,
            format!("`{text}` is an input, so its register must keep its value, but {} changes it", step.quoted()),
            Vec::new(),
            format!("declare `{relaxed} => _` to let the block change it, or restore it before the block ends"),
        ));
    }
}
