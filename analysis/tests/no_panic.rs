//! No input makes the analysis panic: random and mutated templates, operand
//! lists and options go through the whole pipeline (parse, read, match,
//! control flow, rules, expansion) for every macro kind.
//!
//! `CHECKED_ASM_FUZZ_ROUNDS` sets the number of rounds (default 3,000).

use checked_asm_analysis::{MacroKind, expand};

/// A small xorshift generator: reproducible, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const STATEMENTS: &[&str] = &[
    "mov {0}, {1}",
    "add {x}, 1",
    "lea {x}, [{x} + {x}*2 + 8]",
    "push rbx",
    "pop rbx",
    "cpuid",
    "rdtsc",
    "rep movsb",
    "lock cmpxchg qword ptr [{p}], {x}",
    "jz 2f",
    "2:",
    "jmp 2b",
    "call {f}",
    "ret",
    "ud2",
    "vaddps zmm0 {{k1}}{{z}}, zmm1, zmm2",
    "fld qword ptr [{p}]",
    ".byte 0x0f, 0x0b",
    ".p2align 4",
    ".pushsection .data",
    ".quad 2b",
    ".popsection",
    "movq %rax, %rbx",
    "addq $1, ({p})",
    "mov cr3, {x}",
    "in al, dx",
    "xchg {x}, qword ptr [{p}]",
    "int 0x80",
    "int 0x13",
    "push 0x7a",
    "pop si",
    "mov ax, word ptr [bx + si]",
    "rep movsw",
    ".code16",
    ".code16gcc",
    "syscall",
    "pushfq",
    "popfq",
    "{{",
    "}}",
    "{",
    "{0:e}",
    "{x:h}",
    "# comment",
    "/* c */ nop",
    "nop; nop",
    "lock",
    "rep",
    ".set n, 5",
    "mov eax, n",
    ".code32",
    "mov {x:e}, cr0",
    ".code64",
    "xor eax, eax",
    "1:",
    "jmp 1b",
    "offset",
    "[",
    "]",
    "$",
    "%",
    "\\",
    "\"",
    "ü",
    "\u{0}",
    "0x",
    "0b",
    "'a",
    "{{1to16}}",
    ".rept 3",
    ".endr",
    "n = n + 1",
];

const OPERANDS: &[&str] = &[
    "x = inout(reg) x",
    "p = in(reg) p",
    "f = sym f",
    "in(reg) a",
    "out(reg) b",
    "lateout(\"rax\") _",
    "inout(\"ecx\") 0 => _",
    "const 5",
    "const N",
    "l = label { }",
    "in(xmm_reg) v",
    "out(\"rdx\") _",
    "options(nomem, nostack)",
    "options(att_syntax)",
    "options(pure, readonly)",
    "options(noreturn)",
    "options(preserves_flags)",
    "options(raw)",
    "clobber_abi(\"C\")",
    "allow(stack_use_in_nostack, reason = \"r\")",
    "allow(bogus)",
    "#[cfg(feature = \"a\")] out(\"rcx\") _",
    "#[cfg(not(unix),)] in(reg) a",
    "#[cfg(unix)] #[cfg(any(windows, target_arch = \"x86\"))] \"cli\"",
    "#[cfg(target_arch = \"x86_64\")] \"mov rax, 1\"",
    "#[cfg_attr(unix, cfg(test))] out(\"rdx\") _",
    "#[cfg(feature = \"a\")] options(nomem)",
];

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.below(4) {
        if chars.is_empty() {
            break;
        }
        let at = rng.below(chars.len());
        match rng.below(3) {
            0 => {
                chars.remove(at);
            }
            1 => chars.insert(
                at,
                *[' ', '{', '}', ',', '[', ']', '0', 'f', ':', '$']
                    .get(rng.below(10))
                    .unwrap(),
            ),
            _ => {
                let other = rng.below(chars.len());
                chars.swap(at, other);
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn random_blocks_never_panic() {
    let rounds: usize = std::env::var("CHECKED_ASM_FUZZ_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3_000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..rounds {
        let statements: Vec<String> = (0..1 + rng.below(6))
            .map(|_| {
                let statement = rng.pick(STATEMENTS);
                if rng.below(3) == 0 {
                    mutate(&mut rng, statement)
                } else {
                    statement.to_owned()
                }
            })
            .collect();
        let mut args = if rng.below(2) == 0 {
            format!("\"{}\"", escape(&statements.join("\n")))
        } else {
            statements
                .iter()
                .map(|s| format!("\"{}\"", escape(s)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for _ in 0..rng.below(5) {
            args.push_str(", ");
            args.push_str(rng.pick(OPERANDS));
        }
        let Ok(tokens) = args.parse() else { continue };
        let kind = [MacroKind::Asm, MacroKind::GlobalAsm, MacroKind::NakedAsm][rng.below(3)];
        let _ = expand(kind, tokens, &checked_asm_analysis::includes::no_includes);
    }
}
