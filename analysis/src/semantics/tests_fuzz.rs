//! Robustness: random and mutated statements never panic (iced has debug
//! assertions that fire on invalid instructions, pitfall 12), and rough
//! timings of the table set-up and of matching.

use std::time::Instant;

use super::tests::{imm, imm_unknown, ins, label, mem, mem_full, r, reg, reg_dec};
use super::*;
use crate::template::ast::{MemoryAst, OperandAst, Prefix, Syntax};

/// xorshift64* PRNG: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[(self.next() % v.len() as u64) as usize]
    }
}

const MNEMONICS: &[&str] = &[
    "mov",
    "add",
    "adc",
    "sub",
    "xor",
    "and",
    "or",
    "cmp",
    "test",
    "lea",
    "push",
    "pop",
    "call",
    "jmp",
    "jz",
    "jnz",
    "loop",
    "jrcxz",
    "ret",
    "enter",
    "leave",
    "shl",
    "sal",
    "shr",
    "rol",
    "imul",
    "mul",
    "div",
    "movzx",
    "movsx",
    "movsxd",
    "movabs",
    "xchg",
    "cmpxchg",
    "cmpxchg16b",
    "xadd",
    "movsb",
    "movs",
    "stosq",
    "cmpsd",
    "movsd",
    "xlat",
    "pushf",
    "popf",
    "iret",
    "cpuid",
    "rdtsc",
    "syscall",
    "int",
    "int3",
    "ud2",
    "hlt",
    "fld",
    "fstp",
    "fxch",
    "faddp",
    "fadd",
    "fildll",
    "flds",
    "vaddps",
    "vpxor",
    "pxor",
    "vpgatherdd",
    "vfmadd231ps",
    "kmovw",
    "vpternlogd",
    "extrq",
    "insertq",
    "bound",
    "movl",
    "addq",
    "movzbl",
    "movslq",
    "cltq",
    "pushq",
    "callq",
    "nop",
    "in",
    "out",
    "outsb",
    "maskmovq",
    "bt",
    "bts",
    "lock",
    "rep",
    "foo",
    "",
    "cmovc",
    "setnae",
    "bswap",
    "ldmxcsr",
    "xbegin",
    "invlpg",
    "mov",
    "tileloadd",
    "bndmov",
    "vcvtsi2sd",
    "vpermil2ps",
    "aam",
    "pushad",
    "arpl",
    "daa",
    "jmpe",
    "ljmp",
    "lcall",
    "retf",
    "sysret",
    "vzeroupper",
];

const REGS: &[&str] = &[
    "rax", "eax", "ax", "al", "ah", "r8", "r8d", "r8w", "r8b", "spl", "rsp", "rbp", "rip", "eip",
    "xmm0", "xmm16", "ymm1", "zmm31", "k0", "k1", "st(0)", "st(1)", "st(7)", "mm0", "cr0", "cr8",
    "dr7", "es", "fs", "cs", "tmm0", "bnd0", "tr3", "cl", "dx", "bogus", "", "st",
];

fn operand(rng: &mut Rng) -> OperandAst {
    let values: [i128; 12] = [
        0,
        1,
        -1,
        127,
        128,
        255,
        256,
        -129,
        0xffff_ffff,
        1 << 40,
        i128::MAX,
        i128::MIN,
    ];
    match rng.next() % 9 {
        0 | 1 => reg(rng.pick(REGS)),
        2 => reg_dec(rng.pick(REGS), rng.pick(REGS), rng.next().is_multiple_of(2)),
        3 => imm(rng.pick(&values)),
        4 => imm_unknown(),
        5 => label("2", rng.next().is_multiple_of(2)),
        6 => mem(
            rng.pick(REGS),
            rng.pick(&values),
            [None, Some(1), Some(3), Some(8), Some(64), Some(0)][(rng.next() % 6) as usize],
        ),
        _ => mem_full(MemoryAst {
            size: [None, Some(4), Some(16)][(rng.next() % 3) as usize],
            base: (!rng.next().is_multiple_of(3)).then(|| r(rng.pick(REGS))),
            index: (rng.next().is_multiple_of(2)).then(|| r(rng.pick(REGS))),
            scale: [0, 1, 2, 3, 4, 8, 255][(rng.next() % 7) as usize],
            displacement: rng.pick(&values),
            displacement_unknown: rng.next().is_multiple_of(4),
            broadcast: [None, Some(2), Some(8), Some(16), Some(0)][(rng.next() % 5) as usize],
            size_keyword: (rng.next().is_multiple_of(5)).then(|| "tbyte".into()),
            ..MemoryAst::default()
        }),
    }
}

