//! Our own copy of the per-form data we need from iced's `OpCodeInfo`,
//! as static data generated from iced (`forms_data.rs`).
//!
//! Why: the first `Code::op_code()` call makes iced build its whole
//! `OpCodeInfo` table, with the formatted op-code and instruction strings
//! of all 4,936 forms, whichever form is asked for (a `lazy_static` in
//! `iced-x86/src/encoder/op_code_tbl.rs`). That costs ~6.5 ms in an
//! unoptimised build, in every compiler process that expands the macro.
//! Static data costs nothing at start-up. The unit test below regenerates
//! the data from iced and fails if it differs, so an iced upgrade cannot
//! silently change what we read. iced's instruction strings are copied
//! too: the "valid forms include …" note of the first rejected statement
//! would otherwise pay for the whole table.

use std::sync::OnceLock;

use iced_x86::{Code, EncodingKind, Mnemonic, OpCodeOperandKind as K};

use super::forms_data::{FORMS, NAMES, STRINGS};

/// Flag bits of a packed form (bits 0..32 of the `u128`).
mod bit {
    pub(super) const INSTRUCTION: u32 = 1 << 0;
    pub(super) const MODE32: u32 = 1 << 1;
    pub(super) const MODE64: u32 = 1 << 2;
    pub(super) const CAN_BROADCAST: u32 = 1 << 3;
    pub(super) const DEFAULT_OP_SIZE64: u32 = 1 << 4;
    pub(super) const FORCE_OP_SIZE64: u32 = 1 << 5;
    pub(super) const LOCK: u32 = 1 << 6;
    pub(super) const REP: u32 = 1 << 7;
    pub(super) const REPNE: u32 = 1 << 8;
    pub(super) const XACQUIRE: u32 = 1 << 9;
    pub(super) const XRELEASE: u32 = 1 << 10;
    pub(super) const NOTRACK: u32 = 1 << 11;
    pub(super) const BND: u32 = 1 << 12;
    pub(super) const OP_MASK: u32 = 1 << 13;
    pub(super) const REQUIRE_OP_MASK: u32 = 1 << 14;
    pub(super) const ZEROING: u32 = 1 << 15;
    pub(super) const ROUNDING: u32 = 1 << 16;
    pub(super) const SAE: u32 = 1 << 17;
    pub(super) const SERIALIZING: u32 = 1 << 18;
    pub(super) const INPUT_OUTPUT: u32 = 1 << 19;
    pub(super) const FAR_MEMORY: u32 = 1 << 20;
    /// Encoding kind (`EncodingKind as u32`) in bits 24..28.
    pub(super) const ENCODING_SHIFT: u32 = 24;
}

/// Whether `code` exists in the mode (a cheap check on the flags alone:
/// it filters every form of a mnemonic).
pub(super) fn exists_in(code: Code, bits64: bool) -> bool {
    let flags = FORMS.get(code as usize).copied().unwrap_or(0) as u32;
    flags & if bits64 { bit::MODE64 } else { bit::MODE32 } != 0
}

/// What we know about one form (`Code`), unpacked from the static table.
#[derive(Clone, Copy, Debug)]
pub(super) struct Form {
    flags: u32,
    kinds: [K; 5],
    op_count: usize,
    /// Memory operand size in bytes (0: none or unknown).
    pub(super) mem_size: u32,
    /// Broadcast element size in bytes (0: none).
    pub(super) bcst_size: u32,
    /// Operand size in bits (0, 16, 32, 64).
    pub(super) operand_size: u32,
}

/// The form data of `code`.
///
/// Unpacked once per process for every form (the mnemonic table's set-up
/// walks them all anyway), then read from the cache: the matcher asks for
/// the same forms several times per candidate, and unpacking costs a few
/// hundred instructions each in an unoptimised build.
///
/// A reference, not a copy: the matcher calls this for every form of the
/// mnemonic, and an unoptimised build copies the whole struct each time.
pub(super) fn form(code: Code) -> &'static Form {
    static UNPACKED: OnceLock<Vec<Form>> = OnceLock::new();
    // What `unpack` gives for a `Code` outside the static table (none is).
    static EMPTY: Form = Form {
        flags: 0,
        kinds: [K::None; 5],
        op_count: 0,
        mem_size: 0,
        bcst_size: 0,
        operand_size: 0,
    };
    let all = UNPACKED.get_or_init(|| Code::values().map(unpack).collect());
    all.get(code as usize).unwrap_or(&EMPTY)
}

