//! The lexer: statements, comments, labels, prefixes, and operand tokens.
//!
//! It works on the template after placeholder substitution (see
//! [`super::placeholder`]), where each placeholder is one private-use
//! character ("marker") that stands for an entry of the substitution table.
//! Markers keep "this register came from operand 2" through lexing, which
//! textual substitution would lose.

use super::ast::{Prefix, SegmentReg};
use super::registers;

/// First code point used for placeholder markers (Supplementary Private Use
/// Area-A: never valid in assembly, so it cannot clash with user text).
const MARKER_BASE: u32 = 0xF_0000;
/// How many markers fit before the area ends.
pub(crate) const MARKER_LIMIT: usize = 0xFFFE;

/// The marker character for substitution `index`.
pub(crate) fn marker_char(index: usize) -> Option<char> {
    if index >= MARKER_LIMIT {
        return None;
    }
    char::from_u32(MARKER_BASE + u32::try_from(index).ok()?)
}

/// The substitution index a character stands for, if it is a marker.
pub(crate) fn marker_index(c: char) -> Option<usize> {
    let code = u32::from(c);
    (MARKER_BASE..MARKER_BASE + MARKER_LIMIT as u32)
        .contains(&code)
        .then(|| (code - MARKER_BASE) as usize)
}

/// One token of an operand, directive argument or expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// An identifier-like word (`rax`, `foo@PLT`, `.Lfoo`, `rex.w`).
    Word(String),
    /// A number-like word as written (`0x1f`, `10b`, `2f`, `1to16`).
    Number(String),
    /// A character literal's value (`'a'`).
    Char(i128),
    /// A string literal's bytes, escapes resolved.
    Str(Vec<u8>),
    /// A placeholder marker: index into the substitution table.
    Marker(usize),
    /// Punctuation; two-character operators are one token (`<<`).
    Punct(&'static str),
}

impl Tok {
    /// Whether this is the punctuation `p`.
    pub(crate) fn is(&self, p: &str) -> bool {
        matches!(self, Tok::Punct(q) if *q == p)
    }

    /// The word as written, if this is a word.
    pub(crate) fn word(&self) -> Option<&str> {
        match self {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    /// Whether this is the word `lower`, in any case. Compared in place:
    /// lower-casing a copy allocates, and every operand asks this.
    pub(crate) fn is_word(&self, lower: &str) -> bool {
        matches!(self, Tok::Word(w) if w.eq_ignore_ascii_case(lower))
    }
}

/// A two-character operator (`<<`, `==`, …). A `match`, not a search of
/// a list of strings: this runs for every punctuation character.
fn punct2(first: char, second: char) -> Option<&'static str> {
    Some(match (first, second) {
        ('<', '<') => "<<",
        ('>', '>') => ">>",
        ('=', '=') => "==",
        ('!', '=') => "!=",
        ('<', '=') => "<=",
        ('>', '=') => ">=",
        ('&', '&') => "&&",
        ('|', '|') => "||",
        ('<', '>') => "<>",
        _ => return None,
    })
}

/// A one-character punctuation token.
fn punct1(c: char) -> Option<&'static str> {
    Some(match c {
        '[' => "[",
        ']' => "]",
        '(' => "(",
        ')' => ")",
        '{' => "{",
        '}' => "}",
        '+' => "+",
        '-' => "-",
        '*' => "*",
        '/' => "/",
        '%' => "%",
        '<' => "<",
        '>' => ">",
        '&' => "&",
        '|' => "|",
        '^' => "^",
        '~' => "~",
        '!' => "!",
        ',' => ",",
        ':' => ":",
        '=' => "=",
        '$' => "$",
        '?' => "?",
        _ => return None,
    })
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '.' || c == '@'
}

fn is_word_continue(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$' | '@')
}

