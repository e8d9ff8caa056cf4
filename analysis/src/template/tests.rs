//! End-to-end tests of [`super::lower`]: placeholders, statements, both
//! dialects, directives; a no-panic property test; and (ignored) the corpus
//! measurement.

use std::collections::HashMap;

#[path = "../../tests/shared_corpus/mod.rs"]
#[allow(dead_code)] // (only its field reader is used here)
mod shared_corpus;

use proc_macro2::TokenStream;

use super::ast::*;
use super::{Lowered, Substitution, TemplateError, lower};
use crate::parse::{AsmArgs, MacroKind};

fn lower_tokens(tokens: TokenStream, bitness: Bitness) -> Lowered {
    let args = AsmArgs::parse(tokens).expect("test input parses");
    lower(&args, MacroKind::Asm, bitness)
}

fn lower64(tokens: TokenStream) -> Lowered {
    lower_tokens(tokens, Bitness::Bits64)
}

/// The instructions of a lowering, asserting there are no errors.
fn instructions(lowered: &Lowered) -> Vec<InstructionAst> {
    assert_eq!(lowered.errors, [], "unexpected errors");
    lowered
        .statements
        .iter()
        .filter_map(|s| match &s.body {
            StatementBody::Instruction(i) => Some(i.clone()),
            _ => None,
        })
        .collect()
}

fn reg(op: &OperandAst) -> &RegOperandAst {
    match op {
        OperandAst::Reg(r) => r,
        other => panic!("not a register: {other:?}"),
    }
}

fn mem(op: &OperandAst) -> &MemoryAst {
    match op {
        OperandAst::Mem(m) => m,
        other => panic!("not memory: {other:?}"),
    }
}

fn imm(op: &OperandAst) -> &Immediate {
    match op {
        OperandAst::Imm(i) => i,
        other => panic!("not an immediate: {other:?}"),
    }
}

fn unreadable(lowered: &Lowered) -> Vec<(String, String)> {
    lowered
        .errors
        .iter()
        .filter_map(|e| match e {
            TemplateError::Unreadable { source, reason, .. } => {
                Some((source.clone(), reason.clone()))
            }
            _ => None,
        })
        .collect()
}

fn first(lowered: &Lowered) -> InstructionAst {
    instructions(lowered).remove(0)
}

fn ph(operand: usize) -> Option<PlaceholderRef> {
    Some(PlaceholderRef { operand })
}

// ---- placeholders -------------------------------------------------------

#[test]
fn register_placeholders_get_r8_and_up() {
    let l = lower64(quote::quote!("mov {0}, {1}", out(reg) a, in(reg) b));
    let i = first(&l);
    assert_eq!(reg(&i.operands[0]).name, "r8");
    assert_eq!(reg(&i.operands[0]).placeholder, ph(0));
    assert_eq!(reg(&i.operands[1]).name, "r9");
    assert_eq!(l.placeholders.register_family(1), Some("r9"));
    assert_eq!(l.placeholders.operand_of_family("r8"), Some(0));
}

#[test]
fn modifiers_choose_the_width() {
    let l = lower64(quote::quote!("mov {0:e}, {0:x}", "mov {0:l}, {0:r}", in(reg) a));
    let ins = instructions(&l);
    assert_eq!(reg(&ins[0].operands[0]).name, "r8d");
    assert_eq!(reg(&ins[0].operands[1]).name, "r8w");
    assert_eq!(reg(&ins[1].operands[0]).name, "r8b");
    assert_eq!(reg(&ins[1].operands[1]).name, "r8");
}

#[test]
fn representatives_avoid_named_and_explicit_registers() {
    let l = lower64(quote::quote!("mov r8, {}", "add r9d, 1", in(reg) a, in("r10") b));
    assert_eq!(reg(&first(&l).operands[1]).name, "r12");
}

#[test]
fn representatives_are_distinct_and_skip_r11() {
    let l = lower64(quote::quote!(
        "nop",
        in(reg) a, in(reg) b, in(reg) c, in(reg) d
    ));
    let families: Vec<&str> = (0..4)
        .filter_map(|i| l.placeholders.register_family(i))
        .collect();
    assert_eq!(families, ["r8", "r9", "r10", "r12"]);
}

#[test]
fn reg_abcd_high_byte() {
    let l = lower64(quote::quote!("mov {0:h}, {0:l}", in(reg_abcd) a));
    let i = first(&l);
    assert_eq!(reg(&i.operands[0]).name, "bh");
    assert_eq!(reg(&i.operands[1]).name, "bl");
    let l = lower64(quote::quote!("mov {0:h}, bl", "cpuid", in(reg_abcd) a));
    // rbx is named; cpuid uses all four implicitly: the choice falls back to
    // the first unnamed one.
    assert_eq!(reg(&first(&l).operands[0]).name, "ch");
}

#[test]
fn byte_vector_and_mask_classes() {
    let l = lower64(quote::quote!(
        "mov {0}, 1", "vaddps {1}, {2:y}, {3:x}", "kmovw {4}, eax",
        in(reg_byte) a, in(xmm_reg) b, in(ymm_reg) c, in(zmm_reg) d, in(kreg) k
    ));
    let ins = instructions(&l);
    assert_eq!(reg(&ins[0].operands[0]).name, "r8b");
    assert_eq!(reg(&ins[1].operands[0]).name, "xmm8");
    assert_eq!(reg(&ins[1].operands[1]).name, "ymm9");
    assert_eq!(reg(&ins[1].operands[2]).name, "xmm10");
    assert_eq!(reg(&ins[2].operands[0]).name, "k1");
}

