//! Statements where we follow what LLVM emits rather than what the text
//! literally says, each found by the LLVM oracle over the shared corpus
//! (`tests/oracle.rs`): shorthand forms, prefixes on any instruction, far
//! branches and returns, and absolute addresses beyond 32 bits.

use super::tests::{e64, imm, ins, label, m64, mem, mem_full, r, reg};
use super::*;
use crate::template::ast::{Immediate, MemoryAst, OperandAst, Prefix, Syntax, Target};

/// Matches or panics, any syntax and mode.
fn m(
    syntax: Syntax,
    bits: Bitness,
    mn: &str,
    prefixes: Vec<Prefix>,
    ops: Vec<OperandAst>,
) -> Matched {
    let mut a = ins(syntax, mn, ops);
    a.prefixes = prefixes;
    match match_instruction(&a, bits) {
        Ok(x) => x,
        Err(e) => panic!("{mn}: {e} {:?}", e.notes),
    }
}

/// The error, any syntax and mode.
fn e(syntax: Syntax, bits: Bitness, mn: &str, ops: Vec<OperandAst>) -> MatchError {
    match match_instruction(&ins(syntax, mn, ops), bits) {
        Ok(x) => panic!("{mn}: unexpectedly matched {}", x.code_name()),
        Err(e) => e,
    }
}

/// An immediate naming a symbol (AT&T `$startup`).
fn imm_sym(name: &str) -> OperandAst {
    OperandAst::Imm(Immediate {
        value: None,
        placeholder: None,
        symbol: Some(name.into()),
    })
}

#[test]
fn imul_two_operands_with_immediate() {
    let x = m64("imul", vec![reg("r10"), imm(0)]);
    assert_eq!(x.code_name(), "Imul_r64_rm64_imm8");
    assert_eq!(x.immediates(), vec![0]);
    assert!(
        x.facts
            .registers_written
            .iter()
            .any(|u| u.reg.name == "r10")
    );
    assert!(x.facts.registers_read.iter().any(|u| u.reg.name == "r10"));
    // AT&T `imul $1000, %eax`, operands already in Intel order.
    let x = m(
        Syntax::Att,
        Bitness::Bits64,
        "imul",
        vec![],
        vec![reg("eax"), imm(1000)],
    );
    assert_eq!(x.code_name(), "Imul_r32_rm32_imm32");
    // The two-operand register/memory form is unchanged.
    assert_eq!(
        m64("imul", vec![reg("rax"), mem("rdi", 0, Some(8))]).code_name(),
        "Imul_r64_rm64"
    );
}

#[test]
fn int_3_is_int3() {
    let x = m64("int", vec![imm(3)]);
    assert_eq!(x.facts.mnemonic, "int3");
    assert_eq!(x.facts.flow, Flow::Interrupt);
    assert_eq!(x.encoded_len(), 1);
    let x = m(Syntax::Att, Bitness::Bits32, "int", vec![], vec![imm(3)]);
    assert_eq!(x.facts.mnemonic, "int3");
    // Any other vector stays `int imm8`.
    let x = m64("int", vec![imm(0x80)]);
    assert_eq!(x.facts.mnemonic, "int");
    assert_eq!(x.facts.flow, Flow::SyscallLike);
}

#[test]
fn xchg_register_then_memory() {
    // AT&T `lock xchgb 0(%rsi), %al` is Intel `xchg al, byte ptr [rsi]`.
    let x = m(
        Syntax::Att,
        Bitness::Bits64,
        "xchgb",
        vec![Prefix::Lock],
        vec![reg("al"), mem("rsi", 0, None)],
    );
    assert_eq!(x.code_name(), "Xchg_rm8_r8");
    assert!(x.facts.lock);
    let mu = &x.facts.memory[0];
    assert_eq!(mu.access, MemAccess::ReadWrite);
    assert_eq!(
        mu.operand,
        Some(1),
        "the memory operand is the second as written"
    );
    let x = m64("xchg", vec![reg("rax"), mem("rdi", 8, Some(8))]);
    assert_eq!(x.code_name(), "Xchg_rm64_r64");
}

