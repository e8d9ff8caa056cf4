//! From a syntax-neutral instruction AST to one iced `Instruction` and the
//! facts the rules need (iced-x86 notes §7.1 layers 5 and 6).
//!
//! This is the only module that knows iced: everything public is in our
//! own types ([`Facts`], [`Reg`], [`SideEffects`]…); the iced instruction
//! stays inside [`Matched`]. The method:
//!
//! 1. [`names`]: the mnemonic as written → iced mnemonics it may mean
//!    (Intel aliases, AT&T suffixes), each with a filter on the forms;
//! 2. [`matcher`]: every form whose operand kinds take the operands is
//!    built with iced's setters (never the asserting constructors: iced's
//!    debug assertions fire inside proc macros, pitfall 12), validated by
//!    iced's `Encoder`, and the survivors are ranked;
//! 3. [`extract`]: facts from iced's instruction info plus our own tables
//!    ([`side_effects`], MXCSR, x87 status word, stack deltas).

mod data;
mod extract;
pub mod facts;
mod forms;
mod forms_data;
mod immediates;
mod matcher;
mod names;
mod operands;
mod real_mode;
pub mod registers;
pub mod side_effects;
mod table;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_att;
#[cfg(test)]
mod tests_fuzz;
#[cfg(test)]
mod tests_llvm;

use std::fmt;

use iced_x86::{Instruction, OpKind};

pub use facts::{Facts, FlagSet, Flow, MemAccess, MemUse, RegUse};
pub use registers::{Reg, RegClass};
pub use side_effects::SideEffects;

use crate::template::ast::{Bitness, InstructionAst};

/// What kind of problem a [`MatchError`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchErrorKind {
    /// The mnemonic is not an x86 instruction we know.
    UnknownMnemonic,
    /// A register name is not known.
    UnknownRegister,
    /// No form of the mnemonic takes these operands (or prefixes or
    /// decorators), or it does not exist in this mode.
    InvalidOperands,
    /// Several forms fit and they mean different things (unsized memory).
    Ambiguous,
    /// An immediate does not fit any form, even with LLVM's truncation.
    ImmediateOutOfRange,
    /// `.byte` data that does not decode to whole instructions.
    InvalidData,
}

/// Why a statement could not be resolved to one instruction. `message` is
/// worded like rustc (lower case, code in backticks); `notes` add help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchError {
    /// The kind of problem.
    pub kind: MatchErrorKind,
    /// The main message.
    pub message: String,
    /// Extra notes ("valid forms include …").
    pub notes: Vec<String>,
}

impl MatchError {
    /// A new error without notes.
    pub fn new(kind: MatchErrorKind, message: impl Into<String>) -> Self {
        MatchError {
            kind,
            message: message.into(),
            notes: Vec::new(),
        }
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

impl fmt::Display for MatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MatchError {}

/// One statement resolved to one instruction form, with its facts.
#[derive(Clone, Debug)]
pub struct Matched {
    /// What the instruction does.
    pub facts: Facts,
    /// The iced instruction (private: iced stays inside this module).
    instr: Instruction,
    /// Encoded length in bytes.
    len: usize,
    /// Whether an immediate was unknown (`const` or symbol) and placed in
    /// the widest field the form offers.
    symbolic_immediate: bool,
    /// Whether an immediate was truncated the way LLVM does.
    truncated: bool,
}

impl Matched {
    /// Builds the facts of a validated instruction.
    fn new(
        instr: Instruction,
        len: usize,
        bitness: Bitness,
        ast_index: [Option<usize>; 5],
        symbolic_immediate: bool,
        truncated: bool,
    ) -> Self {
        let name = table::table().name_of(instr.mnemonic());
        let facts = extract::facts(&instr, name, bitness, &ast_index);
        Matched {
            facts,
            instr,
            len,
            symbolic_immediate,
            truncated,
        }
    }

    /// Encoded length in bytes (with placeholder displacements and branch
    /// targets, so only indicative for symbolic operands).
    pub fn encoded_len(&self) -> usize {
        self.len
    }

    /// iced's name of the chosen form (`Add_rm64_imm8`), for debugging and
    /// tests.
    pub fn code_name(&self) -> String {
        format!("{:?}", self.instr.code())
    }

    /// The chosen form in Intel manual notation (`add r/m64, imm8`), for
    /// notes in diagnostics.
    pub fn form(&self) -> String {
        forms::instruction_string(self.instr.code()).to_owned()
    }

    /// The immediate operands' values as the processor sees them
    /// (sign-extended fields as signed values, others unsigned), for
    /// comparison with an assembler oracle.
    pub fn immediates(&self) -> Vec<i128> {
        let i = &self.instr;
        (0..i.op_count())
            .filter_map(|n| {
                Some(match i.op_kind(n) {
                    OpKind::Immediate8 => i128::from(i.immediate8()),
                    OpKind::Immediate8_2nd => i128::from(i.immediate8_2nd()),
                    OpKind::Immediate16 => i128::from(i.immediate16()),
                    OpKind::Immediate32 => i128::from(i.immediate32()),
                    OpKind::Immediate64 => i128::from(i.immediate64()),
                    OpKind::Immediate8to16 => i128::from(i.immediate8to16()),
                    OpKind::Immediate8to32 => i128::from(i.immediate8to32()),
                    OpKind::Immediate8to64 => i128::from(i.immediate8to64()),
                    OpKind::Immediate32to64 => i128::from(i.immediate32to64()),
                    _ => return None,
                })
            })
            .collect()
    }

    /// Whether an unknown immediate (`const` operand, symbol) was placed.
    pub fn has_symbolic_immediate(&self) -> bool {
        self.symbolic_immediate
    }

    /// Whether an immediate was out of range and truncated as LLVM does:
    /// worth a warning, it is a real bug class.
    pub fn immediate_truncated(&self) -> bool {
        self.truncated
    }

    /// Whether the instruction has a direct (relative) branch target.
    pub fn has_direct_target(&self) -> bool {
        (0..self.instr.op_count()).any(|n| {
            matches!(
                self.instr.op_kind(n),
                OpKind::NearBranch16 | OpKind::NearBranch32 | OpKind::NearBranch64
            )
        })
    }
}

/// Resolves one instruction statement to exactly one instruction form and
/// its facts. Never panics.
pub fn match_instruction(ast: &InstructionAst, bitness: Bitness) -> Result<Matched, MatchError> {
    // Real-mode statements are matched as 32-bit code, then given their
    // default operand size (see `real_mode.rs`).
    let (c, _) = match bitness {
        // (An error names the mode the statement is in.)
        Bitness::Bits16 => matcher::match_ast(ast, Bitness::Bits32).map_err(|mut error| {
            error.message = error.message.replace("in 32-bit mode", "in 16-bit mode");
            error
        })?,
        _ => matcher::match_ast(ast, bitness)?,
    };
    let (instr, cut) = match bitness {
        Bitness::Bits16 => real_mode::as_16_bit(ast, c.instr),
        _ => (c.instr, false),
    };
    Ok(Matched::new(
        instr,
        c.len,
        bitness,
        c.ast_index,
        c.symbolic,
        c.truncated || cut,
    ))
}

/// Decodes `.byte`-style data into instructions; fails unless the bytes
/// are whole, valid instructions.
pub fn decode_data(bytes: &[u8], bitness: Bitness) -> Result<Vec<Matched>, MatchError> {
    data::decode(bytes, bitness)
}
