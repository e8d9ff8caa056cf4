//! Placeholders: rustc's format-string rules, the choice of representative
//! registers, and the substituted text the lexer reads.
//!
//! rustc parses every template piece as a format string (`{}`, `{0}`,
//! `{name}`, `{0:e}`, `{{`/`}}`), joins the pieces with `\n` and pastes the
//! allocated registers, constants and symbols in. We cannot know which
//! register LLVM allocates, so each register operand gets a representative
//! register that the template itself does not name (see [`choose`]): then
//! "the instruction wrote `r9`" can only mean "it wrote operand 2".

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use proc_macro2::TokenTree;
use quote::ToTokens;

use super::ast::Bitness;
use super::lexer::{MARKER_LIMIT, marker_char, marker_index};
use super::registers::{self, GprWidth, ZMM};
use crate::parse::{AsmArgs, OperandExpr, OperandKind, RegSpec, TemplatePiece};

/// What a placeholder stands for, per operand (the public map).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Substitution {
    /// A register-class operand and the representative register chosen for it.
    Register {
        /// The register class as written (`reg`, `xmm_reg`, …).
        class: String,
        /// The representative's family, named as iced's `full_register()`
        /// names it (`r9`, `rbx`, `zmm8`, `k1`); the spelling substituted for
        /// each placeholder depends on its modifier and is in the AST.
        family: String,
    },
    /// A `const` operand: its value when the expression is an integer
    /// literal (or simple arithmetic on literals), else `None`.
    Const(Option<i128>),
    /// A `sym` operand, named by its path as written (`foo::bar`).
    Sym(String),
    /// A `label` operand, named `.Llabel_operand{N}`.
    Label(String),
}

/// One placeholder occurrence after resolution: what the marker stands for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Subst {
    /// The operand referred to (index into `AsmArgs::operands`).
    pub(crate) operand: usize,
    /// The substituted thing.
    pub(crate) kind: SubstKind,
}

/// The substituted thing of one occurrence.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SubstKind {
    /// A register name, already adjusted to the modifier.
    Reg(String),
    /// A constant (value unknown when `None`).
    Const(Option<i128>),
    /// A symbol (`sym` or `label` operand).
    Symbol(String),
}

/// A format-string problem (rustc rejects the block; we report and go on).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FormatError {
    /// Piece index.
    pub(crate) piece: usize,
    /// 1-based line in the joined template.
    pub(crate) line: usize,
    /// rustc-style reason.
    pub(crate) reason: String,
}

/// The template after substitution, with the way back to what was written.
#[derive(Clone, Debug, Default)]
pub(crate) struct Expansion {
    /// The joined template as written (pieces joined with `\n`; a piece we
    /// cannot see is an empty line).
    pub(crate) raw: String,
    /// The substituted text: escapes resolved, placeholders as markers.
    pub(crate) text: String,
    /// Pairs of ranges (substituted, raw) covering both texts in order.
    map: Vec<(Range<usize>, Range<usize>)>,
    /// Whether the two texts are the same (no placeholder or escape): then
    /// a range of one is the same range of the other.
    identical: bool,
    /// For each line (index = line − 1), the piece it belongs to.
    pub(crate) line_pieces: Vec<usize>,
    /// The substitution table the markers index.
    pub(crate) substs: Vec<Subst>,
    /// The per-operand map.
    pub(crate) operands: BTreeMap<usize, Substitution>,
    /// Format-string problems.
    pub(crate) errors: Vec<FormatError>,
}

impl Expansion {
    /// The raw text of the substituted range `range` (for messages).
    pub(crate) fn raw_slice(&self, range: Range<usize>) -> &str {
        if self.identical {
            return self.raw.get(range).unwrap_or("");
        }
        let start = self.to_raw(range.start, false);
        let end = self.to_raw(range.end, true).max(start);
        self.raw.get(start..end).unwrap_or("")
    }

    fn to_raw(&self, offset: usize, is_end: bool) -> usize {
        let index = self.map.partition_point(|(text, _)| {
            if is_end {
                text.end < offset
            } else {
                text.end <= offset
            }
        });
        let Some((text, raw)) = self.map.get(index) else {
            return self.raw.len();
        };
        if text.len() == raw.len() {
            raw.start + offset.saturating_sub(text.start).min(raw.len())
        } else if is_end {
            raw.end
        } else {
            raw.start
        }
    }

    /// The piece a 1-based line belongs to.
    pub(crate) fn piece_of_line(&self, line: usize) -> usize {
        self.line_pieces
            .get(line.saturating_sub(1))
            .or(self.line_pieces.last())
            .copied()
            .unwrap_or(0)
    }
}

/// A placeholder as parsed from the format string.
#[derive(Clone, Debug, PartialEq)]
enum ArgRef {
    Index(usize),
    Name(String),
}

/// One part of a piece's format string.
#[derive(Clone, Debug, PartialEq)]
enum Part {
    /// Literal text (escapes resolved); `raw` is its extent in the piece.
    Text { raw: Range<usize>, text: String },
    /// A placeholder.
    Arg {
        raw: Range<usize>,
        arg: ArgRef,
        modifier: Option<char>,
    },
}

