// Every register the block reads must hold an input or have been written.
use checked_asm::asm;

fn divide(n: u64, d: u64) -> u64 {
    let q: u64;
    unsafe { asm!("div {d}", d = in(reg) d, inout("rax") n => q, out("rdx") _, options(pure, nomem, nostack)) };
    q
}

fn shift(x: u64) -> u64 {
    let mut x = x;
    unsafe { asm!("shl {x}, cl", x = inout(reg) x, options(pure, nomem, nostack)) };
    x
}

fn copy(dst: *mut u8, src: *const u8) {
    unsafe { asm!("rep movsb", inout("rsi") src => _, inout("rdi") dst => _, out("rcx") _, options(nostack, preserves_flags)) };
}

fn att_syntax() -> u64 {
    let r: u64;
    unsafe { asm!("leaq 1(%rdx), {r}", r = lateout(reg) r, options(att_syntax, pure, nomem, nostack)) };
    r
}

fn main() {}
