//! Stage 2: from the parsed macro arguments to a list of statements.
//!
//! [`lower`] joins the template pieces as rustc does, substitutes every
//! placeholder with a representative (a register no one else uses, the value
//! of a literal `const`, a named symbol), splits the text into statements,
//! and reads each statement in the current dialect into the syntax-neutral
//! [`ast`]. Nothing here knows iced; the `semantics` stage matches the AST
//! against the instruction tables.
//!
//! Reading never stops at the first problem: a statement we cannot read
//! becomes a [`TemplateError::Unreadable`] and the others are still read, so
//! that one exotic line costs one finding, not the block.
//!
//! Besides the dialect, the reader follows the assembler state that changes
//! what a statement means or whether it can run: the processor mode
//! (`.code32`/`.code64`, [`ast::Statement::bitness`]), the current section
//! (`.pushsection`/`.popsection`/`.previous`/`.section`,
//! [`ast::Statement::executable`] and [`ast::Statement::section`]), `.set`
//! and `name = value` constants, and conditional assembly (`.if`…`.endif`,
//! whose left-out branches produce no statements).

pub mod ast;
mod att;
mod conditional;
mod directive;
mod expr;
mod intel;
mod lexer;
mod placeholder;
mod real_mode;
pub mod registers;

#[cfg(test)]
mod operand_tests;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

pub use placeholder::Substitution;

use ast::{
    Bitness, DirectiveKind, InstructionAst, OperandAst, Prefix, SectionChange, Statement,
    StatementBody, Syntax,
};
use conditional::{Activity, Conditions};
use expr::Context;
use intel::Parsed;
use lexer::{RawStatement, Tok};

use crate::parse::{AsmArgs, AsmOption, MacroKind, TemplatePiece};

/// The result of reading a template.
#[derive(Clone, Debug, PartialEq)]
pub struct Lowered {
    /// Every statement we could read, in order. Unreadable statements are
    /// left out (their labels are kept on an empty statement so that branch
    /// targets still resolve); they are in `errors`.
    pub statements: Vec<Statement>,
    /// The dialect the template starts in: Intel unless `options(att_syntax)`
    /// (`.att_syntax`/`.intel_syntax` switch it per statement; each
    /// instruction records its own).
    pub syntax: Syntax,
    /// What each placeholder operand was substituted with.
    pub placeholders: PlaceholderMap,
    /// What we could not read.
    pub errors: Vec<TemplateError>,
    /// Whether the block calls BIOS services and was therefore read as
    /// real-mode code (x86 only; see `real_mode.rs`).
    pub calls_bios: bool,
}

/// What each operand was substituted with, by operand index
/// (`AsmArgs::operands`). Every register-class operand has an entry, whether
/// or not the template uses it; explicit-register operands have none (the
/// template cannot name them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaceholderMap {
    /// Operand index → substitution.
    pub operands: BTreeMap<usize, Substitution>,
}

impl PlaceholderMap {
    /// The representative register family of a register-class operand.
    pub fn register_family(&self, operand: usize) -> Option<&str> {
        match self.operands.get(&operand)? {
            Substitution::Register { family, .. } => Some(family),
            _ => None,
        }
    }

    /// The register-class operand whose representative is in `family`
    /// (as named by [`registers::family`]).
    pub fn operand_of_family(&self, family: &str) -> Option<usize> {
        self.operands.iter().find_map(|(index, sub)| match sub {
            Substitution::Register { family: f, .. } if f == family => Some(*index),
            _ => None,
        })
    }
}

/// Why (part of) a template cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateError {
    /// A template piece is a macro call whose expansion we cannot see
    /// (`include_str!`, a user macro). It counts as one empty line; the
    /// `{}` counter is assumed not to move inside it.
    Opaque {
        /// Index of the piece.
        piece: usize,
        /// The macro as written (`include_str!`).
        macro_name: String,
    },
    /// A statement we cannot read.
    Unreadable {
        /// Index of the piece the statement starts in.
        piece: usize,
        /// 1-based line in the joined template.
        line: usize,
        /// The statement as written (placeholders unsubstituted).
        source: String,
        /// Why, rustc style: lowercase, code in backticks.
        reason: String,
    },
    /// A malformed placeholder (`{` without `}`, an unknown name): rustc
    /// rejects the block too; reported so that nothing is silently skipped.
    Format {
        /// Index of the piece.
        piece: usize,
        /// 1-based line in the joined template.
        line: usize,
        /// Why, rustc style.
        reason: String,
    },
}

