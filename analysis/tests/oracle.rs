//! The LLVM oracle: lines of assembly are assembled by the real rustc (see
//! `oracle/assemble.rs`), LLVM's bytes are decoded, and the facts of the
//! decoded instruction are compared with the facts our front-end derives
//! from the text. Both directions count: a line LLVM rejects must be one we
//! reject, and a line we reject must be one LLVM rejects.
//!
//! The lines: hand-written ones across every instruction class
//! (`oracle/intel.txt`, `oracle/att.txt`) and every distinct statement of the
//! shared corpus, after placeholder substitution.

#[path = "oracle/assemble.rs"]
mod assemble;
#[path = "oracle/elf.rs"]
mod elf;
#[path = "shared_corpus/mod.rs"]
mod shared_corpus;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assemble::{Assembled, assemble};
use checked_asm_analysis::find::invocations;
use checked_asm_analysis::parse::{AsmArgs, AsmOption, MacroKind};
use checked_asm_analysis::semantics::{self, Facts, Matched};
use checked_asm_analysis::template::ast::{Bitness, StatementBody};
use checked_asm_analysis::template::{self};

/// Lines where we and LLVM disagree on purpose, with the reason. None of them
/// may be a case where we see less than LLVM.
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[
    (
        "xlat",
        "LLVM's Intel parser wants `xlatb` or an operand; we read `xlat` as `xlatb`, the same instruction",
    ),
    (
        "fstsw ax",
        "LLVM emits `wait` + `fnstsw ax` and the decoder sees `wait` first; our one `fstsw` form has the facts of both",
    ),
    (
        "int $3",
        "LLVM accepts `int $3` in `asm!`, which is how rustc passes it (checked with rustc), but not in the `global_asm!` the oracle uses; we follow `asm!`",
    ),
    (
        "finit",
        "LLVM emits `wait` + `fninit` and the decoder sees `wait` first; our one `finit` form has the facts of both",
    ),
];

fn hand_written(file: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/oracle")
        .join(file);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("oracle-{name}"))
}

/// Our reading of one line: the matched instruction (`None` for a line
/// that is only a directive such as `n = 0`), or why not.
fn ours(line: &str, att: bool) -> Result<Option<Matched>, String> {
    // A template is a format string: braces of EVEX decorators are escaped.
    let template = line.replace('{', "{{").replace('}', "}}");
    let source = if att {
        format!("{template:?}, options(att_syntax)")
    } else {
        format!("{template:?}")
    };
    let tokens = source.parse().map_err(|_| "does not lex".to_owned())?;
    let args = AsmArgs::parse(tokens).map_err(|err| err.to_string())?;
    let lowered = template::lower(&args, MacroKind::GlobalAsm, Bitness::Bits64);
    if let Some(error) = lowered.errors.first() {
        return Err(error.message());
    }
    // In the mode the statement is in (a real-mode line has `.code16`).
    let mut instructions = lowered.statements.iter().filter_map(|s| match &s.body {
        StatementBody::Instruction(instruction) => Some((instruction, s.bitness)),
        _ => None,
    });
    let Some((instruction, mode)) = instructions.next() else {
        return Ok(None);
    };
    semantics::match_instruction(instruction, mode)
        .map(Some)
        .map_err(|err| err.to_string())
}

/// LLVM's instruction: the first one decoded from the line's slot.
fn llvm(assembled: &Assembled, mode: Bitness) -> Option<Matched> {
    match assembled {
        Assembled::Rejected => None,
        Assembled::Bytes(bytes) => {
            // Decode one instruction: the slot is the line then int3 padding.
            (1..=bytes.len()).find_map(|len| {
                semantics::decode_data(&bytes[..len], mode)
                    .ok()
                    .filter(|all| all.len() == 1)
                    .and_then(|mut all| all.pop())
            })
        }
    }
}

