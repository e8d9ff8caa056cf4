// Near misses: the same instructions without `nomem` compile (they are
// privileged, so this only type-checks them); `popf`, which restores a
// saved state, is not counted under `nomem`; and an instruction behind a
// `cfg` is held against `nomem` only in the builds that have it.
use checked_asm::asm;

#[allow(dead_code)]
unsafe fn release_only() {
    // Release builds get `wbinvd` (and the error); this one does not.
    unsafe {
        asm!(
            "nop",
            #[cfg(not(debug_assertions))]
            "wbinvd",
            options(nomem, nostack, preserves_flags),
        )
    };
}

#[allow(dead_code)]
unsafe fn flush_page(addr: usize) {
    unsafe { asm!("invlpg [{0}]", in(reg) addr, options(nostack, preserves_flags)) };
}

#[allow(dead_code)]
unsafe fn port_write(port: u16, value: u8) {
    unsafe { asm!("out dx, al", in("dx") port, in("al") value, options(nostack, preserves_flags)) };
}

fn main() {
    unsafe {
        asm!("pushfq", "popfq", options(nomem));
        asm!("pause", options(nomem, nostack, preserves_flags));
    }
}
