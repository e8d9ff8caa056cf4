//! Operand expressions, kept as tokens. We never need their structure (rustc
//! type-checks them), only their text, whether they are `_`, and sometimes
//! a constant's value; parsing every one as a full `syn::Expr` was the
//! largest single cost of the macro in an unoptimised build.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::Expr;
use syn::parse::ParseStream;

/// The tokens of one operand expression.
#[derive(Clone, Debug)]
pub struct OperandExpr {
    tokens: TokenStream,
    /// Whether the tokens are `_` (seen through invisible groups), decided
    /// while reading them rather than by walking a copy later.
    underscore: bool,
}

impl OperandExpr {
    /// Reads an expression up to the next top-level `,` or `=>`. Tokens
    /// that could hide a top-level comma inside an expression (`|a, b|`
    /// closures, `f::<A, B>` generics) send it through syn's parser instead.
    ///
    /// One pass with the cursor: `step` advances `input` only when the
    /// scan succeeds, so no fork (and no second walk to commit) is needed.
    pub(super) fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let scanned = input.step(|cursor| {
            let mut rest = *cursor;
            let mut tokens = TokenStream::new();
            let mut count = 0usize;
            while let Some((tree, next)) = rest.token_tree() {
                if let TokenTree::Punct(punct) = &tree {
                    let ends = punct.as_char() == ','
                        || (punct.as_char() == '='
                            && punct.spacing() == Spacing::Joint
                            && matches!(next.token_tree(), Some((TokenTree::Punct(p), _)) if p.as_char() == '>'));
                    if ends {
                        break;
                    }
                    // (`$x` only appears in `macro_rules!` bodies read by the
                    // command; syn rejects it, as before.)
                    if matches!(punct.as_char(), '<' | '|' | '$') {
                        return Err(cursor.error("needs the full parser"));
                    }
                }
                count += 1;
                tokens.extend([tree]);
                rest = next;
            }
            if count == 0 {
                return Err(cursor.error("expected an expression"));
            }
            Ok(((tokens, count), rest))
        });
        match scanned {
            Ok((tokens, count)) => Ok(OperandExpr::new(tokens, count == 1)),
            Err(_) => {
                let expr: Expr = input.parse()?;
                Ok(OperandExpr::new(expr.to_token_stream(), true))
            }
        }
    }

    /// `single`: whether the expression may be one token tree (only then
    /// can it be `_`).
    pub(super) fn new(tokens: TokenStream, single: bool) -> Self {
        let underscore = single && is_underscore(&tokens);
        OperandExpr { tokens, underscore }
    }

    /// Whether the expression is `_` (a discarded output).
    pub fn is_underscore(&self) -> bool {
        self.underscore
    }

    /// The expression's one token, looking through invisible groups; `None`
    /// when it has several.
    pub fn lone_token(&self) -> Option<TokenTree> {
        lone_tree(&self.tokens)
    }

    /// Whether the expression names something (a constant, a function, a
    /// macro): any identifier but `as` and the integer types of a cast.
    /// Such an expression has no value before type checking.
    pub fn names_something(&self) -> bool {
        fn names(stream: &TokenStream) -> bool {
            stream.clone().into_iter().any(|tree| match tree {
                TokenTree::Ident(ident) => !matches!(
                    ident.to_string().as_str(),
                    "as" | "u8"
                        | "u16"
                        | "u32"
                        | "u64"
                        | "u128"
                        | "usize"
                        | "i8"
                        | "i16"
                        | "i32"
                        | "i64"
                        | "i128"
                        | "isize"
                ),
                TokenTree::Group(group) => names(&group.stream()),
                TokenTree::Punct(_) | TokenTree::Literal(_) => false,
            })
        }
        names(&self.tokens)
    }

    /// The expression parsed by syn, when its structure is needed.
    pub fn to_expr(&self) -> Option<Expr> {
        syn::parse2(self.tokens.clone()).ok()
    }
}

impl ToTokens for OperandExpr {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.tokens.clone());
    }
}

/// Whether `tokens` are a lone `_`, possibly inside invisible groups (a
/// `macro_rules!` fragment).
fn is_underscore(tokens: &TokenStream) -> bool {
    matches!(lone_tree(tokens), Some(TokenTree::Ident(ident)) if ident == "_")
}

/// The one token tree of `tokens`, looking through invisible groups; `None`
/// when there are several (or none).
fn lone_tree(tokens: &TokenStream) -> Option<TokenTree> {
    let mut stream = tokens.clone();
    loop {
        let mut trees = stream.into_iter();
        match (trees.next(), trees.next()) {
            (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::None => {
                stream = group.stream();
            }
            (Some(tree), None) => return Some(tree),
            _ => return None,
        }
    }
}