/// Parses one piece as rustc's asm format parser does. `next_implicit`
/// carries the `{}` counter across pieces. Malformed `{`/`}` are kept as
/// text and reported.
fn parse_format(
    text: &str,
    next_implicit: &mut usize,
    errors: &mut Vec<(usize, String)>,
) -> Vec<Part> {
    let mut parts = Vec::new();
    let bytes = text.as_bytes();
    let mut lit_start = 0;
    let mut lit = String::new();
    let mut i = 0;
    let flush = |parts: &mut Vec<Part>, lit: &mut String, start: usize, end: usize| {
        if start < end {
            parts.push(Part::Text {
                raw: start..end,
                text: std::mem::take(lit),
            });
        }
    };
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                flush(&mut parts, &mut lit, lit_start, i);
                parts.push(Part::Text {
                    raw: i..i + 2,
                    text: "{".to_owned(),
                });
                i += 2;
                lit_start = i;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                flush(&mut parts, &mut lit, lit_start, i);
                parts.push(Part::Text {
                    raw: i..i + 2,
                    text: "}".to_owned(),
                });
                i += 2;
                lit_start = i;
            }
            b'{' => match parse_arg(text, i, next_implicit) {
                Ok((arg, modifier, end)) => {
                    flush(&mut parts, &mut lit, lit_start, i);
                    parts.push(Part::Arg {
                        raw: i..end,
                        arg,
                        modifier,
                    });
                    i = end;
                    lit_start = i;
                }
                Err(reason) => {
                    // Like rustc, one error per bad placeholder: its text up
                    // to the next `}` stays literal.
                    errors.push((i, reason));
                    let end = text[i..].find('}').map_or(text.len(), |p| i + p + 1);
                    lit.push_str(&text[i..end]);
                    i = end;
                }
            },
            b'}' => {
                errors.push((
                    i,
                    "invalid asm template string: unmatched `}` found".to_owned(),
                ));
                lit.push('}');
                i += 1;
            }
            _ => {
                // The whole run up to the next brace at once (braces are
                // ASCII, so the run ends on a character boundary).
                let mut end = i + 1;
                while end < bytes.len() && !matches!(bytes[end], b'{' | b'}') {
                    end += 1;
                }
                lit.push_str(&text[i..end]);
                i = end;
            }
        }
    }
    flush(&mut parts, &mut lit, lit_start, text.len());
    parts
}

/// `{` [integer | identifier] [whitespace] [`:` [modifier]] `}` at `start`.
fn parse_arg(
    text: &str,
    start: usize,
    next_implicit: &mut usize,
) -> Result<(ArgRef, Option<char>, usize), String> {
    let rest = &text[start + 1..];
    let name_len = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(rest.len(), |(i, _)| i);
    let name = &rest[..name_len];
    let mut after = rest[name_len..].trim_start();
    let mut modifier = None;
    if let Some(spec) = after.strip_prefix(':') {
        let mut chars = spec.chars();
        match chars.next() {
            Some('}') => after = spec,
            Some(c) if chars.as_str().starts_with('}') => {
                modifier = Some(c);
                after = chars.as_str();
            }
            _ => return Err("invalid asm template string: invalid format spec".to_owned()),
        }
    }
    if !after.starts_with('}') {
        return Err("invalid asm template string: expected `}`, found something else".to_owned());
    }
    let end = text.len() - after.len() + 1;
    let arg = if name.is_empty() {
        let index = *next_implicit;
        *next_implicit += 1;
        ArgRef::Index(index)
    } else if name.bytes().all(|b| b.is_ascii_digit()) {
        ArgRef::Index(name.parse().unwrap_or(usize::MAX))
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "invalid asm template string: invalid argument name `{name}`"
        ));
    } else {
        ArgRef::Name(name.to_owned())
    };
    Ok((arg, modifier, end))
}

/// The register classes a placeholder can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Reg,
    Abcd,
    Byte,
    Xmm,
    Ymm,
    Zmm,
    K,
}

impl Class {
    fn of(name: &str) -> Class {
        match name {
            "reg_abcd" => Class::Abcd,
            "reg_byte" => Class::Byte,
            "xmm_reg" => Class::Xmm,
            "ymm_reg" => Class::Ymm,
            "zmm_reg" => Class::Zmm,
            "kreg" | "kreg0" => Class::K,
            // Other names are rejected by rustc; read them as `reg`.
            _ => Class::Reg,
        }
    }
}

/// The register chosen for one operand: its class and family.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Choice {
    class: Class,
    family: String,
}

/// Candidate families per class, best first.
///
/// * `reg` on x86-64: r8–r15 first (no instruction uses them implicitly),
///   never r11 unless everything else is taken (`syscall`/`sysret` write it),
///   then the legacy registers.
/// * `reg` on x86: `ebx`, `ecx`, `edx`, `eax` before `edi`, `esi`, `ebp`
///   (string instructions and the frame pointer make the latter the most
///   confusing to see as operands).
/// * `reg_abcd`: `rbx` (used implicitly only by `cpuid`, `cmpxchg8b/16b`,
///   `xlat`) then `rcx`, `rdx`, `rax`; with `:h` that gives `bh`, `ch`, …
/// * vector classes: `xmm8`+ on x86-64 (`zmm_reg` may go on to 16–31), then
///   the low eight; on x86 only 0–7 exist.
fn candidates(class: Class, bitness: Bitness) -> &'static [&'static str] {
    match (class, bitness) {
        (Class::Reg | Class::Byte, Bitness::Bits64) => &[
            "r8", "r9", "r10", "r12", "r13", "r14", "r15", "rsi", "rdi", "rbx", "rdx", "rcx",
            "rax", "rbp", "r11",
        ],
        (Class::Reg, Bitness::Bits32 | Bitness::Bits16) => {
            &["rbx", "rcx", "rdx", "rax", "rdi", "rsi", "rbp"]
        }
        (Class::Abcd, _) | (Class::Byte, Bitness::Bits32 | Bitness::Bits16) => {
            &["rbx", "rcx", "rdx", "rax"]
        }
        (Class::Xmm | Class::Ymm, Bitness::Bits64) => &[
            "zmm8", "zmm9", "zmm10", "zmm11", "zmm12", "zmm13", "zmm14", "zmm15", "zmm0", "zmm1",
            "zmm2", "zmm3", "zmm4", "zmm5", "zmm6", "zmm7",
        ],
        (Class::Zmm, Bitness::Bits64) => &[
            "zmm8", "zmm9", "zmm10", "zmm11", "zmm12", "zmm13", "zmm14", "zmm15", "zmm16", "zmm17",
            "zmm18", "zmm19", "zmm20", "zmm21", "zmm22", "zmm23", "zmm24", "zmm25", "zmm26",
            "zmm27", "zmm28", "zmm29", "zmm30", "zmm31", "zmm0", "zmm1", "zmm2", "zmm3", "zmm4",
            "zmm5", "zmm6", "zmm7",
        ],
        (Class::Xmm | Class::Ymm | Class::Zmm, Bitness::Bits32 | Bitness::Bits16) => &ZMM[..8],
        (Class::K, _) => &["k1", "k2", "k3", "k4", "k5", "k6", "k7"],
    }
}

