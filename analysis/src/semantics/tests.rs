//! Matching and facts for Intel syntax, 64- and 32-bit mode.

use super::*;
use crate::template::ast::{
    Decorators, Immediate, MemoryAst, OperandAst, Prefix, RegOperandAst, SegmentReg, Syntax, Target,
};

/// A register operand.
pub(super) fn reg(name: &str) -> OperandAst {
    OperandAst::Reg(RegOperandAst {
        name: name.into(),
        decorators: Decorators::default(),
        placeholder: None,
    })
}

/// A register operand with decorators.
pub(super) fn reg_dec(name: &str, mask: &str, zeroing: bool) -> OperandAst {
    OperandAst::Reg(RegOperandAst {
        name: name.into(),
        decorators: Decorators {
            mask: Some(mask.into()),
            zeroing,
            ..Decorators::default()
        },
        placeholder: None,
    })
}

/// An immediate.
pub(super) fn imm(v: i128) -> OperandAst {
    OperandAst::Imm(Immediate {
        value: Some(v),
        placeholder: None,
        symbol: None,
    })
}

/// An unknown immediate (`const` operand).
pub(super) fn imm_unknown() -> OperandAst {
    OperandAst::Imm(Immediate {
        value: None,
        placeholder: None,
        symbol: None,
    })
}

/// A memory operand `[base + disp]` with an optional size.
pub(super) fn mem(base: &str, disp: i128, size: Option<u16>) -> OperandAst {
    OperandAst::Mem(Box::new(MemoryAst {
        size,
        base: (!base.is_empty()).then(|| RegOperandAst {
            name: base.into(),
            decorators: Decorators::default(),
            placeholder: None,
        }),
        scale: 1,
        displacement: disp,
        ..MemoryAst::default()
    }))
}

/// A memory operand with everything.
pub(super) fn mem_full(m: MemoryAst) -> OperandAst {
    OperandAst::Mem(Box::new(m))
}

/// A register operand as used inside memory operands.
pub(super) fn r(name: &str) -> RegOperandAst {
    RegOperandAst {
        name: name.into(),
        decorators: Decorators::default(),
        placeholder: None,
    }
}

/// A local label target.
pub(super) fn label(n: &str, forward: bool) -> OperandAst {
    OperandAst::Target(Target::Local {
        number: n.into(),
        forward,
    })
}

/// An instruction.
pub(super) fn ins(syntax: Syntax, m: &str, ops: Vec<OperandAst>) -> InstructionAst {
    InstructionAst {
        syntax,
        prefixes: vec![],
        mnemonic: m.into(),
        operands: ops,
    }
}

/// Intel, 64-bit: match or panic with the error.
pub(super) fn m64(m: &str, ops: Vec<OperandAst>) -> Matched {
    match match_instruction(&ins(Syntax::Intel, m, ops), Bitness::Bits64) {
        Ok(x) => x,
        Err(e) => panic!("{m}: {e} {:?}", e.notes),
    }
}

/// Intel, 64-bit: the error.
pub(super) fn e64(m: &str, ops: Vec<OperandAst>) -> MatchError {
    match match_instruction(&ins(Syntax::Intel, m, ops), Bitness::Bits64) {
        Ok(x) => panic!("{m}: unexpectedly matched {}", x.code_name()),
        Err(e) => e,
    }
}

/// Families read (sorted names as used).
pub(super) fn read(x: &Matched) -> Vec<&'static str> {
    x.facts.registers_read.iter().map(|u| u.reg.name).collect()
}

/// Registers written (names as reported).
pub(super) fn written(x: &Matched) -> Vec<&'static str> {
    x.facts
        .registers_written
        .iter()
        .map(|u| u.reg.name)
        .collect()
}

