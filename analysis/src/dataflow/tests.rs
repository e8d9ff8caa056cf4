//! The graph and the states on whole blocks: what the rules see of calls
//! into the block's own code.

use crate::diagnostics::TargetArch;
use crate::parse::MacroKind;
use proc_macro2::TokenStream;

/// The rules that fire on `input` (an `asm!` invocation's arguments) for
/// x86-64, with their messages.
fn findings(input: TokenStream) -> Vec<(&'static str, String)> {
    findings_on(input, TargetArch::X86_64)
}

/// [`findings`] for `arch`.
fn findings_on(input: TokenStream, arch: TargetArch) -> Vec<(&'static str, String)> {
    crate::check_block(MacroKind::Asm, input, arch)
        .expect("valid asm! input")
        .findings
        .into_iter()
        .map(|finding| (finding.rule, finding.message))
        .collect()
}

#[test]
fn code_entered_by_a_local_call_is_checked() {
    // Only the `call` reaches the subroutine; what it writes is the block's.
    let found = findings(quote::quote!(
        "call 7f",
        "jmp 8f",
        "7:",
        "mov rdx, 1",
        "ret",
        "8:",
        clobber_abi("C")
    ));
    assert_eq!(found, []);
    let found = findings(quote::quote!(
        "call 7f",
        "jmp 8f",
        "7:",
        "mov rdx, 1",
        "ret",
        "8:",
        "nop"
    ));
    let rules: Vec<_> = found.iter().map(|(rule, _)| *rule).collect();
    assert!(rules.contains(&"undeclared_register_write"), "{found:?}");
    assert!(found.iter().any(|(_, m)| m.contains("`rdx`")), "{found:?}");
}

#[test]
fn a_local_call_comes_back_with_the_stack_as_it_was() {
    // The subroutine drops its return address and leaves the block; the
    // code after the call is reached, if ever, with the stack unmoved.
    let found = findings(quote::quote!(
        "call 7f",
        "jmp 8f",
        "7:",
        "lea rsp, [rsp + 8]",
        "jmp {exit}",
        "8:",
        exit = sym leave_elsewhere,
        clobber_abi("C")
    ));
    assert_eq!(found, []);
}

#[test]
fn a_call_to_the_next_line_is_a_push() {
    // Reading the program counter: the pushed address is popped at once.
    let found = findings(quote::quote!("call 7f", "7:", "pop {pc}", pc = out(reg) _));
    assert_eq!(found, []);
    // Without the `pop`, the block ends with the stack moved.
    let found = findings(quote::quote!("call 7f", "7:", "nop"));
    let rules: Vec<_> = found.iter().map(|(rule, _)| *rule).collect();
    assert_eq!(rules, ["reserved_register_modified"], "{found:?}");
}

#[test]
fn a_local_call_comes_back_through_its_ret() {
    // The output is written only in the subroutine, and the register it
    // borrows is restored before the `ret`: the block keeps its word.
    let found = findings(quote::quote!(
        "call 7f",
        "jmp 8f",
        "7:",
        "push r12",
        "mov r12, 2",
        "pop r12",
        "mov {out}, 3",
        "ret",
        "8:",
        out = out(reg) value
    ));
    assert_eq!(found, []);
    // Without its save and restore, r12 comes back changed.
    let found = findings(quote::quote!(
        "call 7f",
        "jmp 8f",
        "7:",
        "mov r12, 2",
        "mov {out}, 3",
        "ret",
        "8:",
        out = out(reg) value
    ));
    let rules: Vec<_> = found.iter().map(|(rule, _)| *rule).collect();
    assert_eq!(rules, ["undeclared_register_write"], "{found:?}");
    // A subroutine that leaves a value on the stack: its `ret` pops that
    // value, not the return address, and the stack stays moved.
    let found = findings(quote::quote!(
        "call 7f", "jmp 8f", "7:", "push rax", "ret", "8:", "nop"
    ));
    let rules: Vec<_> = found.iter().map(|(rule, _)| *rule).collect();
    assert_eq!(rules, ["reserved_register_modified"], "{found:?}");
    assert!(found[0].1.contains("moved by -8 bytes"), "{found:?}");
}

#[test]
fn a_stack_switch_that_saves_the_old_pointer_comes_back() {
    // The old stack pointer is stored at the top of the new stack, and
    // popped from there to switch back.
    let intel = findings(quote::quote!(
        "mov qword ptr [{top}], rsp",
        "mov rsp, {top}",
        "call {work}",
        "pop {top}",
        "mov rsp, {top}",
        top = inout(reg) new_stack => _,
        work = sym on_other_stack,
        clobber_abi("C")
    ));
    assert_eq!(intel, []);
    let att = findings(quote::quote!(
        "movq %rsp, ({top})",
        "movq {top}, %rsp",
        "call {work}",
        "popq {top}",
        "movq {top}, %rsp",
        top = inout(reg) new_stack => _,
        work = sym on_other_stack,
        clobber_abi("C"),
        options(att_syntax)
    ));
    assert_eq!(att, []);
    // Saved beside the top, not at it: the pop brings back something else.
    let beside = findings(quote::quote!(
        "mov qword ptr [{top} + 8], rsp",
        "mov rsp, {top}",
        "call {work}",
        "pop {top}",
        "mov rsp, {top}",
        top = inout(reg) new_stack => _,
        work = sym on_other_stack,
        clobber_abi("C")
    ));
    let rules: Vec<_> = beside.iter().map(|(rule, _)| *rule).collect();
    assert_eq!(rules, ["reserved_register_modified"], "{beside:?}");
}

