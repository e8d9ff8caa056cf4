//! Operands as the matcher sees them (registers resolved to iced
//! registers, memory operands flattened), and filling one iced operand from
//! one of them for a given form's operand kind: the "shape matching" step.

use iced_x86::{Instruction, OpCodeOperandKind as K, OpKind, Register};

use super::immediates;
use super::registers::iced_register;
use super::{MatchError, MatchErrorKind};
use crate::template::ast::{Bitness, MemoryAst, OperandAst, SegmentReg};

/// Address of the instruction being built. Chosen so that RIP-relative
/// and branch targets (`IP + small`) are always encodable.
pub(super) const IP: u64 = 0x0010_0000;
/// Dummy target of direct branches: near enough for rel8-only forms
/// (`loop`, `jrcxz`, pitfall 17).
pub(super) const BRANCH_TARGET: u64 = IP + 0x10;
/// Placeholder displacement for symbolic or unknown displacements: needs a
/// 32-bit field, like the relocation LLVM emits.
const SYMBOLIC_DISP: i128 = 0x1000;

/// A flattened memory operand.
#[derive(Clone, Debug)]
pub(super) struct MemSpec {
    /// Size in bytes from `dword ptr` & co.
    pub(super) size: Option<u32>,
    /// Segment override.
    pub(super) segment: Option<Register>,
    /// Base register (`RIP` for RIP-relative).
    pub(super) base: Option<Register>,
    /// Index register.
    pub(super) index: Option<Register>,
    /// Scale (1, 2, 4, 8).
    pub(super) scale: u32,
    /// Displacement.
    pub(super) disp: i128,
    /// Whether the displacement is symbolic or unknown.
    pub(super) symbolic: bool,
    /// `{1toN}`.
    pub(super) broadcast: Option<u32>,
}

/// One prepared operand.
#[derive(Clone, Debug)]
pub(super) enum Operand {
    /// A register.
    Reg(Register),
    /// An immediate; `None` when symbolic.
    Imm(Option<i128>),
    /// A memory operand.
    Mem(MemSpec),
    /// A direct target (label or bare symbol); usable as absolute memory.
    Target(MemSpec),
}

impl Operand {
    /// Whether the operand is a memory operand (not a branch target).
    pub(super) fn is_mem(&self) -> bool {
        matches!(self, Operand::Mem(_))
    }
}

/// Why a form did not take the operands, most specific last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Reject {
    /// Operand kinds do not fit (the common, silent case).
    Shape,
    /// A prefix the form does not allow (other forms may).
    Prefix(String),
    /// A memory operand size does not fit.
    Size,
    /// An immediate is out of range for every field of the form.
    Imm {
        /// The value.
        value: i128,
        /// Width of the field.
        bits: u32,
    },
    /// A specific reason, already worded.
    Other(String),
}

impl Reject {
    /// How specific the reason is: the most specific one is reported.
    pub(super) fn priority(&self) -> u8 {
        match self {
            Reject::Shape => 0,
            Reject::Size => 1,
            Reject::Prefix(_) => 2,
            Reject::Imm { .. } => 3,
            Reject::Other(_) => 4,
        }
    }
}

/// Size of an Intel size keyword.
fn keyword_size(k: &str) -> Option<u32> {
    Some(match k {
        "byte" => 1,
        "word" => 2,
        "dword" => 4,
        "fword" => 6,
        "qword" | "mmword" => 8,
        "tbyte" | "tword" => 10,
        "xmmword" | "oword" => 16,
        "ymmword" => 32,
        "zmmword" => 64,
        _ => return None,
    })
}

/// iced segment register for ours.
pub(super) fn segment(s: SegmentReg) -> Register {
    match s {
        SegmentReg::Es => Register::ES,
        SegmentReg::Cs => Register::CS,
        SegmentReg::Ss => Register::SS,
        SegmentReg::Ds => Register::DS,
        SegmentReg::Fs => Register::FS,
        SegmentReg::Gs => Register::GS,
    }
}

/// Resolves a register name or fails with "unknown register".
pub(super) fn resolve_reg(name: &str) -> Result<Register, MatchError> {
    iced_register(name).ok_or_else(|| {
        MatchError::new(
            MatchErrorKind::UnknownRegister,
            format!("unknown register `{name}`"),
        )
    })
}

