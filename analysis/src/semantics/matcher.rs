//! Shape matching, validation and ranking (iced notes §7.1): every form of
//! the mnemonic whose operand kinds take the written operands is built as
//! an `Instruction`, checked by iced's `Encoder`, and the survivors are
//! ranked (legacy before VEX before EVEX, no 16-bit operand size unless
//! asked for, widest field for unknown immediates, shortest encoding).

use std::borrow::Cow;
use std::cell::Cell;

use iced_x86::{
    Code, Decoder, DecoderOptions, Encoder, EncodingKind, Instruction, OpCodeOperandKind as K,
    OpKind, Register,
};

use super::forms::{Form, form};
use super::names::{Filter, Interp, Interps, interpretations};
use super::operands::{self, Fill, IP, Operand, Reject, fixed_register, is_string_kind};
use super::{MatchError, MatchErrorKind};
use crate::template::ast::{Bitness, Decorators, InstructionAst, OperandAst, Prefix, Syntax};

/// A form that took the operands.
pub(super) struct Candidate {
    /// The built instruction.
    pub(super) instr: Instruction,
    /// Its encoded length.
    pub(super) len: usize,
    /// AST operand index of each iced operand.
    pub(super) ast_index: [Option<usize>; 5],
    /// Narrowest field holding a symbolic immediate (64 when none).
    symbolic_width: u32,
    /// Whether a symbolic immediate was placed.
    pub(super) symbolic: bool,
    /// Whether an immediate was truncated LLVM-style.
    pub(super) truncated: bool,
    /// Memory size the form implies for an explicit operand (0: none).
    mem_size: u32,
    /// Whether an absolute address was cut to 32 bits (see `Fill`).
    wrapped: bool,
}

/// Decorators gathered from all operands.
#[derive(Default)]
struct Decor {
    mask: Option<String>,
    zeroing: bool,
    rounding: Option<String>,
    sae: bool,
}

/// Collects `{k1}{z}{rn-sae}{sae}` wherever the parser attached them.
fn decorators(ops: &[OperandAst]) -> Decor {
    let mut d = Decor::default();
    let mut add = |x: &Decorators| {
        if x.mask.is_some() {
            d.mask.clone_from(&x.mask);
        }
        d.zeroing |= x.zeroing;
        if x.rounding.is_some() {
            d.rounding.clone_from(&x.rounding);
        }
        d.sae |= x.sae;
    };
    for op in ops {
        match op {
            OperandAst::Reg(r) => add(&r.decorators),
            OperandAst::Mem(m) => add(&m.decorators),
            _ => {}
        }
    }
    d
}

/// Whether a form exists in the mode.
fn mode_ok(code: Code, bitness: Bitness) -> bool {
    super::forms::exists_in(code, bitness == Bitness::Bits64)
}

/// Runs `f` with this thread's encoder for the mode, its buffer empty.
///
/// One encoder per thread and mode, kept between statements: building one
/// costs ~800 instructions in an unoptimised build, and nothing of a
/// previous statement survives in it (`encode` resets its per-instruction
/// state; the only leftover, the output buffer, is emptied here). Taken
/// out of its cell while in use, so a panic inside `f` just loses it.
fn with_encoder<R>(bitness: Bitness, f: impl FnOnce(&mut Encoder) -> R) -> R {
    thread_local! {
        static ENCODER64: Cell<Option<Encoder>> = const { Cell::new(None) };
        static ENCODER32: Cell<Option<Encoder>> = const { Cell::new(None) };
    }
    let (slot, bits) = match bitness {
        Bitness::Bits64 => (&ENCODER64, 64),
        // Real-mode statements are matched as 32-bit code (`real_mode.rs`).
        Bitness::Bits32 | Bitness::Bits16 => (&ENCODER32, 32),
    };
    let mut encoder = slot.with(Cell::take).unwrap_or_else(|| Encoder::new(bits));
    let mut buffer = encoder.take_buffer();
    buffer.clear();
    encoder.set_buffer(buffer);
    let out = f(&mut encoder);
    slot.with(|s| s.set(Some(encoder)));
    out
}