#[test]
fn an_exit_system_call_ends_every_path() {
    // Nothing after `exit_group` runs: the pushed word and the registers
    // `syscall` changes never reach the compiler.
    for exiting in [
        quote::quote!("push rbx", "syscall", in("rax") libc::SYS_exit_group, in("rdi") 0),
        quote::quote!("push rbx", "mov eax, {nr}", "syscall", nr = const SYS_EXIT, in("rdi") 0),
        quote::quote!("push rbx", "mov eax, 60", "syscall", in("rdi") 0),
    ] {
        assert_eq!(findings(exiting.clone()), [], "{exiting}");
    }
    // Another call number comes back, with the stack moved.
    let found = findings(quote::quote!("push rbx", "syscall", in("rax") nr, in("rdi") 0));
    let rules: Vec<_> = found.iter().map(|(rule, _)| *rule).collect();
    assert!(rules.contains(&"reserved_register_modified"), "{found:?}");
}

#[test]
fn a_block_that_calls_the_bios_is_real_mode_code() {
    // A disk read through the BIOS, as a boot sector does it: the error code
    // pushed for a failure path is popped again, two bytes each way.
    let block = quote::quote!(
        "push 0x7a",
        "mov {1:x}, si",
        "mov si, {0:x}",
        "int 0x13",
        "pop si",
        "mov si, {1:x}",
        in(reg) dap,
        out(reg) _,
        in("ax") 0x4200u16,
        in("dx") disk
    );
    assert_eq!(findings_on(block.clone(), TargetArch::X86), []);
    // The command, which does not know the target, reads it for x86 even
    // when the x86-64 reading finds nothing.
    let quiet = quote::quote!("int 0x13", in("ax") 0x4200u16);
    let report = crate::check_block_where_it_builds(
        MacroKind::Asm,
        quiet.clone(),
        TargetArch::X86_64,
        &crate::includes::no_includes,
    )
    .unwrap();
    assert!(report.reading.calls_bios);
    assert_eq!(findings(quiet), []);
    // An x86-64 target assembles it as 64-bit code, where the push moves
    // eight bytes.
    let found = findings(block);
    let rules: Vec<_> = found.iter().map(|(rule, _)| *rule).collect();
    assert!(rules.contains(&"reserved_register_modified"), "{found:?}");
}

#[test]
fn an_unknown_jump_lands_on_code_not_on_a_table() {
    let rules = |input: TokenStream| -> Vec<&'static str> {
        findings(input).into_iter().map(|(rule, _)| rule).collect()
    };
    // `jmp rax` may go to any label of code; `2:` holds a table of
    // addresses (symbolic data, unreadable if it were run) and is no target.
    let found = rules(quote::quote!(
        "lea rax, [rip + 3f]",
        "jmp rax",
        "2:",
        ".quad {f}",
        "3:",
        "ud2",
        f = sym handler,
        options(noreturn)
    ));
    assert!(!found.contains(&"unsupported_instruction"), "{found:?}");
    // Code that runs on into the table still cannot be checked.
    let found = rules(quote::quote!(
        "lea rax, [rip + 3f]",
        "jmp rax",
        "3:",
        "nop",
        ".quad {f}",
        f = sym handler,
        options(noreturn)
    ));
    assert!(found.contains(&"unsupported_instruction"), "{found:?}");
}

#[test]
fn a_local_call_in_real_mode_comes_back_balanced() {
    // LLVM's `call`/`ret` move four bytes in 16-bit code, `push 5` and
    // `pop ax` two: the subroutine returns with the stack where it was.
    let found = findings_on(
        quote::quote!("int 0x10", "call 7f", "jmp 8f", "7:", "push 5", "pop ax", "ret", "8:", out("ax") _),
        TargetArch::X86,
    );
    assert_eq!(found, []);
}

#[test]
fn real_mode_frames_are_restored() {
    // `push bp; mov bp, sp` … `mov sp, bp; pop bp` in a BIOS-calling block:
    // the low half of `ebp` holds the stack pointer for a while, and both
    // come back.
    let frame = quote::quote!(
        "push bp",
        "mov bp, sp",
        "sub sp, 4",
        "int 0x10",
        "mov sp, bp",
        "pop bp",
        in("ax") 0x0e41u16
    );
    assert_eq!(findings_on(frame, TargetArch::X86), []);
    // Without the `pop`, `bp` stays changed.
    let unrestored = quote::quote!(
        "push bp",
        "mov bp, sp",
        "int 0x10",
        "mov sp, bp",
        "add sp, 2",
        in("ax") 0x0e41u16
    );
    let found = findings_on(unrestored, TargetArch::X86);
    assert!(
        found
            .iter()
            .any(|(rule, message)| *rule == "reserved_register_modified"
                && message.contains("`mov bp, sp`")),
        "{found:?}"
    );
}

#[test]
fn a_32_bit_write_of_the_stack_pointer_in_64_bit_code_loses_it() {
    // `sub esp, 8` clears the upper half of `rsp`: `add esp, 8` does not
    // bring the stack back.
    let found = findings(quote::quote!("sub esp, 8", "add esp, 8"));
    let rules: Vec<_> = found.iter().map(|(rule, _)| *rule).collect();
    assert!(rules.contains(&"reserved_register_modified"), "{found:?}");
    // In 32-bit code it is the whole stack pointer.
    assert_eq!(
        findings_on(quote::quote!("sub esp, 8", "add esp, 8"), TargetArch::X86),
        []
    );
}

#[test]
fn a_real_mode_frame_pointer_may_be_saved_inside_the_frame() {
    let found = findings_on(
        quote::quote!(
            "push bp",
            "mov bp, sp",
            "push bp",
            "int 0x10",
            "pop bp",
            "mov sp, bp",
            "pop bp",
            in("ax") 0x0e41u16
        ),
        TargetArch::X86,
    );
    assert_eq!(found, []);
}