#[test]
fn random_statements_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let prefixes = [
        Prefix::Lock,
        Prefix::Rep,
        Prefix::Repne,
        Prefix::Xacquire,
        Prefix::Notrack,
        Prefix::Bnd,
    ];
    let mut ok = 0;
    for _ in 0..20_000 {
        let n = (rng.next() % 5) as usize;
        let ops = (0..n).map(|_| operand(&mut rng)).collect();
        let syntax = if rng.next().is_multiple_of(2) {
            Syntax::Intel
        } else {
            Syntax::Att
        };
        let mut a = ins(syntax, rng.pick(MNEMONICS), ops);
        if rng.next().is_multiple_of(8) {
            a.prefixes.push(rng.pick(&prefixes));
        }
        let bitness = if rng.next().is_multiple_of(3) {
            Bitness::Bits32
        } else {
            Bitness::Bits64
        };
        let res = std::panic::catch_unwind(|| match_instruction(&a, bitness));
        let Ok(res) = res else {
            panic!("panicked on {a:?} {bitness:?}")
        };
        if let Ok(m) = res {
            ok += 1;
            let _ = m.facts.summary();
            let _ = m.immediates();
        }
    }
    assert!(ok > 100, "only {ok} matched");
    for _ in 0..5_000 {
        let n = (rng.next() % 16) as usize;
        let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
        let _ = decode_data(&bytes, Bitness::Bits64);
        let _ = decode_data(&bytes, Bitness::Bits32);
    }
}

#[test]
#[ignore = "timing report; run with --ignored --nocapture"]
fn timings() {
    // Run alone (a fresh process): every lazy table is built once per
    // process, and this is what one compiler process pays.
    let start = Instant::now();
    let t = Instant::now();
    let _ = table::table();
    eprintln!("mnemonic table: {:?}", t.elapsed());
    let t = Instant::now();
    let _ = registers::Reg::from_name("rax", Bitness::Bits64);
    eprintln!("register names: {:?}", t.elapsed());
    let t = Instant::now();
    let first = ins(Syntax::Intel, "add", vec![reg("rax"), imm(1)]);
    let _ = match_instruction(&first, Bitness::Bits64);
    eprintln!("first match (iced's encoder tables): {:?}", t.elapsed());
    eprintln!("start-up total: {:?}", start.elapsed());
    let t = Instant::now();
    let _ = iced_x86::Code::Add_rm64_imm8.op_code();
    eprintln!(
        "(not paid unless a statement is rejected) iced's op-code table: {:?}",
        t.elapsed()
    );
    let corpus: Vec<_> = vec![
        ins(
            Syntax::Intel,
            "mov",
            vec![mem("rdi", 8, Some(8)), reg("rax")],
        ),
        ins(Syntax::Intel, "add", vec![reg("rax"), imm(1)]),
        ins(Syntax::Intel, "imul", vec![reg("r10"), reg("r10"), imm(3)]),
        ins(
            Syntax::Intel,
            "vaddps",
            vec![reg("ymm0"), reg("ymm1"), reg("ymm2")],
        ),
        ins(Syntax::Intel, "jnz", vec![label("2", true)]),
        ins(Syntax::Intel, "push", vec![reg("rbx")]),
        ins(Syntax::Intel, "cpuid", vec![]),
        ins(Syntax::Att, "movzbl", vec![reg("eax"), mem("rdi", 0, None)]),
        ins(Syntax::Att, "movq", vec![reg("rbx"), reg("rax")]),
        ins(Syntax::Intel, "lea", vec![reg("rax"), mem("rip", 16, None)]),
    ];
    let rounds = 200;
    let t = Instant::now();
    for _ in 0..rounds {
        for a in &corpus {
            let _ = match_instruction(a, Bitness::Bits64);
        }
    }
    let per = t.elapsed() / (rounds * corpus.len() as u32);
    eprintln!("match + facts: {per:?} per statement");
    let mov = &corpus[0];
    let t = Instant::now();
    for _ in 0..rounds {
        let _ = match_instruction(mov, Bitness::Bits64);
    }
    eprintln!("`mov [rdi+8], rax`: {:?}", t.elapsed() / rounds);
}

