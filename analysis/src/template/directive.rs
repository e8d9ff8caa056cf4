//! Assembler directives: what each one means for the analysis (iced notes
//! §7.1). Data directives are evaluated to bytes because code is sometimes
//! written as `.byte 0x0f, 0x01, 0xd0`; a value that is not a constant
//! (`.quad 2b - .`, `.long gdt_start`) makes the directive `OpaqueData`
//! rather than inventing bytes: such data is harmless in a data section or
//! behind an unconditional jump, and whether it is either is for later
//! stages to decide. Conditional assembly (`.if`…`.endif`) is the statement
//! reader's business (it decides which statements exist at all).

use super::ast::{Bitness, DirectiveAst, DirectiveKind, SectionChange, Syntax};
use super::expr::{Context, Precedence, evaluate};
use super::intel::split_commas;
use super::lexer::{Tok, tokenize};

/// The most bytes one directive may produce (`.zero 1000000000` is not code).
const MAX_BYTES: i128 = 1 << 20;

/// Reads directive `name` (with its dot, any case) with argument text `args`.
/// Errors are for directives we understand but whose arguments we cannot read.
pub(crate) fn directive(name: &str, args: &str, cx: Context<'_>) -> Result<DirectiveAst, String> {
    let lower = name.to_ascii_lowercase();
    let args = args.trim();
    let kind = kind(&lower, args, cx)?;
    Ok(DirectiveAst {
        name: lower,
        args: args.to_owned(),
        kind,
    })
}

fn kind(name: &str, args: &str, cx: Context<'_>) -> Result<DirectiveKind, String> {
    if let Some(width) = integer_width(name) {
        return integers(name, args, width, cx);
    }
    Ok(match name {
        ".ascii" | ".asciz" | ".string" => strings(name, args)?,
        ".zero" | ".skip" | ".space" => {
            let values = values(name, args, cx)?;
            match values.as_slice() {
                [Some(count)] => repeat(*count, 1, 0),
                [Some(count), Some(fill)] => repeat(*count, 1, *fill),
                [Some(count), None] => opaque(Some(*count), 1),
                [_] | [_, _] => DirectiveKind::OpaqueData { size: None },
                _ => return Err(format!("`{name}` takes a size and an optional fill value")),
            }
        }
        ".fill" => {
            let values = values(name, args, cx)?;
            match values.as_slice() {
                [Some(count)] => repeat(*count, 1, 0),
                [Some(count), Some(size)] => repeat(*count, *size, 0),
                [Some(count), Some(size), Some(value)] => repeat(*count, *size, *value),
                [Some(count), Some(size), None] => opaque(Some(*count), (*size).clamp(0, 8)),
                [_] | [_, _] | [_, _, _] => DirectiveKind::OpaqueData { size: None },
                _ => return Err("`.fill` takes a count, a size and a value".to_owned()),
            }
        }
        ".p2align" | ".p2alignw" | ".p2alignl" | ".balign" | ".balignw" | ".balignl" | ".align"
        | ".nops" => DirectiveKind::Alignment,
        ".type" | ".size" | ".globl" | ".global" | ".hidden" | ".weak" | ".local" | ".file"
        | ".loc" | ".protected" | ".internal" | ".ident" | ".comm" | ".lcomm" | ".weakref"
        | ".addrsig" | ".addrsig_sym" | ".extern" | ".symver" | ".lsym" | ".warning" | ".print" => {
            DirectiveKind::Annotation
        }
        _ if name.starts_with(".cfi_") => DirectiveKind::Annotation,
        ".code64" => DirectiveKind::CodeMode(Bitness::Bits64),
        ".code32" => DirectiveKind::CodeMode(Bitness::Bits32),
        ".code16" => DirectiveKind::CodeMode(Bitness::Bits16),
        // 16-bit code whose unsuffixed `push`, `call` and `ret` move four
        // bytes, as in 32-bit code: that is how it is read.
        ".code16gcc" => DirectiveKind::CodeMode(Bitness::Bits32),
        // Bytes we do not compute: their number is what later stages need.
        ".single" | ".float" => opaque(Some(list_len(args)), 4),
        ".double" => opaque(Some(list_len(args)), 8),
        ".uleb128" | ".sleb128" | ".incbin" => DirectiveKind::OpaqueData { size: None },
        ".text" | ".data" | ".bss" | ".rodata" => {
            DirectiveKind::Section(SectionChange::Switch(name.to_owned()))
        }
        ".section" => DirectiveKind::Section(SectionChange::Switch(section_name(args)?)),
        ".pushsection" => DirectiveKind::Section(SectionChange::Push(section_name(args)?)),
        ".popsection" => DirectiveKind::Section(SectionChange::Pop),
        ".previous" => DirectiveKind::Section(SectionChange::Previous),
        ".set" | ".equ" | ".equiv" => constant(name, args, cx)?,
        ".intel_syntax" => DirectiveKind::SyntaxSwitch(Syntax::Intel),
        ".att_syntax" => DirectiveKind::SyntaxSwitch(Syntax::Att),
        _ => DirectiveKind::Unsupported,
    })
}