/// Families an instruction uses without naming them, by mnemonic prefix: a
/// representative register should not be one of these, or "did `mul {0}`
/// write the operand or `rdx`?" cannot be answered. Rough on purpose: it
/// only orders candidates. The first entry that matches counts.
const IMPLICIT: &[(&str, &[&str])] = &[
    ("cpuid", &["rax", "rbx", "rcx", "rdx"]),
    ("cmpxchg8b", &["rax", "rbx", "rcx", "rdx"]),
    ("cmpxchg16b", &["rax", "rbx", "rcx", "rdx"]),
    ("cmpxchg", &["rax"]),
    ("mul", &["rax", "rdx"]),
    ("imul", &["rax", "rdx"]),
    ("div", &["rax", "rdx"]),
    ("idiv", &["rax", "rdx"]),
    ("cdq", &["rax", "rdx"]),
    ("cqo", &["rax", "rdx"]),
    ("cwd", &["rax", "rdx"]),
    ("cbw", &["rax"]),
    ("cwde", &["rax"]),
    ("cdqe", &["rax"]),
    ("rdtsc", &["rax", "rdx", "rcx"]),
    ("rdmsr", &["rax", "rdx", "rcx"]),
    ("wrmsr", &["rax", "rdx", "rcx"]),
    ("rdpmc", &["rax", "rdx", "rcx"]),
    ("xgetbv", &["rax", "rdx", "rcx"]),
    ("xsetbv", &["rax", "rdx", "rcx"]),
    ("xsave", &["rax", "rdx"]),
    ("xrstor", &["rax", "rdx"]),
    ("syscall", &["rax", "rcx", "r11"]),
    ("sysret", &["rcx", "r11"]),
    ("rep", &["rcx", "rsi", "rdi", "rax"]),
    ("movs", &["rsi", "rdi"]),
    ("stos", &["rdi", "rax"]),
    ("lods", &["rsi", "rax"]),
    ("scas", &["rdi", "rax"]),
    ("cmps", &["rsi", "rdi"]),
    ("loop", &["rcx"]),
    ("jecxz", &["rcx"]),
    ("jrcxz", &["rcx"]),
    ("in", &["rax", "rdx"]),
    ("out", &["rax", "rdx"]),
    ("xlat", &["rax", "rbx"]),
    ("enter", &["rbp"]),
    ("leave", &["rbp"]),
    ("monitor", &["rax", "rcx", "rdx"]),
    ("mwait", &["rax", "rcx"]),
    ("rdpkru", &["rax", "rcx", "rdx"]),
    ("wrpkru", &["rax", "rcx", "rdx"]),
    ("lahf", &["rax"]),
    ("sahf", &["rax"]),
    ("sh", &["rcx"]),
    ("sa", &["rcx"]),
    ("ro", &["rcx"]),
    ("rc", &["rcx"]),
];

/// Room per initial letter in [`IMPLICIT_BY_LETTER`] (`c` has the most, 11).
const IMPLICIT_PER_LETTER: usize = 12;

/// The indexes of [`IMPLICIT`]'s entries by the initial letter of their
/// prefix, in table order (unused slots are `u8::MAX`), so that a word is
/// compared only with the prefixes it could start with: this runs for every
/// word of every template. Built at compile time from the table itself.
const IMPLICIT_BY_LETTER: [[u8; IMPLICIT_PER_LETTER]; 26] = {
    let mut by_letter = [[u8::MAX; IMPLICIT_PER_LETTER]; 26];
    let mut entry = 0;
    while entry < IMPLICIT.len() {
        let letter = (IMPLICIT[entry].0.as_bytes()[0] - b'a') as usize;
        let mut slot = 0;
        while by_letter[letter][slot] != u8::MAX {
            slot += 1;
        }
        by_letter[letter][slot] = entry as u8;
        entry += 1;
    }
    by_letter
};

/// The families a lower-case mnemonic uses implicitly (see [`IMPLICIT`]).
fn implicit_families(mnemonic: &[u8]) -> &'static [&'static str] {
    let Some(letter) = mnemonic
        .first()
        .filter(|first| first.is_ascii_lowercase())
        .map(|first| usize::from(first - b'a'))
    else {
        return &[];
    };
    for &entry in &IMPLICIT_BY_LETTER[letter] {
        if entry == u8::MAX {
            break;
        }
        let (prefix, families) = IMPLICIT[usize::from(entry)];
        if mnemonic.starts_with(prefix.as_bytes()) {
            return families;
        }
    }
    &[]
}

