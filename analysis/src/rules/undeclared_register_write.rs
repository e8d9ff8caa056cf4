//! ### What it does
//! Checks that every register the block writes, by name or implicitly
//! (`cpuid`, `rdtsc`, `mul`, `syscall`, string instructions, `vzeroupper`…),
//! is an output or a clobber, or holds its entry value again when the block
//! returns (a `push`/`pop` pair, a save in a scratch register).
//!
//! ### Why is this bad?
//! The compiler keeps its own values in every register the block does not
//! declare. An undeclared write destroys one of them, and the damage shows
//! far from the block, only in some builds.
//!
//! ### Example
//! ```ignore
//! asm!("rdtsc", out("eax") lo, options(nomem, nostack));
//! ```
//! Use instead:
//! ```ignore
//! asm!("rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack));
//! ```
//!
//! ### Reference
//! `r[asm.rules.reg-not-output]`

use super::{Cx, Rule, list};
use crate::dataflow::reserved;
use crate::diagnostics::Finding;
use crate::parse::MacroKind;

pub(super) static RULE: Rule = Rule {
    name: "undeclared_register_write",
    summary: "a register is written, not restored, and neither an output nor a clobber",
    needs_full_reading: true,
    check,
};

// error: `rdtsc` (line 1) writes `rdx`, which is neither an output nor a clobber of the block
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.kind != MacroKind::Asm {
        return;
    }
    let reserved = reserved(cx.reading.bitness);
    // Per family: changed at some exit, and not the business of another rule.
    let mut by_writer: Vec<(usize, Vec<usize>)> = Vec::new();
    for family in 0..cx.states.families.len() {
        let name = cx.states.families[family].as_str();
        if reserved.contains(&name)
            || cx.declared.is_clobbered(name)
            || cx.declared.operand_of(name).is_some()
            || name.starts_with("st(")
        {
            continue;
        }
        let Some(writer) = cx.changed_at_exit(family) else {
            continue;
        };
        match by_writer.iter_mut().find(|(node, _)| *node == writer) {
            Some((_, families)) => families.push(family),
            None => by_writer.push((writer, vec![family])),
        }
    }
    for (writer, families) in by_writer {
        let step = cx.step(writer);
        let names: Vec<String> = families.iter().map(|&f| cx.spelling(&step, f)).collect();
        let (which, declare) = if names.len() == 1 {
            ("which is", format!("declare it: `out({:?}) _`", names[0]))
        } else {
            (
                "which are",
                format!(
                    "declare them: {}",
                    names
                        .iter()
                        .map(|n| format!("`out({n:?}) _`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        };
        let help = if names.len() > 4 || step.facts.mnemonic.starts_with("call") {
            "declare `clobber_abi(\"C\")`, or each register as `out(\"…\") _`".to_owned()
        } else {
            format!("{declare}, or restore before the block ends")
        };
        findings.push(cx.piece_finding(
            &RULE,
            &step,
            format!(
                "{} writes {}, {which} neither an output nor a clobber of the block",
                step.quoted(),
                list(&names)
            ),
            Vec::new(),
            help,
        ));
    }
}
