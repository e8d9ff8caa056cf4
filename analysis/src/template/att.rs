//! AT&T-syntax operands (`options(att_syntax)` or `.att_syntax`): `%reg`,
//! `$imm`, `disp(base, index, scale)`, `%fs:…`, `*` indirection, `{%k1}`.
//! The statement reader reverses the operands into Intel order.

use super::ast::{Immediate, MemoryAst, OperandAst, RegOperandAst, SegmentReg};
use super::expr::{Context, Leaf, Node, Parser, Precedence, evaluate};
use super::intel::{Parsed, bare, finish, matching, memory_from_linear, without_decorators};
use super::lexer::Tok;
use super::placeholder::SubstKind;
use super::registers;

/// Parses one AT&T operand.
pub(crate) fn operand(toks: &[Tok], cx: Context<'_>) -> Result<Parsed, String> {
    let main = without_decorators(toks)?;
    let operand = if main.is_empty() {
        None
    } else {
        Some(operand_core(&main, cx)?)
    };
    finish(operand, toks)
}

fn operand_core(toks: &[Tok], cx: Context<'_>) -> Result<OperandAst, String> {
    let (indirect, toks) = match toks.split_first() {
        Some((star, rest)) if star.is("*") => (true, rest),
        _ => (false, toks),
    };
    let Some(first) = toks.first() else {
        return Err("expected an operand after `*`".to_owned());
    };
    if first.is("$") {
        if indirect {
            return Err("an immediate cannot be indirect".to_owned());
        }
        let linear = evaluate(&toks[1..], cx, Precedence::Gnu)?;
        return Ok(OperandAst::Imm(Immediate {
            value: (linear.symbols.is_empty() && !linear.unknown).then_some(linear.constant),
            placeholder: linear.placeholder,
            symbol: linear
                .symbols
                .first()
                .map(|(t, _)| super::intel::target_text(t)),
        }));
    }
    // A register, possibly a segment override.
    if let Some((reg, used)) = register_at(toks, 0, cx) {
        if used == toks.len() {
            return Ok(OperandAst::Reg(reg));
        }
        if toks[used].is(":")
            && let Some(segment) = registers::segment(&reg.name)
        {
            return memory(&toks[used + 1..], Some(segment), indirect, cx);
        }
        return Err(format!(
            "unexpected {} after a register",
            super::expr::describe(&toks[used])
        ));
    }
    memory(toks, None, indirect, cx)
}

/// `%name` (with `%st(N)`) or a register placeholder at `i`: the register and
/// the index after it.
fn register_at(toks: &[Tok], i: usize, cx: Context<'_>) -> Option<(RegOperandAst, usize)> {
    match toks.get(i)? {
        Tok::Punct("%") => {
            let Tok::Word(word) = toks.get(i + 1)? else {
                return None;
            };
            let mut name = registers::normalize(word)?;
            let mut used = i + 2;
            if name == "st(0)"
                && toks.get(used).is_some_and(|t| t.is("("))
                && let (Some(Tok::Number(n)), Some(close)) =
                    (toks.get(used + 1), toks.get(used + 2))
                && close.is(")")
            {
                name = registers::x87(n.parse().ok()?)?;
                used += 3;
            }
            Some((
                RegOperandAst {
                    name,
                    decorators: Default::default(),
                    placeholder: None,
                },
                used,
            ))
        }
        Tok::Marker(index) => {
            let subst = cx.substs.get(*index)?;
            let SubstKind::Reg(name) = &subst.kind else {
                return None;
            };
            Some((
                RegOperandAst {
                    name: name.clone(),
                    decorators: Default::default(),
                    placeholder: Some(super::ast::PlaceholderRef {
                        operand: subst.operand,
                    }),
                },
                i + 1,
            ))
        }
        _ => None,
    }
}