/// How operands line up with a form's kinds: `Some(i)` is AST operand `i`,
/// `None` an implicit operand filled by the matcher; one slot per kind.
/// An array, not a `Vec`: this runs for every candidate form.
#[derive(Clone, Copy)]
struct Slots {
    slots: [Option<usize>; 5],
    len: usize,
}

impl Slots {
    fn new(slots: &[Option<usize>]) -> Self {
        let mut out = Slots {
            slots: [None; 5],
            len: slots.len().min(5),
        };
        for (slot, value) in out.slots.iter_mut().zip(slots) {
            *slot = *value;
        }
        out
    }

    fn as_slice(&self) -> &[Option<usize>] {
        self.slots.get(..self.len).unwrap_or_default()
    }
}

fn align(code: Code, kinds: &[K], n_ast: usize, name: &str) -> Option<Slots> {
    let n = kinds.len().min(5);
    let mut slots = Slots {
        slots: [None; 5],
        len: n,
    };
    if n == n_ast {
        for (i, slot) in slots.slots.iter_mut().enumerate().take(n) {
            *slot = Some(i);
        }
        return Some(slots);
    }
    // `imul r10, 5` is LLVM's spelling of `imul r10, r10, 5`: the register
    // is both the destination and the source.
    if name == "imul" && n == 3 && n_ast == 2 {
        return Some(Slots::new(&[Some(0), Some(0), Some(1)]));
    }
    if n_ast > n {
        return None;
    }
    let string_like = code.is_string_instruction() || name == "xlatb";
    // `movsb`, `stosq`, `xlatb`: all operands implicit.
    if n_ast == 0 && string_like {
        return Some(slots);
    }
    // `maskmovq mm0, mm1`: the `[rdi]` operand is implicit.
    let implicit = kinds.iter().filter(|k| is_string_kind(**k)).count();
    if implicit > 0 && n_ast == n - implicit && !string_like {
        let mut next = 0;
        for (slot, k) in slots.slots.iter_mut().zip(kinds) {
            if !is_string_kind(*k) {
                *slot = Some(next);
                next += 1;
            }
        }
        return Some(slots);
    }
    // `shl eax` means `shl eax, 1` (pitfall 21).
    if n_ast + 1 == n && kinds.last() == Some(&K::imm8_const_1) {
        for (i, slot) in slots.slots.iter_mut().enumerate().take(n_ast) {
            *slot = Some(i);
        }
        return Some(slots);
    }
    // x87 two-register forms written with one or no register.
    match (kinds, n_ast) {
        ([K::st0, K::sti_opcode], 1) => Some(Slots::new(&[None, Some(0)])),
        ([K::sti_opcode, K::st0], 1) if name.ends_with('p') => Some(Slots::new(&[Some(0), None])),
        ([K::st0, K::sti_opcode] | [K::sti_opcode, K::st0], 0) => Some(slots),
        _ => None,
    }
}

/// Sets the prefixes, checking that the form allows them. A `rep`/`repne`
/// the form does not take is returned as a raw prefix byte: LLVM emits it
/// anyway, and the processor may read the bytes as another instruction
/// (`rep nop` is `pause`, `rep vmmcall` is `vmgexit`), see
/// [`with_raw_prefix`].
fn set_prefixes(
    instr: &mut Instruction,
    prefixes: &[Prefix],
    name: &str,
) -> Result<Option<u8>, Reject> {
    let oc = form(instr.code());
    let mut raw = None;
    for p in prefixes {
        match p {
            Prefix::Lock => {
                if !oc.can_use_lock_prefix() {
                    return Err(Reject::Prefix(format!(
                        "`lock` cannot be used with `{name}`"
                    )));
                }
                if instr.op0_kind() != iced_x86::OpKind::Memory {
                    return Err(Reject::Other(format!(
                        "`lock {name}` needs a memory destination operand"
                    )));
                }
                instr.set_has_lock_prefix(true);
            }
            Prefix::Rep | Prefix::Repe => {
                if oc.can_use_rep_prefix() {
                    instr.set_has_repe_prefix(true);
                } else {
                    raw = Some(0xf3);
                }
            }
            Prefix::Repne => {
                if oc.can_use_repne_prefix() {
                    instr.set_has_repne_prefix(true);
                } else {
                    raw = Some(0xf2);
                }
            }
            Prefix::Xacquire => {
                if !oc.can_use_xacquire_prefix() {
                    return Err(Reject::Prefix(format!(
                        "`xacquire` cannot be used with `{name}`"
                    )));
                }
                instr.set_has_xacquire_prefix(true);
            }
            Prefix::Xrelease => {
                if !oc.can_use_xrelease_prefix() {
                    return Err(Reject::Prefix(format!(
                        "`xrelease` cannot be used with `{name}`"
                    )));
                }
                instr.set_has_xrelease_prefix(true);
            }
            Prefix::Notrack => {
                if !oc.can_use_notrack_prefix() {
                    return Err(Reject::Prefix(format!(
                        "`notrack` cannot be used with `{name}`"
                    )));
                }
            }
            Prefix::Bnd => {
                if !oc.can_use_bnd_prefix() {
                    return Err(Reject::Prefix(format!(
                        "`bnd` cannot be used with `{name}`"
                    )));
                }
            }
            // Encoding hints change no semantics we track.
            Prefix::Encoding => {}
            Prefix::Segment(s) => {
                if (0..instr.op_count()).any(|i| instr.op_kind(i) == iced_x86::OpKind::Memory) {
                    instr.set_segment_prefix(operands::segment(*s));
                }
            }
        }
    }
    Ok(raw)
}