#[test]
fn shadow_stack_without_size_letter() {
    let x = m(
        Syntax::Att,
        Bitness::Bits64,
        "rdssp",
        vec![],
        vec![reg("rax")],
    );
    assert_eq!(x.facts.mnemonic, "rdsspq");
    let x = m(
        Syntax::Att,
        Bitness::Bits64,
        "incssp",
        vec![],
        vec![reg("rax")],
    );
    assert_eq!(x.facts.mnemonic, "incsspq");
    let x = m(
        Syntax::Att,
        Bitness::Bits32,
        "rdssp",
        vec![],
        vec![reg("eax")],
    );
    assert_eq!(x.facts.mnemonic, "rdsspd");
    assert_eq!(m64("rdsspq", vec![reg("rax")]).facts.mnemonic, "rdsspq");
}

#[test]
fn far_returns() {
    let b64 = Bitness::Bits64;
    // 64-bit mode: `retf`/`lret`/`lretl` pop 4 + 4 bytes, `retfq`/`lretq` 8 + 8.
    for (syntax, name, code, delta) in [
        (Syntax::Intel, "retf", "Retfd", 8),
        (Syntax::Intel, "retfq", "Retfq", 16),
        (Syntax::Att, "lret", "Retfd", 8),
        (Syntax::Att, "lretl", "Retfd", 8),
        (Syntax::Att, "lretq", "Retfq", 16),
        (Syntax::Att, "lretw", "Retfw", 4),
    ] {
        let x = m(syntax, b64, name, vec![], vec![]);
        assert_eq!(x.code_name(), code, "{name}");
        assert_eq!(x.facts.flow, Flow::Return, "{name}");
        assert_eq!(x.facts.stack_delta, Some(delta), "{name}");
    }
    let x = m(Syntax::Att, b64, "lret", vec![], vec![imm(8)]);
    assert_eq!(x.code_name(), "Retfd_imm16");
    assert_eq!(
        m(Syntax::Intel, Bitness::Bits32, "retf", vec![], vec![]).code_name(),
        "Retfd"
    );
}

#[test]
fn far_jumps_and_calls() {
    let b32 = Bitness::Bits32;
    // Intel `ljmp 0, 0x8040` (32-bit mode): selector first, as in AT&T.
    let x = m(
        Syntax::Intel,
        b32,
        "ljmp",
        vec![],
        vec![imm(0), imm(0x8040)],
    );
    assert_eq!(x.code_name(), "Jmp_ptr1632");
    assert_eq!(x.facts.flow, Flow::Jump);
    // AT&T `ljmpl $8, $startup_ap`: the reader reversed the operands.
    let x = m(
        Syntax::Att,
        b32,
        "ljmpl",
        vec![],
        vec![imm_sym("startup_ap"), imm(8)],
    );
    assert_eq!(x.code_name(), "Jmp_ptr1632");
    let x = m(
        Syntax::Att,
        b32,
        "ljmp",
        vec![],
        vec![label("2", true), imm(8)],
    );
    assert_eq!(x.code_name(), "Jmp_ptr1632");
    let x = m(
        Syntax::Att,
        b32,
        "lcall",
        vec![],
        vec![imm(0x1000), imm(0x10)],
    );
    assert_eq!(x.code_name(), "Call_ptr1632");
    assert_eq!(x.facts.flow, Flow::Call);
    // A selector is 16 bits.
    let err = e(Syntax::Intel, b32, "ljmp", vec![imm(0x10000), imm(0)]);
    assert_eq!(err.kind, MatchErrorKind::ImmediateOutOfRange);
    // No direct far branch in 64-bit mode.
    e(
        Syntax::Att,
        Bitness::Bits64,
        "ljmp",
        vec![imm(0x1000), imm(8)],
    );
    // Indirect far branches through memory, both modes.
    let x = m(
        Syntax::Att,
        Bitness::Bits64,
        "ljmp",
        vec![],
        vec![mem("rax", 0, None)],
    );
    assert_eq!(x.code_name(), "Jmp_m1632");
    assert_eq!(x.facts.flow, Flow::IndirectJump);
    assert_eq!(x.facts.memory[0].size, Some(6));
    let x = m(
        Syntax::Att,
        Bitness::Bits64,
        "ljmpq",
        vec![],
        vec![mem("rax", 0, None)],
    );
    assert_eq!(x.code_name(), "Jmp_m1664");
    // Intel `ljmp [rax]` in 64-bit mode: LLVM emits REX.W, `m16:64`.
    assert_eq!(
        m64("ljmp", vec![mem("rax", 0, None)]).code_name(),
        "Jmp_m1664"
    );
    e64("ljmp", vec![mem("rax", 0, Some(6))]);
    assert_eq!(
        m64("lcall", vec![mem("rax", 0, None)]).code_name(),
        "Call_m1632"
    );
    let x = m(Syntax::Att, b32, "lcall", vec![], vec![mem("eax", 0, None)]);
    assert_eq!(x.code_name(), "Call_m1632");
    assert_eq!(x.facts.flow, Flow::IndirectCall);
    // Plain `jmp` never becomes a far jump.
    assert_eq!(
        m64("jmp", vec![mem("rax", 0, None)]).code_name(),
        "Jmp_rm64"
    );
    assert_eq!(m64("jmp", vec![label("2", true)]).facts.flow, Flow::Jump);
}

