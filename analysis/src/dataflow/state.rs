//! Per-path register states over the control-flow graph.
//!
//! Every register family holds either the value it had on entry (its own or,
//! after a save, another family's) or something the block computed. Moves,
//! exchanges, pushes and pops of whole registers carry values around, which
//! is how `push rbx` … `pop rbx` and `mov {t}, rbx` … `xchg {t}, rbx` are
//! recognised as restores. Anything else an instruction writes becomes
//! "computed". States meet at joins: a register holds a known value only if
//! every path agrees. Alongside, for each family, whether it has been
//! written on every path (`must`) or on some path (`may`) so far, and the
//! stack pointer's offset from its entry value.

use std::borrow::Cow;

use super::bits::Bits;
use super::cfg::{Cfg, Exit};
use crate::reading::Reading;
use crate::semantics::{Facts, Flow, SideEffects};
use crate::template::ast::{Bitness, MemoryAst, OperandAst, StatementBody, Target};
use crate::template::registers::{GprWidth, family, family_cow, gpr_parts};

/// What a register (or stack slot) holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// The entry value of the family with this id.
    Entry(usize),
    /// The entry value of the family with this id above the low `bits`
    /// bits, which the block changed (`mov bx, 0` leaves the upper half of
    /// `ebx` alone).
    Low(usize, u16),
    /// The entry stack pointer plus this many bytes (`mov rbp, rsp`).
    StackPointer(i64),
    /// The family with this id with its upper bits as on entry and its low
    /// 16 bits holding those of the entry stack pointer plus this many
    /// bytes: real mode's frame (`mov bp, sp`).
    LowStackPointer(usize, i64),
    /// The low `bits` bits of the entry value of the family with this id,
    /// the rest unknown: a 16-bit save (`mov {t:x}, si`).
    Slice(usize, u16),
    /// The family `own` with its upper bits as on entry and its low `bits`
    /// bits holding those of `low`'s entry value (`mov si, {x:x}`).
    Mixed {
        /// The family whose register this is.
        own: usize,
        /// The family whose entry value the low bits hold.
        low: usize,
        /// How many low bits.
        bits: u16,
    },
    /// Something the block computed (or different things on different paths).
    Computed,
}

impl Value {
    /// After a write of `bits` low bits (`partial`) or of the whole register.
    fn written(self, partial: Option<u16>) -> Value {
        match (self, partial) {
            (Value::Entry(id), Some(bits)) => Value::Low(id, bits),
            (Value::Low(id, old), Some(bits)) => Value::Low(id, old.max(bits)),
            (Value::Mixed { own, bits: old, .. }, Some(bits)) => Value::Low(own, old.max(bits)),
            (Value::LowStackPointer(own, _), Some(bits)) => Value::Low(own, bits.max(16)),
            _ => Value::Computed,
        }
    }
}

/// The state at one program point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// Per family id.
    pub values: Vec<Value>,
    /// Families written on every path from the entry.
    pub must_written: Bits,
    /// Families written on some path from the entry.
    pub may_written: Bits,
    /// Values pushed by the block, top last; `None` when unknown.
    pub stack: Option<Vec<Value>>,
    /// Stack pointer minus its entry value, in bytes; `None` when unknown.
    pub stack_offset: Option<i64>,
    /// Memory cells the block saved registers in (`xchg [rax + 8], rbx`),
    /// by address as written; dropped when a register of the address changes.
    pub cells: Vec<(String, Value)>,
}

impl State {
    fn entry(families: usize) -> State {
        State {
            values: (0..families).map(Value::Entry).collect(),
            must_written: Bits::default(),
            may_written: Bits::default(),
            stack: Some(Vec::new()),
            stack_offset: Some(0),
            cells: Vec::new(),
        }
    }

    /// Meets `other` into `self`; whether anything changed.
    fn join(&mut self, other: &State) -> bool {
        let mut changed = false;
        for (mine, theirs) in self.values.iter_mut().zip(&other.values) {
            if mine != theirs && *mine != Value::Computed {
                *mine = Value::Computed;
                changed = true;
            }
        }
        changed |= self.must_written.intersect(&other.must_written);
        changed |= self.may_written.unite(&other.may_written);
        match (&mut self.stack, &other.stack) {
            (Some(mine), Some(theirs)) if mine.len() == theirs.len() => {
                for (a, b) in mine.iter_mut().zip(theirs) {
                    if a != b && *a != Value::Computed {
                        *a = Value::Computed;
                        changed = true;
                    }
                }
            }
            (None, _) => {}
            _ => {
                self.stack = None;
                changed = true;
            }
        }
        if self.stack_offset.is_some() && self.stack_offset != other.stack_offset {
            self.stack_offset = None;
            changed = true;
        }
        let cells = self.cells.len();
        self.cells.retain(|cell| other.cells.contains(cell));
        changed || self.cells.len() != cells
    }