/// The instruction the processor sees when `prefix` is put in front of the
/// `len` bytes `encoder` just produced: decoded by
/// iced, so that `rep vmmcall` has the facts of `vmgexit`. Fails when the
/// bytes do not decode to one valid instruction.
fn with_raw_prefix(
    len: usize,
    prefix: u8,
    bitness: Bitness,
    encoder: &mut Encoder,
    name: &str,
) -> Result<Instruction, Reject> {
    // The encoder appends to one buffer: this instruction is at its end.
    let buffer = encoder.take_buffer();
    let start = buffer.len().checked_sub(len).ok_or(Reject::Shape)?;
    let mut bytes = vec![prefix];
    bytes.extend_from_slice(buffer.get(start..).unwrap_or_default());
    let bits = match bitness {
        Bitness::Bits64 => 64,
        Bitness::Bits32 | Bitness::Bits16 => 32,
    };
    let invalid = || {
        let word = if prefix == 0xf2 { "repne" } else { "rep" };
        Reject::Prefix(format!(
            "`{word}` cannot be used with `{name}`: the bytes are not a valid instruction"
        ))
    };
    let mut decoder =
        Decoder::try_with_ip(bits, &bytes, IP, DecoderOptions::NONE).map_err(|_| invalid())?;
    let decoded = decoder.decode();
    if decoded.is_invalid() || decoder.position() != bytes.len() {
        return Err(invalid());
    }
    Ok(decoded)
}

/// Sets EVEX decorators, checking that the form allows them.
fn set_decorators(instr: &mut Instruction, d: &Decor, name: &str) -> Result<(), Reject> {
    let oc = form(instr.code());
    if let Some(mask) = &d.mask {
        let r = super::registers::iced_register(mask).filter(|r| r.is_k());
        match r {
            Some(Register::K0) => {
                return Err(Reject::Other("`k0` cannot be used as a write mask".into()));
            }
            Some(r) if oc.can_use_op_mask_register() => instr.set_op_mask(r),
            Some(_) => return Err(Reject::Shape),
            None => return Err(Reject::Other(format!("`{mask}` is not a mask register"))),
        }
    } else if oc.require_op_mask_register() {
        return Err(Reject::Other(format!(
            "`{name}` needs a write mask such as `{{k1}}`"
        )));
    }
    if d.zeroing {
        if !oc.can_use_zeroing_masking() || d.mask.is_none() {
            return Err(Reject::Shape);
        }
        instr.set_zeroing_masking(true);
    }
    if let Some(rc) = &d.rounding {
        let rc = match rc.as_str() {
            "rn-sae" => iced_x86::RoundingControl::RoundToNearest,
            "rd-sae" => iced_x86::RoundingControl::RoundDown,
            "ru-sae" => iced_x86::RoundingControl::RoundUp,
            "rz-sae" => iced_x86::RoundingControl::RoundTowardZero,
            other => {
                return Err(Reject::Other(format!(
                    "unknown rounding mode `{{{other}}}`"
                )));
            }
        };
        if !oc.can_use_rounding_control() {
            return Err(Reject::Shape);
        }
        instr.set_rounding_control(rc);
    }
    if d.sae {
        if !oc.can_suppress_all_exceptions() {
            return Err(Reject::Shape);
        }
        instr.set_suppress_all_exceptions(true);
    }
    Ok(())
}

