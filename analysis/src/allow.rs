//! Applying `allow(..)` clauses: suppressed findings disappear, unknown rule
//! names are errors that list the known ones, and an `allow` that suppressed
//! nothing is reported so that stale allows do not pile up.

use crate::diagnostics::{Finding, Severity, SpanRange};
use crate::expand::ArchFinding;
use crate::parse::AsmArgs;
use crate::rules::RULES;

/// Findings after the block's `allow(..)` clauses, plus findings about the
/// clauses themselves (reported on every target).
pub(crate) fn apply(args: &AsmArgs, findings: Vec<ArchFinding>) -> Vec<ArchFinding> {
    let mut out = Vec::new();
    let mut allowed: Vec<(String, SpanRange, bool)> = Vec::new();
    for clause in &args.allows {
        match &clause.list {
            Err(error) => {
                for error in error.clone() {
                    // Errors about the clause as a whole carry no span of
                    // their own: point at the word `allow`.
                    let span = error.explicit_span().unwrap_or(clause.keyword);
                    out.push(everywhere(Finding {
                        rule: "allow",
                        severity: Severity::Error,
                        span: SpanRange::single(span),
                        message: error.to_string(),
                        notes: Vec::new(),
                        help: Some("write `allow(rule_name, …, reason = \"…\")`".to_owned()),
                        statement: None,
                        gates: Vec::new(),
                    }));
                }
            }
            Ok(list) => {
                for rule in &list.rules {
                    let name = rule.to_string();
                    if RULES.iter().any(|known| known.name == name) {
                        allowed.push((name, SpanRange::single(rule.span()), false));
                    } else {
                        out.push(everywhere(unknown_rule(
                            &name,
                            SpanRange::single(rule.span()),
                        )));
                    }
                }
            }
        }
    }
    for found in findings {
        let suppressor = allowed
            .iter_mut()
            .find(|(name, _, _)| name == found.finding.rule);
        match suppressor {
            Some(entry) => entry.2 = true,
            None => out.push(found),
        }
    }
    for (name, span, used) in allowed {
        if !used {
            out.push(everywhere(Finding {
                rule: "allow",
                severity: Severity::Warning,
                span,
                message: format!("`allow({name})` suppresses nothing in this block"),
                notes: Vec::new(),
                help: Some("remove it: the rule no longer fires here".to_owned()),
                statement: None,
                gates: Vec::new(),
            }));
        }
    }
    out
}

fn everywhere(finding: Finding) -> ArchFinding {
    ArchFinding {
        finding,
        archs: Vec::new(),
    }
}

fn unknown_rule(name: &str, span: SpanRange) -> Finding {
    let known: Vec<String> = RULES
        .iter()
        .map(|rule| format!("`{}`", rule.name))
        .collect();
    Finding {
        rule: "allow",
        severity: Severity::Error,
        span,
        message: format!("unknown checked_asm rule `{name}`"),
        notes: vec![format!("the rules are {}", known.join(", "))],
        help: None,
        statement: None,
        gates: Vec::new(),
    }
}
