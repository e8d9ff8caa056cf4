//! Our own register type and the mapping between iced's `Register` and the
//! normalised names the template AST uses (`rax`, `st(1)`, `r8b`, `k1`).
//!
//! Later stages (dataflow, clobber checks) must not see iced types, and they
//! need more than a name: the *family* (the full architectural register a
//! name is part of), the width and the bit offset, so that `mov al, 1`
//! (merges into `rax`) can be told from `mov eax, 1` (replaces all of `rax`).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use iced_x86::Register;

use super::names::Fnv;
use crate::template::ast::Bitness;

/// Broad class of a register, for messages and for rules that treat whole
/// classes alike (vector clobbers, `k` masks, x87 stack).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegClass {
    /// General-purpose registers `al`…`r15`.
    Gpr,
    /// `rip` / `eip`.
    InstructionPointer,
    /// `es`, `cs`, `ss`, `ds`, `fs`, `gs`.
    Segment,
    /// x87 stack registers `st(0)`…`st(7)`.
    X87,
    /// MMX `mm0`…`mm7` (aliased onto the x87 registers by the hardware).
    Mmx,
    /// `xmm`/`ymm`/`zmm` registers.
    Vector,
    /// AVX-512 mask registers `k0`…`k7`.
    Mask,
    /// Control registers `cr0`…`cr15`.
    Control,
    /// Debug registers `dr0`…`dr15`.
    Debug,
    /// Test registers (`tr0`…`tr7`, 386/486 only).
    Test,
    /// MPX bound registers `bnd0`…`bnd3`.
    Bound,
    /// AMX tile registers `tmm0`…`tmm7`.
    Tile,
}

/// One register as an instruction uses it.
///
/// `family` names the full register the bits belong to (`rax` for `ah`,
/// `zmm3` for `xmm3`; in 32-bit mode GPR families are the 32-bit names
/// `eax`…); `width` and `offset` (in bits) say which bits are used. A write
/// whose width is smaller than the family's full width merges into the old
/// value; a write covering the family replaces it (iced already reports
/// 32-bit GPR writes and VEX/EVEX vector writes at the full width because
/// they zero the upper bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reg {
    /// The register as written (`ah`, `xmm3`, `st(1)`).
    pub name: &'static str,
    /// The full register (`rax`, `zmm3`, `st(1)`).
    pub family: &'static str,
    /// Width in bits of the part used.
    pub width: u16,
    /// Offset in bits of the part used inside the family (8 for `ah`).
    pub offset: u16,
    /// Class of the register.
    pub class: RegClass,
}

impl Reg {
    /// Looks a normalised register name up (`rax`, `r8b`, `st(1)`, `st`),
    /// as it would be used in `bitness` mode.
    pub fn from_name(name: &str, bitness: Bitness) -> Option<Reg> {
        iced_register(name).map(|r| reg_from_iced(r, bitness))
    }

    /// Whether the access covers the whole family (a write replaces it).
    pub fn is_full(&self) -> bool {
        self.width >= family_width(self)
    }
}

/// Width in bits of the family register of `reg`.
fn family_width(reg: &Reg) -> u16 {
    match reg.class {
        RegClass::Gpr => {
            if reg.family.starts_with('r') {
                64
            } else {
                32
            }
        }
        RegClass::Vector => 512,
        _ => reg.width,
    }
}

/// Name tables, built once: normalised name → iced register, and the
/// reverse (indexed by `Register as usize`).
struct Names {
    /// (FNV-hashed: looked up for every register operand.)
    by_name: HashMap<&'static str, Register, BuildHasherDefault<Fnv>>,
    by_reg: Vec<&'static str>,
}

/// The lazily built name tables.
fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(build_names)
}

/// Normalised spelling of an iced register: iced's own name in lower case,
/// except `st(i)` and LLVM's `r8b`…`r15b` (iced says `r8l`).
fn spelling(reg: Register) -> String {
    let raw = format!("{reg:?}").to_ascii_lowercase();
    if reg.is_st() {
        return format!("st({})", reg.number());
    }
    if reg.is_gpr8() && raw.starts_with('r') && raw.ends_with('l') {
        let mut s = raw;
        s.pop();
        s.push('b');
        return s;
    }
    raw
}

