//! What the proc macro emits: the findings as `cfg`-gated `compile_error!`s,
//! then the user's own tokens, unchanged, inside `core::arch`'s macro.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::diagnostics::{Finding, Severity, TargetArch};
use crate::parse::{AsmArgs, MacroKind, strip_allow_clauses};

/// The result of analysing one invocation.
pub struct Analysis {
    /// Which macro was invoked.
    pub kind: MacroKind,
    /// The model, or `None` when our parser did not accept the input; such
    /// input is forwarded untouched and rustc reports what is wrong with it.
    pub args: Option<AsmArgs>,
    /// What to tell the user, per target architecture.
    pub findings: Vec<ArchFinding>,
    /// The tokens to hand to `core::arch`: the input, minus checked_asm's own
    /// additions.
    pub forwarded: TokenStream,
}

/// A finding and the architectures it applies to.
#[derive(Clone, Debug)]
pub struct ArchFinding {
    /// The finding.
    pub finding: Finding,
    /// The `target_arch` values under which it is reported.
    pub archs: Vec<TargetArch>,
}

/// Parses and checks one invocation of `kind` with arguments `input`.
pub fn analyse(kind: MacroKind, input: TokenStream) -> Analysis {
    let args = AsmArgs::parse(input.clone()).ok();
    Analysis {
        kind,
        args,
        findings: Vec::new(),
        forwarded: strip_allow_clauses(input),
    }
}

/// The expansion of `checked_asm!` (resp. `checked_global_asm!`,
/// `checked_naked_asm!`): errors first, then the block exactly as written.
pub fn expand(kind: MacroKind, input: TokenStream) -> TokenStream {
    let analysis = analyse(kind, input);
    let errors: Vec<TokenStream> = analysis
        .findings
        .iter()
        .filter(|found| found.finding.severity == Severity::Error)
        .map(|found| found.finding.to_compile_error(&found.archs))
        .collect();
    let forwarded = &analysis.forwarded;
    let name = Ident::new(kind.core_name(), Span::call_site());
    let block = quote!(::core::arch::#name!(#forwarded));
    match kind {
        // An item: the errors are items beside it.
        MacroKind::GlobalAsm => quote!(#(#errors)* #block;),
        // Without findings, emit nothing but the block itself, so that
        // `naked_asm!` stays the only statement of its function.
        MacroKind::Asm | MacroKind::NakedAsm if errors.is_empty() => block,
        // Statements before the block; the block stays the value, so its
        // type (`()` or `!`) and its initialised outputs are unchanged.
        MacroKind::Asm | MacroKind::NakedAsm => quote!({ #(#errors)* #block }),
    }
}
