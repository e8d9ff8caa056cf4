//! `allow(rule, …, reason = "…")`: checked_asm's own argument, the escape
//! hatch for a finding the user has judged. It is removed before the block is
//! forwarded to rustc, which would not understand it.

use darling::FromMeta;
use darling::ast::NestedMeta;
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use syn::parse::ParseStream;
use syn::{Expr, ExprLit, Lit, LitStr, Meta, parenthesized};

use crate::diagnostics::SpanRange;

/// One `allow(..)` clause as written.
#[derive(Clone)]
pub struct AllowClause {
    /// From `allow` to the closing parenthesis.
    pub span: SpanRange,
    /// The span of the word `allow`.
    pub keyword: Span,
    /// The rule names and reason, or what is wrong with them.
    pub list: Result<AllowList, darling::Error>,
}

/// The contents of a well-formed `allow(..)`.
#[derive(Clone, Debug)]
pub struct AllowList {
    /// The rule names, each with its span.
    pub rules: Vec<Ident>,
    /// Why the findings are acceptable; required.
    pub reason: LitStr,
}

impl FromMeta for AllowList {
    fn from_list(items: &[NestedMeta]) -> darling::Result<Self> {
        let mut errors = darling::Error::accumulator();
        let mut rules = Vec::new();
        let mut reason = None;
        for item in items {
            match item {
                NestedMeta::Meta(Meta::Path(path)) => match path.get_ident() {
                    Some(ident) => rules.push(ident.clone()),
                    None => errors.push(
                        darling::Error::custom("expected a rule name such as `memory_access_in_nomem`")
                            .with_span(path),
                    ),
                },
                NestedMeta::Meta(Meta::NameValue(pair)) if pair.path.is_ident("reason") => {
                    match &pair.value {
                        Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) if !text.value().trim().is_empty() => {
                            if reason.is_some() {
                                errors.push(darling::Error::custom("`reason` is given twice").with_span(&pair.path));
                            }
                            reason = Some(text.clone());
                        }
                        other => errors.push(
                            darling::Error::custom("`reason` must be a non-empty string literal saying why the finding is acceptable")
                                .with_span(other),
                        ),
                    }
                }
                other => errors.push(
                    darling::Error::custom("expected rule names and `reason = \"…\"`").with_span(other),
                ),
            }
        }
        if rules.is_empty() {
            errors.push(darling::Error::custom("`allow(..)` names no rule"));
        }
        let Some(reason) = reason else {
            errors.push(darling::Error::custom(
                "`allow(..)` needs a `reason = \"…\"` that says why the finding is acceptable",
            ));
            return Err(errors.finish().unwrap_err());
        };
        errors.finish_with(AllowList { rules, reason })
    }
}

impl AllowClause {
    pub(super) fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let start = input.cursor().span();
        let keyword: Ident = input.parse()?;
        let content;
        parenthesized!(content in input);
        let tokens: TokenStream = content.parse()?;
        let end = input.cursor().prev_span();
        let list = NestedMeta::parse_meta_list(tokens)
            .map_err(darling::Error::from)
            .and_then(|items| AllowList::from_list(&items))
            .map_err(|err| err.with_span(&keyword));
        Ok(AllowClause {
            span: SpanRange { start, end },
            keyword: keyword.span(),
            list,
        })
    }
}

/// `input` without any top-level `, allow(..)` argument: what rustc gets.
/// An `allow` can never be the first argument (that is a template), so each
/// one is removed together with the comma before it.
pub fn strip_allow_clauses(input: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = input.into_iter().collect();
    let mut kept = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        let is_allow = matches!(&trees[i], TokenTree::Punct(p) if p.as_char() == ',')
            && matches!(trees.get(i + 1), Some(TokenTree::Ident(id)) if id == "allow")
            && matches!(trees.get(i + 2), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis);
        if is_allow {
            i += 3;
        } else {
            kept.push(trees[i].clone());
            i += 1;
        }
    }
    kept.into_iter().collect()
}
