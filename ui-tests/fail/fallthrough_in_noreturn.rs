// `noreturn` promises that no path reaches the end of the template.
use checked_asm::asm;

fn conditional(x: u64) -> ! {
    unsafe { asm!("test {x}, {x}", "jz 2f", "ud2", "2:", x = in(reg) x, options(noreturn, nomem, nostack)) }
}

fn plain() -> ! {
    unsafe { asm!("mov eax, 1", options(noreturn, nomem, nostack)) }
}

fn halt() -> ! {
    unsafe { asm!("hlt", options(noreturn, nomem, nostack)) }
}

fn att_conditional(x: u64) -> ! {
    unsafe { asm!("testq {x}, {x}", "jne 2f", "ud2", "2:", "nop", x = in(reg) x, options(att_syntax, noreturn, nomem, nostack)) }
}

fn main() {}
