//! `checked_asm!` behaves exactly like `asm!` at run time: real blocks run on
//! this x86-64 host through the checked macros and give the expected values.
//! Every operand kind, option group and macro is exercised at least once.

#![cfg(target_arch = "x86_64")]

use checked_asm::{asm, global_asm, naked_asm};

#[test]
fn arithmetic_with_positional_and_named_operands() {
    let (a, b) = (40u64, 2u64);
    let sum: u64;
    unsafe { asm!("mov {0}, {1}", "add {0}, {2}", out(reg) sum, in(reg) a, in(reg) b) };
    assert_eq!(sum, 42);

    let mut x = 6u64;
    unsafe { asm!("imul {x}, {x}, 7", x = inout(reg) x, options(pure, nomem, nostack)) };
    assert_eq!(x, 42);

    let y: u32;
    unsafe {
        asm!("lea {y:e}, [{x:e} + {x:e}*2]", x = in(reg) 5u32, y = lateout(reg) y, options(pure, nomem, nostack, preserves_flags))
    };
    assert_eq!(y, 15);
}

#[test]
fn explicit_registers_and_mul_into_rdx_rax() {
    let (lo, hi): (u64, u64);
    unsafe {
        asm!("mul {m}", m = in(reg) u64::MAX, inlateout("rax") 2u64 => lo, lateout("rdx") hi, options(pure, nomem, nostack));
    }
    assert_eq!((lo, hi), (u64::MAX - 1, 1));
}

#[test]
fn cpuid_with_rbx_saved_through_a_scratch_register() {
    let (eax, ebx, ecx, edx): (u32, u32, u32, u32);
    unsafe {
        asm!(
            "mov {t:r}, rbx",
            "cpuid",
            "xchg {t:r}, rbx",
            t = out(reg) ebx,
            inout("eax") 0u32 => eax,
            inout("ecx") 0u32 => ecx,
            out("edx") edx,
            options(nostack, preserves_flags),
        );
    }
    let mut vendor = [0u8; 12];
    vendor[..4].copy_from_slice(&ebx.to_le_bytes());
    vendor[4..8].copy_from_slice(&edx.to_le_bytes());
    vendor[8..].copy_from_slice(&ecx.to_le_bytes());
    let expected = core::arch::x86_64::__cpuid(0);
    assert_eq!(eax, expected.eax);
    assert_eq!((ebx, ecx, edx), (expected.ebx, expected.ecx, expected.edx));
    assert!(vendor.iter().all(u8::is_ascii), "vendor {vendor:?}");
}