/// The statement being matched, under one interpretation.
struct Stmt<'a> {
    ops: &'a [Operand],
    ast: &'a InstructionAst,
    decor: &'a Decor,
    interp: &'a Interp,
    bitness: Bitness,
    /// Whether the interpretation is `xchg` (see [`try_form`]).
    xchg: bool,
}

/// Whether [`try_form`] would certainly reject `code` with
/// [`Reject::Shape`], decided from the operand kinds alone (see
/// [`operands::quick`]): true only when the operands line up one to one
/// and, in order, every operand before the first misfit surely fits.
/// `false` means "build it and see".
fn shape_mismatch(oc: &Form, s: &Stmt<'_>) -> bool {
    let kinds = oc.op_kinds();
    // Only where `align` pairs kinds and operands one to one and nothing
    // else runs before the operands are filled.
    if kinds.len() != s.ops.len() || matches!(kinds, [K::farbr2_2 | K::farbr4_2]) || s.xchg {
        return false;
    }
    // An index loop: unoptimised, `zip` costs more than the checks.
    let mut i = 0;
    while let (Some(kind), Some(op)) = (kinds.get(i), s.ops.get(i)) {
        match operands::quick(*kind, op, s.bitness, s.interp.filter.movabs) {
            operands::Quick::Fits => i += 1,
            operands::Quick::Shape => return true,
            operands::Quick::Unknown => return false,
        }
    }
    false
}

/// Builds and validates one form.
fn try_form(
    code: Code,
    oc: &Form,
    s: &Stmt<'_>,
    strict: bool,
    encoder: &mut Encoder,
) -> Result<Candidate, Reject> {
    let Stmt {
        ops,
        ast,
        decor,
        interp,
        bitness,
        ..
    } = *s;
    let kinds = oc.op_kinds();
    if let [kind @ (K::farbr2_2 | K::farbr4_2)] = kinds {
        return try_far_direct(code, *kind, s, encoder);
    }
    if kinds.iter().any(|k| {
        matches!(
            k,
            K::None | K::brdisp_2 | K::brdisp_4 | K::br16_1 | K::br16_2
        )
    }) {
        return Err(Reject::Shape);
    }
    let mut slots = align(code, kinds, ops.len(), interp.name).ok_or(Reject::Shape)?;
    // `xchg` is symmetric and LLVM takes `xchg al, byte ptr [rsi]`; iced
    // only has the `r/m, reg` forms, so the memory operand goes first.
    if interp.name == "xchg"
        && let [Operand::Reg(_), Operand::Mem(_)] = ops
    {
        slots = Slots::new(&[Some(1), Some(0)]);
    }
    let mut instr = Instruction::default();
    instr.set_code(code);
    instr.set_code_size(match bitness {
        Bitness::Bits64 => iced_x86::CodeSize::Code64,
        Bitness::Bits32 | Bitness::Bits16 => iced_x86::CodeSize::Code32,
    });
    let mut st = Fill {
        bitness,
        strict,
        movabs: interp.filter.movabs,
        imm_seen: false,
        symbolic_width: 64,
        symbolic: false,
        truncated: false,
        wrapped: false,
    };
    let mem_size = oc.mem_size;
    let form = operands::FormMem {
        size: mem_size,
        bcst_size: oc.bcst_size,
        can_broadcast: oc.can_broadcast(),
    };
    let mut ast_index = [None; 5];
    let mut explicit_mem_size = 0;
    for (i, (kind, slot)) in kinds.iter().zip(slots.as_slice()).enumerate() {
        let op = slot.and_then(|s| ops.get(s));
        let idx = u32::try_from(i).map_err(|_| Reject::Shape)?;
        operands::fill(&mut instr, idx, *kind, op, form, &mut st)?;
        if let Some(slot_i) = *slot
            && let Some(ix) = ast_index.get_mut(i)
        {
            *ix = Some(slot_i);
        }
        if op.is_some_and(Operand::is_mem) && fixed_register(*kind).is_none() {
            explicit_mem_size = mem_size;
        }
    }
    let raw_prefix = set_prefixes(&mut instr, &ast.prefixes, interp.name)?;
    set_decorators(&mut instr, decor, interp.name)?;
    if decor.rounding.is_some() && ops.iter().any(Operand::is_mem) {
        return Err(Reject::Other(
            "rounding control needs register operands only".into(),
        ));
    }
    let mut len = encoder
        .encode(&instr, IP)
        .map_err(|e| encoder_reject(&e.to_string(), ast))?;
    instr.set_len(len);
    instr.set_ip(IP);
    instr.set_next_ip(IP + len as u64);
    if let Some(prefix) = raw_prefix {
        let decoded = with_raw_prefix(len, prefix, bitness, encoder, interp.name)?;
        if decoded.code() != instr.code() || decoded.op_count() != instr.op_count() {
            // Another instruction: its operands are not the written ones.
            ast_index = [None; 5];
        }
        instr = decoded;
        len = instr.len();
    }
    Ok(Candidate {
        instr,
        len,
        ast_index,
        symbolic_width: st.symbolic_width,
        symbolic: st.symbolic,
        truncated: st.truncated,
        mem_size: explicit_mem_size,
        wrapped: st.wrapped,
    })
}

