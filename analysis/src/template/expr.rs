//! Constant expressions: numbers in every spelling LLVM accepts, operators
//! with Intel or GNU precedence, and a linear form (`Σ coeff·reg + Σ
//! coeff·symbol + constant`) from which memory operands are read in any
//! term order (`[8*rcx + rdi - 16]`).
//!
//! Values are `i128` with wrapping arithmetic, so that `u64` constants and
//! their negations both fit; range checks are the matcher's business.

use std::collections::HashMap;

use super::ast::{Decorators, PlaceholderRef, RegOperandAst, Syntax, Target};
use super::lexer::Tok;
use super::placeholder::{Subst, SubstKind};
use super::registers;

/// What expressions may refer to: placeholders and `.set` constants.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Context<'a> {
    /// The dialect (number spellings differ).
    pub(crate) syntax: Syntax,
    /// The substitution table markers index.
    pub(crate) substs: &'a [Subst],
    /// Constants defined so far by `.set`/`.equ`/`=`.
    pub(crate) constants: &'a HashMap<String, i128>,
}

/// Operator precedence tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Precedence {
    /// LLVM's Intel operand parser: C-like (`|` < `^` < `&` < shifts < `+ -` < `* / %`),
    /// plus MASM words (`shl`, `and`, `mod`, …).
    Intel,
    /// LLVM's GNU expression parser (AT&T operands and all directives):
    /// `|| &&` < comparisons < `+ -` < `| ^ & !` < `* / % << >>`.
    Gnu,
}

/// An expression leaf.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Leaf {
    /// A number.
    Num(i128),
    /// A `const` placeholder.
    Const {
        value: Option<i128>,
        placeholder: PlaceholderRef,
    },
    /// A register (only where registers are allowed: memory operands).
    Reg(RegOperandAst),
    /// A symbol, label or local label reference.
    Target(Target),
}

/// An expression tree.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    Leaf(Leaf),
    Unary(&'static str, Box<Node>),
    Binary(&'static str, Box<Node>, Box<Node>),
}

/// A number token's meaning.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Number {
    Value(i128),
    Local { number: String, forward: bool },
}

/// Reads a number as LLVM does. Both syntaxes: `0x1f`, `0b101`, octal `017`,
/// decimal, and local label references `2f`/`2b`. Intel also: `1fh`, `0ffh`,
/// `17o`/`17q`, `101b` (and since `b` makes binary numbers, `1b`/`10b` are
/// binary literals in Intel syntax, never labels: only a digit other than 0
/// or 1 makes `Nb` a label reference).
pub(crate) fn parse_number(text: &str, syntax: Syntax) -> Result<Number, String> {
    // Most numbers are plain decimals (`8`, `0`, `64`): read without the
    // copies the general path makes.
    let bytes = text.as_bytes();
    if !bytes.is_empty()
        && bytes.iter().all(u8::is_ascii_digit)
        && (bytes.len() == 1 || bytes[0] != b'0')
        && let Ok(value) = text.parse::<u128>()
    {
        return Ok(Number::Value(value as i128));
    }
    let lower = text.to_ascii_lowercase();
    let too_large = || format!("number `{text}` is too large");
    let digits_in = |body: &str, radix: u32| -> Result<i128, String> {
        if body.is_empty() || !body.chars().all(|c| c.is_digit(radix) || c == '_') {
            return Err(format!("invalid number `{text}`"));
        }
        let clean: String = body.chars().filter(|&c| c != '_').collect();
        u128::from_str_radix(&clean, radix)
            .map(|v| v as i128)
            .map_err(|_| too_large())
    };
    if let Some(hex) = lower.strip_prefix("0x") {
        return digits_in(hex, 16).map(Number::Value);
    }
    if let Some(bin) = lower.strip_prefix("0b")
        && !bin.is_empty()
    {
        return digits_in(bin, 2).map(Number::Value);
    }
    let (body, last) = lower.split_at(lower.len() - 1);
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if syntax == Syntax::Intel {
        match last {
            "h" => return digits_in(body, 16).map(Number::Value),
            "o" | "q" => return digits_in(body, 8).map(Number::Value),
            "b" if !body.is_empty() && body.bytes().all(|b| b == b'0' || b == b'1') => {
                return digits_in(body, 2).map(Number::Value);
            }
            "d" if all_digits(body) => return digits_in(body, 10).map(Number::Value),
            _ => {}
        }
    }
    if (last == "f" || last == "b") && all_digits(body) {
        return Ok(Number::Local {
            number: body.to_owned(),
            forward: last == "f",
        });
    }
    if lower.len() > 1 && lower.starts_with('0') {
        return digits_in(&lower[1..], 8).map(Number::Value);
    }
    digits_in(&lower, 10).map(Number::Value)
}