/// Splits text into tokens. Errors are rustc-style reasons.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Tok>, String> {
    // Decoded straight into characters (no offsets needed here), by the
    // same byte loop as `char_offsets`.
    let bytes = text.as_bytes();
    let mut chars: Vec<char> = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            chars.push(char::from(byte));
            at += 1;
        } else {
            // `at` is on a character boundary: it only moves by whole characters.
            let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            chars.push(c);
            at += c.len_utf8();
        }
    }
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if let Some(index) = marker_index(c) {
            toks.push(Tok::Marker(index));
            i += 1;
        } else if is_word_start(c) {
            let start = i;
            while i < chars.len() && is_word_continue(chars[i]) {
                i += 1;
            }
            toks.push(Tok::Word(string_of(&chars[start..i])));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            toks.push(Tok::Number(string_of(&chars[start..i])));
        } else if c == '\'' {
            let (value, next) = char_literal(&chars, i)?;
            toks.push(Tok::Char(value));
            i = next;
        } else if c == '"' {
            let (bytes, next) = string_literal(&chars, i)?;
            toks.push(Tok::Str(bytes));
            i = next;
        } else {
            if let Some(p) = chars.get(i + 1).and_then(|&next| punct2(c, next)) {
                toks.push(Tok::Punct(p));
                i += 2;
            } else if let Some(p) = punct1(c) {
                toks.push(Tok::Punct(p));
                i += 1;
            } else {
                return Err(format!("unexpected character `{}`", c.escape_default()));
            }
        }
    }
    Ok(toks)
}

/// The characters as a string (a loop: unoptimised, `collect` costs
/// several calls per character).
fn string_of(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    for &c in chars {
        out.push(c);
    }
    out
}

/// `'a'`, `'\n'`, or GAS's unterminated `'a`.
fn char_literal(chars: &[char], start: usize) -> Result<(i128, usize), String> {
    let mut i = start + 1;
    let Some(&c) = chars.get(i) else {
        return Err("unterminated character literal".to_owned());
    };
    let value = if c == '\\' {
        i += 1;
        let Some(&e) = chars.get(i) else {
            return Err("unterminated character literal".to_owned());
        };
        escape_value(e)
    } else {
        u32::from(c)
    };
    i += 1;
    if chars.get(i) == Some(&'\'') {
        i += 1;
    }
    Ok((i128::from(value), i))
}

fn escape_value(e: char) -> u32 {
    match e {
        'n' => 10,
        't' => 9,
        'r' => 13,
        '0' => 0,
        'b' => 8,
        'f' => 12,
        'v' => 11,
        'a' => 7,
        other => u32::from(other),
    }
}

/// A double-quoted string with GAS escapes (`\n`, `\\`, `\"`, octal `\101`,
/// hex `\x41`), as bytes.
fn string_literal(chars: &[char], start: usize) -> Result<(Vec<u8>, usize), String> {
    let mut bytes = Vec::new();
    let mut i = start + 1;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("unterminated string literal".to_owned());
        };
        i += 1;
        match c {
            '"' => return Ok((bytes, i)),
            '\\' => {
                let Some(&e) = chars.get(i) else {
                    return Err("unterminated string literal".to_owned());
                };
                i += 1;
                if e.is_digit(8) {
                    let mut value = e.to_digit(8).unwrap_or(0);
                    let mut count = 1;
                    while count < 3 && chars.get(i).is_some_and(|d| d.is_digit(8)) {
                        value = value * 8 + chars[i].to_digit(8).unwrap_or(0);
                        i += 1;
                        count += 1;
                    }
                    bytes.push((value & 0xff) as u8);
                } else if e == 'x' || e == 'X' {
                    let mut value = 0u32;
                    while chars.get(i).is_some_and(|d| d.is_ascii_hexdigit()) {
                        value = (value << 4 | chars[i].to_digit(16).unwrap_or(0)) & 0xff;
                        i += 1;
                    }
                    bytes.push(value as u8);
                } else {
                    let mut buf = [0; 4];
                    let value = escape_value(e);
                    match char::from_u32(value) {
                        Some(ch) => bytes.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes()),
                        None => bytes.push(0),
                    }
                }
            }
            other => {
                let mut buf = [0; 4];
                bytes.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// One statement of the substituted text, comments removed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RawStatement {
    /// Byte offset (in the substituted text) of the first character.
    pub(crate) start: usize,
    /// Byte offset just past the last character.
    pub(crate) end: usize,
    /// 1-based line of the first character.
    pub(crate) line: usize,
    /// The text, comments replaced by a space, trimmed. Each entry is a
    /// character and its byte offset in the substituted text.
    pub(crate) chars: Vec<(usize, char)>,
    /// Whether `chars` are the text from `start` to `end` as it stands (no
    /// comment inside was replaced).
    pub(crate) contiguous: bool,
}

