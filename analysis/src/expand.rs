//! What the proc macro emits: the findings as `cfg`-gated `compile_error!`s,
//! then the user's own tokens, unchanged, inside `core::arch`'s macro.

use std::collections::HashMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::allow;
use crate::dataflow::{self, Cfg, Declared};
use crate::diagnostics::{Finding, Severity, TargetArch};
use crate::includes::{ReadInclude, no_includes, read_includes};
use crate::parse::{AsmArgs, MacroKind, TemplatePiece, strip_allow_clauses};
use crate::reading::{self, Reading};
use crate::rules::{Cx, check_all};
use crate::target_cfg;
use crate::template::ast::{Bitness, OperandAst, RegOperandAst, StatementBody};
use crate::template::registers;

/// The result of analysing one invocation.
pub struct Analysis {
    /// Which macro was invoked.
    pub kind: MacroKind,
    /// The model, or `None` when our parser did not accept the input; such
    /// input is forwarded untouched and rustc reports what is wrong with it.
    pub args: Option<AsmArgs>,
    /// What to tell the user, per target architecture.
    pub findings: Vec<ArchFinding>,
    /// The tokens to hand to `core::arch`: the input, minus checked_asm's own
    /// additions.
    pub forwarded: TokenStream,
}

/// A finding and the architectures it applies to.
#[derive(Clone, Debug)]
pub struct ArchFinding {
    /// The finding.
    pub finding: Finding,
    /// The `target_arch` values under which it is reported; empty for
    /// findings about checked_asm's own syntax, reported on every target.
    pub archs: Vec<TargetArch>,
}

/// One block checked for one target architecture: what the CLI reports.
#[derive(Clone)]
pub struct BlockReport {
    /// Which macro the block belongs to.
    pub kind: MacroKind,
    /// The parsed arguments.
    pub args: AsmArgs,
    /// The template, read.
    pub reading: Reading,
    /// What the rules found, after `allow(..)`.
    pub findings: Vec<Finding>,
}

/// Checks one invocation for one architecture; `None` when the input is not
/// valid `asm!` syntax.
pub fn check_block(kind: MacroKind, input: TokenStream, arch: TargetArch) -> Option<BlockReport> {
    check_block_reading(kind, input, arch, &no_includes)
}

/// [`check_block`], with `include_str!` templates read by `read`.
fn check_block_reading(
    kind: MacroKind,
    input: TokenStream,
    arch: TargetArch,
    read: ReadInclude<'_>,
) -> Option<BlockReport> {
    let args = AsmArgs::parse(input).ok()?;
    let args = read_includes(&args, read).unwrap_or(args);
    // The arguments that exist on `arch` (`#[cfg(target_arch = ..)]`).
    let args = target_cfg::for_arch(&args, arch).unwrap_or(args);
    let (reading, found) = findings_on(kind, &args, arch);
    let found = found
        .into_iter()
        .map(|finding| ArchFinding {
            finding,
            archs: vec![arch],
        })
        .collect();
    let findings = allow::apply(&args, found)
        .into_iter()
        .map(|found| found.finding)
        .collect();
    Some(BlockReport {
        kind,
        args,
        reading,
        findings,
    })
}

/// [`check_block`] for tools that read code without knowing its target
/// (the `checked-asm` command): a block that calls BIOS services is
/// real-mode code, which only an x86 target (a 16-bit one) builds, so it is
/// checked for x86 whatever `arch` says. `include_str!` templates are read
/// by `read`.
pub fn check_block_where_it_builds(
    kind: MacroKind,
    input: TokenStream,
    arch: TargetArch,
    read: ReadInclude<'_>,
) -> Option<BlockReport> {
    let report = check_block_reading(kind, input.clone(), arch, read)?;
    // Only a block whose text says `int` can call the BIOS: the others are
    // not read twice.
    let mentions_int = report.args.templates.iter().any(|template| {
        matches!(&template.piece, crate::parse::TemplatePiece::Text(text)
            if text.to_ascii_lowercase().contains("int"))
    });
    if arch == TargetArch::X86 || !mentions_int {
        return Some(report);
    }
    match check_block_reading(kind, input, TargetArch::X86, read) {
        Some(real) if real.reading.calls_bios => Some(real),
        _ => Some(report),
    }
}