/// Builds both tables from iced's register list.
fn build_names() -> Names {
    let mut by_name = HashMap::default();
    let mut by_reg = Vec::new();
    for reg in Register::values() {
        let usable = reg != Register::None && !format!("{reg:?}").starts_with("DontUse");
        let name: &'static str = if usable {
            Box::leak(spelling(reg).into_boxed_str())
        } else {
            ""
        };
        if usable {
            by_name.insert(name, reg);
        }
        by_reg.push(name);
    }
    // Accepted alternative spellings.
    for (alias, reg) in [
        ("st", Register::ST0),
        ("r8l", Register::R8L),
        ("r9l", Register::R9L),
        ("r10l", Register::R10L),
        ("r11l", Register::R11L),
        ("r12l", Register::R12L),
        ("r13l", Register::R13L),
        ("r14l", Register::R14L),
        ("r15l", Register::R15L),
    ] {
        by_name.insert(alias, reg);
    }
    for i in 0..8u8 {
        let alias: &'static str = Box::leak(format!("st{i}").into_boxed_str());
        if let Some(&r) = by_name.get(spelling_st(i)) {
            by_name.insert(alias, r);
        }
    }
    Names { by_name, by_reg }
}

/// `st(i)` spelled as stored in the table.
fn spelling_st(i: u8) -> &'static str {
    [
        "st(0)", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)",
    ][usize::from(i & 7)]
}

/// The iced register for a normalised name.
pub(super) fn iced_register(name: &str) -> Option<Register> {
    names().by_name.get(name).copied()
}

/// The normalised name of an iced register (`""` for `None`).
pub(super) fn register_name(reg: Register) -> &'static str {
    names().by_reg.get(reg as usize).copied().unwrap_or("")
}

/// Converts an iced register to ours.
pub(super) fn reg_from_iced(reg: Register, bitness: Bitness) -> Reg {
    let class = class_of(reg);
    let family_reg = match class {
        RegClass::Gpr if bitness != Bitness::Bits64 => reg.full_register32(),
        RegClass::Gpr | RegClass::Vector | RegClass::InstructionPointer => reg.full_register(),
        _ => reg,
    };
    let high8 = matches!(
        reg,
        Register::AH | Register::CH | Register::DH | Register::BH
    );
    let width = u16::try_from(reg.size() * 8).unwrap_or(u16::MAX);
    Reg {
        name: register_name(reg),
        family: register_name(family_reg),
        width,
        offset: if high8 { 8 } else { 0 },
        class,
    }
}

/// The class of an iced register.
pub(super) fn class_of(reg: Register) -> RegClass {
    if reg.is_gpr() {
        RegClass::Gpr
    } else if reg.is_ip() {
        RegClass::InstructionPointer
    } else if reg.is_segment_register() {
        RegClass::Segment
    } else if reg.is_st() {
        RegClass::X87
    } else if reg.is_mm() {
        RegClass::Mmx
    } else if reg.is_vector_register() {
        RegClass::Vector
    } else if reg.is_k() {
        RegClass::Mask
    } else if reg.is_cr() {
        RegClass::Control
    } else if reg.is_dr() {
        RegClass::Debug
    } else if reg.is_tr() {
        RegClass::Test
    } else if reg.is_bnd() {
        RegClass::Bound
    } else {
        RegClass::Tile
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(iced_register("rax"), Some(Register::RAX));
        assert_eq!(iced_register("r8b"), Some(Register::R8L));
        assert_eq!(iced_register("st(1)"), Some(Register::ST1));
        assert_eq!(iced_register("st"), Some(Register::ST0));
        assert_eq!(iced_register("tmm0"), Some(Register::TMM0));
        assert_eq!(iced_register("bnd0"), Some(Register::BND0));
        assert_eq!(iced_register("foo"), None);
        assert_eq!(register_name(Register::R15L), "r15b");
        assert_eq!(register_name(Register::CR3), "cr3");
    }

    #[test]
    fn families() {
        let ah = Reg::from_name("ah", Bitness::Bits64).unwrap();
        assert_eq!((ah.family, ah.width, ah.offset), ("rax", 8, 8));
        let eax32 = Reg::from_name("eax", Bitness::Bits32).unwrap();
        assert_eq!(eax32.family, "eax");
        assert!(eax32.is_full());
        let xmm = Reg::from_name("xmm3", Bitness::Bits64).unwrap();
        assert_eq!((xmm.family, xmm.width), ("zmm3", 128));
        assert!(!xmm.is_full());
    }
}
