//! `checked_asm!` is `core::arch::asm!` that reads the template it is given
//! and refuses to compile when the contract you declared (operands,
//! `clobber_abi`, `options(..)`) promises more than the x86 instructions keep.
//!
//! ```
//! # #[cfg(target_arch = "x86_64")] {
//! use checked_asm::asm;
//!
//! let x: u64 = 41;
//! let y: u64;
//! unsafe { asm!("lea {y}, [{x} + 1]", x = in(reg) x, y = lateout(reg) y, options(pure, nomem, nostack, preserves_flags)) };
//! assert_eq!(y, 42);
//! # }
//! ```
//!
//! # A drop-in replacement
//!
//! The macros take exactly the syntax of their `core::arch` counterparts and
//! expand to the very same tokens, so switching costs one `use` line and
//! nothing at run time:
//!
//! | instead of | use |
//! |---|---|
//! | `core::arch::asm!` | [`asm!`] (also named [`checked_asm!`]) |
//! | `core::arch::global_asm!` | [`global_asm!`] (also named [`checked_global_asm!`]) |
//! | `core::arch::naked_asm!` | [`naked_asm!`] (also named [`checked_naked_asm!`]) |
//!
//! Input that is not valid `asm!` syntax is forwarded untouched, so rustc's
//! own errors still point into your code.
//!
//! # What it checks
//!
//! Each declared promise is checked against what the instructions do, on
//! every path through the template; see [`rules`] for the list. A finding is
//! a compile error, spanned at the promise that does not hold (the option
//! word, the operand), that quotes the instruction and its template line and
//! says what to change. A finding you have judged acceptable is silenced with
//! `allow(<rule>, …, reason = "…")` among the macro's arguments; the reason
//! is required, and an `allow` that silences nothing is reported as a
//! warning. checked_asm never guesses: a statement it cannot read is itself
//! a finding (`unsupported_instruction`, `opaque_template`).
//!
//! # Targets
//!
//! A proc macro runs on the host and cannot know the target. Everything the
//! analysis reports is therefore emitted under `#[cfg(target_arch = "x86_64")]`
//! or `#[cfg(target_arch = "x86")]`, each architecture analysed in its own
//! mode, with only the arguments that exist there (`#[cfg(target_arch = ..)]`
//! on a template piece or operand is evaluated). Other `cfg`s (`feature`,
//! `debug_assertions`, …) cannot be: the block is checked in every build
//! they make (every combination of up to four such predicates), and what
//! only some builds have is reported under the `cfg` that selects them. A block that names a register
//! only 64-bit mode has (`rax`, `r8`, `[rip + x]`) is checked for x86-64
//! alone: no x86 target assembles it. Real-mode code is read as 16-bit code: after
//! `.code16`, and on x86 in a block that calls BIOS services (`int 0x10` to
//! `int 0x1a`), as boot sectors built for 16-bit targets do. On any other
//! target the block passes through unchecked.

#![no_std]
#![forbid(unsafe_code)]

/// # The rules
///
#[doc = include_str!("rules.md")]
pub mod rules {}

pub use checked_asm_macro::checked_asm;
pub use checked_asm_macro::checked_asm as asm;
pub use checked_asm_macro::checked_global_asm;
pub use checked_asm_macro::checked_global_asm as global_asm;
pub use checked_asm_macro::checked_naked_asm;
pub use checked_asm_macro::checked_naked_asm as naked_asm;
