// Near misses: the register is an input, or written first, or only saved
// and restored (a copy is not a use).
use checked_asm::asm;

fn main() {
    let q: u64;
    unsafe {
        asm!("div {d}", d = in(reg) 4u64, inout("rax") 42u64 => q, inout("rdx") 0u64 => _, options(pure, nomem, nostack));
        asm!("push rcx", "pop rcx", options(nomem, preserves_flags));
        let x: u64;
        asm!("xor ecx, ecx", "lea {x}, [rcx + 3]", x = lateout(reg) x, out("rcx") _, options(pure, nomem, nostack));
        assert_eq!(x, 3);
    }
    assert_eq!(q, 10);
}
