// `pure` promises no side effects and a result that depends only on the
// inputs: the compiler may merge, hoist or delete the block.
use checked_asm::asm;

fn timestamp() -> u64 {
    let (lo, hi): (u32, u32);
    unsafe { asm!("rdtsc", out("eax") lo, out("edx") hi, options(pure, nomem, nostack, preserves_flags)) };
    (u64::from(hi) << 32) | u64::from(lo)
}

fn random() -> u64 {
    let r: u64;
    unsafe { asm!("rdrand {r}", r = out(reg) r, options(pure, nomem, nostack)) };
    r
}

fn vendor() -> u32 {
    let ebx: u32;
    unsafe {
        asm!("mov {t:r}, rbx", "cpuid", "xchg {t:r}, rbx", t = out(reg) ebx, inout("eax") 0u32 => _, out("ecx") _, out("edx") _, options(pure, nomem, nostack, preserves_flags))
    };
    ebx
}

fn page_fault_address() -> u64 {
    let a: u64;
    unsafe { asm!("mov {a}, cr2", a = out(reg) a, options(pure, nomem, nostack, preserves_flags)) };
    a
}

fn store(p: *mut u64) -> u64 {
    let r: u64;
    unsafe { asm!("mov qword ptr [{p}], 1", "mov {r}, 1", p = in(reg) p, r = lateout(reg) r, options(pure, readonly, nostack, preserves_flags)) };
    r
}

fn att_timestamp() -> u32 {
    let lo: u32;
    unsafe { asm!("rdtsc", out("eax") lo, out("edx") _, options(att_syntax, pure, nomem, nostack, preserves_flags)) };
    lo
}

fn main() {}
