// `preserves_flags` promises the status flags, the x87 status word and the
// MXCSR exception flags are as they were.
use checked_asm::asm;

fn add(x: u64) -> u64 {
    let mut x = x;
    unsafe { asm!("add {x}, 1", x = inout(reg) x, options(pure, nomem, nostack, preserves_flags)) };
    x
}

fn popcount(x: u64) -> u64 {
    let n: u64;
    unsafe { asm!("popcnt {n}, {x}", x = in(reg) x, n = lateout(reg) n, options(pure, nomem, nostack, preserves_flags)) };
    n
}

fn compare(a: u64, b: u64) -> u8 {
    let r: u8;
    unsafe { asm!("cmp {a}, {b}", "setb {r}", a = in(reg) a, b = in(reg) b, r = lateout(reg_byte) r, options(pure, nomem, nostack, preserves_flags)) };
    r
}

fn float_add(a: f64, b: f64) -> f64 {
    let r: f64;
    unsafe { asm!("addsd {a}, {b}", a = inlateout(xmm_reg) a => r, b = in(xmm_reg) b, options(pure, nomem, nostack, preserves_flags)) };
    r
}

fn set_flags(value: u64) {
    unsafe { asm!("push {v}", "popfq", v = in(reg) value, options(nomem, preserves_flags)) };
}

fn att_shift(x: u32) -> u32 {
    let mut x = x;
    unsafe { asm!("shll $3, {x:e}", x = inout(reg) x, options(att_syntax, pure, nomem, nostack, preserves_flags)) };
    x
}

fn main() {}
