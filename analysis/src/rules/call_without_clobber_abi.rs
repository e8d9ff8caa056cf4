//! ### What it does
//! Checks that a block that calls a function (`call {f}` with a `sym`
//! operand, `call rax`, `call [rip + x]`) declares `clobber_abi(..)`, or
//! every register the calling convention lets the callee change.
//!
//! ### Why is this bad?
//! The callee may change every caller-saved register: general ones, all
//! vector registers, masks, x87 and MMX state. Without the declaration the
//! compiler keeps live values in them across the block.
//!
//! ### Example
//! ```ignore
//! asm!("call {f}", f = sym callee, out("rax") r);
//! ```
//! Use instead:
//! ```ignore
//! asm!("call {f}", f = sym callee, out("rax") r, clobber_abi("C"));
//! ```
//!
//! ### Reference
//! `r[asm.abi-clobbers]`, `r[asm.rules.reg-not-output]`

use super::{Cx, Rule, is_call, list};
use crate::dataflow::abi_clobbers;
use crate::diagnostics::Finding;
use crate::parse::MacroKind;
use crate::template::ast::{OperandAst, StatementBody, Target};

pub(super) static RULE: Rule = Rule {
    name: "call_without_clobber_abi",
    summary: "a `call` without `clobber_abi(..)` or every caller-saved register declared",
    needs_full_reading: true,
    check,
};

// error: `call {f}` (line 1) lets the callee change every register the C calling convention does not preserve, but the block declares no `clobber_abi(..)`
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    // A call that never returns (in a `noreturn` block) needs no clobbers.
    if cx.kind != MacroKind::Asm || cx.declared.has_clobber_abi || cx.is_noreturn() {
        return;
    }
    // A call to a label of the block (`call 2f; 2: pop {0}`, the get-PC
    // idiom) calls nothing; a call after which the block can never return
    // to Rust (it ends in a loop, or the callee exits) clobbers nothing the
    // compiler will see again.
    let local_target = |step: &super::Step<'_>| match &step.read.statement.body {
        StatementBody::Instruction(instruction) => instruction
            .operands
            .iter()
            .any(|op| matches!(op, OperandAst::Target(Target::Local { .. }))),
        _ => false,
    };
    // (Most blocks call nothing: the graph is only walked for those that do.)
    if !cx
        .steps()
        .any(|step| is_call(&step) && !local_target(&step))
    {
        return;
    }
    let returns = cx.returns_to_rust();
    let Some(call) = cx
        .steps()
        .find(|step| is_call(step) && !local_target(step) && returns[step.node])
    else {
        return;
    };
    let missing: Vec<String> = abi_clobbers("C", cx.reading.bitness)
        .filter(|family| !cx.declared.is_clobbered(family))
        .map(|family| family.replace("zmm", "xmm"))
        .collect();
    if missing.is_empty() {
        return;
    }
    findings.push(cx.piece_finding(
        &RULE,
        &call,
        format!(
            "{} lets the callee change every register the C calling convention does not preserve, but the block declares no `clobber_abi(..)`",
            call.quoted()
        ),
        vec![format!("not declared: {}", list(&missing))],
        "add `clobber_abi(\"C\")`".to_owned(),
    ));
}