impl TemplateError {
    /// A one-line message for users.
    pub fn message(&self) -> String {
        match self {
            TemplateError::Opaque { macro_name, .. } => format!(
                "cannot check this block: the template `{macro_name}` is not visible to a macro"
            ),
            TemplateError::Unreadable { source, reason, .. } => {
                format!("cannot read `{source}`: {reason}")
            }
            TemplateError::Format { reason, .. } => reason.clone(),
        }
    }
}

/// Prefixes seen alone on a statement (`lock;`), waiting for their instruction.
struct Pending {
    prefixes: Vec<Prefix>,
    piece: usize,
    line: usize,
    source: String,
}

/// Reads the template of one macro invocation for `bitness`. `kind` does not
/// change the reading today (rustc wraps `global_asm!`/`naked_asm!` text in
/// the same syntax directives we model); it is part of the signature so that
/// callers need not change when it does. Never panics.
pub fn lower(args: &AsmArgs, kind: MacroKind, bitness: Bitness) -> Lowered {
    let _ = kind;
    let raw = args.has_option(AsmOption::Raw);
    let initial = if args.has_option(AsmOption::AttSyntax) {
        Syntax::Att
    } else {
        Syntax::Intel
    };
    let exp = placeholder::expand(args, bitness, raw);
    let mut errors = Vec::new();
    for (piece, template) in args.templates.iter().enumerate() {
        if let TemplatePiece::Opaque(macro_name) = &template.piece {
            errors.push(TemplateError::Opaque {
                piece,
                macro_name: macro_name.clone(),
            });
        }
    }
    for error in &exp.errors {
        errors.push(TemplateError::Format {
            piece: error.piece,
            line: error.line,
            reason: error.reason.clone(),
        });
    }
    let mut reader = Reader {
        exp: &exp,
        mode: bitness,
        syntax: initial,
        constants: HashMap::new(),
        pending: None,
        place: Place::own_code(),
        previous: None,
        section_stack: Vec::new(),
        conditions: Conditions::default(),
        statements: Vec::new(),
        errors,
    };
    for raw_statement in lexer::split_statements(&exp.text) {
        reader.statement(&raw_statement);
    }
    for open in reader.conditions.unclosed() {
        reader.errors.push(TemplateError::Unreadable {
            piece: open.piece,
            line: open.line,
            source: open.source,
            reason: "this conditional has no matching `.endif`".to_owned(),
        });
    }
    if let Some(pending) = reader.pending.take() {
        reader.errors.push(TemplateError::Unreadable {
            piece: pending.piece,
            line: pending.line,
            source: pending.source,
            reason: "a prefix must be followed by an instruction".to_owned(),
        });
    }
    // A reason quoting substituted text must not show the private markers
    // that stand for placeholders.
    for error in &mut reader.errors {
        if let TemplateError::Unreadable { reason, .. } | TemplateError::Format { reason, .. } =
            error
            && reason.chars().any(|c| lexer::marker_index(c).is_some())
        {
            *reason = reason
                .chars()
                .map(|c| match lexer::marker_index(c) {
                    Some(_) => "{…}".to_owned(),
                    None => c.to_string(),
                })
                .collect();
        }
    }
    let mut statements = reader.statements;
    let calls_bios = real_mode::infer(&mut statements, bitness);
    Lowered {
        statements,
        calls_bios,
        syntax: initial,
        placeholders: PlaceholderMap {
            operands: exp.operands.clone(),
        },
        errors: reader.errors,
    }
}

/// A section as far as the analysis cares.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Place {
    /// `None` for the block's own code.
    section: Option<String>,
    /// Whether it holds code.
    executable: bool,
}