/// Flattens a memory operand.
fn mem_spec(m: &MemoryAst) -> Result<MemSpec, MatchError> {
    let mut base = m.base.as_ref().map(|r| resolve_reg(&r.name)).transpose()?;
    let mut index = m.index.as_ref().map(|r| resolve_reg(&r.name)).transpose()?;
    // `[si + bx]` is `[bx + si]`: LLVM puts a 16-bit base first.
    if matches!(base, Some(Register::SI | Register::DI))
        && matches!(index, Some(Register::BX | Register::BP))
        && m.scale <= 1
    {
        std::mem::swap(&mut base, &mut index);
    }
    let size = m
        .size
        .map(u32::from)
        .or_else(|| m.size_keyword.as_deref().and_then(keyword_size));
    Ok(MemSpec {
        size,
        segment: m.segment.map(segment),
        base,
        index,
        scale: u32::from(m.scale.max(1)),
        disp: m.displacement,
        symbolic: m.displacement_unknown || m.symbol.is_some(),
        broadcast: m.broadcast.map(u32::from),
    })
}

/// Prepares the AST operands.
pub(super) fn prepare(ops: &[OperandAst]) -> Result<Vec<Operand>, MatchError> {
    // A loop: unoptimised, collecting an iterator of `Result`s costs more
    // than the conversions.
    let mut prepared = Vec::with_capacity(ops.len());
    for op in ops {
        prepared.push(match op {
            OperandAst::Reg(r) => Operand::Reg(resolve_reg(&r.name)?),
            OperandAst::Imm(i) => Operand::Imm(if i.symbol.is_some() { None } else { i.value }),
            OperandAst::Mem(m) => Operand::Mem(mem_spec(m)?),
            OperandAst::Target(_) => Operand::Target(MemSpec {
                size: None,
                segment: None,
                base: None,
                index: None,
                scale: 1,
                disp: 0,
                symbolic: true,
                broadcast: None,
            }),
        });
    }
    Ok(prepared)
}

/// Per-form state while its operands are filled.
pub(super) struct Fill {
    /// Mode.
    pub(super) bitness: Bitness,
    /// Strict immediates (first pass) or LLVM truncation (second pass).
    pub(super) strict: bool,
    /// `movabs`: `moffs` forms allowed.
    pub(super) movabs: bool,
    /// An immediate operand was already filled.
    pub(super) imm_seen: bool,
    /// Narrowest field holding a symbolic immediate (64 when none).
    pub(super) symbolic_width: u32,
    /// Whether a symbolic immediate was placed.
    pub(super) symbolic: bool,
    /// Whether a value was truncated (lenient pass).
    pub(super) truncated: bool,
    /// Whether an absolute address beyond 32 bits was cut to the sign-
    /// extended 32-bit displacement LLVM emits (ranked after `moffs`).
    pub(super) wrapped: bool,
}

/// What a form says about its memory operand.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct FormMem {
    /// Memory size in bytes (0: unknown or none).
    pub(super) size: u32,
    /// Broadcast element size in bytes (0: none).
    pub(super) bcst_size: u32,
    /// Whether `{1toN}` is allowed.
    pub(super) can_broadcast: bool,
}

/// Register class predicate of a register operand kind, or the fixed
/// register the kind stands for.
fn reg_fits(kind: K, r: Register) -> Option<bool> {
    Some(match kind {
        K::r8_or_mem | K::r8_reg | K::r8_opcode => r.is_gpr8(),
        K::r16_or_mem | K::r16_reg | K::r16_reg_mem | K::r16_rm | K::r16_opcode => r.is_gpr16(),
        K::r32_or_mem
        | K::r32_or_mem_mpx
        | K::r32_reg
        | K::r32_reg_mem
        | K::r32_rm
        | K::r32_opcode
        | K::r32_vvvv => r.is_gpr32(),
        K::r64_or_mem
        | K::r64_or_mem_mpx
        | K::r64_reg
        | K::r64_reg_mem
        | K::r64_rm
        | K::r64_opcode
        | K::r64_vvvv => r.is_gpr64(),
        K::seg_reg => r.is_segment_register(),
        K::k_reg | K::kp1_reg | K::k_rm | K::k_vvvv | K::k_or_mem => r.is_k(),
        K::mm_reg | K::mm_rm | K::mm_or_mem => r.is_mm(),
        K::xmm_reg
        | K::xmm_rm
        | K::xmm_vvvv
        | K::xmmp3_vvvv
        | K::xmm_is4
        | K::xmm_is5
        | K::xmm_or_mem => r.is_xmm(),
        K::ymm_reg | K::ymm_rm | K::ymm_vvvv | K::ymm_is4 | K::ymm_is5 | K::ymm_or_mem => {
            r.is_ymm()
        }
        K::zmm_reg | K::zmm_rm | K::zmm_vvvv | K::zmmp3_vvvv | K::zmm_or_mem => r.is_zmm(),
        K::cr_reg => r.is_cr(),
        K::dr_reg => r.is_dr(),
        K::tr_reg => r.is_tr(),
        K::bnd_reg | K::bnd_or_mem_mpx => r.is_bnd(),
        K::tmm_reg | K::tmm_rm | K::tmm_vvvv => r.is_tmm(),
        K::sti_opcode => r.is_st(),
        _ => return fixed_register(kind).map(|f| f == r),
    })
}