/// The facts that must agree, in a comparable form. Operand indices and
/// explicit/implicit marks are ours alone (a decoder cannot know them).
fn projection(matched: &Matched) -> BTreeMap<&'static str, String> {
    let facts: &Facts = &matched.facts;
    let regs = |uses: &[semantics::RegUse]| {
        uses.iter()
            .map(|u| format!("{}{}", u.reg.name, if u.conditional { "?" } else { "" }))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut memory: Vec<String> = facts
        .memory
        .iter()
        .map(|m| {
            format!(
                "{:?}{}{:?}{}",
                m.access,
                if m.conditional { "?" } else { "" },
                m.size,
                if m.stack { "s" } else { "" }
            )
        })
        .collect();
    memory.sort();
    let mut out = BTreeMap::new();
    out.insert("mnemonic", facts.mnemonic.to_owned());
    out.insert("reads", regs(&facts.registers_read));
    out.insert("writes", regs(&facts.registers_written));
    out.insert("memory", memory.join(" "));
    out.insert(
        "flags",
        format!(
            "{:?} {:?} {:?}",
            facts.flags_read, facts.flags_written, facts.flags_undefined
        ),
    );
    out.insert(
        "fp",
        format!(
            "{} {} {}",
            facts.x87_status_written, facts.mxcsr_status_written, facts.x87_stack_delta
        ),
    );
    out.insert("flow", format!("{:?}", facts.flow));
    out.insert(
        "stack",
        format!("{:?} {}", facts.stack_delta, facts.writes_stack_pointer),
    );
    out.insert("lock", format!("{}", facts.lock));
    out.insert("effects", format!("{:?}", facts.side_effects));
    if !matched.has_symbolic_immediate() && !matched.has_direct_target() {
        out.insert("immediates", format!("{:?}", matched.immediates()));
    }
    out
}

/// One line's verdict: `None` when we agree with LLVM.
fn compare(line: &str, att: bool, assembled: &Assembled, mode: Bitness) -> Option<String> {
    let emits_nothing =
        matches!(assembled, Assembled::Bytes(bytes) if bytes.iter().all(|&b| b == 0xcc));
    match (ours(line, att), llvm(assembled, mode)) {
        (Ok(None), _) if emits_nothing => None,
        (Ok(None), _) => Some("LLVM emits code, we see no instruction".to_owned()),
        (Err(_), None) => None,
        (Ok(_), None) => Some("LLVM rejects it, we accept it".to_owned()),
        (Err(reason), Some(_)) => Some(format!("LLVM accepts it, we reject it: {reason}")),
        (Ok(Some(ours)), Some(theirs)) => {
            let (a, b) = (projection(&ours), projection(&theirs));
            let differences: Vec<String> = a
                .iter()
                .filter(|(key, value)| b.get(*key) != Some(value))
                .map(|(key, value)| {
                    format!(
                        "{key}: ours `{value}`, LLVM `{}`",
                        b.get(key).map_or("", String::as_str)
                    )
                })
                .collect();
            (!differences.is_empty()).then(|| differences.join("; "))
        }
    }
}

struct Tally {
    lines: usize,
    checked: BTreeSet<String>,
    disagreements: Vec<(String, String)>,
}

fn run(lines: &[String], att: bool, name: &str) -> Tally {
    run_in(lines, att, name, Bitness::Bits64)
}

/// [`run`] with the lines in `mode`: 16-bit lines are assembled, and read
/// by us, after a `.code16` (and followed by `.code64`, which leaves the
/// object's other code alone).
fn run_in(lines: &[String], att: bool, name: &str, mode: Bitness) -> Tally {
    let texts: Vec<String> = match mode {
        Bitness::Bits16 => lines
            .iter()
            .map(|line| format!(".code16; {line}; .code64"))
            .collect(),
        _ => lines.to_vec(),
    };
    let assembled = assemble(&texts, att, &scratch(name));
    let disagreements = lines
        .iter()
        .zip(&texts)
        .zip(&assembled)
        .filter_map(|((line, text), assembled)| {
            compare(text, att, assembled, mode).map(|why| (line.clone(), why))
        })
        .collect();
    Tally {
        lines: lines.len(),
        checked: lines.iter().cloned().collect(),
        disagreements,
    }
}

