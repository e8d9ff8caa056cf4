// `nomem` promises the block touches no memory the compiler can see.
use checked_asm::asm;

fn explicit_load(p: *const u64) -> u64 {
    let v: u64;
    unsafe { asm!("mov {v}, qword ptr [{p}]", p = in(reg) p, v = lateout(reg) v, options(nomem, nostack)) };
    v
}

fn explicit_store(p: *mut u64) {
    unsafe { asm!("mov qword ptr [{p}], 0", p = in(reg) p, options(nomem, nostack, preserves_flags)) };
}

fn implicit_string_op(dst: *mut u8, n: usize) {
    unsafe {
        asm!("rep stosb", inout("rdi") dst => _, inout("rcx") n => _, in("al") 0u8, options(nomem, nostack, preserves_flags))
    };
}

fn fence() {
    unsafe { asm!("mfence", options(nomem, nostack, preserves_flags)) };
}

fn locked(p: *mut u64) {
    unsafe { asm!("lock inc qword ptr [{p}]", p = in(reg) p, options(nomem, nostack)) };
}

fn task_register(selector: u16) {
    unsafe { asm!("ltr {0:x}", in(reg) selector, options(nomem, nostack, preserves_flags)) };
}

fn att_syntax(p: *const u32) -> u32 {
    let v: u32;
    unsafe { asm!("movl ({p}), {v:e}", p = in(reg) p, v = lateout(reg) v, options(att_syntax, nomem, nostack)) };
    v
}

fn main() {}