/// The register a fixed-register operand kind stands for.
pub(super) fn fixed_register(kind: K) -> Option<Register> {
    Some(match kind {
        K::es => Register::ES,
        K::cs => Register::CS,
        K::ss => Register::SS,
        K::ds => Register::DS,
        K::fs => Register::FS,
        K::gs => Register::GS,
        K::al => Register::AL,
        K::cl => Register::CL,
        K::ax => Register::AX,
        K::dx => Register::DX,
        K::eax => Register::EAX,
        K::rax => Register::RAX,
        K::st0 => Register::ST0,
        _ => return None,
    })
}

/// Whether a kind is one of the implicit string-instruction memory operands.
pub(super) fn is_string_kind(kind: K) -> bool {
    matches!(kind, K::seg_rSI | K::es_rDI | K::seg_rDI | K::seg_rBX_al)
}

/// Fills operand `i` of `instr` from `op` (or implicitly when `None`).
pub(super) fn fill(
    instr: &mut Instruction,
    i: u32,
    kind: K,
    op: Option<&Operand>,
    form: FormMem,
    st: &mut Fill,
) -> Result<(), Reject> {
    let set_kind = |instr: &mut Instruction, k: OpKind| {
        instr
            .try_set_op_kind(i, k)
            .map_err(|e| Reject::Other(e.to_string()))
    };
    let b64 = st.bitness == Bitness::Bits64;
    // Implicit operands.
    let Some(op) = op else {
        if let Some(r) = fixed_register(kind) {
            set_kind(instr, OpKind::Register)?;
            return instr
                .try_set_op_register(i, r)
                .map_err(|e| Reject::Other(e.to_string()));
        }
        return match kind {
            K::imm8_const_1 => {
                set_kind(instr, OpKind::Immediate8)?;
                instr.set_immediate8(1);
                Ok(())
            }
            K::sti_opcode => {
                set_kind(instr, OpKind::Register)?;
                instr
                    .try_set_op_register(i, Register::ST1)
                    .map_err(|e| Reject::Other(e.to_string()))
            }
            K::seg_rSI => set_kind(
                instr,
                if b64 {
                    OpKind::MemorySegRSI
                } else {
                    OpKind::MemorySegESI
                },
            ),
            K::es_rDI => set_kind(
                instr,
                if b64 {
                    OpKind::MemoryESRDI
                } else {
                    OpKind::MemoryESEDI
                },
            ),
            K::seg_rDI => set_kind(
                instr,
                if b64 {
                    OpKind::MemorySegRDI
                } else {
                    OpKind::MemorySegEDI
                },
            ),
            K::seg_rBX_al => {
                set_kind(instr, OpKind::Memory)?;
                instr.set_memory_base(if b64 { Register::RBX } else { Register::EBX });
                instr.set_memory_index(Register::AL);
                instr.set_memory_index_scale(1);
                instr.set_memory_displ_size(0);
                Ok(())
            }
            _ => Err(Reject::Shape),
        };
    };
    match op {
        Operand::Reg(r) => match reg_fits(kind, *r) {
            Some(true) => {
                set_kind(instr, OpKind::Register)?;
                instr
                    .try_set_op_register(i, *r)
                    .map_err(|e| Reject::Other(e.to_string()))
            }
            _ => Err(Reject::Shape),
        },
        Operand::Imm(v) => {
            // A number as a branch target: an absolute address.
            if let Some(k) = branch_kind(kind, st.bitness) {
                set_kind(instr, k)?;
                set_branch(instr, k);
                return Ok(());
            }
            let Some(k) = immediates::op_kind(kind, st.imm_seen) else {
                return Err(Reject::Shape);
            };
            let bits = immediates::width(kind);
            let value = match v {
                Some(v) if immediates::fits(kind, *v) => *v,
                Some(v) if !st.strict && immediates::truncatable(kind) => {
                    st.truncated = true;
                    *v
                }
                Some(v) => return Err(Reject::Imm { value: *v, bits }),
                None if matches!(kind, K::imm8_const_1 | K::imm4_m2z) => return Err(Reject::Shape),
                None => {
                    st.symbolic = true;
                    st.symbolic_width = st.symbolic_width.min(bits);
                    0
                }
            };
            st.imm_seen = true;
            set_kind(instr, k)?;
            if k == OpKind::Immediate8_2nd {
                instr.set_immediate8_2nd(immediates::raw(value) as u8);
                Ok(())
            } else {
                instr
                    .try_set_immediate_u64(i, immediates::raw(value))
                    .map_err(|e| Reject::Other(e.to_string()))
            }
        }
        Operand::Target(m) => {
            if let Some(k) = branch_kind(kind, st.bitness) {
                set_kind(instr, k)?;
                set_branch(instr, k);
                return Ok(());
            }
            fill_mem(instr, i, kind, m, form, st)
        }
        Operand::Mem(m) => fill_mem(instr, i, kind, m, form, st),
    }
}

