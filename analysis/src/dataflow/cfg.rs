//! The control-flow graph of a template: one node per instruction, edges for
//! fall-through and for jumps to labels of the block (`2f`, `2b`, named
//! labels), exits for everything that leaves (`ret`, jumps to `label`
//! operands, symbols or unknown places), and the end of the template.
//!
//! Calls return to the next instruction (the callee's effects are the
//! rules' business). A call to a label of the block also enters the code
//! there, with the return address pushed (see [`Cfg::call_targets`]). A jump through a register or memory could land on any
//! label of the block: conservatively, every labelled instruction is then
//! counted as reachable, and the jump itself as an exit.

use crate::reading::Reading;
use crate::semantics::{Facts, Flow};
use crate::template::ast::{OperandAst, StatementBody, Target};

/// One instruction of the template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    /// Index into `Reading::statements`.
    pub statement: usize,
    /// Index into that statement's instructions.
    pub instruction: usize,
}

/// Where control goes after a node, besides other nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Falls off the end of the template: the block returns normally.
    End,
    /// Jumps to a `label` operand: the block returns to Rust there, so its
    /// register contract holds as at the end.
    Label,
    /// Leaves some other way (a jump to a symbol, an indirect jump, `ret`):
    /// it does not come back to the Rust code around the block.
    Elsewhere,
}

/// The graph.
#[derive(Clone, Debug)]
pub struct Cfg {
    /// Every instruction, in template order.
    pub nodes: Vec<Node>,
    /// Successor node indices of each node.
    pub successors: Vec<Vec<usize>>,
    /// Exits of each node.
    pub exits: Vec<Vec<Exit>>,
    /// Which nodes can run.
    pub reachable: Vec<bool>,
    /// Whether a jump with a target we cannot know was seen.
    pub has_unknown_targets: bool,
    /// For a `call` to a label of the block: the node it enters. The edge
    /// there carries the pushed return address; the call also comes back
    /// to the next node, as a `ret` of that code would. A call to the very
    /// next node (`call 1f; 1: pop eax`, reading the program counter) has
    /// only the one edge, and is a push.
    pub call_targets: Vec<Option<usize>>,
}

impl Cfg {
    /// Builds the graph of a template; `label_operands` are the indices of
    /// the block's `label { .. }` operands. `global` is for `global_asm!`,
    /// whose code is entered at its named labels (the symbols it defines),
    /// not at its first line. `exits_process(node)` says a system call is
    /// `exit`/`exit_group`, which does not come back.
    pub fn build(
        reading: &Reading,
        label_operands: &[usize],
        global: bool,
        exits_process: &dyn Fn(&[Node], usize) -> bool,
    ) -> Cfg {
        let mut nodes = Vec::new();
        for (statement, read) in reading.statements.iter().enumerate() {
            for instruction in 0..read.instructions.len() {
                nodes.push(Node {
                    statement,
                    instruction,
                });
            }
        }
        // The first node at or after each statement: where its labels point.
        let mut first_node_from = vec![nodes.len(); reading.statements.len() + 1];
        for (index, node) in nodes.iter().enumerate().rev() {
            first_node_from[node.statement] = index;
        }
        for statement in (0..reading.statements.len()).rev() {
            first_node_from[statement] =
                first_node_from[statement].min(first_node_from[statement + 1]);
        }
        // Where each label is defined, in template order.
        let mut definitions: std::collections::HashMap<&str, Vec<usize>> =
            std::collections::HashMap::new();
        for (s, read) in reading.statements.iter().enumerate() {
            for label in &read.statement.labels {
                definitions.entry(label.as_str()).or_default().push(s);
            }
        }
        let label_target = |statement: usize, target: &Target| -> Option<usize> {
            let at = |name: &str| definitions.get(name).map(Vec::as_slice).unwrap_or(&[]);
            let found = match target {
                Target::Local {
                    number,
                    forward: true,
                } => at(number).iter().copied().find(|&s| s > statement),
                Target::Local {
                    number,
                    forward: false,
                } => at(number).iter().copied().rev().find(|&s| s <= statement),
                Target::Symbol {
                    name,
                    placeholder: None,
                } => at(name).first().copied(),
                Target::Symbol { .. } => None,
            };
            found.map(|s| first_node_from[s])
        };

        let mut successors = vec![Vec::new(); nodes.len()];
        let mut exits = vec![Vec::new(); nodes.len()];
        let mut has_unknown_targets = false;
        let mut call_targets = vec![None; nodes.len()];
        for (index, node) in nodes.iter().enumerate() {
            let read = &reading.statements[node.statement];
            let facts: &Facts = &read.instructions[node.instruction];
            let next = index + 1;
            // Code runs on into the next instruction of the same section;
            // the block's own code ends where another section starts, and
            // code in another section runs into whatever follows it there.
            let section = &read.statement.section;
            let same_section = nodes
                .get(next)
                .is_some_and(|n| &reading.statements[n.statement].statement.section == section);
            let fall_through = |successors: &mut Vec<Vec<usize>>, exits: &mut Vec<Vec<Exit>>| {
                if same_section {
                    successors[index].push(next);
                } else if section.is_none() {
                    exits[index].push(Exit::End);
                } else {
                    exits[index].push(Exit::Elsewhere);
                }
            };
            // The written target, for instructions that came from text.
            let target: Option<&Target> = match &read.statement.body {
                StatementBody::Instruction(instruction) => {
                    instruction.operands.iter().find_map(|op| match op {
                        OperandAst::Target(target) => Some(target),
                        _ => None,
                    })
                }
                _ => None,
            };
            let to_label_operand = matches!(
                &target,
                Some(Target::Symbol { placeholder: Some(p), .. }) if label_operands.contains(&p.operand)
            );
            let jump = |successors: &mut Vec<Vec<usize>>, exits: &mut Vec<Vec<Exit>>| match target
                .and_then(|t| label_target(node.statement, t))
            {
                Some(to) if to < nodes.len() => successors[index].push(to),
                Some(_) => exits[index].push(Exit::End),
                None if to_label_operand => exits[index].push(Exit::Label),
                None => exits[index].push(Exit::Elsewhere),
            };
            if exits_process(&nodes, index) {
                continue;
            }
            match facts.flow {
                Flow::Jump => jump(&mut successors, &mut exits),
                Flow::ConditionalJump => {
                    jump(&mut successors, &mut exits);
                    fall_through(&mut successors, &mut exits);
                }
                Flow::IndirectJump => {
                    has_unknown_targets = true;
                    exits[index].push(Exit::Elsewhere);
                }
                Flow::Return => exits[index].push(Exit::Elsewhere),
                Flow::Trap => {}
                Flow::Call => {
                    let callee = target
                        .and_then(|t| label_target(node.statement, t))
                        .filter(|&to| to < nodes.len());
                    call_targets[index] = callee;
                    if let Some(to) = callee
                        && to != next
                    {
                        successors[index].push(to);
                    }
                    fall_through(&mut successors, &mut exits);
                }
                Flow::Next
                | Flow::IndirectCall
                | Flow::Interrupt
                | Flow::SyscallLike
                | Flow::Halt
                | Flow::Transaction => fall_through(&mut successors, &mut exits),
            }
        }

        link_local_returns(reading, &nodes, &call_targets, &mut successors);

        let mut reachable = vec![false; nodes.len()];
        let mut work: Vec<usize> = Vec::new();
        // Whether the code from `statement` on starts with an instruction
        // (a label there is code, not a header or a table).
        let starts_code = |statement: usize| {
            nodes.get(first_node_from[statement]).is_some_and(|node| {
                matches!(
                    reading.statements[node.statement].statement.body,
                    StatementBody::Instruction(_)
                )
            })
        };
        if global {
            // Every named label may be a symbol other code jumps to, unless
            // what follows it is data.
            for (statement, read) in reading.statements.iter().enumerate() {
                let named = read
                    .statement
                    .labels
                    .iter()
                    .any(|l| !l.chars().all(|c| c.is_ascii_digit()));
                if named && starts_code(statement) {
                    work.push(first_node_from[statement]);
                }
            }
        }
        // (`global_asm!` without a code label has no entry we know of.)
        if !global && !nodes.is_empty() {
            work.push(0);
        }
        // A jump whose target is unknown lands on some label of code (not
        // on a table: a jump into data is not how code is written).
        if has_unknown_targets {
            for (statement, read) in reading.statements.iter().enumerate() {
                if !read.statement.labels.is_empty() && starts_code(statement) {
                    work.push(first_node_from[statement]);
                }
            }
        }
        while let Some(index) = work.pop() {
            if std::mem::replace(&mut reachable[index], true) {
                continue;
            }
            work.extend(successors[index].iter().copied());
        }
        Cfg {
            nodes,
            successors,
            exits,
            reachable,
            has_unknown_targets,
            call_targets,
        }
    }

