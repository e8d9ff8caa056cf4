//! Immediate operands: which values each operand kind can hold, and the
//! iced `OpKind` to store them in.
//!
//! iced's setters truncate silently and its encoder does not check values
//! (iced notes pitfall 13), so the range check is ours. LLVM truncates
//! out-of-range values into the full-width (non-sign-extended) immediate
//! fields (`add byte ptr [rdi], 300` stores 44): that is the lenient pass
//! (pitfall 23), used only when nothing matches strictly.

use iced_x86::{OpCodeOperandKind as K, OpKind};

/// The iced operand kind for an immediate operand kind. `second` is true
/// when an immediate operand came before (`enter imm16, imm8`).
pub(super) fn op_kind(kind: K, second: bool) -> Option<OpKind> {
    Some(match kind {
        K::imm8 | K::imm4_m2z | K::imm8_const_1 if second => OpKind::Immediate8_2nd,
        K::imm8 | K::imm4_m2z | K::imm8_const_1 => OpKind::Immediate8,
        K::imm8sex16 => OpKind::Immediate8to16,
        K::imm8sex32 => OpKind::Immediate8to32,
        K::imm8sex64 => OpKind::Immediate8to64,
        K::imm16 => OpKind::Immediate16,
        K::imm32 => OpKind::Immediate32,
        K::imm32sex64 => OpKind::Immediate32to64,
        K::imm64 => OpKind::Immediate64,
        _ => return None,
    })
}

/// Width in bits of the value an immediate kind holds, for messages and
/// for preferring wide fields when the value is not known.
pub(super) fn width(kind: K) -> u32 {
    match kind {
        K::imm4_m2z => 4,
        K::imm8 | K::imm8_const_1 | K::imm8sex16 | K::imm8sex32 | K::imm8sex64 => 8,
        K::imm16 => 16,
        K::imm32 | K::imm32sex64 => 32,
        _ => 64,
    }
}

/// Whether `v` fits `kind` exactly as LLVM accepts it: signed or unsigned
/// for plain fields, and for sign-extended fields either the signed range
/// or its two's complement at the operation's width.
pub(super) fn fits(kind: K, v: i128) -> bool {
    let i8r = (-128..=127).contains(&v);
    match kind {
        K::imm8_const_1 => v == 1,
        K::imm4_m2z => (0..=15).contains(&v),
        K::imm8 => (-128..=255).contains(&v),
        K::imm8sex16 => i8r || (0xff80..=0xffff).contains(&v),
        K::imm8sex32 => i8r || (0xffff_ff80..=0xffff_ffff).contains(&v),
        K::imm8sex64 => i8r || (0xffff_ffff_ffff_ff80..=0xffff_ffff_ffff_ffff).contains(&v),
        K::imm16 => (-0x8000..=0xffff).contains(&v),
        K::imm32 => (i128::from(i32::MIN)..=i128::from(u32::MAX)).contains(&v),
        K::imm32sex64 => {
            (i128::from(i32::MIN)..=i128::from(i32::MAX)).contains(&v)
                || (0xffff_ffff_8000_0000..=0xffff_ffff_ffff_ffff).contains(&v)
        }
        K::imm64 => (i128::from(i64::MIN)..=i128::from(u64::MAX)).contains(&v),
        _ => false,
    }
}

/// Whether the lenient pass may truncate a value into `kind` (LLVM does so
/// only for full-width fields).
pub(super) fn truncatable(kind: K) -> bool {
    matches!(kind, K::imm8 | K::imm16 | K::imm32 | K::imm64)
}

/// The raw 64-bit pattern iced stores for `v` (two's complement).
pub(super) fn raw(v: i128) -> u64 {
    // Truncation to the low 64 bits is the intent: callers checked the range
    // or asked for LLVM-style truncation.
    (v & 0xffff_ffff_ffff_ffff) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(fits(K::imm8, 255));
        assert!(fits(K::imm8, -128));
        assert!(!fits(K::imm8, 256));
        assert!(fits(K::imm8sex32, 0xffff_ffff));
        assert!(!fits(K::imm8sex32, 128));
        assert!(fits(K::imm32sex64, -1));
        assert!(!fits(K::imm32sex64, 0xffff_ffff));
        assert!(fits(K::imm64, 0xffff_ffff));
        assert_eq!(raw(-1), u64::MAX);
    }
}
