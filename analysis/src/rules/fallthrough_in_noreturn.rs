//! ### What it does
//! Checks that no path through a block declaring `options(noreturn)` reaches
//! the end of the template: every path must end in a jump out, a return, a
//! trap such as `ud2`, or a call to a function that does not return.
//!
//! ### Why is this bad?
//! After a `noreturn` block the compiler emits nothing (the block has type
//! `!`): falling through runs whatever bytes follow, usually the next
//! function.
//!
//! ### Example
//! ```ignore
//! asm!("test {x}, {x}", "jz 2f", "ud2", "2:", x = in(reg) x, options(noreturn, nomem, nostack));
//! ```
//! Use instead:
//! ```ignore
//! asm!("test {x}, {x}", "jz 2f", "ud2", "2:", "ud2", x = in(reg) x, options(noreturn, nomem, nostack));
//! ```
//! A call as the last instruction of a path is trusted not to return (the
//! callee's type is invisible to a macro), and so is a system call (`exit`
//! does not return; the call number is a run-time value).
//!
//! ### Reference
//! `r[asm.options.supported-options.noreturn]`, `r[asm.rules.noreturn]`

use super::{Cx, Rule, Step, is_call, option_finding};
use crate::diagnostics::{Finding, Severity, SpanRange};
use crate::parse::AsmOption;
use crate::semantics::Flow;

pub(super) static RULE: Rule = Rule {
    name: "fallthrough_in_noreturn",
    summary: "`noreturn`, but some path reaches the end of the template",
    needs_full_reading: true,
    check,
};

// error: `options(noreturn)` promises the block never falls through, but `jz 2f` (line 2) can reach the end of the template
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    let Some((word, gates)) = cx.option_word(AsmOption::Noreturn) else {
        return;
    };
    let ends = cx.cfg.nodes_reaching_end();
    if cx.cfg.nodes.is_empty() {
        findings.push(Finding {
            rule: RULE.name,
            severity: Severity::Error,
            span: SpanRange::single(word.ident.span()),
            message: "`options(noreturn)` promises the block never falls through, but it has no instruction".to_owned(),
            notes: Vec::new(),
            help: Some("end the block with a jump, `ud2` or a call to a function that does not return".to_owned()),
            statement: None,
            gates,
        });
        return;
    }
    let offenders: Vec<(Step<'_>, String)> = cx
        .steps()
        .filter(|step| {
            ends.contains(&step.node) && !is_call(step) && step.facts.flow != Flow::SyscallLike
        })
        .map(|step| (step, "can reach the end of the template".to_owned()))
        .collect();
    findings.extend(option_finding(
        cx,
        &RULE,
        AsmOption::Noreturn,
        &offenders,
        "the block never falls through",
        "end every path with a jump, `ud2` or a call to a function that does not return, or remove `noreturn`",
    ));
}