#[cfg(test)]
impl RawStatement {
    /// The statement text.
    pub(crate) fn text(&self) -> String {
        self.chars.iter().map(|&(_, c)| c).collect()
    }
}

/// Splits text into statements at `\n` and `;`, outside strings, character
/// literals and comments. Comments are `#` and `//` to the end of the line
/// and `/* */`, which may span lines (its newlines do not end the statement,
/// as in LLVM's lexer). LLVM has no `#` immediates on x86, in either syntax,
/// so `#` always starts a comment. Blank statements are dropped.
pub(crate) fn split_statements(text: &str) -> Vec<RawStatement> {
    let chars = char_offsets(text);
    // Index loops here and below: unoptimised, iterator adapters cost a
    // call or more per character, and this runs over every template.
    let mut newlines: Vec<usize> = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'\n' {
            newlines.push(at);
        }
        at += 1;
    }
    let line_of = |offset: usize| newlines.partition_point(|&nl| nl < offset) + 1;
    let mut out = Vec::new();
    // The statement being built: whole runs of characters are copied at
    // once (`run` starts the one in progress); only comments break a run.
    let mut current: Vec<(usize, char)> = Vec::new();
    let mut run = 0;
    // Whether a `/* */` was replaced in the statement being built.
    let mut replaced = false;
    let mut flush = |current: &mut Vec<(usize, char)>, replaced: &mut bool| {
        let trimmed = trim(current);
        if let (Some(first), Some(last)) = (trimmed.first(), trimmed.last()) {
            out.push(RawStatement {
                start: first.0,
                end: last.0 + last.1.len_utf8(),
                line: line_of(first.0),
                chars: trimmed.to_vec(),
                contiguous: !*replaced,
            });
        }
        current.clear();
        *replaced = false;
    };
    let mut i = 0;
    while i < chars.len() {
        let (offset, c) = chars[i];
        // Only a `/` needs the character after it.
        let next = if c == '/' {
            chars.get(i + 1).map(|&(_, c)| c)
        } else {
            None
        };
        match c {
            '\n' | ';' => {
                current.extend_from_slice(&chars[run..i]);
                flush(&mut current, &mut replaced);
                i += 1;
                run = i;
            }
            '#' => {
                current.extend_from_slice(&chars[run..i]);
                i = skip_line(&chars, i);
                run = i;
            }
            '/' if next == Some('/') => {
                current.extend_from_slice(&chars[run..i]);
                i = skip_line(&chars, i);
                run = i;
            }
            '/' if next == Some('*') => {
                current.extend_from_slice(&chars[run..i]);
                i += 2;
                while i < chars.len()
                    && !(chars[i].1 == '*' && chars.get(i + 1).is_some_and(|c| c.1 == '/'))
                {
                    i += 1;
                }
                i = (i + 2).min(chars.len());
                current.push((offset, ' '));
                replaced = true;
                run = i;
            }
            '"' => {
                // Up to the closing quote (or the end of the line), kept.
                i += 1;
                while i < chars.len() && chars[i].1 != '\n' {
                    let (_, d) = chars[i];
                    i += 1;
                    if d == '\\' && i < chars.len() && chars[i].1 != '\n' {
                        i += 1;
                    } else if d == '"' {
                        break;
                    }
                }
            }
            '\'' => {
                // A character literal: the next character (or escape) is literal.
                i += 1;
                let mut take = if chars.get(i).is_some_and(|c| c.1 == '\\') {
                    2
                } else {
                    1
                };
                while take > 0 && i < chars.len() && chars[i].1 != '\n' {
                    i += 1;
                    take -= 1;
                }
            }
            _ => i += 1,
        }
    }
    current.extend_from_slice(&chars[run..]);
    flush(&mut current, &mut replaced);
    out
}

