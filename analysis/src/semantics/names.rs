//! From the mnemonic as written to the iced mnemonics it may mean, each
//! with a filter on the forms (AT&T size suffixes, `movzbl`'s two sizes,
//! x87 memory suffixes, `movabs`). The matcher tries the interpretations in
//! order and takes the first that matches the operands, so exact names win
//! (`movq %rax, %xmm0` is SSE `movq`; `movq %rax, %rbx` falls back to
//! `mov` + `q`).
//!
//! The AT&T rules are derived from iced's per-form data at run time (the
//! operand size and memory size of each `Code`) instead of a generated name
//! table: a suffix is accepted when it agrees with the form's size.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use iced_x86::{Code, OpCodeOperandKind as K};

use super::table::{Table, intel_names, table};
use crate::template::ast::{Bitness, InstructionAst, OperandAst, Syntax};

/// Restrictions an interpretation puts on the forms of its mnemonic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Filter {
    /// AT&T size suffix in bytes (`l` → 4).
    pub(super) suffix: Option<u32>,
    /// x87 AT&T suffix: memory operand size in bytes (`fldl` → 8).
    pub(super) mem_size: Option<u32>,
    /// `movzbl`-style: (destination, source) widths in bytes.
    pub(super) widths: Option<(u32, u32)>,
    /// `movabs`: only `moffs` and `imm64` forms.
    pub(super) movabs: bool,
    /// `ljmp`/`lcall`/`retfq`: only far forms (`ptr16:32`, `m16:32`…).
    pub(super) far: bool,
}

/// One way to read the mnemonic.
#[derive(Clone, Debug)]
pub(super) struct Interp {
    /// iced's lower-case mnemonic name.
    pub(super) name: &'static str,
    /// Its forms (all modes), for the "valid forms include" note.
    pub(super) forms: &'static [Code],
    /// The forms the matcher tries, in the order of `forms`: those that
    /// exist in the mode and pass `filter`. Worked out once per mnemonic
    /// (see [`interpretations`]) instead of for every statement, each with
    /// its unpacked data (looked up once here rather than per attempt).
    pub(super) candidates: Vec<(Code, &'static super::forms::Form)>,
    /// Restrictions on the forms.
    pub(super) filter: Filter,
}

/// The interpretations of one mnemonic in one mode and syntax.
#[derive(Debug)]
pub(super) struct Interps {
    /// Most preferred first.
    pub(super) list: Vec<Interp>,
    /// Whether any interpretation has a form in the mode at all (else the
    /// statement is "not valid in N-bit mode").
    pub(super) any_mode_form: bool,
}

/// FNV-1a: the cache below is keyed by short mnemonics, and std's SipHash
/// costs several times more in the unoptimised build that proc macros
/// run. No flooding concern: the keys come from the user's own source.
#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Cached interpretations: mnemonic as written → (key bits, result).
type Cache = HashMap<String, Vec<(u8, Rc<Interps>)>, BuildHasherDefault<Fnv>>;

/// More distinct spellings than any real crate writes; past it the cache
/// starts again rather than grow without bound on generated input.
const CACHE_LIMIT: usize = 4096;

/// All interpretations of the statement's mnemonic, most preferred first,
/// with the forms to try in this mode.
///
/// Cached per thread (a proc macro runs on one thread; no lock to pay):
/// building them costs thousands of instructions in an unoptimised build
/// (name lookups, alias lists, filtering every form of the mnemonic),
/// and a crate writes the same few dozen mnemonics over and over. The
/// result depends on the mnemonic, the syntax, the mode, and two facts
/// about the operands (none at all; a lone segment register), which make
/// up the key.
pub(super) fn interpretations(ast: &InstructionAst, bitness: Bitness) -> Rc<Interps> {
    thread_local! {
        static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
    }
    let mode: u8 = match bitness {
        Bitness::Bits64 => 0,
        Bitness::Bits32 => 1,
        // (Real-mode statements are matched as 32-bit code and never get
        // here; a key of their own keeps the cache right if they did.)
        Bitness::Bits16 => 2,
    };
    let key = u8::from(ast.syntax == Syntax::Att)
        | mode << 1
        | u8::from(ast.operands.is_empty()) << 3
        | u8::from(segment_operand(ast)) << 4;
    let m = ast.mnemonic.as_str();
    let hit = CACHE.with(|c| {
        c.borrow()
            .get(m)
            .and_then(|v| v.iter().find(|(k, _)| *k == key).map(|(_, i)| Rc::clone(i)))
    });
    if let Some(hit) = hit {
        return hit;
    }
    let built = Rc::new(build_interpretations(ast, bitness));
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.entry(m.to_owned())
            .or_default()
            .push((key, Rc::clone(&built)));
    });
    built
}

