// Near misses: loads (explicit and through `lodsb`), `lgdt`-style loads of
// a descriptor (only the pseudo-descriptor is read), and the block's own
// pushes are all fine under `readonly`.
use checked_asm::asm;

fn main() {
    let data = [7u8, 8];
    let v: u64;
    let p = data.as_ptr();
    unsafe {
        asm!("movzx {v:e}, byte ptr [{p} + 1]", p = in(reg) p, v = lateout(reg) v, options(readonly, nostack, preserves_flags));
        assert_eq!(v, 8);
        let b: u8;
        asm!("lodsb", inout("rsi") p => _, out("al") b, options(readonly, nostack, preserves_flags));
        assert_eq!(b, 7);
        let w: u64;
        asm!("push {x}", "pop {w}", x = in(reg) 5u64, w = lateout(reg) w, options(readonly, preserves_flags));
        assert_eq!(w, 5);
    }
}

#[allow(dead_code)]
unsafe fn load_gdt(pointer: *const u8) {
    unsafe { asm!("lgdt [{0}]", in(reg) pointer, options(readonly, nostack, preserves_flags)) };
}
