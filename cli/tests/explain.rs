//! `checked-asm explain` on real blocks: what each statement does, in the
//! user's names, and the contract the block needs.

use std::process::Command;

fn explain(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_checked-asm"))
        .arg("explain")
        .args(args)
        .output()
        .expect("checked-asm runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn cpuid_with_rbx_saved_through_a_scratch_operand() {
    let text = explain(&[
        "mov {t:r}, rbx\ncpuid\nxchg {t:r}, rbx",
        "t = out(reg) _",
        "inout(\"eax\") 0 => _",
        "out(\"ecx\") _",
        "out(\"edx\") _",
    ]);
    assert!(text.contains("mov: reads `rbx`, writes `{t}`"), "{text}");
    assert!(text.contains("cpuid: reads `ecx`, `eax`"), "{text}");
    // cpuid reads ecx, declared only as an output: reported.
    assert!(
        text.contains("undeclared_register_read: `cpuid` (line 2) reads `rcx`"),
        "{text}"
    );
    assert!(
        text.contains("options it may truthfully declare: `nomem`, `nostack`, `preserves_flags`"),
        "{text}"
    );
    // rbx is restored, so it is not among the registers to declare.
    assert!(
        text.contains("(or be restored): `rax`, `rcx`, `rdx`"),
        "{text}"
    );
}

#[test]
fn att_syntax_and_an_option_that_lies() {
    let text = explain(&["--att", "addq $1, ({p})", "p = in(reg) p", "options(nomem)"]);
    assert!(
        text.contains("add: reads `{p}`, reads and writes memory, modifies flags"),
        "{text}"
    );
    assert!(
        text.contains("memory_access_in_nomem: `options(nomem)` promises no memory access"),
        "{text}"
    );
    assert!(
        text.contains("options it may truthfully declare: `nostack`"),
        "{text}"
    );
}

#[test]
fn noreturn_is_offered_only_when_no_path_reaches_the_end() {
    // The text ends in a `ret`, but that is the subroutine's: the block
    // comes back through it and runs on to the end.
    let text = explain(&["call 3f\njmp 4f\n3: mov edx, 1\nret\n4:", "out(\"rdx\") _"]);
    assert!(
        text.contains("options it may truthfully declare: none"),
        "{text}"
    );
    let text = explain(&["2: pause\njmp 2b"]);
    assert!(
        text.contains("options it may truthfully declare: `nomem`, `pure`, `nostack`, `preserves_flags`, `noreturn`"),
        "{text}"
    );
}
