// Near misses: `lea` and `mov` leave the flags alone, `bswap` too, and a
// change between `pushfq` and `popfq` is restored. `popcnt` without
// `preserves_flags` is fine.
use checked_asm::asm;

fn main() {
    let mut x = 41u64;
    unsafe {
        asm!("lea {x}, [{x} + 1]", x = inout(reg) x, options(pure, nomem, nostack, preserves_flags));
        assert_eq!(x, 42);
        asm!("bswap {x}", "bswap {x}", x = inout(reg) x, options(pure, nomem, nostack, preserves_flags));
        assert_eq!(x, 42);
        asm!("pushfq", "add {x}, 1", "popfq", x = inout(reg) x, options(nomem, preserves_flags));
        assert_eq!(x, 43);
        let n: u64;
        asm!("popcnt {n}, {x}", x = in(reg) x, n = lateout(reg) n, options(pure, nomem, nostack));
        assert_eq!(n, 4);
    }
}