/// iced's Intel-manual notation of `code` in lower case (`add r/m64,
/// imm8`), from the static copy (see the module comment).
pub(super) fn instruction_string(code: Code) -> &'static str {
    STRINGS.get(code as usize).copied().unwrap_or("")
}

/// Unpacks the static data of `code`.
fn unpack(code: Code) -> Form {
    let packed = FORMS.get(code as usize).copied().unwrap_or(0);
    let byte = |n: u32| ((packed >> n) & 0xff) as usize;
    let op_count = byte(72).min(5);
    let mut kinds = [K::None; 5];
    // Only the used slots: this runs several times per candidate form.
    for (i, k) in kinds.iter_mut().enumerate().take(op_count) {
        *k = K::try_from(byte(32 + 8 * i as u32)).unwrap_or(K::None);
    }
    Form {
        flags: packed as u32,
        kinds,
        op_count,
        mem_size: ((packed >> 80) & 0xffff) as u32,
        bcst_size: ((packed >> 96) & 0xffff) as u32,
        operand_size: byte(112) as u32,
    }
}

impl Form {
    fn has(&self, b: u32) -> bool {
        self.flags & b != 0
    }

    /// The operand kinds (`OpCodeInfo::op_kinds`).
    pub(super) fn op_kinds(&self) -> &[K] {
        self.kinds.get(..self.op_count).unwrap_or_default()
    }

    /// A real instruction (not `db`, not invalid).
    pub(super) fn is_instruction(&self) -> bool {
        self.has(bit::INSTRUCTION)
    }

    /// Valid in 32-bit mode.
    pub(super) fn mode32(&self) -> bool {
        self.has(bit::MODE32)
    }

    /// Valid in 64-bit mode.
    pub(super) fn mode64(&self) -> bool {
        self.has(bit::MODE64)
    }

    /// Legacy, VEX, EVEX…
    pub(super) fn encoding(&self) -> EncodingKind {
        EncodingKind::try_from(((self.flags >> bit::ENCODING_SHIFT) & 0xf) as usize)
            .unwrap_or(EncodingKind::Legacy)
    }

    /// `{1toN}` allowed.
    pub(super) fn can_broadcast(&self) -> bool {
        self.has(bit::CAN_BROADCAST)
    }

    /// 64-bit operand size by default in 64-bit mode (`push`, `jmp r/m`).
    pub(super) fn default_op_size64(&self) -> bool {
        self.has(bit::DEFAULT_OP_SIZE64)
    }

    /// Always 64-bit operand size in 64-bit mode.
    pub(super) fn force_op_size64(&self) -> bool {
        self.has(bit::FORCE_OP_SIZE64)
    }

    /// `lock` allowed.
    pub(super) fn can_use_lock_prefix(&self) -> bool {
        self.has(bit::LOCK)
    }

    /// `rep`/`repe` allowed.
    pub(super) fn can_use_rep_prefix(&self) -> bool {
        self.has(bit::REP)
    }

    /// `repne` allowed.
    pub(super) fn can_use_repne_prefix(&self) -> bool {
        self.has(bit::REPNE)
    }

    /// `xacquire` allowed.
    pub(super) fn can_use_xacquire_prefix(&self) -> bool {
        self.has(bit::XACQUIRE)
    }

    /// `xrelease` allowed.
    pub(super) fn can_use_xrelease_prefix(&self) -> bool {
        self.has(bit::XRELEASE)
    }

    /// `notrack` allowed.
    pub(super) fn can_use_notrack_prefix(&self) -> bool {
        self.has(bit::NOTRACK)
    }

    /// `bnd` allowed.
    pub(super) fn can_use_bnd_prefix(&self) -> bool {
        self.has(bit::BND)
    }

    /// `{k1}` allowed.
    pub(super) fn can_use_op_mask_register(&self) -> bool {
        self.has(bit::OP_MASK)
    }

