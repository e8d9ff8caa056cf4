// Near misses: `inout(reg) x => _` may be changed freely, a changed input
// restored by a `pop`, and an `in` register shared with a `lateout`.
use checked_asm::asm;

fn main() {
    let mut buf = [0u8; 4];
    let r: u64;
    unsafe {
        asm!("add {x}, 1", x = inout(reg) 1u64 => _, options(nomem, nostack));
        asm!("push {x}", "add {x}, 1", "pop {x}", x = in(reg) 1u64, options(nomem));
        asm!("rep stosb", inout("rcx") buf.len() => _, inout("rdi") buf.as_mut_ptr() => _, in("al") 7u8, options(nostack, preserves_flags));
        asm!("add rdi, 1", "mov {r}, rdi", in("rdi") 41u64, lateout("rdi") _, r = out(reg) r, options(pure, nomem, nostack));
    }
    assert_eq!((buf, r), ([7; 4], 42));
}