#[test]
fn notes_table_mov_store() {
    let x = m64("mov", vec![mem("rdi", 8, Some(8)), reg("rax")]);
    assert_eq!(x.code_name(), "Mov_rm64_r64");
    assert_eq!(read(&x), ["rdi", "rax"]);
    assert!(written(&x).is_empty());
    assert_eq!(x.facts.memory.len(), 1);
    let m = &x.facts.memory[0];
    assert_eq!(
        (m.access, m.explicit, m.operand, m.size),
        (MemAccess::Write, true, Some(0), Some(8))
    );
    assert!(!m.stack);
}

#[test]
fn notes_table_imul_popcnt_cpuid() {
    let x = m64("imul", vec![reg("r10"), reg("r10"), imm(3)]);
    assert_eq!(x.code_name(), "Imul_r64_rm64_imm8");
    assert!(x.facts.flags_written.contains(FlagSet::STATUS));
    let x = m64("popcnt", vec![reg("rax"), reg("rbx")]);
    assert_eq!(x.code_name(), "Popcnt_r64_rm64");
    let x = m64("cpuid", vec![]);
    assert!(x.facts.writes_family("rbx"));
    assert!(x.facts.side_effects.contains(SideEffects::NONDETERMINISTIC));
    assert!(x.facts.side_effects.contains(SideEffects::SERIALIZING));
    let ecx = x
        .facts
        .registers_read
        .iter()
        .find(|u| u.reg.name == "ecx")
        .unwrap();
    assert!(ecx.conditional);
}

#[test]
fn notes_table_lock_cmpxchg_rep_movsb() {
    let mut a = ins(
        Syntax::Intel,
        "cmpxchg",
        vec![mem("rsi", 0, None), reg("rcx")],
    );
    a.prefixes.push(Prefix::Lock);
    let x = match_instruction(&a, Bitness::Bits64).unwrap();
    assert_eq!(x.code_name(), "Cmpxchg_rm64_r64");
    assert!(x.facts.lock);
    assert!(x.facts.side_effects.contains(SideEffects::MEMORY_FENCE));
    assert_eq!(x.facts.memory[0].access, MemAccess::ReadWrite);
    assert!(x.facts.memory[0].conditional);
    let mut a = ins(Syntax::Intel, "movsb", vec![]);
    a.prefixes.push(Prefix::Rep);
    let x = match_instruction(&a, Bitness::Bits64).unwrap();
    assert_eq!(x.code_name(), "Movsb_m8_m8");
    assert!(x.facts.flags_read.contains(FlagSet::DF));
    assert!(
        x.facts
            .memory
            .iter()
            .all(|m| m.conditional && !m.explicit && m.size.is_none())
    );
    assert!(x.facts.writes_family("rcx"));
}

#[test]
fn notes_table_stack() {
    let x = m64("push", vec![reg("rbx")]);
    assert_eq!(x.facts.stack_delta, Some(-8));
    assert!(x.facts.writes_stack_pointer);
    assert!(x.facts.memory[0].stack && !x.facts.memory[0].explicit);
    let x = m64("call", vec![mem("rax", 0, None)]);
    assert_eq!(x.code_name(), "Call_rm64");
    assert_eq!(x.facts.flow, Flow::IndirectCall);
    assert_eq!(x.facts.stack_delta, Some(-8));
    let x = m64("leave", vec![]);
    assert_eq!(x.facts.stack_delta, None);
    assert!(x.facts.writes_stack_pointer);
    let x = m64("ret", vec![imm(8)]);
    assert_eq!(x.facts.stack_delta, Some(16));
    assert_eq!(x.facts.flow, Flow::Return);
    let x = m64("add", vec![reg("rsp"), imm(8)]);
    assert_eq!(x.facts.stack_delta, Some(8));
    let x = m64("sub", vec![reg("rsp"), imm(0x100)]);
    assert_eq!(x.facts.stack_delta, Some(-0x100));
    let x = m64("mov", vec![reg("rsp"), reg("rbp")]);
    assert_eq!(x.facts.stack_delta, None);
    assert!(x.facts.writes_stack_pointer);
    let x = m64("push", vec![mem("rax", 0, None)]);
    assert_eq!(x.code_name(), "Push_rm64");
    let x = m64("pop", vec![mem("rax", 0, None)]);
    assert_eq!(x.code_name(), "Pop_rm64");
    let x = m64("jmp", vec![mem("rax", 0, None)]);
    assert_eq!(x.code_name(), "Jmp_rm64");
}

