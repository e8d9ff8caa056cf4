// Near misses: `cpuid` with `rbx` saved through a scratch operand and
// `xchg`, `rbx` restored by `pop`, a balanced frame.
use checked_asm::asm;

fn main() {
    let (a, b, c, d): (u32, u32, u32, u32);
    unsafe {
        asm!("mov {t:r}, rbx", "cpuid", "xchg {t:r}, rbx", t = out(reg) b, inout("eax") 0u32 => a, inout("ecx") 0u32 => c, out("edx") d, options(nostack, preserves_flags));
        asm!("push rbx", "mov ebx, 1", "pop rbx", options(nomem, preserves_flags));
        asm!("push rbp", "mov rbp, rsp", "mov rsp, rbp", "pop rbp", options(nomem, preserves_flags));
    }
    let _ = (a, b, c, d);
}