/// Builds a direct far jump or call (`ljmp 0x8, 0x1000`, AT&T
/// `ljmpl $8, $startup`): selector and offset are two written operands but
/// one iced operand. An unknown selector or offset (a symbol, a `const`)
/// gets a placeholder: the facts do not depend on the values.
fn try_far_direct(
    code: Code,
    kind: K,
    s: &Stmt<'_>,
    encoder: &mut Encoder,
) -> Result<Candidate, Reject> {
    let value = |op: &Operand| match op {
        Operand::Imm(v) => Ok(*v),
        Operand::Target(_) => Ok(None),
        _ => Err(Reject::Shape),
    };
    let [selector, offset] = s.ops else {
        return Err(Reject::Shape);
    };
    let (selector, offset) = (value(selector)?, value(offset)?);
    let selector = match selector {
        Some(v) => u16::try_from(v).map_err(|_| Reject::Imm { value: v, bits: 16 })?,
        None => 0,
    };
    let wide = kind == K::farbr4_2;
    let offset_bits = if wide { 32 } else { 16 };
    let offset = match offset {
        Some(v) if (0..1_i128 << offset_bits).contains(&v) => v as u32,
        Some(v) => {
            return Err(Reject::Imm {
                value: v,
                bits: offset_bits,
            });
        }
        None => 0,
    };
    let mut instr = Instruction::default();
    instr.set_code(code);
    instr.set_code_size(match s.bitness {
        Bitness::Bits64 => iced_x86::CodeSize::Code64,
        Bitness::Bits32 | Bitness::Bits16 => iced_x86::CodeSize::Code32,
    });
    if wide {
        instr.set_op0_kind(OpKind::FarBranch32);
        instr.set_far_branch32(offset);
    } else {
        instr.set_op0_kind(OpKind::FarBranch16);
        instr.set_far_branch16(offset as u16);
    }
    instr.set_far_branch_selector(selector);
    if set_prefixes(&mut instr, &s.ast.prefixes, s.interp.name)?.is_some() {
        return Err(Reject::Prefix(
            "`rep` cannot be used with a far branch".into(),
        ));
    }
    let len = encoder
        .encode(&instr, IP)
        .map_err(|e| encoder_reject(&e.to_string(), s.ast))?;
    instr.set_len(len);
    instr.set_ip(IP);
    instr.set_next_ip(IP + len as u64);
    Ok(Candidate {
        instr,
        len,
        ast_index: [None; 5],
        symbolic_width: 64,
        symbolic: false,
        truncated: false,
        mem_size: 0,
        wrapped: false,
    })
}

