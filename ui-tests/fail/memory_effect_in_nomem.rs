// `nomem` also promises no memory *effects*: these instructions name no
// memory operand, yet the compiler must not move memory accesses across them.
use checked_asm::asm;

unsafe fn flush_page(addr: usize) {
    unsafe { asm!("invlpg [{0}]", in(reg) addr, options(nomem, nostack, preserves_flags)) };
}

unsafe fn write_cr3(value: u64) {
    unsafe { asm!("mov cr3, {0}", in(reg) value, options(nomem, nostack, preserves_flags)) };
}

unsafe fn disable_interrupts() {
    unsafe { asm!("cli", options(nomem, nostack)) };
}

// A template in a file is read from the file, and checked the same way.
unsafe fn disable_interrupts_from_a_file() {
    unsafe { asm!(include_str!("memory_effect_in_nomem.s"), options(nomem, nostack)) };
}

unsafe fn port_write(port: u16, value: u8) {
    unsafe { asm!("out dx, al", in("dx") port, in("al") value, options(nomem, nostack, preserves_flags)) };
}

unsafe fn write_msr(msr: u32, lo: u32, hi: u32) {
    unsafe { asm!("wrmsr", in("ecx") msr, in("eax") lo, in("edx") hi, options(nomem, nostack, preserves_flags)) };
}

unsafe fn swap_gs() {
    unsafe { asm!("swapgs", options(nomem, nostack, preserves_flags)) };
}

extern "C" fn callee() {}

unsafe fn call() {
    unsafe { asm!("call {f}", f = sym callee, clobber_abi("C"), options(nomem)) };
}

unsafe fn att_port_read(port: u16) -> u8 {
    let value: u8;
    unsafe { asm!("inb %dx, %al", in("dx") port, out("al") value, options(att_syntax, nomem, nostack, preserves_flags)) };
    value
}

fn main() {}