    /// `{k1}` required (gathers, scatters).
    pub(super) fn require_op_mask_register(&self) -> bool {
        self.has(bit::REQUIRE_OP_MASK)
    }

    /// `{z}` allowed.
    pub(super) fn can_use_zeroing_masking(&self) -> bool {
        self.has(bit::ZEROING)
    }

    /// `{rn-sae}` & co. allowed.
    pub(super) fn can_use_rounding_control(&self) -> bool {
        self.has(bit::ROUNDING)
    }

    /// `{sae}` allowed.
    pub(super) fn can_suppress_all_exceptions(&self) -> bool {
        self.has(bit::SAE)
    }

    /// Serializing on Intel or AMD processors.
    pub(super) fn is_serializing(&self) -> bool {
        self.has(bit::SERIALIZING)
    }

    /// Port I/O (`in`, `out`, `ins`, `outs`).
    pub(super) fn is_input_output(&self) -> bool {
        self.has(bit::INPUT_OUTPUT)
    }

    /// A far-pointer memory operand (`m16:16`, `m16:32`, `m16:64`).
    pub(super) fn has_far_memory(&self) -> bool {
        self.has(bit::FAR_MEMORY)
    }
}

/// The mnemonic of an exact lower-case iced name (binary search in the
/// sorted static list: no hash map to build at start-up).
pub(super) fn mnemonic(name: &str) -> Option<Mnemonic> {
    let i = NAMES.binary_search_by(|(n, _)| (*n).cmp(name)).ok()?;
    let (_, m) = NAMES.get(i)?;
    Mnemonic::try_from(usize::from(*m)).ok()
}

