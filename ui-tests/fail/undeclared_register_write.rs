// Every register the block writes must be an output, a clobber, or restored.
use checked_asm::asm;

fn rdtsc_half() -> u32 {
    let lo: u32;
    unsafe { asm!("rdtsc", out("eax") lo, options(nomem, nostack, preserves_flags)) };
    lo
}

fn named_scratch(x: u64) -> u64 {
    let y: u64;
    unsafe { asm!("mov rcx, {x}", "lea {y}, [rcx + 1]", x = in(reg) x, y = lateout(reg) y, options(pure, nomem, nostack)) };
    y
}

fn vector_state() {
    unsafe { asm!("vzeroupper", options(nomem, nostack, preserves_flags)) };
}

fn conditional(x: u64) {
    unsafe { asm!("test {x}, {x}", "jz 2f", "xor edx, edx", "2:", x = in(reg) x, options(nomem, nostack)) };
}

fn att_syntax() -> u64 {
    let r: u64;
    unsafe { asm!("movq $1, %r9", "movq %r9, {r}", r = lateout(reg) r, options(att_syntax, pure, nomem, nostack)) };
    r
}

fn per_architecture() {
    // Only the x86-64 pieces are read for x86-64, and there they lie.
    unsafe {
        asm!(
            #[cfg(target_arch = "x86")]
            "pushad",
            #[cfg(target_arch = "x86_64")]
            "mov rcx, 1",
            options(nomem, nostack),
        )
    };
}

fn only_in_release_builds() {
    // The clobber exists where `debug_assertions` is off; the debug build
    // writes `rcx` undeclared.
    unsafe {
        asm!(
            "mov rcx, 1",
            #[cfg(not(debug_assertions))]
            out("rcx") _,
            options(nomem, nostack),
        )
    };
}

fn main() {}
