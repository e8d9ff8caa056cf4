// The escape hatch is itself a story: a reason is required, rule names are
// checked, and an `allow` that silences nothing is reported.
use checked_asm::asm;

fn main() {
    unsafe {
        // No reason.
        asm!("push rax", "pop rax", options(nostack), allow(stack_use_in_nostack));
        // Unknown rule.
        asm!("nop", allow(stack_use_in_nostak, reason = "typo"));
        // Stale: nothing to silence (a warning; the error below fails the file).
        asm!("nop", options(nomem, nostack), allow(memory_access_in_nomem, reason = "was a load once"));
        // Not a rule name.
        asm!("nop", allow("stack_use_in_nostack", reason = "quoted"));
    }
}