/// What [`fill`] will do with written operand `op` for `kind`, decided
/// without building anything: most candidate forms of a mnemonic fail on
/// their first operand's shape, and building the instruction to find out
/// costs several thousand instructions per form unoptimised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Quick {
    /// `fill` succeeds and changes nothing a later operand depends on.
    Fits,
    /// `fill` fails with [`Reject::Shape`].
    Shape,
    /// Only `fill` can tell (sizes, immediate ranges, address checks).
    Unknown,
}

/// See [`Quick`]; `movabs` is the interpretation's filter, as in [`Fill`].
pub(super) fn quick(kind: K, op: &Operand, bitness: Bitness, movabs: bool) -> Quick {
    let mem = |m: &MemSpec| {
        if is_string_kind(kind) {
            return Quick::Unknown;
        }
        match kind {
            K::mem_offs if !(movabs || (bitness == Bitness::Bits64 && beyond_disp32(m))) => {
                Quick::Shape
            }
            _ if !super::names::is_memory_kind(kind) => Quick::Shape,
            _ => Quick::Unknown,
        }
    };
    match op {
        Operand::Reg(r) => match reg_fits(kind, *r) {
            Some(true) => Quick::Fits,
            _ => Quick::Shape,
        },
        Operand::Imm(_) => {
            if branch_kind(kind, bitness).is_some() {
                Quick::Fits
            } else if immediates::op_kind(kind, false).is_none() {
                // `op_kind(kind, true)` is `None` for the same kinds.
                Quick::Shape
            } else {
                Quick::Unknown
            }
        }
        Operand::Target(m) => {
            if branch_kind(kind, bitness).is_some() {
                Quick::Fits
            } else {
                mem(m)
            }
        }
        Operand::Mem(m) => mem(m),
    }
}

/// The near-branch `OpKind` of a branch operand kind valid in this mode.
fn branch_kind(kind: K, bitness: Bitness) -> Option<OpKind> {
    match (kind, bitness) {
        (K::br64_1 | K::br64_4 | K::xbegin_4, Bitness::Bits64) => Some(OpKind::NearBranch64),
        (K::br32_1 | K::br32_4 | K::xbegin_4, Bitness::Bits32) => Some(OpKind::NearBranch32),
        _ => None,
    }
}

/// Points a near branch at the dummy target.
fn set_branch(instr: &mut Instruction, k: OpKind) {
    if k == OpKind::NearBranch64 {
        instr.set_near_branch64(BRANCH_TARGET);
    } else {
        instr.set_near_branch32(BRANCH_TARGET as u32);
    }
}

/// Whether a memory operand is a known absolute address (no registers)
/// outside the signed 32-bit range, but a 64-bit address.
fn beyond_disp32(m: &MemSpec) -> bool {
    m.base.is_none()
        && m.index.is_none()
        && !m.symbolic
        && !(i128::from(i32::MIN)..=i128::from(i32::MAX)).contains(&m.disp)
        && (i128::from(i64::MIN)..=i128::from(u64::MAX)).contains(&m.disp)
}

