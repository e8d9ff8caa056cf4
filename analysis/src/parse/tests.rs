//! The parser must accept every form rustc 1.95 accepts (asm-rules.md §2):
//! a valid block we reject would be forwarded unchecked without anyone
//! noticing. Each case here is valid `asm!` syntax.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

use super::*;

fn parse(src: &str) -> AsmArgs {
    let tokens: TokenStream = src.parse().expect("test input must lex");
    match AsmArgs::parse(tokens) {
        Ok(args) => args,
        Err(err) => panic!("valid form rejected: {src}\n{err}"),
    }
}

/// Every valid form of `asm!`, `global_asm!` and `naked_asm!` arguments
/// (the grammar of r[asm.syntax] and the details of asm-rules.md §2.3).
pub(crate) const VALID_FORMS: &[&str] = &[
    // templates
    r#""nop""#,
    r#""nop","#,
    r##"r"nop""##,
    r###"r#"mov {0}, "x""#, in(reg) 0"###,
    r#""nop", "nop", "nop""#,
    r#"concat!("n", "op")"#,
    r#"core::concat!("mov {}, ", 5), out(reg) _"#,
    r#"stringify!(nop)"#,
    r#"include_str!("x.s")"#,
    r#"my_macro!(), in(reg) 1"#,
    // operands
    r#""mov {0}, {1}", out(reg) x, in(reg) y"#,
    r#""mov {x}, {y}", x = out(reg) a, y = in(reg) b"#,
    r#""", in("eax") 1, out("edx") _, lateout("ecx") c"#,
    r#""", inout("eax") a, inout("ecx") b => c, inout("edx") d => _"#,
    r#""", inlateout("eax") a, inlateout(reg) b => c, inlateout(reg) 1u64 => _"#,
    r#""{}", in(reg) f(x, y).z[3] as u64"#,
    r#""{}", in(reg) if c { 1 } else { 2 }"#,
    r#""{}", in(reg) S { a: 1 }.a"#,
    r#""{}", in(reg) &mut x as *mut u8"#,
    r#""", out("rax") *ptr, lateout("rdx") arr[2]"#,
    r#""{}", const 5"#,
    r#""{}", const -5i64 * N"#,
    r#""{}", const { 1 + 2 }"#,
    r#""{}", const <T as Tr>::C"#,
    r#""call {}", sym foo"#,
    r#""call {}", sym foo::<u8>"#,
    r#""call {}", sym <u8 as Clone>::clone"#,
    r#""call {}", sym crate::m::STATIC"#,
    r#""jmp {}", label { return; }"#,
    r#""jmp {l}", l = label { x += 1; }"#,
    r#""{}", in(xmm_reg) v"#,
    r#""{0:e} {0:x} {0:l}", in(reg_abcd) v"#,
    r#""", in("rax"x) 1"#,
    r#""", out("st(0)") _, out("mm0") _, out("k1") _, out("ymm15") _"#,
    // names that are keywords or raw identifiers
    r#""{in}", in = in(reg) x"#,
    r#""{sym}", sym = sym foo"#,
    r#""{nomem}", nomem = in(reg) x"#,
    r#""{type}", r#type = in(reg) x"#,
    r#""{const}", const = const 1"#,
    r#""{_x}", _x = in(reg) x"#,
    // options and clobber_abi
    r#""nop", options(nomem, nostack)"#,
    r#""nop", options(nomem, nostack,)"#,
    r#""nop", options()"#,
    r#""nop", options(pure), options(nomem), options(preserves_flags, att_syntax, raw)"#,
    r#""nop", options(noreturn)"#,
    r#""nop", options(readonly, may_unwind)"#,
    r#""nop", clobber_abi("C")"#,
    r#""nop", clobber_abi("C", "system",)"#,
    r##""nop", clobber_abi(r"C"), clobber_abi("sysv64")"##,
    // interleaving (1.70+)
    r#""{}", options(nostack), in(reg) x, clobber_abi("C"), out("eax") _, options(nomem)"#,
    // attributes (1.93+)
    r#"#[cfg(a)] "nop", #[cfg(not(a))] "pause""#,
    r#""{x}", #[cfg(a)] x = in(reg) 1, #[cfg(not(a))] x = in(reg) 2"#,
    r#""nop", #[cfg_attr(a, cfg(b))] options(nomem), #[cfg(c)] clobber_abi("C")"#,
    r#""nop", #[cfg(a)] #[cfg(b)] in("eax") 1"#,
    // trailing commas everywhere
    r#""{}", in(reg) x,"#,
];

#[test]
fn accepts_every_valid_form() {
    for form in VALID_FORMS {
        parse(form);
    }
}

