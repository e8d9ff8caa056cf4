//! A small JSON reader and writer: the command reads JSON lines and prints
//! JSON objects, and a full serialisation framework would cost more to build
//! than this file does to read.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, kept as f64 (the corpus only has small integers).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object (keys sorted on output).
    Object(BTreeMap<String, Json>),
}

impl Json {
    /// The field `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(map) => map.get(key),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Parses one JSON document.
    pub(crate) fn parse(text: &str) -> Result<Json, String> {
        let mut reader = Reader { text, at: 0 };
        let value = reader.value()?;
        reader.skip_space();
        if reader.at != text.len() {
            return Err(format!("trailing characters at byte {}", reader.at));
        }
        Ok(value)
    }
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn skip_space(&mut self) {
        let trimmed = self.rest().trim_start_matches([' ', '\t', '\n', '\r']);
        self.at = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.skip_space();
        if self.eat("null") {
            return Ok(Json::Null);
        }
        if self.eat("true") {
            return Ok(Json::Bool(true));
        }
        if self.eat("false") {
            return Ok(Json::Bool(false));
        }
        match self.rest().chars().next() {
            Some('"') => self.string().map(Json::String),
            Some('[') => self.array(),
            Some('{') => self.object(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            _ => Err(format!("unexpected input at byte {}", self.at)),
        }
    }

    fn number(&mut self) -> Result<Json, String> {
        let len = self
            .rest()
            .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .unwrap_or(self.rest().len());
        let number = self.rest()[..len]
            .parse()
            .map_err(|_| format!("bad number at byte {}", self.at))?;
        self.at += len;
        Ok(Json::Number(number))
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1; // opening quote
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((offset, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += offset + 1;
                    return Ok(out);
                }
                '\\' => {
                    let (_, escape) = chars.next().ok_or("unterminated escape")?;
                    match escape {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'u' => {
                            let hex: String = (0..4)
                                .filter_map(|_| chars.next().map(|(_, h)| h))
                                .collect();
                            let mut code =
                                u32::from_str_radix(&hex, 16).map_err(|_| "bad \\u escape")?;
                            if (0xd800..0xdc00).contains(&code) {
                                // A surrogate pair: `\uD83D\uDE00`.
                                let low: String = (0..6)
                                    .filter_map(|_| chars.next().map(|(_, h)| h))
                                    .collect();
                                let low = low
                                    .strip_prefix("\\u")
                                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                                    .ok_or("bad surrogate pair")?;
                                code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                            }
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        }
                        other => out.push(other),
                    }
                }
                c => out.push(c),
            }
        }
        Err("unterminated string".to_owned())
    }

    fn array(&mut self) -> Result<Json, String> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.eat("]") {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            if self.eat("]") {
                return Ok(Json::Array(items));
            }
            if !self.eat(",") {
                return Err(format!("expected `,` or `]` at byte {}", self.at));
            }
        }
    }

    fn object(&mut self) -> Result<Json, String> {
        self.at += 1;
        let mut map = BTreeMap::new();
        self.skip_space();
        if self.eat("}") {
            return Ok(Json::Object(map));
        }
        loop {
            self.skip_space();
            if !self.rest().starts_with('"') {
                return Err(format!("expected a key at byte {}", self.at));
            }
            let key = self.string()?;
            self.skip_space();
            if !self.eat(":") {
                return Err(format!("expected `:` at byte {}", self.at));
            }
            let value = self.value()?;
            map.insert(key, value);
            self.skip_space();
            if self.eat("}") {
                return Ok(Json::Object(map));
            }
            if !self.eat(",") {
                return Err(format!("expected `,` or `}}` at byte {}", self.at));
            }
        }
    }
}

/// `text` as a JSON string literal.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_strings() {
        for text in [
            "plain",
            "quo\"te",
            "back\\slash",
            "new\nline",
            "tab\t",
            "\u{1}",
            "ü 😀",
        ] {
            assert_eq!(
                Json::parse(&quote(text)).unwrap(),
                Json::String(text.to_owned())
            );
        }
    }

    #[test]
    fn reads_corpus_shaped_records() {
        let record = r#"{"line": 43, "text": "asm!(\"hlt\")", "options": [], "x": null, "ok": true, "e": "\u00e9\ud83d\ude00"}"#;
        let json = Json::parse(record).unwrap();
        assert_eq!(
            json.get("text").and_then(Json::as_str),
            Some("asm!(\"hlt\")")
        );
        assert_eq!(json.get("line"), Some(&Json::Number(43.0)));
        assert_eq!(json.get("e").and_then(Json::as_str), Some("é😀"));
    }

    #[test]
    fn rejects_broken_input() {
        for text in ["{", "[1,", "\"abc", "{\"a\" 1}", "tru", "1 2"] {
            assert!(Json::parse(text).is_err(), "{text}");
        }
    }
}
