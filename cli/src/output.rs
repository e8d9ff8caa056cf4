//! Printing results. `println!` panics when the reader of a pipe goes away
//! (`checked-asm corpus … | head`); the command stops quietly instead.

use std::io::Write as _;

/// The error returned once standard output is closed.
pub(crate) const CLOSED: &str = "standard output is closed";

/// Writes `text` and a newline to standard output.
pub(crate) fn line(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|err| match err.kind() {
        std::io::ErrorKind::BrokenPipe => CLOSED.to_owned(),
        _ => format!("cannot write the output: {err}"),
    })
}