#[test]
fn rdtsc_advances() {
    let read = || {
        let (lo, hi): (u32, u32);
        unsafe {
            asm!("rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack, preserves_flags))
        };
        (u64::from(hi) << 32) | u64::from(lo)
    };
    let first = read();
    let second = read();
    assert!(second >= first);
}

#[test]
fn memory_through_pointers() {
    let mut buf = [0u64; 4];
    let p = buf.as_mut_ptr();
    unsafe {
        asm!(
            "mov qword ptr [{p}], {v}",
            "mov qword ptr [{p} + 8*{i}], {v}",
            "add qword ptr [{p} + 24], 3",
            p = in(reg) p,
            i = in(reg) 2usize,
            v = in(reg) 7u64,
            options(nostack),
        );
    }
    assert_eq!(buf, [7, 0, 7, 3]);

    let src = *b"checked!";
    let mut dst = [0u8; 8];
    unsafe {
        asm!(
            "rep movsb",
            inout("rcx") src.len() => _,
            inout("rsi") src.as_ptr() => _,
            inout("rdi") dst.as_mut_ptr() => _,
            options(nostack, preserves_flags),
        );
    }
    assert_eq!(&dst, b"checked!");

    let value: u32;
    unsafe {
        asm!("mov {v:e}, dword ptr [{p}]", p = in(reg) &0x1234_5678u32, v = out(reg) value, options(readonly, nostack, preserves_flags))
    };
    assert_eq!(value, 0x1234_5678);
}

extern "C" fn add_one(x: u64) -> u64 {
    x + 1
}

static mut COUNTER: u64 = 41;

#[test]
fn sym_operands_call_functions_and_address_statics() {
    let r: u64;
    unsafe {
        asm!("call {f}", f = sym add_one, inout("rdi") 9u64 => _, out("rax") r, clobber_abi("C"))
    };
    assert_eq!(r, 10);

    let v: u64;
    unsafe {
        asm!("add qword ptr [rip + {c}], 1", "mov {v}, qword ptr [rip + {c}]", c = sym COUNTER, v = out(reg) v, options(nostack));
    }
    assert_eq!(v, 42);
}

const SHIFT: u32 = 4;

#[test]
fn const_operands() {
    let mut x = 1u64;
    unsafe {
        asm!("shl {x}, {s}", "add {x}, {k}", x = inout(reg) x, s = const SHIFT, k = const -6i64, options(pure, nomem, nostack))
    };
    assert_eq!(x, 10);
}

#[test]
fn label_operands_branch_into_rust() {
    fn is_zero(x: u64) -> bool {
        unsafe {
            asm!("test {x}, {x}", "jz {yes}", x = in(reg) x, yes = label { return true; }, options(nomem, nostack));
        }
        false
    }
    assert!(is_zero(0));
    assert!(!is_zero(3));
}

#[test]
fn local_labels_loop() {
    let mut n = 5u64;
    let mut acc = 0u64;
    unsafe {
        asm!(
            "2:",
            "add {acc}, {n}",
            "dec {n}",
            "jnz 2b",
            n = inout(reg) n,
            acc = inout(reg) acc,
            options(nomem, nostack),
        );
    }
    assert_eq!((n, acc), (0, 15));
}

#[test]
fn noreturn_paths() {
    fn jump_out(target: unsafe extern "C" fn() -> !) -> ! {
        unsafe { asm!("jmp {t}", t = in(reg) target, options(noreturn, nostack)) }
    }
    unsafe extern "C" fn leave() -> ! {
        std::process::exit(0)
    }
    // Only check that the diverging form type-checks as `!` and is callable
    // in a branch that is not taken.
    if std::hint::black_box(false) {
        jump_out(leave);
    }

    fn diverge_or(flag: u64) -> u64 {
        if flag == 7 {
            return 7;
        }
        unsafe { asm!("ud2", options(noreturn, nomem, nostack)) }
    }
    assert_eq!(diverge_or(7), 7);
}

#[test]
fn att_syntax() {
    let mut x = 40u64;
    unsafe {
        asm!("addq ${k}, {x}", x = inout(reg) x, k = const 2, options(att_syntax, nomem, nostack))
    };
    assert_eq!(x, 42);
    let y: u32;
    unsafe {
        asm!("movl $7, %eax", "imull $6, %eax, %eax", out("eax") y, options(att_syntax, pure, nomem, nostack))
    };
    assert_eq!(y, 42);
}

#[test]
fn templates_built_with_macros_and_attributes() {
    let x: u64;
    unsafe {
        asm!(
            concat!("mov {0}, ", 21),
            #[cfg(target_arch = "x86_64")]
            "add {0}, {0}",
            #[cfg(not(target_arch = "x86_64"))]
            "ud2",
            out(reg) x,
            #[cfg(target_pointer_width = "64")]
            options(nomem, nostack),
        );
    }
    assert_eq!(x, 42);
}

macro_rules! load_const {
    ($tmpl:literal, $name:ident, $class:ident, $value:expr) => {{
        let out: u64;
        unsafe { asm!($tmpl, $name = inout($class) $value => out, options(pure, nomem, nostack)) };
        out
    }};
}

#[test]
fn macro_rules_fragments_pass_through() {
    assert_eq!(load_const!("add {v}, 2", v, reg, 40u64), 42);
}

global_asm!(
    ".globl checked_asm_test_triple",
    "checked_asm_test_triple:",
    "lea rax, [rdi + rdi*2]",
    "ret",
);

unsafe extern "C" {
    fn checked_asm_test_triple(x: u64) -> u64;
}

#[test]
fn global_asm_defines_functions() {
    assert_eq!(unsafe { checked_asm_test_triple(14) }, 42);
}

#[unsafe(naked)]
extern "sysv64" fn naked_double(x: u64) -> u64 {
    naked_asm!("lea rax, [rdi + rdi]", "ret")
}

#[test]
fn naked_asm_bodies() {
    assert_eq!(naked_double(21), 42);
}
