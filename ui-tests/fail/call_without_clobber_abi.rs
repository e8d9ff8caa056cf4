// A call may change every caller-saved register.
use checked_asm::asm;

extern "C" fn callee() -> u64 {
    1
}

fn direct() -> u64 {
    let r: u64;
    unsafe { asm!("call {f}", f = sym callee, out("rax") r) };
    r
}

fn indirect(f: extern "C" fn() -> u64) -> u64 {
    let r: u64;
    unsafe { asm!("call {f}", f = in(reg) f, lateout("rax") r) };
    r
}

fn att_direct() -> u64 {
    let r: u64;
    unsafe { asm!("call {f}", f = sym callee, out("rax") r, options(att_syntax)) };
    r
}

fn main() {}
