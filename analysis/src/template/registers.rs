//! Register names: recognition, normalisation and families.
//!
//! Templates spell registers in any case (`RAX`, `Xmm3`) and several ways
//! (`st`, `st(0)`); the AST stores one lower-case spelling so that later
//! stages compare strings, never spellings. Families (`al`/`ah`/`ax`/`eax`/
//! `rax` → `rax`; `xmm3`/`ymm3`/`zmm3` → `zmm3`) follow iced's
//! `full_register()`, so that the placeholder map and explicit operands can
//! be compared with what an instruction reads and writes.

use super::ast::SegmentReg;

/// General-purpose registers by hardware number: 64, 32, 16 and low-8-bit names.
const GPR: [[&str; 4]; 16] = [
    ["rax", "eax", "ax", "al"],
    ["rcx", "ecx", "cx", "cl"],
    ["rdx", "edx", "dx", "dl"],
    ["rbx", "ebx", "bx", "bl"],
    ["rsp", "esp", "sp", "spl"],
    ["rbp", "ebp", "bp", "bpl"],
    ["rsi", "esi", "si", "sil"],
    ["rdi", "edi", "di", "dil"],
    ["r8", "r8d", "r8w", "r8b"],
    ["r9", "r9d", "r9w", "r9b"],
    ["r10", "r10d", "r10w", "r10b"],
    ["r11", "r11d", "r11w", "r11b"],
    ["r12", "r12d", "r12w", "r12b"],
    ["r13", "r13d", "r13w", "r13b"],
    ["r14", "r14d", "r14w", "r14b"],
    ["r15", "r15d", "r15w", "r15b"],
];

/// The high-byte registers of the first four families, by hardware number.
const HIGH8: [&str; 4] = ["ah", "ch", "dh", "bh"];

/// Operand widths a placeholder modifier can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GprWidth {
    /// `r`: 64 bits.
    Q,
    /// `e`: 32 bits.
    D,
    /// `x`: 16 bits.
    W,
    /// `l`: low 8 bits.
    L,
    /// `h`: high 8 bits (`reg_abcd` only).
    H,
}

/// The hardware number of a general-purpose family name (`rax` → 0).
pub(crate) fn gpr_number(family: &str) -> Option<usize> {
    GPR.iter().position(|names| names[0] == family)
}

/// The name of general-purpose register `number` at `width`; `None` for a
/// high byte of a register that has none.
pub(crate) fn gpr_name(number: usize, width: GprWidth) -> Option<&'static str> {
    let names = GPR.get(number)?;
    Some(match width {
        GprWidth::Q => names[0],
        GprWidth::D => names[1],
        GprWidth::W => names[2],
        GprWidth::L => names[3],
        GprWidth::H => return HIGH8.get(number).copied(),
    })
}

/// Normalises a register name written in a template (without AT&T's `%`
/// and without `st`'s parenthesised index). Returns `None` for words that
/// are not registers (they are symbols). `st` becomes `st(0)`.
pub fn normalize(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    if is_register(&lower) {
        if lower == "st" {
            return Some("st(0)".to_owned());
        }
        return Some(lower);
    }
    None
}

/// `st(N)` written with its index, normalised.
pub(crate) fn x87(index: i128) -> Option<String> {
    (0..8).contains(&index).then(|| format!("st({index})"))
}

fn is_register(lower: &str) -> bool {
    if GPR.iter().any(|names| names.contains(&lower)) || HIGH8.contains(&lower) {
        return true;
    }
    if matches!(
        lower,
        "rip" | "eip" | "ip" | "es" | "cs" | "ss" | "ds" | "fs" | "gs" | "st"
    ) {
        return true;
    }
    numbered(lower, "cr", 16)
        || numbered(lower, "dr", 16)
        || numbered(lower, "mm", 8)
        || numbered(lower, "xmm", 32)
        || numbered(lower, "ymm", 32)
        || numbered(lower, "zmm", 32)
        || numbered(lower, "k", 8)
        || numbered(lower, "tmm", 8)
        || numbered(lower, "bnd", 4)
}