#[test]
fn x86_32_representatives() {
    let l = lower_tokens(
        quote::quote!("mov {0}, {1}", "mov {2:x}, 1", in(reg) a, in(reg) b, in(reg) c),
        Bitness::Bits32,
    );
    let ins = instructions(&l);
    assert_eq!(reg(&ins[0].operands[0]).name, "ebx");
    assert_eq!(reg(&ins[0].operands[1]).name, "ecx");
    assert_eq!(reg(&ins[1].operands[0]).name, "dx");
    let l = lower_tokens(
        quote::quote!("rep movsb", "mov {0}, 1", in(reg) a),
        Bitness::Bits32,
    );
    assert_eq!(reg(&instructions(&l)[1].operands[0]).name, "ebx");
    let l = lower_tokens(
        quote::quote!("mov {0}, ebx", "mul {0}", in(reg) a),
        Bitness::Bits32,
    );
    // ebx named; mul uses eax/edx: ecx first.
    assert_eq!(reg(&instructions(&l)[0].operands[0]).name, "ecx");
}

#[test]
fn implicit_counter_runs_across_pieces() {
    let l = lower64(quote::quote!("mov {}, 1", "mov {}, 2", "mov {0}, 3", in(reg) a, in(reg) b));
    let ins = instructions(&l);
    let names: Vec<&str> = ins
        .iter()
        .map(|i| reg(&i.operands[0]).name.as_str())
        .collect();
    assert_eq!(names, ["r8", "r9", "r8"]);
}

#[test]
fn named_and_raw_identifier_operands() {
    let l = lower64(quote::quote!(
        "mov {x}, {type}", "mov {x }, {0 :e}",
        in(reg) p, x = in(reg) a, r#type = in(reg) b
    ));
    let ins = instructions(&l);
    assert_eq!(reg(&ins[0].operands[0]).placeholder, ph(1));
    assert_eq!(reg(&ins[0].operands[1]).placeholder, ph(2));
    assert_eq!(reg(&ins[1].operands[0]).placeholder, ph(1));
    assert_eq!(reg(&ins[1].operands[1]).name, "r8d");
}

#[test]
fn positional_indexes_skip_explicit_registers() {
    let l = lower64(quote::quote!("mov {0}, {1}", in(reg) a, in(reg) b, in("rax") c));
    assert_eq!(reg(&first(&l).operands[1]).placeholder, ph(1));
}

#[test]
fn escaped_braces_are_evex_decorators() {
    let l = lower64(quote::quote!(
        "vaddps {0} {{k1}}{{z}}, zmm2, dword ptr [rax]{{1to16}}", out(zmm_reg) a
    ));
    let i = first(&l);
    let r = reg(&i.operands[0]);
    assert_eq!(
        (r.name.as_str(), r.decorators.mask.as_deref()),
        ("zmm8", Some("k1"))
    );
    assert!(r.decorators.zeroing);
    assert_eq!(mem(&i.operands[2]).broadcast, Some(16));
}

#[test]
fn const_operands() {
    let l = lower64(quote::quote!(
        "mov eax, {a}", "mov eax, {b}", "mov eax, {c}", "mov eax, {d}", "mov eax, [rdi + {d}]",
        "mov eax, {e}", "mov eax, {f}", "mov eax, {g}",
        a = const 5, b = const -0x10u64, c = const 1 << 4, d = const SIZE, e = const 0b1010_u8,
        f = const 4096usize as u32, g = const N * 8
    ));
    let ins = instructions(&l);
    assert_eq!(imm(&ins[0].operands[1]).value, Some(5));
    assert_eq!(imm(&ins[0].operands[1]).placeholder, ph(0));
    assert_eq!(imm(&ins[1].operands[1]).value, Some(-16));
    assert_eq!(imm(&ins[2].operands[1]).value, Some(16));
    assert_eq!(imm(&ins[3].operands[1]).value, None);
    assert_eq!(imm(&ins[3].operands[1]).placeholder, ph(3));
    let m = mem(&ins[4].operands[1]);
    assert!(m.displacement_unknown);
    assert_eq!(m.placeholder, ph(3));
    assert_eq!(l.placeholders.operands[&3], Substitution::Const(None));
    assert_eq!(imm(&ins[5].operands[1]).value, Some(10));
    assert_eq!(imm(&ins[6].operands[1]).value, Some(4096));
    assert_eq!(imm(&ins[7].operands[1]).value, None);
}

#[test]
fn const_glued_to_words_is_pasted() {
    let l = lower64(quote::quote!("{n}:", "jmp {n}b", "jmp .Lx{n}", n = const 3));
    assert_eq!(l.errors, []);
    assert_eq!(l.statements[0].labels, ["3"]);
    let ins = instructions(&l);
    assert_eq!(
        ins[0].operands[0],
        OperandAst::Target(Target::Local {
            number: "3".into(),
            forward: false
        })
    );
    assert_eq!(
        ins[1].operands[0],
        OperandAst::Target(Target::Symbol {
            name: ".Lx3".into(),
            placeholder: None
        })
    );
}

