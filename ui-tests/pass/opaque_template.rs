// Near misses: literal templates, `concat!` of literals, literal
// `macro_rules!` fragments and `include_str!` of a file are read; an opaque
// one can be allowed with a reason.
use checked_asm::asm;

macro_rules! with_literal {
    ($text:literal) => {
        unsafe { asm!($text, options(nomem, nostack, preserves_flags)) }
    };
}

macro_rules! with_concat {
    ($count:literal) => {
        unsafe { asm!(concat!("mov eax, ", $count), out("eax") _, options(nomem, nostack, preserves_flags)) }
    };
}

fn main() {
    unsafe {
        asm!("nop", options(nomem, nostack, preserves_flags));
        asm!(concat!("n", "op"), options(nomem, nostack, preserves_flags));
        asm!(include_str!("opaque_template.s"), options(nomem, nostack, preserves_flags));
        asm!(
            include_str!(concat!("opaque", "_template.s")),
            options(nomem, nostack, preserves_flags),
            allow(opaque_template, reason = "the file holds one `nop`, reviewed by hand"),
        );
    }
    with_literal!("pause");
    with_concat!(7);
}
