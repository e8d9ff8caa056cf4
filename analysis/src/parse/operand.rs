//! Operands: `in`, `out`, `lateout`, `inout`, `inlateout`, `const`, `sym`, `label`.

use proc_macro2::Ident;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Attribute, Block, Expr, LitStr, Token, parenthesized};

use super::Head;
use super::expr::OperandExpr;
use super::template::plain_string;
use crate::diagnostics::SpanRange;

/// One operand with its attributes and optional name.
#[derive(Clone)]
pub struct Operand {
    /// Outer attributes written before the operand.
    pub attrs: Vec<Attribute>,
    /// `name = …`; keywords and raw identifiers are allowed as names.
    pub name: Option<Ident>,
    /// What kind of operand it is.
    pub kind: OperandKind,
    /// The whole operand from its name (or direction) to its last token,
    /// e.g. `x = in(reg) x`: findings about it underline this range.
    pub span: SpanRange,
}

/// The kinds of operand.
#[derive(Clone)]
pub enum OperandKind {
    /// A register operand: `in`, `out`, `lateout`, `inout`, `inlateout`.
    Reg(Box<RegOperand>),
    /// `const EXPR`.
    Const(OperandExpr),
    /// `sym PATH`.
    Sym(Expr),
    /// `label { .. }`.
    Label(Block),
}

/// A register operand.
#[derive(Clone)]
pub struct RegOperand {
    /// The direction keyword.
    pub direction: Direction,
    /// The direction keyword as written, for spans.
    pub direction_ident: Ident,
    /// `reg`-like class or `"rax"`-like explicit register.
    pub reg: RegSpec,
    /// The class or register name as a string, read once (a literal's
    /// value is re-parsed from its tokens at every `LitStr::value`).
    pub reg_name: String,
    /// The value that enters the register (`in`, `inout`, `inlateout`).
    pub input: Option<OperandExpr>,
    /// Where the register's final value goes (`out`, `lateout`, `inout`, `inlateout`).
    pub output: Option<Output>,
}

/// The direction of a register operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `in`
    In,
    /// `out`
    Out,
    /// `lateout`
    LateOut,
    /// `inout`
    InOut,
    /// `inlateout`
    InLateOut,
}

impl Direction {
    pub(super) fn from_word(word: &str) -> Option<Direction> {
        Some(match word {
            "in" => Direction::In,
            "out" => Direction::Out,
            "lateout" => Direction::LateOut,
            "inout" => Direction::InOut,
            "inlateout" => Direction::InLateOut,
            _ => return None,
        })
    }

    /// The keyword as written in `asm!`.
    pub fn keyword(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
            Direction::LateOut => "lateout",
            Direction::InOut => "inout",
            Direction::InLateOut => "inlateout",
        }
    }

    /// Whether the register holds an input value on entry.
    pub fn is_input(self) -> bool {
        matches!(
            self,
            Direction::In | Direction::InOut | Direction::InLateOut
        )
    }

    /// Whether the register's final value is an output.
    pub fn is_output(self) -> bool {
        !matches!(self, Direction::In)
    }

    /// Whether the output may share a register with an input (`lateout`, `inlateout`).
    pub fn is_late(self) -> bool {
        matches!(self, Direction::LateOut | Direction::InLateOut)
    }
}

/// The register part of a register operand.
#[derive(Clone)]
pub enum RegSpec {
    /// A register class such as `reg`, `xmm_reg` or `reg_abcd`.
    Class(Ident),
    /// An explicit register such as `"rax"` (a literal suffix is ignored, as rustc does).
    Explicit(LitStr),
}

/// Where an output goes.
#[derive(Clone)]
pub enum Output {
    /// `_`: the value is discarded (the register is a clobber).
    Discard,
    /// A place expression.
    Place(OperandExpr),
    /// `inout(reg) x`: written back to the input place itself.
    SameAsInput,
}

impl Operand {
    pub(super) fn parse_with_attrs(
        input: ParseStream<'_>,
        attrs: Vec<Attribute>,
        head: Head,
    ) -> syn::Result<Self> {
        let start = input.cursor().span();
        // `name = …`: the head was the name; the kind's word comes after.
        let (name, head) = if head.assign {
            let name = input.call(Ident::parse_any)?;
            input.parse::<Token![=]>()?;
            (Some(name), Head::of(input))
        } else {
            (None, head)
        };
        let kind = parse_kind(input, head.word.as_deref())?;
        // Stable proc macros cannot join spans: a range is kept as its ends.
        let end = input.cursor().prev_span();
        Ok(Operand {
            attrs,
            name,
            kind,
            span: SpanRange { start, end },
        })
    }

