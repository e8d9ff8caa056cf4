// Near misses: `clobber_abi("C")`, and a call that never returns in a
// `noreturn` block.
use checked_asm::asm;

extern "C" fn callee() -> u64 {
    42
}

#[allow(dead_code)]
extern "C" fn abort_c() -> ! {
    std::process::abort()
}

#[allow(dead_code)]
fn never() -> ! {
    unsafe { asm!("call {f}", f = sym abort_c, options(noreturn)) }
}

fn main() {
    let r: u64;
    unsafe { asm!("call {f}", f = sym callee, out("rax") r, clobber_abi("C")) };
    assert_eq!(r, 42);
}
