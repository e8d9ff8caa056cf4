// An `in` operand's register must hold its value again when the block ends.
use checked_asm::asm;

fn increment(x: u64) {
    unsafe { asm!("add {x}, 1", x = in(reg) x, options(nomem, nostack)) };
}

fn copy(dst: *mut u8, src: *const u8, n: usize) {
    unsafe { asm!("rep movsb", in("rcx") n, in("rsi") src, in("rdi") dst, options(nostack, preserves_flags)) };
}

fn att_syntax(x: u32) {
    unsafe { asm!("shll $2, {x:e}", x = in(reg) x, options(att_syntax, nomem, nostack)) };
}

fn main() {}