/// Parses and checks one invocation of `kind` with arguments `input`, for
/// every architecture; `include_str!` templates are read by `read`.
pub fn analyse(kind: MacroKind, input: TokenStream, read: ReadInclude<'_>) -> Analysis {
    let forwarded = strip_allow_clauses(input.clone());
    let Ok(args) = AsmArgs::parse(input) else {
        // Not valid syntax: rustc reports it better than we could.
        return Analysis {
            kind,
            args: None,
            findings: Vec::new(),
            forwarded,
        };
    };
    // (The model keeps the pieces as written: findings and forwarded tokens
    // point at the `include_str!` call.)
    let read_args = read_includes(&args, read);
    let checked = read_args.as_ref().unwrap_or(&args);
    let mut findings: Vec<ArchFinding> = Vec::new();
    let mut only_64_bit = false;
    for arch in TargetArch::ALL {
        if arch == TargetArch::X86 && only_64_bit {
            continue;
        }
        let on_arch = target_cfg::for_arch(checked, arch);
        let (reading, found) = findings_on(kind, on_arch.as_ref().unwrap_or(checked), arch);
        if arch == TargetArch::X86_64 {
            only_64_bit = names_64_bit_only_registers(checked, &reading);
        }
        for finding in found {
            merge(&mut findings, finding, arch);
        }
    }
    let findings = allow::apply(&args, findings);
    Analysis {
        kind,
        args: Some(args),
        findings,
        forwarded,
    }
}

/// The findings of `args` on `arch`. When its arguments depend on more
/// than the architecture (`#[cfg(feature = "a")]`), every build of it is
/// checked (see [`target_cfg::builds`]): what all builds have is reported
/// as is, what only some have under the `cfg` that selects them. (The
/// reading is that of the block with every argument, for the callers that
/// show it.)
fn findings_on(kind: MacroKind, args: &AsmArgs, arch: TargetArch) -> (Reading, Vec<Finding>) {
    let Some(builds) = target_cfg::builds(args, arch) else {
        return run_rules(kind, args, arch);
    };
    // Each finding with the builds that have it, matched by rule, text
    // (line numbers included: a finding whose line moves when a gated piece
    // goes is one per build, each under its own gate), place and own gates
    // (the same text about two pieces is two findings).
    let mut found: Vec<(Finding, Vec<usize>)> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    // The reading shown for the block: that of the build with the most
    // arguments.
    let mut shown: Option<(usize, Reading)> = None;
    for (index, build) in builds.builds.iter().enumerate() {
        let (reading, findings) = run_rules(kind, &build.args, arch);
        for finding in findings {
            let gates: Vec<String> = finding.gates.iter().map(ToString::to_string).collect();
            let key = format!(
                "{}\n{}\n{:?}\n{gates:?}",
                finding.rule,
                finding.render(),
                finding.span.start
            );
            match index_of.get(&key) {
                Some(&at) => {
                    let in_builds = &mut found[at].1;
                    if in_builds.last() != Some(&index) {
                        in_builds.push(index);
                    }
                }
                None => {
                    index_of.insert(key, found.len());
                    found.push((finding, vec![index]));
                }
            }
        }
        let size = build.args.templates.len() + build.args.operands.len();
        if shown.as_ref().is_none_or(|(most, _)| size > *most) {
            shown = Some((size, reading));
        }
    }
    let findings = found
        .into_iter()
        .map(|(mut finding, in_builds)| {
            if in_builds.len() < builds.builds.len() {
                let mut values: Vec<u32> = in_builds
                    .iter()
                    .flat_map(|&index| builds.builds[index].values.iter().copied())
                    .collect();
                values.sort_unstable();
                let condition = builds.condition(&values);
                finding.notes.push(format!(
                    "this is about builds where `cfg({})` holds: the block's `#[cfg]`-gated arguments differ between builds",
                    tidy_tokens(&condition.to_string())
                ));
                let gate = quote!(#[cfg(#condition)]);
                // (A finding about a gated piece may carry the same gate.)
                let text = gate.to_string();
                if !finding.gates.iter().any(|known| known.to_string() == text) {
                    finding.gates.push(gate);
                }
            }
            finding
        })
        .collect();
    let reading = match shown {
        Some((_, reading)) => reading,
        None => run_rules(kind, args, arch).0,
    };
    (reading, findings)
}

/// Whether a block names, in its own text, a register that exists only in
/// 64-bit mode (`rax`, `r8d`, `[rip + x]`, `xmm9`) in code read as 64-bit:
/// then no 32-bit target assembles it (LLVM rejects the register), and
/// checking it for x86 would only cost time. That holds only when the
/// block is the same text on every target (no argument has attributes),
/// all of it is seen, and nothing in it says `.code` (a `.code64` makes
/// 64-bit registers valid in a 32-bit block). (Registers that stand for
/// placeholders are the compiler's choice, and do not count.)
fn names_64_bit_only_registers(args: &AsmArgs, reading: &Reading) -> bool {
    let has_attrs = target_cfg::has_attributes(args);
    let may_switch_modes = || {
        args.templates.iter().any(|template| match &template.piece {
            TemplatePiece::Text(text) => text.to_ascii_lowercase().contains(".code"),
            TemplatePiece::Opaque(_) => true,
        })
    };
    if has_attrs
        || reading
            .statements
            .iter()
            .any(|read| read.statement.bitness != Bitness::Bits64)
        || may_switch_modes()
    {
        return false;
    }
    let written = |reg: &RegOperandAst| {
        reg.placeholder.is_none() && registers::only_in_64_bit_mode(&reg.name)
    };
    reading
        .statements
        .iter()
        .any(|read| match &read.statement.body {
            StatementBody::Instruction(instruction) => {
                instruction.operands.iter().any(|operand| match operand {
                    OperandAst::Reg(reg) => written(reg),
                    OperandAst::Mem(memory) => {
                        memory.base.as_ref().is_some_and(written)
                            || memory.index.as_ref().is_some_and(written)
                    }
                    _ => false,
                })
            }
            _ => false,
        })
}

/// Token text with the spacing people write: `not(feature = "x")`.
fn tidy_tokens(text: &str) -> String {
    text.replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",")
}

