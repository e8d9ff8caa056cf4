//! Register names: recognition, normalisation and families.
//!
//! Templates spell registers in any case (`RAX`, `Xmm3`) and several ways
//! (`st`, `st(0)`); the AST stores one lower-case spelling so that later
//! stages compare strings, never spellings. Families (`al`/`ah`/`ax`/`eax`/
//! `rax` → `rax`; `xmm3`/`ymm3`/`zmm3` → `zmm3`) follow iced's
//! `full_register()`, so that the placeholder map and explicit operands can
//! be compared with what an instruction reads and writes.

use std::borrow::Cow;

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

/// The longest register name that has no parentheses (`xmm31`): longer
/// words are symbols, whatever their case.
const MAX_NAME: usize = 5;

/// `word` in lower case, in `buffer`; `None` when it is longer than any
/// register name or not ASCII (then it is no register). Every word of every
/// template comes through here, so this avoids allocating a `String` for
/// the large majority that are not registers.
fn lower_short<'b>(word: &str, buffer: &'b mut [u8; MAX_NAME]) -> Option<&'b [u8]> {
    let bytes = word.as_bytes();
    if bytes.len() > MAX_NAME {
        return None;
    }
    // A plain loop: the slice helpers (`is_ascii`, `copy_from_slice`,
    // `make_ascii_lowercase`) cost far more unoptimised for five bytes.
    let mut length = 0;
    while length < bytes.len() {
        let byte = bytes[length];
        if !byte.is_ascii() {
            return None;
        }
        buffer[length] = byte.to_ascii_lowercase();
        length += 1;
    }
    Some(&buffer[..length])
}

/// The hardware number of a lower-case general-purpose register name of
/// any width (`eax`, `r9w`, `sil`, `bh` …), as [`GPR`] and [`HIGH8`] list
/// them. Decided by shape rather than by scanning the 68 names: this is
/// asked for every word of every template.
fn gpr_of(lower: &[u8]) -> Option<usize> {
    /// The legacy name cores, `ax`…`di`, by hardware number.
    fn legacy(a: u8, b: u8) -> Option<usize> {
        Some(match [a, b] {
            [b'a', b'x'] => 0,
            [b'c', b'x'] => 1,
            [b'd', b'x'] => 2,
            [b'b', b'x'] => 3,
            [b's', b'p'] => 4,
            [b'b', b'p'] => 5,
            [b's', b'i'] => 6,
            [b'd', b'i'] => 7,
            _ => return None,
        })
    }
    /// `a`, `c`, `d`, `b` (of `al`, `ch` …) by hardware number.
    fn abcd(a: u8) -> Option<usize> {
        Some(match a {
            b'a' => 0,
            b'c' => 1,
            b'd' => 2,
            b'b' => 3,
            _ => return None,
        })
    }
    /// `r8`…`r15` take no suffix or one of `d`, `w`, `b`.
    fn numbered_suffix(number: usize, suffix: &[u8]) -> Option<usize> {
        matches!(suffix, [] | [b'd' | b'w' | b'b']).then_some(number)
    }
    match *lower {
        [b'r', digit @ b'8'..=b'9', ref suffix @ ..] => {
            numbered_suffix(usize::from(digit - b'0'), suffix)
        }
        [b'r', b'1', digit @ b'0'..=b'5', ref suffix @ ..] => {
            numbered_suffix(10 + usize::from(digit - b'0'), suffix)
        }
        [a, b'l' | b'h'] => abcd(a),
        [a, b] => legacy(a, b),
        [b'r' | b'e', a, b] => legacy(a, b),
        [a, b, b'l'] => legacy(a, b).filter(|number| *number >= 4),
        _ => None,
    }
}

/// The family and width of a lower-case general register name (`si` is
/// `rsi` at 16 bits), without allocating: the dataflow asks this for every
/// register operand.
pub(crate) fn gpr_parts(name: &str) -> Option<(&'static str, GprWidth)> {
    let bytes = name.as_bytes();
    let number = gpr_of(bytes)?;
    let width = match *bytes {
        [b'r', _, ..] if number >= 8 => match bytes.last() {
            Some(b'd') => GprWidth::D,
            Some(b'w') => GprWidth::W,
            Some(b'b') => GprWidth::L,
            _ => GprWidth::Q,
        },
        [_, b'h'] => GprWidth::H,
        [_, b'l'] => GprWidth::L,
        [_, _] => GprWidth::W,
        [b'r', _, _] => GprWidth::Q,
        [b'e', _, _] => GprWidth::D,
        [_, _, b'l'] => GprWidth::L,
        _ => return None,
    };
    Some((GPR[number][0], width))
}