#[test]
fn descriptor_tables_and_32_bit_system_code() {
    let b32 = Bitness::Bits32;
    let x = m(Syntax::Att, b32, "lgdtl", vec![], vec![mem("eax", 0, None)]);
    assert_eq!(x.code_name(), "Lgdt_m1632");
    let x = m(Syntax::Att, b32, "lidtl", vec![], vec![mem("eax", 0, None)]);
    assert_eq!(x.code_name(), "Lidt_m1632");
    // `lgdtl` is not valid in 64-bit mode (LLVM: "requires: Not 64-bit mode").
    e(
        Syntax::Att,
        Bitness::Bits64,
        "lgdtl",
        vec![mem("rax", 0, None)],
    );
    let x = m(
        Syntax::Att,
        b32,
        "movl",
        vec![],
        vec![reg("eax"), reg("cr0")],
    );
    assert_eq!(x.code_name(), "Mov_r32_cr");
    let x = m(
        Syntax::Intel,
        b32,
        "mov",
        vec![],
        vec![reg("cr0"), reg("eax")],
    );
    assert_eq!(x.code_name(), "Mov_cr_r32");
    let x = m(Syntax::Intel, b32, "push", vec![], vec![reg("ebx")]);
    assert_eq!(x.facts.stack_delta, Some(-4));
    // AT&T `push %es` is a 32-bit push; Intel `push es` is `pushw` in LLVM
    // 22, in both modes.
    assert_eq!(m64("push", vec![reg("fs")]).code_name(), "Pushw_FS");
    assert_eq!(m64("pop", vec![reg("gs")]).code_name(), "Popw_GS");
    let x = m(
        Syntax::Att,
        Bitness::Bits64,
        "push",
        vec![],
        vec![reg("fs")],
    );
    assert_eq!(x.code_name(), "Pushq_FS");
    let x = m(Syntax::Att, b32, "push", vec![], vec![reg("es")]);
    assert_eq!(x.facts.stack_delta, Some(-4));
    let x = m(Syntax::Intel, b32, "push", vec![], vec![reg("es")]);
    assert_eq!(x.facts.stack_delta, Some(-2));
}

