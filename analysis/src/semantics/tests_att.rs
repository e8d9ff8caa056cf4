//! AT&T mnemonics (suffixes, special names) and operand order. The AST
//! already holds operands in Intel order, as the AT&T reader produces them.

use super::tests::{imm, ins, label, mem, reg};
use super::*;
use crate::template::ast::{OperandAst, Syntax};

/// AT&T, 64-bit: match or panic.
fn a64(m: &str, ops: Vec<OperandAst>) -> Matched {
    match match_instruction(&ins(Syntax::Att, m, ops), Bitness::Bits64) {
        Ok(x) => x,
        Err(e) => panic!("{m}: {e} {:?}", e.notes),
    }
}

/// AT&T, 64-bit: the error.
fn ae64(m: &str, ops: Vec<OperandAst>) -> MatchError {
    match match_instruction(&ins(Syntax::Att, m, ops), Bitness::Bits64) {
        Ok(x) => panic!("{m}: unexpectedly matched {}", x.code_name()),
        Err(e) => e,
    }
}

#[test]
fn suffixes() {
    assert_eq!(
        a64("movl", vec![mem("rax", 0, None), imm(1)]).code_name(),
        "Mov_rm32_imm32"
    );
    assert_eq!(
        a64("addq", vec![mem("rdi", 0, None), imm(1)]).code_name(),
        "Add_rm64_imm8"
    );
    assert_eq!(
        a64("incb", vec![mem("rdi", 0, None)]).code_name(),
        "Inc_rm8"
    );
    assert_eq!(a64("pushq", vec![imm(1)]).code_name(), "Pushq_imm8");
    assert_eq!(
        a64("pushq", vec![mem("rax", 0, None)]).code_name(),
        "Push_rm64"
    );
    assert_eq!(a64("callq", vec![reg("rax")]).code_name(), "Call_rm64");
    assert_eq!(a64("retq", vec![]).code_name(), "Retnq");
    assert_eq!(
        a64("leaq", vec![reg("rax"), mem("rdi", 8, None)]).code_name(),
        "Lea_r64_m"
    );
    assert_eq!(
        a64("shll", vec![reg("eax"), reg("cl")]).code_name(),
        "Shl_rm32_CL"
    );
    assert_eq!(a64("sall", vec![reg("eax")]).code_name(), "Shl_rm32_1");
    assert_eq!(
        a64("cvtsi2sdl", vec![reg("xmm0"), mem("rax", 0, None)]).code_name(),
        "Cvtsi2sd_xmm_rm32"
    );
    assert_eq!(
        a64("cvtsi2sdq", vec![reg("xmm0"), mem("rax", 0, None)]).code_name(),
        "Cvtsi2sd_xmm_rm64"
    );
    assert_eq!(
        a64("movq", vec![reg("xmm0"), reg("rax")]).code_name(),
        "Movq_xmm_rm64"
    );
    assert_eq!(
        a64("movq", vec![reg("rbx"), reg("rax")]).code_name(),
        "Mov_rm64_r64"
    );
    assert_eq!(
        a64("movabsq", vec![reg("rax"), imm(1)]).code_name(),
        "Mov_r64_imm64"
    );
    assert_eq!(a64("pushfq", vec![]).code_name(), "Pushfq");
    assert_eq!(a64("setb", vec![reg("al")]).code_name(), "Setb_rm8");
    assert_eq!(
        a64("cmovl", vec![reg("eax"), reg("ebx")]).code_name(),
        "Cmovl_r32_rm32"
    );
    assert_eq!(
        a64("cmovll", vec![reg("eax"), reg("ebx")]).code_name(),
        "Cmovl_r32_rm32"
    );
    assert_eq!(
        a64("nopw", vec![mem("rax", 0, None)]).code_name(),
        "Nop_rm16"
    );
    assert_eq!(
        a64("testb", vec![mem("rdi", 0, None), imm(1)]).code_name(),
        "Test_rm8_imm8"
    );
    assert_eq!(
        a64("jne", vec![label("2", true)]).code_name(),
        "Jne_rel8_64"
    );
}