/// Statements that match, as seeds for mutation.
fn seeds() -> Vec<InstructionAst> {
    vec![
        ins(
            Syntax::Intel,
            "mov",
            vec![mem("rdi", 8, Some(8)), reg("rax")],
        ),
        ins(Syntax::Intel, "add", vec![reg("rax"), imm(1)]),
        ins(
            Syntax::Intel,
            "vaddps",
            vec![reg_dec("zmm0", "k1", true), reg("zmm1"), reg("zmm2")],
        ),
        ins(
            Syntax::Intel,
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
        ),
        ins(Syntax::Intel, "enter", vec![imm(16), imm(0)]),
        ins(Syntax::Intel, "jrcxz", vec![label("2", true)]),
        ins(
            Syntax::Intel,
            "movs",
            vec![mem("rdi", 0, Some(1)), mem("rsi", 0, Some(1))],
        ),
        ins(Syntax::Intel, "fadd", vec![reg("st(0)"), reg("st(3)")]),
        ins(Syntax::Att, "movzbl", vec![reg("eax"), mem("rdi", 0, None)]),
        ins(Syntax::Intel, "maskmovq", vec![reg("mm0"), reg("mm1")]),
        ins(Syntax::Intel, "lea", vec![reg("rax"), mem("rip", 16, None)]),
    ]
}

/// Changes one thing in a statement.
fn mutate(rng: &mut Rng, a: &mut InstructionAst) {
    let n = a.operands.len();
    match rng.next() % 6 {
        0 if n > 0 => {
            let i = (rng.next() % n as u64) as usize;
            a.operands[i] = operand(rng);
        }
        1 if n > 1 => a.operands.swap(0, n - 1),
        2 if n > 0 => {
            a.operands.pop();
        }
        3 => a.operands.push(operand(rng)),
        4 => {
            a.syntax = if a.syntax == Syntax::Intel {
                Syntax::Att
            } else {
                Syntax::Intel
            };
        }
        _ => {
            for op in &mut a.operands {
                if let OperandAst::Mem(m) = op {
                    m.scale = rng.pick(&[0, 1, 3, 8]);
                    m.displacement = rng.pick(&[0, -1, 1 << 31, 1 << 33, i128::MIN]);
                    m.broadcast = rng.pick(&[None, Some(16), Some(4)]);
                }
            }
        }
    }
}

#[test]
fn mutated_statements_never_panic() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let seeds = seeds();
    for s in &seeds {
        assert!(match_instruction(s, Bitness::Bits64).is_ok(), "{s:?}");
    }
    for _ in 0..10_000 {
        let mut a = rng.pick(&seeds.iter().collect::<Vec<_>>()).clone();
        for _ in 0..=(rng.next() % 3) {
            mutate(&mut rng, &mut a);
        }
        let bitness = if rng.next().is_multiple_of(3) {
            Bitness::Bits32
        } else {
            Bitness::Bits64
        };
        let res = std::panic::catch_unwind(|| match_instruction(&a, bitness));
        assert!(res.is_ok(), "panicked on {a:?} {bitness:?}");
    }
}
