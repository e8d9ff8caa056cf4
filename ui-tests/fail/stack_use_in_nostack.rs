// `nostack` promises the block neither pushes nor writes below the stack
// pointer: the compiler may keep live data in the red zone.
use checked_asm::asm;

fn push_pop(x: u64) -> u64 {
    let y: u64;
    unsafe { asm!("push {x}", "pop {y}", x = in(reg) x, y = lateout(reg) y, options(nomem, nostack, preserves_flags)) };
    y
}

fn read_flags() -> u64 {
    let f: u64;
    unsafe { asm!("pushfq", "pop {f}", f = out(reg) f, options(nomem, nostack, preserves_flags)) };
    f
}

extern "C" fn callee() {}

fn call() {
    unsafe { asm!("call {f}", f = sym callee, clobber_abi("C"), options(nostack)) };
}

fn red_zone(x: u64) {
    unsafe { asm!("mov qword ptr [rsp - 8], {x}", x = in(reg) x, options(nostack, preserves_flags)) };
}

fn allocate() {
    unsafe { asm!("sub rsp, 16", "add rsp, 16", options(nomem, nostack)) };
}

fn att_push(x: u64) {
    unsafe { asm!("pushq {x}", "addq $8, %rsp", x = in(reg) x, options(att_syntax, nomem, nostack)) };
}

fn main() {}
