// A statement checked_asm cannot read is reported with the reason, never
// guessed at. Each of these is also rejected by LLVM or has no meaning to us.
use checked_asm::asm;

fn main() {
    let p = 0usize;
    unsafe {
        // Which size? LLVM rejects this as ambiguous too.
        asm!("add [{p}], 1", p = in(reg) p);
        // Not an instruction.
        asm!("frobnicate rax");
        // A directive that repeats code cannot be followed.
        asm!(".rept 2", "nop", ".endr");
        // AT&T: the same ambiguity.
        asm!("add $1, ({p})", p = in(reg) p, options(att_syntax));
    }
}
