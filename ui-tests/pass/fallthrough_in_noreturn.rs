// Near misses: every path ends in `ud2`, a jump back, a jump out, or a call
// to a function that does not return; code after an unconditional jump that
// nothing targets cannot run.
use checked_asm::asm;

extern "C" fn abort_c() -> ! {
    std::process::abort()
}

#[allow(dead_code)]
fn traps(x: u64) -> ! {
    unsafe { asm!("test {x}, {x}", "jz 2f", "ud2", "2:", "ud2", x = in(reg) x, options(noreturn, nomem, nostack)) }
}

#[allow(dead_code)]
fn spins() -> ! {
    unsafe { asm!("2:", "hlt", "jmp 2b", options(noreturn, nomem, nostack)) }
}

#[allow(dead_code)]
fn calls(x: u64) -> ! {
    unsafe { asm!("test {x}, {x}", "jz 2f", "ud2", "2:", "call {f}", x = in(reg) x, f = sym abort_c, options(noreturn)) }
}

#[allow(dead_code)]
fn unreachable_tail() -> ! {
    unsafe { asm!("ud2", "nop", options(noreturn, nomem, nostack)) }
}

fn main() {}
