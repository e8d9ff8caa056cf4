//! `options(..)` and `clobber_abi(..)`.

use proc_macro2::Ident;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Attribute, LitStr, Token, parenthesized};

use crate::diagnostics::SpanRange;

/// One `options(..)` group.
#[derive(Clone)]
pub struct OptionsGroup {
    /// Outer attributes written before the group.
    pub attrs: Vec<Attribute>,
    /// The option words, each with its own span.
    pub words: Vec<OptionWord>,
    /// From `options` to the closing parenthesis.
    pub span: SpanRange,
}

/// One word inside `options(..)`.
#[derive(Clone)]
pub struct OptionWord {
    /// Which option the word names.
    pub option: AsmOption,
    /// The word as written (its span is where findings about it point).
    pub ident: Ident,
}

/// The options rustc knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AsmOption {
    /// `pure`
    Pure,
    /// `nomem`
    Nomem,
    /// `readonly`
    Readonly,
    /// `preserves_flags`
    PreservesFlags,
    /// `noreturn`
    Noreturn,
    /// `nostack`
    Nostack,
    /// `att_syntax`
    AttSyntax,
    /// `raw`
    Raw,
    /// `may_unwind` (unstable; rustc reports it)
    MayUnwind,
    /// A word rustc will reject; kept so that we forward rather than guess.
    Unknown,
}

impl AsmOption {
    /// The option for a word.
    pub fn from_word(word: &str) -> AsmOption {
        match word {
            "pure" => AsmOption::Pure,
            "nomem" => AsmOption::Nomem,
            "readonly" => AsmOption::Readonly,
            "preserves_flags" => AsmOption::PreservesFlags,
            "noreturn" => AsmOption::Noreturn,
            "nostack" => AsmOption::Nostack,
            "att_syntax" => AsmOption::AttSyntax,
            "raw" => AsmOption::Raw,
            "may_unwind" => AsmOption::MayUnwind,
            _ => AsmOption::Unknown,
        }
    }
}

impl OptionsGroup {
    pub(super) fn parse_with_attrs(
        input: ParseStream<'_>,
        attrs: Vec<Attribute>,
    ) -> syn::Result<Self> {
        let start = input.cursor().span();
        input.call(Ident::parse_any)?;
        let content;
        parenthesized!(content in input);
        let mut words = Vec::new();
        while !content.is_empty() {
            let ident = content.call(Ident::parse_any)?;
            words.push(OptionWord {
                option: AsmOption::from_word(&ident.to_string()),
                ident,
            });
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        let end = input.cursor().prev_span();
        Ok(OptionsGroup {
            attrs,
            words,
            span: SpanRange { start, end },
        })
    }
}

/// One `clobber_abi(..)` group.
#[derive(Clone)]
pub struct ClobberAbi {
    /// Outer attributes written before the group.
    pub attrs: Vec<Attribute>,
    /// The ABI names, e.g. `"C"`, `"sysv64"`.
    pub abis: Vec<LitStr>,
    /// From `clobber_abi` to the closing parenthesis.
    pub span: SpanRange,
}

impl ClobberAbi {
    pub(super) fn parse_with_attrs(
        input: ParseStream<'_>,
        attrs: Vec<Attribute>,
    ) -> syn::Result<Self> {
        let start = input.cursor().span();
        input.call(Ident::parse_any)?;
        let content;
        parenthesized!(content in input);
        let mut abis = Vec::new();
        while !content.is_empty() {
            abis.push(content.parse()?);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        let end = input.cursor().prev_span();
        Ok(ClobberAbi {
            attrs,
            abis,
            span: SpanRange { start, end },
        })
    }
}