fn integer_width(name: &str) -> Option<usize> {
    Some(match name {
        ".byte" => 1,
        ".short" | ".word" | ".2byte" | ".value" | ".hword" => 2,
        ".long" | ".int" | ".4byte" => 4,
        ".quad" | ".8byte" => 8,
        ".octa" => 16,
        _ => return None,
    })
}

/// The values of a comma-separated list (`None` for symbolic ones).
fn values(name: &str, args: &str, cx: Context<'_>) -> Result<Vec<Option<i128>>, String> {
    let toks = tokenize(args)?;
    if toks.is_empty() {
        return Ok(Vec::new());
    }
    split_commas(&toks)
        .map_err(|reason| format!("in `{name}`: {reason}"))?
        .into_iter()
        .map(|part| evaluate(part, cx, Precedence::Gnu).map(|l| l.value()))
        .collect()
}

fn integers(
    name: &str,
    args: &str,
    width: usize,
    cx: Context<'_>,
) -> Result<DirectiveKind, String> {
    let values = values(name, args, cx)?;
    if values.iter().any(Option::is_none) {
        return Ok(opaque(Some(values.len() as i128), width as i128));
    }
    let mut bytes = Vec::new();
    for value in values.into_iter().flatten() {
        bytes.extend_from_slice(&value.to_le_bytes()[..width]);
    }
    Ok(DirectiveKind::Data(bytes))
}

fn strings(name: &str, args: &str) -> Result<DirectiveKind, String> {
    let toks = tokenize(args)?;
    let mut bytes = Vec::new();
    if toks.is_empty() {
        return Ok(DirectiveKind::Data(bytes));
    }
    for part in split_commas(&toks)? {
        let [Tok::Str(text)] = part else {
            return Err(format!("`{name}` expects string literals"));
        };
        bytes.extend_from_slice(text);
        if name != ".ascii" {
            bytes.push(0);
        }
    }
    Ok(DirectiveKind::Data(bytes))
}

/// `count` units of `size` bytes (at most 8, as GAS clamps it) of `value`;
/// opaque when there are more than [`MAX_BYTES`].
fn repeat(count: i128, size: i128, value: i128) -> DirectiveKind {
    let size = size.clamp(0, 8);
    if size == 0 || count <= 0 {
        return DirectiveKind::Data(Vec::new());
    }
    let total = count.saturating_mul(size);
    if total > MAX_BYTES {
        return opaque(Some(count), size);
    }
    let unit = &value.to_le_bytes()[..size as usize];
    DirectiveKind::Data(unit.repeat(count as usize))
}

/// Data we do not compute: `count` units of `size` bytes when the count is
/// known.
fn opaque(count: Option<i128>, size: i128) -> DirectiveKind {
    let size = count
        .map(|count| count.max(0).saturating_mul(size.max(0)))
        .and_then(|total| u64::try_from(total).ok());
    DirectiveKind::OpaqueData { size }
}

/// The number of comma-separated values in `args` (0 when empty).
fn list_len(args: &str) -> i128 {
    if args.trim().is_empty() {
        0
    } else {
        args.split(',').count() as i128
    }
}

