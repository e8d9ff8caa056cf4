//! Implementation detail of the [`checked-asm`](https://docs.rs/checked-asm)
//! crate. Use that crate instead: it re-exports these macros with docs.
//!
//! Each macro converts its input to `proc_macro2` tokens and hands it to
//! `checked_asm_analysis::expand`, where all the logic lives.

#![forbid(unsafe_code)]

use checked_asm_analysis::{MacroKind, expand};
use proc_macro::TokenStream;

/// See `checked_asm::checked_asm!`.
#[proc_macro]
pub fn checked_asm(input: TokenStream) -> TokenStream {
    expand(MacroKind::Asm, input.into()).into()
}

/// See `checked_asm::checked_global_asm!`.
#[proc_macro]
pub fn checked_global_asm(input: TokenStream) -> TokenStream {
    expand(MacroKind::GlobalAsm, input.into()).into()
}

/// See `checked_asm::checked_naked_asm!`.
#[proc_macro]
pub fn checked_naked_asm(input: TokenStream) -> TokenStream {
    expand(MacroKind::NakedAsm, input.into()).into()
}
