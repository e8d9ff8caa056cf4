//! What the Intel and AT&T operand readers' tests share: reading one
//! operand's text in a dialect, and taking the result apart.

use std::collections::HashMap;

use super::ast::{MemoryAst, OperandAst, RegOperandAst, Syntax};
use super::expr::Context;
use super::intel::Parsed;
use super::lexer::{Tok, tokenize};
use super::placeholder::Subst;

/// An operand reader: `intel::operand` or `att::operand`.
pub(crate) type Reader = fn(&[Tok], Context<'_>) -> Result<Parsed, String>;

/// Reads `text` with `read`, placeholders standing for `substs`.
pub(crate) fn parse_with(
    read: Reader,
    syntax: Syntax,
    text: &str,
    substs: &[Subst],
) -> Result<Parsed, String> {
    let constants = HashMap::new();
    let cx = Context {
        syntax,
        substs,
        constants: &constants,
    };
    read(&tokenize(text)?, cx)
}

/// The operand `text` is; panics (naming it) if it is not one.
pub(crate) fn operand_of(read: Reader, syntax: Syntax, text: &str) -> OperandAst {
    match parse_with(read, syntax, text, &[]) {
        Ok(Parsed::Operand(op)) => op,
        other => panic!("{text}: {other:?}"),
    }
}

/// The memory operand `text` is; panics (naming it) if it is not one.
pub(crate) fn memory_of(read: Reader, syntax: Syntax, text: &str) -> MemoryAst {
    match operand_of(read, syntax, text) {
        OperandAst::Mem(m) => *m,
        other => panic!("{text}: {other:?}"),
    }
}

/// The name of a base or index register, if there is one.
pub(crate) fn register_name(reg: &Option<RegOperandAst>) -> Option<&str> {
    reg.as_ref().map(|r| r.name.as_str())
}