/// Works out [`interpretations`] (uncached).
fn build_interpretations(ast: &InstructionAst, bitness: Bitness) -> Interps {
    let bits64 = bitness == Bitness::Bits64;
    let list: Vec<Interp> = interpretation_names(ast, bitness)
        .into_iter()
        .map(|(name, forms, filter)| Interp {
            name,
            forms,
            candidates: forms
                .iter()
                .copied()
                .filter(|c| super::forms::exists_in(*c, bits64) && passes(*c, &filter))
                .map(|c| (c, super::forms::form(c)))
                .collect(),
            filter,
        })
        .collect();
    let any_mode_form = list
        .iter()
        .any(|i| i.forms.iter().any(|c| super::forms::exists_in(*c, bits64)));
    Interps {
        list,
        any_mode_form,
    }
}

/// The names (with their forms) and filters the mnemonic may mean, most
/// preferred first.
fn interpretation_names(
    ast: &InstructionAst,
    bitness: Bitness,
) -> Vec<(&'static str, &'static [Code], Filter)> {
    let t = table();
    let m = ast.mnemonic.as_str();
    let mut out: Vec<(&'static str, &'static [Code], Filter)> = Vec::new();
    let push =
        |name: &str, filter: Filter, out: &mut Vec<(&'static str, &'static [Code], Filter)>| {
            if let Some((name, forms)) = t.lookup(name)
                && !out.iter().any(|(n, _, f)| *n == name && *f == filter)
            {
                out.push((name, forms, filter));
            }
        };
    let movabs = Filter {
        movabs: true,
        ..Filter::default()
    };
    // LLVM reads operand-less x87 arithmetic as the popping form on st(1).
    if ast.operands.is_empty() && matches!(m, "fadd" | "fmul" | "fsub" | "fsubr" | "fdiv" | "fdivr")
    {
        push(&format!("{m}p"), Filter::default(), &mut out);
    }
    // LLVM 22 assembles Intel `push fs`/`pop ds` as the 16-bit `pushw`/
    // `popw` in every mode (iced notes pitfall 25); AT&T `push %fs` is the
    // mode's natural size.
    if ast.syntax == Syntax::Intel && matches!(m, "push" | "pop") && segment_operand(ast) {
        push(
            m,
            Filter {
                suffix: Some(2),
                ..Filter::default()
            },
            &mut out,
        );
    }
    if let Some((name, filter)) = far_interpretation(m, ast.syntax, bitness) {
        push(name, filter, &mut out);
    }
    for name in intel_names(m, bitness) {
        let f = if m == "movabs" {
            movabs
        } else {
            Filter::default()
        };
        push(&name, f, &mut out);
    }
    if ast.syntax == Syntax::Att {
        att_interpretations(t, m, bitness, &mut |n, f| push(n, f, &mut out));
    }
    out
}

/// Whether the only operand is a segment register.
fn segment_operand(ast: &InstructionAst) -> bool {
    matches!(
        ast.operands.as_slice(),
        [OperandAst::Reg(r)] if matches!(r.name.as_str(), "es" | "cs" | "ss" | "ds" | "fs" | "gs")
    )
}

/// Far branches and returns named by LLVM: AT&T `ljmp`/`lcall`/`lret`
/// with an optional size suffix (`ljmpl`, `lretq`), Intel `ljmp`/`lcall`
/// and `retfq` (the 64-bit far return; plain `retf` is the 32-bit one
/// and is iced's own name). They stand for iced's `jmp`/`call`/`retf`
/// restricted to the far forms, so that `ljmp *(%rax)` is the `m16:32`
/// jump and never the near `jmp r/m64`.
fn far_interpretation(m: &str, syntax: Syntax, bitness: Bitness) -> Option<(&'static str, Filter)> {
    let far = |suffix: Option<u32>| Filter {
        suffix,
        far: true,
        ..Filter::default()
    };
    if m == "retfq" {
        return Some(("retf", far(Some(8))));
    }
    let (base, rest) = [("ljmp", "jmp"), ("lcall", "call"), ("lret", "retf")]
        .iter()
        .find_map(|(long, base)| m.strip_prefix(long).map(|rest| (*base, rest)))?;
    let mut letters = rest.chars();
    match (letters.next(), letters.next()) {
        // Without a letter LLVM means the 32-bit operand size (`ljmp
        // *(%rax)` is `m16:32`), except Intel `ljmp` in 64-bit mode, which
        // it emits with REX.W (`m16:64`) whatever the size keyword says: a
        // written `fword ptr` is then rejected rather than read as 6 bytes.
        (None, _) if base == "jmp" && syntax == Syntax::Intel && bitness == Bitness::Bits64 => {
            Some((base, far(Some(8))))
        }
        (None, _) => Some((base, far(Some(4)))),
        (Some(c), None) if syntax == Syntax::Att => Some((base, far(Some(suffix_size(c)?)))),
        _ => None,
    }
}