/// `disp(base, index, scale)` with every part optional, or a bare expression.
fn memory(
    toks: &[Tok],
    segment: Option<SegmentReg>,
    indirect: bool,
    cx: Context<'_>,
) -> Result<OperandAst, String> {
    if toks.is_empty() {
        return Err("expected an address".to_owned());
    }
    let group = if toks.last().is_some_and(|t| t.is(")")) {
        // The `(` that opens the last group.
        let open = (0..toks.len())
            .rev()
            .find(|&i| toks[i].is("(") && matching(toks, i, "(", ")") == Some(toks.len() - 1));
        open.filter(|&open| {
            let inner = &toks[open + 1..toks.len() - 1];
            inner.is_empty() || inner[0].is(",") || register_at(inner, 0, cx).is_some()
        })
    } else {
        None
    };
    let (disp_toks, inner) = match group {
        Some(open) => (&toks[..open], Some(&toks[open + 1..toks.len() - 1])),
        None => (toks, None),
    };
    let linear = if disp_toks.is_empty() {
        Default::default()
    } else {
        let node = Parser::new(disp_toks, cx, Precedence::Gnu, false).parse_all()?;
        if let Node::Leaf(Leaf::Reg(_)) = node {
            return Err("expected an address, found a register".to_owned());
        }
        super::expr::linearize(&node)?
    };
    let Some(inner) = inner else {
        if segment.is_none() && !indirect {
            // `jmp foo`, `call 2f`, `movl 0x10, %eax` (absolute).
            let absolute = linear.symbols.is_empty();
            return bare(linear, absolute);
        }
        let mut mem = memory_from_linear(linear, segment)?;
        mem.segment = segment;
        return Ok(OperandAst::Mem(Box::new(mem)));
    };
    let mut mem: MemoryAst = memory_from_linear(linear, segment)?;
    let parts: Vec<&[Tok]> = inner.split(|t| t.is(",")).collect();
    if parts.len() > 3 {
        return Err("too many parts in a memory operand `(base, index, scale)`".to_owned());
    }
    let reg_part = |part: &[Tok], what: &str| -> Result<Option<RegOperandAst>, String> {
        if part.is_empty() {
            return Ok(None);
        }
        match register_at(part, 0, cx) {
            Some((reg, used)) if used == part.len() => Ok(Some(reg)),
            _ => Err(format!(
                "expected a {what} register in `(base, index, scale)`"
            )),
        }
    };
    mem.base = reg_part(parts[0], "base")?;
    if let Some(index) = parts.get(1) {
        mem.index = reg_part(index, "index")?;
    }
    if let Some(scale) = parts.get(2) {
        let value = evaluate(scale, cx, Precedence::Gnu)?
            .value()
            .ok_or("scale factor must be a constant")?;
        if !matches!(value, 1 | 2 | 4 | 8) {
            return Err(format!(
                "scale factor in address must be 1, 2, 4 or 8, not {value}"
            ));
        }
        mem.scale = value as u8;
    }
    Ok(OperandAst::Mem(Box::new(mem)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::ast::{Syntax, Target};
    use crate::template::lexer::marker_char;
    use crate::template::operand_tests::{self as support, register_name as name};
    use crate::template::placeholder::Subst;

    fn parse_with(text: &str, substs: &[Subst]) -> Result<Parsed, String> {
        support::parse_with(operand, Syntax::Att, text, substs)
    }

    fn parse(text: &str) -> OperandAst {
        support::operand_of(operand, Syntax::Att, text)
    }

    fn mem(text: &str) -> MemoryAst {
        support::memory_of(operand, Syntax::Att, text)
    }

    #[test]
    fn registers_and_immediates() {
        assert_eq!(
            parse("%RAX"),
            super::super::intel::register_operand("rax".into())
        );
        assert_eq!(
            parse("%st(2)"),
            super::super::intel::register_operand("st(2)".into())
        );
        let OperandAst::Imm(imm) = parse("$0x10 + 2") else {
            panic!()
        };
        assert_eq!(imm.value, Some(18));
        let OperandAst::Imm(imm) = parse("$foo") else {
            panic!()
        };
        assert_eq!((imm.value, imm.symbol.as_deref()), (None, Some("foo")));
        assert!(parse_with("%nope", &[]).is_err());
    }

    #[test]
    fn memory_forms() {
        let m = mem("-8(%rbp)");
        assert_eq!((name(&m.base), m.displacement), (Some("rbp"), -8));
        let m = mem("0x10(%rax,%rcx,8)");
        assert_eq!(
            (name(&m.base), name(&m.index), m.scale),
            (Some("rax"), Some("rcx"), 8)
        );
        let m = mem("(,%rcx,4)");
        assert_eq!(
            (name(&m.base), name(&m.index), m.scale),
            (None, Some("rcx"), 4)
        );
        let m = mem("%fs:0x28");
        assert_eq!((m.segment, m.displacement), (Some(SegmentReg::Fs), 0x28));
        let m = mem("%gs:(%rax)");
        assert_eq!(
            (m.segment, name(&m.base)),
            (Some(SegmentReg::Gs), Some("rax"))
        );
        let m = mem("foo(%rip)");
        assert_eq!(
            (name(&m.base), m.symbol.as_deref()),
            (Some("rip"), Some("foo"))
        );
        let m = mem("(4*2)(%rdi)");
        assert_eq!(m.displacement, 8);
        let m = mem("0x1000");
        assert_eq!(m.displacement, 0x1000);
        let m = mem("(%rax){1to8}");
        assert_eq!(m.broadcast, Some(8));
    }

    #[test]
    fn indirect_and_direct_targets() {
        assert_eq!(
            parse("*%rax"),
            super::super::intel::register_operand("rax".into())
        );
        let m = mem("*8(%rax)");
        assert_eq!((name(&m.base), m.displacement), (Some("rax"), 8));
        let m = mem("*foo");
        assert_eq!(m.symbol.as_deref(), Some("foo"));
        assert_eq!(
            parse("1b"),
            OperandAst::Target(Target::Local {
                number: "1".into(),
                forward: false
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
    fn decorators_and_errors() {
        let OperandAst::Reg(r) = parse("%zmm1 {%k2} {z}") else {
            panic!()
        };
        assert_eq!(r.decorators.mask.as_deref(), Some("k2"));
        assert!(r.decorators.zeroing);
        assert!(parse_with("(%rax,%rbx,3)", &[]).is_err());
        assert!(parse_with("(%rax,%rbx,1,2)", &[]).is_err());
        assert!(parse_with("*$1", &[]).is_err());
        assert!(parse_with("%rax:8", &[]).is_err());
    }

    #[test]
    fn register_placeholders() {
        let substs = [Subst {
            operand: 3,
            kind: SubstKind::Reg("r9".into()),
        }];
        let m = marker_char(0).unwrap();
        let Ok(Parsed::Operand(OperandAst::Mem(mem))) = parse_with(&format!("8({m})"), &substs)
        else {
            panic!()
        };
        assert_eq!(mem.base.unwrap().placeholder.unwrap().operand, 3);
        let Ok(Parsed::Operand(OperandAst::Reg(r))) = parse_with(&m.to_string(), &substs) else {
            panic!()
        };
        assert_eq!(r.name, "r9");
    }
}