/// Picks a representative for each register-class operand: distinct from
/// each other, from every family the template text names and from every
/// explicit-register operand; among those, ones no mnemonic of the template
/// uses implicitly first. If a class runs out, a named family is reused
/// (documented imprecision; real blocks never get there).
///
/// Operands in `legacy` are used after a `.code32` (or `.code16`) in a
/// 64-bit block: they get a register that exists outside 64-bit mode
/// (`rbx`…, `xmm0`–`xmm7`), as the x86-32 list has them, so that
/// `push {x:e}` reads as `push ebx` there rather than as an impossible
/// `push r8d` (see [`occurrence_modes`] for the spelling).
///
/// With `uses_high_byte` (a `{x:h}` placeholder), general registers come
/// from `rbx`…`rax` first, as the compiler must then allocate them.
fn choose(
    args: &AsmArgs,
    bitness: Bitness,
    named: &[String],
    avoid: &[&str],
    legacy: &[usize],
    uses_high_byte: bool,
) -> BTreeMap<usize, Choice> {
    // Small sets (a handful of families): vectors beat hashing unoptimised.
    let mut taken: Vec<Cow<'_, str>> = named.iter().map(|n| Cow::Borrowed(n.as_str())).collect();
    for operand in &args.operands {
        if let Some(reg) = operand.reg()
            && matches!(reg.reg, RegSpec::Explicit(_))
            && let Some(family) = registers::family_cow(&reg.reg_name)
            && !taken.contains(&family)
        {
            taken.push(family);
        }
    }
    let is_taken = |family: &str| taken.iter().any(|t| t == family);
    let mut assigned: Vec<&'static str> = Vec::new();
    let mut choices = BTreeMap::new();
    for (index, operand) in args.operands.iter().enumerate() {
        let Some(reg) = operand.reg() else { continue };
        if !matches!(reg.reg, RegSpec::Class(_)) {
            continue;
        }
        let class = Class::of(&reg.reg_name);
        let mode = if legacy.contains(&index) {
            Bitness::Bits32
        } else {
            bitness
        };
        let mut list: Cow<'static, [&'static str]> = Cow::Borrowed(candidates(class, mode));
        if uses_high_byte && matches!(class, Class::Reg | Class::Byte) {
            let legacy_first = candidates(Class::Abcd, mode);
            let mut reordered = legacy_first.to_vec();
            reordered.extend(list.iter().filter(|family| !legacy_first.contains(family)));
            list = Cow::Owned(reordered);
        }
        let pick = list
            .iter()
            .find(|f| !is_taken(f) && !assigned.contains(*f) && !avoid.contains(*f))
            .or_else(|| list.iter().find(|f| !is_taken(f) && !assigned.contains(*f)))
            .or_else(|| list.iter().find(|f| !assigned.contains(*f)))
            .or(list.first())
            .copied()
            .unwrap_or_default();
        if !assigned.contains(&pick) {
            assigned.push(pick);
        }
        choices.insert(
            index,
            Choice {
                class,
                family: pick.to_owned(),
            },
        );
    }
    choices
}

/// The spelling of `choice` under `modifier`.
fn spelling(choice: &Choice, modifier: Option<char>, bitness: Bitness) -> String {
    match choice.class {
        Class::Reg | Class::Abcd | Class::Byte => {
            let number = registers::gpr_number(&choice.family).unwrap_or(0);
            let default = match (choice.class, bitness) {
                (Class::Byte, _) => GprWidth::L,
                (_, Bitness::Bits64) => GprWidth::Q,
                (_, Bitness::Bits32 | Bitness::Bits16) => GprWidth::D,
            };
            let width = match modifier {
                Some('r') if bitness == Bitness::Bits64 => GprWidth::Q,
                Some('r' | 'e') => GprWidth::D,
                Some('x') => GprWidth::W,
                Some('l') => GprWidth::L,
                Some('h') => GprWidth::H,
                _ => default,
            };
            registers::gpr_name(number, width)
                .or_else(|| registers::gpr_name(number, GprWidth::L))
                .unwrap_or("rax")
                .to_owned()
        }
        Class::Xmm | Class::Ymm | Class::Zmm => {
            let number = choice.family.trim_start_matches("zmm");
            let prefix = match (modifier, choice.class) {
                (Some('x'), _) => "xmm",
                (Some('y'), _) => "ymm",
                (Some('z'), _) => "zmm",
                (_, Class::Xmm) => "xmm",
                (_, Class::Ymm) => "ymm",
                _ => "zmm",
            };
            format!("{prefix}{number}")
        }
        Class::K => choice.family.clone(),
    }
}