    /// Whether an empty template or a reachable node falls off the end.
    pub fn can_reach_end(&self) -> bool {
        self.nodes.is_empty()
            || self
                .exits
                .iter()
                .zip(&self.reachable)
                .any(|(exits, &reachable)| reachable && exits.contains(&Exit::End))
    }

    /// The reachable nodes whose path falls off the end, in order.
    pub fn nodes_reaching_end(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.reachable[i] && self.exits[i].contains(&Exit::End))
            .collect()
    }
}

/// Returns from code entered by a `call` into the block: each `ret` that
/// the callee's code reaches (not counting the code of calls it makes in
/// turn) goes back to the instruction after the call, so the callee's
/// effects reach the rest of the block and its `ret` pops the address the
/// call pushed. When the callee has such a `ret`, the call comes back only
/// through it; when it has none (it leaves the block, or drops the
/// address), the call keeps its edge to the next instruction, as control
/// may come back there in ways the template does not show.
fn link_local_returns(
    reading: &Reading,
    nodes: &[Node],
    call_targets: &[Option<usize>],
    successors: &mut [Vec<usize>],
) {
    let is_return = |node: usize| {
        let n = nodes[node];
        reading.statements[n.statement].instructions[n.instruction].flow == Flow::Return
    };
    for (call, target) in call_targets.iter().enumerate() {
        let Some(entry) = *target else { continue };
        let back = call + 1;
        if entry == back || back >= nodes.len() {
            continue;
        }
        let mut seen = vec![false; nodes.len()];
        let mut work = vec![entry];
        let mut returns = Vec::new();
        while let Some(node) = work.pop() {
            if std::mem::replace(&mut seen[node], true) {
                continue;
            }
            if is_return(node) {
                returns.push(node);
                continue;
            }
            // A nested call's own callee returns to after that call: walk
            // on from there, not into that callee.
            let nested = call_targets[node].filter(|&to| to != node + 1);
            if nested.is_some() && node + 1 < nodes.len() {
                work.push(node + 1);
            }
            work.extend(
                successors[node]
                    .iter()
                    .copied()
                    .filter(|&to| Some(to) != nested),
            );
        }
        if returns.is_empty() {
            continue;
        }
        successors[call].retain(|&to| to != back);
        for ret in returns {
            if !successors[ret].contains(&back) {
                successors[ret].push(back);
            }
        }
    }
}
