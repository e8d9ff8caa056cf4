//! What the operand list declares, by register family: which registers
//! hold inputs, which are outputs or clobbers, and which registers the
//! compiler may allocate to a class operand.

use std::collections::BTreeSet;

use crate::parse::{AsmArgs, Direction, Output, RegSpec};
use crate::reading::Reading;
use crate::template::ast::Bitness;
use crate::template::registers::{ZMM, family};

/// One register operand, resolved to a family.
#[derive(Clone, Debug)]
pub struct DeclaredOperand {
    /// Index into `AsmArgs::operands`.
    pub index: usize,
    /// Its direction.
    pub direction: Direction,
    /// The register family: the explicit register, or the representative
    /// the template substituted for a class operand.
    pub family: String,
    /// The register class for class operands (`reg`, `xmm_reg`…); `None`
    /// for explicit registers.
    pub class: Option<String>,
    /// Whether the output is `_` (a clobber).
    pub discarded: bool,
    /// The operand's name (`x` in `x = in(reg) x`) or its expression, for
    /// messages.
    pub label: String,
}

impl DeclaredOperand {
    /// Whether the register holds a value on entry.
    pub fn is_input(&self) -> bool {
        self.direction.is_input()
    }

    /// Whether the register's final value is an output (or clobber).
    pub fn is_output(&self) -> bool {
        self.direction.is_output()
    }

    /// Whether this is an `out`/`lateout` whose value the Rust code keeps
    /// (not `_`): the block owes it a value, and it holds none on entry.
    pub fn is_kept_output(&self) -> bool {
        matches!(self.direction, Direction::Out | Direction::LateOut) && !self.discarded
    }
}

/// Everything the operand list says about registers.
#[derive(Clone, Debug, Default)]
pub struct Declared {
    /// Register operands in order.
    pub operands: Vec<DeclaredOperand>,
    /// Families clobbered by `clobber_abi(..)` (late clobbers).
    pub abi_clobbers: BTreeSet<String>,
    /// Whether any `clobber_abi(..)` is present.
    pub has_clobber_abi: bool,
}

impl Declared {
    /// Reads the operand list of `args` as the template reading resolved it.
    pub fn new(args: &AsmArgs, reading: &Reading) -> Declared {
        let mut declared = Declared::default();
        for (index, operand) in args.operands.iter().enumerate() {
            let Some(reg) = operand.reg() else { continue };
            let (family_name, class) = match &reg.reg {
                RegSpec::Explicit(_) => (family(&reg.reg_name), None),
                RegSpec::Class(_) => (
                    reading.placeholder_registers.get(&index).cloned(),
                    Some(reg.reg_name.clone()),
                ),
            };
            let Some(family_name) = family_name else {
                continue;
            };
            let label = match &operand.name {
                Some(name) => name.to_string(),
                None => format!("operand {index}"),
            };
            declared.operands.push(DeclaredOperand {
                index,
                direction: reg.direction,
                family: family_name,
                class,
                discarded: matches!(reg.output, Some(Output::Discard)),
                label,
            });
        }
        for group in &args.clobber_abis {
            declared.has_clobber_abi = true;
            for abi in &group.abis {
                declared
                    .abi_clobbers
                    .extend(abi_clobbers(&abi.value(), reading.bitness).map(str::to_owned));
            }
        }
        declared
    }

    /// Every family an operand names.
    pub fn families(&self) -> Vec<String> {
        self.operands.iter().map(|op| op.family.clone()).collect()
    }

    /// Families of explicit-register outputs and clobbers (`out("rax") r`):
    /// what code the block calls can set by convention. Class operands are
    /// not among them: the callee cannot know which register they got.
    pub fn output_families(&self) -> Vec<String> {
        self.operands
            .iter()
            .filter(|op| op.is_output() && op.class.is_none())
            .map(|op| op.family.clone())
            .collect()
    }

    /// Whether the family is an output or clobber of some operand, or
    /// clobbered by `clobber_abi`.
    pub fn is_clobbered(&self, family: &str) -> bool {
        self.abi_clobbers.contains(family)
            || self
                .operands
                .iter()
                .any(|op| op.is_output() && op.family == family)
    }

    /// Whether the family holds an input on entry.
    pub fn is_input(&self, family: &str) -> bool {
        self.operands
            .iter()
            .any(|op| op.is_input() && op.family == family)
    }

    /// The operand whose register is the family, if any.
    pub fn operand_of(&self, family: &str) -> Option<&DeclaredOperand> {
        self.operands.iter().find(|op| op.family == family)
    }

    /// Whether the family is named by an explicit operand.
    pub fn is_explicit(&self, family: &str) -> bool {
        self.operands
            .iter()
            .any(|op| op.class.is_none() && op.family == family)
    }
}

/// The registers an ABI does not preserve across calls
/// (r[asm.abi-clobbers]; asm-rules.md §2.8), as families.
pub fn abi_clobbers(abi: &str, bitness: Bitness) -> impl Iterator<Item = &'static str> {
    let mut out: Vec<&'static str> = Vec::with_capacity(80);
    match bitness {
        Bitness::Bits32 | Bitness::Bits16 => {
            out.extend(["rax", "rcx", "rdx"]);
            out.extend(&ZMM[..8]);
        }
        Bitness::Bits64 => {
            let win64 = matches!(abi, "win64" | "efiapi");
            out.extend(["rax", "rcx", "rdx", "r8", "r9", "r10", "r11"]);
            if !win64 {
                out.extend(["rsi", "rdi"]);
            }
            out.extend(ZMM);
            out.extend([
                "tmm0", "tmm1", "tmm2", "tmm3", "tmm4", "tmm5", "tmm6", "tmm7",
            ]);
        }
    }
    out.extend(["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"]);
    out.extend([
        "st(0)", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)",
    ]);
    out.extend(["mm0", "mm1", "mm2", "mm3", "mm4", "mm5", "mm6", "mm7"]);
    out.into_iter()
}

/// The general-purpose families the compiler may give a `reg`-class
/// operand (rbx and rbp included: r[asm.register-names.fp-bp-reserved]).
pub fn allocatable_gprs(bitness: Bitness) -> &'static [&'static str] {
    match bitness {
        Bitness::Bits64 => &[
            "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11", "r12",
            "r13", "r14", "r15",
        ],
        Bitness::Bits32 | Bitness::Bits16 => &["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp"],
    }
}

/// The registers Rust reserves: the stack pointer, the frame pointer, and
/// the base register LLVM uses internally (rbx on x86-64, esi on x86).
pub fn reserved(bitness: Bitness) -> &'static [&'static str] {
    match bitness {
        Bitness::Bits64 => &["rbx", "rbp", "rsp"],
        Bitness::Bits32 | Bitness::Bits16 => &["rsi", "rbp", "rsp"],
    }
}

/// Broad register kinds, for "may these two share a register".
pub fn kind_of(family: &str) -> &'static str {
    if family.starts_with("zmm") {
        "vector"
    } else if family.starts_with('k') && family[1..].parse::<u8>().is_ok() {
        "mask"
    } else if family.starts_with("st(") || family.starts_with("mm") {
        "x87"
    } else if family.starts_with("tmm") {
        "tile"
    } else {
        "general"
    }
}
