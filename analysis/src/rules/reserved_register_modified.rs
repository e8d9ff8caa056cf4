//! ### What it does
//! Checks that the registers Rust reserves hold their entry values when the
//! block returns: `rbx`, `rbp` and `rsp` on x86-64 (`esi`, `ebp`, `esp` on
//! x86). `cpuid` writes `rbx`; a `push` without its `pop` moves `rsp`.
//!
//! ### Why is this bad?
//! These registers cannot even be declared as clobbers: LLVM uses `rbx` as a
//! base pointer, `rbp` as the frame pointer and `rsp` as the stack pointer.
//! Changing them breaks the code around the block.
//!
//! ### Example
//! ```ignore
//! asm!("cpuid", inout("eax") 0 => a, out("ecx") c, out("edx") d);
//! ```
//! Use instead:
//! ```ignore
//! asm!("mov {t:r}, rbx", "cpuid", "xchg {t:r}, rbx", t = out(reg) b, inout("eax") 0 => a, inout("ecx") 0 => c, out("edx") d);
//! ```
//!
//! ### Reference
//! `r[asm.register-names.not-for-io]`, `r[asm.rules.reg-not-output]`, `r[asm.rules.stack-below-sp]`

use super::{Cx, Rule};
use crate::dataflow::reserved;
use crate::diagnostics::Finding;
use crate::parse::MacroKind;
use crate::template::ast::Bitness;

pub(super) static RULE: Rule = Rule {
    name: "reserved_register_modified",
    summary: "`rbx`, `rbp` or `rsp` is changed and not restored",
    needs_full_reading: true,
    check,
};

// error: `cpuid` (line 1) overwrites `rbx`, which LLVM reserves, and the block does not restore it
fn check(cx: &Cx<'_>, findings: &mut Vec<Finding>) {
    if cx.kind != MacroKind::Asm {
        return;
    }
    let bitness = cx.reading.bitness;
    let exits = cx.exits();
    for &name in reserved(bitness) {
        if name == "rsp" {
            let unbalanced = exits
                .iter()
                .find(|(_, state)| state.stack_offset != Some(0));
            let Some((exit, state)) = unbalanced else {
                continue;
            };
            let mover = cx
                .steps()
                .find(|step| step.facts.writes_stack_pointer && !super::is_call(step))
                .unwrap_or_else(|| cx.step(*exit));
            let how = match state.stack_offset {
                Some(offset) => format!("moved by {offset} bytes"),
                None => "at an unknown place".to_owned(),
            };
            let sp = if bitness == Bitness::Bits64 {
                "rsp"
            } else {
                "esp"
            };
            findings.push(cx.piece_finding(
                &RULE,
                &mover,
                format!("the block can return with the stack pointer `{sp}` {how} (from {})", mover.quoted()),
                Vec::new(),
                "balance every `push` or `sub` of the stack pointer with a `pop` or `add` on every path".to_owned(),
            ));
            continue;
        }
        // A placeholder's representative is the operand's register, not the
        // reserved one of the same name.
        if cx.reading.placeholder_registers.values().any(|p| p == name) {
            continue;
        }
        let Some(family) = cx.states.id(name) else {
            continue;
        };
        if !exits.iter().any(|(_, state)| !state.holds_entry(family)) {
            continue;
        }
        let Some(writer) = cx.first_writer(family) else {
            continue;
        };
        let step = cx.step(writer);
        let spelled = match (bitness, name) {
            (Bitness::Bits32, "rsi") => "esi",
            (Bitness::Bits32, "rbp") => "ebp",
            _ => name,
        };
        let (role, help) = match name {
            "rbp" => (
                "the frame pointer",
                format!(
                    "save and restore it: `push {spelled}` before and `pop {spelled}` after (not under `nostack`)"
                ),
            ),
            _ => (
                "a register LLVM reserves",
                format!(
                    "save it in a scratch operand: `mov {{tmp:{m}}}, {spelled}` before and `xchg {{tmp:{m}}}, {spelled}` after, with `tmp = out(reg) _`",
                    m = if bitness == Bitness::Bits64 { "r" } else { "e" }
                ),
            ),
        };
        findings.push(cx.piece_finding(
            &RULE,
            &step,
            format!(
                "{} overwrites `{spelled}`, {role}, and the block does not restore it",
                step.quoted()
            ),
            vec![format!(
                "`{spelled}` cannot be declared as an output or clobber"
            )],
            help,
        ));
    }
}
