// Near misses: register arithmetic, reading above the stack pointer, and the
// same pushes without `nostack`.
use checked_asm::asm;

fn main() {
    let mut x = 1u64;
    unsafe {
        asm!("add {x}, {x}", "imul {x}, {x}, 21", x = inout(reg) x, options(pure, nomem, nostack));
        assert_eq!(x, 42);
        let top: u64;
        asm!("mov {t}, qword ptr [rsp]", t = lateout(reg) top, options(readonly, nostack, preserves_flags));
        let _ = top;
        let f: u64;
        asm!("pushfq", "pop {f}", f = out(reg) f, options(nomem, preserves_flags));
        assert_ne!(f & 2, 0);
    }
}