/// Whether a lower-case register name exists only in 64-bit mode: the
/// 64-bit general registers, `r8`–`r15` at any width, `spl`/`bpl`/`sil`/
/// `dil`, vector registers from 8 on, `tmm0`–`tmm7`, `cr8` and `rip`.
pub(crate) fn only_in_64_bit_mode(name: &str) -> bool {
    let bytes = name.as_bytes();
    if let Some(number) = gpr_of(bytes) {
        return number >= 8
            || matches!(gpr_parts(name), Some((_, GprWidth::Q)))
            || matches!(bytes, [_, _, b'l']);
    }
    let vector_number = ["xmm", "ymm", "zmm"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .and_then(|digits| digits.parse::<u8>().ok());
    match vector_number {
        Some(number) => number >= 8,
        None => name.starts_with("tmm") || matches!(name, "cr8" | "rip"),
    }
}

/// Normalises a register name written in a template (without AT&T's `%`
/// and without `st`'s parenthesised index). Returns `None` for words that
/// are not registers (they are symbols). `st` becomes `st(0)`.
pub fn normalize(word: &str) -> Option<String> {
    let mut buffer = [0; MAX_NAME];
    let lower = lower_short(word, &mut buffer)?;
    if is_register(lower) {
        if lower == b"st" {
            return Some("st(0)".to_owned());
        }
        return Some(word.to_ascii_lowercase());
    }
    None
}

/// `st(N)` written with its index, normalised.
pub(crate) fn x87(index: i128) -> Option<String> {
    (0..8).contains(&index).then(|| format!("st({index})"))
}

/// Whether a lower-case word is a register name.
fn is_register(lower: &[u8]) -> bool {
    if gpr_of(lower).is_some() {
        return true;
    }
    if matches!(
        lower,
        b"rip" | b"eip" | b"ip" | b"es" | b"cs" | b"ss" | b"ds" | b"fs" | b"gs" | b"st"
    ) {
        return true;
    }
    match lower.first() {
        Some(b'c') => numbered(lower, b"cr", 16),
        Some(b'd') => numbered(lower, b"dr", 16),
        Some(b'm') => numbered(lower, b"mm", 8),
        Some(b'x') => numbered(lower, b"xmm", 32),
        Some(b'y') => numbered(lower, b"ymm", 32),
        Some(b'z') => numbered(lower, b"zmm", 32),
        Some(b'k') => numbered(lower, b"k", 8),
        Some(b't') => numbered(lower, b"tmm", 8),
        Some(b'b') => numbered(lower, b"bnd", 4),
        _ => false,
    }
}

/// Whether `word` is `prefix` followed by a decimal number below `limit`
/// without leading zeros (`xmm07` is a symbol for LLVM).
fn numbered(word: &[u8], prefix: &[u8], limit: u32) -> bool {
    let Some(digits) = word.strip_prefix(prefix) else {
        return false;
    };
    // Every limit is below 100, and a number without leading zeros below
    // 100 has at most two digits.
    let value = match *digits {
        [units @ b'0'..=b'9'] => units - b'0',
        [tens @ b'1'..=b'9', units @ b'0'..=b'9'] => (tens - b'0') * 10 + (units - b'0'),
        _ => return false,
    };
    u32::from(value) < limit
}

/// The family of a normalised register name, spelled as iced's
/// `full_register()` would name it: the 64-bit general-purpose register
/// (also on x86-32, where `eax`'s family is `rax`), `zmmN` for vector
/// registers, and the register itself otherwise. `None` for non-registers.
pub fn family(name: &str) -> Option<String> {
    family_cow(name).map(Cow::into_owned)
}

/// Vector families by number, so that naming one allocates nothing.
pub(crate) const ZMM: [&str; 32] = [
    "zmm0", "zmm1", "zmm2", "zmm3", "zmm4", "zmm5", "zmm6", "zmm7", "zmm8", "zmm9", "zmm10",
    "zmm11", "zmm12", "zmm13", "zmm14", "zmm15", "zmm16", "zmm17", "zmm18", "zmm19", "zmm20",
    "zmm21", "zmm22", "zmm23", "zmm24", "zmm25", "zmm26", "zmm27", "zmm28", "zmm29", "zmm30",
    "zmm31",
];

/// [`family`] without allocating for the common families (every word of
/// every template is asked, and most answers are already known to the
/// caller).
pub(crate) fn family_cow(name: &str) -> Option<Cow<'static, str>> {
    if name.contains('(') {
        // Only `st(N)` has parentheses (with any spacing inside).
        let lower = name.to_ascii_lowercase();
        let index = lower.strip_prefix("st(")?.strip_suffix(')')?;
        return index
            .trim()
            .parse::<i128>()
            .ok()
            .and_then(x87)
            .map(Cow::Owned);
    }
    let mut buffer = [0; MAX_NAME];
    let lower = lower_short(name, &mut buffer)?;
    if let Some(number) = gpr_of(lower) {
        return Some(Cow::Borrowed(GPR[number][0]));
    }
    if matches!(lower, b"eip" | b"ip") {
        return Some(Cow::Borrowed("rip"));
    }
    // `zmmN` is its own family; asked here too so that it is not allocated.
    if let [b'x' | b'y' | b'z', b'm', b'm', number @ ..] = lower
        && numbered(lower, &lower[..3], 32)
    {
        // `numbered` accepted one or two digits without a leading zero.
        let value = match *number {
            [units] => units - b'0',
            [tens, units] => (tens - b'0') * 10 + (units - b'0'),
            _ => return None,
        };
        return ZMM.get(usize::from(value)).map(|name| Cow::Borrowed(*name));
    }
    if lower == b"st" {
        return Some(Cow::Borrowed("st(0)"));
    }
    // `lower` is ASCII (checked by `lower_short`).
    is_register(lower).then(|| Cow::Owned(String::from_utf8_lossy(lower).into_owned()))
}

