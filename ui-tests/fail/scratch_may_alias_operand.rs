// A register the block borrows (saves, uses, restores) may be the very one
// the compiler gave to a `reg` operand.
use checked_asm::asm;

fn store_ebx(p: *mut u32) {
    unsafe {
        asm!("push rbx", "cpuid", "mov dword ptr [{p}], ebx", "pop rbx", p = in(reg) p, inout("eax") 0u32 => _, inout("ecx") 0u32 => _, out("edx") _, options(preserves_flags))
    };
}

fn borrowed_rcx(x: u64) -> u64 {
    let y: u64;
    unsafe { asm!("push rcx", "mov rcx, 3", "lea {y}, [{x} + rcx]", "pop rcx", x = in(reg) x, y = lateout(reg) y, options(nomem, preserves_flags)) };
    y
}

fn att_store_ebx(p: *mut u32) {
    unsafe {
        asm!("pushq %rbx", "cpuid", "movl %ebx, ({p})", "popq %rbx", p = in(reg) p, inout("eax") 0u32 => _, inout("ecx") 0u32 => _, out("edx") _, options(att_syntax, preserves_flags))
    };
}

fn main() {}
