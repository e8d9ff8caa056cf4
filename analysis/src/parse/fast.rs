//! A direct reader for the arguments most blocks are made of: plain string
//! templates, register, `const` and `sym` operands, `options(..)`. It walks
//! the token trees once, without building syn's token buffer, and gives up
//! (`None`) at anything else (attributes, `label`, `clobber_abi`, `allow`,
//! macro templates, `macro_rules!` fragments, generics or closures in an
//! expression, malformed input); syn's parser then reads
//! the input from the start, so errors and rare forms keep one
//! implementation.
//!
//! Why: unoptimised (proc macros are built at opt-level 0), syn's buffer
//! and cursors cost about a tenth of the whole analysis of a typical block.
//! The test `fast_reader_agrees_with_syn` holds the two readers to the same
//! result, spans included.

use proc_macro2::{Delimiter, Ident, Literal, Spacing, Span, TokenStream, TokenTree};
use syn::{Lit, LitStr};

use super::AsmArgs;
use super::expr::OperandExpr;
use super::operand::{Direction, Operand, OperandKind, Output, RegOperand, RegSpec};
use super::options::{AsmOption, OptionWord, OptionsGroup};
use super::template::{TemplateArg, TemplatePiece, plain_string};
use crate::diagnostics::SpanRange;

/// The arguments, when every one of them has a shape read here; else the
/// input, given back whole for syn (its tokens are moved, never copied).
pub(super) fn parse(input: TokenStream) -> Result<AsmArgs, TokenStream> {
    let trees: Vec<TokenTree> = input.into_iter().collect();
    match read(&trees) {
        Some(args) => Ok(args),
        None => Err(trees.into_iter().collect()),
    }
}

fn read(trees: &[TokenTree]) -> Option<AsmArgs> {
    if !trees.iter().all(is_plain_tree) {
        return None;
    }
    let mut args = AsmArgs::default();
    let mut arguments =
        trees.split(|tree| matches!(tree, TokenTree::Punct(p) if p.as_char() == ','));
    while let Some(argument) = arguments.next() {
        if argument.is_empty() {
            // A trailing comma ends the input; an empty argument elsewhere
            // (`,,`, a leading comma) is syn's to report.
            if arguments.next().is_none() && !args.templates.is_empty() {
                break;
            }
            return None;
        }
        read_argument(&mut args, argument)?;
    }
    (!args.templates.is_empty()).then_some(args)
}

/// Whether a top-level token can be read here: not an attribute's `#`, not
/// a `macro_rules!` fragment (an invisible group, or `$`), and no `<` or
/// `|`, which may hide a comma inside an expression (`f::<A, B>`, `|a, b|`).
fn is_plain_tree(tree: &TokenTree) -> bool {
    match tree {
        TokenTree::Punct(punct) => !matches!(punct.as_char(), '#' | '<' | '|' | '$'),
        TokenTree::Group(group) => group.delimiter() != Delimiter::None,
        TokenTree::Ident(_) | TokenTree::Literal(_) => true,
    }
}

/// One argument (its tokens up to the next top-level comma) into `args`.
fn read_argument(args: &mut AsmArgs, tokens: &[TokenTree]) -> Option<()> {
    let only_templates_so_far =
        args.operands.is_empty() && args.options.is_empty() && args.clobber_abis.is_empty();
    match tokens {
        [TokenTree::Literal(literal)] if only_templates_so_far => {
            let text = string_value(literal)?;
            args.templates.push(TemplateArg {
                attrs: Vec::new(),
                piece: TemplatePiece::Text(text),
                span: SpanRange::single(literal.span()),
                include: None,
            });
        }
        [TokenTree::Ident(word), TokenTree::Group(group)]
            if !args.templates.is_empty()
                && group.delimiter() == Delimiter::Parenthesis
                && word == "options" =>
        {
            args.options.push(OptionsGroup {
                attrs: Vec::new(),
                words: option_words(group.stream())?,
                span: SpanRange {
                    start: word.span(),
                    end: group.span_close(),
                },
            });
        }
        _ if !args.templates.is_empty() => args.operands.push(operand(tokens)?),
        _ => return None,
    }
    Some(())
}

/// `nomem, nostack` (a trailing comma allowed).
fn option_words(stream: TokenStream) -> Option<Vec<OptionWord>> {
    let mut words = Vec::new();
    let mut expect_word = true;
    for tree in stream {
        match tree {
            TokenTree::Ident(ident) if expect_word => {
                words.push(OptionWord {
                    option: AsmOption::from_word(&ident.to_string()),
                    ident,
                });
                expect_word = false;
            }
            TokenTree::Punct(punct) if !expect_word && punct.as_char() == ',' => {
                expect_word = true;
            }
            _ => return None,
        }
    }
    Some(words)
}

