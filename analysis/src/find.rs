//! Finding assembly macro invocations in Rust source tokens, for the
//! `checked-asm` command and for tests that read whole files.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

use crate::parse::MacroKind;

/// One `asm!`-like invocation found in a token stream.
#[derive(Clone, Debug)]
pub struct Invocation {
    /// Which macro it is.
    pub kind: MacroKind,
    /// The macro's name as written, without path (`asm`, `checked_asm`, …).
    pub name: String,
    /// The arguments inside the delimiters.
    pub args: TokenStream,
    /// The span of the macro's name.
    pub span: Span,
    /// Whether the invocation sits in a `macro_rules!` body, where its
    /// arguments are a pattern of fragments rather than real tokens.
    pub in_macro_rules: bool,
}

/// The macro kind for an invoked name, if it is one of ours or core's.
pub fn kind_of(name: &str) -> Option<MacroKind> {
    Some(match name {
        "asm" | "checked_asm" => MacroKind::Asm,
        "global_asm" | "checked_global_asm" => MacroKind::GlobalAsm,
        "naked_asm" | "checked_naked_asm" => MacroKind::NakedAsm,
        _ => return None,
    })
}

/// Every invocation in `tokens`, in source order, looking into every group
/// (function bodies, modules, `macro_rules!` bodies).
pub fn invocations(tokens: TokenStream) -> Vec<Invocation> {
    let mut found = Vec::new();
    walk(tokens, false, &mut found);
    found
}

fn walk(tokens: TokenStream, in_macro_rules: bool, found: &mut Vec<Invocation>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                let Some(kind) = kind_of(&name) else { continue };
                let bang =
                    matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                let Some(TokenTree::Group(group)) = trees.get(i + 2) else {
                    continue;
                };
                if bang && group.delimiter() != Delimiter::None {
                    found.push(Invocation {
                        kind,
                        name,
                        args: group.stream(),
                        span: ident.span(),
                        in_macro_rules,
                    });
                }
            }
            TokenTree::Group(group) => {
                let is_macro_rules_body =
                    i >= 3 && matches!(&trees[i - 3], TokenTree::Ident(id) if id == "macro_rules");
                walk(group.stream(), in_macro_rules || is_macro_rules_body, found);
            }
            _ => {}
        }
    }
}
