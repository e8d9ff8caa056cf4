//! System calls that do not come back: `exit` and `exit_group` end the
//! thread or process, so nothing after them (the rest of a `vfork` child's
//! path, say) runs. Recognised by the call number in `rax`: a literal (60 or
//! 231 on x86-64, 1 or 252 for `int 0x80`), or an operand whose text names
//! `exit` (`in("rax") SYS_exit_group`, `exit = const SYS_exit`).

use super::cfg::Node;
use super::state::canonical;
use crate::parse::{AsmArgs, Operand, OperandKind, RegSpec};
use crate::reading::Reading;
use crate::semantics::Flow;
use crate::template::ast::{Bitness, OperandAst, StatementBody};

/// Whether graph node `index` is an `exit`/`exit_group` system call.
pub(crate) fn exits_process(
    reading: &Reading,
    args: &AsmArgs,
    nodes: &[Node],
    index: usize,
) -> bool {
    let node = nodes[index];
    let read = &reading.statements[node.statement];
    let operands = match &read.statement.body {
        StatementBody::Instruction(instruction) => instruction.operands.as_slice(),
        _ => &[],
    };
    let legacy = match read.instructions[node.instruction].mnemonic {
        "syscall" => false,
        "sysenter" => true,
        "int" => matches!(operands.first(), Some(OperandAst::Imm(imm)) if imm.value == Some(0x80)),
        _ => return false,
    };
    let numbers: [i128; 2] = if legacy || read.statement.bitness != Bitness::Bits64 {
        [1, 252]
    } else {
        [60, 231]
    };
    let names_exit = |operand: usize| args.operands.get(operand).is_some_and(mentions_exit);
    // The last write of `rax` on the straight line before the call.
    let mut i = index;
    while i > 0 {
        if !reading.statements[nodes[i].statement]
            .statement
            .labels
            .is_empty()
        {
            break; // other paths join here
        }
        i -= 1;
        let prev = &reading.statements[nodes[i].statement];
        let facts = &prev.instructions[nodes[i].instruction];
        if facts.flow != Flow::Next {
            break;
        }
        if !facts
            .registers_written
            .iter()
            .any(|u| canonical(u.reg.family) == "rax")
        {
            continue;
        }
        let StatementBody::Instruction(instruction) = &prev.statement.body else {
            return false;
        };
        return match (facts.mnemonic, instruction.operands.get(1)) {
            ("mov", Some(OperandAst::Imm(imm))) => {
                imm.value.is_some_and(|v| numbers.contains(&v))
                    || imm.placeholder.is_some_and(|p| names_exit(p.operand))
            }
            _ => false,
        };
    }
    // Otherwise `rax` holds an operand.
    args.operands.iter().enumerate().any(|(index, operand)| {
        let OperandKind::Reg(reg) = &operand.kind else {
            return false;
        };
        if !matches!(reg.reg, RegSpec::Explicit(_)) {
            return false;
        }
        reg.direction.is_input()
            && canonical(&reg.reg_name) == "rax"
            && (names_exit(index)
                || reg.input.as_ref().is_some_and(|expr| {
                    let text = quote::ToTokens::to_token_stream(expr).to_string();
                    numbers
                        .iter()
                        .any(|n| text == n.to_string() || text.starts_with(&format!("{n}u")))
                }))
    })
}

/// Whether an operand's name or value names `exit` (`exit = const SYS_EXIT`,
/// `in("rax") libc::SYS_exit_group`). Only the parts that can say it are
/// turned into text: the whole operand's rendering is costly unoptimised.
fn mentions_exit(operand: &Operand) -> bool {
    let says_exit = |text: String| text.to_ascii_lowercase().contains("exit");
    let tokens = |expr: &dyn quote::ToTokens| says_exit(expr.to_token_stream().to_string());
    operand
        .name
        .as_ref()
        .is_some_and(|name| says_exit(name.to_string()))
        || match &operand.kind {
            OperandKind::Reg(reg) => reg.input.as_ref().is_some_and(|expr| tokens(expr)),
            OperandKind::Const(expr) => tokens(expr),
            OperandKind::Sym(expr) => tokens(expr),
            OperandKind::Label(_) => false,
        }
}
