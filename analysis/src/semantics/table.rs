//! The mnemonic table: lower-case iced mnemonic → every real instruction
//! form (`Code`) of it, built once per process from iced's own catalogue,
//! plus the Intel aliases LLVM accepts (`jz`, `cmovc`, `sal`, `pushf`…).
//!
//! Only forms valid in 32- or 64-bit mode are kept; MVEX (Knights Corner)
//! forms are dropped because their operand kinds are `None` without the
//! `mvex` feature (iced notes pitfall 20).

use std::sync::OnceLock;

use iced_x86::{Code, EncodingKind, Mnemonic};

use super::forms::form;

use crate::template::ast::Bitness;

/// The table: forms per mnemonic, and the mnemonic of each name.
pub(super) struct Table {
    /// Forms per `Mnemonic as usize`.
    forms: Vec<Vec<Code>>,
    /// Lower-case name per `Mnemonic as usize` (empty for unused ones).
    names: Vec<&'static str>,
}

/// The process-wide table.
pub(super) fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(build)
}

/// Builds the table from our static copy of iced's form data (see
/// `forms.rs`: asking iced itself would build its whole `OpCodeInfo`
/// table, ~6.5 ms in a debug build).
fn build() -> Table {
    let mut forms: Vec<Vec<Code>> = vec![Vec::new(); Mnemonic::values().len()];
    for code in Code::values() {
        let oc = form(code);
        if !oc.is_instruction()
            || !(oc.mode64() || oc.mode32())
            || oc.encoding() == EncodingKind::MVEX
        {
            continue;
        }
        if let Some(v) = forms.get_mut(code.mnemonic() as usize) {
            v.push(code);
        }
    }
    let mut names = vec![""; forms.len()];
    for (name, m) in super::forms::names() {
        if let Some(slot) = names.get_mut(m as usize) {
            *slot = name;
        }
    }
    Table { forms, names }
}

impl Table {
    /// The forms of an exact iced mnemonic name.
    #[cfg(test)]
    pub(super) fn forms(&'static self, name: &str) -> Option<&'static [Code]> {
        let m = super::forms::mnemonic(name)?;
        self.forms.get(m as usize).map(Vec::as_slice)
    }

    /// The forms of an exact iced mnemonic name, with the name as a
    /// `'static` string (the matcher keeps it for the whole process).
    pub(super) fn lookup(&'static self, name: &str) -> Option<(&'static str, &'static [Code])> {
        let m = super::forms::mnemonic(name)?;
        let forms = self.forms.get(m as usize)?;
        Some((self.name_of(m), forms.as_slice()))
    }

    /// The lower-case name of a mnemonic.
    pub(super) fn name_of(&'static self, m: Mnemonic) -> &'static str {
        self.names.get(m as usize).copied().unwrap_or("")
    }

    /// Whether `name` is an exact iced mnemonic name.
    pub(super) fn contains(&self, name: &str) -> bool {
        super::forms::mnemonic(name).is_some()
    }
}

/// Condition-code spellings LLVM accepts that iced does not use.
const CC_ALIASES: &[(&str, &str)] = &[
    ("z", "e"),
    ("nz", "ne"),
    ("c", "b"),
    ("nae", "b"),
    ("nc", "ae"),
    ("nb", "ae"),
    ("na", "be"),
    ("nbe", "a"),
    ("nge", "l"),
    ("nl", "ge"),
    ("ng", "le"),
    ("nle", "g"),
    ("pe", "p"),
    ("po", "np"),
];

/// The iced names an Intel mnemonic stands for, most preferred first.
/// Returns the name itself when it is an iced mnemonic and no alias applies.
pub(super) fn intel_names(name: &str, bitness: Bitness) -> Vec<String> {
    let b64 = bitness == Bitness::Bits64;
    let fixed: Option<&[&str]> = match name {
        // 16-bit iced forms are `pushf`/`popf`/`iret`; LLVM means the
        // mode's natural size (pitfall 16).
        "pushf" => Some(if b64 { &["pushfq"] } else { &["pushfd"] }),
        "popf" => Some(if b64 { &["popfq"] } else { &["popfd"] }),
        "iret" => Some(if b64 { &["iretq"] } else { &["iretd"] }),
        // LLVM encodes `sal` as `shl` (/4), same semantics (pitfall 19).
        "sal" => Some(&["shl"]),
        "xlat" => Some(&["xlatb"]),
        "loopz" => Some(&["loope"]),
        "loopnz" => Some(&["loopne"]),
        "fwait" => Some(&["wait"]),
        "retn" => Some(&["ret"]),
        // CET shadow-stack instructions without the size letter (AT&T
        // `rdssp %rax`): the register picks the form.
        "rdssp" => Some(&["rdsspq", "rdsspd"]),
        "incssp" => Some(&["incsspq", "incsspd"]),
        // `movsx r64, r/m32` is accepted by LLVM as `movsxd`.
        "movsx" => Some(&["movsx", "movsxd"]),
        "movabs" => Some(&["mov"]),
        // Generic string instructions with explicit operands
        // (`movs byte ptr [rdi], byte ptr [rsi]`): the size picks the form.
        "movs" => Some(&["movsb", "movsw", "movsd", "movsq"]),
        "cmps" => Some(&["cmpsb", "cmpsw", "cmpsd", "cmpsq"]),
        "stos" => Some(&["stosb", "stosw", "stosd", "stosq"]),
        "lods" => Some(&["lodsb", "lodsw", "lodsd", "lodsq"]),
        "scas" => Some(&["scasb", "scasw", "scasd", "scasq"]),
        "ins" => Some(&["insb", "insw", "insd"]),
        "outs" => Some(&["outsb", "outsw", "outsd"]),
        _ => None,
    };
    if let Some(list) = fixed {
        return list.iter().map(|s| (*s).to_owned()).collect();
    }
    for prefix in ["j", "cmov", "set"] {
        if let Some(rest) = name.strip_prefix(prefix)
            && let Some((_, canon)) = CC_ALIASES.iter().find(|(a, _)| *a == rest)
        {
            return vec![format!("{prefix}{canon}")];
        }
    }
    vec![name.to_owned()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_common_mnemonics() {
        let t = table();
        assert!(t.forms("add").is_some_and(|f| f.len() > 10));
        assert!(t.forms("vpgatherdd").is_some());
        assert!(t.forms("jne").is_some());
        assert!(t.forms("jnz").is_none());
        assert!(t.contains("pushfq"));
    }

    #[test]
    fn aliases() {
        assert_eq!(intel_names("jz", Bitness::Bits64), vec!["je"]);
        assert_eq!(intel_names("cmovnae", Bitness::Bits64), vec!["cmovb"]);
        assert_eq!(intel_names("setpo", Bitness::Bits64), vec!["setnp"]);
        assert_eq!(intel_names("pushf", Bitness::Bits32), vec!["pushfd"]);
        assert_eq!(intel_names("add", Bitness::Bits64), vec!["add"]);
    }
}