#[test]
fn sym_and_label_operands() {
    let l = lower64(quote::quote!(
        "call {f}", "lea rax, [rip + {s}]", "jmp {l}", "mov rax, [rip + {s}@GOTPCREL]",
        f = sym foo::bar, s = sym STATIC, l = label { }
    ));
    let ins = instructions(&l);
    assert_eq!(
        ins[0].operands[0],
        OperandAst::Target(Target::Symbol {
            name: "foo::bar".into(),
            placeholder: ph(0)
        })
    );
    let m = mem(&ins[1].operands[1]);
    assert_eq!(
        (m.symbol.as_deref(), m.placeholder),
        (Some("STATIC"), ph(1))
    );
    assert_eq!(reg_name(&m.base), Some("rip"));
    let OperandAst::Target(Target::Symbol { placeholder, .. }) = &ins[2].operands[0] else {
        panic!()
    };
    assert_eq!(*placeholder, ph(2));
    assert_eq!(
        mem(&ins[3].operands[1]).symbol.as_deref(),
        Some("STATIC@GOTPCREL")
    );
}

fn reg_name(reg: &Option<RegOperandAst>) -> Option<&str> {
    reg.as_ref().map(|r| r.name.as_str())
}

#[test]
fn att_placeholders_and_reversal() {
    let l = lower64(quote::quote!(
        "movl ${c}, {0:e}", "movq 8({1}), %rax",
        out(reg) a, in(reg) p, c = const 7, options(att_syntax)
    ));
    assert_eq!(l.syntax, Syntax::Att);
    let ins = instructions(&l);
    assert_eq!(ins[0].mnemonic, "movl");
    assert_eq!(reg(&ins[0].operands[0]).name, "r8d");
    assert_eq!(imm(&ins[0].operands[1]).value, Some(7));
    assert_eq!(reg(&ins[1].operands[0]).name, "rax");
    let m = mem(&ins[1].operands[1]);
    assert_eq!((reg_name(&m.base), m.displacement), (Some("r9"), 8));
    assert_eq!(m.base.as_ref().unwrap().placeholder, ph(1));
}

#[test]
fn raw_option_skips_placeholders() {
    let l = lower64(quote::quote!("vmovaps zmm1 {k1}, zmm2", options(raw)));
    let i = first(&l);
    assert_eq!(reg(&i.operands[0]).decorators.mask.as_deref(), Some("k1"));
}

#[test]
fn format_errors_are_reported() {
    let l = lower64(quote::quote!("mov {}, 1", "mov {9}, 1", "mov {nope}, 1", "nop }", in(reg) a));
    let formats = l
        .errors
        .iter()
        .filter(|e| matches!(e, TemplateError::Format { .. }))
        .count();
    assert_eq!(formats, 3);
    let l = lower64(quote::quote!("nop", "nop\nmov {x, 1"));
    assert!(matches!(
        l.errors[0],
        TemplateError::Format {
            piece: 1,
            line: 3,
            ..
        }
    ));
}

// ---- statements ------------------------------------------------------------

#[test]
fn lines_pieces_and_sources() {
    let l = lower64(quote::quote!("nop\n2: mov eax, {0} // c", "ret", in(reg) a));
    let s = &l.statements;
    assert_eq!((s[0].piece, s[0].line), (0, 1));
    assert_eq!((s[1].piece, s[1].line), (0, 2));
    assert_eq!(s[1].labels, ["2"]);
    assert_eq!(s[1].source, "mov eax, {0}");
    assert_eq!((s[2].piece, s[2].line), (1, 3));
}

#[test]
fn lone_prefixes_merge() {
    let l = lower64(quote::quote!(
        "lock; add [rax], 1",
        "rep",
        "movsb",
        "repne scasb"
    ));
    let ins = instructions(&l);
    assert_eq!(ins[0].prefixes, [Prefix::Lock]);
    assert_eq!(ins[1].prefixes, [Prefix::Rep]);
    assert_eq!(ins[1].mnemonic, "movsb");
    assert_eq!(ins[2].prefixes, [Prefix::Repne]);
    let l = lower64(quote::quote!("nop", "lock"));
    assert_eq!(unreadable(&l).len(), 1);
}

#[test]
fn labels_and_empty_statements() {
    let l = lower64(quote::quote!(
        "1: 2:",
        "foo: .Lbar: nop",
        "jmp 2b",
        "jmp 1f"
    ));
    assert_eq!(l.statements[0].labels, ["1", "2"]);
    assert_eq!(l.statements[0].body, StatementBody::Empty);
    assert_eq!(l.statements[1].labels, ["foo", ".Lbar"]);
    let ins = instructions(&l);
    assert_eq!(
        ins[1].operands[0],
        OperandAst::Target(Target::Local {
            number: "2".into(),
            forward: false
        })
    );
    assert_eq!(
        ins[2].operands[0],
        OperandAst::Target(Target::Local {
            number: "1".into(),
            forward: true
        })
    );
}

#[test]
fn intel_binary_literal_is_not_a_label() {
    let l = lower64(quote::quote!("jmp 1b"));
    assert_eq!(imm(&first(&l).operands[0]).value, Some(1));
    let l = lower64(quote::quote!("jmp 1b", options(att_syntax)));
    assert!(matches!(
        first(&l).operands[0],
        OperandAst::Target(Target::Local { .. })
    ));
}