/// The stages after parsing, for one architecture (public for the
/// benchmark): read the template,
/// build its control flow and register states, run every rule.
pub fn run_rules(kind: MacroKind, args: &AsmArgs, arch: TargetArch) -> (Reading, Vec<Finding>) {
    let reading = reading::read(args, kind, arch.bitness());
    let exits = |nodes: &[dataflow::Node], index: usize| {
        dataflow::exits_process(&reading, args, nodes, index)
    };
    let cfg = Cfg::build(
        &reading,
        &label_operands(args),
        kind == MacroKind::GlobalAsm,
        &exits,
    );
    let declared = Declared::new(args, &reading);
    let states = dataflow::analyse(
        &reading,
        &cfg,
        &declared.families(),
        &declared.output_families(),
    );
    let exit_states = crate::rules::exit_states(args, &cfg, &states);
    let cx = Cx {
        kind,
        args,
        reading: &reading,
        cfg: &cfg,
        declared: &declared,
        states: &states,
        exit_states: &exit_states,
    };
    let findings = check_all(&cx);
    (reading, findings)
}

/// Indices of the block's `label { .. }` operands.
fn label_operands(args: &AsmArgs) -> Vec<usize> {
    args.operands
        .iter()
        .enumerate()
        .filter(|(_, operand)| matches!(operand.kind, crate::parse::OperandKind::Label(_)))
        .map(|(index, _)| index)
        .collect()
}

