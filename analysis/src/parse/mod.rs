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
mod fast;
mod operand;
mod options;
mod template;

pub use allow::{AllowClause, AllowList, strip_allow_clauses};
pub use expr::OperandExpr;
pub use operand::{Direction, Operand, OperandKind, Output, RegOperand, RegSpec};
pub use options::{AsmOption, ClobberAbi, OptionWord, OptionsGroup};
pub use template::{TemplateArg, TemplatePiece};

use proc_macro2::{Delimiter, Spacing, TokenStream};
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
#[derive(Clone, Default)]
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
        fast::parse(input).or_else(syn::parse2)
    }

    /// [`AsmArgs::parse`] with syn's parser only (what the fast reader is
    /// tested against).
    #[doc(hidden)]
    pub fn parse_with_syn(input: TokenStream) -> syn::Result<AsmArgs> {
        syn::parse2(input)
    }

    /// The fast reader alone: `None` where it leaves the input to syn.
    #[doc(hidden)]
    pub fn parse_fast(input: TokenStream) -> Option<AsmArgs> {
        fast::parse(input).ok()
    }

    /// All option words of all groups, in order.
    pub fn option_words(&self) -> impl Iterator<Item = &OptionWord> {
        self.options.iter().flat_map(|group| group.words.iter())
    }

    /// Whether any option group declares `option`.
    pub fn has_option(&self, option: AsmOption) -> bool {
        // Loops: unoptimised, the chained iterators cost more than the
        // comparisons, and this is asked several times per block.
        for group in &self.options {
            for word in &group.words {
                if word.option == option {
                    return true;
                }
            }
        }
        false
    }
}

impl Parse for AsmArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut args = AsmArgs::default();
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
            let head = Head::of(input);
            let clause = if head.call {
                head.word.as_deref()
            } else {
                None
            };
            if args.operands.is_empty()
                && args.options.is_empty()
                && args.clobber_abis.is_empty()
                && !head.call
                && !head.assign
                && TemplateArg::peek(input)
            {
                args.templates
                    .push(TemplateArg::parse_with_attrs(input, attrs)?);
            } else if clause == Some("options") {
                args.options
                    .push(OptionsGroup::parse_with_attrs(input, attrs)?);
            } else if clause == Some("allow") {
                // Ours, not rustc's: attributes on it would be meaningless.
                if let Some(attr) = attrs.first() {
                    return Err(syn::Error::new_spanned(
                        attr,
                        "attributes are not supported on `allow(..)`",
                    ));
                }
                args.allows.push(AllowClause::parse(input)?);
            } else if clause == Some("clobber_abi") {
                args.clobber_abis
                    .push(ClobberAbi::parse_with_attrs(input, attrs)?);
            } else {
                args.operands
                    .push(Operand::parse_with_attrs(input, attrs, head)?);
            }
        }
        Ok(args)
    }
}

/// The first tokens of an argument, looked at once: every look at an
/// identifier copies it (and, inside rustc, asks the compiler for its
/// text), so the leading word is read one time and the dispatch compares
/// strings. Looks through invisible groups, as syn's cursor does.
#[derive(Default)]
pub(crate) struct Head {
    /// The leading identifier or keyword, if the argument starts with one.
    pub(crate) word: Option<String>,
    /// The word is followed by a parenthesised group: `options(..)`,
    /// `in(reg)`.
    pub(crate) call: bool,
    /// The word is followed by a lone `=` (not `==` or `=>`): the name of
    /// a named operand.
    pub(crate) assign: bool,
}

impl Head {
    pub(crate) fn of(input: ParseStream<'_>) -> Head {
        let Some((ident, rest)) = input.cursor().ident() else {
            return Head::default();
        };
        let assign = match rest.punct() {
            Some((punct, after)) if punct.as_char() == '=' => {
                punct.spacing() == Spacing::Alone
                    || !after
                        .punct()
                        .is_some_and(|(next, _)| matches!(next.as_char(), '=' | '>'))
            }
            _ => false,
        };
        Head {
            word: Some(ident.to_string()),
            call: rest.group(Delimiter::Parenthesis).is_some(),
            assign,
        }
    }
}

#[cfg(test)]
mod tests;
