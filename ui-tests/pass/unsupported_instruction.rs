// Near misses: sized memory operands, real mnemonics, data directives that
// decode to instructions, an explicit allow for a statement we do not read,
// and pieces of the template meant for the other architecture.
use checked_asm::asm;

fn main() {
    let mut x = 0u64;
    let p = &mut x as *mut u64;
    unsafe {
        asm!("add qword ptr [{p}], 1", p = in(reg) p, options(nostack));
        asm!("addq $1, ({p})", p = in(reg) p, options(att_syntax, nostack));
        // `pause` spelled as bytes.
        asm!(".byte 0xf3, 0x90", options(nomem, nostack, preserves_flags));
        asm!(
            ".rept 2",
            "nop",
            ".endr",
            options(nomem, nostack, preserves_flags),
            allow(unsupported_instruction, reason = "two `nop`s"),
        );
        // Each architecture reads only its own pieces: `pushad` does not
        // exist in 64-bit code, and is not read there.
        asm!(
            #[cfg(target_arch = "x86")]
            "pushad",
            #[cfg(target_arch = "x86")]
            "popad",
            #[cfg(target_arch = "x86_64")]
            "push rax",
            #[cfg(target_arch = "x86_64")]
            "pop rax",
            options(preserves_flags),
        );
    }
    assert_eq!(x, 2);
}
