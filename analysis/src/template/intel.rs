//! Intel-syntax operands (rustc's default dialect), plus the pieces the AT&T
//! reader shares: operand splitting, EVEX decorators, and turning a linear
//! address expression into base/index/scale/displacement.

use std::borrow::Cow;

use super::ast::{
    Decorators, Immediate, MemoryAst, OperandAst, PlaceholderRef, RegOperandAst, SegmentReg, Target,
};
use super::expr::{Context, Leaf, Linear, Node, Parser, Precedence, linearize};
use super::lexer::Tok;
use super::placeholder::{Subst, SubstKind};
use super::registers;

/// What one comma-separated operand turned out to be.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Parsed {
    /// A real operand.
    Operand(OperandAst),
    /// A standalone `{rn-sae}` / `{sae}`: attached to a neighbour later.
    Rounding(Decorators),
}

/// Splits operand tokens at top-level commas. `None` when brackets do not
/// balance.
pub(crate) fn split_commas(toks: &[Tok]) -> Result<Vec<&[Tok]>, String> {
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut start = 0;
    for (i, tok) in toks.iter().enumerate() {
        match tok {
            Tok::Punct("(" | "[" | "{") => depth += 1,
            Tok::Punct(")" | "]" | "}") => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("unmatched {}", super::expr::describe(tok)));
                }
            }
            Tok::Punct(",") if depth == 0 => {
                out.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err("unclosed delimiter in operand".to_owned());
    }
    if !toks.is_empty() {
        out.push(&toks[start..]);
    }
    if out.iter().any(|op| op.is_empty()) {
        return Err("expected an operand, found `,`".to_owned());
    }
    Ok(out)
}

/// One EVEX decorator.
#[derive(Clone, Debug, PartialEq)]
enum Decorator {
    Mask(String),
    Zero,
    Broadcast(u8),
    Rounding(String),
    Sae,
}

/// Removes top-level `{…}` groups from an operand and reads them.
fn take_decorators(toks: &[Tok]) -> Result<(Cow<'_, [Tok]>, Vec<Decorator>), String> {
    // Almost no operand has decorators: then the tokens are borrowed, not
    // copied (a copy allocates each word again).
    if !toks.iter().any(|t| t.is("{")) {
        return Ok((Cow::Borrowed(toks), Vec::new()));
    }
    let mut rest = Vec::new();
    let mut decorators = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Punct("(" | "[") => depth += 1,
            Tok::Punct(")" | "]") => depth -= 1,
            Tok::Punct("{") if depth == 0 => {
                let close = toks[i..]
                    .iter()
                    .position(|t| t.is("}"))
                    .map(|p| p + i)
                    .ok_or("unclosed `{` in operand")?;
                decorators.push(decorator(&toks[i + 1..close])?);
                i = close + 1;
                continue;
            }
            _ => {}
        }
        rest.push(toks[i].clone());
        i += 1;
    }
    Ok((Cow::Owned(rest), decorators))
}

fn decorator(inner: &[Tok]) -> Result<Decorator, String> {
    let words: Vec<String> = inner
        .iter()
        .filter(|t| !t.is("%"))
        .map(|t| match t {
            Tok::Word(w) | Tok::Number(w) => w.to_ascii_lowercase(),
            Tok::Punct(p) => (*p).to_owned(),
            _ => String::new(),
        })
        .collect();
    let text = words.concat();
    if let Some(n) = text.strip_prefix("1to")
        && let Ok(count) = n.parse::<u8>()
    {
        return Ok(Decorator::Broadcast(count));
    }
    if text.len() == 2 && text.starts_with('k') && ("k1"..="k7").contains(&text.as_str()) {
        return Ok(Decorator::Mask(text));
    }
    Ok(match text.as_str() {
        "z" => Decorator::Zero,
        "sae" => Decorator::Sae,
        "rn-sae" | "rd-sae" | "ru-sae" | "rz-sae" => Decorator::Rounding(text),
        _ => return Err(format!("unknown decorator `{{{text}}}`")),
    })
}

/// Applies decorators; `broadcast` receives a `{1toN}`.
fn apply(decorators: &[Decorator], target: &mut Decorators, broadcast: &mut Option<u8>) {
    for decorator in decorators {
        match decorator {
            Decorator::Mask(k) => target.mask = Some(k.clone()),
            Decorator::Zero => target.zeroing = true,
            Decorator::Broadcast(n) => *broadcast = Some(*n),
            Decorator::Rounding(r) => target.rounding = Some(r.clone()),
            Decorator::Sae => target.sae = true,
        }
    }
}

