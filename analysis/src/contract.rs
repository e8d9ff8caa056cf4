//! The contract a block needs: which options are true (a union over the
//! statements), which registers it changes or reads without declaring them
//! (from the dataflow, so restored registers do not count), and which
//! operands could be declared more precisely. `checked-asm explain` prints it.

use crate::dataflow::{self, Cfg, Declared};
use crate::expand::BlockReport;
use crate::parse::Direction;
use crate::semantics::{Facts, FlagSet, Flow, SideEffects};

/// What a block needs declared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contract {
    /// Option words the block may declare truthfully.
    pub options: Vec<String>,
    /// Registers (families) written by name or implicitly, not through a
    /// placeholder: each must be an output, a clobber, or restored.
    pub written: Vec<String>,
    /// Registers (families) read before the block writes them, not through
    /// a placeholder: each must hold an input.
    pub read: Vec<String>,
    /// Operands the block could declare more precisely (`out` that may be
    /// `lateout`, clobbers never written, `inout` never changed).
    pub adjustments: Vec<String>,
}

/// Effects that `nomem` rules out besides memory operands: they change how
/// memory is seen or hand control to code that touches memory.
const MEMORY_EFFECTS: SideEffects = SideEffects(
    SideEffects::MEMORY_FENCE.0
        | SideEffects::CACHE_MAINTENANCE.0
        | SideEffects::CONTROL_REGISTER_WRITE.0
        | SideEffects::MSR_WRITE.0
        | SideEffects::SEGMENT_WRITE.0
        | SideEffects::SEGMENT_BASE_WRITE.0
        | SideEffects::DESCRIPTOR_LOAD.0
        | SideEffects::PORT_IO.0
        | SideEffects::SYSCALL.0
        | SideEffects::HYPERCALL.0
        | SideEffects::INTERRUPT_FLAG.0,
);

/// Effects that may write memory or synchronise, ruled out by `readonly`.
const WRITE_EFFECTS: SideEffects = SideEffects(
    SideEffects::MEMORY_FENCE.0
        | SideEffects::PORT_IO.0
        | SideEffects::SYSCALL.0
        | SideEffects::HYPERCALL.0,
);

fn is_call(facts: &Facts) -> bool {
    matches!(facts.flow, Flow::Call | Flow::IndirectCall)
}

/// The contract of `report`'s block.
pub fn contract(report: &BlockReport) -> Contract {
    let all: Vec<&Facts> = report
        .reading
        .statements
        .iter()
        .flat_map(|read| read.instructions.iter())
        .collect();
    let placeholder = |family: &str| {
        report
            .reading
            .placeholder_families
            .iter()
            .any(|f| f == family)
    };
    let any = |test: &dyn Fn(&Facts) -> bool| all.iter().any(|facts| test(facts));

    let mut options = Vec::new();
    let touches_memory = any(&|f| f.touches_memory() || f.lock || is_call(f));
    let memory_effect = any(&|f| f.side_effects.intersects(MEMORY_EFFECTS));
    let nomem = !touches_memory && !memory_effect;
    if nomem {
        options.push("nomem".to_owned());
    }
    let readonly = !nomem
        && !any(&|f| {
            f.writes_memory() || f.lock || is_call(f) || f.side_effects.intersects(WRITE_EFFECTS)
        });
    if readonly {
        options.push("readonly".to_owned());
    }
    if (nomem || readonly)
        && !any(&|f| {
            !f.side_effects.is_empty()
                || f.flow != Flow::Next && f.flow != Flow::Jump && f.flow != Flow::ConditionalJump
        })
    {
        options.push("pure".to_owned());
    }
    if !any(&|f| f.writes_stack_pointer || f.memory.iter().any(|m| m.stack) || is_call(f)) {
        options.push("nostack".to_owned());
    }
    if !any(&|f| {
        f.flags_written.intersects(FlagSet::STATUS)
            || f.x87_status_written
            || f.mxcsr_status_written
            || is_call(f)
    }) {
        options.push("preserves_flags".to_owned());
    }
    // Registers, from the dataflow: changed at an exit without being
    // declared; read before written without holding an input.
    let label_operands: Vec<usize> = report
        .args
        .operands
        .iter()
        .enumerate()
        .filter(|(_, op)| matches!(op.kind, crate::parse::OperandKind::Label(_)))
        .map(|(index, _)| index)
        .collect();
    let exits = |nodes: &[dataflow::Node], index: usize| {
        dataflow::exits_process(&report.reading, &report.args, nodes, index)
    };
    let cfg = Cfg::build(
        &report.reading,
        &label_operands,
        report.kind == crate::parse::MacroKind::GlobalAsm,
        &exits,
    );
    // `noreturn` is true when no path falls off the end (the same graph
    // `fallthrough_in_noreturn` checks), not merely when the last line
    // jumps: a subroutine's `ret` at the end of the text comes back.
    if !cfg.can_reach_end() {
        options.push("noreturn".to_owned());
    }
    let declared = Declared::new(&report.args, &report.reading);
    let states = dataflow::analyse(
        &report.reading,
        &cfg,
        &declared.families(),
        &declared.output_families(),
    );
    let exits: Vec<_> = states.exits(&cfg).collect();
    let mut written: Vec<String> = Vec::new();
    let mut read: Vec<String> = Vec::new();
    for (id, name) in states.families.iter().enumerate() {
        if placeholder(name) {
            continue;
        }
        if exits
            .iter()
            .any(|(_, state)| state.may_written[id] && !state.holds_entry(id))
        {
            written.push(name.clone());
        }
        let early = states.reads.iter().any(|r| {
            r.family == id
                && !r.copy
                && states.before[r.node]
                    .as_ref()
                    .is_some_and(|s| !s.must_written[id])
        });
        if early {
            read.push(name.clone());
        }
    }
    let mut adjustments = Vec::new();
    for operand in &declared.operands {
        let Some(id) = states.id(&operand.family) else {
            continue;
        };
        let text = report.args.operands[operand.index].text();
        let ever_written = states.writes.iter().any(|w| w.contains(&id));
        match operand.direction {
            Direction::Out | Direction::LateOut if operand.discarded && !ever_written => {
                adjustments.push(format!("`{text}` is never written: the clobber can go"));
            }
            Direction::Out if !operand.discarded || ever_written => {
                // `lateout` is enough when no input is read after the first
                // write of the register.
                let late = (0..cfg.nodes.len())
                    .filter(|&n| states.writes[n].contains(&id))
                    .all(|n| {
                        let mut seen = vec![false; cfg.nodes.len()];
                        let mut work = cfg.successors[n].clone();
                        while let Some(m) = work.pop() {
                            if !std::mem::replace(&mut seen[m], true) {
                                work.extend(cfg.successors[m].iter().copied());
                            }
                        }
                        !states.reads.iter().any(|r| {
                            seen[r.node]
                                && declared
                                    .operands
                                    .iter()
                                    .any(|i| i.is_input() && states.id(&i.family) == Some(r.family))
                        })
                    });
                if late && declared.operands.iter().any(|i| i.is_input()) {
                    adjustments.push(format!(
                        "`{text}` is written after the last read of every input: `{}` would do",
                        text.replacen("out(", "lateout(", 1)
                    ));
                }
            }
            Direction::InOut | Direction::InLateOut if !ever_written && !operand.discarded => {
                adjustments.push(format!(
                    "`{text}` is never changed by the block: an `in` operand would do"
                ));
            }
            _ => {}
        }
    }
    Contract {
        options,
        written,
        read,
        adjustments,
    }
}