fn check(tallies: &[Tally]) {
    let lines: usize = tallies.iter().map(|t| t.lines).sum();
    let all: Vec<&(String, String)> = tallies.iter().flat_map(|t| &t.disagreements).collect();
    let unexplained: Vec<String> = all
        .iter()
        .filter(|(line, _)| !KNOWN_DISAGREEMENTS.iter().any(|(known, _)| known == line))
        .map(|(line, why)| format!("  {line:?}: {why}"))
        .collect();
    let agreement = 100.0 * (lines - all.len()) as f64 / lines as f64;
    println!(
        "oracle: {lines} lines, {} disagreements, {agreement:.2}% agreement",
        all.len()
    );
    assert!(
        unexplained.is_empty(),
        "{} unexplained disagreements with LLVM:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
    let stale: Vec<&str> = KNOWN_DISAGREEMENTS
        .iter()
        .filter(|(known, _)| tallies.iter().any(|t| t.checked.contains(*known)))
        .filter(|(known, _)| !all.iter().any(|(line, _)| line == known))
        .map(|(known, _)| *known)
        .collect();
    assert!(
        stale.is_empty(),
        "known disagreements that no longer occur: {stale:?}"
    );
    assert!(
        agreement >= 99.5,
        "agreement {agreement:.2}% is below 99.5%"
    );
}

#[test]
fn hand_written_lines_agree_with_llvm() {
    let intel = run(&hand_written("intel.txt"), false, "intel");
    let att = run(&hand_written("att.txt"), true, "att");
    let real_mode = run_in(
        &hand_written("real_mode.txt"),
        false,
        "real-mode",
        Bitness::Bits16,
    );
    let real_mode_att = run_in(
        &hand_written("real_mode_att.txt"),
        true,
        "real-mode-att",
        Bitness::Bits16,
    );
    check(&[intel, att, real_mode, real_mode_att]);
}

/// `2: mov …` → `mov …`: labels are the slot's business.
fn without_labels(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start();
        let label_end = trimmed
            .find(':')
            .filter(|&at| {
                at > 0
                    && trimmed[..at]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_.$".contains(c))
            })
            .filter(|&at| !trimmed[at + 1..].starts_with(':'))
            .filter(|&at| !matches!(&trimmed[..at], "es" | "cs" | "ss" | "ds" | "fs" | "gs"));
        match label_end {
            Some(at) => text = &trimmed[at + 1..],
            None => return trimmed.trim_end(),
        }
    }
}

/// Every distinct instruction statement of the shared corpus's x86-64
/// blocks, after placeholder substitution, split by syntax.
fn corpus_statements() -> Option<(Vec<String>, Vec<String>)> {
    let corpus = shared_corpus::records()?;
    let (mut intel, mut att) = (BTreeSet::new(), BTreeSet::new());
    for record in corpus.lines() {
        if record.contains("\"arch_guess\": \"x86\"") {
            continue; // 32-bit code; the oracle assembles for x86-64
        }
        let Some(text) = shared_corpus::text_field(record) else {
            continue;
        };
        let Ok(tokens) = text.parse() else { continue };
        let Some(found) = invocations(tokens).into_iter().next() else {
            continue;
        };
        let Ok(args) = AsmArgs::parse(found.args) else {
            continue;
        };
        let is_att = args.has_option(AsmOption::AttSyntax);
        for (_, statement) in template::substituted_statements(&args, Bitness::Bits64) {
            let statement = without_labels(&statement);
            // Directives are not instructions; a prefix alone on a line is
            // merged into the next statement when a block is read.
            let lone_prefix = matches!(
                statement,
                "lock" | "rep" | "repe" | "repz" | "repne" | "repnz" | "xacquire" | "xrelease"
            );
            if statement.is_empty() || statement.starts_with('.') || lone_prefix {
                continue;
            }
            if is_att { &mut att } else { &mut intel }.insert(statement.to_owned());
        }
    }
    Some((intel.into_iter().collect(), att.into_iter().collect()))
}

#[test]
fn corpus_statements_agree_with_llvm() {
    let Some((intel, att)) = corpus_statements() else {
        println!("no shared corpus beside the repository: skipped");
        return;
    };
    let intel = run(&intel, false, "corpus-intel");
    let att = run(&att, true, "corpus-att");
    check(&[intel, att]);
}
