//! `checked-asm audit [PATH…] [--format json] [--arch x86]`: every assembly
//! block of a crate, checked as the macro would check it, without editing
//! the crate. Exits 1 when something is an error, so that it can gate CI.
//!
//! Blocks are read as the macro reads them, one target at a time: x86_64
//! unless `--arch x86` says otherwise. The audit does not evaluate `cfg`s, so
//! a block written only for the other architecture is read in the wrong mode
//! (its 32-bit-only instructions show as `unsupported_instruction`): audit
//! such code once per architecture. Real-mode blocks (they call the BIOS)
//! are the exception: only an x86 target builds them, so they are read for
//! x86 either way.

mod render;
mod scan;
mod sources;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use checked_asm_analysis::{Severity, TargetArch};

use scan::Item;

/// How findings are printed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

struct Options {
    paths: Vec<PathBuf>,
    format: Format,
    arch: TargetArch,
}

/// What the summary line counts.
#[derive(Default)]
struct Totals {
    files: usize,
    unreadable: usize,
    invocations: usize,
    analysed: usize,
    not_analysable: usize,
    errors: usize,
    warnings: usize,
    by_rule: BTreeMap<&'static str, usize>,
}

pub(crate) fn run(args: &[String]) -> Result<ExitCode, String> {
    let options = options(args)?;
    let files = sources::rust_files(&options.paths)?;
    let mut totals = Totals::default();
    for path in &files {
        totals.files += 1;
        let file = sources::display(path);
        let scanned = std::fs::read_to_string(path)
            .map_err(|err| err.to_string())
            .and_then(|text| {
                scan::scan(&text, options.arch, path.parent()).map(|scan| (text, scan))
            });
        let (text, scan) = match scanned {
            Ok(found) => found,
            Err(err) => {
                // rustc would reject such a file, or it is not part of the
                // crate (a fixture): say so and read the others.
                eprintln!("warning: cannot read `{file}` as Rust tokens: {err}");
                totals.unreadable += 1;
                continue;
            }
        };
        totals.invocations += scan.invocations;
        totals.analysed += scan.analysed;
        for item in &scan.items {
            totals.count(item);
            match options.format {
                Format::Text => crate::output::line(&render::text(&file, &text, item))?,
                Format::Json => crate::output::line(&render::json(&file, item))?,
            }
        }
    }
    eprintln!("{}", totals.summary());
    Ok(if totals.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        paths: Vec::new(),
        format: Format::Text,
        arch: TargetArch::X86_64,
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| iter.next().cloned())
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match name {
            "--format" => {
                options.format = match value()?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => {
                        return Err(format!(
                            "unknown format `{other}`, expected `text` or `json`"
                        ));
                    }
                }
            }
            "--arch" => {
                options.arch = match value()?.as_str() {
                    "x86_64" => TargetArch::X86_64,
                    "x86" => TargetArch::X86,
                    other => {
                        return Err(format!(
                            "unknown architecture `{other}`, expected `x86_64` or `x86`"
                        ));
                    }
                }
            }
            other if other.starts_with("--") => return Err(format!("unknown option `{other}`")),
            path => options.paths.push(PathBuf::from(path)),
        }
    }
    if options.paths.is_empty() {
        options.paths.push(PathBuf::from("."));
    }
    Ok(options)
}

impl Totals {
    fn count(&mut self, item: &Item) {
        match item {
            Item::Finding { finding, .. } => {
                match finding.severity {
                    Severity::Error => self.errors += 1,
                    Severity::Warning => self.warnings += 1,
                }
                *self.by_rule.entry(finding.rule).or_default() += 1;
            }
            Item::NotAnalysable { .. } => self.not_analysable += 1,
        }
    }

    /// One line: what was read, what could not be, what was found.
    fn summary(&self) -> String {
        let unreadable = if self.unreadable > 0 {
            format!(" ({} not readable as Rust tokens)", self.unreadable)
        } else {
            String::new()
        };
        let rules: Vec<String> = self
            .by_rule
            .iter()
            .map(|(rule, n)| format!("{rule}: {n}"))
            .collect();
        let by_rule = if rules.is_empty() {
            String::new()
        } else {
            format!(" ({})", rules.join(", "))
        };
        format!(
            "audit: {} scanned{unreadable}, {}: {} analysed, {} not analysable; {}, {}{by_rule}",
            counted(self.files, "file"),
            counted(self.invocations, "invocation"),
            self.analysed,
            self.not_analysable,
            counted(self.errors, "error"),
            counted(self.warnings, "warning"),
        )
    }
}

/// `1 file`, `2 files`.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