/// Finishes an operand: attaches decorators, or returns a standalone rounding.
pub(crate) fn finish(
    operand: Option<OperandAst>,
    decorators_src: &[Tok],
) -> Result<Parsed, String> {
    let (_, decorators) = take_decorators(decorators_src)?;
    let mut broadcast = None;
    match operand {
        None => {
            let mut d = Decorators::default();
            apply(&decorators, &mut d, &mut broadcast);
            if d.rounding.is_none() && !d.sae || broadcast.is_some() || d.mask.is_some() {
                return Err("expected an operand before the decorator".to_owned());
            }
            Ok(Parsed::Rounding(d))
        }
        Some(OperandAst::Reg(mut reg)) => {
            apply(&decorators, &mut reg.decorators, &mut broadcast);
            if broadcast.is_some() {
                return Err("a broadcast `{1toN}` needs a memory operand".to_owned());
            }
            Ok(Parsed::Operand(OperandAst::Reg(reg)))
        }
        Some(OperandAst::Mem(mut mem)) => {
            apply(&decorators, &mut mem.decorators, &mut broadcast);
            mem.broadcast = broadcast;
            Ok(Parsed::Operand(OperandAst::Mem(mem)))
        }
        Some(other) if decorators.is_empty() => Ok(Parsed::Operand(other)),
        Some(_) => Err("decorators need a register or memory operand".to_owned()),
    }
}

/// The tokens of an operand without its decorators (which [`finish`]
/// reads from the whole operand).
pub(crate) fn without_decorators(toks: &[Tok]) -> Result<Cow<'_, [Tok]>, String> {
    take_decorators(toks).map(|(rest, _)| rest)
}

/// The byte size of an Intel size keyword (in any case).
fn size_keyword(word: &str) -> Option<u16> {
    // The longest keyword has 7 letters; lower-cased on the stack.
    let mut buffer = [0u8; 7];
    let bytes = word.as_bytes();
    let lower = buffer.get_mut(..bytes.len())?;
    lower.copy_from_slice(bytes);
    lower.make_ascii_lowercase();
    Some(match &*lower {
        b"byte" => 1,
        b"word" => 2,
        b"dword" => 4,
        b"fword" => 6,
        b"qword" | b"mmword" => 8,
        b"tbyte" | b"tword" => 10,
        b"oword" | b"xmmword" | b"xword" => 16,
        b"ymmword" => 32,
        b"zmmword" => 64,
        _ => return None,
    })
}

/// A memory operand from a linear address.
///
/// The register terms are read as written first (`[rdi + rdi*2]` is base
/// `rdi`, index `rdi`, scale 2, as LLVM reads it); only when that is not an
/// address are terms of the same register summed (`[rax + rbx - rbx]`,
/// `[rdi*2 + rdi*2]`).
pub(crate) fn memory_from_linear(
    linear: Linear,
    segment: Option<SegmentReg>,
) -> Result<MemoryAst, String> {
    let mut mem = MemoryAst {
        segment,
        scale: 1,
        displacement: linear.constant,
        displacement_unknown: linear.unknown,
        placeholder: linear.placeholder,
        ..MemoryAst::default()
    };
    let terms = match base_and_index(linear.regs.clone()) {
        Ok(found) => found,
        Err(as_written) => base_and_index(linear.merged_regs()).map_err(|_| as_written)?,
    };
    (mem.base, mem.index, mem.scale) = terms;
    if let Some(base) = &mem.base
        && let Some(index) = &mem.index
        && registers::family(&base.name).as_deref() == Some("rip")
    {
        return Err(format!(
            "`rip`-relative addresses cannot have an index register (`{}`)",
            index.name
        ));
    }
    let mut symbols = linear.symbols.into_iter().filter(|(_, c)| *c != 0);
    if let Some((target, coeff)) = symbols.next() {
        mem.symbol = Some(target_text(&target));
        if coeff != 1 || symbols.next().is_some() {
            mem.displacement_unknown = true;
        }
    }
    Ok(mem)
}

