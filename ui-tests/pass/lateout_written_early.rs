// Near misses: `out` never shares with an input; a `lateout` written after
// the last read of every input.
use checked_asm::asm;

fn main() {
    let (x, y): (u64, u64);
    unsafe {
        asm!("mov {o}, {a}", "add {o}, {b}", a = in(reg) 40u64, b = in(reg) 2u64, o = out(reg) x, options(pure, nomem, nostack));
        asm!("lea {o}, [{a} + {b}]", a = in(reg) 40u64, b = in(reg) 2u64, o = lateout(reg) y, options(pure, nomem, nostack, preserves_flags));
    }
    assert_eq!((x, y), (42, 42));
}
