// Input that is not valid `asm!` is forwarded untouched, so rustc reports it
// exactly as it would for `core::arch::asm!` (the harness checks the twin).
use checked_asm::{asm, global_asm};

fn parse_errors(x: u64) {
    unsafe {
        asm!();
        asm!("nop",, options(nomem));
        asm!(b"nop");
        asm!("nop", in(reg) x, "nop");
        asm!("nop", options = nomem);
        asm!("{}", in(reg));
        asm!("nop", options(nomem nostack));
        asm!("{}", foo(reg) x);
        asm!("{}", in(reg) _);
    }
}

fn validation_errors(x: u64) {
    let y: u64;
    unsafe {
        asm!("{a}", a = in(reg) x, a = in(reg) x);
        asm!("", r = in("eax") x);
        asm!("{} {a}", a = in(reg) x, in(reg) x);
        asm!("nop", options(nomem, readonly));
        asm!("nop", options(pure, nomem));
        asm!("nop", options(nomem, nomem));
        asm!("{1}", in(reg) x);
        asm!("nop", in(reg) x);
        asm!("{}", in(foo) x);
        asm!("", in("rsp") x);
        asm!("", in("bx") x);
        asm!("nop", clobber_abi());
        asm!("nop", clobber_abi("foo"));
        asm!("{}", out(reg) y, clobber_abi("C"));
        asm!("{:q}", in(reg) x);
        asm!("nop", out("eax") _, options(noreturn));
    }
}

global_asm!("{}", in(reg) 1);
global_asm!("nop", options(nomem));

fn main() {
    parse_errors(1);
    validation_errors(1);
}