    /// Whether the family holds its entry value.
    pub fn holds_entry(&self, id: usize) -> bool {
        self.values[id] == Value::Entry(id)
    }
}

/// One read of a register by an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Read {
    /// The node that reads.
    pub node: usize,
    /// The family read.
    pub family: usize,
    /// Whether the instruction only copies the value somewhere (a save:
    /// `push rcx`, `mov {t}, rbx`, `xchg`), rather than using it.
    pub copy: bool,
}

/// The result: states before and after every node, and the reads.
#[derive(Clone, Debug)]
pub struct RegisterStates {
    /// Family names by id (canonical: `rax`, `zmm3`, `k1`, `st(0)`).
    pub families: Vec<String>,
    /// Family ids by name. (A handful of names per block: a scan of short
    /// strings beats hashing them in the unoptimised build a proc macro is.)
    pub ids: Families,
    /// State before each node (`None`: unreachable).
    pub before: Vec<Option<State>>,
    /// State after each node.
    pub after: Vec<Option<State>>,
    /// Every register read, in node order.
    pub reads: Vec<Read>,
    /// Families each node writes.
    pub writes: Vec<Vec<usize>>,
}

impl RegisterStates {
    /// The id of a family, if any instruction or operand names it.
    pub fn id(&self, name: &str) -> Option<usize> {
        self.ids.get(name)
    }

    /// The nodes that leave the block back to Rust (fall off the end, or
    /// jump to a `label` operand), with the state they leave in.
    pub fn exits<'a>(&'a self, cfg: &'a Cfg) -> impl Iterator<Item = (usize, &'a State)> + 'a {
        (0..cfg.nodes.len()).filter_map(move |node| {
            let leaves = cfg.exits[node]
                .iter()
                .any(|exit| matches!(exit, Exit::End | Exit::Label));
            match (&self.after[node], leaves) {
                (Some(state), true) => Some((node, state)),
                _ => None,
            }
        })
    }
}

/// Canonical family of a register name (32-bit names become their 64-bit
/// family so that both modes share one vocabulary).
pub fn canonical(name: &str) -> String {
    family(name).unwrap_or_else(|| name.to_owned())
}

/// [`canonical`] without allocating for the usual registers (general and
/// vector families are static names): the per-operand work below asks it
/// for every register of every instruction.
fn canonical_cow(name: &str) -> Cow<'_, str> {
    family_cow(name).unwrap_or(Cow::Borrowed(name))
}

/// Families that do not belong to the operand story: the instruction
/// pointer, segment, control and debug registers, and the flags.
fn is_tracked(name: &str) -> bool {
    !(name == "rip"
        || matches!(name, "es" | "cs" | "ss" | "ds" | "fs" | "gs")
        || name.starts_with("cr")
        || name.starts_with("dr")
        || name.starts_with("tr")
        || name.starts_with("bnd"))
}

/// Whether an instruction's register reads are a save of state rather than
/// a use of values (`vzeroupper` keeps the low halves; `xsave` stores
/// everything; a `push` or `mov` of a whole register copies it).
fn saves_state(mnemonic: &str) -> bool {
    mnemonic.starts_with("xsave")
        || mnemonic.starts_with("fxsave")
        || matches!(mnemonic, "vzeroupper" | "vzeroall" | "fnsave" | "fsave")
}

/// The family and width of a general register operand.
fn gpr_operand(operand: &OperandAst) -> Option<(&'static str, GprWidth)> {
    match operand {
        OperandAst::Reg(reg) => gpr_parts(&reg.name),
        _ => None,
    }
}