/// `text.char_indices()`, collected by a byte loop that decodes only the
/// non-ASCII characters: unoptimised, the iterator costs several calls per
/// character, and this runs over every template.
fn char_offsets(text: &str) -> Vec<(usize, char)> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte.is_ascii() {
            out.push((i, char::from(byte)));
            i += 1;
        } else {
            // `i` is on a character boundary: it only moves by whole characters.
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            out.push((i, c));
            i += c.len_utf8();
        }
    }
    out
}

fn skip_line(chars: &[(usize, char)], mut i: usize) -> usize {
    while i < chars.len() && chars[i].1 != '\n' {
        i += 1;
    }
    i
}

fn trim(chars: &[(usize, char)]) -> &[(usize, char)] {
    let mut start = 0;
    while start < chars.len() && chars[start].1.is_whitespace() {
        start += 1;
    }
    let mut end = chars.len();
    while end > start && chars[end - 1].1.is_whitespace() {
        end -= 1;
    }
    &chars[start..end]
}

/// What precedes the operands: labels, prefixes and the mnemonic or
/// directive name.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Head {
    /// Labels defined by the statement.
    pub(crate) labels: Vec<String>,
    /// Prefix words.
    pub(crate) prefixes: Vec<Prefix>,
    /// The mnemonic or directive as written (not lower-cased), if any.
    pub(crate) word: Option<String>,
    /// Index into the statement's characters where the labels end.
    pub(crate) body_start: usize,
    /// Index into the statement's characters where the operands begin.
    pub(crate) operands_start: usize,
}

/// Label characters; a marker may stand for (part of) a label name
/// (`{isr}:` with a `sym` operand in `global_asm!`).
fn is_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$' | '@') || marker_index(c).is_some()
}

/// Reads labels (`2:`, `foo:`, `.Lfoo:`, several), prefix words, and the
/// first word of the statement.
pub(crate) fn split_head(chars: &[char]) -> Head {
    let mut labels = Vec::new();
    let mut i = skip_ws(chars, 0);
    loop {
        let start = i;
        let mut j = i;
        while j < chars.len() && is_label_char(chars[j]) {
            j += 1;
        }
        let k = skip_ws(chars, j);
        let is_label = j > start
            && chars.get(k) == Some(&':')
            && chars.get(k + 1) != Some(&':')
            && (!chars[start].is_ascii_digit() || chars[start..j].iter().all(char::is_ascii_digit));
        if !is_label {
            break;
        }
        labels.push(string_of(&chars[start..j]));
        i = skip_ws(chars, k + 1);
    }
    let body_start = i;
    let mut prefixes = Vec::new();
    // Spans, not strings: the first word of nearly every statement is no
    // prefix, and it is built as a `String` once, below.
    while let Some(after) = word_end(chars, i) {
        let next = skip_ws(chars, after);
        let Some(prefix) = prefix_of_chars(&chars[i..after]) else {
            break;
        };
        if let Prefix::Segment(_) = prefix {
            // `fs` is a prefix only before another word (or alone).
            if next < chars.len() && !(chars[next].is_ascii_alphabetic() || chars[next] == '{') {
                break;
            }
        }
        prefixes.push(prefix);
        i = next;
    }
    let (word, operands_start) = match word_end(chars, i) {
        Some(after) => (Some(string_of(&chars[i..after])), after),
        None => (None, i),
    };
    Head {
        labels,
        prefixes,
        word,
        body_start,
        operands_start,
    }
}

fn skip_ws(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    i
}