/// Whether the section a `.section`/`.pushsection` (with its argument
/// text) or `.text`/`.data`/`.bss`/`.rodata` switches to holds code, as
/// LLVM decides it: the `x` flag when a flag string is given, else the
/// name (`.text`, `.text.*`, `.init`, `.fini`; Mach-O `__TEXT,__text`).
pub(crate) fn section_executable(directive: &str, args: &str) -> bool {
    let name = match directive {
        ".section" | ".pushsection" => match section_name(args) {
            Ok(name) => name,
            Err(_) => return false,
        },
        other => other.to_owned(),
    };
    if matches!(directive, ".section" | ".pushsection") {
        let mut parts = args.split(',').skip(1).map(str::trim);
        if let Some(flags) = parts.clone().find(|p| p.starts_with('"')) {
            return flags.trim_matches('"').contains('x');
        }
        if name == "__TEXT" {
            return parts.next().is_some_and(|s| s.starts_with("__text"));
        }
    }
    name == ".text" || name.starts_with(".text.") || name == ".init" || name == ".fini"
}

fn section_name(args: &str) -> Result<String, String> {
    let first = args.split(',').next().unwrap_or("").trim();
    let name = first.trim_matches('"');
    if name.is_empty() {
        return Err("expected a section name".to_owned());
    }
    Ok(name.to_owned())
}

fn constant(name: &str, args: &str, cx: Context<'_>) -> Result<DirectiveKind, String> {
    let Some((symbol, value)) = args.split_once(',') else {
        return Err(format!("`{name}` expects a name and a value"));
    };
    constant_definition(symbol, value, cx)
}