#[test]
fn notes_table_fences_xchg_shifts() {
    let x = m64("mfence", vec![]);
    assert!(x.facts.memory.is_empty());
    assert!(x.facts.side_effects.contains(SideEffects::MEMORY_FENCE));
    let x = m64("xchg", vec![reg("rbx"), reg("rsi")]);
    assert!(!x.facts.lock);
    let x = m64("xchg", vec![mem("rdi", 0, None), reg("rax")]);
    assert!(x.facts.lock);
    assert_eq!(x.facts.memory[0].access, MemAccess::ReadWrite);
    let x = m64("shl", vec![reg("eax"), reg("cl")]);
    assert_eq!(x.code_name(), "Shl_rm32_CL");
    assert_eq!(written(&x), ["rax"]);
    let x = m64("shl", vec![reg("eax")]);
    assert_eq!(x.code_name(), "Shl_rm32_1");
    let x = m64("sal", vec![reg("eax"), imm(3)]);
    assert_eq!(x.code_name(), "Shl_rm32_imm8");
}

#[test]
fn notes_table_vector_and_zero_idioms() {
    let x = m64("vzeroupper", vec![]);
    assert_eq!(x.facts.registers_written.len(), 16);
    assert_eq!(x.facts.registers_written[0].reg.family, "zmm0");
    let x = m64("xor", vec![reg("eax"), reg("eax")]);
    assert!(x.facts.registers_read.is_empty());
    let x = m64("vpxor", vec![reg("xmm0"), reg("xmm0"), reg("xmm0")]);
    assert_eq!(x.code_name(), "VEX_Vpxor_xmm_xmm_xmmm128");
    assert_eq!(written(&x), ["zmm0"]);
    let x = m64("pxor", vec![reg("xmm0"), reg("xmm1")]);
    assert_eq!(written(&x), ["xmm0"]);
    assert!(!x.facts.registers_written[0].reg.is_full());
    let x = m64("vaddps", vec![reg("ymm0"), reg("ymm1"), reg("ymm2")]);
    assert_eq!(x.code_name(), "VEX_Vaddps_ymm_ymm_ymmm256");
    assert!(x.facts.mxcsr_status_written);
    let x = m64(
        "vaddps",
        vec![reg_dec("zmm0", "k1", true), reg("zmm1"), reg("zmm2")],
    );
    assert_eq!(x.code_name(), "EVEX_Vaddps_zmm_k1z_zmm_zmmm512b32_er");
    assert!(x.facts.reads_family("k1"));
}

#[test]
fn notes_table_misc() {
    let x = m64(
        "mov",
        vec![
            reg("eax"),
            mem_full(MemoryAst {
                size: Some(4),
                segment: Some(SegmentReg::Fs),
                scale: 1,
                displacement: 0x10,
                ..MemoryAst::default()
            }),
        ],
    );
    assert_eq!(x.code_name(), "Mov_r32_rm32");
    assert!(x.facts.reads_family("fs"));
    let x = m64("lea", vec![reg("rax"), mem("rip", 0x10, None)]);
    assert!(x.facts.memory.is_empty());
    let x = m64("mov", vec![reg("rax"), mem("rip", 0x10, Some(8))]);
    assert!(x.facts.memory[0].rip_relative);
    let x = m64("mul", vec![reg("rcx")]);
    assert!(x.facts.writes_family("rdx"));
    let x = m64("div", vec![reg("rcx")]);
    assert!(x.facts.flags_undefined.contains(FlagSet::STATUS));
    let x = m64("syscall", vec![]);
    assert_eq!(x.facts.flow, Flow::SyscallLike);
    assert!(x.facts.writes_family("r11"));
}

