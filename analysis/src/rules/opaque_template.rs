//! ### What it does
//! Reports a template piece that is a macro call checked_asm cannot expand
//! at expansion time (a user macro, `env!`, `concat!` of something other
//! than literals, `include_str!` of a path that is not a literal or of a
//! file that cannot be found). `include_str!("file.s")` is read from the
//! file, as rustc reads it, and checked.
//!
//! ### Why is this bad?
//! A proc macro sees tokens, not what other macros expand to. A block whose
//! text we cannot see cannot be checked, and passing it silently would say
//! "checked" about code nobody read.
//!
//! ### Example
//! ```ignore
//! asm!(switch_template!(), options(nostack));
//! ```
//! Use instead: the text as string literals (or `include_str!` of a file),
//! or accept the risk:
//! ```ignore
//! asm!(switch_template!(), options(nostack), allow(opaque_template, reason = "reviewed by hand"));
//! ```
//!
//! ### Reference
//! `r[asm.ts-args.one-or-more]` (templates are string literals or macros
//! expanding to them).

use super::{Cx, Rule};
use crate::diagnostics::{Finding, Severity};
use crate::reading::ReadProblem;

pub(super) static RULE: Rule = Rule {
    name: "opaque_template",
    summary: "a template piece is a macro call whose text cannot be read, so the block is not checked",
    needs_full_reading: false,
    check,
};

// error: the template piece `include_str!(..)` cannot be read at expansion time, so this block is not checked
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    for problem in &cx.reading.problems {
        let ReadProblem::Opaque { piece, macro_name } = problem else {
            continue;
        };
        let Some(template) = cx.args.templates.get(*piece) else {
            continue;
        };
        findings.push(Finding {
            rule: RULE.name,
            severity: Severity::Error,
            span: template.span,
            message: format!(
                "the template piece `{macro_name}(..)` cannot be read at expansion time, so this block is not checked"
            ),
            notes: vec![
                "checked_asm reads string literals, `concat!` of literals and `include_str!` of a file it can find"
                    .to_owned(),
            ],
            help: Some(format!(
                "write the template as string literals, or add `allow({}, reason = \"…\")` if the block was reviewed by hand",
                RULE.name
            )),
            statement: None,
            gates: template.attrs.iter().map(quote::ToTokens::to_token_stream).collect(),
        });
    }
}