#[test]
fn rep_on_any_instruction() {
    let rep = vec![Prefix::Rep];
    // `F3 0F 01 D9` is `vmgexit`, not `vmmcall`.
    let x = m(
        Syntax::Intel,
        Bitness::Bits64,
        "vmmcall",
        rep.clone(),
        vec![],
    );
    assert_eq!(x.facts.mnemonic, "vmgexit");
    assert_eq!(x.code_name(), "Vmgexit");
    assert_eq!(x.encoded_len(), 4);
    let x = m(
        Syntax::Intel,
        Bitness::Bits64,
        "vmmcall",
        vec![Prefix::Repne],
        vec![],
    );
    assert_eq!(x.facts.mnemonic, "vmgexit");
    // `rep nop` is `pause`.
    let x = m(Syntax::Intel, Bitness::Bits64, "nop", rep.clone(), vec![]);
    assert_eq!(x.facts.mnemonic, "pause");
    // `F3 0F 01 FD` is AMD's `rmpquery`, not `rdpru`.
    let x = m(Syntax::Intel, Bitness::Bits64, "rdpru", rep.clone(), vec![]);
    assert_eq!(x.facts.mnemonic, "rmpquery");
    // `rep ret` stays `ret`; `rep add` stays `add`.
    let x = m(Syntax::Intel, Bitness::Bits64, "ret", rep.clone(), vec![]);
    assert_eq!(x.facts.flow, Flow::Return);
    let x = m(
        Syntax::Intel,
        Bitness::Bits64,
        "add",
        rep.clone(),
        vec![mem("rdi", 8, Some(8)), reg("rax")],
    );
    assert_eq!(x.facts.mnemonic, "add");
    assert_eq!(x.facts.memory[0].operand, Some(0));
    // String instructions keep their real `rep`.
    let x = m(Syntax::Intel, Bitness::Bits64, "movsb", rep, vec![]);
    assert!(x.facts.memory.iter().all(|u| u.size.is_none()));
    // A prefix that makes the bytes invalid (`F3` before VEX) is an error.
    let mut a = ins(
        Syntax::Intel,
        "vaddps",
        vec![reg("xmm0"), reg("xmm1"), reg("xmm2")],
    );
    a.prefixes = vec![Prefix::Rep];
    assert!(match_instruction(&a, Bitness::Bits64).is_err());
}

/// `[addr]` with no registers.
fn absolute(addr: i128, size: Option<u16>) -> OperandAst {
    mem_full(MemoryAst {
        size,
        scale: 1,
        displacement: addr,
        ..MemoryAst::default()
    })
}

#[test]
fn absolute_addresses_beyond_32_bits() {
    // `mov eax, dword ptr [0xffe02000]`: LLVM uses `A1` with a 64-bit address.
    let x = m64("mov", vec![reg("eax"), absolute(0xffe0_2000, Some(4))]);
    assert_eq!(x.code_name(), "Mov_EAX_moffs32");
    assert_eq!(x.facts.memory[0].access, MemAccess::Read);
    let x = m64("mov", vec![absolute(0x1_ffe0_2000, Some(8)), reg("rax")]);
    assert_eq!(x.code_name(), "Mov_moffs64_RAX");
    // Other registers: LLVM keeps the ModRM form with the low 32 bits,
    // which the processor sign-extends.
    let x = m64("mov", vec![reg("ebx"), absolute(0xffe0_2000, Some(4))]);
    assert_eq!(x.code_name(), "Mov_r32_rm32");
    // Inside the signed 32-bit range nothing changes.
    let x = m64("mov", vec![reg("eax"), absolute(0x1000, Some(4))]);
    assert_eq!(x.code_name(), "Mov_r32_rm32");
    // With a 64-bit base register it is an error, as in LLVM.
    let mut big = MemoryAst {
        size: Some(4),
        base: Some(r("rax")),
        scale: 1,
        displacement: 0xffe0_2000,
        ..MemoryAst::default()
    };
    e64("mov", vec![reg("ebx"), mem_full(big.clone())]);
    // A 32-bit base wraps at 4 GiB: fine.
    big.base = Some(r("eax"));
    m64("mov", vec![reg("ebx"), mem_full(big)]);
    // 32-bit mode: a plain 32-bit address.
    let x = m(
        Syntax::Intel,
        Bitness::Bits32,
        "mov",
        vec![],
        vec![reg("ebx"), absolute(0xffe0_2000, Some(4))],
    );
    assert_eq!(x.code_name(), "Mov_r32_rm32");
}

#[test]
fn targets_are_not_far() {
    // A named target for `call` stays a near call in both modes.
    let t = OperandAst::Target(Target::Symbol {
        name: "foo".into(),
        placeholder: None,
    });
    assert_eq!(m64("call", vec![t.clone()]).facts.flow, Flow::Call);
    let x = m(Syntax::Att, Bitness::Bits32, "call", vec![], vec![t]);
    assert_eq!(x.code_name(), "Call_rel32_32");
}