/// Adds `finding` for `arch`, or adds `arch` to the same finding already
/// reported for another architecture, so that a block gets one error gated
/// by `any(..)` rather than two identical ones.
fn merge(findings: &mut Vec<ArchFinding>, finding: Finding, arch: TargetArch) {
    let same = findings.iter_mut().find(|known| {
        known.finding.rule == finding.rule
            && known.finding.render() == finding.render()
            && format!("{:?}", known.finding.span.start) == format!("{:?}", finding.span.start)
            // Arguments gated per architecture are different arguments.
            && gates_text(&known.finding) == gates_text(&finding)
    });
    match same {
        Some(known) => known.archs.push(arch),
        None => findings.push(ArchFinding {
            finding,
            archs: vec![arch],
        }),
    }
}

/// A finding's `cfg` gates as text, to compare them.
fn gates_text(finding: &Finding) -> Vec<String> {
    finding.gates.iter().map(ToString::to_string).collect()
}

/// The expansion of `checked_asm!` (resp. `checked_global_asm!`,
/// `checked_naked_asm!`): errors first, then the block exactly as written.
/// `read` finds the files of `include_str!` templates (the proc macro asks
/// the compiler where the calling source is; see [`crate::includes`]).
pub fn expand(kind: MacroKind, input: TokenStream, read: ReadInclude<'_>) -> TokenStream {
    let analysis = analyse(kind, input, read);
    let errors: Vec<TokenStream> = analysis
        .findings
        .iter()
        .filter(|found| found.finding.severity == Severity::Error)
        .map(|found| found.finding.to_compile_error(&found.archs))
        .collect();
    let warnings: Vec<TokenStream> = analysis
        .findings
        .iter()
        .filter(|found| found.finding.severity == Severity::Warning)
        .map(|found| found.finding.to_warning())
        .collect();
    let errors: Vec<TokenStream> = errors.into_iter().chain(warnings).collect();
    let forwarded = &analysis.forwarded;
    let name = Ident::new(kind.core_name(), Span::call_site());
    let block = quote!(::core::arch::#name!(#forwarded));
    match kind {
        // An item: the errors are items beside it.
        MacroKind::GlobalAsm => quote!(#(#errors)* #block;),
        // Without findings, emit nothing but the block itself, so that
        // `naked_asm!` stays the only statement of its function.
        MacroKind::Asm | MacroKind::NakedAsm if errors.is_empty() => block,
        // Statements before the block; the block stays the value, so its
        // type (`()` or `!`) and its initialised outputs are unchanged.
        MacroKind::Asm | MacroKind::NakedAsm => quote!({ #(#errors)* #block }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The architectures of each finding of `rule`.
    fn archs(input: TokenStream, rule: &str) -> Vec<Vec<TargetArch>> {
        analyse(MacroKind::Asm, input, &no_includes)
            .findings
            .into_iter()
            .filter(|found| found.finding.rule == rule)
            .map(|found| found.archs)
            .collect()
    }

    #[test]
    fn blocks_only_64_bit_code_assembles_are_not_checked_for_x86() {
        // `r8` and `rax` exist in 64-bit mode only: x86 cannot build it.
        let input = quote!("mov r8, 1", "xor eax, eax", options(nomem, nostack));
        let found = archs(input, "undeclared_register_write");
        assert!(!found.is_empty());
        assert!(
            found.iter().all(|archs| archs == &[TargetArch::X86_64]),
            "{found:?}"
        );
        assert!(archs(quote!("mov rax, [rip + 8]"), "unsupported_instruction").is_empty());
        // Registers both modes have: both are checked.
        let input = quote!("xor eax, eax", options(nomem, nostack));
        assert_eq!(
            archs(input, "undeclared_register_write"),
            [vec![TargetArch::X86_64, TargetArch::X86]]
        );
        // A placeholder's register is the compiler's to choose; `.code64`
        // makes `rax` valid in a 32-bit block.
        for input in [
            quote!("mov {0}, 1", "xor eax, eax", out(reg) _, options(nomem, nostack)),
            quote!(
                ".code64",
                "mov rax, 1",
                "xor eax, eax",
                options(nomem, nostack)
            ),
        ] {
            let found = archs(input, "undeclared_register_write");
            assert!(
                found.iter().any(|archs| archs.contains(&TargetArch::X86)),
                "{found:?}"
            );
        }
    }
}