/// The end of the mnemonic-like word at `i` (letters, digits, `_`, `.`,
/// and `{vex}`-style pseudo-prefixes as one word), if there is one.
fn word_end(chars: &[char], i: usize) -> Option<usize> {
    if chars.get(i) == Some(&'{') {
        let mut j = i + 1;
        while j < chars.len() && chars[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if chars.get(j) == Some(&'}') && j > i + 1 && prefix_of_chars(&chars[i..=j]).is_some() {
            return Some(j + 1);
        }
        return None;
    }
    if !chars
        .get(i)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == '.' || *c == '_')
    {
        return None;
    }
    let mut j = i;
    while j < chars.len()
        && (chars[j].is_ascii_alphanumeric() || matches!(chars[j], '_' | '.' | '$'))
    {
        j += 1;
    }
    Some(j)
}

/// [`prefix_of`] for a word given as characters, lower-cased into a stack
/// buffer rather than a `String`.
fn prefix_of_chars(word: &[char]) -> Option<Prefix> {
    let mut buffer = [0u8; PREFIX_BUFFER];
    if word.len() > PREFIX_BUFFER {
        return prefix_of(&string_of(word));
    }
    let mut length = 0;
    while length < word.len() {
        let Ok(byte) = u8::try_from(word[length]) else {
            return prefix_of(&string_of(word));
        };
        buffer[length] = byte.to_ascii_lowercase();
        length += 1;
    }
    // Every prefix word starts with one of these (segment registers
    // included): most mnemonics are rejected without comparing strings.
    if !matches!(
        buffer[0],
        b'l' | b'r' | b'x' | b'n' | b'b' | b'd' | b'a' | b'{' | b'e' | b'c' | b's' | b'f' | b'g'
    ) {
        return None;
    }
    match std::str::from_utf8(&buffer[..length]) {
        Ok(lower) => prefix_of_lower(lower),
        Err(_) => prefix_of(&string_of(word)),
    }
}

/// The longest prefix word that is not `rex.` with a long tail
/// (`{nooverflow}`); longer words take the allocating path.
const PREFIX_BUFFER: usize = 12;

/// The prefix a word denotes.
pub(crate) fn prefix_of(word: &str) -> Option<Prefix> {
    // Lower-cased into a stack buffer: this is asked for the first word of
    // every statement, and almost none is a prefix.
    let bytes = word.as_bytes();
    if bytes.len() > PREFIX_BUFFER {
        return prefix_of_lower(&word.to_ascii_lowercase());
    }
    let mut buffer = [0u8; PREFIX_BUFFER];
    let mut length = 0;
    while length < bytes.len() {
        buffer[length] = bytes[length].to_ascii_lowercase();
        length += 1;
    }
    // ASCII lower-casing keeps UTF-8 valid, so this never falls back.
    match std::str::from_utf8(&buffer[..length]) {
        Ok(lower) => prefix_of_lower(lower),
        Err(_) => prefix_of_lower(&word.to_ascii_lowercase()),
    }
}

/// [`prefix_of`] for a word already in lower case.
fn prefix_of_lower(lower: &str) -> Option<Prefix> {
    Some(match lower {
        "lock" => Prefix::Lock,
        "rep" => Prefix::Rep,
        "repe" | "repz" => Prefix::Repe,
        "repne" | "repnz" => Prefix::Repne,
        "xacquire" => Prefix::Xacquire,
        "xrelease" => Prefix::Xrelease,
        "notrack" => Prefix::Notrack,
        "bnd" => Prefix::Bnd,
        "data16" | "data32" | "addr16" | "addr32" | "rex" | "rex64" | "{vex}" | "{vex2}"
        | "{vex3}" | "{evex}" | "{disp8}" | "{disp32}" | "{load}" | "{store}" | "{rex}"
        | "{rex2}" | "{nooverflow}" => Prefix::Encoding,
        _ if lower.starts_with("rex.") && lower[4..].chars().all(|c| "wrxb".contains(c)) => {
            Prefix::Encoding
        }
        _ => Prefix::Segment(segment_word(lower)?),
    })
}

