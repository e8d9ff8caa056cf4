//! The contract a block needs, as far as a straight reading of its
//! statements tells: which options are true, which registers it writes and
//! reads. `checked-asm explain` prints it. This is a union over all
//! statements; the path-sensitive version (restores, branches) belongs to
//! the dataflow stage.

use crate::expand::BlockReport;
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
    if all.last().is_some_and(|f| {
        matches!(
            f.flow,
            Flow::Jump | Flow::IndirectJump | Flow::Trap | Flow::Return
        )
    }) {
        options.push("noreturn".to_owned());
    }

    let mut written: Vec<String> = Vec::new();
    let mut read: Vec<String> = Vec::new();
    for facts in &all {
        for used in &facts.registers_read {
            let family = used.reg.family;
            if !placeholder(family)
                && !written.iter().any(|w| w == family)
                && !read.iter().any(|r| r == family)
            {
                read.push(family.to_owned());
            }
        }
        for used in &facts.registers_written {
            let family = used.reg.family;
            if !placeholder(family) && !written.iter().any(|w| w == family) {
                written.push(family.to_owned());
            }
        }
    }
    // The stack pointer is the block's own business (P15 balance), not a clobber.
    written.retain(|family| family != "rsp" && family != "esp");
    read.retain(|family| family != "rsp" && family != "esp");
    Contract {
        options,
        written,
        read,
    }
}
