// `rbx`, `rbp` and `rsp` must hold their entry values when the block ends.
use checked_asm::asm;

fn vendor() -> u32 {
    let (eax, ecx, edx): (u32, u32, u32);
    unsafe { asm!("cpuid", inout("eax") 0u32 => eax, inout("ecx") 0u32 => ecx, out("edx") edx, options(nomem, nostack, preserves_flags)) };
    eax ^ ecx ^ edx
}

fn unbalanced(x: u64) {
    unsafe { asm!("push {x}", x = in(reg) x, options(nomem, preserves_flags)) };
}

fn frame() {
    unsafe { asm!("mov rbp, rsp", options(nomem, nostack, preserves_flags)) };
}

fn att_vendor() -> u32 {
    let eax: u32;
    unsafe { asm!("cpuid", inout("eax") 0u32 => eax, inout("ecx") 0u32 => _, out("edx") _, options(att_syntax, nomem, nostack, preserves_flags)) };
    eax
}

fn main() {}
