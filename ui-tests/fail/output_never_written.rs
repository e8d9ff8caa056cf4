// An `out` operand must be written on every path to the end.
use checked_asm::asm;

fn one_branch(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!("test {x}, {x}", "jz 2f", "mov {r}, 1", "2:", x = in(reg) x, r = out(reg) r, options(pure, nomem, nostack)) };
    r
}

fn never() -> u64 {
    let r: u64;
    unsafe { asm!("nop", out("rax") r, options(pure, nomem, nostack, preserves_flags)) };
    r
}

fn att_one_branch(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!("testq {x}, {x}", "jz 2f", "movq $1, {r}", "2:", x = in(reg) x, r = out(reg) r, options(att_syntax, pure, nomem, nostack)) };
    r
}

fn main() {}
