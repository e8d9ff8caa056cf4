//! Stages 2 and 3 together: what a block's template says, statement by
//! statement, and what each instruction does. This is what the CLI's
//! `explain` prints and what every later stage reads.

use crate::parse::{AsmArgs, MacroKind};
use crate::semantics::{self, Facts};
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
        let outcome = match &statement.body {
            StatementBody::Empty => Ok(Vec::new()),
            StatementBody::Instruction(instruction) => {
                semantics::match_instruction(instruction, bitness).map(|m| vec![m.facts])
            }
            StatementBody::Directive(directive) => match &directive.kind {
                DirectiveKind::Data(bytes) => semantics::decode_data(bytes, bitness)
                    .map(|all| all.into_iter().map(|m| m.facts).collect()),
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
            }),
            Err(error) => problems.push(ReadProblem::Unsupported {
                piece: statement.piece,
                line: statement.line,
                source: statement.source.clone(),
                reason: error.to_string(),
            }),
        }
    }
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
        syntax: lowered.syntax,
        statements,
        placeholder_families,
        problems,
    }
}