/// Rewords an encoder error.
fn encoder_reject(msg: &str, ast: &InstructionAst) -> Reject {
    if msg.contains("AH, CH, DH, BH") {
        let high = ast.operands.iter().find_map(|op| match op {
            OperandAst::Reg(r) if matches!(r.name.as_str(), "ah" | "bh" | "ch" | "dh") => {
                Some(r.name.clone())
            }
            _ => None,
        });
        let reg = high.unwrap_or_else(|| "ah".into());
        return Reject::Other(format!("`{reg}` cannot be encoded with a REX prefix"));
    }
    let mut m = msg.to_owned();
    if let Some(c) = m.get(0..1) {
        let lower = c.to_ascii_lowercase();
        m.replace_range(0..1, &lower);
    }
    Reject::Other(format!("cannot be encoded: {m}"))
}

/// Whether the statement asks for 16-bit operand size.
fn wants_16(ops: &[Operand], filter: &Filter) -> bool {
    filter.suffix == Some(2)
        || ops.iter().any(|op| match op {
            Operand::Reg(r) => r.is_gpr16() || r.is_segment_register(),
            Operand::Mem(m) => m.size == Some(2),
            _ => false,
        })
}

/// A form's ranking key (see [`rank`]).
type Rank = (bool, u8, bool, u32, usize, u32);

/// Ranking key: smaller is better.
fn rank(c: &Candidate, wants16: bool) -> Rank {
    let oc = form(c.instr.code());
    let enc = match oc.encoding() {
        EncodingKind::Legacy => 0,
        EncodingKind::VEX => 1,
        EncodingKind::EVEX => 2,
        _ => 3,
    };
    let unwanted16 = oc.operand_size == 16 && !wants16;
    (
        c.wrapped,
        enc,
        unwanted16,
        64 - c.symbolic_width,
        c.len,
        c.instr.code() as u32,
    )
}

/// Whether any explicit memory operand was written without a size.
fn has_unsized_memory(ops: &[Operand], filter: &Filter) -> bool {
    filter.suffix.is_none()
        && filter.mem_size.is_none()
        && filter.widths.is_none()
        && ops
            .iter()
            .any(|op| matches!(op, Operand::Mem(m) if m.size.is_none() && m.broadcast.is_none()))
}

/// Picks one survivor, or reports an ambiguous memory size (pitfall 22).
fn pick(
    mut survivors: Vec<Candidate>,
    ops: &[Operand],
    interp: &Interp,
    written: &str,
) -> Result<Candidate, MatchError> {
    // One form fits (the usual case): nothing to choose, and nothing
    // below would drop it.
    if survivors.len() == 1 {
        return survivors
            .pop()
            .ok_or_else(|| MatchError::new(MatchErrorKind::InvalidOperands, "no form matched"));
    }
    let wants16 = wants_16(ops, &interp.filter);
    // Like LLVM, an unsized operand never selects a 16-bit operand-size form
    // (`fldenv [rdi]` is the 28-byte form, not the 14-byte one).
    let is16 = |c: &Candidate| form(c.instr.code()).operand_size == 16;
    if !wants16 && survivors.iter().any(|c| !is16(c)) {
        survivors.retain(|c| !is16(c));
    }
    if has_unsized_memory(ops, &interp.filter) {
        let mut sizes: Vec<u32> = survivors
            .iter()
            .map(|c| c.mem_size)
            .filter(|s| *s != 0)
            .collect();
        sizes.sort_unstable();
        sizes.dedup();
        if sizes.len() > 1 {
            // `push`/`pop`/`call`/`jmp [mem]` take the mode's default size:
            // 8 bytes in 64-bit code; in 32-bit code the 4-byte form (no
            // operand-size prefix), which is what LLVM picks there too.
            let mode32 = c_mode32(&survivors);
            let default64 = |c: &Candidate| {
                let oc = form(c.instr.code());
                if mode32 {
                    c.mem_size == 4 && oc.operand_size == 32 && is_default_size_family(c)
                } else {
                    c.mem_size == 8 && (oc.default_op_size64() || oc.force_op_size64())
                }
            };
            if survivors.iter().any(default64) {
                survivors.retain(default64);
            } else {
                let hint = if sizes.contains(&4) {
                    "dword ptr"
                } else {
                    "qword ptr"
                };
                let message = match ops.iter().any(|o| matches!(o, Operand::Mem(_))) {
                    true => format!(
                        "`{written}` with these operands is ambiguous: the memory operand needs a size such as `{hint}`"
                    ),
                    false => format!("`{written}` with these operands is ambiguous"),
                };
                let sizes_s: Vec<String> = sizes.iter().map(|s| s.to_string()).collect();
                return Err(
                    MatchError::new(MatchErrorKind::Ambiguous, message).with_note(format!(
                        "forms exist for memory operands of {} bytes",
                        sizes_s.join(", ")
                    )),
                );
            }
        }
    }
    // The first of the lowest rank, by index: unoptimised, `min_by_key`
    // moves whole candidates at every comparison.
    let mut best: Option<(usize, Rank)> = None;
    for (index, candidate) in survivors.iter().enumerate() {
        let key = rank(candidate, wants16);
        if best.as_ref().is_none_or(|(_, lowest)| key < *lowest) {
            best = Some((index, key));
        }
    }
    let Some((index, _)) = best else {
        return Err(MatchError::new(
            MatchErrorKind::InvalidOperands,
            "no form matched",
        ));
    };
    Ok(survivors.swap_remove(index))
}