/// A parser over the tokens of one expression.
pub(crate) struct Parser<'a> {
    toks: &'a [Tok],
    pos: usize,
    cx: Context<'a>,
    precedence: Precedence,
    /// Whether register names are leaves (inside memory operands).
    registers: bool,
}

/// Intel's operators written as words, and the symbol each stands for.
const INTEL_WORD_OPERATORS: [(&str, &str); 6] = [
    ("shl", "<<"),
    ("shr", ">>"),
    ("and", "&"),
    ("or", "|"),
    ("xor", "^"),
    ("mod", "%"),
];

fn binary_precedence(tok: &Tok, table: Precedence) -> Option<(&'static str, u8)> {
    let op: &'static str = match tok {
        Tok::Punct(p) => p,
        // Compared in place: this is asked after every leaf.
        Tok::Word(w) if table == Precedence::Intel => INTEL_WORD_OPERATORS
            .iter()
            .find(|(word, _)| w.eq_ignore_ascii_case(word))
            .map(|&(_, op)| op)?,
        _ => return None,
    };
    let level = match table {
        Precedence::Intel => match op {
            "|" => 1,
            "^" => 2,
            "&" => 3,
            "<<" | ">>" => 4,
            "+" | "-" => 5,
            "*" | "/" | "%" => 6,
            _ => return None,
        },
        Precedence::Gnu => match op {
            "||" | "&&" => 1,
            "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=" => 2,
            "+" | "-" => 3,
            "|" | "^" | "&" | "!" => 4,
            "*" | "/" | "%" | "<<" | ">>" => 5,
            _ => return None,
        },
    };
    Some((op, level))
}

impl<'a> Parser<'a> {
    /// A parser for `toks`.
    pub(crate) fn new(
        toks: &'a [Tok],
        cx: Context<'a>,
        precedence: Precedence,
        registers: bool,
    ) -> Self {
        Parser {
            toks,
            pos: 0,
            cx,
            precedence,
            registers,
        }
    }

    /// Parses the whole token slice as one expression.
    pub(crate) fn parse_all(mut self) -> Result<Node, String> {
        if self.toks.is_empty() {
            return Err("expected an expression".to_owned());
        }
        let node = self.parse_binary(0, 0)?;
        match self.toks.get(self.pos) {
            None => Ok(node),
            Some(tok) => Err(format!("unexpected {} in expression", describe(tok))),
        }
    }

