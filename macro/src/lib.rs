//! Implementation detail of the [`checked-asm`](https://docs.rs/checked-asm)
//! crate. Use that crate instead: it re-exports these macros with docs.
//!
//! Each macro converts its input to `proc_macro2` tokens and hands it to
//! `checked_asm_analysis::expand`, where all the logic lives.

#![forbid(unsafe_code)]

use checked_asm_analysis::{MacroKind, expand};
use proc_macro::TokenStream;

/// Reads an `include_str!` template as rustc will: relative to the source
/// file of the call (`Span::local_file`, stable since Rust 1.88). `None`
/// when the compiler cannot say where that is, or the file cannot be read.
fn read_include(site: proc_macro2::Span, path: &str) -> Option<String> {
    let source = site.unwrap().local_file()?;
    std::fs::read_to_string(source.parent()?.join(path)).ok()
}

/// See `checked_asm::checked_asm!`.
#[proc_macro]
pub fn checked_asm(input: TokenStream) -> TokenStream {
    expand(MacroKind::Asm, input.into(), &read_include).into()
}

/// See `checked_asm::checked_global_asm!`.
#[proc_macro]
pub fn checked_global_asm(input: TokenStream) -> TokenStream {
    expand(MacroKind::GlobalAsm, input.into(), &read_include).into()
}

/// See `checked_asm::checked_naked_asm!`.
#[proc_macro]
pub fn checked_naked_asm(input: TokenStream) -> TokenStream {
    expand(MacroKind::NakedAsm, input.into(), &read_include).into()
}
