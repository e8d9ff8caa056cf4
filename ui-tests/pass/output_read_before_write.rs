// Near misses: `inout` gives the output a starting value; writing first
// makes later reads fine.
use checked_asm::asm;

fn main() {
    let (a, b): (u64, u64);
    unsafe {
        asm!("add {r}, 1", r = inout(reg) 41u64 => a, options(pure, nomem, nostack));
        asm!("mov {r}, 20", "add {r}, {r}", r = out(reg) b, options(pure, nomem, nostack));
    }
    assert_eq!((a, b), (42, 40));
}
