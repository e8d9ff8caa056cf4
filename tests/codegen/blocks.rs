//! A crate of varied `asm!` blocks for the identical-codegen test
//! (`tests/codegen.rs`). It is compiled twice: as written, and with only the
//! `use` line below changed to import the same names from
//! `checked_asm`. The two `--emit=asm`
//! outputs must be byte-identical.
#![no_std]
#![allow(clippy::missing_safety_doc)]

use core::arch::{asm, global_asm, naked_asm};

#[unsafe(no_mangle)]
pub extern "C" fn b01_add(a: u64, b: u64) -> u64 {
    let r: u64;
    unsafe { asm!("mov {0}, {1}", "add {0}, {2}", out(reg) r, in(reg) a, in(reg) b) };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn b02_inout(mut x: u64) -> u64 {
    unsafe { asm!("imul {x}, {x}, 7", x = inout(reg) x, options(pure, nomem, nostack)) };
    x
}

#[unsafe(no_mangle)]
pub extern "C" fn b03_lea32(x: u32) -> u32 {
    let y: u32;
    unsafe { asm!("lea {y:e}, [{x:e} + {x:e}*2]", x = in(reg) x, y = lateout(reg) y, options(pure, nomem, nostack, preserves_flags)) };
    y
}

#[unsafe(no_mangle)]
pub extern "C" fn b04_mul(a: u64, b: u64) -> u64 {
    let (lo, hi): (u64, u64);
    unsafe { asm!("mul {m}", m = in(reg) b, inlateout("rax") a => lo, lateout("rdx") hi, options(pure, nomem, nostack)) };
    lo ^ hi
}

#[unsafe(no_mangle)]
pub extern "C" fn b05_cpuid(leaf: u32) -> u32 {
    let (a, b, c, d): (u32, u32, u32, u32);
    unsafe {
        asm!(
            "mov {t:r}, rbx",
            "cpuid",
            "xchg {t:r}, rbx",
            t = out(reg) b,
            inout("eax") leaf => a,
            inout("ecx") 0u32 => c,
            out("edx") d,
            options(nostack, preserves_flags),
        )
    };
    a ^ b ^ c ^ d
}

#[unsafe(no_mangle)]
pub extern "C" fn b06_rdtsc() -> u64 {
    let (lo, hi): (u32, u32);
    unsafe { asm!("rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack, preserves_flags)) };
    ((hi as u64) << 32) | lo as u64
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn b07_store(p: *mut u64, v: u64) {
    unsafe { asm!("mov qword ptr [{p}], {v}", p = in(reg) p, v = in(reg) v, options(nostack, preserves_flags)) };
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn b08_load(p: *const u32) -> u32 {
    let v: u32;
    unsafe { asm!("mov {v:e}, dword ptr [{p}]", p = in(reg) p, v = out(reg) v, options(readonly, nostack, preserves_flags)) };
    v
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn b09_rep_movsb(dst: *mut u8, src: *const u8, n: usize) {
    unsafe {
        asm!("rep movsb", inout("rcx") n => _, inout("rsi") src => _, inout("rdi") dst => _, options(nostack, preserves_flags))
    };
}

pub extern "C" fn callee(x: u64) -> u64 {
    x.wrapping_mul(3)
}

#[unsafe(no_mangle)]
pub extern "C" fn b10_sym_call(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!("call {f}", f = sym callee, inout("rdi") x => _, out("rax") r, clobber_abi("C")) };
    r
}

pub static mut COUNTER: u64 = 0;

#[unsafe(no_mangle)]
pub extern "C" fn b11_sym_static() -> u64 {
    let v: u64;
    unsafe { asm!("add qword ptr [rip + {c}], 1", "mov {v}, qword ptr [rip + {c}]", c = sym COUNTER, v = out(reg) v, options(nostack)) };
    v
}

const SHIFT: u32 = 5;

#[unsafe(no_mangle)]
pub extern "C" fn b12_const(mut x: u64) -> u64 {
    unsafe { asm!("shl {x}, {s}", "add {x}, {k}", x = inout(reg) x, s = const SHIFT, k = const -6i64, options(pure, nomem, nostack)) };
    x
}

#[unsafe(no_mangle)]
pub extern "C" fn b13_label(x: u64) -> bool {
    unsafe { asm!("test {x}, {x}", "jz {yes}", x = in(reg) x, yes = label { return true; }, options(nomem, nostack)) };
    false
}

#[unsafe(no_mangle)]
pub extern "C" fn b14_noreturn() -> ! {
    unsafe { asm!("ud2", options(noreturn, nomem, nostack)) }
}

#[unsafe(no_mangle)]
pub extern "C" fn b15_att(mut x: u64) -> u64 {
    unsafe { asm!("addq ${k}, {x}", x = inout(reg) x, k = const 2, options(att_syntax, nomem, nostack)) };
    x
}

#[unsafe(no_mangle)]
pub extern "C" fn b16_att_explicit() -> u32 {
    let y: u32;
    unsafe { asm!("movl $7, %eax", "imull $6, %eax, %eax", out("eax") y, options(att_syntax, pure, nomem, nostack)) };
    y
}

#[unsafe(no_mangle)]
pub extern "C" fn b17_loop(mut n: u64) -> u64 {
    let mut acc = 0u64;
    unsafe { asm!("2:", "add {acc}, {n}", "dec {n}", "jnz 2b", n = inout(reg) n, acc = inout(reg) acc, options(nomem, nostack)) };
    acc
}

#[unsafe(no_mangle)]
pub extern "C" fn b18_xmm(a: f64, b: f64) -> f64 {
    let r: f64;
    unsafe { asm!("addsd {a}, {b}", a = inlateout(xmm_reg) a => r, b = in(xmm_reg) b, options(pure, nomem, nostack)) };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn b19_popcnt(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!("popcnt {r}, {x}", x = in(reg) x, r = lateout(reg) r, options(pure, nomem, nostack)) };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn b20_bswap(mut x: u64) -> u64 {
    unsafe { asm!("bswap {x}", x = inout(reg) x, options(pure, nomem, nostack, preserves_flags)) };
    x
}

#[unsafe(no_mangle)]
pub extern "C" fn b21_setcc(a: u64, b: u64) -> u8 {
    let r: u8;
    unsafe { asm!("cmp {a}, {b}", "setb {r}", a = in(reg) a, b = in(reg) b, r = lateout(reg_byte) r, options(pure, nomem, nostack)) };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn b22_high_byte(x: u16) -> u8 {
    let r: u8;
    unsafe { asm!("mov {r}, {x:h}", x = in(reg_abcd) x, r = lateout(reg_byte) r, options(pure, nomem, nostack, preserves_flags)) };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn b23_pushf() -> u64 {
    let f: u64;
    unsafe { asm!("pushfq", "pop {f}", f = out(reg) f, options(nomem, preserves_flags)) };
    f
}

#[unsafe(no_mangle)]
pub extern "C" fn b24_concat(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!(concat!("lea {r}, [{x} + ", 16, "]"), x = in(reg) x, r = lateout(reg) r, options(pure, nomem, nostack)) };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn b25_raw_string(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!(r"lea {r}, [{x} + {x}]", x = in(reg) x, r = lateout(reg) r, options(pure, nomem, nostack)) };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn b26_cfg_attrs(x: u64) -> u64 {
    let r: u64;
    unsafe {
        asm!(
            "mov {r}, {x}",
            #[cfg(target_pointer_width = "64")]
            "add {r}, 1",
            #[cfg(not(target_pointer_width = "64"))]
            "add {r}, 2",
            x = in(reg) x,
            r = out(reg) r,
            #[cfg(target_os = "linux")]
            options(nomem, nostack),
        )
    };
    r
}

macro_rules! add_const {
    ($tmpl:literal, $name:ident, $class:ident, $value:expr, $k:expr) => {{
        let out: u64;
        unsafe { asm!($tmpl, $name = inout($class) $value => out, k = const $k, options(pure, nomem, nostack)) };
        out
    }};
}

#[unsafe(no_mangle)]
pub extern "C" fn b27_macro_rules(x: u64) -> u64 {
    add_const!("add {v}, {k}", v, reg, x, 9)
}

#[unsafe(no_mangle)]
pub extern "C" fn b28_keyword_names(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!("lea {out}, [{in} + 1]", r#in = in(reg) x, out = lateout(reg) r, options(pure, nomem, nostack)) };
    r
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn b29_lock_xadd(p: *mut u64, v: u64) -> u64 {
    let old: u64;
    unsafe { asm!("lock xadd qword ptr [{p}], {v}", p = in(reg) p, v = inout(reg) v => old, options(nostack)) };
    old
}

#[unsafe(no_mangle)]
pub extern "C" fn b30_fence() {
    unsafe { asm!("mfence", options(nostack, preserves_flags)) };
}

#[unsafe(no_mangle)]
pub extern "C" fn b31_interleaved(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!("lea {r}, [{x} + 8]", options(nostack), x = in(reg) x, options(nomem), r = lateout(reg) r, options(pure)) };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn b32_clobbers(x: u64) -> u64 {
    let r: u64;
    unsafe {
        asm!(
            "mov rax, {x}",
            "xor ecx, ecx",
            "vzeroupper",
            "mov {r}, rax",
            x = in(reg) x,
            r = lateout(reg) r,
            out("rax") _, out("rcx") _,
            out("ymm0") _, out("ymm1") _, out("ymm2") _, out("ymm3") _,
            out("ymm4") _, out("ymm5") _, out("ymm6") _, out("ymm7") _,
            out("ymm8") _, out("ymm9") _, out("ymm10") _, out("ymm11") _,
            out("ymm12") _, out("ymm13") _, out("ymm14") _, out("ymm15") _,
            options(nomem, nostack),
        )
    };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn b33_multiple_abis(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!("call {f}", f = sym callee, in("rdi") x, out("rax") r, clobber_abi("C"), clobber_abi("win64")) };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn b34_trailing_commas(x: u64) -> u64 {
    let r: u64;
    unsafe { asm!("mov {}, {}", lateout(reg) r, in(reg) x, options(pure, nomem, nostack,),) };
    r
}

global_asm!(".globl codegen_global_fn", "codegen_global_fn:", "mov eax, {k}", "ret", k = const 42);

#[unsafe(naked)]
#[unsafe(no_mangle)]
pub extern "C" fn b35_naked(x: u64) -> u64 {
    naked_asm!("lea rax, [rdi + rdi]", "ret")
}

#[unsafe(naked)]
#[unsafe(no_mangle)]
pub extern "C" fn b36_naked_sym() {
    naked_asm!("jmp {f}", f = sym b30_fence)
}
