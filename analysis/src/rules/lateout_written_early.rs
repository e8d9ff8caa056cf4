//! ### What it does
//! Checks that a `lateout` register (or a late clobber from `clobber_abi`)
//! is written only after every input that could share its register has been
//! read for the last time.
//!
//! ### Why is this bad?
//! The compiler may give a `lateout` the register of an input, since it is
//! "written late". Written early, it destroys that input before the block
//! reads it, but only with some register allocations: a bug that comes and
//! goes with unrelated changes.
//!
//! ### Example
//! ```ignore
//! asm!("mov {o}, {a}", "add {o}, {b}", a = in(reg) a, b = in(reg) b, o = lateout(reg) o);
//! ```
//! Use instead:
//! ```ignore
//! asm!("mov {o}, {a}", "add {o}, {b}", a = in(reg) a, b = in(reg) b, o = out(reg) o);
//! ```
//!
//! ### Reference
//! `r[asm.operand-type.supported-operands.lateout]`

use super::{Cx, Rule};
use crate::dataflow::kind_of;
use crate::diagnostics::{Finding, Severity};
use crate::parse::{Direction, MacroKind};

pub(super) static RULE: Rule = Rule {
    name: "lateout_written_early",
    summary: "a `lateout` register is written while an input that may share it is still to be read",
    needs_full_reading: true,
    check,
};

/// A late output: an operand, or a family clobbered by `clobber_abi`.
struct Late {
    family: String,
    operand: Option<usize>,
    is_class: bool,
}

// error: `o = lateout(reg) o` is written by `mov {o}, {a}` (line 1) while the input `b` is still to be read by `add {o}, {b}` (line 2)
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.kind != MacroKind::Asm {
        return;
    }
    let mut lates: Vec<Late> = cx
        .declared
        .operands
        .iter()
        .filter(|op| op.direction == Direction::LateOut)
        .map(|op| Late {
            family: op.family.clone(),
            operand: Some(op.index),
            is_class: op.class.is_some(),
        })
        .collect();
    for family in &cx.declared.abi_clobbers {
        if cx.declared.operand_of(family).is_none() && cx.states.id(family).is_some() {
            lates.push(Late {
                family: family.clone(),
                operand: None,
                is_class: false,
            });
        }
    }
    let inputs: Vec<_> = cx
        .declared
        .operands
        .iter()
        .filter(|op| op.direction == Direction::In)
        .collect();
    let mut reported_abi = false;
    for late in &lates {
        let Some(late_id) = cx.states.id(&late.family) else {
            continue;
        };
        'writes: for writer in 0..cx.cfg.nodes.len() {
            if cx.states.before[writer].is_none() || !cx.states.writes[writer].contains(&late_id) {
                continue;
            }
            let after = cx.reachable_after(writer);
            for input in &inputs {
                // Two explicit registers never share; a class operand may
                // get any register of its kind that is not taken.
                let may_share = input.family != late.family
                    && (late.is_class || input.class.is_some())
                    && kind_of(&input.family) == kind_of(&late.family);
                let Some(input_id) = cx.states.id(&input.family) else {
                    continue;
                };
                if !may_share {
                    continue;
                }
                let Some(reader) = cx
                    .states
                    .reads
                    .iter()
                    .find(|read| read.family == input_id && after[read.node])
                else {
                    continue;
                };
                let (writer_step, reader_step) = (cx.step(writer), cx.step(reader.node));
                let input_text = cx.operand_text(input.index);
                match late.operand {
                    Some(index) => {
                        let text = cx.operand_text(index);
                        let tightened = text.replacen("lateout(", "out(", 1);
                        findings.push(cx.operand_finding(
                            &RULE,
                            index,
                            format!(
                                "`{text}` is written by {} while the input `{input_text}` is still to be read by {}",
                                writer_step.quoted(),
                                reader_step.quoted()
                            ),
                            vec!["the compiler may give a `lateout` the register of an input".to_owned()],
                            format!("declare `{tightened}`: an `out` never shares a register with an input"),
                        ));
                    }
                    None if !reported_abi => {
                        reported_abi = true;
                        let group = &cx.args.clobber_abis[0];
                        let name = &late.family;
                        findings.push(Finding {
                            rule: RULE.name,
                            severity: Severity::Error,
                            span: group.span,
                            message: format!(
                                "`clobber_abi(..)` lets the compiler put the input `{input_text}` in `{name}`, which {} writes while {} still reads the input",
                                writer_step.quoted(),
                                reader_step.quoted()
                            ),
                            notes: vec!["`clobber_abi` clobbers are late: inputs may share their registers".to_owned()],
                            help: Some(format!("declare `out({name:?}) _` as well: an explicit `out` never shares a register with an input")),
                            statement: Some(writer_step.read.statement.source.clone()),
                            gates: Vec::new(),
                        });
                    }
                    None => {}
                }
                break 'writes;
            }
        }
    }
}
