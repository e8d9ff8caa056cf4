//! Stage 1: the arguments of `asm!`, `global_asm!` and `naked_asm!` as a model.
//!
//! This is syntax only. rustc validates the block after we forward it (option
//! conflicts, register classes, unused operands, types), so nothing here repeats
//! those checks: our grammar is a superset of rustc's, and input we cannot parse
//! is forwarded untouched for rustc to judge.
//!
//! Fragments from `macro_rules!` arrive wrapped in invisible (`Delimiter::None`)
//! groups; syn's cursor looks through them for identifiers, punctuation,
//! literals and expressions, which is what every parser below relies on.

mod allow;
mod expr;
mod operand;
mod options;
mod template;

pub use allow::{AllowClause, AllowList, strip_allow_clauses};
pub use expr::OperandExpr;
pub use operand::{Direction, Operand, OperandKind, Output, RegOperand, RegSpec};
pub use options::{AsmOption, ClobberAbi, OptionWord, OptionsGroup};
pub use template::{TemplateArg, TemplatePiece};

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Token};

/// Which of the three assembly macros an input belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MacroKind {
    /// `asm!`: an expression inside a function.
    Asm,
    /// `global_asm!`: an item.
    GlobalAsm,
    /// `naked_asm!`: the body of a `#[unsafe(naked)]` function.
    NakedAsm,
}

impl MacroKind {
    /// The name of the `core::arch` macro that the input is forwarded to.
    pub fn core_name(self) -> &'static str {
        match self {
            MacroKind::Asm => "asm",
            MacroKind::GlobalAsm => "global_asm",
            MacroKind::NakedAsm => "naked_asm",
        }
    }
}

/// The parsed arguments of one assembly macro invocation, in source order
/// within each kind.
#[derive(Clone)]
pub struct AsmArgs {
    /// One or more template pieces (rustc joins them with `\n`).
    pub templates: Vec<TemplateArg>,
    /// Register, `const`, `sym` and `label` operands, in declaration order.
    pub operands: Vec<Operand>,
    /// Every `options(..)` group; rustc merges them.
    pub options: Vec<OptionsGroup>,
    /// Every `clobber_abi(..)` group.
    pub clobber_abis: Vec<ClobberAbi>,
    /// checked_asm's own `allow(..)` clauses (removed before forwarding).
    pub allows: Vec<AllowClause>,
}

impl AsmArgs {
    /// Parses macro input; `Err` means "not valid syntax as far as we can
    /// tell", in which case the caller forwards the input to rustc unchanged.
    pub fn parse(input: TokenStream) -> syn::Result<AsmArgs> {
        syn::parse2(input)
    }

    /// All option words of all groups, in order.
    pub fn option_words(&self) -> impl Iterator<Item = &OptionWord> {
        self.options.iter().flat_map(|group| group.words.iter())
    }

    /// Whether any option group declares `option`.
    pub fn has_option(&self, option: AsmOption) -> bool {
        self.option_words().any(|word| word.option == option)
    }
}

impl Parse for AsmArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut args = AsmArgs {
            templates: Vec::new(),
            operands: Vec::new(),
            options: Vec::new(),
            clobber_abis: Vec::new(),
            allows: Vec::new(),
        };
        // r[asm.syntax]: at least one template, templates first, then anything.
        let attrs = Attribute::parse_outer(input)?;
        args.templates
            .push(TemplateArg::parse_with_attrs(input, attrs)?);
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break; // trailing comma
            }
            let attrs = Attribute::parse_outer(input)?;
            if args.operands.is_empty()
                && args.options.is_empty()
                && args.clobber_abis.is_empty()
                && TemplateArg::peek(input)
            {
                args.templates
                    .push(TemplateArg::parse_with_attrs(input, attrs)?);
            } else if OptionsGroup::peek(input) {
                args.options
                    .push(OptionsGroup::parse_with_attrs(input, attrs)?);
            } else if AllowClause::peek(input) {
                // Ours, not rustc's: attributes on it would be meaningless.
                if let Some(attr) = attrs.first() {
                    return Err(syn::Error::new_spanned(
                        attr,
                        "attributes are not supported on `allow(..)`",
                    ));
                }
                args.allows.push(AllowClause::parse(input)?);
            } else if ClobberAbi::peek(input) {
                args.clobber_abis
                    .push(ClobberAbi::parse_with_attrs(input, attrs)?);
            } else {
                args.operands.push(Operand::parse_with_attrs(input, attrs)?);
            }
        }
        Ok(args)
    }
}

/// Whether the next token (looking through invisible groups) is the
/// identifier or keyword `word`.
fn peek_word(input: ParseStream<'_>, word: &str) -> bool {
    input
        .cursor()
        .ident()
        .is_some_and(|(ident, _)| ident == word)
}

/// Whether the next tokens are `word (`: a keyword followed by a
/// parenthesised group, as in `options(..)` or `in(reg)`.
fn peek_call(input: ParseStream<'_>, word: &str) -> bool {
    match input.cursor().ident() {
        Some((ident, rest)) => {
            ident == word && rest.group(proc_macro2::Delimiter::Parenthesis).is_some()
        }
        None => false,
    }
}

#[cfg(test)]
mod tests;