#[test]
fn notes_table_misc2() {
    let x = m64("xlatb", vec![]);
    assert_eq!(x.code_name(), "Xlat_m8");
    assert_eq!(read(&x).iter().filter(|n| **n == "al").count(), 1);
    let x = m64("xlat", vec![]);
    assert_eq!(x.code_name(), "Xlat_m8");
    let x = m64("mov", vec![reg("ah"), reg("bl")]);
    let ah = x.facts.registers_written[0].reg;
    assert_eq!((ah.family, ah.width, ah.offset), ("rax", 8, 8));
    let x = m64("sub", vec![reg("ecx"), reg("ecx")]);
    assert!(x.facts.registers_read.is_empty());
    let x = m64("sbb", vec![reg("eax"), reg("eax")]);
    assert!(x.facts.flags_read.contains(FlagSet::CF));
    let x = m64("jnz", vec![label("2", true)]);
    assert_eq!(x.code_name(), "Jne_rel8_64");
    assert_eq!(x.facts.flow, Flow::ConditionalJump);
    assert!(x.has_direct_target());
    let x = m64("ldmxcsr", vec![mem("rsp", 0, Some(4))]);
    assert!(x.facts.side_effects.contains(SideEffects::FPU_CONTROL));
    assert!(x.facts.mxcsr_status_written);
    assert!(x.facts.memory[0].stack);
    let x = m64("fld", vec![mem("rax", 0, Some(8))]);
    assert_eq!(x.code_name(), "Fld_m64fp");
    assert_eq!(x.facts.x87_stack_delta, 1);
    assert!(x.facts.x87_status_written);
    let x = m64("fstp", vec![mem("rax", 0, Some(10))]);
    assert_eq!(x.facts.x87_stack_delta, -1);
}

#[test]
fn ambiguous_memory_sizes() {
    let e = e64("add", vec![mem("rdi", 0, None), imm(1)]);
    assert_eq!(e.kind, MatchErrorKind::Ambiguous);
    assert_eq!(
        e.message,
        "`add` with these operands is ambiguous: the memory operand needs a size such as `dword ptr`"
    );
    for (m, ops) in [
        ("movzx", vec![reg("eax"), mem("rdi", 0, None)]),
        ("inc", vec![mem("rax", 0, None)]),
        ("mov", vec![mem("rdi", 0, None), imm(1)]),
        ("test", vec![mem("rdi", 0, None), imm(1)]),
        ("fld", vec![mem("rax", 0, None)]),
        ("cvtsi2sd", vec![reg("xmm0"), mem("rax", 0, None)]),
    ] {
        assert_eq!(e64(m, ops).kind, MatchErrorKind::Ambiguous, "{m}");
    }
    // A register disambiguates.
    assert_eq!(
        m64("add", vec![mem("rdi", 0, None), reg("eax")]).code_name(),
        "Add_rm32_r32"
    );
}

#[test]
fn immediates_and_forms() {
    assert_eq!(m64("push", vec![imm(0x1000)]).code_name(), "Pushq_imm32");
    assert_eq!(m64("push", vec![imm(1)]).code_name(), "Pushq_imm8");
    assert_eq!(m64("pushf", vec![]).code_name(), "Pushfq");
    assert_eq!(m64("popf", vec![]).code_name(), "Popfq");
    assert_eq!(
        m64("mov", vec![reg("rax"), imm(0xffff_ffff)]).code_name(),
        "Mov_r64_imm64"
    );
    assert_eq!(
        m64("mov", vec![reg("rax"), imm(-1)]).code_name(),
        "Mov_rm64_imm32"
    );
    assert_eq!(
        m64("add", vec![reg("eax"), imm(0xffff_ffff)]).code_name(),
        "Add_rm32_imm8"
    );
    assert_eq!(
        m64("add", vec![reg("rax"), imm(1)]).code_name(),
        "Add_rm64_imm8"
    );
    let x = m64("add", vec![mem("rdi", 0, Some(1)), imm(300)]);
    assert!(x.immediate_truncated());
    assert_eq!(x.immediates(), vec![44]);
    let e = e64("add", vec![reg("rax"), imm(0x1_0000_0000)]);
    assert_eq!(e.kind, MatchErrorKind::ImmediateOutOfRange);
    let x = m64("mov", vec![reg("rax"), imm_unknown()]);
    assert!(x.has_symbolic_immediate());
    assert_eq!(x.code_name(), "Mov_r64_imm64");
    let x = m64("add", vec![reg("eax"), imm_unknown()]);
    assert_eq!(x.code_name(), "Add_EAX_imm32");
    let x = m64("enter", vec![imm(16), imm(0)]);
    assert_eq!(x.immediates(), vec![16, 0]);
    let x = m64("movabs", vec![reg("rax"), imm(1)]);
    assert_eq!(x.code_name(), "Mov_r64_imm64");
    let x = m64("movabs", vec![reg("eax"), mem("", 0x1234_5678_9abc, None)]);
    assert_eq!(x.code_name(), "Mov_EAX_moffs32");
}

