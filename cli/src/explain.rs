//! `checked-asm explain`: what each statement of a template does, and the
//! contract the block needs. The tool to reach for while writing new asm.

use std::fmt::Write as _;
use std::process::ExitCode;

use checked_asm_analysis::{BlockReport, TargetArch, check_block, contract};

pub(crate) fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut att = false;
    let mut arch = TargetArch::X86_64;
    let mut file = None;
    let mut rest: Vec<&str> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--att" => att = true,
            "--x86" => arch = TargetArch::X86,
            "--file" => file = Some(iter.next().ok_or("`--file` needs a path")?.clone()),
            other if other.starts_with("--") => return Err(format!("unknown option `{other}`")),
            other => rest.push(other),
        }
    }
    let invocation = match file {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|err| format!("cannot read `{path}`: {err}"))?;
            invocation_text(&text, att, &rest)
        }
        None => {
            let (template, operands) = rest.split_first().ok_or("`explain` needs a TEMPLATE")?;
            build_invocation(template, operands, att)
        }
    };
    let tokens: proc_macro2::TokenStream = invocation
        .parse()
        .map_err(|err| format!("the operands are not Rust tokens: {err}"))?;
    let found = checked_asm_analysis::find::invocations(tokens)
        .into_iter()
        .next()
        .ok_or("no `asm!` invocation to explain")?;
    let report = check_block(found.kind, found.args, arch)
        .ok_or_else(|| format!("not valid `asm!` arguments: {invocation}"))?;
    crate::output::line(render(&report).trim_end())?;
    Ok(ExitCode::SUCCESS)
}

/// A file holds either a whole invocation or just template text.
fn invocation_text(text: &str, att: bool, operands: &[&str]) -> String {
    let looks_like_call = text
        .parse::<proc_macro2::TokenStream>()
        .ok()
        .is_some_and(|tokens| !checked_asm_analysis::find::invocations(tokens).is_empty());
    if looks_like_call {
        text.to_owned()
    } else {
        build_invocation(text, operands, att)
    }
}

fn build_invocation(template: &str, operands: &[&str], att: bool) -> String {
    let mut call = format!("asm!({template:?}");
    for operand in operands {
        let _ = write!(call, ", {operand}");
    }
    if att {
        call.push_str(", options(att_syntax)");
    }
    call.push(')');
    call
}

fn render(report: &BlockReport) -> String {
    let mut out = String::new();
    for read in &report.reading.statements {
        let statement = &read.statement;
        if read.instructions.is_empty() && statement.source.is_empty() {
            continue;
        }
        let _ = writeln!(out, "line {:>3}  {}", statement.line, statement.source);
        for facts in &read.instructions {
            let summary = with_operand_names(report, &facts.summary());
            let _ = writeln!(out, "           {}: {summary}", facts.mnemonic);
        }
    }
    for finding in &report.findings {
        let _ = writeln!(out, "\n{}: {}", finding.rule, finding.message);
        for note in &finding.notes {
            let _ = writeln!(out, "  note: {note}");
        }
    }
    let needs = contract(report);
    let _ = writeln!(out, "\ncontract:");
    let _ = writeln!(
        out,
        "  options it may truthfully declare: {}",
        list(&needs.options)
    );
    let _ = writeln!(
        out,
        "  registers it changes that must be outputs or clobbers (or be restored): {}",
        list(&needs.written)
    );
    let _ = writeln!(
        out,
        "  registers it reads that must be inputs: {}",
        list(&needs.read)
    );
    for adjustment in &needs.adjustments {
        let _ = writeln!(out, "  {adjustment}");
    }
    out
}

/// Facts name the representative register the template reader put in for
/// a placeholder (`r8` for `{t}`); show the placeholder instead, since the
/// compiler picks the real register.
fn with_operand_names(report: &BlockReport, summary: &str) -> String {
    let label = |index: usize| match &report.args.operands[index].name {
        Some(name) => format!("{{{name}}}"),
        None => format!("{{{index}}}"),
    };
    let mut out = String::new();
    for (i, part) in summary.split('`').enumerate() {
        if i % 2 == 1 {
            let family = checked_asm_analysis::template::registers::family(part);
            let operand = report
                .reading
                .placeholder_registers
                .iter()
                .find(|(_, f)| Some(f.as_str()) == family.as_deref())
                .map(|(index, _)| *index);
            out.push('`');
            match operand {
                Some(index) => out.push_str(&label(index)),
                None => out.push_str(part),
            }
            out.push('`');
        } else {
            out.push_str(part);
        }
    }
    out
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items
            .iter()
            .map(|item| format!("`{item}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
