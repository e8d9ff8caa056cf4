// An `allow` with a reason silences exactly the rule it names, and is
// removed before the block reaches `core::arch::asm!`.
use checked_asm::asm;

fn main() {
    let f: u64;
    unsafe {
        asm!(
            "pushfq",
            "pop {f}",
            f = out(reg) f,
            options(nomem, nostack, preserves_flags),
            allow(stack_use_in_nostack, reason = "this thread's stack has no red zone in use here"),
        );
    }
    assert_ne!(f & 2, 0);
}