/// Whether the candidates were built for 32-bit code.
fn c_mode32(survivors: &[Candidate]) -> bool {
    survivors
        .first()
        .is_some_and(|c| c.instr.code_size() == iced_x86::CodeSize::Code32)
}

/// Near branches, calls and stack pushes/pops through memory: the forms
/// whose unsized memory operand takes the mode's default size.
fn is_default_size_family(c: &Candidate) -> bool {
    matches!(
        c.instr.mnemonic(),
        iced_x86::Mnemonic::Jmp
            | iced_x86::Mnemonic::Call
            | iced_x86::Mnemonic::Push
            | iced_x86::Mnemonic::Pop
    )
}

/// Resolves a statement to one form.
pub(super) fn match_ast(
    ast: &InstructionAst,
    bitness: Bitness,
) -> Result<(Candidate, &'static str), MatchError> {
    let respelled = as_llvm_spells(ast);
    let ast = respelled.as_ref().unwrap_or(ast);
    let written = ast.mnemonic.as_str();
    let interps = interpretations(ast, bitness);
    if interps.list.is_empty() {
        return Err(MatchError::new(
            MatchErrorKind::UnknownMnemonic,
            format!("unknown mnemonic `{written}`"),
        ));
    }
    let prepared = operands::prepare(&ast.operands)?;
    let decor = decorators(&ast.operands);
    with_encoder(bitness, |encoder| {
        match_interps(ast, bitness, &interps, &prepared, &decor, encoder)
    })
}

/// Tries the interpretations in order (strictly first, then with LLVM's
/// immediate truncation) and picks among the forms of the first that
/// takes the operands.
fn match_interps(
    ast: &InstructionAst,
    bitness: Bitness,
    interps: &Interps,
    prepared: &[Operand],
    decor: &Decor,
    encoder: &mut Encoder,
) -> Result<(Candidate, &'static str), MatchError> {
    let written = ast.mnemonic.as_str();
    let mut worst: Option<Reject> = None;
    for strict in [true, false] {
        for interp in &interps.list {
            // AT&T keeps Intel order for `enter` (pitfall 29): undo the
            // parser's reversal. Direct far branches too: `ljmp $sel,
            // $off` in both syntaxes. Borrowed otherwise: a copy per
            // interpretation costs more than the rest of a simple match.
            let far_direct = interp.filter.far && prepared.len() == 2;
            let ops: Cow<'_, [Operand]> = if ast.syntax == Syntax::Att
                && (far_direct || matches!(interp.name, "enter" | "bound"))
            {
                let mut reversed = prepared.to_vec();
                reversed.reverse();
                Cow::Owned(reversed)
            } else {
                Cow::Borrowed(prepared)
            };
            let stmt = Stmt {
                ops: &ops,
                ast,
                decor,
                interp,
                bitness,
                xchg: interp.name == "xchg",
            };
            let mut survivors = Vec::new();
            // Only forms of the mode that pass the filter (precomputed).
            for &(code, oc) in &interp.candidates {
                let tried = if shape_mismatch(oc, &stmt) {
                    Err(Reject::Shape)
                } else {
                    try_form(code, oc, &stmt, strict, encoder)
                };
                match tried {
                    Ok(c) => survivors.push(c),
                    Err(r) => {
                        if worst.as_ref().is_none_or(|w| r.priority() > w.priority()) {
                            worst = Some(r);
                        }
                    }
                }
            }
            if !survivors.is_empty() {
                let c = pick(survivors, &ops, interp, written)?;
                return Ok((as_llvm_encodes(c, ast, encoder), interp.name));
            }
        }
        if !matches!(worst, Some(Reject::Imm { .. })) {
            break;
        }
    }
    Err(no_match_error(
        ast,
        bitness,
        &interps.list,
        worst,
        interps.any_mode_form,
    ))
}

