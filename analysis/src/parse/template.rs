//! Template arguments: string literals, raw strings, and macro calls.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Lit, LitStr, Macro, Token};

use crate::diagnostics::SpanRange;

/// One template argument with its attributes (`#[cfg]`, `#[cfg_attr]`).
#[derive(Clone)]
pub struct TemplateArg {
    /// Outer attributes written before the template.
    pub attrs: Vec<Attribute>,
    /// What the template says, if we can see it.
    pub piece: TemplatePiece,
    /// The tokens of the template (without attributes), for spans.
    pub span: SpanRange,
    /// For `include_str!("path")` with a literal path: the path, and the
    /// span of the call, relative to whose file the path is resolved.
    pub include: Option<(String, Span)>,
}

/// The text of one template argument, or why we cannot see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplatePiece {
    /// A string or raw string literal, or `concat!` of literals: the text is
    /// known at expansion time.
    Text(String),
    /// A macro call whose expansion we cannot reproduce (`include_str!`,
    /// `env!`, a user macro, `concat!` of something that is not a literal):
    /// the block cannot be analysed. Holds the macro's name as written.
    Opaque(String),
}

impl TemplateArg {
    /// Whether the input continues with a template: a literal or a macro call.
    pub(super) fn peek(input: ParseStream<'_>) -> bool {
        if input.cursor().literal().is_some() {
            return true;
        }
        let fork = input.fork();
        fork.parse::<Macro>().is_ok()
    }

    pub(super) fn parse_with_attrs(
        input: ParseStream<'_>,
        attrs: Vec<Attribute>,
    ) -> syn::Result<Self> {
        if let Some((literal, _)) = input.cursor().literal() {
            // Most templates are plain `"…"` literals: their text is what is
            // between the quotes. syn's `LitStr` would unescape it twice (once
            // to check it, once for `value()`), which unoptimised costs about
            // as much as reading the statements in it.
            if let Some(text) = plain_string(&literal.to_string()) {
                let _: proc_macro2::Literal = input.parse()?;
                return Ok(TemplateArg {
                    attrs,
                    piece: TemplatePiece::Text(text.to_owned()),
                    span: SpanRange::single(literal.span()),
                    include: None,
                });
            }
            let lit: LitStr = input.parse()?;
            return Ok(TemplateArg {
                attrs,
                piece: TemplatePiece::Text(lit.value()),
                span: SpanRange::single(lit.span()),
                include: None,
            });
        }
        let mac: Macro = input.parse()?;
        let span = SpanRange::of(&mac);
        Ok(TemplateArg {
            attrs,
            piece: piece_of_macro(&mac),
            span,
            include: included_file(&mac),
        })
    }

    /// The span of the template's first token (for single-span diagnostics).
    pub fn first_span(&self) -> Span {
        self.span.start
    }
}

/// The value of a string literal written `repr` when it needs no
/// unescaping: text between quotes, without a suffix, a backslash or a
/// carriage return (a literal holds one only in a `\r\n` line end, which
/// it reads as `\n`). Anything else (escapes, raw strings, suffixes, other
/// literals) is left to syn.
pub(super) fn plain_string(repr: &str) -> Option<&str> {
    let inner = repr.strip_prefix('"')?.strip_suffix('"')?;
    // A byte loop: unoptimised, `any` with a closure costs calls per byte.
    let bytes = inner.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if matches!(bytes[at], b'\\' | b'\r' | b'"') {
            return None;
        }
        at += 1;
    }
    Some(inner)
}

/// The text a template macro expands to, when we can compute it exactly.
fn piece_of_macro(mac: &Macro) -> TemplatePiece {
    let name = mac
        .path
        .segments
        .last()
        .map(|segment| segment.ident.to_string())
        .unwrap_or_default();
    let text = match name.as_str() {
        "concat" => concat_text(mac.tokens.clone()),
        "stringify" => Some(stringify_text(mac.tokens.clone())),
        _ => None,
    };
    match text {
        Some(text) => TemplatePiece::Text(text),
        None => TemplatePiece::Opaque(format!("{}!", path_text(mac))),
    }
}

/// `include_str!("path")`: the path and the span of the macro's name.
fn included_file(mac: &Macro) -> Option<(String, Span)> {
    let name = mac.path.segments.last()?;
    if name.ident != "include_str" {
        return None;
    }
    let path: LitStr = syn::parse2(mac.tokens.clone()).ok()?;
    Some((path.value(), name.ident.span()))
}

fn path_text(mac: &Macro) -> String {
    mac.path.to_token_stream().to_string().replace(' ', "")
}

/// `stringify!(tokens)`: the tokens' text. rustc's pretty-printer puts no
/// space before `,`, `:` and closing brackets nor after opening ones, which
/// matters to an assembler reading labels (`2:`); the rest of the spacing
/// does not change what an instruction means.
fn stringify_text(tokens: TokenStream) -> String {
    let mut text = tokens.to_string();
    for (from, to) in [
        (" ,", ","),
        (" :", ":"),
        (" )", ")"),
        (" ]", "]"),
        ("( ", "("),
        ("[ ", "["),
        ("$ ", "$"),
        ("% ", "%"),
    ] {
        text = text.replace(from, to);
    }
    text
}

/// `concat!` of literals (and of nested `concat!`s): the string rustc builds.
fn concat_text(tokens: TokenStream) -> Option<String> {
    let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
    let parts = parser.parse2(tokens).ok()?;
    let mut text = String::new();
    for part in parts {
        text.push_str(&concat_part(&part)?);
    }
    Some(text)
}

fn concat_part(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Group(group) => concat_part(&group.expr),
        Expr::Paren(paren) => concat_part(&paren.expr),
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => Some(s.value()),
            Lit::Char(c) => Some(c.value().to_string()),
            Lit::Bool(b) => Some(b.value.to_string()),
            // rustc pastes the digits without the suffix.
            Lit::Int(i) => Some(i.base10_digits().to_owned()),
            Lit::Float(f) => Some(f.base10_digits().to_owned()),
            _ => None,
        },
        Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Neg(_)) => {
            let inner = concat_part(&unary.expr)?;
            Some(format!("-{inner}"))
        }
        Expr::Macro(mac) => match piece_of_macro(&mac.mac) {
            TemplatePiece::Text(text) => Some(text),
            TemplatePiece::Opaque(_) => None,
        },
        _ => None,
    }
}

impl Parse for TemplateArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = Attribute::parse_outer(input)?;
        TemplateArg::parse_with_attrs(input, attrs)
    }
}

#[cfg(test)]
mod plain_tests {
    use super::*;

    /// The shortcut gives syn's value whenever it applies.
    #[test]
    fn plain_strings_read_as_syn_reads_them() {
        let cases = [
            r#""""#,
            r#""mov eax, 1""#,
            "\"nop\n  ret\"",
            "\"a\r\nb\"",
            r#""a\nb""#,
            r#""\"""#,
            r#""x"suffix"#,
            r##"r#"raw"#"##,
            r#""ünïcode {0}""#,
        ];
        for case in cases {
            let tokens: TokenStream = case.parse().unwrap();
            let lit: LitStr = syn::parse2(tokens.clone()).unwrap();
            let literal: proc_macro2::Literal = syn::parse2(tokens).unwrap();
            if let Some(text) = plain_string(&literal.to_string()) {
                assert_eq!(text, lit.value(), "{case}");
            }
        }
        assert_eq!(plain_string(r#""mov eax, 1""#), Some("mov eax, 1"));
        assert_eq!(plain_string(r#""a\nb""#), None);
        assert_eq!(plain_string(r#""x"suffix"#), None);
    }
}
