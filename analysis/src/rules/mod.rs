//! Stage 5: the rules. Each one reads our model of the block (the parsed
//! arguments and the reading of its template), never raw tokens or iced, and
//! reports what the declared contract over-promises.
//!
//! Two rules belong to the front-end: they say when a block could not be
//! read (`opaque_template`, `unsupported_instruction`), so that no block is
//! ever passed as checked when we did not understand it. The others run only
//! on blocks read completely.

mod opaque_template;
mod unsupported_instruction;

use crate::diagnostics::Finding;
use crate::parse::{AsmArgs, MacroKind};
use crate::reading::Reading;

/// What a rule sees.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    /// Which macro the block belongs to.
    pub kind: MacroKind,
    /// The parsed arguments.
    pub args: &'a AsmArgs,
    /// The template, read for one target architecture.
    pub reading: &'a Reading,
}

/// One rule: its name (what users write in `allow(..)`), a one-line
/// summary for the docs, and its check.
#[derive(Clone, Copy)]
pub struct Rule {
    /// The rule's name, as users write it in `allow(..)`.
    pub name: &'static str,
    /// One line for the rule table in the docs.
    pub summary: &'static str,
    /// Whether the rule needs a completely read template.
    pub needs_full_reading: bool,
    /// Pushes findings about `cx`.
    pub check: fn(&Cx<'_>, &mut Vec<Finding>),
}

/// Every rule, alphabetically.
pub static RULES: &[&Rule] = &[&opaque_template::RULE, &unsupported_instruction::RULE];

/// The rule called `name`.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.name == name)
}

/// Runs every rule that applies.
pub fn check_all(cx: &Cx<'_>) -> Vec<Finding> {
    let complete = cx.reading.problems.is_empty();
    let mut findings = Vec::new();
    for rule in RULES {
        if complete || !rule.needs_full_reading {
            (rule.check)(cx, &mut findings);
        }
    }
    findings
}
