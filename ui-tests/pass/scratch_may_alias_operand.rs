// Near misses: the scratch is an operand of its own; a declared clobber.
use checked_asm::asm;

fn main() {
    let mut out = 0u32;
    let p = &mut out as *mut u32;
    let y: u64;
    unsafe {
        asm!("mov {t:r}, rbx", "cpuid", "xchg {t:r}, rbx", "mov dword ptr [{p}], {t:e}", t = out(reg) _, p = in(reg) p, inout("eax") 0u32 => _, inout("ecx") 0u32 => _, out("edx") _, options(nostack, preserves_flags));
        asm!("mov rcx, 3", "lea {y}, [{x} + rcx]", x = in(reg) 39u64, y = lateout(reg) y, out("rcx") _, options(pure, nomem, nostack, preserves_flags));
    }
    assert_ne!(out, 0);
    assert_eq!(y, 42);
}
