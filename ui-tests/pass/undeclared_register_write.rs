// Near misses: declared clobbers, `clobber_abi`, a register restored by a
// `pop` or through a scratch operand, zeroing into an output, and a
// statement with its clobber under one `cfg`.
use checked_asm::asm;

extern "C" fn callee() -> u64 {
    7
}

fn main() {
    let (lo, hi): (u32, u32);
    let r: u64;
    unsafe {
        asm!("rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack, preserves_flags));
        asm!("push rcx", "mov rcx, 5", "pop rcx", options(nomem, preserves_flags));
        asm!("call {f}", f = sym callee, out("rax") r, clobber_abi("C"));
        let z: u64;
        asm!("xor {z:e}, {z:e}", z = lateout(reg) z, options(pure, nomem, nostack));
        assert_eq!(z, 0);
        // A statement and its clobber under the same `cfg`: each build
        // declares what it writes.
        asm!(
            "nop",
            #[cfg(debug_assertions)]
            "mov rcx, 1",
            #[cfg(debug_assertions)]
            out("rcx") _,
            options(nomem, nostack),
        );
    }
    let _ = (lo, hi);
    assert_eq!(r, 7);
}