/// The segment register a normalised name denotes.
pub(crate) fn segment(name: &str) -> Option<SegmentReg> {
    let mut buffer = [0; MAX_NAME];
    Some(match lower_short(name, &mut buffer)? {
        b"es" => SegmentReg::Es,
        b"cs" => SegmentReg::Cs,
        b"ss" => SegmentReg::Ss,
        b"ds" => SegmentReg::Ds,
        b"fs" => SegmentReg::Fs,
        b"gs" => SegmentReg::Gs,
        _ => return None,
    })
}

/// Whether a normalised register is a vector register (for VSIB indexes).
pub(crate) fn is_vector(name: &str) -> bool {
    let name = name.as_bytes();
    numbered(name, b"xmm", 32) || numbered(name, b"ymm", 32) || numbered(name, b"zmm", 32)
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
    fn registers_of_64_bit_mode_only() {
        for name in [
            "rax", "rsp", "r8", "r15d", "r9w", "r10b", "sil", "spl", "xmm8", "ymm15", "zmm31",
            "tmm0", "cr8", "rip",
        ] {
            assert!(only_in_64_bit_mode(name), "{name}");
        }
        for name in [
            "eax", "ax", "al", "ah", "esp", "si", "xmm7", "zmm0", "k7", "st(0)", "mm7", "cr4",
            "cs", "foo",
        ] {
            assert!(!only_in_64_bit_mode(name), "{name}");
        }
    }

    #[test]
    fn general_register_parts() {
        // Every name of the table, at the width of its column.
        let widths = [GprWidth::Q, GprWidth::D, GprWidth::W, GprWidth::L];
        for names in GPR {
            for (name, width) in names.iter().zip(widths) {
                assert_eq!(gpr_parts(name), Some((names[0], width)), "{name}");
            }
        }
        assert_eq!(gpr_parts("bh"), Some(("rbx", GprWidth::H)));
        for other in ["rip", "xmm0", "r16", "r8l", "esil", "cs", ""] {
            assert_eq!(gpr_parts(other), None, "{other}");
        }
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