    fn parse_binary(&mut self, min: u8, depth: usize) -> Result<Node, String> {
        if depth > 64 {
            return Err("expression is too deeply nested".to_owned());
        }
        let mut left = self.parse_unary(depth + 1)?;
        while let Some(tok) = self.toks.get(self.pos) {
            let Some((op, level)) = binary_precedence(tok, self.precedence) else {
                break;
            };
            if level <= min {
                break;
            }
            self.pos += 1;
            let right = self.parse_binary(level, depth + 1)?;
            left = Node::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn parse_unary(&mut self, depth: usize) -> Result<Node, String> {
        if depth > 64 {
            return Err("expression is too deeply nested".to_owned());
        }
        let Some(tok) = self.toks.get(self.pos) else {
            return Err("expected an expression, found the end of the operand".to_owned());
        };
        let intel = self.precedence == Precedence::Intel;
        // No `$` prefix here: in Intel syntax `$` is the location counter.
        // (`int $3` is taken care of before, in `intel::operand`.)
        let unary = match tok {
            Tok::Punct(p @ ("-" | "+" | "~" | "!")) => Some(*p),
            Tok::Word(w) if intel && w.eq_ignore_ascii_case("not") => Some("~"),
            // `offset` inside an Intel expression (`[offset {s} + 8]`) adds nothing.
            Tok::Word(w) if intel && w.eq_ignore_ascii_case("offset") => Some("+"),
            _ => None,
        };
        if let Some(op) = unary {
            self.pos += 1;
            let inner = self.parse_unary(depth + 1)?;
            return Ok(Node::Unary(op, Box::new(inner)));
        }
        self.parse_primary(depth)
    }

    fn parse_primary(&mut self, depth: usize) -> Result<Node, String> {
        let tok = self.toks[self.pos].clone();
        self.pos += 1;
        let leaf = match tok {
            Tok::Punct("(") => {
                let inner = self.parse_binary(0, depth + 1)?;
                if !self.toks.get(self.pos).is_some_and(|t| t.is(")")) {
                    return Err("expected `)` in expression".to_owned());
                }
                self.pos += 1;
                return Ok(inner);
            }
            Tok::Number(text) => match parse_number(&text, self.cx.syntax)? {
                Number::Value(v) => Leaf::Num(v),
                Number::Local { number, forward } => {
                    Leaf::Target(Target::Local { number, forward })
                }
            },
            Tok::Char(v) => Leaf::Num(v),
            Tok::Marker(index) => {
                let mut leaf = self.marker(index)?;
                // `{s}@GOTPCREL`, `{f}@PLT`: the relocation stays part of the name.
                if let Leaf::Target(Target::Symbol { name, .. }) = &mut leaf
                    && let Some(Tok::Word(suffix)) = self.toks.get(self.pos)
                    && suffix.starts_with('@')
                {
                    name.push_str(suffix);
                    self.pos += 1;
                }
                leaf
            }
            Tok::Punct("%") if self.registers && self.cx.syntax == Syntax::Att => {
                let Some(Tok::Word(word)) = self.toks.get(self.pos).cloned() else {
                    return Err("expected a register name after `%`".to_owned());
                };
                self.pos += 1;
                self.register(&word)
                    .ok_or_else(|| format!("invalid register name `%{word}`"))?
            }
            Tok::Word(word) => {
                if self.registers
                    && self.cx.syntax == Syntax::Intel
                    && let Some(reg) = self.register(&word)
                {
                    reg
                } else if let Some(value) = self.cx.constants.get(&word) {
                    Leaf::Num(*value)
                } else {
                    Leaf::Target(Target::Symbol {
                        name: word,
                        placeholder: None,
                    })
                }
            }
            Tok::Punct("$" | ".") => Leaf::Target(Target::Symbol {
                name: ".".to_owned(),
                placeholder: None,
            }),
            other => return Err(format!("unexpected {} in expression", describe(&other))),
        };
        Ok(Node::Leaf(leaf))
    }

    /// A register word (with `st(N)`), if it is one.
    fn register(&mut self, word: &str) -> Option<Leaf> {
        let mut name = registers::normalize(word)?;
        if name == "st(0)"
            && self.toks.get(self.pos).is_some_and(|t| t.is("("))
            && let (Some(Tok::Number(n)), Some(close)) =
                (self.toks.get(self.pos + 1), self.toks.get(self.pos + 2))
            && close.is(")")
        {
            name = registers::x87(n.parse().ok()?)?;
            self.pos += 3;
        }
        Some(Leaf::Reg(RegOperandAst {
            name,
            decorators: Decorators::default(),
            placeholder: None,
        }))
    }

    fn marker(&self, index: usize) -> Result<Leaf, String> {
        let Some(subst) = self.cx.substs.get(index) else {
            return Err("invalid placeholder".to_owned());
        };
        let placeholder = PlaceholderRef {
            operand: subst.operand,
        };
        Ok(match &subst.kind {
            SubstKind::Reg(name) if self.registers => Leaf::Reg(RegOperandAst {
                name: name.clone(),
                decorators: Decorators::default(),
                placeholder: Some(placeholder),
            }),
            SubstKind::Reg(name) => {
                return Err(format!(
                    "register `{name}` (a register operand) cannot be used in an expression"
                ));
            }
            SubstKind::Const(value) => Leaf::Const {
                value: *value,
                placeholder,
            },
            SubstKind::Symbol(name) => Leaf::Target(Target::Symbol {
                name: name.clone(),
                placeholder: Some(placeholder),
            }),
        })
    }
}

/// A token for messages.
pub(crate) fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Word(w) | Tok::Number(w) => format!("`{w}`"),
        Tok::Char(_) => "character literal".to_owned(),
        Tok::Str(_) => "string literal".to_owned(),
        Tok::Marker(_) => "placeholder".to_owned(),
        Tok::Punct(p) => format!("`{p}`"),
    }
}

