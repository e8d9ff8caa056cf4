//! Stage 5: the rules. Each one reads our model of the block (the parsed
//! arguments, the reading of its template and its control flow), never raw
//! tokens or iced, and reports what the declared contract over-promises.
//!
//! Two rules belong to the front-end: they say when a block could not be
//! read (`opaque_template`, `unsupported_instruction`), so that no block is
//! ever passed as checked when we did not understand it. The others run only
//! on blocks read completely, and only over instructions that can run.

mod call_without_clobber_abi;
mod fallthrough_in_noreturn;
mod flags_modified_in_preserves_flags;
mod input_overwritten;
mod lateout_written_early;
mod memory_access_in_nomem;
mod memory_effect_in_nomem;
mod memory_write_in_readonly;
mod opaque_template;
mod output_never_written;
mod output_read_before_write;
mod reserved_register_modified;
mod scratch_may_alias_operand;
mod side_effect_in_pure;
mod stack_use_in_nostack;
mod undeclared_register_read;
mod undeclared_register_write;
mod unsupported_instruction;

use proc_macro2::TokenStream;
use quote::ToTokens;

use crate::dataflow::{Cfg, Declared, RegisterStates};
use crate::diagnostics::{Finding, Severity, SpanRange};
use crate::parse::{AsmArgs, AsmOption, MacroKind, OptionWord};
use crate::reading::{ReadStatement, Reading};
use crate::semantics::{Facts, Flow, MemAccess, MemUse, SideEffects};
use crate::template::ast::{OperandAst, StatementBody};

/// What a rule sees.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    /// Which macro the block belongs to.
    pub kind: MacroKind,
    /// The parsed arguments.
    pub args: &'a AsmArgs,
    /// The template, read for one target architecture.
    pub reading: &'a Reading,
    /// Its control flow.
    pub cfg: &'a Cfg,
    /// What the operand list declares, by register family.
    pub declared: &'a Declared,
    /// Register states along every path.
    pub states: &'a RegisterStates,
    /// The states in which the block returns to Rust (see [`Cx::exits`]).
    pub exit_states: &'a [(usize, &'a crate::dataflow::State)],
}

/// One instruction that can run, with its statement.
#[derive(Clone, Copy)]
pub struct Step<'a> {
    /// The statement it belongs to.
    pub read: &'a ReadStatement,
    /// What it does.
    pub facts: &'a Facts,
    /// Its index in the control-flow graph.
    pub node: usize,
}

impl Step<'_> {
    /// `` `mov qword ptr [{p}], {v}` (line 2) ``: how messages quote it.
    pub fn quoted(&self) -> String {
        let source = &self.read.statement.source;
        let text = if source.is_empty() {
            self.facts.mnemonic
        } else {
            source.as_str()
        };
        format!("`{text}` (line {})", self.read.statement.line)
    }
}

impl<'a> Cx<'a> {
    /// Every instruction that can run, in template order.
    pub fn steps(&self) -> impl Iterator<Item = Step<'a>> + '_ {
        let reading = self.reading;
        self.cfg
            .nodes
            .iter()
            .enumerate()
            .filter(|(index, _)| self.cfg.reachable[*index])
            .map(move |(index, node)| {
                let read = &reading.statements[node.statement];
                Step {
                    read,
                    facts: &read.instructions[node.instruction],
                    node: index,
                }
            })
    }

    /// The word that declares `option`, if the block declares it.
    pub fn option_word(&self, option: AsmOption) -> Option<(&'a OptionWord, Vec<TokenStream>)> {
        self.args.options.iter().find_map(|group| {
            let word = group.words.iter().find(|word| word.option == option)?;
            let gates = group.attrs.iter().map(ToTokens::to_token_stream).collect();
            Some((word, gates))
        })
    }
}

/// One rule: its name (what users write in `allow(..)`), a one-line
/// summary for the docs, and its check.
#[derive(Clone, Copy)]
pub struct Rule {
    /// The rule's name, as users write it in `allow(..)`.
    pub name: &'static str,
    /// One line for the rule table in the docs.
    pub summary: &'static str,
    /// Whether the rule needs a completely read template.
    pub needs_full_reading: bool,
    /// Pushes findings about `cx`.
    pub check: fn(&Cx<'_>, &mut Vec<Finding>),
}

/// Every rule, alphabetically.
pub static RULES: &[&Rule] = &[
    &call_without_clobber_abi::RULE,
    &fallthrough_in_noreturn::RULE,
    &flags_modified_in_preserves_flags::RULE,
    &input_overwritten::RULE,
    &lateout_written_early::RULE,
    &memory_access_in_nomem::RULE,
    &memory_effect_in_nomem::RULE,
    &memory_write_in_readonly::RULE,
    &opaque_template::RULE,
    &output_never_written::RULE,
    &output_read_before_write::RULE,
    &reserved_register_modified::RULE,
    &scratch_may_alias_operand::RULE,
    &side_effect_in_pure::RULE,
    &stack_use_in_nostack::RULE,
    &undeclared_register_read::RULE,
    &undeclared_register_write::RULE,
    &unsupported_instruction::RULE,
];

/// The rule called `name`.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.name == name)
}