/// The shape of an instruction's first two operands: one look at each
/// (unoptimised, asking `gpr_operand` once per use was a visible cost).
fn shape_of(operands: &[OperandAst], bitness: Bitness, ids: &Families) -> Shape {
    let whole = match bitness {
        Bitness::Bits64 => GprWidth::Q,
        Bitness::Bits32 | Bitness::Bits16 => GprWidth::D,
    };
    let mut shape = Shape::default();
    for (i, operand) in operands.iter().take(2).enumerate() {
        if let OperandAst::Mem(memory) = operand {
            shape.address[i] = [&memory.base, &memory.index]
                .into_iter()
                .flatten()
                .map(|reg| match &*canonical_cow(&reg.name) {
                    "rsp" => Some(Address::StackPointer),
                    name => ids.get(name).map(Address::Family),
                })
                .collect::<Option<Vec<_>>>();
            continue;
        }
        let Some((family, width)) = gpr_operand(operand) else {
            continue;
        };
        let Some(id) = ids.get(family) else {
            continue;
        };
        // The whole register of the mode (`rax`, or `eax` in 32-bit code).
        if width == whole {
            shape.whole[i] = Some(id);
        }
        // Low parts (not `ah`); 16-bit ones other than `sp` are also the
        // words BIOS-style code pushes and pops.
        match width {
            GprWidth::W => {
                if family != "rsp" {
                    shape.word[i] = Some(id);
                }
                shape.narrow[i] = Some((id, 16));
            }
            GprWidth::L => shape.narrow[i] = Some((id, 8)),
            _ => {}
        }
    }
    shape
}

/// How many low bits of its family a register use covers, when it does not
/// replace the whole family: 8- and 16-bit writes merge into the old value
/// (a 32-bit write zero-extends, and iced reports it at full width), and so
/// do legacy SSE writes to the low 128 bits of a vector register.
fn partial_bits(name: &str, width: u16, offset: u16, bitness: Bitness) -> Option<u16> {
    let full = if gpr_parts(name).is_some() {
        match bitness {
            Bitness::Bits64 => 64,
            Bitness::Bits32 | Bitness::Bits16 => 32,
        }
    } else if canonical_cow(name).starts_with("zmm") {
        512
    } else {
        return None;
    };
    (width + offset < full).then_some(width + offset)
}

/// Whether control goes to other code that comes back: a call, a system
/// call, a hypercall. That code's register effects are a convention between
/// the two sides, not something the instruction says; it is assumed to set
/// every declared output, and system calls and hypercalls return a value in
/// `rax`.
fn hands_off(facts: &Facts) -> bool {
    matches!(
        facts.flow,
        Flow::Call | Flow::IndirectCall | Flow::SyscallLike
    ) || facts.side_effects.intersects(SideEffects(
        SideEffects::SYSCALL.0 | SideEffects::HYPERCALL.0,
    ))
}

/// Whether `transfer` models what an instruction does with its operands
/// (a `mov` copies, a `push` saves, …) rather than only which registers
/// it writes: the mnemonics its `match` names, and no others.
fn has_modelled_operands(mnemonic: &str) -> bool {
    matches!(
        mnemonic,
        "mov"
            | "xchg"
            | "push"
            | "pop"
            | "and"
            | "add"
            | "sub"
            | "or"
            | "xor"
            | "shl"
            | "shr"
            | "sar"
            | "rol"
            | "ror"
    )
}

/// A register of a memory operand's address.
#[derive(Clone, Copy)]
enum Address {
    /// `rsp`/`esp`, followed through the stack offset.
    StackPointer,
    /// Another register, by family id.
    Family(usize),
}

/// A node's operands as register families, found once per analysis for
/// the instructions whose operands `transfer` looks at (see
/// [`has_modelled_operands`]); empty for the others.
#[derive(Default)]
struct Shape {
    /// Whole registers of the mode (`rax`, or `eax` in 32-bit code).
    whole: [Option<usize>; 2],
    /// 16-bit registers (`bx`).
    word: [Option<usize>; 2],
    /// 8- and 16-bit low parts, with their width.
    narrow: [Option<(usize, u16)>; 2],
    /// The registers of a memory operand's address.
    address: [Option<Vec<Address>>; 2],
}

/// Family names in id order.
#[derive(Clone, Debug, Default)]
pub struct Families {
    names: Vec<String>,
}

impl Families {
    /// The id of a family name.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|known| known == name)
    }
}