#[test]
fn aliases_and_branches() {
    assert_eq!(m64("jz", vec![label("2", false)]).code_name(), "Je_rel8_64");
    assert_eq!(
        m64("cmovnz", vec![reg("eax"), reg("ebx")]).code_name(),
        "Cmovne_r32_rm32"
    );
    assert_eq!(m64("setc", vec![reg("al")]).code_name(), "Setb_rm8");
    assert_eq!(
        m64("loop", vec![label("2", false)]).facts.flow,
        Flow::ConditionalJump
    );
    assert_eq!(
        m64("jrcxz", vec![label("2", true)]).code_name(),
        "Jrcxz_rel8_64"
    );
    assert_eq!(m64("iret", vec![]).code_name(), "Iretq");
    let x = m64(
        "call",
        vec![OperandAst::Target(Target::Symbol {
            name: "foo".into(),
            placeholder: None,
        })],
    );
    assert_eq!(x.facts.flow, Flow::Call);
    assert_eq!(x.code_name(), "Call_rel32_64");
    assert_eq!(m64("jmp", vec![reg("rax")]).facts.flow, Flow::IndirectJump);
    assert_eq!(m64("ud2", vec![]).facts.flow, Flow::Trap);
    assert_eq!(m64("hlt", vec![]).facts.flow, Flow::Halt);
    assert_eq!(m64("int3", vec![]).facts.flow, Flow::Interrupt);
    assert_eq!(m64("int", vec![imm(0x80)]).facts.flow, Flow::SyscallLike);
    assert_eq!(
        m64("xbegin", vec![label("2", true)]).facts.flow,
        Flow::Transaction
    );
}

#[test]
fn string_and_x87_forms() {
    assert_eq!(m64("stosq", vec![]).code_name(), "Stosq_m64_RAX");
    let x = m64("movs", vec![mem("rdi", 0, Some(1)), mem("rsi", 0, Some(1))]);
    assert_eq!(x.code_name(), "Movsb_m8_m8");
    assert_eq!(m64("cmpsd", vec![]).code_name(), "Cmpsd_m32_m32");
    assert_eq!(
        m64("movsd", vec![reg("xmm0"), reg("xmm1")]).code_name(),
        "Movsd_xmm_xmmm64"
    );
    assert_eq!(m64("fxch", vec![]).code_name(), "Fxch_st0_sti");
    assert_eq!(m64("fxch", vec![reg("st(2)")]).code_name(), "Fxch_st0_sti");
    assert_eq!(m64("faddp", vec![]).code_name(), "Faddp_sti_st0");
    assert_eq!(
        m64("fadd", vec![reg("st(0)"), reg("st(3)")]).code_name(),
        "Fadd_st0_sti"
    );
    assert_eq!(
        m64("maskmovq", vec![reg("mm0"), reg("mm1")]).code_name(),
        "Maskmovq_rDI_mm_mm"
    );
}

