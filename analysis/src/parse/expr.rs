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
}

impl OperandExpr {
    /// Reads an expression up to the next top-level `,` or `=>`. Tokens
    /// that could hide a top-level comma inside an expression (`|a, b|`
    /// closures, `f::<A, B>` generics) send it through syn's parser instead.
    pub(super) fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let fork = input.fork();
        let scanned = fork.step(|cursor| {
            let mut rest = *cursor;
            let mut tokens = TokenStream::new();
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
                tokens.extend([tree]);
                rest = next;
            }
            Ok((tokens, rest))
        });
        match scanned {
            Ok(tokens) if !tokens.is_empty() => {
                // Commit: advance `input` past the tokens the fork took.
                input.step(|cursor| {
                    let mut rest = *cursor;
                    for _ in tokens.clone() {
                        rest = rest.token_tree().map_or(rest, |(_, next)| next);
                    }
                    Ok(((), rest))
                })?;
                Ok(OperandExpr { tokens })
            }
            _ => {
                let expr: Expr = input.parse()?;
                Ok(OperandExpr {
                    tokens: expr.to_token_stream(),
                })
            }
        }
    }

    /// Whether the expression is `_` (a discarded output).
    pub fn is_underscore(&self) -> bool {
        let mut stream = self.tokens.clone();
        loop {
            let mut trees = stream.into_iter();
            match (trees.next(), trees.next()) {
                (Some(TokenTree::Ident(ident)), None) => return ident == "_",
                (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::None => {
                    stream = group.stream();
                }
                _ => return false,
            }
        }
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