/// Base, index and scale from register terms: the first unscaled general
/// register is the base, the other term the index.
type Registers = (Option<RegOperandAst>, Option<RegOperandAst>, u8);

fn base_and_index(regs: Vec<(RegOperandAst, i128)>) -> Result<Registers, String> {
    let mut base = None;
    let mut scaled = Vec::new();
    for (reg, coeff) in regs {
        let is_ip = registers::family(&reg.name).as_deref() == Some("rip");
        if coeff == 1 && !registers::is_vector(&reg.name) && base.is_none() {
            base = Some(reg);
        } else if is_ip {
            return Err("`rip` can only be a base register".to_owned());
        } else {
            scaled.push((reg, coeff));
        }
    }
    match scaled.len() {
        0 => Ok((base, None, 1)),
        1 => {
            let (reg, coeff) = scaled.pop().unwrap_or_else(|| unreachable!());
            if !matches!(coeff, 1 | 2 | 4 | 8) {
                return Err(format!(
                    "scale factor in address must be 1, 2, 4 or 8, not {coeff}"
                ));
            }
            Ok((base, Some(reg), coeff as u8))
        }
        _ => Err("a memory operand has at most one base and one index register".to_owned()),
    }
}

/// The text of a target, for `MemoryAst::symbol`.
pub(crate) fn target_text(target: &Target) -> String {
    match target {
        Target::Local { number, forward } => {
            format!("{number}{}", if *forward { "f" } else { "b" })
        }
        Target::Symbol { name, .. } => name.clone(),
    }
}

/// An expression operand without brackets: an immediate, a direct target,
/// or (a symbol plus an offset, or any absolute address when `absolute`) a
/// memory operand.
pub(crate) fn bare(linear: Linear, absolute: bool) -> Result<OperandAst, String> {
    if !linear.regs.is_empty() {
        return Err("a register in an expression needs a memory operand (`[…]`)".to_owned());
    }
    if linear.symbols.is_empty() && !absolute {
        return Ok(OperandAst::Imm(Immediate {
            value: (!linear.unknown).then_some(linear.constant),
            placeholder: linear.placeholder,
            symbol: None,
        }));
    }
    if let [(target, 1)] = linear.symbols.as_slice()
        && linear.constant == 0
        && !linear.unknown
        && !absolute
    {
        return Ok(OperandAst::Target(target.clone()));
    }
    Ok(OperandAst::Mem(Box::new(memory_from_linear(linear, None)?)))
}

/// Parses one Intel operand.
pub(crate) fn operand(toks: &[Tok], cx: Context<'_>) -> Result<Parsed, String> {
    // `int $3`: in `asm!` (not in `global_asm!`) LLVM reads an AT&T-style
    // `$` before a number as the immediate itself.
    let toks = match toks {
        [Tok::Punct("$"), rest @ ..] if matches!(rest.first(), Some(Tok::Number(_))) => rest,
        _ => toks,
    };
    let main = without_decorators(toks)?;
    let operand = if main.is_empty() {
        None
    } else {
        Some(operand_core(&main, cx)?)
    };
    finish(operand, toks)
}

