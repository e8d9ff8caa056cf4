//! How an audit shows what it found: rustc's diagnostic layout, so that a
//! finding reads the same from `checked-asm audit` as from `cargo build`,
//! or one JSON object per line for tools.

use checked_asm_analysis::{Finding, Severity};

use super::scan::{Item, Place};
use crate::json::quote;

/// The rule name reported for invocations the analysis cannot read.
pub(crate) const NOT_ANALYSABLE: &str = "not_analysable";

/// `item` in rustc's layout: the message (notes and help aligned under it),
/// then the location and the source line with the span underlined.
pub(crate) fn text(file: &str, source: &str, item: &Item) -> String {
    let (message, place) = match item {
        Item::Finding { finding, place } => (headed(severity(finding), &finding.render()), *place),
        Item::NotAnalysable {
            macro_name,
            why,
            place,
        } => (headed("note", &not_analysable(macro_name, why)), *place),
    };
    format!("{message}\n{}", snippet(file, source, place))
}

/// `level: first line`, later lines indented to the first one's text, as
/// rustc prints a multi-line `compile_error!` message.
fn headed(level: &str, message: &str) -> String {
    let indent = " ".repeat(level.len() + 2);
    let mut out = format!("{level}: ");
    for (index, line) in message.lines().enumerate() {
        if index > 0 {
            out.push('\n');
            out.push_str(&indent);
        }
        out.push_str(line);
    }
    out
}

/// ` --> file:line:col`, the gutter, the line, and carets under the span
/// (to the end of the first line when the span goes on).
fn snippet(file: &str, source: &str, place: Place) -> String {
    let number = place.line.to_string();
    let pad = " ".repeat(number.len());
    let line = source
        .lines()
        .nth(place.line.saturating_sub(1))
        .unwrap_or("");
    let chars: Vec<char> = line.chars().collect();
    let end = if place.end_line == place.line {
        place.end_column.min(chars.len())
    } else {
        chars.len()
    };
    let start = place.column.min(end);
    // rustc shows a tab as four spaces; the carets must follow suit.
    let width = |part: &[char]| part.iter().map(|&c| if c == '\t' { 4 } else { 1 }).sum();
    let lead: usize = width(&chars[..start]);
    let carets: usize = width(&chars[start..end]);
    format!(
        "{pad}--> {file}:{}:{}\n{pad} |\n{number} | {}\n{pad} | {}{}\n",
        place.line,
        place.column + 1,
        line.replace('\t', "    ").trim_end(),
        " ".repeat(lead),
        "^".repeat(carets.max(1)),
    )
}

/// `item` as one JSON object: position (1-based column, as rustc prints
/// it), rule, severity, message, notes, help and the statement concerned.
pub(crate) fn json(file: &str, item: &Item) -> String {
    let record = Record::of(item);
    let optional = |text: Option<&str>| text.map_or_else(|| "null".to_owned(), quote);
    let notes: Vec<String> = record.notes.iter().map(|note| quote(note)).collect();
    format!(
        "{{\"file\": {}, \"line\": {}, \"column\": {}, \"rule\": {}, \"severity\": {}, \"message\": {}, \"notes\": [{}], \"help\": {}, \"statement\": {}}}",
        quote(file),
        record.place.line,
        record.place.column + 1,
        quote(record.rule),
        quote(record.severity),
        quote(&record.message),
        notes.join(", "),
        optional(record.help),
        optional(record.statement),
    )
}

/// The fields of a JSON record, whatever the item.
struct Record<'a> {
    rule: &'a str,
    severity: &'static str,
    message: String,
    notes: &'a [String],
    help: Option<&'a str>,
    statement: Option<&'a str>,
    place: Place,
}

impl<'a> Record<'a> {
    fn of(item: &'a Item) -> Record<'a> {
        match item {
            Item::Finding { finding, place } => Record {
                rule: finding.rule,
                severity: severity(finding),
                message: finding.message.clone(),
                notes: &finding.notes,
                help: finding.help.as_deref(),
                statement: finding.statement.as_deref(),
                place: *place,
            },
            Item::NotAnalysable {
                macro_name,
                why,
                place,
            } => Record {
                rule: NOT_ANALYSABLE,
                severity: "note",
                message: not_analysable(macro_name, why),
                notes: &[],
                help: None,
                statement: None,
                place: *place,
            },
        }
    }
}

fn severity(finding: &Finding) -> &'static str {
    match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn not_analysable(macro_name: &str, why: &str) -> String {
    format!("this `{macro_name}!` is not analysable: {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_matches_rustc_layout() {
        let source = "fn f() {\n\tunsafe { asm!(\"cli\", options(nomem)) };\n}\n";
        let place = Place {
            line: 2,
            column: 30,
            end_line: 2,
            end_column: 35,
        };
        assert_eq!(
            snippet("src/lib.rs", source, place),
            " --> src/lib.rs:2:31\n  |\n2 |     unsafe { asm!(\"cli\", options(nomem)) };\n  |                                  ^^^^^\n"
        );
    }

    #[test]
    fn multi_line_messages_align_under_the_first_line() {
        assert_eq!(
            headed("error", "fact\nhelp: do\nnote: `x`"),
            "error: fact\n       help: do\n       note: `x`"
        );
    }
}
