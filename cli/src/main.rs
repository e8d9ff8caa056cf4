//! The `checked-asm` command: a thin front over `checked-asm-analysis`.

#![forbid(unsafe_code)]

mod audit;
mod corpus;
mod explain;
mod json;
mod output;

use std::process::ExitCode;

const USAGE: &str = "usage: checked-asm <command> [args]

commands:
  explain [--att] [--x86] 'TEMPLATE' [OPERAND…]   what each statement does, and the contract the block needs
  explain [--x86] --file FILE                     the same for a template (or a whole `asm!(..)` call) in FILE
  audit [PATH…] [--format json] [--arch x86]      check every asm block of the Rust sources under PATH (default: .)
  corpus FILE.jsonl [--json]                      analyse every block of a corpus of JSON lines
  help                                            this message";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some("explain") => explain::run(&args[1..]),
        Some("audit") => audit::run(&args[1..]),
        Some("corpus") => corpus::run(&args[1..]),
        Some(other) => Err(format!("unknown command `{other}`")),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`checked-asm corpus … | head`): not an error.
        Err(message) if message == output::CLOSED => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