/// Size in bytes of an AT&T suffix letter.
fn suffix_size(c: char) -> Option<u32> {
    match c {
        'b' => Some(1),
        'w' => Some(2),
        'l' => Some(4),
        'q' => Some(8),
        _ => None,
    }
}

/// The AT&T-only readings of `m`.
fn att_interpretations(
    t: &'static Table,
    m: &str,
    bitness: Bitness,
    push: &mut dyn FnMut(&str, Filter),
) {
    // Sign/zero extension with both sizes in the name.
    if let Some(rest) = m.strip_prefix("movz").or_else(|| m.strip_prefix("movs")) {
        let mut cs = rest.chars();
        if let (Some(src), Some(dst), None) = (cs.next(), cs.next(), cs.next())
            && let (Some(s), Some(d)) = (suffix_size(src), suffix_size(dst))
        {
            let zero = m.starts_with("movz");
            let name = match (zero, s) {
                (true, _) => "movzx",
                (false, 4) => "movsxd",
                (false, _) => "movsx",
            };
            push(
                name,
                Filter {
                    widths: Some((d, s)),
                    ..Filter::default()
                },
            );
        }
    }
    // Conversions with AT&T names.
    let conv = match m {
        "cbtw" => Some("cbw"),
        "cwtl" => Some("cwde"),
        "cltq" => Some("cdqe"),
        "cwtd" => Some("cwd"),
        "cltd" => Some("cdq"),
        "cqto" => Some("cqo"),
        "movsl" => Some("movsd"),
        "stosl" => Some("stosd"),
        "lodsl" => Some("lodsd"),
        "scasl" => Some("scasd"),
        "cmpsl" => Some("cmpsd"),
        "insl" => Some("insd"),
        "outsl" => Some("outsd"),
        _ => None,
    };
    if let Some(n) = conv {
        push(n, Filter::default());
    }
    // x87 memory suffixes: `flds`/`fldl`/`fldt`, `filds`/`fildl`/`fildll`.
    if m.starts_with('f') {
        for (suf, fp, int) in [
            ("ll", None, Some(8)),
            ("q", None, Some(8)),
            ("s", Some(4), Some(2)),
            ("l", Some(8), Some(4)),
            ("t", Some(10), None),
        ] {
            if let Some(base) = m.strip_suffix(suf)
                && t.contains(base)
            {
                let size = if base.starts_with("fi") { int } else { fp };
                if let Some(size) = size {
                    push(
                        base,
                        Filter {
                            mem_size: Some(size),
                            ..Filter::default()
                        },
                    );
                }
            }
        }
    }
    // Generic size suffix (`addl`, `pushq`, `movabsq`, `cvtsi2sdl`).
    let mut chars = m.chars();
    if let Some(size) = chars.next_back().and_then(suffix_size) {
        let base = chars.as_str();
        if !base.is_empty() {
            for name in intel_names(base, bitness) {
                push(
                    &name,
                    Filter {
                        suffix: Some(size),
                        movabs: base == "movabs",
                        ..Filter::default()
                    },
                );
            }
        }
    }
}

/// Width in bytes of a general-purpose register operand kind.
pub(super) fn gpr_kind_width(k: K) -> Option<u32> {
    Some(match k {
        K::r8_or_mem | K::r8_reg | K::r8_opcode | K::al | K::cl => 1,
        K::r16_or_mem | K::r16_reg | K::r16_reg_mem | K::r16_rm | K::r16_opcode | K::ax | K::dx => {
            2
        }
        K::r32_or_mem
        | K::r32_or_mem_mpx
        | K::r32_reg
        | K::r32_reg_mem
        | K::r32_rm
        | K::r32_opcode
        | K::r32_vvvv
        | K::eax => 4,
        K::r64_or_mem
        | K::r64_or_mem_mpx
        | K::r64_reg
        | K::r64_reg_mem
        | K::r64_rm
        | K::r64_opcode
        | K::r64_vvvv
        | K::rax => 8,
        _ => return None,
    })
}