/// An expression in linear form.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Linear {
    /// The constant part.
    pub(crate) constant: i128,
    /// Registers with their coefficients.
    pub(crate) regs: Vec<(RegOperandAst, i128)>,
    /// Symbols and labels with their coefficients.
    pub(crate) symbols: Vec<(Target, i128)>,
    /// The value depends on an unknown `const` or on a non-linear use of a symbol.
    pub(crate) unknown: bool,
    /// The first placeholder involved (a `const`, `sym` or `label` operand).
    pub(crate) placeholder: Option<PlaceholderRef>,
}

impl Linear {
    fn is_constant(&self) -> bool {
        self.regs.is_empty() && self.symbols.is_empty() && !self.unknown
    }

    fn scale(mut self, factor: i128) -> Linear {
        self.constant = self.constant.wrapping_mul(factor);
        for (_, c) in &mut self.regs {
            *c = c.wrapping_mul(factor);
        }
        for (_, c) in &mut self.symbols {
            *c = c.wrapping_mul(factor);
        }
        self
    }

    /// The sum of two linear forms. Register terms are kept apart even when
    /// they name the same register: `[rdi + rdi*2]` is base `rdi` plus index
    /// `rdi` scaled by 2 for LLVM, not `rdi*3`; [`Linear::merged_regs`] is
    /// the fallback for sums that only make sense merged.
    pub(crate) fn add(mut self, other: Linear) -> Linear {
        self.constant = self.constant.wrapping_add(other.constant);
        self.regs.extend(other.regs);
        self.regs.retain(|(_, c)| *c != 0);
        self.symbols.extend(other.symbols);
        self.unknown |= other.unknown;
        self.placeholder = self.placeholder.or(other.placeholder);
        self
    }

    /// The register terms with those of the same register summed (and
    /// cancelled ones dropped), in order of first appearance.
    pub(crate) fn merged_regs(&self) -> Vec<(RegOperandAst, i128)> {
        let mut merged: Vec<(RegOperandAst, i128)> = Vec::new();
        for (reg, c) in &self.regs {
            match merged.iter_mut().find(|(r, _)| r.name == reg.name) {
                Some((_, existing)) => *existing = existing.wrapping_add(*c),
                None => merged.push((reg.clone(), *c)),
            }
        }
        merged.retain(|(_, c)| *c != 0);
        merged
    }

    /// The value, if the expression is a plain constant.
    pub(crate) fn value(&self) -> Option<i128> {
        self.is_constant().then_some(self.constant)
    }
}

/// The linear form of `node`; errors when registers are combined
/// non-linearly (`[rax*rbx]`, `[rax << 2]`).
pub(crate) fn linearize(node: &Node) -> Result<Linear, String> {
    match node {
        Node::Leaf(Leaf::Num(v)) => Ok(Linear {
            constant: *v,
            ..Linear::default()
        }),
        Node::Leaf(Leaf::Const { value, placeholder }) => Ok(Linear {
            constant: value.unwrap_or(0),
            unknown: value.is_none(),
            placeholder: Some(*placeholder),
            ..Linear::default()
        }),
        Node::Leaf(Leaf::Reg(reg)) => Ok(Linear {
            regs: vec![(reg.clone(), 1)],
            ..Linear::default()
        }),
        Node::Leaf(Leaf::Target(target)) => Ok(Linear {
            placeholder: match target {
                Target::Symbol { placeholder, .. } => *placeholder,
                Target::Local { .. } => None,
            },
            symbols: vec![(target.clone(), 1)],
            ..Linear::default()
        }),
        Node::Unary(op, inner) => {
            let inner = linearize(inner)?;
            match *op {
                "+" => Ok(inner),
                "-" => Ok(inner.scale(-1)),
                _ => opaque_unary(op, inner),
            }
        }
        Node::Binary(op, left, right) => {
            let left = linearize(left)?;
            let right = linearize(right)?;
            match *op {
                "+" => Ok(left.add(right)),
                "-" => Ok(left.add(right.scale(-1))),
                "*" if left.is_constant() => Ok(right.scale(left.constant)),
                "*" if right.is_constant() => Ok(left.scale(right.constant)),
                _ => opaque_binary(op, left, right),
            }
        }
    }
}

