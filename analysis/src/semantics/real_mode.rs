//! Real-mode (16-bit) statements: after `.code16`, or in a block that calls
//! BIOS services (`template::real_mode`).
//!
//! Real mode has the same instructions as 32-bit protected mode, with the
//! meaning of the operand-size prefix flipped: `push si` and `push esi` are
//! both there, one with a prefix in each mode. So a statement is matched as
//! 32-bit code, which settles every form whose size its operands decide.
//! What remains are the forms whose size is the mode's default, which LLVM
//! picks when the mnemonic names no size: `push 0x7a`, `pushf`, `pusha`,
//! `iret` move two bytes of stack in real mode, not four. Those are
//! swapped for their 16-bit twins here, so that the facts (above all the
//! stack effect) are real mode's.

use iced_x86::{Code, CodeSize, Instruction, OpKind};

use super::operands::resolve_reg;
use crate::template::ast::{InstructionAst, OperandAst, Syntax};

/// Mnemonics that name no operand size: in 16-bit code they take the
/// 16-bit form. `pushl`, `pushfd`, `retl` and the like keep their size.
/// `call`, `ret` and `retf` are not among them: LLVM's Intel parser
/// assembles those with a four-byte return address in 16-bit code too (as
/// the `code16` targets' functions expect: they return with `retl`), which
/// the oracle confirms; its AT&T parser does not (see `as_16_bit`).
const UNSIZED: &[&str] = &[
    "push", "pop", "pushf", "popf", "pusha", "popa", "iret", "enter", "leave",
];

/// Mnemonics whose unsized memory operand takes the mode's pointer width:
/// `push [bx]`, `call [bx]` move two bytes in real mode.
const POINTER_SIZED: &[&str] = &["push", "pop", "call", "jmp"];

/// `instr`, matched as 32-bit code for `ast`, as real mode runs it, and
/// whether an immediate had to be cut to 16 bits (as LLVM does, silently).
pub(super) fn as_16_bit(ast: &InstructionAst, instr: Instruction) -> (Instruction, bool) {
    let named = |names: &[&str]| {
        names
            .iter()
            .any(|name| ast.mnemonic.eq_ignore_ascii_case(name))
    };
    let mut truncated = false;
    let mut out = if named(UNSIZED) {
        twin(&instr, &mut truncated).unwrap_or(instr)
    } else if ast.syntax == Syntax::Att && named(&["call", "ret", "lret"]) {
        // LLVM's AT&T parser gives unsuffixed `call`, `ret` and `lret` the
        // mode's two-byte slots; its Intel parser keeps four for `call`,
        // `ret` and `retf` (both checked by the oracle).
        match instr.code() {
            Code::Call_rel32_32 => Instruction::with_branch(
                Code::Call_rel16,
                u64::from(instr.near_branch32() & 0xffff),
            )
            .unwrap_or(instr),
            Code::Retnd => Instruction::with(Code::Retnw),
            Code::Retnd_imm16 => {
                Instruction::with1(Code::Retnw_imm16, i32::from(instr.immediate16()))
                    .unwrap_or(instr)
            }
            Code::Retfd => Instruction::with(Code::Retfw),
            Code::Retfd_imm16 => {
                Instruction::with1(Code::Retfw_imm16, i32::from(instr.immediate16()))
                    .unwrap_or(instr)
            }
            _ => instr,
        }
    } else {
        instr
    };
    let unsized_memory = ast
        .operands
        .iter()
        .any(|op| matches!(op, OperandAst::Mem(memory) if memory.size.is_none()));
    if unsized_memory && named(POINTER_SIZED) {
        let narrow = match out.code() {
            Code::Push_rm32 => Some(Code::Push_rm16),
            Code::Pop_rm32 => Some(Code::Pop_rm16),
            Code::Call_rm32 => Some(Code::Call_rm16),
            Code::Jmp_rm32 => Some(Code::Jmp_rm16),
            _ => None,
        };
        if let Some(code) = narrow {
            out.set_code(code);
        }
    }
    // Implicit addresses are the mode's: `rep movsb` walks `si`/`di` and
    // counts in `cx`, `loop` counts in `cx`. (An explicit `[esi]` operand
    // asks for 32-bit addressing and keeps it.)
    if !ast
        .operands
        .iter()
        .any(|op| matches!(op, OperandAst::Mem(_)))
    {
        out = with_16_bit_addresses(out);
    }
    // `mov ax, ds` is emitted without an operand-size prefix: in 32-bit code
    // that is `mov eax, ds` (see `matcher::as_llvm_encodes`), in 16-bit
    // code the `ax` that was written.
    if out.code() == Code::Mov_r32m16_Sreg
        && out.op0_kind() == OpKind::Register
        && let [OperandAst::Reg(written), ..] = ast.operands.as_slice()
        && let Ok(reg) = resolve_reg(&written.name)
        && reg.is_gpr16()
    {
        out.set_code(Code::Mov_rm16_Sreg);
        out.set_op0_register(reg);
    }
    out.set_code_size(CodeSize::Code16);
    (out, truncated)
}

