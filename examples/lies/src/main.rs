//! Five blocks as they appear in real crates, each telling the compiler
//! something that is not true. With `core::arch::asm!` this compiles and
//! miscompiles later; with `checked_asm::asm!` it does not compile.
//!
//! `cargo build --manifest-path examples/lies/Cargo.toml`

use checked_asm::asm;

/// `preserves_flags` over an `add`: the caller's comparison result is gone.
pub fn increment(x: u64) -> u64 {
    let mut x = x;
    unsafe { asm!("add {x}, 1", x = inout(reg) x, options(pure, nomem, nostack, preserves_flags)) };
    x
}

/// `nomem` on a load: the compiler may move the store to `*p` past it.
pub fn load(p: *const u64) -> u64 {
    let v: u64;
    unsafe { asm!("mov {v}, qword ptr [{p}]", p = in(reg) p, v = lateout(reg) v, options(nomem, nostack, preserves_flags)) };
    v
}

/// `nomem` on `cli`: memory accesses may move out of the critical section.
pub fn disable_interrupts() {
    unsafe { asm!("cli", options(nomem, nostack)) };
}

/// `pure` on `rdtsc`: two reads may be merged into one.
pub fn timestamp() -> u64 {
    let (lo, hi): (u32, u32);
    unsafe { asm!("rdtsc", out("eax") lo, out("edx") hi, options(pure, nomem, nostack, preserves_flags)) };
    (u64::from(hi) << 32) | u64::from(lo)
}

/// `nostack` with a push: the red zone below `rsp` is overwritten.
pub fn flags() -> u64 {
    let f: u64;
    unsafe { asm!("pushfq", "pop {f}", f = out(reg) f, options(nomem, nostack, preserves_flags)) };
    f
}

fn main() {
    println!("{}", increment(1) + load(&0) + timestamp() + flags());
    disable_interrupts();
}