impl Place {
    /// Where a block starts: its own code.
    fn own_code() -> Place {
        Place {
            section: None,
            executable: true,
        }
    }
}

/// The reading state that runs across statements.
struct Reader<'a> {
    exp: &'a placeholder::Expansion,
    /// The processor mode (`.code32`/`.code64` switch it; it is global to
    /// the assembler, not per section).
    mode: Bitness,
    syntax: Syntax,
    constants: HashMap<String, i128>,
    pending: Option<Pending>,
    /// The current section, the one `.previous` returns to, and what
    /// `.pushsection` saved (both, as the assembler does).
    place: Place,
    previous: Option<Place>,
    section_stack: Vec<(Place, Option<Place>)>,
    conditions: Conditions,
    statements: Vec<Statement>,
    errors: Vec<TemplateError>,
}

/// Where a statement is, captured before it takes effect.
struct Location {
    piece: usize,
    line: usize,
    bitness: Bitness,
    place: Place,
}

impl Reader<'_> {
    fn statement(&mut self, raw: &RawStatement) {
        // Loops rather than `collect`: unoptimised, the iterators cost
        // several calls per character.
        let mut chars: Vec<char> = Vec::with_capacity(raw.chars.len());
        for &(_, c) in &raw.chars {
            chars.push(c);
        }
        let head = lexer::split_head(&chars);
        let at = Location {
            piece: self.exp.piece_of_line(raw.line),
            line: raw.line,
            bitness: self.mode,
            place: self.place.clone(),
        };
        let source = match raw.chars.get(head.body_start) {
            Some(&(start, _)) => trim(self.exp.raw_slice(start..raw.end)).to_owned(),
            None => String::new(),
        };
        let labels: Vec<String> = if head.labels.is_empty() {
            Vec::new()
        } else {
            head.labels.iter().map(|l| self.label_name(l)).collect()
        };
        // The operand text. A statement without a comment inside is a
        // slice of the text: borrowed. Otherwise it is trimmed on the
        // characters before it is built (`str::trim` is costly unoptimised).
        let borrowed = raw
            .contiguous
            .then(|| {
                let from = raw.chars.get(head.operands_start).map_or(raw.end, |c| c.0);
                self.exp.text.get(from..raw.end).map(trim)
            })
            .flatten();
        let mut rest = String::new();
        if borrowed.is_none()
            && let Some(tail) = chars.get(head.operands_start..)
        {
            let mut start = 0;
            while start < tail.len() && tail[start].is_whitespace() {
                start += 1;
            }
            let mut end = tail.len();
            while end > start && tail[end - 1].is_whitespace() {
                end -= 1;
            }
            rest.reserve(end - start);
            for &c in &tail[start..end] {
                rest.push(c);
            }
        }
        let rest = borrowed.unwrap_or(rest.as_str());
        // Lower case, copied only when it is not already (most words are).
        let word: Option<Cow<'_, str>> = match head.word.as_deref() {
            Some(word) if has_upper_case(word) => Some(Cow::Owned(word.to_ascii_lowercase())),
            Some(word) => Some(Cow::Borrowed(word)),
            None => None,
        };
        let assignment = assignment(&chars[head.body_start..]);
        if let Some(word) = word.as_deref()
            && conditional::is_conditional(word)
            && assignment.is_none()
        {
            self.conditional(word, rest, &head, labels, source, &at);
            return;
        }
        match self.conditions.activity() {
            Activity::Yes => {}
            Activity::No => return,
            Activity::Unknown => {
                let harmless = labels.is_empty()
                    && head.prefixes.is_empty()
                    && word.as_deref().is_some_and(conditional::is_assertion);
                if !harmless {
                    self.pending = None;
                    let reason = self.conditions.unknown_reason();
                    self.fail(&at, labels, source, reason);
                }
                return;
            }
        }
        let result = match (&assignment, word.as_deref()) {
            (Some((name, value)), _) => self.assignment(name, value),
            (None, Some(".error" | ".err")) if head.prefixes.is_empty() => Err(format!(
                "this `.error` is assembled, so the block does not build: {}",
                if rest.is_empty() {
                    "(no message)"
                } else {
                    rest
                }
            )),
            _ => self.body(&head, word.as_deref(), rest, &source, (at.piece, at.line)),
        };
        match result {
            Ok(Some(body)) => self.push(&at, labels, source, body),
            Ok(None) => {
                if !labels.is_empty() {
                    self.push(&at, labels, source, StatementBody::Empty);
                }
            }
            Err(reason) => {
                self.pending = None;
                self.fail(&at, labels, source, reason);
            }
        }
    }

    /// Records a statement read at `at`.
    fn push(&mut self, at: &Location, labels: Vec<String>, source: String, body: StatementBody) {
        self.statements.push(Statement {
            piece: at.piece,
            line: at.line,
            source,
            labels,
            body,
            bitness: at.bitness,
            executable: at.place.executable,
            section: at.place.section.clone(),
        });
    }

    /// Records a statement we cannot read; its labels stay defined (on an
    /// empty statement) so that branches to them still resolve.
    fn fail(&mut self, at: &Location, labels: Vec<String>, source: String, reason: String) {
        if !labels.is_empty() {
            self.push(at, labels, String::new(), StatementBody::Empty);
        }
        self.errors.push(TemplateError::Unreadable {
            piece: at.piece,
            line: at.line,
            source,
            reason,
        });
    }

    /// `.if`, `.elseif`, `.else`, `.endif` and relatives.
    fn conditional(
        &mut self,
        word: &str,
        rest: &str,
        head: &lexer::Head,
        labels: Vec<String>,
        source: String,
        at: &Location,
    ) {
        let cx = Context {
            syntax: self.syntax,
            substs: &self.exp.substs,
            constants: &self.constants,
        };
        let mut defined: HashSet<String> = self.constants.keys().cloned().collect();
        defined.extend(
            self.statements
                .iter()
                .flat_map(|s| s.labels.iter().cloned()),
        );
        let outcome =
            self.conditions
                .directive(word, rest, cx, &defined, (at.piece, at.line, &source));
        if outcome.outer == Activity::No {
            return;
        }
        let error = if !head.prefixes.is_empty() || self.pending.is_some() {
            Some("a prefix cannot apply to a directive".to_owned())
        } else {
            outcome.error
        };
        match error {
            Some(reason) => {
                self.pending = None;
                self.fail(at, labels, source, reason);
            }
            None => {
                let body = StatementBody::Directive(ast::DirectiveAst {
                    name: word.to_owned(),
                    args: rest.to_owned(),
                    kind: DirectiveKind::Annotation,
                });
                self.push(at, labels, source, body);
            }
        }
    }

    /// `name = value`: GNU's spelling of `.set name, value`.
    fn assignment(&mut self, name: &str, value: &str) -> Result<Option<StatementBody>, String> {
        if self.pending.is_some() {
            return Err("a prefix cannot apply to a directive".to_owned());
        }
        let cx = Context {
            syntax: self.syntax,
            substs: &self.exp.substs,
            constants: &self.constants,
        };
        let directive = ast::DirectiveAst {
            name: "=".to_owned(),
            args: format!("{name} = {}", value.trim()),
            kind: directive::constant_definition(name, value, cx)?,
        };
        self.define(&directive)?;
        Ok(Some(StatementBody::Directive(directive)))
    }

    /// A label with its placeholders replaced by what they stand for.
    fn label_name(&self, label: &str) -> String {
        let mut name = String::new();
        for c in label.chars() {
            match lexer::marker_index(c).and_then(|i| self.exp.substs.get(i)) {
                Some(subst) => match &subst.kind {
                    placeholder::SubstKind::Symbol(symbol) => name.push_str(symbol),
                    placeholder::SubstKind::Reg(reg) => name.push_str(reg),
                    placeholder::SubstKind::Const(Some(value)) => name.push_str(&value.to_string()),
                    placeholder::SubstKind::Const(None) => {
                        name.push_str(&format!("{{const{}}}", subst.operand));
                    }
                },
                None => name.push(c),
            }
        }
        name
    }

    /// The body of a statement; `Ok(None)` for labels alone or a lone prefix.
    /// `lower` is `head.word` in lower case (the caller has it already).
    fn body(
        &mut self,
        head: &lexer::Head,
        lower: Option<&str>,
        rest: &str,
        source: &str,
        (piece, line): (usize, usize),
    ) -> Result<Option<StatementBody>, String> {
        let (Some(word), Some(lower)) = (&head.word, lower) else {
            if !rest.is_empty() {
                // What the user wrote, not the substituted text (which holds
                // private placeholder markers).
                let shown: String = source.chars().take(24).collect();
                return Err(format!(
                    "expected an instruction or a directive, found `{shown}`"
                ));
            }
            if !head.prefixes.is_empty() {
                let pending = self.pending.get_or_insert(Pending {
                    prefixes: Vec::new(),
                    piece,
                    line,
                    source: source.to_owned(),
                });
                pending.prefixes.extend(head.prefixes.iter().copied());
            }
            return Ok(None);
        };
        let cx = Context {
            syntax: self.syntax,
            substs: &self.exp.substs,
            constants: &self.constants,
        };
        if word.starts_with('.') {
            if !head.prefixes.is_empty() || self.pending.is_some() {
                return Err("a prefix cannot apply to a directive".to_owned());
            }
            let directive = directive::directive(word, rest, cx)?;
            self.define(&directive)?;
            return Ok(Some(StatementBody::Directive(directive)));
        }
        let operands = self.operands(rest, cx)?;
        let mut prefixes = self.pending.take().map(|p| p.prefixes).unwrap_or_default();
        prefixes.extend(head.prefixes.iter().copied());
        Ok(Some(StatementBody::Instruction(InstructionAst {
            syntax: self.syntax,
            prefixes,
            mnemonic: lower.to_owned(),
            operands,
        })))
    }

    /// Records what a directive defines or switches.
    fn define(&mut self, directive: &ast::DirectiveAst) -> Result<(), String> {
        match &directive.kind {
            DirectiveKind::Constant {
                name,
                value: Some(value),
            } => {
                self.constants.insert(name.clone(), *value);
            }
            DirectiveKind::Constant { name, value: None } => {
                self.constants.remove(name);
            }
            DirectiveKind::SyntaxSwitch(syntax) => self.syntax = *syntax,
            DirectiveKind::CodeMode(mode) => self.mode = *mode,
            DirectiveKind::Section(change) => self.switch_section(change, directive)?,
            _ => {}
        }
        Ok(())
    }

    /// Follows a section change as the assembler does.
    fn switch_section(
        &mut self,
        change: &SectionChange,
        directive: &ast::DirectiveAst,
    ) -> Result<(), String> {
        let target = |name: &String| Place {
            section: Some(name.clone()),
            executable: directive::section_executable(&directive.name, &directive.args),
        };
        match change {
            SectionChange::Switch(name) => {
                let next = target(name);
                self.previous = Some(std::mem::replace(&mut self.place, next));
            }
            SectionChange::Push(name) => {
                self.section_stack
                    .push((self.place.clone(), self.previous.clone()));
                let next = target(name);
                self.previous = Some(std::mem::replace(&mut self.place, next));
            }
            SectionChange::Pop => {
                let (place, previous) = self
                    .section_stack
                    .pop()
                    .ok_or("`.popsection` without a matching `.pushsection`")?;
                self.place = place;
                self.previous = previous;
            }
            SectionChange::Previous => {
                if let Some(previous) = self.previous.take() {
                    self.previous = Some(std::mem::replace(&mut self.place, previous));
                }
            }
        }
        Ok(())
    }

    /// The operands in Intel order.
    fn operands(&self, text: &str, cx: Context<'_>) -> Result<Vec<OperandAst>, String> {
        let toks: Vec<Tok> = lexer::tokenize(text)?;
        let parts = if toks.is_empty() {
            Vec::new()
        } else {
            intel::split_commas(&toks)?
        };
        let mut operands = Vec::new();
        let mut roundings = Vec::new();
        for part in parts {
            let parsed = match self.syntax {
                Syntax::Intel => intel::operand(part, cx)?,
                Syntax::Att => att::operand(part, cx)?,
            };
            match parsed {
                Parsed::Operand(operand) => operands.push(operand),
                Parsed::Rounding(decorators) => roundings.push((operands.len(), decorators)),
            }
        }
        if self.syntax == Syntax::Att {
            operands.reverse();
        }
        let count = operands.len();
        for (position, decorators) in roundings {
            // Attach `{rn-sae}`/`{sae}` to the operand before it in Intel order.
            let before = match self.syntax {
                Syntax::Intel => position,
                Syntax::Att => count - position,
            };
            let target = before.saturating_sub(1);
            let slot = match operands.get_mut(target) {
                Some(OperandAst::Reg(reg)) => &mut reg.decorators,
                Some(OperandAst::Mem(mem)) => &mut mem.decorators,
                _ => {
                    return Err(
                        "a rounding decorator needs a register or memory operand".to_owned()
                    );
                }
            };
            slot.rounding = slot.rounding.take().or(decorators.rounding);
            slot.sae |= decorators.sae;
        }
        Ok(operands)
    }
}