    /// The operand as source text, e.g. `x = inout(reg) x => _`, for
    /// messages (token spacing tidied the way rustfmt writes it).
    pub fn text(&self) -> String {
        let mut out = String::new();
        if let Some(name) = &self.name {
            out.push_str(&format!("{name} = "));
        }
        match &self.kind {
            OperandKind::Reg(reg) => {
                let spec = match &reg.reg {
                    RegSpec::Class(ident) => ident.to_string(),
                    RegSpec::Explicit(lit) => format!("{:?}", lit.value()),
                };
                out.push_str(&format!("{}({spec})", reg.direction.keyword()));
                if let Some(input) = &reg.input {
                    out.push_str(&format!(" {}", tidy(&input.to_token_stream().to_string())));
                }
                match &reg.output {
                    Some(Output::Discard) if reg.input.is_some() => out.push_str(" => _"),
                    Some(Output::Discard) => out.push_str(" _"),
                    Some(Output::Place(place)) if reg.input.is_some() => {
                        out.push_str(&format!(
                            " => {}",
                            tidy(&place.to_token_stream().to_string())
                        ));
                    }
                    Some(Output::Place(place)) => {
                        out.push_str(&format!(" {}", tidy(&place.to_token_stream().to_string())));
                    }
                    Some(Output::SameAsInput) | None => {}
                }
            }
            OperandKind::Const(expr) => out.push_str(&format!(
                "const {}",
                tidy(&expr.to_token_stream().to_string())
            )),
            OperandKind::Sym(expr) => out.push_str(&format!(
                "sym {}",
                tidy(&expr.to_token_stream().to_string())
            )),
            OperandKind::Label(_) => out.push_str("label { .. }"),
        }
        out
    }

    /// The register operand, if this is one.
    pub fn reg(&self) -> Option<&RegOperand> {
        match &self.kind {
            OperandKind::Reg(reg) => Some(reg),
            _ => None,
        }
    }

    /// Whether rustc lets the template refer to this operand: every operand
    /// but explicit-register ones.
    pub fn is_referable(&self) -> bool {
        !matches!(
            &self.kind,
            OperandKind::Reg(reg) if matches!(reg.reg, RegSpec::Explicit(_))
        )
    }
}

/// Token text as people write it: `p.as_ptr()`, not `p . as_ptr ()`.
fn tidy(text: &str) -> String {
    let mut out = text.to_owned();
    for (from, to) in [
        (" . ", "."),
        (" :: ", "::"),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        (" ,", ","),
        (" [", "["),
        ("[ ", "["),
        (" ]", "]"),
        ("& ", "&"),
        ("* ", "*"),
        ("! ", "!"),
        ("::< ", "::<"),
        (" >(", ">("),
    ] {
        out = out.replace(from, to);
    }
    out
}

fn parse_kind(input: ParseStream<'_>, word: Option<&str>) -> syn::Result<OperandKind> {
    match word {
        Some("const") => {
            input.parse::<Token![const]>()?;
            return Ok(OperandKind::Const(OperandExpr::parse(input)?));
        }
        Some("sym") => {
            input.call(Ident::parse_any)?;
            return Ok(OperandKind::Sym(input.parse()?));
        }
        Some("label") => {
            input.call(Ident::parse_any)?;
            return Ok(OperandKind::Label(input.parse()?));
        }
        _ => {}
    }
    let direction_ident = input.call(Ident::parse_any)?;
    let Some(direction) = word.and_then(Direction::from_word) else {
        return Err(syn::Error::new(
            direction_ident.span(),
            "expected an operand, `options(..)` or `clobber_abi(..)`",
        ));
    };
    let content;
    parenthesized!(content in input);
    // `"rax"`: a plain literal is read from its text (syn's `LitStr`
    // would unescape it twice, the cost of a whole operand unoptimised).
    let plain = content.step(|cursor| {
        let Some((literal, rest)) = cursor.literal() else {
            return Err(cursor.error("not a literal"));
        };
        match plain_string(&literal.to_string()) {
            Some(name) => Ok(((name.to_owned(), literal.span()), rest)),
            None => Err(cursor.error("not a plain string")),
        }
    });
    let (reg, reg_name) = if let Ok((name, span)) = plain {
        (RegSpec::Explicit(LitStr::new(&name, span)), name)
    } else if content.cursor().literal().is_some() {
        let lit: LitStr = content.parse()?;
        let name = lit.value();
        (RegSpec::Explicit(lit), name)
    } else {
        let ident = content.call(Ident::parse_any)?;
        let name = ident.to_string();
        (RegSpec::Class(ident), name)
    };
    if !content.is_empty() {
        return Err(content.error("expected `)` after the register"));
    }
    let (input_expr, output) = match direction {
        Direction::In => {
            let value = OperandExpr::parse(input)?;
            if value.is_underscore() {
                // rustc: "_ cannot be used for input operands".
                return Err(syn::Error::new_spanned(value, "`_` is not an input"));
            }
            (Some(value), None)
        }
        Direction::Out | Direction::LateOut => {
            (None, Some(output_place(OperandExpr::parse(input)?)))
        }
        Direction::InOut | Direction::InLateOut => {
            let value = OperandExpr::parse(input)?;
            if input.peek(Token![=>]) {
                input.parse::<Token![=>]>()?;
                (Some(value), Some(output_place(OperandExpr::parse(input)?)))
            } else {
                (Some(value), Some(Output::SameAsInput))
            }
        }
    };
    Ok(OperandKind::Reg(Box::new(RegOperand {
        direction,
        direction_ident,
        reg,
        reg_name,
        input: input_expr,
        output,
    })))
}

fn output_place(expr: OperandExpr) -> Output {
    if expr.is_underscore() {
        Output::Discard
    } else {
        Output::Place(expr)
    }
}