/// The states in which a block returns to Rust: at its end (unless it is
/// `noreturn`) and at jumps to `label` operands. Computed once per block.
pub fn exit_states<'a>(
    args: &AsmArgs,
    cfg: &'a Cfg,
    states: &'a RegisterStates,
) -> Vec<(usize, &'a crate::dataflow::State)> {
    let noreturn = args.has_option(AsmOption::Noreturn);
    states
        .exits(cfg)
        .filter(|(node, _)| !noreturn || cfg.exits[*node].contains(&crate::dataflow::Exit::Label))
        .collect()
}

/// Runs every rule that applies.
pub fn check_all(cx: &Cx<'_>) -> Vec<Finding> {
    let complete = cx.reading.problems.is_empty();
    let mut findings = Vec::new();
    for rule in RULES {
        if complete || !rule.needs_full_reading {
            (rule.check)(cx, &mut findings);
        }
    }
    findings
}

/// The finding an option rule reports: spanned at the option word, quoting
/// the first offending instruction and listing the others in a note.
pub(crate) fn option_finding(
    cx: &Cx<'_>,
    rule: &'static Rule,
    option: AsmOption,
    offenders: &[(Step<'_>, String)],
    promise: &str,
    help: &str,
) -> Option<Finding> {
    // (No offender, the usual case: nothing to look up.)
    let ((first, what), others) = offenders.split_first()?;
    let (word, gates) = cx.option_word(option)?;
    let mut notes = Vec::new();
    if !others.is_empty() {
        let listed: Vec<String> = others
            .iter()
            .map(|(step, what)| format!("{} {what}", step.quoted()))
            .collect();
        notes.push(format!("also: {}", listed.join("; ")));
    }
    Some(Finding {
        rule: rule.name,
        severity: Severity::Error,
        span: SpanRange::single(word.ident.span()),
        message: format!(
            "`options({})` promises {promise}, but {} {what}",
            word.ident,
            first.quoted()
        ),
        notes,
        help: Some(help.to_owned()),
        statement: Some(first.read.statement.source.clone()),
        gates,
    })
}

/// What a side-effect class does, as the end of a sentence that starts with
/// the instruction: "`rdtsc` (line 1) reads a non-deterministic value".
pub(crate) fn effect_phrases(effects: SideEffects) -> Vec<&'static str> {
    const PHRASES: &[(SideEffects, &str)] = &[
        (
            SideEffects::MEMORY_FENCE,
            "orders memory accesses (a fence or a locked access)",
        ),
        (SideEffects::PORT_IO, "performs port I/O"),
        (SideEffects::SYSCALL, "enters the kernel"),
        (SideEffects::HYPERCALL, "enters the hypervisor"),
        (
            SideEffects::CONTROL_REGISTER_WRITE,
            "writes a control register",
        ),
        (
            SideEffects::CONTROL_REGISTER_READ,
            "reads a control register",
        ),
        (SideEffects::DEBUG_REGISTER, "accesses a debug register"),
        (SideEffects::MSR_READ, "reads a model-specific register"),
        (SideEffects::MSR_WRITE, "writes a model-specific register"),
        (SideEffects::SEGMENT_WRITE, "loads a segment register"),
        (SideEffects::SEGMENT_BASE_WRITE, "changes the fs/gs base"),
        (SideEffects::SEGMENT_BASE_READ, "reads the fs/gs base"),
        (
            SideEffects::DESCRIPTOR_LOAD,
            "loads a descriptor table register",
        ),
        (
            SideEffects::DESCRIPTOR_STORE,
            "stores a descriptor table register",
        ),
        (
            SideEffects::CACHE_MAINTENANCE,
            "invalidates or flushes TLB or cache entries",
        ),
        (SideEffects::INTERRUPT_FLAG, "changes the interrupt flag"),
        (
            SideEffects::NONDETERMINISTIC,
            "reads a value that changes from run to run",
        ),
        (
            SideEffects::FPU_CONTROL,
            "changes the floating-point control state",
        ),
        (
            SideEffects::FLAGS_READ,
            "reads the flags, which are not among its inputs",
        ),
        (SideEffects::HALT, "halts the processor"),
        (SideEffects::TRAP, "traps"),
        (SideEffects::SERIALIZING, "serialises the processor"),
        (SideEffects::PRIVILEGED, "is a privileged instruction"),
    ];
    PHRASES
        .iter()
        .filter(|(class, _)| effects.intersects(*class))
        .map(|(_, phrase)| *phrase)
        .collect()
}

/// Whether the step is a `call` (its callee may do anything). iced also
/// gives `vmlaunch` and friends call-like flow; they push nothing.
pub(crate) fn is_call(step: &Step<'_>) -> bool {
    matches!(step.facts.flow, Flow::Call | Flow::IndirectCall)
        && step.facts.mnemonic.starts_with("call")
}

/// Memory accesses of a step that are the block's own stack: pushes and pops
/// and `rsp`-relative accesses once the block has moved the stack pointer
/// down. Such memory is private to the block (r[asm.options.supported-options.nomem]
/// speaks of memory "accessible outside of the asm! block").
pub(crate) fn shared_memory<'s>(cx: &Cx<'_>, step: &Step<'s>) -> Vec<&'s MemUse> {
    let below_entry = cx.stack_moved_down_before(step.node);
    // Memory no Rust code can reach: the shadow stack (`wrssq`), and the
    // GOT, read-only once the loader filled it (`sym@GOTPCREL(%rip)` is how
    // PIC code takes an address).
    if matches!(step.facts.mnemonic, "wrssd" | "wrssq" | "wrussd" | "wrussq") {
        return Vec::new();
    }
    let got_operand = |access: &MemUse| {
        let StatementBody::Instruction(instruction) = &step.read.statement.body else {
            return false;
        };
        access.rip_relative
            && access.access == MemAccess::Read
            && access
                .operand
                .and_then(|i| instruction.operands.get(i))
                .is_some_and(|operand| {
                    matches!(operand, OperandAst::Mem(memory)
                    if memory.symbol.as_deref().is_some_and(|s| s.contains("@GOT")))
                })
    };
    step.facts
        .memory
        .iter()
        .filter(|access| !(access.stack && (!access.explicit || below_entry)))
        .filter(|access| !got_operand(access))
        .collect()
}

impl Cx<'_> {
    /// Whether, when node `node` runs, the block has pushed or allocated
    /// stack space on some path (so `[rsp + k]` may be its own memory), or
    /// moved the stack pointer in a way we cannot follow.
    pub fn stack_moved_down_before(&self, node: usize) -> bool {
        self.states.before[node]
            .as_ref()
            .is_some_and(|state| state.stack_offset.is_none_or(|offset| offset < 0))
    }
}