/// Runs the analysis. `extra` names families that must have ids even if no
/// instruction touches them (operand registers); `outputs` are the families
/// of declared outputs, which code the block hands control to may set.
pub fn analyse(
    reading: &Reading,
    cfg: &Cfg,
    extra: &[String],
    outputs: &[String],
) -> RegisterStates {
    let mut ids = Families::default();
    let mut families: Vec<String> = Vec::new();
    // (A copy of the name only for a family seen the first time.)
    let mut intern = |name: &str| -> usize {
        if let Some(id) = ids.get(name) {
            return id;
        }
        families.push(name.to_owned());
        ids.names.push(name.to_owned());
        families.len() - 1
    };
    let facts_of = |node: usize| -> &Facts {
        let n = cfg.nodes[node];
        &reading.statements[n.statement].instructions[n.instruction]
    };
    // Reads and writes per node, as family ids.
    let mut node_reads: Vec<Vec<(usize, bool)>> = Vec::with_capacity(cfg.nodes.len());
    let mut writes: Vec<Vec<usize>> = Vec::with_capacity(cfg.nodes.len());
    let mut partials: Vec<Vec<(usize, u16)>> = Vec::with_capacity(cfg.nodes.len());
    for name in extra {
        intern(name);
    }
    // Register names as iced reports them are static strings: each is
    // turned into its family id once. The memo is keyed by address (one
    // table gives every name, so a name has one address; were it to have
    // two, each would just be looked up once): unoptimised, comparing
    // addresses is far cheaper than comparing text, and this runs for every
    // register of every instruction.
    let mut known: Vec<(&'static str, Option<usize>)> = Vec::new();
    let mut tracked =
        |family: &'static str, intern: &mut dyn FnMut(&str) -> usize| -> Option<usize> {
            if let Some((_, id)) = known
                .iter()
                .find(|(name, _)| std::ptr::eq(name.as_ptr(), family.as_ptr()))
            {
                return *id;
            }
            let name = canonical_cow(family);
            let id = (is_tracked(&name) && name != "rsp").then(|| intern(&name));
            known.push((family, id));
            id
        };
    for node in 0..cfg.nodes.len() {
        let facts = facts_of(node);
        // Storing a register to memory (`movaps [rsp], xmm0`) saves it.
        let stores_register = facts.mnemonic.starts_with("mov")
            && matches!(
                &reading.statements[cfg.nodes[node].statement].statement.body,
                StatementBody::Instruction(instruction)
                    if matches!(instruction.operands.first(), Some(OperandAst::Mem(_)))
            );
        let copy = saves_state(facts.mnemonic)
            || stores_register
            || matches!(facts.mnemonic, "push" | "mov" | "xchg");
        let mut reads = Vec::new();
        for used in &facts.registers_read {
            if let Some(id) = tracked(used.reg.family, &mut intern)
                && !reads.iter().any(|(r, _)| *r == id)
            {
                reads.push((id, copy));
            }
        }
        let mut written: Vec<usize> = Vec::new();
        let mut partial: Vec<(usize, u16)> = Vec::new();
        if hands_off(facts) {
            // The kernel and hypervisor conventions return in `rax`
            // (`int n` is left out: a BIOS call's results vary by service).
            // Not `vmgexit` (an SEV-ES guest's registers are out of the
            // hypervisor's reach) nor SGX leaves (most return nothing).
            let returns = matches!(facts.mnemonic, "syscall" | "sysenter")
                || (facts.side_effects.intersects(SideEffects::HYPERCALL)
                    && !matches!(facts.mnemonic, "vmgexit" | "enclu" | "encls" | "enclv"));
            for name in outputs
                .iter()
                .map(String::as_str)
                .chain(returns.then_some("rax"))
            {
                let id = intern(name);
                if !written.contains(&id) {
                    written.push(id);
                }
            }
        }
        let bitness = reading.statements[cfg.nodes[node].statement]
            .statement
            .bitness;
        for used in &facts.registers_written {
            if let Some(id) = tracked(used.reg.family, &mut intern)
                && !written.contains(&id)
            {
                written.push(id);
                if let Some(bits) =
                    partial_bits(used.reg.name, used.reg.width, used.reg.offset, bitness)
                {
                    partial.push((id, bits));
                }
            }
        }
        node_reads.push(reads);
        writes.push(written);
        partials.push(partial);
    }
    let count = families.len();
    let ids = ids;

    // What each node's operands are, looked up once rather than on every
    // pass of the fixpoint.
    let shapes: Vec<Shape> = (0..cfg.nodes.len())
        .map(|node| {
            let n = cfg.nodes[node];
            let read = &reading.statements[n.statement];
            // (Code no path reaches is never visited: a page of fill bytes
            // after a `ud2` is thousands of nodes.)
            if !cfg.reachable[node]
                || !has_modelled_operands(read.instructions[n.instruction].mnemonic)
            {
                return Shape::default();
            }
            let bitness = read.statement.bitness;
            let operands: &[OperandAst] = match &read.statement.body {
                StatementBody::Instruction(instruction) if n.instruction == 0 => {
                    &instruction.operands
                }
                _ => &[],
            };
            shape_of(operands, bitness, &ids)
        })
        .collect();
    let transfer = |node: usize, state: &State| -> State {
        let mut out = state.clone();
        let n = cfg.nodes[node];
        let read = &reading.statements[n.statement];
        let facts = &read.instructions[n.instruction];
        let bitness = read.statement.bitness;
        let slot = slot_size(bitness);
        let whole_size = whole_register_size(bitness);
        let operands: &[OperandAst] = match &read.statement.body {
            StatementBody::Instruction(instruction) if n.instruction == 0 => &instruction.operands,
            _ => &[],
        };
        let shape = &shapes[node];
        let whole = |i: usize| shape.whole.get(i).copied().flatten();
        let word = |i: usize| shape.word.get(i).copied().flatten();
        let narrow = |i: usize| shape.narrow.get(i).copied().flatten();
        // A memory operand as a cell key: its address as written, with what
        // the address registers hold (so `[rax + 8]` is the same cell after
        // `rax` was changed and restored, and another one while it differs).
        let cell = |i: usize| -> Option<String> {
            let Some(OperandAst::Mem(memory)) = operands.get(i) else {
                return None;
            };
            let mut parts = Vec::new();
            for register in shape.address.get(i)?.as_ref()? {
                let value = match register {
                    Address::StackPointer => format!("sp{}", state.stack_offset?),
                    Address::Family(id) => match state.values[*id] {
                        Value::Computed => return None,
                        value => format!("{value:?}"),
                    },
                };
                parts.push(value);
            }
            Some(cell_key(&parts, memory))
        };
        // The cell right at the address a register holds (`[rax]`).
        let cell_at = |register: usize| -> Option<String> {
            let value = match state.values[register] {
                Value::Computed => return None,
                value => format!("{value:?}"),
            };
            let plain = MemoryAst {
                scale: 1,
                ..MemoryAst::default()
            };
            Some(cell_key(&[value], &plain))
        };
        let cell_value = |key: &str| {
            state
                .cells
                .iter()
                .find(|(k, _)| k == key)
                .map_or(Value::Computed, |(_, v)| *v)
        };
        let set_cell = |out: &mut State, key: String, value: Value| {
            out.cells.retain(|(k, _)| *k != key);
            out.cells.push((key, value));
        };
        let mut handled = false;
        let is_sp = |i: usize| matches!(operands.get(i), Some(OperandAst::Reg(reg)) if matches!(reg.name.as_str(), "rsp" | "esp"));
        let is_sp16 =
            |i: usize| matches!(operands.get(i), Some(OperandAst::Reg(reg)) if reg.name == "sp");
        // Every mnemonic this `match` names is in `has_modelled_operands`.
        match (facts.mnemonic, operands.len()) {
            // Real mode's frame, `mov bp, sp` … `mov sp, bp`: the low half
            // of `ebp` holds the stack pointer, the upper half is kept.
            ("mov", 2) if bitness == Bitness::Bits16 && is_sp16(1) && word(0).is_some() => {
                if let Some(dst) = word(0) {
                    out.values[dst] = match (state.stack_offset, state.values[dst]) {
                        (
                            Some(offset),
                            Value::Entry(own)
                            | Value::Low(own, ..=16)
                            | Value::LowStackPointer(own, _),
                        ) if own == dst => Value::LowStackPointer(dst, offset),
                        (_, current) => current.written(Some(16)),
                    };
                    handled = true;
                }
            }
            ("mov", 2) if bitness == Bitness::Bits16 && is_sp16(0) && word(1).is_some() => {
                match word(1).map(|src| state.values[src]) {
                    Some(Value::LowStackPointer(_, offset)) => back_to(&mut out, offset, slot),
                    _ => {
                        out.stack = None;
                        out.stack_offset = None;
                    }
                }
                handled = true;
            }
            // A frame: `mov rbp, rsp` … `mov rsp, rbp` puts the stack
            // pointer back where it was, whatever happened in between.
            ("mov", 2) if is_sp(1) && whole(0).is_some() => {
                if let Some(dst) = whole(0) {
                    out.values[dst] = state
                        .stack_offset
                        .map_or(Value::Computed, Value::StackPointer);
                    handled = true;
                }
            }
            // The stack pointer saved in memory (to be found again after a
            // switch of stacks, below).
            ("mov", 2) if is_sp(1) && cell(0).is_some() => {
                if let Some(key) = cell(0) {
                    let saved = state
                        .stack_offset
                        .map_or(Value::Computed, Value::StackPointer);
                    set_cell(&mut out, key, saved);
                    handled = true;
                }
            }
            ("mov", 2) if is_sp(0) && whole(1).is_some() => {
                let switched_to = whole(1)
                    .and_then(cell_at)
                    .map(|key| cell_value(&key))
                    .filter(|saved| matches!(saved, Value::StackPointer(_)));
                if let Some(Value::StackPointer(offset)) = whole(1).map(|src| state.values[src]) {
                    back_to(&mut out, offset, slot);
                } else if let Some(saved) = switched_to {
                    // A switch to another stack whose top holds the old
                    // stack pointer (`mov [rax], rsp; mov rsp, rax`): where
                    // the new stack is, is unknown, but what its top slot
                    // holds is known, and popping it switches back.
                    out.stack = Some(vec![saved]);
                    out.stack_offset = None;
                } else {
                    out.stack = None;
                    out.stack_offset = None;
                }
                handled = true;
            }
            // `and rsp, -16` aligns: the offset is lost, what was pushed
            // before stays where it was.
            ("and", 2) if is_sp(0) => {
                out.stack_offset = None;
                handled = true;
            }
            // `mov {t:x}, si` … `mov si, {t:x}`: a save and restore of the
            // low half; the upper bits were never touched.
            ("mov", 2)
                if narrow(0).is_some()
                    && narrow(1).is_some_and(|(_, w)| Some(w) == narrow(0).map(|(_, w)| w)) =>
            {
                if let (Some((dst, width)), Some((src, _))) = (narrow(0), narrow(1)) {
                    let carried = match state.values[src] {
                        Value::Entry(id) => Some(id),
                        Value::Slice(id, bits) if bits >= width => Some(id),
                        Value::Mixed { low, bits, .. } if bits >= width => Some(low),
                        _ => None,
                    };
                    // Whether the destination's upper bits are still its own.
                    let upper_intact = match state.values[dst] {
                        Value::Entry(cur) | Value::Low(cur, ..) => cur == dst,
                        Value::Mixed { own, bits, .. } => own == dst && bits <= width,
                        // A real-mode frame pointer: only its low 16 bits.
                        Value::LowStackPointer(own, _) => own == dst && width >= 16,
                        _ => false,
                    } && !matches!(state.values[dst], Value::Low(_, bits) if bits > width);
                    out.values[dst] = match carried {
                        Some(id) if id == dst && upper_intact => Value::Entry(dst),
                        Some(id) if upper_intact => Value::Mixed {
                            own: dst,
                            low: id,
                            bits: width,
                        },
                        Some(id) => Value::Slice(id, width),
                        None => state.values[dst].written(Some(width)),
                    };
                    handled = true;
                }
            }
            ("mov", 2) => {
                if let (Some(dst), Some(src)) = (whole(0), whole(1)) {
                    out.values[dst] = state.values[src];
                    handled = true;
                } else if let (Some(key), Some(src)) = (cell(0), whole(1)) {
                    set_cell(&mut out, key, state.values[src]);
                    handled = true;
                } else if let (Some(dst), Some(key)) = (whole(0), cell(1)) {
                    out.values[dst] = cell_value(&key);
                    handled = true;
                }
            }
            ("xchg", 2) => {
                if let (Some(a), Some(b)) = (whole(0), whole(1)) {
                    out.values.swap(a, b);
                    handled = true;
                } else if let Some((key, reg)) =
                    cell(0).zip(whole(1)).or_else(|| cell(1).zip(whole(0)))
                {
                    out.values[reg] = cell_value(&key);
                    set_cell(&mut out, key, state.values[reg]);
                    handled = true;
                } else if operands.first() == operands.get(1) {
                    // `xchg bx, bx` (a debugger's magic breakpoint) changes nothing.
                    handled = true;
                }
            }
            // `add r, 0`, `shl r, 0` and the like leave the value as it is
            // (a way to make the compiler materialise an input).
            (op, 2)
                if matches!(
                    op,
                    "add" | "sub" | "or" | "xor" | "shl" | "shr" | "sar" | "rol" | "ror"
                ) && whole(0).is_some()
                    && matches!(operands.get(1), Some(OperandAst::Imm(imm)) if imm.value == Some(0)) =>
            {
                handled = true;
            }
            ("push", 1) => {
                if let Some(src) = whole(0) {
                    if let Some(stack) = &mut out.stack {
                        stack.push(state.values[src]);
                    }
                    out.stack_offset = out.stack_offset.map(|o| o - whole_size);
                    handled = true;
                } else if let Some(src) = word(0) {
                    let saved = match state.values[src] {
                        Value::Entry(id) => Value::Entry(id),
                        frame @ Value::LowStackPointer(..) => frame,
                        _ => Value::Computed,
                    };
                    if let Some(stack) = &mut out.stack {
                        stack.push(saved);
                    }
                    out.stack_offset = out.stack_offset.map(|o| o - 2);
                    handled = true;
                }
            }
            ("pop", 1) => {
                if let Some(dst) = whole(0) {
                    let popped = out.stack.as_mut().and_then(Vec::pop);
                    out.values[dst] = popped.unwrap_or(Value::Computed);
                    out.stack_offset = out.stack_offset.map(|o| o + whole_size);
                    handled = true;
                } else if let Some(dst) = word(0) {
                    // `push bx` … `pop bx`: the low 16 bits come back; the
                    // rest was never touched if only 16-bit writes happened.
                    let popped = out.stack.as_mut().and_then(Vec::pop);
                    out.values[dst] = match (popped, state.values[dst]) {
                        (
                            Some(Value::Entry(id)),
                            Value::Entry(cur)
                            | Value::Low(cur, ..=16)
                            | Value::LowStackPointer(cur, _),
                        ) if id == dst && cur == dst => Value::Entry(dst),
                        (
                            Some(Value::Entry(id)),
                            Value::Mixed {
                                own, bits: ..=16, ..
                            },
                        ) if id == dst && own == dst => Value::Entry(dst),
                        // A real-mode frame pointer saved and restored.
                        (
                            Some(Value::LowStackPointer(id, offset)),
                            Value::Entry(cur)
                            | Value::Low(cur, ..=16)
                            | Value::LowStackPointer(cur, _),
                        ) if id == dst && cur == dst => Value::LowStackPointer(dst, offset),
                        (_, current) => current.written(Some(16)),
                    };
                    out.stack_offset = out.stack_offset.map(|o| o + 2);
                    handled = true;
                }
            }
            _ => {}
        }
        for &written in &writes[node] {
            if !handled {
                let bits = partials[node]
                    .iter()
                    .find(|(id, _)| *id == written)
                    .map(|(_, bits)| *bits);
                out.values[written] = state.values[written].written(bits);
            }
            out.may_written.insert(written);
            out.must_written.insert(written);
        }
        // A call comes back with the stack as it was: the callee's `ret`
        // pops the return address the `call` pushed (a call into the block
        // pushes it on the edge to its target: see `call_edge`). A call to
        // the next instruction, the get-PC idiom, is a push; so is a call
        // to a numeric label the graph could not place.
        let get_pc = match cfg.call_targets[node] {
            Some(to) => to == node + 1,
            None => operands
                .iter()
                .any(|op| matches!(op, OperandAst::Target(Target::Local { .. }))),
        };
        let returns_to_next = !get_pc
            && matches!(
                facts.flow,
                Flow::Call | Flow::IndirectCall | Flow::SyscallLike | Flow::Interrupt
            );
        if !handled && !returns_to_next {
            move_stack(&mut out, facts.stack_delta, slot);
        }
        out
    };
    // The state a call into the block enters its target with: as after the
    // call, plus the return address.
    let call_edge = |node: usize, output: &State| -> State {
        let mut entered = output.clone();
        let n = cfg.nodes[node];
        let read = &reading.statements[n.statement];
        let facts = &read.instructions[n.instruction];
        move_stack(
            &mut entered,
            facts.stack_delta,
            slot_size(read.statement.bitness),
        );
        entered
    };

    let mut before: Vec<Option<State>> = vec![None; cfg.nodes.len()];
    let mut after: Vec<Option<State>> = vec![None; cfg.nodes.len()];
    let mut work: Vec<usize> = Vec::new();
    if !cfg.nodes.is_empty() {
        before[0] = Some(State::entry(count));
        work.push(0);
    }
    let fixpoint =
        |before: &mut Vec<Option<State>>, after: &mut Vec<Option<State>>, work: &mut Vec<usize>| {
            while let Some(node) = work.pop() {
                let Some(input) = before[node].as_ref() else {
                    continue;
                };
                let output = transfer(node, input);
                if after[node].as_ref() == Some(&output) {
                    continue;
                }
                let call_target = cfg.call_targets[node].filter(|&to| to != node + 1);
                for &successor in &cfg.successors[node] {
                    let entered;
                    let incoming = if call_target == Some(successor) {
                        entered = call_edge(node, &output);
                        &entered
                    } else {
                        &output
                    };
                    let changed = match &mut before[successor] {
                        Some(existing) => existing.join(incoming),
                        slot @ None => {
                            *slot = Some(incoming.clone());
                            true
                        }
                    };
                    if changed && !work.contains(&successor) {
                        work.push(successor);
                    }
                }
                // Stored last: the successors above borrowed it (a copy per
                // visit saved).
                after[node] = Some(output);
            }
        };
    fixpoint(&mut before, &mut after, &mut work);
    // Labels only an unknown indirect jump reaches start from an unknown
    // state: every value computed, every register taken as written (we do
    // not know what ran before, so no read there is reported as early).
    if cfg.has_unknown_targets {
        for (node, slot) in before.iter_mut().enumerate() {
            if cfg.reachable[node] && slot.is_none() {
                let mut state = State::entry(count);
                state.values.iter_mut().for_each(|v| *v = Value::Computed);
                state.must_written = Bits::all(count);
                state.stack = None;
                state.stack_offset = None;
                *slot = Some(state);
                work.push(node);
            }
        }
        fixpoint(&mut before, &mut after, &mut work);
    }
    let mut reads = Vec::new();
    for (node, node_reads) in node_reads.iter().enumerate() {
        if before[node].is_some() {
            for &(family, copy) in node_reads {
                reads.push(Read { node, family, copy });
            }
        }
    }
    RegisterStates {
        families,
        ids,
        before,
        after,
        reads,
        writes,
    }
}

