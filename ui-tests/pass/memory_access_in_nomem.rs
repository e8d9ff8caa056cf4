// Near misses: register-only blocks, `lea` (computes an address, reads
// nothing), the block's own pushes, and `readonly` for real loads.
use checked_asm::asm;

fn main() {
    let x = 20u64;
    let y: u64;
    let p = &x as *const u64;
    unsafe {
        asm!("lea {y}, [{x} + {x}]", x = in(reg) x, y = lateout(reg) y, options(pure, nomem, nostack, preserves_flags));
        assert_eq!(y, 40);
        let flags: u64;
        asm!("pushfq", "pop {f}", f = out(reg) flags, options(nomem, preserves_flags));
        assert_ne!(flags & 2, 0); // bit 1 of RFLAGS is always set
        let v: u64;
        asm!("mov {v}, qword ptr [{p}]", p = in(reg) p, v = lateout(reg) v, options(readonly, nostack, preserves_flags));
        assert_eq!(v, 20);
    }
}