#[test]
fn models_templates() {
    let args = parse(
        r#""a", r"b{}", concat!("c", 1, "-", true, 'x', -2), include_str!("f"), stringify!(2: mov [rax + 8], rbx), in(reg) x"#,
    );
    let pieces: Vec<_> = args.templates.iter().map(|t| t.piece.clone()).collect();
    assert_eq!(
        pieces,
        [
            TemplatePiece::Text("a".into()),
            TemplatePiece::Text("b{}".into()),
            TemplatePiece::Text("c1-truex-2".into()),
            TemplatePiece::Opaque("include_str!".into()),
            TemplatePiece::Text("2: mov [rax + 8], rbx".into()),
        ]
    );
}

#[test]
fn nested_concat_and_opaque_parts() {
    let args = parse(r#"concat!("a", concat!("b", "c")), concat!("a", env!("X"))"#);
    assert_eq!(args.templates[0].piece, TemplatePiece::Text("abc".into()));
    assert_eq!(
        args.templates[1].piece,
        TemplatePiece::Opaque("concat!".into())
    );
}

#[test]
fn models_operands() {
    let args = parse(
        r#""", a = in(reg) x, out("rdx") _, inout("ecx") y => z, inlateout(reg) w, lateout(xmm_reg) v, const 3, sym f, label {}"#,
    );
    let ops = &args.operands;
    assert_eq!(ops.len(), 8);
    assert_eq!(ops[0].name.as_ref().unwrap().to_string(), "a");
    let reg = ops[0].reg().unwrap();
    assert_eq!(reg.direction, Direction::In);
    assert_eq!(reg.reg_name, "reg");
    assert!(reg.output.is_none());
    let rdx = ops[1].reg().unwrap();
    assert!(matches!(rdx.reg, RegSpec::Explicit(_)));
    assert!(matches!(rdx.output, Some(Output::Discard)));
    assert!(!ops[1].is_referable());
    let ecx = ops[2].reg().unwrap();
    assert_eq!(ecx.direction, Direction::InOut);
    assert!(ecx.input.is_some());
    assert!(matches!(ecx.output, Some(Output::Place(_))));
    assert!(matches!(
        ops[3].reg().unwrap().output,
        Some(Output::SameAsInput)
    ));
    assert_eq!(ops[4].reg().unwrap().direction, Direction::LateOut);
    assert!(matches!(ops[5].kind, OperandKind::Const(_)));
    assert!(matches!(ops[6].kind, OperandKind::Sym(_)));
    assert!(matches!(ops[7].kind, OperandKind::Label(_)));
}

#[test]
fn models_options_with_one_span_per_word() {
    let args = parse(r#""nop", options(nomem, nostack), options(pure), clobber_abi("C", "win64")"#);
    let words: Vec<_> = args.option_words().map(|w| w.option).collect();
    assert_eq!(
        words,
        [AsmOption::Nomem, AsmOption::Nostack, AsmOption::Pure]
    );
    assert!(args.has_option(AsmOption::Pure));
    assert!(!args.has_option(AsmOption::Readonly));
    assert_eq!(args.clobber_abis[0].abis.len(), 2);
}

#[test]
fn keeps_attributes() {
    let args = parse(r#"#[cfg(a)] "nop", #[cfg(b)] x = in(reg) 1, #[cfg(c)] options(nomem)"#);
    assert_eq!(args.templates[0].attrs.len(), 1);
    assert_eq!(args.operands[0].attrs.len(), 1);
    assert_eq!(args.options[0].attrs.len(), 1);
}

/// Wraps `tokens` the way `macro_rules!` passes a fragment on.
fn invisible(tokens: &str) -> TokenTree {
    let inner: TokenStream = tokens.parse().unwrap();
    TokenTree::Group(Group::new(Delimiter::None, inner))
}

fn seq(parts: Vec<TokenTree>) -> TokenStream {
    parts.into_iter().collect()
}

fn plain(src: &str) -> Vec<TokenTree> {
    src.parse::<TokenStream>().unwrap().into_iter().collect()
}

#[test]
fn looks_through_macro_rules_fragments() {
    // asm!($t, $n = in($r) $e, sym $p, const $c, label $b, options($o), clobber_abi($a))
    let mut parts = vec![invisible(r#""mov {n}, {}""#)];
    parts.extend(plain(","));
    parts.push(invisible("n"));
    parts.extend(plain("= in"));
    parts.push(TokenTree::Group(Group::new(
        Delimiter::Parenthesis,
        seq(vec![invisible("reg")]),
    )));
    parts.push(invisible("a + b"));
    parts.extend(plain(", sym"));
    parts.push(invisible("foo::bar"));
    parts.extend(plain(", const"));
    parts.push(invisible("N + 1"));
    parts.extend(plain(", label"));
    parts.push(invisible("{ f() }"));
    parts.extend(plain(", options"));
    parts.push(TokenTree::Group(Group::new(
        Delimiter::Parenthesis,
        seq(vec![invisible("nomem")]),
    )));
    parts.extend(plain(", clobber_abi"));
    parts.push(TokenTree::Group(Group::new(
        Delimiter::Parenthesis,
        seq(vec![invisible(r#""C""#)]),
    )));
    let args = AsmArgs::parse(seq(parts)).expect("fragments must parse");
    assert_eq!(
        args.templates[0].piece,
        TemplatePiece::Text("mov {n}, {}".into())
    );
    assert_eq!(args.operands.len(), 4);
    assert_eq!(args.operands[0].name.as_ref().unwrap().to_string(), "n");
    assert!(args.has_option(AsmOption::Nomem));
    assert_eq!(args.clobber_abis[0].abis[0].value(), "C");
}

#[test]
fn concat_of_literal_fragments_is_text() {
    // concat!("mov eax, ", $x) with $x:literal
    let mut inner = plain(r#""mov eax, ","#);
    inner.push(invisible("5"));
    let mut parts = plain("concat!");
    parts.push(TokenTree::Group(Group::new(
        Delimiter::Parenthesis,
        seq(inner),
    )));
    let args = AsmArgs::parse(seq(parts)).unwrap();
    assert_eq!(
        args.templates[0].piece,
        TemplatePiece::Text("mov eax, 5".into())
    );
}

#[test]
fn a_template_macro_fragment_is_a_template() {
    let args = AsmArgs::parse(seq(vec![invisible(r#"concat!("n", "op")"#)])).unwrap();
    assert_eq!(args.templates[0].piece, TemplatePiece::Text("nop".into()));
}

/// Input rustc rejects is forwarded to rustc, never analysed: these must not
/// parse (or, where they do, rustc still rejects the forwarded tokens).
#[test]
fn rejects_what_is_not_asm_syntax() {
    for src in [
        "",
        r#""nop",, options(nomem)"#,
        r#"b"nop""#,
        r#"X"#,
        r#""nop", options = 1"#,
        r#""nop", in(reg) "#,
        r#""nop", in(reg rax) x"#,
        r#""nop", options(nomem nostack)"#,
        r#""nop" "nop""#,
    ] {
        let tokens: TokenStream = src.parse().unwrap();
        assert!(AsmArgs::parse(tokens).is_err(), "accepted: {src}");
    }
}

#[test]
fn parses_allow_clauses_and_strips_them() {
    let src = r#""nop", options(nomem), allow(memory_access_in_nomem, stack_use_in_nostack, reason = "audited"), in(reg) x"#;
    let args = parse(src);
    assert_eq!(args.allows.len(), 1);
    let list = args.allows[0].list.as_ref().unwrap();
    let names: Vec<String> = list.rules.iter().map(ToString::to_string).collect();
    assert_eq!(names, ["memory_access_in_nomem", "stack_use_in_nostack"]);
    assert_eq!(list.reason.value(), "audited");
    assert_eq!(args.operands.len(), 1);

    let stripped = strip_allow_clauses(src.parse().unwrap()).to_string();
    let expected: TokenStream = r#""nop", options(nomem), in(reg) x"#.parse().unwrap();
    assert_eq!(stripped, expected.to_string());
}

#[test]
fn an_allow_needs_a_reason_and_rules() {
    for (src, expected) in [
        (r#""nop", allow(stack_use_in_nostack)"#, "needs a `reason"),
        (r#""nop", allow(reason = "x")"#, "names no rule"),
        (
            r#""nop", allow(a, reason = 1)"#,
            "must be a non-empty string",
        ),
        (
            r#""nop", allow(a, reason = "")"#,
            "must be a non-empty string",
        ),
        (
            r#""nop", allow(a::b, reason = "x")"#,
            "expected a rule name",
        ),
        (r#""nop", allow("a", reason = "x")"#, "expected rule names"),
    ] {
        let args = parse(src);
        let err = args.allows[0]
            .list
            .as_ref()
            .err()
            .unwrap_or_else(|| panic!("accepted {src}"));
        assert!(err.to_string().contains(expected), "{src}: {err}");
    }
}

#[test]
fn an_operand_named_allow_is_an_operand() {
    let args = parse(r#""{allow}", allow = in(reg) x"#);
    assert!(args.allows.is_empty());
    assert_eq!(args.operands.len(), 1);
    let untouched = strip_allow_clauses(r#""{allow}", allow = in(reg) x"#.parse().unwrap());
    assert_eq!(untouched.into_iter().count(), 7);
}

#[test]
fn operand_expressions_keep_their_tokens() {
    let args = parse(
        r#""{} {} {}", in(reg) f::<A, B>(x), in(reg) g(|a, b| a + b), in(reg) if c { 1 } else { 2 }, out(reg) _"#,
    );
    // (Spacing aside: messages tidy it, the tokens are what matters.)
    let texts: Vec<String> = args
        .operands
        .iter()
        .map(|op| op.text().replace(' ', ""))
        .collect();
    assert_eq!(
        texts,
        [
            "in(reg)f::<A,B>(x)",
            "in(reg)g(|a,b|a+b)",
            "in(reg)ifc{1}else{2}",
            "out(reg)_"
        ]
    );
    let value = |src: &str| match &parse(src).operands[0].kind {
        OperandKind::Const(expr) => expr.to_expr().is_some(),
        _ => false,
    };
    assert!(value(r#""{}", const -5i64 * N"#));
}