#[test]
fn special_names() {
    let x = a64("movzbl", vec![reg("eax"), mem("rdi", 0, None)]);
    assert_eq!(x.code_name(), "Movzx_r32_rm8");
    assert_eq!(x.facts.memory[0].size, Some(1));
    assert_eq!(
        a64("movsbq", vec![reg("rax"), mem("rdi", 0, None)]).code_name(),
        "Movsx_r64_rm8"
    );
    assert_eq!(
        a64("movzwl", vec![reg("eax"), reg("bx")]).code_name(),
        "Movzx_r32_rm16"
    );
    assert_eq!(
        a64("movslq", vec![reg("rax"), reg("ebx")]).code_name(),
        "Movsxd_r64_rm32"
    );
    assert_eq!(a64("cltq", vec![]).code_name(), "Cdqe");
    assert_eq!(a64("cqto", vec![]).code_name(), "Cqo");
    assert_eq!(a64("cltd", vec![]).code_name(), "Cdq");
    assert_eq!(a64("cwtl", vec![]).code_name(), "Cwde");
    assert_eq!(a64("movsl", vec![]).code_name(), "Movsd_m32_m32");
    assert_eq!(a64("stosl", vec![]).code_name(), "Stosd_m32_EAX");
    assert_eq!(a64("movsb", vec![]).code_name(), "Movsb_m8_m8");
    assert_eq!(a64("movsq", vec![]).code_name(), "Movsq_m64_m64");
}

#[test]
fn x87_suffixes() {
    assert_eq!(
        a64("flds", vec![mem("rax", 0, None)]).code_name(),
        "Fld_m32fp"
    );
    assert_eq!(
        a64("fldl", vec![mem("rax", 0, None)]).code_name(),
        "Fld_m64fp"
    );
    assert_eq!(
        a64("fldt", vec![mem("rax", 0, None)]).code_name(),
        "Fld_m80fp"
    );
    assert_eq!(
        a64("fildl", vec![mem("rax", 0, None)]).code_name(),
        "Fild_m32int"
    );
    assert_eq!(
        a64("fildll", vec![mem("rax", 0, None)]).code_name(),
        "Fild_m64int"
    );
    assert_eq!(
        a64("fildq", vec![mem("rax", 0, None)]).code_name(),
        "Fild_m64int"
    );
    assert_eq!(
        a64("filds", vec![mem("rax", 0, None)]).code_name(),
        "Fild_m16int"
    );
    assert_eq!(
        a64("fistps", vec![mem("rax", 0, None)]).code_name(),
        "Fistp_m16int"
    );
    assert_eq!(
        a64("fstpt", vec![mem("rax", 0, None)]).code_name(),
        "Fstp_m80fp"
    );
    assert_eq!(a64("fcompp", vec![]).facts.x87_stack_delta, -2);
}

#[test]
fn operand_order_kept_for_enter() {
    // `enter $16, $0`: the reader reversed it to [0, 16]; AT&T keeps order.
    let x = a64("enter", vec![imm(0), imm(16)]);
    assert_eq!(x.immediates(), vec![16, 0]);
}

#[test]
fn att_errors() {
    assert_eq!(
        ae64("mov", vec![mem("rax", 0, None), imm(1)]).kind,
        MatchErrorKind::Ambiguous
    );
    assert_eq!(
        ae64("movl", vec![reg("rax"), reg("rbx")]).kind,
        MatchErrorKind::InvalidOperands
    );
    assert_eq!(ae64("frobl", vec![]).message, "unknown mnemonic `frobl`");
}

#[test]
fn bits32_att() {
    let x = match_instruction(
        &ins(Syntax::Att, "pushl", vec![reg("ebp")]),
        Bitness::Bits32,
    )
    .unwrap();
    assert_eq!(x.code_name(), "Push_r32");
    let x = match_instruction(&ins(Syntax::Att, "retl", vec![]), Bitness::Bits32).unwrap();
    assert_eq!(x.code_name(), "Retnd");
    let x = match_instruction(&ins(Syntax::Att, "pushfl", vec![]), Bitness::Bits32).unwrap();
    assert_eq!(x.code_name(), "Pushfd");
}