/// "reads memory" / "writes memory" / "reads and writes memory".
pub(crate) fn access_phrase(accesses: &[&MemUse]) -> &'static str {
    let reads = accesses.iter().any(|a| a.access.reads());
    let writes = accesses.iter().any(|a| a.access.writes());
    match (reads, writes) {
        (true, true) => "reads and writes memory",
        (false, true) => "writes memory",
        _ => "reads memory",
    }
}

impl<'a> Cx<'a> {
    /// The step of a graph node.
    pub fn step(&self, node: usize) -> Step<'a> {
        let n = self.cfg.nodes[node];
        let read = &self.reading.statements[n.statement];
        Step {
            read,
            facts: &read.instructions[n.instruction],
            node,
        }
    }

    /// Whether the block promises never to fall through (its end is then
    /// not an exit the register contract applies to).
    pub fn is_noreturn(&self) -> bool {
        self.args.has_option(AsmOption::Noreturn)
    }

    /// The states in which the block returns to Rust: at its end (unless
    /// `noreturn`) and at jumps to `label` operands.
    pub fn exits(&self) -> &'a [(usize, &'a crate::dataflow::State)] {
        self.exit_states
    }

    /// Whether `family` can hold something other than its entry value when
    /// the block returns to Rust; if so, the first instruction writing it.
    pub fn changed_at_exit(&self, family: usize) -> Option<usize> {
        let changed = self
            .exits()
            .iter()
            .any(|(_, state)| state.may_written[family] && !state.holds_entry(family));
        if changed {
            self.first_writer(family)
        } else {
            None
        }
    }

    /// The first reachable node, in template order, that writes `family`.
    pub fn first_writer(&self, family: usize) -> Option<usize> {
        (0..self.cfg.nodes.len()).find(|&node| {
            self.states.before[node].is_some() && self.states.writes[node].contains(&family)
        })
    }

    /// Which nodes can still return to Rust (reach the end of the template
    /// or a jump to a `label` operand).
    pub fn returns_to_rust(&self) -> Vec<bool> {
        self.can_reach(|cx, node| {
            cx.cfg.exits[node].iter().any(|exit| {
                matches!(
                    exit,
                    crate::dataflow::Exit::End | crate::dataflow::Exit::Label
                )
            })
        })
    }

    /// Which nodes can reach (or are) a node for which `target` holds.
    pub fn can_reach(&self, target: impl Fn(&Cx<'_>, usize) -> bool) -> Vec<bool> {
        let n = self.cfg.nodes.len();
        let mut reaches: Vec<bool> = (0..n).map(|node| target(self, node)).collect();
        let mut changed = true;
        while changed {
            changed = false;
            for node in 0..n {
                if !reaches[node] && self.cfg.successors[node].iter().any(|&s| reaches[s]) {
                    reaches[node] = true;
                    changed = true;
                }
            }
        }
        reaches
    }

    /// Nodes reachable from `node`'s successors (not `node` itself unless a
    /// loop leads back to it).
    pub fn reachable_after(&self, node: usize) -> Vec<bool> {
        let mut seen = vec![false; self.cfg.nodes.len()];
        let mut work: Vec<usize> = self.cfg.successors[node].clone();
        while let Some(next) = work.pop() {
            if !std::mem::replace(&mut seen[next], true) {
                work.extend(self.cfg.successors[next].iter().copied());
            }
        }
        seen
    }

    /// How an operand reads in messages: its source text, as written.
    pub fn operand_text(&self, index: usize) -> String {
        let Some(operand) = self.args.operands.get(index) else {
            return format!("operand {index}");
        };
        operand.text()
    }

    /// A finding about an operand, spanned at the whole operand.
    pub fn operand_finding(
        &self,
        rule: &'static Rule,
        index: usize,
        message: String,
        notes: Vec<String>,
        help: String,
    ) -> Finding {
        let operand = &self.args.operands[index];
        Finding {
            rule: rule.name,
            severity: Severity::Error,
            span: operand.span,
            message,
            notes,
            help: Some(help),
            statement: None,
            gates: operand
                .attrs
                .iter()
                .map(ToTokens::to_token_stream)
                .collect(),
        }
    }

    /// A finding about an instruction, spanned at its template piece.
    pub fn piece_finding(
        &self,
        rule: &'static Rule,
        step: &Step<'_>,
        message: String,
        notes: Vec<String>,
        help: String,
    ) -> Finding {
        let piece = step.read.statement.piece;
        let template = &self.args.templates[piece.min(self.args.templates.len() - 1)];
        Finding {
            rule: rule.name,
            severity: Severity::Error,
            span: template.span,
            message,
            notes,
            help: Some(help),
            statement: Some(step.read.statement.source.clone()),
            gates: template
                .attrs
                .iter()
                .map(ToTokens::to_token_stream)
                .collect(),
        }
    }

    /// How a family is spelled where `step` uses it (`xmm3` rather than
    /// `zmm3`, `eax` in 32-bit code).
    pub fn spelling(&self, step: &Step<'_>, family: usize) -> String {
        let name = &self.states.families[family];
        step.facts
            .registers_written
            .iter()
            .chain(&step.facts.registers_read)
            .map(|used| used.reg.name)
            .find(|spelled| crate::dataflow::canonical(spelled) == *name)
            .map(|spelled| match spelled {
                // Declarations name the register, not a byte of it.
                "al" | "ah" | "ax" | "eax" => "rax".to_owned(),
                other => other.to_owned(),
            })
            .unwrap_or_else(|| name.clone())
    }
}

/// `a`, `a and b`, `a, b and c`, or the first few and a count.
pub(crate) fn list(items: &[String]) -> String {
    // Only the items shown are quoted (a call's list has some eighty).
    let shown = if items.len() <= 5 { items.len() } else { 4 };
    let quoted: Vec<String> = items[..shown]
        .iter()
        .map(|item| format!("`{item}`"))
        .collect();
    match items.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n if n <= 5 => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
        n => format!("{} and {} more", quoted.join(", "), n - 4),
    }
}
