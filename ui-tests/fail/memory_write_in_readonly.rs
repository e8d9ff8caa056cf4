// `readonly` promises the block writes no memory the compiler can see.
use checked_asm::asm;

fn store(p: *mut u64) {
    unsafe { asm!("mov qword ptr [{p}], 0", p = in(reg) p, options(readonly, nostack, preserves_flags)) };
}

fn locked_add(p: *mut u32) {
    unsafe { asm!("lock add dword ptr [{p}], 1", p = in(reg) p, options(readonly, nostack)) };
}

fn string_store(dst: *mut u8, n: usize) {
    unsafe {
        asm!("rep stosb", inout("rdi") dst => _, inout("rcx") n => _, in("al") 0u8, options(readonly, nostack, preserves_flags))
    };
}

fn exchange(p: *mut u64, v: u64) -> u64 {
    let old: u64;
    unsafe { asm!("xchg qword ptr [{p}], {v}", p = in(reg) p, v = inout(reg) v => old, options(readonly, nostack, preserves_flags)) };
    old
}

fn system_call(n: u64) -> u64 {
    let r: u64;
    unsafe { asm!("syscall", inlateout("rax") n => r, out("rcx") _, out("r11") _, options(readonly, nostack)) };
    r
}

fn att_store(p: *mut u32) {
    unsafe { asm!("movl $0, ({p})", p = in(reg) p, options(att_syntax, readonly, nostack, preserves_flags)) };
}

fn main() {}