/// A `const` operand's value: integer literals (any base, any suffix),
/// negation, parentheses and arithmetic on them; `None` for anything else
/// (paths, calls, `size_of`): those stay symbolic.
pub(crate) fn const_value(expr: &syn::Expr) -> Option<i128> {
    use syn::{BinOp, Expr, Lit, UnOp};
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Int(int) => int.base10_parse::<i128>().ok(),
            _ => None,
        },
        Expr::Group(group) => const_value(&group.expr),
        Expr::Paren(paren) => const_value(&paren.expr),
        Expr::Unary(unary) => match unary.op {
            UnOp::Neg(_) => const_value(&unary.expr)?.checked_neg(),
            _ => None,
        },
        Expr::Binary(binary) => {
            let left = const_value(&binary.left)?;
            let right = const_value(&binary.right)?;
            match binary.op {
                BinOp::Add(_) => left.checked_add(right),
                BinOp::Sub(_) => left.checked_sub(right),
                BinOp::Mul(_) => left.checked_mul(right),
                BinOp::Div(_) => left.checked_div(right),
                BinOp::Rem(_) => left.checked_rem(right),
                BinOp::Shl(_) => left.checked_shl(u32::try_from(right).ok()?),
                BinOp::Shr(_) => left.checked_shr(u32::try_from(right).ok()?),
                BinOp::BitAnd(_) => Some(left & right),
                BinOp::BitOr(_) => Some(left | right),
                BinOp::BitXor(_) => Some(left ^ right),
                _ => None,
            }
        }
        Expr::Cast(cast) => {
            let value = const_value(&cast.expr)?;
            let syn::Type::Path(path) = &*cast.ty else {
                return None;
            };
            let ty = path.path.get_ident()?.to_string();
            let (min, max): (i128, i128) = match ty.as_str() {
                "u8" => (0, u8::MAX.into()),
                "u16" => (0, u16::MAX.into()),
                "u32" => (0, u32::MAX.into()),
                "u64" | "usize" => (0, u64::MAX.into()),
                "i8" => (i8::MIN.into(), i8::MAX.into()),
                "i16" => (i16::MIN.into(), i16::MAX.into()),
                "i32" => (i32::MIN.into(), i32::MAX.into()),
                "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
                "i128" | "u128" => (i128::MIN, i128::MAX),
                _ => return None,
            };
            // Only value-preserving casts; wrapping ones depend on the source type.
            (min..=max).contains(&value).then_some(value)
        }
        _ => None,
    }
}