/// Whether a form passes the interpretation's filter.
pub(super) fn passes(code: Code, f: &Filter) -> bool {
    // Most statements (all Intel ones without `movabs`) have no filter:
    // skip unpacking the form, this runs for every form of the mnemonic.
    if !f.movabs && !f.far && f.mem_size.is_none() && f.widths.is_none() && f.suffix.is_none() {
        return true;
    }
    let oc = super::forms::form(code);
    let kinds = oc.op_kinds();
    let mem_size = oc.mem_size;
    let has_mem_kind = kinds.iter().any(|k| is_memory_kind(*k));
    if f.movabs && !kinds.iter().any(|k| matches!(k, K::mem_offs | K::imm64)) {
        return false;
    }
    if f.far && !is_far_form(code) {
        return false;
    }
    if let Some(size) = f.mem_size
        && (!has_mem_kind || mem_size != size)
    {
        return false;
    }
    if let Some((d, s)) = f.widths {
        let w0 = kinds.first().and_then(|k| gpr_kind_width(*k));
        let w1 = kinds.get(1).and_then(|k| gpr_kind_width(*k));
        if w0 != Some(d) || w1 != Some(s) {
            return false;
        }
    }
    if let Some(size) = f.suffix {
        let os = oc.operand_size / 8;
        if os != 0 {
            return os == size;
        }
        let widths: Vec<u32> = kinds.iter().filter_map(|k| gpr_kind_width(*k)).collect();
        let mem = if has_mem_kind && mem_size != 0 {
            Some(mem_size)
        } else {
            None
        };
        if mem.is_some() || !widths.is_empty() {
            return mem == Some(size) || widths.contains(&size);
        }
    }
    true
}

/// Whether a form is a far branch or return: a `ptr16:xx` operand, a
/// `m16:xx` memory operand, or `retf`.
pub(super) fn is_far_form(code: Code) -> bool {
    let oc = super::forms::form(code);
    code.mnemonic() == iced_x86::Mnemonic::Retf
        || oc
            .op_kinds()
            .iter()
            .any(|k| matches!(k, K::farbr2_2 | K::farbr4_2))
        || oc.has_far_memory()
}

/// Whether an operand kind can be (or is) a memory operand.
pub(super) fn is_memory_kind(k: K) -> bool {
    matches!(
        k,
        K::mem
            | K::mem_mpx
            | K::mem_mib
            | K::sibmem
            | K::mem_offs
            | K::mem_vsib32x
            | K::mem_vsib64x
            | K::mem_vsib32y
            | K::mem_vsib64y
            | K::mem_vsib32z
            | K::mem_vsib64z
            | K::r8_or_mem
            | K::r16_or_mem
            | K::r32_or_mem
            | K::r32_or_mem_mpx
            | K::r64_or_mem
            | K::r64_or_mem_mpx
            | K::mm_or_mem
            | K::xmm_or_mem
            | K::ymm_or_mem
            | K::zmm_or_mem
            | K::bnd_or_mem_mpx
            | K::k_or_mem
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(m: &str, syntax: Syntax) -> Vec<(String, Filter)> {
        let ast = InstructionAst {
            syntax,
            prefixes: vec![],
            mnemonic: m.into(),
            operands: vec![],
        };
        interpretations(&ast, Bitness::Bits64)
            .list
            .iter()
            .map(|i| (i.name.to_owned(), i.filter))
            .collect()
    }

    #[test]
    fn att_names() {
        let n = names("movzbl", Syntax::Att);
        assert_eq!(n[0].0, "movzx");
        assert_eq!(n[0].1.widths, Some((4, 1)));
        assert_eq!(names("movslq", Syntax::Att)[0].0, "movsxd");
        assert_eq!(names("cltq", Syntax::Att)[0].0, "cdqe");
        let q = names("movq", Syntax::Att);
        assert_eq!(q[0].0, "movq");
        assert_eq!(q[1].0, "mov");
        assert_eq!(names("fldl", Syntax::Att)[0].1.mem_size, Some(8));
        assert_eq!(names("fildll", Syntax::Att)[0].1.mem_size, Some(8));
        assert_eq!(names("filds", Syntax::Att)[0].1.mem_size, Some(2));
        assert_eq!(names("movsl", Syntax::Att)[0].0, "movsd");
        assert!(names("movzbl", Syntax::Intel).is_empty());
    }
}
