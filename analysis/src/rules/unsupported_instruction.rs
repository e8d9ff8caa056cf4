//! ### What it does
//! Reports a statement of the template that checked_asm cannot read or
//! cannot match to an x86 instruction, with the reason.
//!
//! ### Why is this bad?
//! Every other rule is only as good as our reading of the template: an
//! instruction we do not understand could read, write or jump anywhere. We
//! never guess, so the block is reported instead of passed as checked.
//!
//! ### Example
//! ```ignore
//! asm!("add [rdi], 1", in("rdi") p); // which size? LLVM rejects it too
//! ```
//! Use instead:
//! ```ignore
//! asm!("add dword ptr [rdi], 1", in("rdi") p);
//! ```
//!
//! ### Reference
//! `r[asm.validity]` (the template must assemble); what it does must be known
//! to check `r[asm.rules.reg-not-output]` and the options.

use super::{Cx, Rule};
use crate::diagnostics::{Finding, Severity};
use crate::reading::ReadProblem;

pub(super) static RULE: Rule = Rule {
    name: "unsupported_instruction",
    summary: "a statement of the template cannot be read or matched to an instruction, so the block is not checked",
    needs_full_reading: false,
    check,
};

// error: cannot check this block: `add [rdi], 1` (line 1) is not understood
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    // Data in the code path whose bytes we cannot read as instructions.
    for step in cx.steps() {
        let Some(reason) = &step.read.opaque_data else {
            continue;
        };
        let Some(template) = cx.args.templates.get(step.read.statement.piece) else {
            continue;
        };
        findings.push(Finding {
            rule: RULE.name,
            severity: Severity::Error,
            span: template.span,
            message: format!(
                "cannot check this block: control can reach the data `{}` (line {})",
                step.read.statement.source, step.read.statement.line
            ),
            notes: vec![format!("it cannot be read as instructions: {reason}")],
            help: Some(format!(
                "if the data is never executed, put it after an unconditional jump or in another section; otherwise add `allow({}, reason = \"…\")`",
                RULE.name
            )),
            statement: Some(step.read.statement.source.clone()),
            gates: template.attrs.iter().map(quote::ToTokens::to_token_stream).collect(),
        });
    }
    for problem in &cx.reading.problems {
        let ReadProblem::Unsupported {
            piece,
            line,
            source,
            reason,
        } = problem
        else {
            continue;
        };
        let Some(template) = cx.args.templates.get(*piece) else {
            continue;
        };
        findings.push(Finding {
            rule: RULE.name,
            severity: Severity::Error,
            span: template.span,
            message: format!("cannot check this block: `{source}` (line {line}) is not understood"),
            notes: vec![reason.clone()],
            help: Some(format!(
                "if LLVM accepts the statement, add `allow({}, reason = \"…\")` and report it to checked_asm",
                RULE.name
            )),
            statement: Some(source.clone()),
            gates: template.attrs.iter().map(quote::ToTokens::to_token_stream).collect(),
        });
    }
}