/// Statements LLVM assembles as a different instruction than written:
/// `int 3` is emitted as the one-byte `int3` (`CC`), which the processor
/// treats differently from `int imm8` (no IOPL check in virtual-8086 mode,
/// debugger breakpoint semantics), so the facts must be those of `int3`.
fn as_llvm_spells(ast: &InstructionAst) -> Option<InstructionAst> {
    let is_three = matches!(
        ast.operands.as_slice(),
        [OperandAst::Imm(i)] if i.value == Some(3) && i.symbol.is_none()
    );
    (ast.mnemonic == "int" && is_three).then(|| InstructionAst {
        mnemonic: "int3".into(),
        operands: Vec::new(),
        ..ast.clone()
    })
}

/// Where LLVM encodes a form differently from what its text says, follow
/// the bytes: `mov ax, ds` is emitted without the operand-size prefix, so the
/// processor runs `mov eax, ds`, which zero-extends into all of `rax`.
/// (AT&T `movw %ds, %ax` keeps the prefix: the suffix asks for it.)
fn as_llvm_encodes(mut c: Candidate, ast: &InstructionAst, encoder: &mut Encoder) -> Candidate {
    if ast.syntax == Syntax::Intel
        && c.instr.code() == Code::Mov_rm16_Sreg
        && c.instr.op0_kind() == OpKind::Register
    {
        let wide = c.instr.op0_register().full_register32();
        let mut instr = c.instr;
        instr.set_code(Code::Mov_r32m16_Sreg);
        instr.set_op0_register(wide);
        if let Ok(len) = encoder.encode(&instr, 0) {
            c.instr = instr;
            c.len = len;
        }
    }
    c
}

/// The error when no form took the operands.
fn no_match_error(
    ast: &InstructionAst,
    bitness: Bitness,
    interps: &[Interp],
    worst: Option<Reject>,
    any_mode_form: bool,
) -> MatchError {
    let written = ast.mnemonic.as_str();
    if !any_mode_form {
        let mode = match bitness {
            Bitness::Bits64 => "64-bit",
            Bitness::Bits32 => "32-bit",
            Bitness::Bits16 => "16-bit",
        };
        return MatchError::new(
            MatchErrorKind::InvalidOperands,
            format!("`{written}` is not valid in {mode} mode"),
        );
    }
    let (kind, message) = match worst {
        Some(Reject::Other(m)) if m.starts_with("cannot be encoded") => (
            MatchErrorKind::InvalidOperands,
            format!("`{written}` with these operands {m}"),
        ),
        Some(Reject::Other(m) | Reject::Prefix(m)) => (MatchErrorKind::InvalidOperands, m),
        Some(Reject::Imm { value, bits }) => (
            MatchErrorKind::ImmediateOutOfRange,
            format!("immediate `{value}` does not fit the {bits}-bit immediate of `{written}`"),
        ),
        Some(Reject::Size) => (
            MatchErrorKind::InvalidOperands,
            format!("`{written}` has no form with this memory operand size"),
        ),
        _ => (
            MatchErrorKind::InvalidOperands,
            format!("`{written}` with these operands is not a valid instruction"),
        ),
    };
    let mut err = MatchError::new(kind, message);
    let forms: Vec<String> = interps
        .iter()
        .flat_map(|i| i.forms.iter())
        .filter(|c| mode_ok(**c, bitness))
        .take(4)
        .map(|c| format!("`{}`", super::forms::instruction_string(*c)))
        .collect();
    if !forms.is_empty() {
        err = err.with_note(format!("valid forms include {}", forms.join(", ")));
    }
    err
}
