//! `checked-asm corpus FILE.jsonl [--json]`: every block of a corpus through
//! the analysis, with a status per block and a summary.
//!
//! Each line is a JSON object whose `text` field holds a whole invocation
//! (`asm!(..)`, `global_asm!(..)`, `naked_asm!(..)`); `arch_guess` = `"x86"`
//! selects 32-bit mode, anything else 64-bit.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use checked_asm_analysis::includes::no_includes;
use checked_asm_analysis::{BlockReport, TargetArch, check_block, check_block_where_it_builds};

use crate::json::{Json, quote};

/// What became of one block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Ok,
    Findings,
    Unsupported,
    NotAnalysable,
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Findings => "findings",
            Status::Unsupported => "unsupported",
            Status::NotAnalysable => "not_analysable",
        }
    }
}

struct Outcome {
    status: Status,
    /// (rule, message, statement)
    findings: Vec<(String, String, String)>,
}

pub(crate) fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut path = None;
    let mut as_json = false;
    for arg in args {
        match arg.as_str() {
            "--json" => as_json = true,
            other if other.starts_with("--") => return Err(format!("unknown option `{other}`")),
            other => path = Some(other.to_owned()),
        }
    }
    let path = path.ok_or("`corpus` needs a FILE.jsonl")?;
    let text =
        std::fs::read_to_string(&path).map_err(|err| format!("cannot read `{path}`: {err}"))?;
    let started = Instant::now();
    let mut counts = [0usize; 4];
    let mut by_rule: std::collections::BTreeMap<String, usize> = Default::default();
    for (index, line) in text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
    {
        let record =
            Json::parse(line).map_err(|err| format!("{path}: line {}: {err}", index + 1))?;
        let outcome = analyse_record(&record);
        counts[outcome.status as usize] += 1;
        for (rule, _, _) in &outcome.findings {
            *by_rule.entry(rule.clone()).or_default() += 1;
        }
        if as_json {
            crate::output::line(&outcome_json(index, &outcome))?;
        } else {
            crate::output::line(&outcome_line(index, &record, &outcome))?;
        }
    }
    let total: usize = counts.iter().sum();
    let elapsed = started.elapsed();
    let percent = |n: usize| {
        if total == 0 {
            0.0
        } else {
            100.0 * n as f64 / total as f64
        }
    };
    let rules: Vec<String> = by_rule
        .iter()
        .map(|(rule, n)| format!("{rule}: {n}"))
        .collect();
    if as_json {
        let rules_json: Vec<String> = by_rule
            .iter()
            .map(|(rule, n)| format!("{}: {n}", quote(rule)))
            .collect();
        crate::output::line(&format!(
            "{{\"summary\": {{\"blocks\": {total}, \"ok\": {}, \"findings\": {}, \"unsupported\": {}, \"not_analysable\": {}, \"by_rule\": {{{}}}, \"seconds\": {:.3}}}}}",
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            rules_json.join(", "),
            elapsed.as_secs_f64()
        ))?;
    } else {
        crate::output::line(&format!(
            "summary: {total} blocks: {} ok ({:.1}%), {} with findings ({:.1}%), {} unsupported ({:.1}%), {} not analysable ({:.1}%) in {:.2} s{}",
            counts[0],
            percent(counts[0]),
            counts[1],
            percent(counts[1]),
            counts[2],
            percent(counts[2]),
            counts[3],
            percent(counts[3]),
            elapsed.as_secs_f64(),
            if rules.is_empty() {
                String::new()
            } else {
                format!("; findings by rule: {}", rules.join(", "))
            }
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn analyse_record(record: &Json) -> Outcome {
    let not_analysable = |why: &str| Outcome {
        status: Status::NotAnalysable,
        findings: vec![("not_analysable".to_owned(), why.to_owned(), String::new())],
    };
    let Some(text) = record.get("text").and_then(Json::as_str) else {
        return not_analysable("the record has no `text`");
    };
    let arch = match record.get("arch_guess").and_then(Json::as_str) {
        Some("x86") => TargetArch::X86,
        _ => TargetArch::X86_64,
    };
    let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else {
        return not_analysable("the text does not lex as Rust tokens");
    };
    let Some(invocation) = checked_asm_analysis::find::invocations(tokens)
        .into_iter()
        .next()
    else {
        return not_analysable("no assembly macro invocation in the text");
    };
    // (Real-mode code is judged for x86, whatever the path suggested.)
    let Some(report) =
        check_block_where_it_builds(invocation.kind, invocation.args.clone(), arch, &no_includes)
    else {
        return not_analysable("the arguments are built by `macro_rules!` fragments");
    };
    let outcome = outcome_of(&report);
    // The corpus's architecture is a guess. The macro checks every block in
    // both modes, each under its own `cfg`; a block that only reads as
    // 32-bit code (a bootloader stage built for an i386 target) is judged
    // in that mode.
    if outcome.status == Status::Unsupported
        && arch == TargetArch::X86_64
        && let Some(other) = check_block(invocation.kind, invocation.args, TargetArch::X86)
    {
        let other = outcome_of(&other);
        if other.status != Status::Unsupported {
            return other;
        }
    }
    outcome
}

fn outcome_of(report: &BlockReport) -> Outcome {
    let findings: Vec<(String, String, String)> = report
        .findings
        .iter()
        .map(|finding| {
            let statement = finding.notes.first().cloned().unwrap_or_default();
            (finding.rule.to_owned(), finding.message.clone(), statement)
        })
        .collect();
    let has = |rule: &str| findings.iter().any(|(r, _, _)| r == rule);
    let status = if has("opaque_template") {
        Status::NotAnalysable
    } else if has("unsupported_instruction") {
        Status::Unsupported
    } else if findings.is_empty() {
        Status::Ok
    } else {
        Status::Findings
    };
    Outcome { status, findings }
}

fn outcome_json(index: usize, outcome: &Outcome) -> String {
    let findings: Vec<String> = outcome
        .findings
        .iter()
        .map(|(rule, message, statement)| {
            format!(
                "{{\"rule\": {}, \"message\": {}, \"statement\": {}}}",
                quote(rule),
                quote(message),
                quote(statement)
            )
        })
        .collect();
    format!(
        "{{\"index\": {index}, \"status\": {}, \"findings\": [{}]}}",
        quote(outcome.status.name()),
        findings.join(", ")
    )
}

fn outcome_line(index: usize, record: &Json, outcome: &Outcome) -> String {
    let source = record.get("source").and_then(Json::as_str).unwrap_or("?");
    let file = record.get("path").and_then(Json::as_str).unwrap_or("?");
    let line = match record.get("line") {
        Some(Json::Number(n)) => *n as u64,
        _ => 0,
    };
    let mut out = format!(
        "{index:5} {:<14} {source} {file}:{line}",
        outcome.status.name()
    );
    for (rule, message, _) in &outcome.findings {
        let _ = write!(out, "\n      {rule}: {message}");
    }
    out
}