/// The key of a memory cell: what the address registers hold (`parts`)
/// and the rest of the address as written.
fn cell_key(parts: &[String], memory: &MemoryAst) -> String {
    format!(
        "{parts:?}{}{}{}{:?}{:?}{:?}",
        memory.scale,
        memory.displacement,
        memory.displacement_unknown,
        memory.symbol,
        memory.placeholder,
        memory.segment
    )
}

/// The bytes the mode's default `push` (an immediate, a return address)
/// moves the stack by: the unit in which pushed values are counted.
fn slot_size(bitness: Bitness) -> i64 {
    match bitness {
        Bitness::Bits64 => 8,
        Bitness::Bits32 => 4,
        Bitness::Bits16 => 2,
    }
}

/// The bytes a `push` of a whole general register (`rax`, `eax`) moves
/// the stack by; in real mode `push eax` still moves four.
fn whole_register_size(bitness: Bitness) -> i64 {
    match bitness {
        Bitness::Bits64 => 8,
        Bitness::Bits32 | Bitness::Bits16 => 4,
    }
}

/// The stack pointer put back at `offset` from its entry value (a frame
/// pointer copied back): what was pushed since is dropped.
fn back_to(state: &mut State, offset: i64, slot: i64) {
    state.stack_offset = Some(offset);
    if let Some(stack) = &mut state.stack {
        let depth = usize::try_from(-offset / slot).unwrap_or(usize::MAX);
        if stack.len() >= depth {
            stack.truncate(depth);
        } else {
            state.stack = None;
        }
    }
}

/// Moves the stack of `state` by `delta` bytes (negative: pushed, as
/// unknown values), in slots of `slot` bytes; an unknown delta loses track.
fn move_stack(state: &mut State, delta: Option<i32>, slot: i64) {
    match delta {
        Some(0) => {}
        Some(delta) => {
            let delta = i64::from(delta);
            state.stack_offset = state.stack_offset.map(|o| o + delta);
            if let Some(stack) = &mut state.stack {
                let slots = delta.unsigned_abs().div_ceil(slot.unsigned_abs()) as usize;
                if delta < 0 {
                    stack.extend(std::iter::repeat_n(Value::Computed, slots));
                } else {
                    for _ in 0..slots {
                        if stack.pop().is_none() {
                            state.stack = None;
                            break;
                        }
                    }
                }
            }
        }
        None => {
            state.stack = None;
            state.stack_offset = None;
        }
    }
}