/// Fills a memory operand.
fn fill_mem(
    instr: &mut Instruction,
    i: u32,
    kind: K,
    m: &MemSpec,
    form: FormMem,
    st: &mut Fill,
) -> Result<(), Reject> {
    let FormMem {
        size: oc_mem_size,
        bcst_size: oc_bcst_size,
        can_broadcast,
    } = form;
    let set_kind = |instr: &mut Instruction, k: OpKind| {
        instr
            .try_set_op_kind(i, k)
            .map_err(|e| Reject::Other(e.to_string()))
    };
    let b64 = st.bitness == Bitness::Bits64;
    // Explicitly written string operands (`movs byte ptr [rdi], byte ptr [rsi]`).
    if is_string_kind(kind) {
        let (want64, want32) = match kind {
            K::seg_rSI => (Register::RSI, Register::ESI),
            K::es_rDI | K::seg_rDI => (Register::RDI, Register::EDI),
            _ => (Register::RBX, Register::EBX),
        };
        let want = if b64 { want64 } else { want32 };
        if m.base != Some(want) || m.index.is_some() || m.disp != 0 || m.symbolic {
            return Err(Reject::Shape);
        }
        if let Some(s) = m.size
            && oc_mem_size != 0
            && s != oc_mem_size
        {
            return Err(Reject::Size);
        }
        if kind == K::seg_rBX_al {
            return fill(instr, i, kind, None, FormMem::default(), st);
        }
        fill(instr, i, kind, None, FormMem::default(), st)?;
        if let Some(seg) = m.segment {
            if kind == K::es_rDI && seg != Register::ES {
                return Err(Reject::Other(
                    "the destination of a string instruction cannot take a segment override".into(),
                ));
            }
            if kind != K::es_rDI {
                instr.set_segment_prefix(seg);
            }
        }
        return Ok(());
    }
    let vsib = match kind {
        K::mem_vsib32x | K::mem_vsib64x => Some(Register::is_xmm as fn(Register) -> bool),
        K::mem_vsib32y | K::mem_vsib64y => Some(Register::is_ymm as fn(Register) -> bool),
        K::mem_vsib32z | K::mem_vsib64z => Some(Register::is_zmm as fn(Register) -> bool),
        // LLVM uses `moffs` for an absolute address that a sign-extended
        // 32-bit displacement cannot reach (`mov eax, [0x80000000]`).
        K::mem_offs if !(st.movabs || (b64 && beyond_disp32(m))) => return Err(Reject::Shape),
        _ if !super::names::is_memory_kind(kind) => return Err(Reject::Shape),
        _ => None,
    };
    if st.movabs && kind != K::mem_offs {
        return Err(Reject::Shape);
    }
    match (vsib, m.index) {
        (Some(pred), Some(ix)) if pred(ix) => {}
        (Some(_), _) => return Err(Reject::Shape),
        (None, Some(ix)) if !(ix.is_gpr32() || ix.is_gpr64() || ix.is_gpr16()) => {
            return Err(Reject::Shape);
        }
        _ => {}
    }
    if let Some(b) = m.base
        && !(b.is_gpr32() || b.is_gpr64() || b.is_gpr16() || b.is_ip())
    {
        return Err(Reject::Shape);
    }
    let addressing16 = [m.base, m.index].iter().flatten().any(|r| r.is_gpr16());
    if addressing16 && b64 {
        return Err(Reject::Other(
            "16-bit address registers are not valid in 64-bit mode".into(),
        ));
    }
    if addressing16 && !valid_16_bit_address(m) {
        return Err(Reject::Other(
            "16-bit addresses are `bx` or `bp` plus `si` or `di`, without a scale".into(),
        ));
    }
    // Address registers must agree in size and exist in the mode (iced's
    // encoder asserts on mixed sizes instead of returning an error).
    let gpr_index = m.index.filter(|ix| ix.is_gpr());
    if let (Some(b), Some(ix)) = (m.base.filter(|b| b.is_gpr()), gpr_index)
        && b.is_gpr64() != ix.is_gpr64()
    {
        return Err(Reject::Other(
            "base and index registers must have the same size".into(),
        ));
    }
    if !b64
        && [m.base, gpr_index]
            .iter()
            .flatten()
            .any(|r| r.is_gpr64() || r.is_ip())
    {
        return Err(Reject::Other(
            "64-bit address registers are not valid in 32-bit mode".into(),
        ));
    }
    if kind == K::mem_offs && (m.base.is_some() || m.index.is_some()) {
        return Err(Reject::Shape);
    }
    // Size: `dword ptr` must match the form (pitfall 15), `{1toN}` the
    // broadcast element.
    let expected = if let Some(n) = m.broadcast {
        if !can_broadcast || oc_bcst_size == 0 || n * oc_bcst_size != oc_mem_size {
            return Err(Reject::Shape);
        }
        instr.set_is_broadcast(true);
        oc_bcst_size
    } else {
        oc_mem_size
    };
    if let (Some(s), true) = (m.size, expected != 0)
        && s != expected
    {
        return Err(Reject::Size);
    }
    if !matches!(m.scale, 1 | 2 | 4 | 8) {
        return Err(Reject::Other(format!(
            "scale `{}` is not valid: use 1, 2, 4 or 8",
            m.scale
        )));
    }
    set_kind(instr, OpKind::Memory)?;
    let disp = if m.symbolic {
        m.disp.saturating_add(SYMBOLIC_DISP)
    } else {
        m.disp
    };
    if let Some(seg) = m.segment {
        instr.set_segment_prefix(seg);
    }
    if m.base.is_some_and(|b| b.is_ip()) {
        if m.index.is_some() {
            return Err(Reject::Other(
                "rip-relative addressing cannot use an index register".into(),
            ));
        }
        let target = IP.wrapping_add(immediates::raw(disp));
        instr.set_memory_base(m.base.unwrap_or(Register::RIP));
        instr.set_memory_displacement64(target);
        instr.set_memory_displ_size(if b64 { 8 } else { 4 });
        return Ok(());
    }
    let addr_limit = if b64 && m.base.is_none() && m.index.is_none() && kind == K::mem_offs {
        i128::from(u64::MAX)
    } else {
        i128::from(u32::MAX)
    };
    let absolute = m.base.is_none() && m.index.is_none();
    let mut disp = disp;
    if b64 && absolute && kind != K::mem_offs && beyond_disp32(m) {
        // What LLVM emits for other forms: the low 32 bits, which the
        // processor sign-extends (`[0xffe02000]` reads 0xffff_ffff_ffe0_2000).
        disp = i128::from(immediates::raw(disp) as u32 as i32);
        st.wrapped = true;
    }
    if addressing16 {
        // 16-bit addresses wrap around at 64 KiB; LLVM keeps the low bits.
        disp = i128::from(immediates::raw(disp) as u16);
    }
    if disp < i128::from(i32::MIN) || disp > addr_limit {
        return Err(Reject::Other(format!(
            "displacement `{:#x}` does not fit in 32 bits",
            m.disp
        )));
    }
    instr.set_memory_base(m.base.unwrap_or(Register::None));
    instr.set_memory_index(m.index.unwrap_or(Register::None));
    instr.set_memory_index_scale(m.scale);
    instr.set_memory_displacement64(immediates::raw(disp));
    let displ_size = if m.base.is_none() && m.index.is_none() {
        if b64 { 8 } else { 4 }
    } else if addressing16 && m.symbolic {
        2
    } else if disp == 0 && !m.symbolic {
        0
    } else {
        1
    };
    instr.set_memory_displ_size(displ_size);
    Ok(())
}

/// The 16-bit addressing forms (`[bx + si + 8]`, `[bp]`, `[di]`): a base of
/// `bx` or `bp` and an index of `si` or `di`, either alone, scale 1, with
/// no 32-bit register beside them (outside 64-bit mode).
fn valid_16_bit_address(m: &MemSpec) -> bool {
    let is = |reg: Option<Register>, set: &[Register]| reg.is_some_and(|r| set.contains(&r));
    let bases = [Register::BX, Register::BP];
    let indexes = [Register::SI, Register::DI];
    m.scale <= 1
        && match (m.base, m.index) {
            (Some(_), None) => is(m.base, &bases) || is(m.base, &indexes),
            (None, Some(_)) => is(m.index, &indexes),
            (Some(_), Some(_)) => is(m.base, &bases) && is(m.index, &indexes),
            (None, None) => true,
        }
}