/// `instr` with its implicit string and counter operands at 16-bit address
/// size.
fn with_16_bit_addresses(mut instr: Instruction) -> Instruction {
    let counted = match instr.code() {
        Code::Loop_rel8_32_ECX => Some(Code::Loop_rel8_16_CX),
        Code::Loope_rel8_32_ECX => Some(Code::Loope_rel8_16_CX),
        Code::Loopne_rel8_32_ECX => Some(Code::Loopne_rel8_16_CX),
        _ => None,
    };
    if let Some(code) = counted {
        instr.set_code(code);
    }
    for operand in 0..instr.op_count() {
        let narrow = match instr.op_kind(operand) {
            OpKind::MemorySegESI => OpKind::MemorySegSI,
            OpKind::MemorySegEDI => OpKind::MemorySegDI,
            OpKind::MemoryESEDI => OpKind::MemoryESDI,
            _ => continue,
        };
        instr.set_op_kind(operand, narrow);
    }
    instr
}

/// The 16-bit form of a default-size 32-bit form, with the same operands;
/// `None` when there is none or the operands do not fit it.
fn twin(instr: &Instruction, truncated: &mut bool) -> Option<Instruction> {
    let plain = |code: Code| Some(Instruction::with(code));
    match instr.code() {
        Code::Pushd_imm8 => Instruction::with1(Code::Pushw_imm8, instr.immediate8to32()).ok(),
        Code::Pushd_imm32 => {
            // A value wider than 16 bits is cut, as LLVM does for `pushw`.
            let value = instr.immediate32();
            *truncated = !(i32::from(i16::MIN)..=i32::from(u16::MAX)).contains(&(value as i32));
            // As a 16-bit value it may fit the sign-extended byte form
            // (`push 0xffff` is `6a ff`), which LLVM then prefers.
            let word = value as u16 as i16;
            match i8::try_from(word) {
                Ok(byte) => Instruction::with1(Code::Pushw_imm8, i32::from(byte)).ok(),
                Err(_) => Instruction::with1(Code::Push_imm16, i32::from(word as u16)).ok(),
            }
        }
        Code::Pushfd => plain(Code::Pushfw),
        Code::Popfd => plain(Code::Popfw),
        Code::Pushad => plain(Code::Pushaw),
        Code::Popad => plain(Code::Popaw),
        Code::Leaved => plain(Code::Leavew),
        Code::Iretd => plain(Code::Iretw),
        Code::Enterd_imm16_imm8 => Instruction::with2(
            Code::Enterw_imm16_imm8,
            i32::from(instr.immediate16()),
            i32::from(instr.immediate8_2nd()),
        )
        .ok(),
        Code::Pushd_ES => plain(Code::Pushw_ES),
        Code::Pushd_CS => plain(Code::Pushw_CS),
        Code::Pushd_SS => plain(Code::Pushw_SS),
        Code::Pushd_DS => plain(Code::Pushw_DS),
        Code::Pushd_FS => plain(Code::Pushw_FS),
        Code::Pushd_GS => plain(Code::Pushw_GS),
        Code::Popd_ES => plain(Code::Popw_ES),
        Code::Popd_SS => plain(Code::Popw_SS),
        Code::Popd_DS => plain(Code::Popw_DS),
        Code::Popd_FS => plain(Code::Popw_FS),
        Code::Popd_GS => plain(Code::Popw_GS),
        _ => None,
    }
}