fn segment_word(lower: &str) -> Option<SegmentReg> {
    registers::segment(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<String> {
        split_statements(src)
            .iter()
            .map(RawStatement::text)
            .collect()
    }

    #[test]
    fn splits_on_newlines_and_semicolons() {
        assert_eq!(
            texts("nop\n  mov eax, 1 ; ret\n\n"),
            ["nop", "mov eax, 1", "ret"]
        );
    }

    #[test]
    fn strips_comments() {
        assert_eq!(texts("nop # a; b\nret // c; d"), ["nop", "ret"]);
        assert_eq!(
            texts("mov /* x;\n y */ eax, 1\nret"),
            ["mov   eax, 1", "ret"]
        );
        assert_eq!(texts("/* only */\n# only\n"), Vec::<String>::new());
    }

    #[test]
    fn keeps_separators_in_strings_and_chars() {
        assert_eq!(texts(".ascii \"a;b#c\"; nop"), [".ascii \"a;b#c\"", "nop"]);
        assert_eq!(
            texts("mov al, ';'\nmov al, '#'"),
            ["mov al, ';'", "mov al, '#'"]
        );
    }

    #[test]
    fn lines_are_counted() {
        let stmts = split_statements("nop\n\n/* a\nb */ ret\nhlt");
        let lines: Vec<usize> = stmts.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 4, 5]);
    }

    #[test]
    fn statements_without_inner_comments_are_slices_of_the_text() {
        let text = "nop # c\nmov /* x */ eax, 1\n  ret ; lea rax, [rip + \"a;b\"]";
        let stmts = split_statements(text);
        let flags: Vec<bool> = stmts.iter().map(|s| s.contiguous).collect();
        assert_eq!(flags, [true, false, true, true]);
        for s in stmts.iter().filter(|s| s.contiguous) {
            assert_eq!(&text[s.start..s.end], s.text());
        }
    }

    #[test]
    fn heads() {
        let chars: Vec<char> = "2: foo: .Lx: lock add [rax], 1".chars().collect();
        let head = split_head(&chars);
        assert_eq!(head.labels, ["2", "foo", ".Lx"]);
        assert_eq!(head.prefixes, [Prefix::Lock]);
        assert_eq!(head.word.as_deref(), Some("add"));
        let rest: String = chars[head.operands_start..].iter().collect();
        assert_eq!(rest.trim(), "[rax], 1");
    }

    #[test]
    fn prefix_only_and_segment_words() {
        let chars: Vec<char> = "rep".chars().collect();
        let head = split_head(&chars);
        assert_eq!(head.prefixes, [Prefix::Rep]);
        assert_eq!(head.word, None);
        let chars: Vec<char> = "fs mov eax, 1".chars().collect();
        let head = split_head(&chars);
        assert_eq!(head.prefixes, [Prefix::Segment(SegmentReg::Fs)]);
        let chars: Vec<char> = "{vex} vpaddd xmm0, xmm1, xmm2".chars().collect();
        let head = split_head(&chars);
        assert_eq!(head.prefixes, [Prefix::Encoding]);
        assert_eq!(head.word.as_deref(), Some("vpaddd"));
        let chars: Vec<char> = "rex.w xsave [rax]".chars().collect();
        assert_eq!(split_head(&chars).prefixes, [Prefix::Encoding]);
    }

    #[test]
    fn tokens() {
        let toks = tokenize("qword ptr [rax + 8*rcx - 0x10], 'a', \"x\\n\" << 1to16").unwrap();
        assert_eq!(toks[0], Tok::Word("qword".into()));
        assert!(toks.contains(&Tok::Number("0x10".into())));
        assert!(toks.contains(&Tok::Char(97)));
        assert!(toks.contains(&Tok::Str(b"x\n".to_vec())));
        assert!(toks.contains(&Tok::Punct("<<")));
        assert!(toks.contains(&Tok::Number("1to16".into())));
        assert!(tokenize("mov \\").is_err());
    }

    #[test]
    fn markers_round_trip() {
        let c = marker_char(7).unwrap();
        assert_eq!(marker_index(c), Some(7));
        assert_eq!(marker_index('a'), None);
        assert_eq!(tokenize(&format!("{c}+1")).unwrap()[0], Tok::Marker(7));
    }
}