/// `name = value` (GNU assembly's assignment statement, `.set` by another
/// spelling): the name and the value text. The name may be any symbol,
/// even one spelled like a prefix or a mnemonic (`rep = 1`), which is why
/// this looks at the text rather than at the parsed head.
fn assignment(chars: &[char]) -> Option<(String, String)> {
    // Most statements have no `=`: do not build the text for them (a loop:
    // `contains` costs a call per character unoptimised).
    let mut i = 0;
    while i < chars.len() && chars[i] != '=' {
        i += 1;
    }
    if i == chars.len() {
        return None;
    }
    let text: String = chars.iter().collect();
    let (name, value) = text.split_once('=')?;
    let name = name.trim();
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$' | '@'));
    (valid && !value.starts_with('=')).then(|| (name.to_owned(), value.to_owned()))
}

/// Whether `word` has an ASCII upper-case letter (a byte loop: `any` with
/// a closure costs calls per byte, unoptimised).
fn has_upper_case(word: &str) -> bool {
    let bytes = word.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at].is_ascii_uppercase() {
            return true;
        }
        at += 1;
    }
    false
}

/// `text.trim()`, looking at bytes while the ends are ASCII (`str::trim`
/// decodes characters through several calls each, unoptimised). A
/// non-ASCII byte at either end hands the text to `str::trim`, which knows
/// Unicode's white space.
fn trim(text: &str) -> &str {
    // The ASCII characters `char::is_whitespace` accepts.
    fn space(byte: u8) -> bool {
        matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
    }
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() && space(bytes[start]) {
        start += 1;
    }
    let mut end = bytes.len();
    while end > start && space(bytes[end - 1]) {
        end -= 1;
    }
    let ascii_ends = |i: usize| bytes.get(i).is_none_or(u8::is_ascii);
    if !ascii_ends(start) || (end > start && !ascii_ends(end - 1)) {
        return text.trim();
    }
    // Both ends are next to ASCII bytes (or the ends of the text).
    &text[start..end]
}

/// The template as the assembler sees it once rustc has substituted the
/// placeholders, one `(line, text)` per statement with comments removed:
/// register placeholders are their representative registers (with `%` in
/// AT&T), known constants their value, unknown ones `0`, symbols their
/// names made assembler-safe. This is what the LLVM oracle assembles.
pub fn substituted_statements(args: &AsmArgs, bitness: Bitness) -> Vec<(usize, String)> {
    let raw = args.has_option(AsmOption::Raw);
    let att = args.has_option(AsmOption::AttSyntax);
    let exp = placeholder::expand(args, bitness, raw);
    lexer::split_statements(&exp.text)
        .into_iter()
        .map(|statement| {
            let mut text = String::new();
            for &(_, c) in &statement.chars {
                match lexer::marker_index(c).and_then(|i| exp.substs.get(i)) {
                    Some(subst) => text.push_str(&placeholder::render(subst, att)),
                    None => text.push(c),
                }
            }
            (statement.line, text)
        })
        .collect()
}
