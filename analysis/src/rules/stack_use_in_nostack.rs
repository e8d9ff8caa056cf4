//! ### What it does
//! Checks that a block declaring `options(nostack)` does not push, pop or
//! call, does not move the stack pointer, and does not write below it (the
//! red zone).
//!
//! ### Why is this bad?
//! With `nostack` the compiler does not set up a stack the block may use: a
//! leaf function keeps live data in the 128 bytes below `rsp`, which a
//! `push` overwrites, and the stack may be misaligned for a `call`.
//!
//! `int n` and `int3` are not counted: from user mode they switch to the
//! kernel's stack, and kernels, where they would use the current stack, are
//! built without a red zone. Nor is stack use on a path that never returns
//! to Rust (a `clone` child, a jump into another context): the frame whose
//! red zone `nostack` protects is abandoned there.
//!
//! ### Example
//! ```ignore
//! asm!("pushfq", "pop {f}", f = out(reg) f, options(nomem, nostack));
//! ```
//! Use instead:
//! ```ignore
//! asm!("pushfq", "pop {f}", f = out(reg) f, options(nomem, preserves_flags));
//! ```
//!
//! ### Reference
//! `r[asm.options.supported-options.nostack]`

use super::{Cx, Rule, Step, is_call, option_finding};
use crate::diagnostics::Finding;
use crate::parse::AsmOption;
use crate::template::ast::{OperandAst, StatementBody};

pub(super) static RULE: Rule = Rule {
    name: "stack_use_in_nostack",
    summary: "`nostack`, but an instruction pushes, pops, calls, moves the stack pointer or writes below it",
    needs_full_reading: true,
    check,
};

/// Whether an explicit memory write of the step is below the stack pointer:
/// `[rsp - k]` (the red zone).
fn writes_red_zone(step: &Step<'_>) -> bool {
    let StatementBody::Instruction(instruction) = &step.read.statement.body else {
        return false;
    };
    step.facts.memory.iter().any(|access| {
        access.explicit
            && access.access.writes()
            && access.operand.and_then(|i| instruction.operands.get(i)).is_some_and(|operand| {
                matches!(operand, OperandAst::Mem(memory)
                    if memory.displacement < 0
                        && memory.base.as_ref().is_some_and(|base| base.name == "rsp" || base.name == "esp"))
            })
    })
}

fn stack_use(step: &Step<'_>) -> Option<&'static str> {
    let facts = step.facts;
    if is_call(step) {
        return Some("calls, which pushes a return address");
    }
    let implicit = facts
        .memory
        .iter()
        .find(|access| access.stack && !access.explicit);
    if let Some(access) = implicit {
        return Some(if access.access.writes() {
            "pushes onto the stack"
        } else {
            "pops from the stack"
        });
    }
    if facts.writes_stack_pointer {
        return Some("moves the stack pointer");
    }
    if writes_red_zone(step) {
        return Some("writes below the stack pointer, into the red zone");
    }
    None
}

// error: `options(nostack)` promises no stack use, but `push rbx` (line 1) pushes onto the stack
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.option_word(AsmOption::Nostack).is_none() {
        return;
    }
    // (Most blocks use no stack: the paths are only followed for those.)
    let users: Vec<(Step<'_>, &str)> = cx
        .steps()
        .filter_map(|step| stack_use(&step).map(|what| (step, what)))
        .collect();
    if users.is_empty() {
        return;
    }
    // A path that never comes back to Rust (a `clone` child, a jump into a
    // new context) abandons the frame whose red zone `nostack` protects;
    // only a `call` still needs the stack set up for it.
    // (A far return or `iret` may land right back in the block, as in
    // `push 0x8; push rax; retfq` to reload CS: those paths count.)
    let returns = cx.can_reach(|cx, node| {
        let mnemonic = cx.step(node).facts.mnemonic;
        mnemonic.starts_with("retf")
            || mnemonic.starts_with("iret")
            || cx.cfg.exits[node].iter().any(|exit| {
                matches!(
                    exit,
                    crate::dataflow::Exit::End | crate::dataflow::Exit::Label
                )
            })
    });
    let offenders: Vec<(Step<'_>, String)> = users
        .into_iter()
        .filter(|(step, _)| returns[step.node] || is_call(step))
        .map(|(step, what)| (step, what.to_owned()))
        .collect();
    findings.extend(option_finding(
        cx,
        &RULE,
        AsmOption::Nostack,
        &offenders,
        "no stack use",
        "remove `nostack`",
    ));
}