/// Every mnemonic that has a form, by lower-case name, sorted by name.
pub(super) fn names() -> impl Iterator<Item = (&'static str, Mnemonic)> {
    NAMES
        .iter()
        .filter_map(|(name, m)| Some((*name, Mnemonic::try_from(usize::from(*m)).ok()?)))
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use iced_x86::MemorySize;

    use super::*;

    /// Packs iced's data for one form as `form()` reads it.
    fn pack(code: Code) -> u128 {
        let oc = code.op_code();
        let flag = |on: bool, b: u32| if on { b } else { 0 };
        let far = matches!(
            oc.memory_size(),
            MemorySize::SegPtr16 | MemorySize::SegPtr32 | MemorySize::SegPtr64
        );
        let flags = flag(oc.is_instruction(), bit::INSTRUCTION)
            | flag(oc.mode32(), bit::MODE32)
            | flag(oc.mode64(), bit::MODE64)
            | flag(oc.can_broadcast(), bit::CAN_BROADCAST)
            | flag(oc.default_op_size64(), bit::DEFAULT_OP_SIZE64)
            | flag(oc.force_op_size64(), bit::FORCE_OP_SIZE64)
            | flag(oc.can_use_lock_prefix(), bit::LOCK)
            | flag(oc.can_use_rep_prefix(), bit::REP)
            | flag(oc.can_use_repne_prefix(), bit::REPNE)
            | flag(oc.can_use_xacquire_prefix(), bit::XACQUIRE)
            | flag(oc.can_use_xrelease_prefix(), bit::XRELEASE)
            | flag(oc.can_use_notrack_prefix(), bit::NOTRACK)
            | flag(oc.can_use_bnd_prefix(), bit::BND)
            | flag(oc.can_use_op_mask_register(), bit::OP_MASK)
            | flag(oc.require_op_mask_register(), bit::REQUIRE_OP_MASK)
            | flag(oc.can_use_zeroing_masking(), bit::ZEROING)
            | flag(oc.can_use_rounding_control(), bit::ROUNDING)
            | flag(oc.can_suppress_all_exceptions(), bit::SAE)
            | flag(
                oc.is_serializing_intel() || oc.is_serializing_amd(),
                bit::SERIALIZING,
            )
            | flag(oc.is_input_output(), bit::INPUT_OUTPUT)
            | flag(far, bit::FAR_MEMORY)
            | ((oc.encoding() as u32) << bit::ENCODING_SHIFT);
        let mut packed = u128::from(flags);
        for (i, k) in oc.op_kinds().iter().enumerate() {
            packed |= (*k as u128) << (32 + 8 * i);
        }
        packed |= (oc.op_count() as u128) << 72;
        packed |= (oc.memory_size().size() as u128) << 80;
        packed |= (oc.broadcast_memory_size().size() as u128) << 96;
        packed |= u128::from(oc.operand_size()) << 112;
        packed
    }

    /// The text of `forms_data.rs` for the linked iced version.
    fn generate() -> String {
        let mut out = String::from(
            "//! Generated from iced-x86 by `forms::tests::regenerate` (see `forms.rs`):\n\
             //! one packed `u128` and the instruction string per `Code`, and the\n\
             //! mnemonic names. Do not edit.\n\n\
             /// Packed form data, indexed by `Code as usize`.\n#[rustfmt::skip]\n",
        );
        let codes: Vec<Code> = Code::values().collect();
        let _ = writeln!(out, "pub(super) static FORMS: [u128; {}] = [", codes.len());
        for chunk in codes.chunks(3) {
            let line: Vec<String> = chunk
                .iter()
                .map(|c| format!("{:#034x}", pack(*c)))
                .collect();
            let _ = writeln!(out, "    {},", line.join(", "));
        }
        out.push_str("];\n\n");
        out.push_str(
            "/// iced's Intel-manual notation of each form (`OpCodeInfo::instruction_string`),\n\
             /// lower case, indexed by `Code as usize`.\n#[rustfmt::skip]\n",
        );
        let _ = writeln!(
            out,
            "pub(super) static STRINGS: [&str; {}] = [",
            codes.len()
        );
        for chunk in codes.chunks(4) {
            let line: Vec<String> = chunk
                .iter()
                .map(|c| {
                    format!(
                        "{:?}",
                        c.op_code().instruction_string().to_ascii_lowercase()
                    )
                })
                .collect();
            let _ = writeln!(out, "    {},", line.join(", "));
        }
        out.push_str("];\n\n");
        let mut used = vec![false; Mnemonic::values().len()];
        for code in Code::values() {
            let oc = code.op_code();
            if oc.is_instruction()
                && (oc.mode32() || oc.mode64())
                && oc.encoding() != EncodingKind::MVEX
                && let Some(u) = used.get_mut(code.mnemonic() as usize)
            {
                *u = true;
            }
        }
        let mut names: Vec<(String, usize)> = Mnemonic::values()
            .filter(|m| used.get(*m as usize).copied().unwrap_or(false))
            .map(|m| (format!("{m:?}").to_ascii_lowercase(), m as usize))
            .collect();
        names.sort();
        out.push_str(
            "/// Lower-case name and `Mnemonic as u16` of every mnemonic with a\n\
             /// 32- or 64-bit, non-MVEX form, sorted by name.\n#[rustfmt::skip]\n",
        );
        let _ = writeln!(
            out,
            "pub(super) static NAMES: [(&str, u16); {}] = [",
            names.len()
        );
        for chunk in names.chunks(4) {
            let line: Vec<String> = chunk.iter().map(|(n, m)| format!("({n:?}, {m})")).collect();
            let _ = writeln!(out, "    {},", line.join(", "));
        }
        out.push_str("];\n");
        out
    }

    fn path() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/semantics/forms_data.rs")
    }

    #[test]
    fn static_data_matches_iced() {
        let on_disk = std::fs::read_to_string(path()).unwrap_or_default();
        assert!(
            on_disk == generate(),
            "src/semantics/forms_data.rs is not what iced says: run `cargo test -p \
             checked-asm-analysis --lib regenerate_forms_data -- --ignored`"
        );
        for code in Code::values() {
            let (ours, oc) = (form(code), code.op_code());
            assert_eq!(ours.op_kinds(), oc.op_kinds(), "{code:?}");
            assert_eq!(ours.encoding(), oc.encoding(), "{code:?}");
            assert_eq!(ours.mem_size as usize, oc.memory_size().size(), "{code:?}");
            assert_eq!(
                instruction_string(code),
                oc.instruction_string().to_ascii_lowercase(),
                "{code:?}"
            );
        }
    }

    #[test]
    #[ignore = "writes src/semantics/forms_data.rs"]
    fn regenerate_forms_data() {
        std::fs::write(path(), generate()).unwrap();
    }
}
