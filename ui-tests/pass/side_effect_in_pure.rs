// Near misses: arithmetic, `popcnt` (pure, but it writes the flags, so no
// `preserves_flags`), and loads under `readonly`.
use checked_asm::asm;

fn main() {
    let x = 0xf0u64;
    let n: u64;
    let v: u64;
    unsafe {
        asm!("popcnt {n}, {x}", x = in(reg) x, n = lateout(reg) n, options(pure, nomem, nostack));
        asm!("mov {v}, qword ptr [{p}]", p = in(reg) &x, v = lateout(reg) v, options(pure, readonly, nostack, preserves_flags));
    }
    assert_eq!((n, v), (4, 0xf0));
}