fn operand_core(toks: &[Tok], cx: Context<'_>) -> Result<OperandAst, String> {
    let mut i = 0;
    let mut size = None;
    let mut keyword = None;
    if let Some(word) = toks[0].word()
        && let Some(bytes) = size_keyword(word)
        && toks.len() > 1
    {
        size = Some(bytes);
        if !["byte", "word", "dword", "qword"]
            .iter()
            .any(|common| word.eq_ignore_ascii_case(common))
        {
            keyword = Some(word.to_ascii_lowercase());
        }
        i = 1;
        if toks.get(1).is_some_and(|t| t.is_word("ptr")) {
            i = 2;
        }
    }
    if i >= toks.len() {
        return Err("expected a memory operand after the size".to_owned());
    }
    if toks[i].is_word("offset") {
        let linear = super::expr::evaluate(&toks[i + 1..], cx, Precedence::Intel)?;
        return Ok(OperandAst::Imm(Immediate {
            value: (linear.symbols.is_empty() && !linear.unknown).then_some(linear.constant),
            placeholder: linear.placeholder,
            symbol: linear.symbols.first().map(|(t, _)| target_text(t)),
        }));
    }
    let mut segment = None;
    if let Some(seg) = toks[i].word().and_then(registers::segment)
        && toks.get(i + 1).is_some_and(|t| t.is(":"))
    {
        segment = Some(seg);
        i += 2;
    }
    let rest = &toks[i..];
    if rest.is_empty() {
        return Err("expected an address after the segment".to_owned());
    }
    let has_bracket = rest.iter().any(|t| t.is("["));
    if size.is_some() && !has_bracket && segment.is_none() {
        // `dword ptr 0xffe00000`, `push qword ptr 0`: without brackets a
        // constant is an immediate for LLVM, whatever the size says (the
        // oracle confirms it); a symbol (`dword ptr foo`) is memory.
        let node = Parser::new(rest, cx, Precedence::Intel, true).parse_all()?;
        let linear = linearize(&node)?;
        if linear.regs.is_empty() && linear.symbols.is_empty() {
            return bare(linear, false);
        }
    }
    if has_bracket || segment.is_some() || size.is_some() {
        let (linear, inner_segment) = address(rest, cx)?;
        let mut mem = memory_from_linear(linear, segment.or(inner_segment))?;
        mem.size = size;
        mem.size_keyword = keyword;
        return Ok(OperandAst::Mem(Box::new(mem)));
    }
    // The usual operand, one register written or substituted: no
    // expression to parse (registers come before constants, as below).
    if let [only] = rest
        && let Some(reg) = lone_register(only, cx)
    {
        return Ok(OperandAst::Reg(reg));
    }
    let node = Parser::new(rest, cx, Precedence::Intel, true).parse_all()?;
    if let Node::Leaf(Leaf::Reg(reg)) = node {
        return Ok(OperandAst::Reg(reg));
    }
    bare(linearize(&node)?, false)
}

/// A token that is a register by itself: a register name, or a placeholder
/// that stands for one.
fn lone_register(tok: &Tok, cx: Context<'_>) -> Option<RegOperandAst> {
    match tok {
        Tok::Word(word) => Some(RegOperandAst {
            name: registers::normalize(word)?,
            decorators: Decorators::default(),
            placeholder: None,
        }),
        Tok::Marker(index) => match cx.substs.get(*index) {
            Some(Subst {
                operand,
                kind: SubstKind::Reg(name),
            }) => Some(RegOperandAst {
                name: name.clone(),
                decorators: Decorators::default(),
                placeholder: Some(PlaceholderRef { operand: *operand }),
            }),
            _ => None,
        },
        _ => None,
    }
}

/// The sum of everything in and around brackets (`8[rdi]`, `[rdi][8]`,
/// `[rdi]+8`), and a segment written inside the first bracket (`[fs:0x10]`).
fn address(toks: &[Tok], cx: Context<'_>) -> Result<(Linear, Option<SegmentReg>), String> {
    let mut total = Linear::default();
    let mut segment = None;
    let mut i = 0;
    let mut run_start = 0;
    let add = |part: &[Tok], total: &mut Linear| -> Result<(), String> {
        if part.is_empty() {
            return Ok(());
        }
        let node = Parser::new(part, cx, Precedence::Intel, true).parse_all()?;
        let linear = linearize(&node)?;
        *total = std::mem::take(total).add(linear);
        Ok(())
    };
    while i < toks.len() {
        if toks[i].is("[") {
            add(&toks[run_start..i], &mut total)?;
            let close = matching(toks, i, "[", "]").ok_or("unclosed `[` in memory operand")?;
            let mut inner = &toks[i + 1..close];
            if let Some(seg) = inner
                .first()
                .and_then(Tok::word)
                .and_then(registers::segment)
                && inner.get(1).is_some_and(|t| t.is(":"))
            {
                segment = Some(seg);
                inner = &inner[2..];
            }
            if inner.is_empty() {
                return Err("expected an address inside `[]`".to_owned());
            }
            add(inner, &mut total)?;
            i = close + 1;
            run_start = i;
        } else {
            i += 1;
        }
    }
    add(&toks[run_start..], &mut total)?;
    Ok((total, segment))
}