/// [`const_value`] of a `const` operand, without building a syntax tree
/// for the usual lone literal or name (unoptimised, syn's expression parser
/// is the costliest part of reading an operand).
fn operand_const_value(expr: &OperandExpr) -> Option<i128> {
    match expr.lone_token() {
        Some(TokenTree::Literal(literal)) => {
            match syn::parse2::<syn::Lit>(TokenTree::Literal(literal).into()) {
                Ok(syn::Lit::Int(int)) => int.base10_parse::<i128>().ok(),
                _ => None,
            }
        }
        // A name (`SYS_EXIT`, `N`): symbolic.
        Some(TokenTree::Ident(_)) => None,
        // Anything naming a constant, a function or a macro
        // (`offset_of!(..)`, `N * 8`) is symbolic too: no need to parse it.
        _ if expr.names_something() => None,
        _ => expr.to_expr().and_then(|expr| const_value(&expr)),
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$' | '@')
}

/// A set of ASCII bytes as a table indexed by byte (non-ASCII bytes are
/// never in it): unoptimised, a table look-up is a few instructions where a
/// predicate is a call per byte, and every byte of every template is
/// classified this way.
type ByteSet = [bool; 256];

/// The [`ByteSet`] of ASCII letters (if `letters`), digits (if `digits`)
/// and the bytes of `extra` (evaluated at compile time).
const fn byte_set(letters: bool, digits: bool, extra: &[u8]) -> ByteSet {
    let mut set = [false; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        set[b] = (letters && byte.is_ascii_alphabetic()) || (digits && byte.is_ascii_digit());
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        set[extra[i] as usize] = true;
        i += 1;
    }
    set
}

/// Bytes of a word that may name a register or a mnemonic.
const NAME_BYTES: ByteSet = byte_set(true, true, b"_");

/// Bytes of a word that may be a directive (`.code32`).
const DIRECTIVE_BYTES: ByteSet = byte_set(true, true, b".");

/// The words of `text`: maximal runs of ASCII bytes in `is_word` (as
/// `str::split` on the other characters would give them, minus the empty
/// ones). A byte loop, not `split` with a closure: unoptimised, the latter
/// costs a few calls per character, and every template is read this way
/// twice per mode.
fn for_each_word(text: &str, is_word: &ByteSet, mut each: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if !is_word[usize::from(bytes[start])] {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < bytes.len() && is_word[usize::from(bytes[end])] {
            end += 1;
        }
        // Both ends are next to ASCII bytes (or the ends of the text), so
        // they are character boundaries.
        each(&text[start..end]);
        start = end;
    }
}

/// The longest prefix in [`IMPLICIT`] is shorter than this, so a word's
/// first bytes, lower-cased, decide its implicit families.
const MNEMONIC_PREFIX: usize = 16;

/// Families named anywhere in literal text (comments included: being
/// conservative only narrows the choice).
fn named_families(text: &str, named: &mut Vec<String>, avoid: &mut Vec<&'static str>) {
    for_each_word(text, &NAME_BYTES, |word| {
        // Most registers a template names are named more than once:
        // compare before allocating.
        if let Some(family) = registers::family_cow(word)
            && !named.iter().any(|n| *n == *family)
        {
            named.push(family.into_owned());
        }
        let mut buffer = [0; MNEMONIC_PREFIX];
        let length = word.len().min(MNEMONIC_PREFIX);
        let lower = &mut buffer[..length];
        lower.copy_from_slice(&word.as_bytes()[..length]);
        lower.make_ascii_lowercase();
        for family in implicit_families(lower) {
            if !avoid.contains(family) {
                avoid.push(family);
            }
        }
    });
}

/// Joins the pieces, resolves placeholders and builds the substituted text.
/// With `raw` (`options(raw)`), the text is taken verbatim.
pub(crate) fn expand(args: &AsmArgs, bitness: Bitness, raw: bool) -> Expansion {
    let mut exp = Expansion::default();
    // Pass 1: parse every piece (the implicit counter runs across pieces).
    let mut next_implicit = 0;
    let mut pieces: Vec<(usize, Vec<Part>)> = Vec::new(); // (raw offset of piece, parts)
    for (index, template) in args.templates.iter().enumerate() {
        if index > 0 {
            exp.raw.push('\n');
        }
        let start = exp.raw.len();
        let mut errors = Vec::new();
        let parts = match &template.piece {
            TemplatePiece::Text(text) => {
                // Markers are ours: a user's private-use character becomes U+FFFD.
                // Markers (U+F0000 onwards) all start with the byte 0xF3:
                // without one, the text is copied as is rather than char
                // by char.
                let clean: String = if text.as_bytes().contains(&0xF3) {
                    text.chars()
                        .map(|c| {
                            if marker_index(c).is_some() {
                                '\u{FFFD}'
                            } else {
                                c
                            }
                        })
                        .collect()
                } else {
                    text.clone()
                };
                exp.raw.push_str(&clean);
                if raw {
                    vec![Part::Text {
                        raw: 0..clean.len(),
                        text: clean,
                    }]
                } else {
                    parse_format(&clean, &mut next_implicit, &mut errors)
                }
            }
            TemplatePiece::Opaque(_) => Vec::new(),
        };
        let lines = count_newlines(&exp.raw[start..]) + 1;
        let first_line = exp.line_pieces.len() + 1;
        exp.line_pieces.extend(std::iter::repeat_n(index, lines));
        for (offset, reason) in errors {
            let before = exp.raw.get(start..start + offset).unwrap_or("");
            let line = first_line + count_newlines(before);
            exp.errors.push(FormatError {
                piece: index,
                line,
                reason,
            });
        }
        pieces.push((start, parts));
    }
    // Pass 2: which families the text names, then the representatives.
    // Only register-class operands get one: without them (about half the
    // blocks) the words of the text need not be looked at.
    let mut named = Vec::new();
    let mut avoid = Vec::new();
    let has_class_operand = args.operands.iter().any(|op| {
        op.reg()
            .is_some_and(|reg| matches!(reg.reg, RegSpec::Class(_)))
    });
    if has_class_operand {
        for (_, parts) in &pieces {
            for part in parts {
                if let Part::Text { text, .. } = part {
                    named_families(text, &mut named, &mut avoid);
                }
            }
        }
    }
    // A high-byte register (`{x:h}` → `bh`) cannot share an instruction
    // with anything that needs a REX prefix (`r8b`, `sil`).
    let uses_high_byte = pieces.iter().flat_map(|(_, parts)| parts).any(|part| {
        matches!(
            part,
            Part::Arg {
                modifier: Some('h'),
                ..
            }
        )
    });
    let names = operand_names(args);
    let positional: Vec<usize> = args
        .operands
        .iter()
        .enumerate()
        .filter(|(_, op)| op.name.is_none() && op.is_referable())
        .map(|(i, _)| i)
        .collect();
    let modes = occurrence_modes(&pieces, bitness);
    // Operands used in another mode (after a `.code32`): usually none.
    let legacy: Vec<usize> = if modes.iter().all(|mode| *mode == bitness) {
        Vec::new()
    } else {
        pieces
            .iter()
            .flat_map(|(_, parts)| parts)
            .filter_map(|part| match part {
                Part::Arg { arg, .. } => Some(arg),
                Part::Text { .. } => None,
            })
            .zip(&modes)
            .filter(|(_, mode)| **mode != bitness)
            .filter_map(|(arg, _)| resolve(&names, &positional, arg).ok())
            .collect()
    };
    let choices = choose(args, bitness, &named, &avoid, &legacy, uses_high_byte);
    let mut modes = modes.into_iter();
    for (index, operand) in args.operands.iter().enumerate() {
        if let Some(sub) = operand_substitution(index, &operand.kind, &choices) {
            exp.operands.insert(index, sub);
        }
    }
    // Pass 3: the substituted text. Lines of placeholders are counted on
    // from the previous one (they come in text order), not from the start.
    let mut counted = (0, 1); // (raw offset, its 1-based line)
    for (piece_index, (piece_start, parts)) in pieces.iter().enumerate() {
        if piece_index > 0 {
            push_mapped(&mut exp, "\n", piece_start - 1..*piece_start);
        }
        for (part_index, part) in parts.iter().enumerate() {
            match part {
                Part::Text { raw: range, text } => {
                    let raw_range = piece_start + range.start..piece_start + range.end;
                    push_mapped(&mut exp, text, raw_range);
                }
                Part::Arg {
                    raw: range,
                    arg,
                    modifier,
                } => {
                    let raw_range = piece_start + range.start..piece_start + range.end;
                    let mode = modes.next().unwrap_or(bitness);
                    if raw_range.start < counted.0 {
                        counted = (0, 1);
                    }
                    counted.1 += count_newlines(&exp.raw[counted.0..raw_range.start]);
                    counted.0 = raw_range.start;
                    let line = counted.1;
                    let operand = match resolve(&names, &positional, arg) {
                        Ok(operand) => operand,
                        Err(reason) => {
                            exp.errors.push(FormatError {
                                piece: piece_index,
                                line,
                                reason,
                            });
                            push_mapped(&mut exp, "\u{FFFD}", raw_range);
                            continue;
                        }
                    };
                    let kind = match exp.operands.get(&operand) {
                        Some(Substitution::Register { .. }) => {
                            let choice = &choices[&operand];
                            SubstKind::Reg(spelling(choice, *modifier, mode))
                        }
                        Some(Substitution::Const(value)) => SubstKind::Const(*value),
                        Some(Substitution::Sym(name) | Substitution::Label(name)) => {
                            SubstKind::Symbol(name.clone())
                        }
                        None => {
                            exp.errors.push(FormatError {
                                piece: piece_index,
                                line,
                                reason:
                                    "explicit register arguments cannot be used in the asm template"
                                        .to_owned(),
                            });
                            push_mapped(&mut exp, "\u{FFFD}", raw_range);
                            continue;
                        }
                    };
                    // A known constant glued to a word (`.L{n}`, `{n}:`, `{n}f`)
                    // is pasted as text, as rustc does; elsewhere a marker keeps
                    // the link to the operand.
                    if let SubstKind::Const(Some(value)) = kind {
                        let before = exp.raw[..raw_range.start].chars().next_back();
                        let after = match parts.get(part_index + 1) {
                            Some(Part::Text { text, .. }) => text.chars().next(),
                            _ => None,
                        };
                        let glued = before.is_some_and(is_ident_char)
                            || after.is_some_and(|c| is_ident_char(c) || c == ':');
                        if glued {
                            push_mapped(&mut exp, &value.to_string(), raw_range);
                            continue;
                        }
                    }
                    let Some(marker) = marker_char(exp.substs.len()) else {
                        push_mapped(&mut exp, "\u{FFFD}", raw_range);
                        continue;
                    };
                    exp.substs.push(Subst { operand, kind });
                    push_mapped(&mut exp, &marker.to_string(), raw_range);
                }
            }
        }
    }
    debug_assert!(exp.substs.len() <= MARKER_LIMIT);
    exp.identical = exp.text == exp.raw;
    exp
}

/// How many `\n` `text` has: a byte loop, which unoptimised is several
/// times cheaper than `matches('\n').count()`.
fn count_newlines(text: &str) -> usize {
    let mut count = 0;
    for &byte in text.as_bytes() {
        if byte == b'\n' {
            count += 1;
        }
    }
    count
}

/// The operand a placeholder refers to, or rustc's complaint.
/// `names` holds each operand's name without `r#` (see [`operand_names`]).
fn resolve(names: &[Option<String>], positional: &[usize], arg: &ArgRef) -> Result<usize, String> {
    match arg {
        ArgRef::Index(i) => positional
            .get(*i)
            .copied()
            .ok_or_else(|| format!("invalid reference to argument at index {i}")),
        ArgRef::Name(name) => names
            .iter()
            .position(|n| n.as_deref() == Some(name.as_str()))
            .ok_or_else(|| format!("there is no argument named `{name}`")),
    }
}

/// Each operand's name as a placeholder writes it (`r#type` is `{type}`):
/// rendered once per block rather than once per placeholder and operand.
fn operand_names(args: &AsmArgs) -> Vec<Option<String>> {
    args.operands
        .iter()
        .map(|op| {
            op.name.as_ref().map(|name| {
                let name = name.to_string();
                match name.strip_prefix("r#") {
                    Some(bare) => bare.to_owned(),
                    None => name,
                }
            })
        })
        .collect()
}

/// The mode of each placeholder occurrence (in the order of the pieces'
/// parts): 32-bit after a `.code32` or `.code16*` (until the next
/// `.code64`) and everywhere in a 32-bit block. The scan is textual (a
/// `.code32` in a comment counts too): it only steers the choice and the
/// spelling of representatives.
///
/// A 64-bit target's rustc would paste `rbx` for `{x}` in 32-bit code, which
/// the assembler rejects; such a block only builds for a 32-bit target,
/// where `{x}` is `ebx`, so that is how we spell it. A 32-bit block that
/// switches to `.code64` keeps its 32-bit spellings, as rustc does.
fn occurrence_modes(pieces: &[(usize, Vec<Part>)], bitness: Bitness) -> Vec<Bitness> {
    let mut mode = bitness;
    let mut modes = Vec::new();
    for (_, parts) in pieces {
        for part in parts {
            match part {
                // Most text has no `.code`: a byte search rules it out
                // before the words are looked at.
                Part::Text { text, .. } if may_switch_mode(text) => {
                    for_each_word(text, &DIRECTIVE_BYTES, |word| {
                        // Only `.code…` matters; words are ASCII, so the
                        // byte slice below is on a boundary.
                        if word.len() < 7 || !word.starts_with('.') {
                            return;
                        }
                        if word.eq_ignore_ascii_case(".code64") {
                            mode = bitness;
                        } else if word.eq_ignore_ascii_case(".code32")
                            || word[..7].eq_ignore_ascii_case(".code16")
                        {
                            mode = Bitness::Bits32;
                        }
                    });
                }
                Part::Text { .. } => {}
                Part::Arg { .. } => modes.push(mode),
            }
        }
    }
    modes
}

/// Whether `text` has a `.c` or `.C`, which every `.code…` starts with.
fn may_switch_mode(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at + 1 < bytes.len() {
        if bytes[at] == b'.' && matches!(bytes[at + 1], b'c' | b'C') {
            return true;
        }
        at += 1;
    }
    false
}

fn operand_substitution(
    index: usize,
    kind: &OperandKind,
    choices: &BTreeMap<usize, Choice>,
) -> Option<Substitution> {
    Some(match kind {
        OperandKind::Reg(reg) => match &reg.reg {
            RegSpec::Class(_) => Substitution::Register {
                class: reg.reg_name.clone(),
                family: choices.get(&index)?.family.clone(),
            },
            RegSpec::Explicit(_) => return None,
        },
        OperandKind::Const(expr) => Substitution::Const(operand_const_value(expr)),
        OperandKind::Sym(expr) => {
            Substitution::Sym(expr.to_token_stream().to_string().replace(' ', ""))
        }
        OperandKind::Label(_) => Substitution::Label(format!(".Llabel_operand{index}")),
    })
}

fn push_mapped(exp: &mut Expansion, text: &str, raw: Range<usize>) {
    let start = exp.text.len();
    exp.text.push_str(text);
    exp.map.push((start..exp.text.len(), raw));
}

/// The text rustc would paste for one occurrence (see
/// [`super::substituted_statements`]).
pub(crate) fn render(subst: &Subst, att: bool) -> String {
    match &subst.kind {
        SubstKind::Reg(name) if att => format!("%{name}"),
        SubstKind::Reg(name) => name.clone(),
        SubstKind::Const(value) => value.unwrap_or(0).to_string(),
        SubstKind::Symbol(name) => name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '@' {
                    c
                } else {
                    '_'
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (Vec<Part>, Vec<(usize, String)>) {
        let mut next = 0;
        let mut errors = Vec::new();
        let parts = parse_format(text, &mut next, &mut errors);
        (parts, errors)
    }

    fn args(text: &str) -> Vec<(ArgRef, Option<char>)> {
        parts(text)
            .0
            .into_iter()
            .filter_map(|p| match p {
                Part::Arg { arg, modifier, .. } => Some((arg, modifier)),
                Part::Text { .. } => None,
            })
            .collect()
    }

    #[test]
    fn placeholder_grammar() {
        assert_eq!(
            args("{} {} {0} {00} {x} {0:e} {0 } {0 :x} {0:}"),
            [
                (ArgRef::Index(0), None),
                (ArgRef::Index(1), None),
                (ArgRef::Index(0), None),
                (ArgRef::Index(0), None),
                (ArgRef::Name("x".into()), None),
                (ArgRef::Index(0), Some('e')),
                (ArgRef::Index(0), None),
                (ArgRef::Index(0), Some('x')),
                (ArgRef::Index(0), None),
            ]
        );
    }

    #[test]
    fn whitespace_before_the_name_or_after_the_colon_is_an_error() {
        assert_eq!(parts("{ 0}").1.len(), 1);
        assert_eq!(parts("{0: e}").1.len(), 1);
        assert_eq!(parts("{0:ee}").1.len(), 1);
        assert_eq!(parts("{1x}").1.len(), 1);
        assert_eq!(parts("{").1.len(), 1);
        assert_eq!(parts("}").1.len(), 1);
    }

    #[test]
    fn escapes() {
        let (parts, errors) = parts("a{{k1}}b");
        assert!(errors.is_empty());
        let text: String = parts
            .iter()
            .map(|p| match p {
                Part::Text { text, .. } => text.as_str(),
                Part::Arg { .. } => "?",
            })
            .collect();
        assert_eq!(text, "a{k1}b");
    }

    #[test]
    fn const_values() {
        let value = |src: &str| const_value(&syn::parse_str::<syn::Expr>(src).unwrap());
        assert_eq!(value("5"), Some(5));
        assert_eq!(value("0x10u64"), Some(16));
        assert_eq!(value("-1i32"), Some(-1));
        assert_eq!(value("(1 << 12) - 1"), Some(4095));
        assert_eq!(value("4096usize as u64"), Some(4096));
        assert_eq!(value("-1i64 as u64"), None);
        assert_eq!(value("SIZE"), None);
        assert_eq!(value("size_of::<u64>()"), None);
        assert_eq!(value("u128::MAX"), None);
        assert_eq!(value("1 / 0"), None);
    }

    #[test]
    fn spellings() {
        let choice = |class, family: &str| Choice {
            class,
            family: family.to_owned(),
        };
        let gpr = choice(Class::Reg, "r8");
        assert_eq!(spelling(&gpr, None, Bitness::Bits64), "r8");
        assert_eq!(spelling(&gpr, Some('e'), Bitness::Bits64), "r8d");
        let ebx = choice(Class::Reg, "rbx");
        assert_eq!(spelling(&ebx, None, Bitness::Bits32), "ebx");
        assert_eq!(spelling(&ebx, Some('x'), Bitness::Bits32), "bx");
        let abcd = choice(Class::Abcd, "rcx");
        assert_eq!(spelling(&abcd, Some('h'), Bitness::Bits64), "ch");
        let ymm = choice(Class::Ymm, "zmm9");
        assert_eq!(spelling(&ymm, None, Bitness::Bits64), "ymm9");
        assert_eq!(spelling(&ymm, Some('x'), Bitness::Bits64), "xmm9");
        assert_eq!(spelling(&ymm, Some('z'), Bitness::Bits64), "zmm9");
        assert_eq!(
            spelling(&choice(Class::K, "k2"), None, Bitness::Bits64),
            "k2"
        );
    }

    #[test]
    fn raw_slices_map_back() {
        let mut exp = Expansion {
            raw: "mov {0}, {{x}}".to_owned(),
            ..Expansion::default()
        };
        push_mapped(&mut exp, "mov ", 0..4);
        push_mapped(&mut exp, "\u{F0000}", 4..7);
        push_mapped(&mut exp, ", ", 7..9);
        push_mapped(&mut exp, "{", 9..11);
        push_mapped(&mut exp, "x", 11..12);
        push_mapped(&mut exp, "}", 12..14);
        assert_eq!(exp.raw_slice(0..exp.text.len()), "mov {0}, {{x}}");
        assert_eq!(exp.raw_slice(4..exp.text.len()), "{0}, {{x}}");
    }
}