#[test]
fn one_bad_statement_does_not_stop_the_others() {
    let l = lower64(quote::quote!("mov eax, [rax*3]", "3: mov eax, \\", "nop"));
    let bad = unreadable(&l);
    assert_eq!(bad.len(), 2);
    assert_eq!(bad[0].0, "mov eax, [rax*3]");
    assert!(bad[0].1.contains("scale"), "{}", bad[0].1);
    // The label survives on an empty statement; `nop` is read.
    assert_eq!(l.statements[0].labels, ["3"]);
    assert!(matches!(
        &l.statements[1].body,
        StatementBody::Instruction(i) if i.mnemonic == "nop"
    ));
}

#[test]
fn mnemonics_are_lower_case_and_comments_go() {
    let l = lower64(quote::quote!("MOV EAX, 1 # one", "/* x */ XOR EAX, EAX"));
    let ins = instructions(&l);
    assert_eq!(ins[0].mnemonic, "mov");
    assert_eq!(reg(&ins[1].operands[0]).name, "eax");
}

#[test]
fn rounding_decorators_attach_to_the_last_source() {
    let l = lower64(quote::quote!("vaddps zmm1, zmm2, zmm3, {{rn-sae}}"));
    let i = first(&l);
    assert_eq!(i.operands.len(), 3);
    assert_eq!(
        reg(&i.operands[2]).decorators.rounding.as_deref(),
        Some("rn-sae")
    );
    let l = lower64(quote::quote!(
        "vaddps {{rz-sae}}, %zmm3, %zmm2, %zmm1",
        options(att_syntax)
    ));
    let i = first(&l);
    assert_eq!(reg(&i.operands[0]).name, "zmm1");
    assert_eq!(
        reg(&i.operands[2]).decorators.rounding.as_deref(),
        Some("rz-sae")
    );
}

#[test]
fn att_forms() {
    let l = lower64(quote::quote!(
        "movq %fs:0x28, %rax",
        "jmp *%rax",
        "call *8(%rax)",
        "jmp foo",
        "lock incl (%rdi)",
        "movq $1, -8(%rbp,%rcx,4)",
        options(att_syntax)
    ));
    let ins = instructions(&l);
    assert_eq!(mem(&ins[0].operands[1]).segment, Some(SegmentReg::Fs));
    assert_eq!(reg(&ins[1].operands[0]).name, "rax");
    assert_eq!(mem(&ins[2].operands[0]).displacement, 8);
    assert!(matches!(ins[3].operands[0], OperandAst::Target(_)));
    assert_eq!(ins[4].prefixes, [Prefix::Lock]);
    let m = mem(&ins[5].operands[0]);
    assert_eq!((m.displacement, m.scale), (-8, 4));
    assert_eq!(imm(&ins[5].operands[1]).value, Some(1));
}

#[test]
fn syntax_switch_directives() {
    let l = lower64(quote::quote!(
        ".att_syntax",
        "movl $1, %eax",
        ".intel_syntax noprefix",
        "mov eax, 1"
    ));
    let ins = instructions(&l);
    assert_eq!(ins[0].syntax, Syntax::Att);
    assert_eq!(reg(&ins[0].operands[0]).name, "eax");
    assert_eq!(ins[1].syntax, Syntax::Intel);
}

#[test]
fn placeholder_as_base_and_scaled_index() {
    // The project's own pass-through test: LLVM reads this as base + index*2.
    let l = lower64(quote::quote!(
        "lea {y:e}, [{x:e} + {x:e}*2]",
        x = in(reg) 5u32, y = lateout(reg) y
    ));
    let m = mem(&first(&l).operands[1]).clone();
    assert_eq!(reg_name(&m.base), Some("r8d"));
    assert_eq!(reg_name(&m.index), Some("r8d"));
    assert_eq!(m.scale, 2);
    assert_eq!(m.index.and_then(|r| r.placeholder), ph(0));
    let l = lower64(quote::quote!(
        "lea rax, [rdi + rdi*2]",
        ".att_syntax",
        "movl (%rdi,%rdi,2), %eax"
    ));
    for i in instructions(&l) {
        let m = mem(&i.operands[1]);
        assert_eq!(
            (reg_name(&m.base), reg_name(&m.index), m.scale),
            (Some("rdi"), Some("rdi"), 2)
        );
    }
}

#[test]
fn set_constants_feed_later_operands() {
    let l = lower64(quote::quote!(
        ".set FOO, 4",
        "BAR = FOO * 2",
        "mov eax, BAR",
        "mov eax, [rdi + FOO]"
    ));
    let ins = instructions(&l);
    assert_eq!(imm(&ins[0].operands[1]).value, Some(8));
    assert_eq!(mem(&ins[1].operands[1]).displacement, 4);
}

#[test]
fn data_directives_in_text() {
    let l = lower64(quote::quote!(".byte 0x0f, 0x01, 0xd0", ".quad {}", ".p2align 4", sym foo));
    assert_eq!(
        l.statements[0].body,
        StatementBody::Directive(DirectiveAst {
            name: ".byte".into(),
            args: "0x0f, 0x01, 0xd0".into(),
            kind: DirectiveKind::Data(vec![0x0f, 0x01, 0xd0]),
        })
    );
    let StatementBody::Directive(d) = &l.statements[1].body else {
        panic!()
    };
    assert_eq!(d.kind, DirectiveKind::OpaqueData { size: Some(8) });
    let StatementBody::Directive(d) = &l.statements[2].body else {
        panic!()
    };
    assert_eq!(d.kind, DirectiveKind::Alignment);
}