/// The index of the token closing the group opened at `open`.
pub(crate) fn matching(toks: &[Tok], open: usize, left: &str, right: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, tok) in toks.iter().enumerate().skip(open) {
        if tok.is(left) {
            depth += 1;
        } else if tok.is(right) {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// A plain register operand (test helper).
#[cfg(test)]
pub(crate) fn register_operand(name: String) -> OperandAst {
    OperandAst::Reg(super::ast::RegOperandAst {
        name,
        decorators: Decorators::default(),
        placeholder: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::ast::{PlaceholderRef, Syntax};
    use crate::template::operand_tests::{self as support, register_name as reg_name};
    use crate::template::placeholder::{Subst, SubstKind};

    fn parse_with(text: &str, substs: &[Subst]) -> Result<Parsed, String> {
        support::parse_with(operand, Syntax::Intel, text, substs)
    }

    fn parse(text: &str) -> OperandAst {
        support::operand_of(operand, Syntax::Intel, text)
    }

    fn mem(text: &str) -> MemoryAst {
        support::memory_of(operand, Syntax::Intel, text)
    }

    #[test]
    fn registers() {
        assert_eq!(parse("RAX"), register_operand("rax".into()));
        assert_eq!(parse("st(3)"), register_operand("st(3)".into()));
        assert_eq!(parse("st"), register_operand("st(0)".into()));
        assert_eq!(parse("xmm31"), register_operand("xmm31".into()));
        assert_eq!(parse("cr3"), register_operand("cr3".into()));
    }

    #[test]
    fn immediates() {
        let imm = |v: i128| {
            OperandAst::Imm(Immediate {
                value: Some(v),
                placeholder: None,
                symbol: None,
            })
        };
        assert_eq!(parse("0x1f"), imm(31));
        assert_eq!(parse("-1"), imm(-1));
        assert_eq!(parse("10b"), imm(2));
        assert_eq!(parse("1 shl 4"), imm(16));
        assert_eq!(parse("'a'"), imm(97));
    }

    #[test]
    fn targets() {
        assert_eq!(
            parse("2f"),
            OperandAst::Target(Target::Local {
                number: "2".into(),
                forward: true
            })
        );
        assert_eq!(
            parse("foo"),
            OperandAst::Target(Target::Symbol {
                name: "foo".into(),
                placeholder: None
            })
        );
    }

    #[test]
    fn memory_forms() {
        let m = mem("qword ptr [rdi + 8*rcx - 16]");
        assert_eq!(m.size, Some(8));
        assert_eq!(reg_name(&m.base), Some("rdi"));
        assert_eq!(reg_name(&m.index), Some("rcx"));
        assert_eq!(m.scale, 8);
        assert_eq!(m.displacement, -16);
        let m = mem("[rbx*8]");
        assert_eq!(m.base, None);
        assert_eq!(reg_name(&m.index), Some("rbx"));
        let m = mem("[0x1000]");
        assert_eq!(m.displacement, 0x1000);
        let m = mem("dword ptr fs:0x10");
        assert_eq!(m.segment, Some(SegmentReg::Fs));
        assert_eq!(m.displacement, 0x10);
        let m = mem("8[rdi]");
        assert_eq!((reg_name(&m.base), m.displacement), (Some("rdi"), 8));
        let m = mem("[rdi][8]");
        assert_eq!((reg_name(&m.base), m.displacement), (Some("rdi"), 8));
        let m = mem("[rip + foo]");
        assert_eq!(reg_name(&m.base), Some("rip"));
        assert_eq!(m.symbol.as_deref(), Some("foo"));
        let m = mem("xmmword ptr gs:[rax]");
        assert_eq!(
            (m.size, m.size_keyword.as_deref()),
            (Some(16), Some("xmmword"))
        );
        assert_eq!(m.segment, Some(SegmentReg::Gs));
        let m = mem("[fs:rax]");
        assert_eq!(m.segment, Some(SegmentReg::Fs));
        let m = mem("[rax + ymm2*4]");
        assert_eq!(reg_name(&m.index), Some("ymm2"));
        let m = mem("[rcx+rdx]");
        assert_eq!(
            (reg_name(&m.base), reg_name(&m.index)),
            (Some("rcx"), Some("rdx"))
        );
        let m = mem("foo + 8");
        assert_eq!((m.symbol.as_deref(), m.displacement), (Some("foo"), 8));
    }

    #[test]
    fn same_register_as_base_and_index_stays_apart() {
        let parts = |text: &str| {
            let m = mem(text);
            (
                reg_name(&m.base).map(str::to_owned),
                reg_name(&m.index).map(str::to_owned),
                m.scale,
            )
        };
        let rdi = || Some("rdi".to_owned());
        assert_eq!(parts("[rdi + rdi*2]"), (rdi(), rdi(), 2));
        assert_eq!(parts("[rdi*2 + rdi]"), (rdi(), rdi(), 2));
        assert_eq!(parts("[rdi + rdi]"), (rdi(), rdi(), 1));
        assert_eq!(parts("[rdi + rdi*8 + 4]"), (rdi(), rdi(), 8));
        // Merged only where the terms are no address as written.
        assert_eq!(parts("[rdi*2 + rdi*2]"), (None, rdi(), 4));
        assert_eq!(
            parts("[rax + rbx - rbx]"),
            (Some("rax".to_owned()), None, 1)
        );
        assert_eq!(parts("[rdi + rdi + rdi + rdi]"), (None, rdi(), 4));
        assert_eq!(
            parse_with("[rdi + rdi*2 + rdi*4]", &[]),
            Err("a memory operand has at most one base and one index register".to_owned())
        );
    }

    #[test]
    fn memory_errors() {
        assert!(parse_with("[rax*3]", &[]).is_err());
        assert!(parse_with("[rax*rbx]", &[]).is_err());
        assert!(parse_with("[rax + rbx*2 + rcx*4]", &[]).is_err());
        assert!(parse_with("[rax", &[]).is_err());
        assert!(parse_with("rax + 1", &[]).is_err());
    }

    #[test]
    fn decorators() {
        let OperandAst::Reg(r) = parse("zmm1 {k1}{z}") else {
            panic!()
        };
        assert_eq!(r.decorators.mask.as_deref(), Some("k1"));
        assert!(r.decorators.zeroing);
        let m = mem("dword ptr [rax]{1to16}");
        assert_eq!(m.broadcast, Some(16));
        assert_eq!(
            parse_with("{rn-sae}", &[]),
            Ok(Parsed::Rounding(Decorators {
                rounding: Some("rn-sae".into()),
                ..Decorators::default()
            }))
        );
        assert!(parse_with("rax {1to8}", &[]).is_err());
        assert!(parse_with("zmm0 {bogus}", &[]).is_err());
    }

    #[test]
    fn placeholders() {
        let substs = [
            Subst {
                operand: 0,
                kind: SubstKind::Reg("r8".into()),
            },
            Subst {
                operand: 1,
                kind: SubstKind::Const(None),
            },
            Subst {
                operand: 2,
                kind: SubstKind::Symbol("foo::bar".into()),
            },
        ];
        let m0 = crate::template::lexer::marker_char(0).unwrap();
        let m1 = crate::template::lexer::marker_char(1).unwrap();
        let m2 = crate::template::lexer::marker_char(2).unwrap();
        let Ok(Parsed::Operand(OperandAst::Reg(r))) = parse_with(&m0.to_string(), &substs) else {
            panic!()
        };
        assert_eq!(r.placeholder, Some(PlaceholderRef { operand: 0 }));
        let Ok(Parsed::Operand(OperandAst::Imm(i))) = parse_with(&m1.to_string(), &substs) else {
            panic!()
        };
        assert_eq!(
            (i.value, i.placeholder),
            (None, Some(PlaceholderRef { operand: 1 }))
        );
        let Ok(Parsed::Operand(OperandAst::Mem(m))) =
            parse_with(&format!("[{m0} + {m1}]"), &substs)
        else {
            panic!()
        };
        assert!(m.displacement_unknown);
        assert_eq!(
            m.base.unwrap().placeholder,
            Some(PlaceholderRef { operand: 0 })
        );
        let Ok(Parsed::Operand(OperandAst::Mem(m))) =
            parse_with(&format!("qword ptr [rip + {m2}]"), &substs)
        else {
            panic!()
        };
        assert_eq!(m.symbol.as_deref(), Some("foo::bar"));
        assert_eq!(m.placeholder, Some(PlaceholderRef { operand: 2 }));
        let Ok(Parsed::Operand(OperandAst::Target(t))) = parse_with(&m2.to_string(), &substs)
        else {
            panic!()
        };
        assert_eq!(
            t,
            Target::Symbol {
                name: "foo::bar".into(),
                placeholder: Some(PlaceholderRef { operand: 2 })
            }
        );
    }
}