fn opaque_unary(op: &str, inner: Linear) -> Result<Linear, String> {
    if !inner.regs.is_empty() {
        return Err(format!("a register cannot be an operand of `{op}`"));
    }
    if !inner.is_constant() {
        return Ok(Linear {
            unknown: true,
            ..inner
        });
    }
    let v = inner.constant;
    Ok(Linear {
        constant: match op {
            "~" => !v,
            "!" => i128::from(v == 0),
            _ => v,
        },
        ..inner
    })
}

fn opaque_binary(op: &str, left: Linear, right: Linear) -> Result<Linear, String> {
    if !left.regs.is_empty() || !right.regs.is_empty() {
        return Err(if op == "*" {
            "a register can only be scaled by a constant".to_owned()
        } else {
            format!("a register cannot be an operand of `{op}`")
        });
    }
    if !left.is_constant() || !right.is_constant() {
        let mut result = left.add(right);
        result.unknown = true;
        return Ok(result);
    }
    let (a, b) = (left.constant, right.constant);
    let truth = |t: bool| if t { -1 } else { 0 };
    let constant = match op {
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by zero in a constant expression".to_owned()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "<<" => u32::try_from(b)
            .ok()
            .and_then(|s| a.checked_shl(s))
            .unwrap_or(0),
        ">>" => match u32::try_from(b) {
            Ok(s) if s < 128 => a >> s,
            _ if a < 0 => -1,
            _ => 0,
        },
        "&" => a & b,
        "|" => a | b,
        "^" => a ^ b,
        "!" => a | !b,
        "&&" => i128::from(a != 0 && b != 0),
        "||" => i128::from(a != 0 || b != 0),
        "==" => truth(a == b),
        "!=" | "<>" => truth(a != b),
        "<" => truth(a < b),
        "<=" => truth(a <= b),
        ">" => truth(a > b),
        ">=" => truth(a >= b),
        _ => return Err(format!("unsupported operator `{op}`")),
    };
    Ok(Linear {
        constant,
        placeholder: left.placeholder.or(right.placeholder),
        ..Linear::default()
    })
}