/// `[name =] in(reg) x`, `inout("eax") a => b`, `const N`.
fn operand(tokens: &[TokenTree]) -> Option<Operand> {
    // As syn's cursor gives them: a group's whole span first, its closing
    // delimiter last.
    let start = tokens.first()?.span();
    let end = end_span_of(tokens.last()?);
    let (name, rest) = match tokens {
        [TokenTree::Ident(name), TokenTree::Punct(eq), rest @ ..]
            if eq.as_char() == '=' && eq.spacing() == Spacing::Alone =>
        {
            (Some(name.clone()), rest)
        }
        _ => (None, tokens),
    };
    let kind = match rest {
        [TokenTree::Ident(word), expr @ ..] if word == "const" => {
            OperandKind::Const(expression(expr)?)
        }
        // A path, for syn to read as the expression it is (the `<` of
        // generics already sent the whole input to syn). Not `sym!(..)`:
        // syn's reader takes a macro there for a template.
        [TokenTree::Ident(word), path @ ..]
            if word == "sym"
                && !path.is_empty()
                && !path
                    .iter()
                    .any(|tree| matches!(tree, TokenTree::Punct(p) if p.as_char() == '!')) =>
        {
            OperandKind::Sym(syn::parse2(path.iter().cloned().collect()).ok()?)
        }
        [TokenTree::Ident(word), TokenTree::Group(group), expr @ ..]
            if group.delimiter() == Delimiter::Parenthesis =>
        {
            OperandKind::Reg(Box::new(register_operand(word, group.stream(), expr)?))
        }
        _ => return None,
    };
    Some(Operand {
        attrs: Vec::new(),
        name,
        kind,
        span: SpanRange { start, end },
    })
}

/// The part of a register operand after its name: `in(reg) x`.
fn register_operand(word: &Ident, spec: TokenStream, expr: &[TokenTree]) -> Option<RegOperand> {
    let direction = Direction::from_word(&word.to_string())?;
    let mut spec = spec.into_iter();
    let (reg, reg_name) = match (spec.next(), spec.next()) {
        (Some(TokenTree::Ident(class)), None) => {
            let name = class.to_string();
            (RegSpec::Class(class), name)
        }
        // As syn's reader builds it: from the text for a plain literal,
        // else the literal itself (raw, escaped, suffixed).
        (Some(TokenTree::Literal(literal)), None) => match plain_string(&literal.to_string()) {
            Some(name) => (
                RegSpec::Explicit(LitStr::new(name, literal.span())),
                name.to_owned(),
            ),
            None => match Lit::new(literal) {
                Lit::Str(lit) => {
                    let name = lit.value();
                    (RegSpec::Explicit(lit), name)
                }
                _ => return None,
            },
        },
        _ => return None,
    };
    let arrow = expr.windows(2).position(is_fat_arrow);
    let (input, output) = match (direction, arrow) {
        (Direction::In, None) => {
            let value = expression(expr)?;
            // `_` as an input is an error: syn's reader reports it.
            if value.is_underscore() {
                return None;
            }
            (Some(value), None)
        }
        (Direction::Out | Direction::LateOut, None) => (None, Some(output(expression(expr)?))),
        (Direction::InOut | Direction::InLateOut, None) => {
            (Some(expression(expr)?), Some(Output::SameAsInput))
        }
        (Direction::InOut | Direction::InLateOut, Some(at)) => (
            Some(expression(&expr[..at])?),
            Some(output(expression(&expr[at + 2..])?)),
        ),
        (_, Some(_)) => return None,
    };
    Some(RegOperand {
        direction,
        direction_ident: word.clone(),
        reg,
        reg_name,
        input,
        output,
    })
}

/// The value of a string literal: its text when it needs no unescaping,
/// else syn's reading of the one literal (raw strings, escapes).
fn string_value(literal: &Literal) -> Option<String> {
    let mut repr = literal.to_string();
    if plain_string(&repr).is_some() {
        // The text between the quotes, in the same allocation.
        repr.pop();
        repr.remove(0);
        return Some(repr);
    }
    match Lit::new(literal.clone()) {
        Lit::Str(string) => Some(string.value()),
        _ => None,
    }
}

/// Whether two tokens are `=>`.
fn is_fat_arrow(pair: &[TokenTree]) -> bool {
    matches!(pair, [TokenTree::Punct(eq), TokenTree::Punct(gt)]
        if eq.as_char() == '=' && eq.spacing() == Spacing::Joint && gt.as_char() == '>')
}

/// An operand expression: one or more tokens, no further `=>`.
fn expression(tokens: &[TokenTree]) -> Option<OperandExpr> {
    if tokens.is_empty() || tokens.windows(2).any(is_fat_arrow) {
        return None;
    }
    let stream: TokenStream = tokens.iter().cloned().collect();
    Some(OperandExpr::new(stream, tokens.len() == 1))
}

fn output(expr: OperandExpr) -> Output {
    if expr.is_underscore() {
        Output::Discard
    } else {
        Output::Place(expr)
    }
}

/// Where a token ends, as syn's `prev_span` gives it.
fn end_span_of(tree: &TokenTree) -> Span {
    match tree {
        TokenTree::Group(group) => group.span_close(),
        other => other.span(),
    }
}
