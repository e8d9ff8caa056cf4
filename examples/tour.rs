//! A tour of `checked_asm!` on real x86-64 blocks: each one is written
//! exactly as with `core::arch::asm!`, only the `use` line differs.
//!
//! Run it with `cargo run -p checked-asm-examples --example tour`.

#[cfg(target_arch = "x86_64")]
mod blocks {
    use checked_asm::asm;

    /// The CPU vendor string, with `rbx` (reserved by LLVM) saved through a
    /// scratch register.
    pub(crate) fn vendor() -> String {
        let (ebx, ecx, edx): (u32, u32, u32);
        unsafe {
            asm!(
                "mov {t:r}, rbx",
                "cpuid",
                "xchg {t:r}, rbx",
                t = out(reg) ebx,
                inout("eax") 0u32 => _,
                inout("ecx") 0u32 => ecx,
                out("edx") edx,
                options(nostack, preserves_flags),
            );
        }
        let bytes: Vec<u8> = [ebx, edx, ecx]
            .iter()
            .flat_map(|r| r.to_le_bytes())
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The time-stamp counter.
    pub(crate) fn timestamp() -> u64 {
        let (lo, hi): (u32, u32);
        unsafe {
            asm!("rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack, preserves_flags))
        };
        (u64::from(hi) << 32) | u64::from(lo)
    }

    /// A 128-bit product in `rdx:rax`.
    pub(crate) fn wide_mul(a: u64, b: u64) -> (u64, u64) {
        let (lo, hi): (u64, u64);
        unsafe {
            asm!("mul {b}", b = in(reg) b, inlateout("rax") a => lo, lateout("rdx") hi, options(pure, nomem, nostack))
        };
        (hi, lo)
    }

    /// A copy with `rep movsb`, which advances `rsi`, `rdi` and `rcx`: all
    /// three are `inout(..) => _`.
    pub(crate) fn copy(src: &[u8], dst: &mut [u8]) {
        let n = src.len().min(dst.len());
        unsafe {
            asm!(
                "rep movsb",
                inout("rcx") n => _,
                inout("rsi") src.as_ptr() => _,
                inout("rdi") dst.as_mut_ptr() => _,
                options(nostack, preserves_flags),
            );
        }
    }

    /// Population count in AT&T syntax: `popcnt` writes the flags, so no
    /// `preserves_flags`.
    pub(crate) fn ones(x: u64) -> u64 {
        let n: u64;
        unsafe {
            asm!("popcntq {x}, {n}", x = in(reg) x, n = lateout(reg) n, options(att_syntax, pure, nomem, nostack))
        };
        n
    }
}

#[cfg(target_arch = "x86_64")]
fn main() {
    use blocks::*;
    println!("cpuid vendor      {}", vendor());
    let (t0, t1) = (timestamp(), timestamp());
    println!("rdtsc             {t0} then {t1}");
    let (hi, lo) = wide_mul(u64::MAX, 3);
    println!("mul u64::MAX * 3  rdx = {hi}, rax = {lo:#x}");
    let mut dst = [0u8; 13];
    copy(b"checked_asm!!", &mut dst);
    println!("rep movsb         {:?}", String::from_utf8_lossy(&dst));
    println!("popcnt 0xff00ff   {}", ones(0xff00ff));
    println!("\nevery block above went through checked_asm! and ran unchanged");
}

#[cfg(not(target_arch = "x86_64"))]
fn main() {
    println!(
        "this tour runs x86-64 blocks; on this target checked_asm! passes blocks through unchecked"
    );
}