/// Parses and evaluates `toks` as a constant-or-symbolic expression without registers.
pub(crate) fn evaluate(
    toks: &[Tok],
    cx: Context<'_>,
    precedence: Precedence,
) -> Result<Linear, String> {
    let node = Parser::new(toks, cx, precedence, false).parse_all()?;
    linearize(&node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::lexer::tokenize;

    fn eval_in(text: &str, syntax: Syntax, precedence: Precedence) -> Result<Option<i128>, String> {
        let constants = HashMap::from([("K".to_owned(), 7)]);
        let cx = Context {
            syntax,
            substs: &[],
            constants: &constants,
        };
        let toks = tokenize(text)?;
        evaluate(&toks, cx, precedence).map(|l| l.value())
    }

    fn intel(text: &str) -> Option<i128> {
        eval_in(text, Syntax::Intel, Precedence::Intel).unwrap()
    }

    fn gnu(text: &str) -> Option<i128> {
        eval_in(text, Syntax::Att, Precedence::Gnu).unwrap()
    }

    #[test]
    fn number_spellings() {
        assert_eq!(intel("0x1f"), Some(31));
        assert_eq!(intel("1fh"), Some(31));
        assert_eq!(intel("0FFh"), Some(255));
        assert_eq!(intel("0b101"), Some(5));
        assert_eq!(intel("101b"), Some(5));
        assert_eq!(intel("1b"), Some(1));
        assert_eq!(intel("10b"), Some(2));
        assert_eq!(intel("017"), Some(15));
        assert_eq!(intel("17o"), Some(15));
        assert_eq!(intel("'a'"), Some(97));
        assert_eq!(intel("18446744073709551615"), Some(u64::MAX.into()));
        assert_eq!(gnu("0b11"), Some(3));
        assert_eq!(gnu("K + 1"), Some(8));
    }

    #[test]
    fn local_labels() {
        assert_eq!(
            parse_number("2b", Syntax::Intel),
            Ok(Number::Local {
                number: "2".into(),
                forward: false
            })
        );
        assert_eq!(parse_number("1b", Syntax::Intel), Ok(Number::Value(1)));
        assert_eq!(
            parse_number("1b", Syntax::Att),
            Ok(Number::Local {
                number: "1".into(),
                forward: false
            })
        );
        assert_eq!(
            parse_number("0b", Syntax::Att),
            Ok(Number::Local {
                number: "0".into(),
                forward: false
            })
        );
        assert_eq!(
            parse_number("12f", Syntax::Intel),
            Ok(Number::Local {
                number: "12".into(),
                forward: true
            })
        );
        assert!(parse_number("12z", Syntax::Intel).is_err());
        assert!(parse_number("99999999999999999999999999999999999999999", Syntax::Att).is_err());
    }

    #[test]
    fn operators_and_precedence() {
        assert_eq!(intel("1 + 2 * 3"), Some(7));
        assert_eq!(intel("(1 + 2) * 3"), Some(9));
        assert_eq!(intel("1 << 2 + 1"), Some(8));
        assert_eq!(gnu("1 << 2 + 1"), Some(5));
        assert_eq!(intel("1 | 2 & 3"), Some(3));
        assert_eq!(intel("-1"), Some(-1));
        assert_eq!(intel("~0"), Some(-1));
        assert_eq!(intel("7 % 4"), Some(3));
        assert_eq!(intel("1 shl 3"), Some(8));
        assert_eq!(intel("not 0"), Some(-1));
        assert_eq!(intel("0xff and 0x0f"), Some(15));
        assert_eq!(gnu("3 > 2"), Some(-1));
        assert_eq!(gnu("1 && 0"), Some(0));
        assert_eq!(intel("1 << 200"), Some(0));
    }

    #[test]
    fn errors() {
        assert!(eval_in("1 / 0", Syntax::Intel, Precedence::Intel).is_err());
        assert!(eval_in("(1", Syntax::Intel, Precedence::Intel).is_err());
        assert!(eval_in("1 +", Syntax::Intel, Precedence::Intel).is_err());
        assert!(eval_in("", Syntax::Intel, Precedence::Intel).is_err());
        assert!(eval_in("1 2", Syntax::Intel, Precedence::Intel).is_err());
        let deep = "(".repeat(200) + "1" + &")".repeat(200);
        assert!(eval_in(&deep, Syntax::Intel, Precedence::Intel).is_err());
    }

    #[test]
    fn symbols_are_unknown() {
        let constants = HashMap::new();
        let cx = Context {
            syntax: Syntax::Att,
            substs: &[],
            constants: &constants,
        };
        let toks = tokenize("foo + 8").unwrap();
        let linear = evaluate(&toks, cx, Precedence::Gnu).unwrap();
        assert_eq!(linear.value(), None);
        assert_eq!(linear.constant, 8);
        assert_eq!(linear.symbols.len(), 1);
        let toks = tokenize("foo >> 12").unwrap();
        assert!(evaluate(&toks, cx, Precedence::Gnu).unwrap().unknown);
    }

    #[test]
    fn registers_in_memory_expressions() {
        let constants = HashMap::new();
        let cx = Context {
            syntax: Syntax::Intel,
            substs: &[],
            constants: &constants,
        };
        let toks = tokenize("8*rcx + rdi - 0x10").unwrap();
        let node = Parser::new(&toks, cx, Precedence::Intel, true)
            .parse_all()
            .unwrap();
        let linear = linearize(&node).unwrap();
        assert_eq!(linear.constant, -16);
        assert_eq!(linear.regs[0].0.name, "rcx");
        assert_eq!(linear.regs[0].1, 8);
        assert_eq!(linear.regs[1].1, 1);
        let toks = tokenize("rax*rbx").unwrap();
        let node = Parser::new(&toks, cx, Precedence::Intel, true)
            .parse_all()
            .unwrap();
        assert!(linearize(&node).is_err());
    }
}
