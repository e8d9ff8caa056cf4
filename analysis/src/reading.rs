//! Stages 2 and 3 together: what a block's template says, statement by
//! statement, and what each instruction does. This is what the CLI's
//! `explain` prints and what every later stage reads.

use crate::parse::{AsmArgs, MacroKind};
use crate::semantics::{self, Facts, FlagSet, Flow, SideEffects};
use crate::template::ast::{Bitness, DirectiveKind, Statement, StatementBody, Syntax};
use crate::template::{self, TemplateError};

/// A block's template, read.
#[derive(Clone, Debug)]
pub struct Reading {
    /// The mode it was read for.
    pub bitness: Bitness,
    /// The dialect of the text (per `options(att_syntax)`).
    pub syntax: Syntax,
    /// Every statement with the instructions it stands for.
    pub statements: Vec<ReadStatement>,
    /// The register families substituted for register placeholders: what
    /// the compiler allocates, not registers the template names.
    pub placeholder_families: Vec<String>,
    /// The same by operand: operand index → representative family.
    pub placeholder_registers: std::collections::BTreeMap<usize, String>,
    /// Whether the block calls BIOS services and was read as real-mode
    /// code (x86 only): such a block is built by a 16-bit x86 target.
    pub calls_bios: bool,
    /// What could not be read; while this is not empty the block is not
    /// checked (rules need every line understood).
    pub problems: Vec<ReadProblem>,
}

/// One statement and what it does.
#[derive(Clone, Debug)]
pub struct ReadStatement {
    /// The statement as parsed.
    pub statement: Statement,
    /// The instructions it assembles to: one for an instruction, several or
    /// none for data directives, none for labels and other directives.
    pub instructions: Vec<Facts>,
    /// For data in the code whose bytes are unknown or are no instructions:
    /// why. It stands as one instruction that stops execution; running into
    /// it makes the block unsupported (`unsupported_instruction`).
    pub opaque_data: Option<String>,
}

/// The stand-in for data in the code: no effect, and control stops there.
fn data_marker() -> Facts {
    Facts {
        mnemonic: ".data",
        registers_read: Vec::new(),
        registers_written: Vec::new(),
        memory: Vec::new(),
        flags_read: FlagSet::EMPTY,
        flags_written: FlagSet::EMPTY,
        flags_undefined: FlagSet::EMPTY,
        x87_status_written: false,
        mxcsr_status_written: false,
        flow: Flow::Trap,
        stack_delta: Some(0),
        writes_stack_pointer: false,
        x87_stack_delta: 0,
        lock: false,
        side_effects: SideEffects::NONE,
    }
}

/// Why (part of) a template could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadProblem {
    /// A template piece that is a macro call we cannot expand.
    Opaque {
        /// Index of the template piece.
        piece: usize,
        /// The macro as written, e.g. `include_str!`.
        macro_name: String,
    },
    /// A statement we cannot read or match to an instruction.
    Unsupported {
        /// Index of the template piece it came from.
        piece: usize,
        /// Its 1-based line in the joined template.
        line: usize,
        /// The statement as written.
        source: String,
        /// Why, in rustc's voice.
        reason: String,
    },
}

impl ReadProblem {
    /// The template piece the problem is in.
    pub fn piece(&self) -> usize {
        match self {
            ReadProblem::Opaque { piece, .. } | ReadProblem::Unsupported { piece, .. } => *piece,
        }
    }
}

/// Reads the template of `args` for `bitness`.
pub fn read(args: &AsmArgs, kind: MacroKind, bitness: Bitness) -> Reading {
    let lowered = template::lower(args, kind, bitness);
    let mut problems: Vec<ReadProblem> = lowered
        .errors
        .iter()
        .map(|error| match error {
            TemplateError::Opaque { piece, macro_name } => ReadProblem::Opaque {
                piece: *piece,
                macro_name: macro_name.clone(),
            },
            TemplateError::Unreadable {
                piece,
                line,
                source,
                reason,
            } => ReadProblem::Unsupported {
                piece: *piece,
                line: *line,
                source: source.clone(),
                reason: reason.clone(),
            },
            TemplateError::Format {
                piece,
                line,
                reason,
            } => ReadProblem::Unsupported {
                piece: *piece,
                line: *line,
                source: String::new(),
                reason: reason.clone(),
            },
        })
        .collect();
    let mut statements = Vec::with_capacity(lowered.statements.len());
    for statement in lowered.statements {
        // Each statement in its own mode (`.code32` inside a 64-bit block).
        let mode = statement.bitness;
        let mut opaque_data = None;
        let outcome = match &statement.body {
            StatementBody::Empty => Ok(Vec::new()),
            StatementBody::Instruction(instruction) => {
                semantics::match_instruction(instruction, mode).map(|m| vec![m.facts])
            }
            StatementBody::Directive(directive) => match &directive.kind {
                // Data outside the code (`.pushsection .rodata`) never runs.
                DirectiveKind::Data(_) | DirectiveKind::OpaqueData { .. }
                    if !statement.executable =>
                {
                    Ok(Vec::new())
                }
                DirectiveKind::Data(bytes) => match semantics::decode_data(bytes, mode) {
                    Ok(all) => Ok(all.into_iter().map(|m| m.facts).collect()),
                    // A table in the code (a GDT after a `jmp`): harmless
                    // unless control can reach it, which the rules check.
                    Err(error) => {
                        opaque_data = Some(error.to_string());
                        Ok(vec![data_marker()])
                    }
                },
                DirectiveKind::OpaqueData { .. } => {
                    opaque_data = Some("its bytes are not known at expansion time".to_owned());
                    Ok(vec![data_marker()])
                }
                DirectiveKind::Unsupported => Err(semantics::MatchError::new(
                    semantics::MatchErrorKind::InvalidOperands,
                    format!("the directive `{}` is not supported", directive.name),
                )),
                _ => Ok(Vec::new()),
            },
        };
        match outcome {
            Ok(instructions) => statements.push(ReadStatement {
                statement,
                instructions,
                opaque_data,
            }),
            Err(error) => problems.push(ReadProblem::Unsupported {
                piece: statement.piece,
                line: statement.line,
                source: statement.source.clone(),
                reason: error.to_string(),
            }),
        }
    }
    let placeholder_registers = lowered
        .placeholders
        .operands
        .iter()
        .filter_map(|(index, substitution)| match substitution {
            template::Substitution::Register { family, .. } => Some((*index, family.clone())),
            _ => None,
        })
        .collect();
    let placeholder_families = lowered
        .placeholders
        .operands
        .values()
        .filter_map(|substitution| match substitution {
            template::Substitution::Register { family, .. } => Some(family.clone()),
            _ => None,
        })
        .collect();
    Reading {
        bitness,
        calls_bios: lowered.calls_bios,
        syntax: lowered.syntax,
        statements,
        placeholder_families,
        placeholder_registers,
        problems,
    }
}