/// Whether `word` is `prefix` followed by a decimal number below `limit`
/// without leading zeros (`xmm07` is a symbol for LLVM).
fn numbered(word: &str, prefix: &str, limit: u32) -> bool {
    let Some(digits) = word.strip_prefix(prefix) else {
        return false;
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return false;
    }
    digits.parse::<u32>().is_ok_and(|n| n < limit)
}

/// The family of a normalised register name, spelled as iced's
/// `full_register()` would name it: the 64-bit general-purpose register
/// (also on x86-32, where `eax`'s family is `rax`), `zmmN` for vector
/// registers, and the register itself otherwise. `None` for non-registers.
pub fn family(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if let Some(names) = GPR.iter().find(|names| names.contains(&lower.as_str())) {
        return Some(names[0].to_owned());
    }
    if let Some(number) = HIGH8.iter().position(|high| *high == lower) {
        return Some(GPR[number][0].to_owned());
    }
    if matches!(lower.as_str(), "eip" | "ip") {
        return Some("rip".to_owned());
    }
    for prefix in ["xmm", "ymm"] {
        if numbered(&lower, prefix, 32) {
            return Some(format!("zmm{}", &lower[prefix.len()..]));
        }
    }
    if lower == "st" {
        return Some("st(0)".to_owned());
    }
    if let Some(index) = lower
        .strip_prefix("st(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        return index.trim().parse::<i128>().ok().and_then(x87);
    }
    is_register(&lower).then_some(lower)
}

/// The segment register a normalised name denotes.
pub(crate) fn segment(name: &str) -> Option<SegmentReg> {
    Some(match name.to_ascii_lowercase().as_str() {
        "es" => SegmentReg::Es,
        "cs" => SegmentReg::Cs,
        "ss" => SegmentReg::Ss,
        "ds" => SegmentReg::Ds,
        "fs" => SegmentReg::Fs,
        "gs" => SegmentReg::Gs,
        _ => return None,
    })
}

/// Whether a normalised register is a vector register (for VSIB indexes).
pub(crate) fn is_vector(name: &str) -> bool {
    numbered(name, "xmm", 32) || numbered(name, "ymm", 32) || numbered(name, "zmm", 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_general_registers_in_any_case() {
        assert_eq!(normalize("RAX").as_deref(), Some("rax"));
        assert_eq!(normalize("R8d").as_deref(), Some("r8d"));
        assert_eq!(normalize("sil").as_deref(), Some("sil"));
        assert_eq!(normalize("r15b").as_deref(), Some("r15b"));
        assert_eq!(normalize("ah").as_deref(), Some("ah"));
        assert_eq!(normalize("foo"), None);
        assert_eq!(normalize("r16"), None);
        assert_eq!(normalize("r8l"), None);
    }

    #[test]
    fn recognises_other_classes() {
        for name in [
            "cr0", "cr15", "dr7", "mm7", "xmm31", "ymm0", "zmm16", "k7", "tmm7", "bnd3", "fs",
            "rip",
        ] {
            assert_eq!(normalize(name).as_deref(), Some(name), "{name}");
        }
        for name in ["xmm32", "k8", "bnd4", "mm8", "xmm01", "tmm8"] {
            assert_eq!(normalize(name), None, "{name}");
        }
        assert_eq!(normalize("ST").as_deref(), Some("st(0)"));
    }

    #[test]
    fn families() {
        assert_eq!(family("al").as_deref(), Some("rax"));
        assert_eq!(family("BH").as_deref(), Some("rbx"));
        assert_eq!(family("r9w").as_deref(), Some("r9"));
        assert_eq!(family("ymm3").as_deref(), Some("zmm3"));
        assert_eq!(family("st").as_deref(), Some("st(0)"));
        assert_eq!(family("st(3)").as_deref(), Some("st(3)"));
        assert_eq!(family("k1").as_deref(), Some("k1"));
        assert_eq!(family("eip").as_deref(), Some("rip"));
        assert_eq!(family("nope"), None);
    }

    #[test]
    fn widths() {
        assert_eq!(gpr_name(8, GprWidth::L), Some("r8b"));
        assert_eq!(gpr_name(3, GprWidth::H), Some("bh"));
        assert_eq!(gpr_name(8, GprWidth::H), None);
        assert_eq!(gpr_number("r9"), Some(9));
    }
}