/// `name = value` and `.set name, value`: the constant and its value.
pub(crate) fn constant_definition(
    symbol: &str,
    value: &str,
    cx: Context<'_>,
) -> Result<DirectiveKind, String> {
    let symbol = symbol.trim();
    if symbol.is_empty()
        || !symbol
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.$@".contains(c))
    {
        return Err(format!("invalid symbol name `{symbol}`"));
    }
    let toks = tokenize(value)?;
    let value = evaluate(&toks, cx, Precedence::Gnu)?.value();
    Ok(DirectiveKind::Constant {
        name: symbol.to_owned(),
        value,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn read(name: &str, args: &str) -> Result<DirectiveKind, String> {
        let constants = HashMap::from([("N".to_owned(), 3)]);
        let cx = Context {
            syntax: Syntax::Intel,
            substs: &[],
            constants: &constants,
        };
        directive(name, args, cx).map(|d| d.kind)
    }

    fn data(name: &str, args: &str) -> Vec<u8> {
        match read(name, args) {
            Ok(DirectiveKind::Data(bytes)) => bytes,
            other => panic!("{name} {args}: {other:?}"),
        }
    }

    #[test]
    fn integers() {
        assert_eq!(data(".byte", "0x0f, 0x01, 0xd0"), [0x0f, 0x01, 0xd0]);
        assert_eq!(data(".short", "0x1234"), [0x34, 0x12]);
        assert_eq!(data(".word", "1"), [1, 0]);
        assert_eq!(data(".long", "-1"), [0xff; 4]);
        assert_eq!(data(".quad", "1 << 8"), [0, 1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(data(".byte", "N + 1"), [4]);
        assert_eq!(data(".BYTE", ""), Vec::<u8>::new());
        assert_eq!(
            read(".quad", "foo"),
            Ok(DirectiveKind::OpaqueData { size: Some(8) })
        );
        assert!(read(".byte", "1,,2").is_err());
    }

    #[test]
    fn strings_and_fills() {
        assert_eq!(data(".ascii", "\"ab\""), b"ab");
        assert_eq!(data(".asciz", "\"a\", \"b\""), b"a\0b\0");
        assert_eq!(data(".string", "\"\\n\\x41\\101\""), b"\nAA\0");
        assert_eq!(data(".zero", "3"), [0, 0, 0]);
        assert_eq!(data(".skip", "2, 0x90"), [0x90, 0x90]);
        assert_eq!(data(".fill", "2, 2, 0x0102"), [2, 1, 2, 1]);
        assert_eq!(
            read(".zero", "1 << 40"),
            Ok(DirectiveKind::OpaqueData {
                size: Some(1 << 40)
            })
        );
        assert!(read(".ascii", "1").is_err());
    }

    #[test]
    fn symbolic_data_is_opaque_not_unsupported() {
        let opaque = |size| Ok(DirectiveKind::OpaqueData { size });
        assert_eq!(read(".quad", "(2b)"), opaque(Some(8)));
        assert_eq!(read(".quad", "2b - ."), opaque(Some(8)));
        assert_eq!(read(".quad", "6b - . + 8, 0"), opaque(Some(16)));
        assert_eq!(read(".long", "gdt_start"), opaque(Some(4)));
        assert_eq!(read(".word", "gdt_end - gdt_start - 1"), opaque(Some(2)));
        assert_eq!(read(".space", "2 * 1024 * 1024"), opaque(Some(2 << 20)));
        assert_eq!(read(".skip", "SIZE"), opaque(None));
        assert_eq!(read(".fill", "4, 2, foo"), opaque(Some(8)));
        assert_eq!(read(".fill", "2, 16, foo"), opaque(Some(16)));
        assert_eq!(read(".octa", "foo"), opaque(Some(16)));
        assert_eq!(read(".double", "1.5, 2"), opaque(Some(16)));
        assert_eq!(read(".incbin", "\"blob.bin\""), opaque(None));
    }

    #[test]
    fn executable_sections() {
        assert!(section_executable(".text", ""));
        assert!(!section_executable(".data", ""));
        assert!(!section_executable(".rodata", ""));
        assert!(section_executable(".section", ".text.startup"));
        assert!(section_executable(".section", ".boot.text, \"ax\""));
        assert!(!section_executable(".section", ".boot.stack, \"aw\""));
        assert!(section_executable(
            ".pushsection",
            ".reset,\"ax\",@progbits"
        ));
        assert!(!section_executable(".pushsection", "__ex_table, \"a\""));
        assert!(!section_executable(
            ".pushsection",
            "\"__early_exception_table\",\"a\""
        ));
        assert!(!section_executable(".section", ".textual"));
        assert!(!section_executable(".section", ".text,\"a\""));
        assert!(section_executable(".pushsection", ".fixup, 1, \"ax\""));
        assert!(section_executable(".section", "__TEXT,__text"));
        assert!(!section_executable(".section", "__TEXT,__const"));
    }

    #[test]
    fn other_kinds() {
        assert_eq!(read(".p2align", "4, 0x90"), Ok(DirectiveKind::Alignment));
        assert_eq!(
            read(".cfi_adjust_cfa_offset", "8"),
            Ok(DirectiveKind::Annotation)
        );
        assert_eq!(read(".globl", "foo"), Ok(DirectiveKind::Annotation));
        assert_eq!(
            read(".code64", ""),
            Ok(DirectiveKind::CodeMode(Bitness::Bits64))
        );
        assert_eq!(
            read(".code32", ""),
            Ok(DirectiveKind::CodeMode(Bitness::Bits32))
        );
        assert_eq!(
            read(".code16", ""),
            Ok(DirectiveKind::CodeMode(Bitness::Bits16))
        );
        assert_eq!(
            read(".code16gcc", ""),
            Ok(DirectiveKind::CodeMode(Bitness::Bits32))
        );
        assert_eq!(read(".rept", "3"), Ok(DirectiveKind::Unsupported));
        assert_eq!(
            read(".section", ".text.foo,\"ax\",@progbits"),
            Ok(DirectiveKind::Section(SectionChange::Switch(
                ".text.foo".into()
            )))
        );
        assert_eq!(
            read(".pushsection", ".data"),
            Ok(DirectiveKind::Section(SectionChange::Push(".data".into())))
        );
        assert_eq!(
            read(".popsection", ""),
            Ok(DirectiveKind::Section(SectionChange::Pop))
        );
        assert_eq!(
            read(".text", ""),
            Ok(DirectiveKind::Section(SectionChange::Switch(
                ".text".into()
            )))
        );
        assert_eq!(
            read(".set", "FOO, N * 2"),
            Ok(DirectiveKind::Constant {
                name: "FOO".into(),
                value: Some(6)
            })
        );
        assert_eq!(
            read(".equ", "BAR, foo"),
            Ok(DirectiveKind::Constant {
                name: "BAR".into(),
                value: None
            })
        );
        assert_eq!(
            read(".att_syntax", "prefix"),
            Ok(DirectiveKind::SyntaxSwitch(Syntax::Att))
        );
        assert!(read(".set", "FOO").is_err());
    }
}
