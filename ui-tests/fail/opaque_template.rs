// A template checked_asm cannot see is reported, never passed as checked.
use checked_asm::asm;

macro_rules! my_template {
    () => {
        "nop"
    };
}

fn main() {
    unsafe {
        // `include_str!` of a path that is not a literal (one that is, is
        // read from its file and checked).
        asm!(include_str!(concat!("opaque", "_template.s")), options(nomem, nostack));
        // So does a user macro.
        asm!(my_template!(), options(nomem, nostack));
        // And `concat!` of something that is not a literal.
        asm!(concat!("mov eax, ", env!("CARGO_PKG_VERSION_MAJOR")), out("eax") _);
    }
}