#[test]
fn prefixes() {
    let mut a = ins(
        Syntax::Intel,
        "mov",
        vec![mem("rdi", 0, Some(8)), reg("rax")],
    );
    a.prefixes.push(Prefix::Lock);
    let e = match_instruction(&a, Bitness::Bits64).unwrap_err();
    assert_eq!(e.message, "`lock` cannot be used with `mov`");
    let mut a = ins(Syntax::Intel, "add", vec![reg("rax"), imm(1)]);
    a.prefixes.push(Prefix::Lock);
    let e = match_instruction(&a, Bitness::Bits64).unwrap_err();
    assert_eq!(e.message, "`lock add` needs a memory destination operand");
    // LLVM emits `rep` before any instruction; the processor ignores it here.
    let mut a = ins(Syntax::Intel, "add", vec![reg("rax"), imm(1)]);
    a.prefixes.push(Prefix::Rep);
    assert_eq!(
        match_instruction(&a, Bitness::Bits64)
            .unwrap()
            .facts
            .mnemonic,
        "add"
    );
    let mut a = ins(Syntax::Intel, "scasb", vec![]);
    a.prefixes.push(Prefix::Repne);
    assert!(match_instruction(&a, Bitness::Bits64).is_ok());
}

#[test]
fn errors() {
    assert_eq!(e64("foo", vec![]).message, "unknown mnemonic `foo`");
    assert_eq!(
        e64("mov", vec![reg("foo"), imm(1)]).message,
        "unknown register `foo`"
    );
    assert_eq!(
        e64("mov", vec![reg("ah"), reg("r8b")]).message,
        "`ah` cannot be encoded with a REX prefix"
    );
    assert_eq!(
        e64("mov", vec![reg("eax"), reg("rbx")]).kind,
        MatchErrorKind::InvalidOperands
    );
    assert_eq!(
        e64("pushfd", vec![]).message,
        "`pushfd` is not valid in 64-bit mode"
    );
    assert!(
        e64(
            "vaddps",
            vec![reg_dec("zmm0", "k0", false), reg("zmm1"), reg("zmm2")]
        )
        .message
        .contains("k0")
    );
}

#[test]
fn system_side_effects() {
    let x = m64("mov", vec![reg("cr3"), reg("rax")]);
    assert!(
        x.facts
            .side_effects
            .contains(SideEffects::CONTROL_REGISTER_WRITE)
    );
    assert!(x.facts.side_effects.contains(SideEffects::PRIVILEGED));
    let x = m64("mov", vec![reg("rax"), reg("cr3")]);
    assert!(
        x.facts
            .side_effects
            .contains(SideEffects::CONTROL_REGISTER_READ)
    );
    let x = m64("wrmsr", vec![]);
    assert!(x.facts.side_effects.contains(SideEffects::MSR_WRITE));
    let x = m64("invlpg", vec![mem("rax", 0, None)]);
    assert!(
        x.facts
            .side_effects
            .contains(SideEffects::CACHE_MAINTENANCE)
    );
    let x = m64("out", vec![reg("dx"), reg("al")]);
    assert!(x.facts.side_effects.contains(SideEffects::PORT_IO));
    let x = m64("wrfsbase", vec![reg("rax")]);
    assert!(
        x.facts
            .side_effects
            .contains(SideEffects::SEGMENT_BASE_WRITE)
    );
    let x = m64("mov", vec![reg("ds"), reg("ax")]);
    assert!(x.facts.side_effects.contains(SideEffects::SEGMENT_WRITE));
    let x = m64("rdtsc", vec![]);
    assert_eq!(written(&x), ["rax", "rdx"]);
    assert!(x.facts.summary().contains("non-deterministic"));
    let x = m64("pushfq", vec![]);
    assert!(x.facts.side_effects.contains(SideEffects::FLAGS_READ));
    let x = m64("kmovw", vec![reg("k1"), mem("rax", 0, None)]);
    assert!(x.facts.writes_family("k1"));
}