#[test]
fn assignment_statements_define_constants() {
    let l = lower64(quote::quote!(
        "n = 0",
        "n = n + 1",
        "mov eax, n",
        "lock = 2",
        "  1:  m=n*lock",
        "mov eax, m",
        "cmp eax, n",
    ));
    let ins = instructions(&l);
    assert_eq!(ins.len(), 3);
    assert_eq!(imm(&ins[0].operands[1]).value, Some(1));
    assert_eq!(imm(&ins[1].operands[1]).value, Some(2));
    let kinds: Vec<DirectiveKind> = l
        .statements
        .iter()
        .filter_map(|s| match &s.body {
            StatementBody::Directive(d) => Some(d.kind.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            DirectiveKind::Constant {
                name: "n".into(),
                value: Some(0)
            },
            DirectiveKind::Constant {
                name: "n".into(),
                value: Some(1)
            },
            DirectiveKind::Constant {
                name: "lock".into(),
                value: Some(2)
            },
            DirectiveKind::Constant {
                name: "m".into(),
                value: Some(2)
            },
        ]
    );
    assert_eq!(l.statements[4].labels, ["1"]);
    // `==` is a comparison, not an assignment.
    let l = lower64(quote::quote!("n == 0"));
    assert_eq!(unreadable(&l).len(), 1);
}

fn bitnesses(lowered: &Lowered) -> Vec<Bitness> {
    lowered.statements.iter().map(|s| s.bitness).collect()
}

#[test]
fn code_directives_switch_the_mode_of_what_follows() {
    use Bitness::{Bits16, Bits32, Bits64};
    let l = lower64(quote::quote!(
        "nop",
        ".code32",
        "push {x:e}",
        "mov eax, cr0",
        ".code64",
        "ret",
        x = in(reg) 0u32
    ));
    assert_eq!(l.errors, []);
    assert_eq!(
        bitnesses(&l),
        [Bits64, Bits64, Bits32, Bits32, Bits32, Bits64]
    );
    let StatementBody::Directive(d) = &l.statements[1].body else {
        panic!()
    };
    assert_eq!(d.kind, DirectiveKind::CodeMode(Bits32));
    // A placeholder used in 32-bit code gets a register 32-bit code has,
    // spelled as a 32-bit target's rustc would spell it.
    assert_eq!(reg(&instructions(&l)[1].operands[0]).name, "ebx");
    let l = lower64(quote::quote!(
        "mov {x}, 1",
        ".code32",
        "mov {x}, {y:e}",
        ".code64",
        "mov {x}, {z}",
        x = out(reg) _, y = in(reg) 1u32, z = in(reg) 2u64
    ));
    let ins = instructions(&l);
    assert_eq!(reg(&ins[0].operands[0]).name, "rbx");
    assert_eq!(reg(&ins[1].operands[0]).name, "ebx");
    assert_eq!(reg(&ins[1].operands[1]).name, "ecx");
    assert_eq!(reg(&ins[2].operands[0]).name, "rbx");
    assert_eq!(reg(&ins[2].operands[1]).name, "r8");
    let l = lower64(quote::quote!("push {x:e}", x = in(reg) 0u32));
    assert_eq!(reg(&first(&l).operands[0]).name, "r8d");
    // A 32-bit block may go to 64-bit mode, and to real mode; `.code16gcc`
    // code moves the stack as 32-bit code does.
    let l = lower_tokens(
        quote::quote!(
            "nop",
            ".code64",
            "nop",
            ".code16",
            "nop",
            ".code16gcc",
            "nop"
        ),
        Bits32,
    );
    assert_eq!(
        bitnesses(&l),
        [Bits32, Bits32, Bits64, Bits64, Bits16, Bits16, Bits32]
    );
}

#[test]
fn bios_calls_mean_real_mode() {
    use Bitness::{Bits16, Bits32, Bits64};
    // On x86, a block that calls the BIOS is real-mode code up to its first
    // mode switch.
    let l = lower_tokens(
        quote::quote!("push 'z'", "int 0x13", "pop si", ".code32", "nop"),
        Bits32,
    );
    assert_eq!(bitnesses(&l), [Bits16, Bits16, Bits16, Bits16, Bits32]);
    // Not on x86-64 (the target assembles it as 64-bit code), not for other
    // vectors (`int 0x80` is Linux's), not for a `const` vector.
    let l = lower_tokens(quote::quote!("push 'z'", "int 0x13", "pop si"), Bits64);
    assert_eq!(bitnesses(&l), [Bits64, Bits64, Bits64]);
    let l = lower_tokens(quote::quote!("push 5", "int 0x80", "pop eax"), Bits32);
    assert_eq!(bitnesses(&l), [Bits32, Bits32, Bits32]);
    let l = lower_tokens(quote::quote!("int {n}", n = const N), Bits32);
    assert_eq!(bitnesses(&l), [Bits32]);
}

fn places(lowered: &Lowered) -> Vec<(bool, Option<&str>)> {
    lowered
        .statements
        .iter()
        .map(|s| (s.executable, s.section.as_deref()))
        .collect()
}

#[test]
fn sections_are_tracked() {
    let l = lower64(quote::quote!(
        "2: mov eax, dword ptr [{ptr}]",
        "3:",
        ".pushsection __ex_table, \"a\"",
        ".balign 8",
        ".quad 2b - .",
        ".quad 3b - . + 8",
        ".popsection",
        "ret",
        ptr = in(reg) p
    ));
    assert_eq!(l.errors, []);
    let own = (true, None);
    let table = (false, Some("__ex_table"));
    assert_eq!(places(&l), [own, own, own, table, table, table, table, own]);
    let StatementBody::Directive(d) = &l.statements[4].body else {
        panic!()
    };
    assert_eq!(d.kind, DirectiveKind::OpaqueData { size: Some(8) });
    let l = lower64(quote::quote!(
        ".section .rodata",
        "gdt: .quad 0x00af9b000000ffff",
        ".long gdt",
        ".previous",
        "nop",
        ".pushsection .fixup, \"ax\"",
        "jmp 2f",
        ".text",
        "nop",
        ".previous",
        "nop",
        ".popsection",
        "2: nop",
        ".data",
        ".zero 1 << 40",
        ".bss",
        "nop",
    ));
    assert_eq!(l.errors, []);
    let rodata = (false, Some(".rodata"));
    let fixup = (true, Some(".fixup"));
    let text = (true, Some(".text"));
    let data = (false, Some(".data"));
    assert_eq!(
        places(&l),
        [
            (true, None),
            rodata,
            rodata,
            rodata,
            (true, None),
            (true, None),
            fixup,
            fixup,
            text,
            text,
            fixup,
            fixup,
            (true, None),
            (true, None),
            data,
            data,
            (false, Some(".bss")),
        ]
    );
    let l = lower64(quote::quote!(".popsection"));
    assert_eq!(
        unreadable(&l),
        [(
            ".popsection".to_owned(),
            "`.popsection` without a matching `.pushsection`".to_owned()
        )]
    );
}

#[test]
fn conditional_assembly() {
    // Constant conditions choose the statements.
    let l = lower64(quote::quote!(
        ".set WIDE, 1",
        ".if WIDE",
        "mov rax, 1",
        ".else",
        "this is not read",
        ".endif",
        ".ifeq WIDE",
        ".error \"narrow\"",
        ".endif",
    ));
    let ins = instructions(&l);
    assert_eq!(ins.len(), 1);
    assert_eq!(reg(&ins[0].operands[0]).name, "rax");
    // An unknown condition guarding only an assertion is harmless.
    let l = lower64(quote::quote!(
        "call 2f",
        "2:",
        "pop {0}",
        "3:",
        ".ifne (3b-2b)-1",
        ".error \"The pop opcode is expected to be 1 byte long.\"",
        ".endif",
        "add {0}, 1",
        out(reg) addr
    ));
    assert_eq!(instructions(&l).len(), 3);
    // Anything else under an unknown condition cannot be read.
    let l = lower64(quote::quote!(".ifdef FOO", "nop", ".endif", "ret"));
    assert_eq!(
        unreadable(&l),
        [(
            "nop".to_owned(),
            "cannot tell whether this is assembled: the condition of `.ifdef FOO` (line 1) is not a constant"
                .to_owned()
        )]
    );
    // An `.error` that is assembled stops the build.
    let l = lower64(quote::quote!(".if 1", ".error \"no\"", ".endif"));
    assert_eq!(unreadable(&l).len(), 1);
    let l = lower64(quote::quote!(".if 1", "nop"));
    assert_eq!(
        unreadable(&l),
        [(
            ".if 1".to_owned(),
            "this conditional has no matching `.endif`".to_owned()
        )]
    );
}

#[test]
fn att_placeholders_in_parentheses() {
    let l = lower64(quote::quote!(
        "movw ({0}), {1}",
        "movl ({0}), {1:e}",
        "lock xchgb {k}(%rsi), %al",
        in(reg) p, out(reg) v, k = const K,
        options(att_syntax)
    ));
    let ins = instructions(&l);
    assert_eq!(reg_name(&mem(&ins[0].operands[1]).base), Some("r8"));
    assert_eq!(reg(&ins[0].operands[0]).name, "r9");
    assert_eq!(reg(&ins[1].operands[0]).name, "r9d");
    let m = mem(&ins[2].operands[1]);
    assert!(m.displacement_unknown);
    assert_eq!(reg_name(&m.base), Some("rsi"));
}

#[test]
fn opaque_pieces() {
    let l = lower64(quote::quote!("nop", include_str!("x.s"), "ret"));
    assert_eq!(
        l.errors,
        [TemplateError::Opaque {
            piece: 1,
            macro_name: "include_str!".into()
        }]
    );
    assert_eq!(l.statements.len(), 2);
    assert_eq!((l.statements[1].piece, l.statements[1].line), (2, 3));
}

#[test]
fn intel_memory_and_prefix_words() {
    let l = lower64(quote::quote!(
        "mov rax, qword ptr gs:[0x10]",
        "mov eax, dword ptr fs:0x10",
        "lea rax, [rdi][8]",
        "fld tbyte ptr [rax]",
        "fs mov eax, [rax]",
        "int 3",
        "mov eax, [offset foo + 8]"
    ));
    let ins = instructions(&l);
    assert_eq!(mem(&ins[0].operands[1]).segment, Some(SegmentReg::Gs));
    assert_eq!(mem(&ins[1].operands[1]).size, Some(4));
    assert_eq!(mem(&ins[2].operands[1]).displacement, 8);
    assert_eq!(
        mem(&ins[3].operands[0]).size_keyword.as_deref(),
        Some("tbyte")
    );
    assert_eq!(ins[4].prefixes, [Prefix::Segment(SegmentReg::Fs)]);
    assert_eq!(imm(&ins[5].operands[0]).value, Some(3));
    assert_eq!(mem(&ins[6].operands[1]).symbol.as_deref(), Some("foo"));
}

#[test]
fn intel_keywords_in_any_case() {
    let l = lower64(quote::quote!(
        "mov rax, QWORD PTR GS:[0x10]",
        "movaps xmm0, XmmWord Ptr [rax]",
        "mov eax, [FS:0x10]",
        "mov eax, OFFSET foo"
    ));
    let ins = instructions(&l);
    assert_eq!(mem(&ins[0].operands[1]).segment, Some(SegmentReg::Gs));
    assert_eq!(mem(&ins[0].operands[1]).size, Some(8));
    assert_eq!(mem(&ins[1].operands[1]).size, Some(16));
    assert_eq!(
        mem(&ins[1].operands[1]).size_keyword.as_deref(),
        Some("xmmword")
    );
    assert_eq!(mem(&ins[2].operands[1]).segment, Some(SegmentReg::Fs));
    assert_eq!(imm(&ins[3].operands[1]).symbol.as_deref(), Some("foo"));
    // Longer than any size keyword: not one, and `PTR` after it is refused.
    let l = lower64(quote::quote!("mov eax, BYTEWORD PTR [rax]"));
    assert_eq!(unreadable(&l).len(), 1);
}

#[test]
fn intel_forms_llvm_reads_differently() {
    // `int $3`: rustc hands inline assembly to LLVM, which reads the `$`
    // before a number as an immediate there (not in `global_asm!`).
    let l = lower64(quote::quote!("int $3"));
    assert_eq!(unreadable(&l).len(), 0);
    // A sized constant without brackets is an immediate; a symbol is memory.
    let l = lower64(quote::quote!(
        "mov eax, DWORD PTR 4292878336",
        "push QWORD PTR 0",
        "mov eax, dword ptr foo",
        "mov eax, dword ptr [0x10]",
        "push qword ptr {k}",
        k = const K
    ));
    let ins = instructions(&l);
    assert_eq!(imm(&ins[0].operands[1]).value, Some(4292878336));
    assert_eq!(imm(&ins[1].operands[0]).value, Some(0));
    assert_eq!(mem(&ins[2].operands[1]).symbol.as_deref(), Some("foo"));
    assert_eq!(mem(&ins[3].operands[1]).displacement, 0x10);
    assert_eq!(imm(&ins[4].operands[0]).placeholder, ph(0));
}

#[test]
fn sym_labels_in_global_asm() {
    let args = AsmArgs::parse(quote::quote!("{f}:", "ret", f = sym handler)).unwrap();
    let l = lower(&args, MacroKind::GlobalAsm, Bitness::Bits64);
    assert_eq!(l.errors, []);
    assert_eq!(l.statements[0].labels, ["handler"]);
}

// ---- no panics -------------------------------------------------------------

/// Seed statements for the property test: every feature above.
const SEEDS: &[&str] = &[
    "mov {0}, {1}",
    "mov {0:e}, [{1} + 8*rcx - 0x10]",
    "vaddps {2} {{k1}}{{z}}, zmm2, dword ptr [rax]{{1to16}}",
    "lock; add qword ptr fs:[rax], {c}",
    "2: jmp 2b\n1: jmp 1f",
    ".byte 0x0f, 0x01, 0xd0\n.ascii \"a;b\"",
    ".set FOO, 1 << 3\nmov eax, FOO",
    "movq %fs:0x28(,%rcx,8), %rax",
    "call *8(%rax)",
    "/* x\n y */ mov al, ';' # c",
    "{{rn-sae}} {0:h} {s}@PLT",
    ".att_syntax\nmovl ${c}, {0:e}\n.intel_syntax noprefix",
    "fld st(3)\nmov rax, offset {s}",
    "[rdi][8] 8[rdi] [rip + {s}]",
    "rep movsb; repne scasb; data16 nop",
    "0x1f 1fh 0b101 101b 017 'a' ~1 -2 1 shl 3",
];

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const ALPHABET: &[char] = &[
    '{',
    '}',
    '[',
    ']',
    '(',
    ')',
    ',',
    ';',
    ':',
    '\n',
    '#',
    '/',
    '*',
    '%',
    '$',
    '\'',
    '"',
    '\\',
    '+',
    '-',
    '~',
    '<',
    '>',
    '!',
    '=',
    '&',
    '|',
    '^',
    '@',
    '.',
    '_',
    ' ',
    '0',
    '1',
    '2',
    '8',
    'b',
    'f',
    'h',
    'x',
    'k',
    'z',
    'r',
    'e',
    'q',
    'a',
    's',
    't',
    'é',
    '\u{F0001}',
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(6) {
        let at = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 => chars.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
            2 if at < chars.len() => chars[at] = ALPHABET[rng.below(ALPHABET.len())],
            _ => {
                let seed = SEEDS[rng.below(SEEDS.len())];
                let cut = rng.below(seed.len() + 1);
                let piece: String = seed.chars().take(cut).collect();
                chars.splice(at..at, piece.chars());
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn never_panics_on_random_and_mutated_templates() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let operand_sets = [
        quote::quote!(in(reg) a, out(reg) b, out(zmm_reg) z, c = const 5, s = sym foo),
        quote::quote!(in(reg_abcd) a, in("rax") b, c = const N, s = sym foo, options(att_syntax)),
        quote::quote!(c = const 1, s = sym foo, options(raw)),
    ];
    // `TEMPLATE_FUZZ_ROUNDS=200000` for a longer run.
    let rounds = std::env::var("TEMPLATE_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(4000);
    for round in 0..rounds {
        let text = if round % 10 == 0 {
            (0..rng.below(40))
                .map(|_| ALPHABET[rng.below(ALPHABET.len())])
                .collect()
        } else {
            let mut text = SEEDS[rng.below(SEEDS.len())].to_owned();
            for _ in 0..rng.below(3) {
                text = mutate(&mut rng, &text);
            }
            text
        };
        let seed = SEEDS[rng.below(SEEDS.len())];
        let second = mutate(&mut rng, seed);
        let operands = &operand_sets[rng.below(operand_sets.len())];
        let input = quote::quote!(#text, #second, #operands);
        let Ok(args) = AsmArgs::parse(input) else {
            continue;
        };
        for bitness in [Bitness::Bits64, Bitness::Bits32] {
            let lowered = lower(&args, MacroKind::Asm, bitness);
            for error in &lowered.errors {
                let _ = error.message();
            }
        }
    }
}

/// The arguments of an `asm!(...)` invocation text.
fn invocation_args(text: &str) -> Option<TokenStream> {
    let tokens: TokenStream = text.parse().ok()?;
    tokens.into_iter().find_map(|tree| match tree {
        proc_macro2::TokenTree::Group(group) => Some(group.stream()),
        _ => None,
    })
}

#[test]
#[ignore = "measures the reader on /work/shared/corpus; run with --ignored --nocapture"]
fn corpus_measurement() {
    let path = "/work/shared/corpus/x86_blocks.jsonl";
    let Ok(corpus) = std::fs::read_to_string(path) else {
        eprintln!("corpus not found at {path}");
        return;
    };
    let (mut blocks, mut parsed, mut statements, mut unreadable) = (0, 0, 0, 0);
    let (mut opaque, mut format, mut clean_blocks) = (0, 0, 0);
    let mut reasons: HashMap<String, (usize, Vec<String>)> = HashMap::new();
    let mut unsupported: HashMap<String, usize> = HashMap::new();
    for line in corpus.lines() {
        if !line.contains("\"template_literal\": true") {
            continue;
        }
        let Some(text) = shared_corpus::string_field(line, "text") else {
            continue;
        };
        blocks += 1;
        let bitness = if line.contains("\"arch_guess\": \"x86\"") {
            Bitness::Bits32
        } else {
            Bitness::Bits64
        };
        let kind = match shared_corpus::string_field(line, "macro").as_deref() {
            Some("global_asm") => MacroKind::GlobalAsm,
            Some("naked_asm") => MacroKind::NakedAsm,
            _ => MacroKind::Asm,
        };
        let Some(args) = invocation_args(&text).and_then(|t| AsmArgs::parse(t).ok()) else {
            continue;
        };
        parsed += 1;
        let lowered = lower(&args, kind, bitness);
        statements += lowered.statements.len();
        let mut clean = true;
        for statement in &lowered.statements {
            if let StatementBody::Directive(DirectiveAst {
                name,
                kind: DirectiveKind::Unsupported,
                ..
            }) = &statement.body
            {
                *unsupported.entry(name.clone()).or_default() += 1;
            }
        }
        for error in &lowered.errors {
            clean = false;
            match error {
                TemplateError::Opaque { .. } => opaque += 1,
                TemplateError::Format { reason, .. } => {
                    format += 1;
                    let entry = reasons.entry(format!("format: {reason}")).or_default();
                    entry.0 += 1;
                }
                TemplateError::Unreadable { source, reason, .. } => {
                    unreadable += 1;
                    let entry = reasons.entry(reason.clone()).or_default();
                    entry.0 += 1;
                    if entry.1.len() < 3 {
                        entry.1.push(source.clone());
                    }
                }
            }
        }
        clean_blocks += usize::from(clean);
    }
    let total = statements + unreadable;
    println!(
        "blocks {blocks}, parsed {parsed}, without errors {clean_blocks}; statements read \
         {statements} of {total} ({:.2}%), unreadable {unreadable}, opaque {opaque}, format {format}",
        100.0 * statements as f64 / total.max(1) as f64
    );
    let mut reasons: Vec<_> = reasons.into_iter().collect();
    reasons.sort_by_key(|entry| std::cmp::Reverse(entry.1.0));
    for (reason, (count, samples)) in reasons.iter().take(40) {
        println!("{count:5}  {reason}\n        e.g. {samples:?}");
    }
    let mut unsupported: Vec<_> = unsupported.into_iter().collect();
    unsupported.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    println!("unsupported directives: {unsupported:?}");
}
