// An `out` operand holds garbage until the block writes it.
use checked_asm::asm;

fn increment() -> u64 {
    let r: u64;
    unsafe { asm!("add {r}, 1", r = out(reg) r, options(pure, nomem, nostack)) };
    r
}

fn explicit() -> u64 {
    let r: u64;
    unsafe { asm!("shl rax, 1", out("rax") r, options(pure, nomem, nostack)) };
    r
}

fn att_syntax() -> u64 {
    let r: u64;
    unsafe { asm!("incq {r}", r = lateout(reg) r, options(att_syntax, pure, nomem, nostack)) };
    r
}

fn main() {}
