//! Blocks that run in real mode without saying so.
//!
//! A boot sector or a BIOS-calling bootloader stage is built for a 16-bit
//! target (an `i386-…-code16` target specification, whose `target_arch` is
//! `x86`): the assembler is in 16-bit mode from the start, and the template
//! has no `.code16` to tell us. Read as 32-bit code, `push 'z'` … `pop si`
//! would move the stack by four bytes and back by two, a false alarm.
//!
//! The block says it anyway: it calls BIOS services (`int 0x10` video,
//! `int 0x13` disk, `int 0x15` system, `int 0x16` keyboard, …), which exist
//! only in real mode. In protected mode those vectors are processor
//! exceptions that no code raises with `int`. So, on an x86 target, the
//! statements of such a block up to its first `.code*` directive are read
//! as 16-bit code. On x86-64 nothing changes: a 64-bit target assembles
//! the block as 64-bit code, and that is what it must be checked as.

use super::ast::{Bitness, DirectiveKind, OperandAst, Statement, StatementBody};

/// The BIOS service interrupts (`int 0x10` video to `int 0x1a` clock).
const BIOS_SERVICES: std::ops::RangeInclusive<i128> = 0x10..=0x1a;

/// Marks the leading statements of a BIOS-calling x86 block as 16-bit;
/// whether it did.
pub(super) fn infer(statements: &mut [Statement], bitness: Bitness) -> bool {
    if bitness != Bitness::Bits32 {
        return false;
    }
    // A `.code*` directive says what the rest is; it is itself in the mode
    // before it.
    let leading = statements
        .iter()
        .position(|statement| {
            matches!(&statement.body, StatementBody::Directive(d)
                if matches!(d.kind, DirectiveKind::CodeMode(_)))
        })
        .map_or(statements.len(), |switch| switch + 1);
    let leading = &mut statements[..leading];
    if !leading.iter().any(calls_bios) {
        return false;
    }
    for statement in leading {
        statement.bitness = Bitness::Bits16;
    }
    true
}

/// Whether `statement` is `int` with a BIOS service number.
fn calls_bios(statement: &Statement) -> bool {
    let StatementBody::Instruction(instruction) = &statement.body else {
        return false;
    };
    instruction.mnemonic.eq_ignore_ascii_case("int")
        && matches!(instruction.operands.as_slice(),
            [OperandAst::Imm(imm)] if imm.value.is_some_and(|v| BIOS_SERVICES.contains(&v)))
}