#[test]
fn vsib_and_broadcast() {
    let x = m64(
        "vpgatherdd",
        vec![
            reg("ymm0"),
            mem_full(MemoryAst {
                base: Some(r("rdi")),
                index: Some(r("ymm1")),
                scale: 4,
                ..MemoryAst::default()
            }),
            reg("ymm2"),
        ],
    );
    assert_eq!(x.code_name(), "VEX_Vpgatherdd_ymm_vm32y_ymm");
    assert!(x.facts.writes_family("zmm2"));
    assert!(
        x.facts
            .memory
            .iter()
            .all(|m| m.explicit && m.access == MemAccess::Read)
    );
    let x = m64(
        "vaddps",
        vec![
            reg("zmm0"),
            reg("zmm1"),
            mem_full(MemoryAst {
                base: Some(r("rax")),
                scale: 1,
                broadcast: Some(16),
                ..MemoryAst::default()
            }),
        ],
    );
    assert_eq!(x.code_name(), "EVEX_Vaddps_zmm_k1z_zmm_zmmm512b32_er");
}

#[test]
fn bits32() {
    let m32 = |m: &str, ops: Vec<OperandAst>| {
        match_instruction(&ins(Syntax::Intel, m, ops), Bitness::Bits32)
    };
    let x = m32("push", vec![reg("ebx")]).unwrap();
    assert_eq!(x.code_name(), "Push_r32");
    assert_eq!(x.facts.stack_delta, Some(-4));
    let x = m32("mov", vec![reg("eax"), mem("esi", 4, None)]).unwrap();
    assert_eq!(written(&x), ["eax"]);
    assert!(x.facts.registers_written[0].reg.is_full());
    assert_eq!(m32("pushf", vec![]).unwrap().code_name(), "Pushfd");
    assert_eq!(
        m32("jz", vec![label("2", true)]).unwrap().code_name(),
        "Je_rel8_32"
    );
    assert!(m32("mov", vec![reg("rax"), imm(1)]).is_err());
    assert_eq!(
        m32("int", vec![imm(0x80)]).unwrap().facts.flow,
        Flow::SyscallLike
    );
    assert_eq!(
        m32("push", vec![mem("eax", 0, Some(4))])
            .unwrap()
            .code_name(),
        "Push_rm32"
    );
    assert_eq!(
        m32("jecxz", vec![label("2", true)]).unwrap().code_name(),
        "Jecxz_rel8_32"
    );
}

#[test]
fn data_decoding() {
    let v = decode_data(&[0x0f, 0x01, 0xd0], Bitness::Bits64).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].facts.mnemonic, "xgetbv");
    let v = decode_data(&[0x48, 0x01, 0xd8, 0x90], Bitness::Bits64).unwrap();
    assert_eq!(v.len(), 2);
    assert!(decode_data(&[0x48, 0x01], Bitness::Bits64).is_err());
    assert!(decode_data(&[0x0f, 0xff], Bitness::Bits64).is_err());
    assert!(decode_data(&[], Bitness::Bits64).is_err());
}

#[test]
fn repeated_data_has_the_facts_of_each_copy() {
    // A fill (`.skip 6, 0xcc`, two `push rax; add eax, 1` pairs): the copies
    // reuse the first one's facts, which must be what decoding it gives.
    for (bytes, unit) in [
        (vec![0xcc; 6], 1),
        ([0x50, 0x83, 0xc0, 0x01].repeat(2), 4),
        (vec![0x48, 0x01, 0xd8, 0x48, 0x01, 0xd8], 3),
    ] {
        let all = decode_data(&bytes, Bitness::Bits64).unwrap();
        let mut alone = Vec::new();
        for chunk in bytes.chunks(unit) {
            alone.extend(decode_data(chunk, Bitness::Bits64).unwrap());
        }
        let facts = |v: &[Matched]| v.iter().map(|m| m.facts.clone()).collect::<Vec<_>>();
        assert_eq!(facts(&all), facts(&alone), "{bytes:x?}");
    }
}

