// A `lateout` may share a register with an input: it must be written only
// after the last read of every input.
use checked_asm::asm;

fn sum(a: u64, b: u64) -> u64 {
    let o: u64;
    unsafe { asm!("mov {o}, {a}", "add {o}, {b}", a = in(reg) a, b = in(reg) b, o = lateout(reg) o, options(pure, nomem, nostack)) };
    o
}

fn widening(a: u64, m: u64) -> u64 {
    let lo: u64;
    unsafe {
        asm!("mul {m}", "add rax, {m}", m = in(reg) m, inlateout("rax") a => lo, lateout("rdx") _, options(pure, nomem, nostack))
    };
    lo
}

fn att_sum(a: u64, b: u64) -> u64 {
    let o: u64;
    unsafe { asm!("movq {a}, {o}", "addq {b}, {o}", a = in(reg) a, b = in(reg) b, o = lateout(reg) o, options(att_syntax, pure, nomem, nostack)) };
    o
}

fn main() {}
