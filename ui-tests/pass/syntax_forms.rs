//! Every form of the `asm!` grammar (Rust 1.95, asm-rules.md §2) compiles
//! through checked_asm exactly as through `core::arch`: the harness builds
//! this file twice, once as written and once with the `use` line switched.
#![allow(clippy::all, dead_code, unused_unsafe)]
use checked_asm::{asm, global_asm, naked_asm};

extern "C" fn target() {}
extern "C" fn generic<T>() {}
static mut DATA: u64 = 0;
const N: i64 = 3;
trait HasConst {
    const C: u32;
}
impl HasConst for u8 {
    const C: u32 = 7;
}

fn templates() {
    unsafe {
        asm!("nop");
        asm!("nop",);
        asm!(r"nop");
        asm!(r#"nop # "quoted" comment"#);
        asm!("nop", "nop", "nop");
        asm!("nop\n nop; nop");
        asm!(concat!("n", "op"));
        asm!(core::concat!("mov {}, ", 5), out(reg) _);
        asm!(stringify!(nop));
        asm!(include_str!("syntax_forms.s"));
        asm!("/* {{braces}} */ nop");
    }
}

fn operands(x: u64, p: *mut u64) -> u64 {
    let (a, b, c, d): (u64, u64, u64, u64);
    let mut e = x;
    unsafe {
        asm!("mov {0}, {1}", out(reg) a, in(reg) x);
        asm!("mov {o}, {i}", i = in(reg) x, o = lateout(reg) b);
        asm!("mov eax, 1", out("eax") _, lateout("ecx") _);
        asm!("add {0}, 1", inout(reg) e);
        asm!("add {0}, 1", inout(reg) e => c);
        asm!("add {0}, 1", inout(reg) x => _);
        asm!("add {0}, 1", inlateout(reg) x => d);
        asm!("add {0}, 1", inlateout(reg) e);
        asm!("add {0}, 1", inlateout(reg) 5u64 => _);
        asm!("mov qword ptr [{p}], {v}", p = in(reg) p, v = in(reg) if x > 1 { 1u64 } else { 2 });
        asm!("/* {:e} */", in(reg) (x as u32).wrapping_add(1));
        asm!("mov {0:e}, {0:e}", inout(reg) 1u32 => _);
        asm!("mov {0:x}, {0:x}", inout(reg) 1u16 => _);
        asm!("mov {0:l}, {0:h}", inout(reg_abcd) 1u16 => _);
        asm!("mov {0}, {0}", inout(reg_byte) 1u8 => _);
        asm!("movq {0}, {0}", inout(xmm_reg) 1u64 => _);
        asm!("", in("rax"x) 1u64);
        asm!("", out("st(0)") _, out("mm0") _, out("k1") _, out("ymm15") _, out("zmm31") _);
        asm!("", out("xmm0") _, out("al") _, out("r8b") _, out("r15d") _);
        asm!("/* {} */", const 5);
        asm!("/* {} */", const -5i64 * N);
        asm!("/* {} */", const { 1 + 2 });
        asm!("/* {} */", const <u8 as HasConst>::C);
        asm!("/* {} */", const u128::MAX);
        asm!("/* {} */", sym target);
        asm!("/* {} */", sym generic::<u8>);
        asm!("/* {} */", sym DATA);
        asm!("/* {} */", sym crate::target);
        asm!("jmp {}", label { e += 1; });
        asm!("jmp {l}", l = label { e += 2; });
    }
    a + b + c + d + e
}

fn names(x: u64) {
    unsafe {
        asm!("/* {in} */", in = in(reg) x);
        asm!("/* {sym} */", sym = sym target);
        asm!("/* {nomem} */", nomem = in(reg) x);
        asm!("/* {type} */", r#type = in(reg) x);
        asm!("/* {const} */", const = const 1);
        asm!("/* {_x} */", _x = in(reg) x);
        asm!("/* {0} {named} */", in(reg) x, named = in(reg) x, in("rdx") x);
        asm!("/* {0 } {0 :e} {0:} {00} */", in(reg) x);
    }
}

fn options_and_abis(x: u64) -> u64 {
    let r: u64;
    unsafe {
        asm!("nop", options(nomem, nostack));
        asm!("nop", options(nomem, nostack,));
        asm!("nop", options());
        asm!("lea {}, [{}]", lateout(reg) r, in(reg) x, options(pure), options(nomem), options(preserves_flags, nostack));
        asm!("nop", options(readonly, nostack));
        asm!("nop", options(att_syntax));
        asm!("nop", options(raw));
        asm!("nop", clobber_abi("C"));
        asm!("nop", clobber_abi("C", "win64",));
        asm!("nop", clobber_abi(r"C"), clobber_abi("efiapi"));
        asm!("/* {} */", options(nostack), in(reg) x, clobber_abi("C"), out("eax") _, options(nomem));
    }
    r
}

fn attributes(x: u64) {
    unsafe {
        asm!(#[cfg(unix)] "nop", #[cfg(not(unix))] "pause");
        asm!("/* {x} */", #[cfg(unix)] x = in(reg) 1u64, #[cfg(not(unix))] x = in(reg) 2u64);
        asm!("nop", #[cfg_attr(unix, cfg(all()))] options(nomem), #[cfg(any())] clobber_abi("C"));
        asm!("/* {} */", #[cfg(all())] #[cfg(unix)] in(reg) x);
        asm!(#[cfg(any())] "ud2");
    }
}

fn noreturn() -> ! {
    unsafe { asm!("ud2", options(noreturn, nomem, nostack)) }
}

macro_rules! fragments {
    ($t:literal, $e:expr, $n:ident, $r:ident, $o:ident, $a:literal, $p:path, $c:expr, $b:block) => {
        unsafe { asm!($t, sym $p, const $c, label $b, $n = in($r) $e, options($o), clobber_abi($a)) }
    };
}

macro_rules! template_expr {
    ($t:expr) => {
        unsafe { asm!($t) }
    };
}

macro_rules! concat_literal {
    ($x:literal) => {
        unsafe { asm!(concat!("mov eax, ", $x), out("eax") _) }
    };
}

fn macro_fragments(x: u64) {
    fragments!("/* {v} {} {} */ jmp {2}", x, v, reg, nostack, "C", target, N + 1, { let _ = 1; });
    template_expr!("nop");
    template_expr!(concat!("n", "op"));
    concat_literal!(5);
}

global_asm!("/* global */");
global_asm!(".globl syntax_forms_g", "syntax_forms_g:", "ret",);
global_asm!("/* {} {} */", const 1, sym target, options(att_syntax));
global_asm!("/* {} */", options(raw));
global_asm!("/* {c} */", c = const N);

#[unsafe(naked)]
extern "C" fn naked_plain() {
    naked_asm!("ret")
}

#[unsafe(naked)]
extern "C" fn naked_operands() {
    naked_asm!("/* {} */", "jmp {f}", const 1, f = sym target, options(att_syntax))
}

#[unsafe(naked)]
extern "C" fn naked_in_unsafe() {
    unsafe { naked_asm!("ret",) }
}

fn main() {
    let mut word = 0u64;
    templates();
    operands(1, &mut word);
    names(1);
    options_and_abis(1);
    attributes(1);
    macro_fragments(1);
    naked_plain();
    if word == 42 {
        noreturn();
    }
}