#[test]
fn summary_line() {
    let x = m64("mov", vec![mem("rdi", 8, Some(8)), reg("rax")]);
    assert_eq!(x.facts.summary(), "reads `rdi`, `rax`, writes memory");
    let x = m64("nop", vec![]);
    assert_eq!(x.facts.summary(), "has no visible effect");
}

#[test]
fn real_mode_errors_name_real_mode() {
    let error = |m: &str, ops| match match_instruction(&ins(Syntax::Intel, m, ops), Bitness::Bits16)
    {
        Ok(_) => panic!("{m} matched"),
        Err(e) => e.message,
    };
    assert_eq!(
        error("swapgs", vec![]),
        "`swapgs` is not valid in 16-bit mode"
    );
    assert_eq!(
        error("mov", vec![reg("ax"), mem("rbx", 0, None)]),
        "64-bit address registers are not valid in 16-bit mode"
    );
}

#[test]
fn real_mode_takes_the_16_bit_default_size() {
    let m16 = |syntax, m: &str, ops: Vec<OperandAst>| match match_instruction(
        &ins(syntax, m, ops),
        Bitness::Bits16,
    ) {
        Ok(x) => x,
        Err(e) => panic!("{m}: {e} {:?}", e.notes),
    };
    let intel = |m: &str, ops| m16(Syntax::Intel, m, ops);
    // Mnemonics without a size move two bytes of stack.
    let cases = [
        (intel("push", vec![imm(0x7a)]), "Pushw_imm8", Some(-2)),
        (intel("push", vec![imm(0x1234)]), "Push_imm16", Some(-2)),
        (intel("pushf", vec![]), "Pushfw", Some(-2)),
        (intel("popf", vec![]), "Popfw", Some(2)),
        // As LLVM assembles them: a four-byte return address.
        (
            intel("call", vec![label("2", true)]),
            "Call_rel32_32",
            Some(-4),
        ),
        (intel("ret", vec![]), "Retnd", Some(4)),
        // The operands decide: as written.
        (intel("push", vec![reg("si")]), "Push_r16", Some(-2)),
        (intel("push", vec![reg("esi")]), "Push_r32", Some(-4)),
        (intel("pop", vec![reg("si")]), "Pop_r16", Some(2)),
        // A size in the mnemonic is kept.
        (intel("pushfd", vec![]), "Pushfd", Some(-4)),
        (
            m16(Syntax::Att, "pushl", vec![imm(0x7a)]),
            "Pushd_imm8",
            Some(-4),
        ),
        (intel("int", vec![imm(0x13)]), "Int_imm8", Some(0)),
        // An unsized memory operand of `push` is the mode's word.
        (
            intel("push", vec![mem("bx", 0, None)]),
            "Push_rm16",
            Some(-2),
        ),
        (
            intel("push", vec![mem("bx", 0, Some(4))]),
            "Push_rm32",
            Some(-4),
        ),
        // LLVM's AT&T parser gives `call`/`ret` two-byte slots.
        (
            m16(Syntax::Att, "call", vec![label("2", true)]),
            "Call_rel16",
            Some(-2),
        ),
        (m16(Syntax::Att, "ret", vec![]), "Retnw", Some(2)),
        // A value too wide for `pushw` is cut, as LLVM does.
        (intel("push", vec![imm(0x12345)]), "Push_imm16", Some(-2)),
    ];
    assert!(intel("push", vec![imm(0x12345)]).immediate_truncated());
    assert!(!intel("push", vec![imm(0x1234)]).immediate_truncated());
    for (matched, code, delta) in cases {
        assert_eq!(
            (matched.code_name().as_str(), matched.facts.stack_delta),
            (code, delta)
        );
    }
    // Data decodes in the statement's mode too: `66 5e` is `pop esi` there.
    let popped = decode_data(&[0x66, 0x5e], Bitness::Bits16).unwrap();
    assert_eq!(popped[0].facts.stack_delta, Some(4));
}
