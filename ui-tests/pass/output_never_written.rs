// Near misses: the output is written on both branches, or before the branch.
use checked_asm::asm;

fn both(x: u64) -> u64 {
    let r: u64;
    unsafe {
        asm!("test {x}, {x}", "jz 2f", "mov {r}, 1", "jmp 3f", "2:", "mov {r}, 2", "3:", x = in(reg) x, r = out(reg) r, options(pure, nomem, nostack))
    };
    r
}

fn before(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!("xor {r:e}, {r:e}", "test {x}, {x}", "jz 2f", "mov {r}, 1", "2:", x = in(reg) x, r = out(reg) r, options(pure, nomem, nostack)) };
    r
}

fn main() {
    assert_eq!((both(0), both(1), before(0), before(5)), (2, 1, 0, 1));
}
