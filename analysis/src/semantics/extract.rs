//! Facts from a built iced `Instruction`: iced's `InstructionInfo` and
//! flag/flow/stack queries, normalised into our types, plus our own
//! classifications for what iced does not model (MXCSR, x87 status word,
//! `leave`, `add rsp, 8`, hypercalls).

use std::cell::Cell;
use std::sync::OnceLock;

use iced_x86::{
    CpuidFeature, FlowControl, Instruction, InstructionInfoFactory, Mnemonic, OpAccess,
    OpCodeOperandKind as K, OpKind, Register, RflagsBits,
};

use super::facts::{Facts, FlagSet, Flow, MemAccess, MemUse, RegUse};
use super::registers::reg_from_iced;
use super::side_effects::{SideEffects, by_mnemonic, classify, is_xchg_with_memory};
use crate::template::ast::Bitness;

/// Converts iced's RFLAGS bits to ours.
fn flags(bits: u32) -> FlagSet {
    const MAP: [(u32, FlagSet); 13] = [
        (RflagsBits::CF, FlagSet::CF),
        (RflagsBits::PF, FlagSet::PF),
        (RflagsBits::AF, FlagSet::AF),
        (RflagsBits::ZF, FlagSet::ZF),
        (RflagsBits::SF, FlagSet::SF),
        (RflagsBits::OF, FlagSet::OF),
        (RflagsBits::DF, FlagSet::DF),
        (RflagsBits::IF, FlagSet::IF),
        (RflagsBits::AC, FlagSet::AC),
        (RflagsBits::C0, FlagSet::C0),
        (RflagsBits::C1, FlagSet::C1),
        (RflagsBits::C2, FlagSet::C2),
        (RflagsBits::C3, FlagSet::C3),
    ];
    // Most instructions read (or leave undefined) no flag at all.
    if bits == 0 {
        return FlagSet::EMPTY;
    }
    MAP.iter()
        .filter(|(b, _)| bits & b != 0)
        .fold(FlagSet::EMPTY, |acc, (_, f)| acc.union(*f))
}

/// Adds a register use unless already present; an unconditional use
/// replaces a conditional one (iced lists `al` twice for `xlatb`, `rsp`
/// twice for `push [rsp + 8]`).
fn add_use(list: &mut Vec<RegUse>, u: RegUse) {
    if let Some(old) = list.iter_mut().find(|o| o.reg == u.reg) {
        old.conditional &= u.conditional;
    } else {
        list.push(u);
    }
}

/// What the lower-case mnemonic alone says about an instruction: string
/// comparisons against long lists of names, worked out once per mnemonic
/// (see [`by_name`]) rather than for every instruction.
#[derive(Clone, Copy, Debug)]
struct ByName {
    /// [`by_mnemonic`].
    side_effects: SideEffects,
    /// Stores x87 state or does nothing: leaves the status word alone.
    x87_store_only: bool,
    /// Restores x87 state from memory whatever its CPUID features say.
    x87_restore: bool,
    /// Loads MXCSR.
    mxcsr_load: bool,
    /// SSE/AVX floating-point arithmetic, comparison or conversion by name
    /// (counts only for forms with a vector register operand).
    mxcsr_arith: bool,
    /// The flow class the name decides, if it does.
    flow: Option<Flow>,
}

impl ByName {
    fn of(mnemonic: &str) -> ByName {
        ByName {
            side_effects: by_mnemonic(mnemonic),
            x87_store_only: x87_store_only(mnemonic),
            x87_restore: x87_restore(mnemonic),
            mxcsr_load: mxcsr_load(mnemonic),
            mxcsr_arith: mxcsr_arith(mnemonic),
            flow: flow_by_name(mnemonic),
        }
    }
}

/// [`ByName`] of the mnemonic `m`, named `name` (its lower-case name in the
/// mnemonic table), computed on first use and kept for the process.
fn by_name(m: Mnemonic, name: &str) -> ByName {
    static CACHE: OnceLock<Vec<OnceLock<ByName>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mnemonic::values().map(|_| OnceLock::new()).collect());
    match cache.get(m as usize) {
        Some(slot) => *slot.get_or_init(|| ByName::of(name)),
        None => ByName::of(name),
    }
}

/// Pure stores of x87 state and no-ops leave the status word alone.
fn x87_store_only(mnemonic: &str) -> bool {
    matches!(
        mnemonic,
        "fnstsw"
            | "fstsw"
            | "fnstcw"
            | "fstcw"
            | "fnstenv"
            | "fstenv"
            | "fnop"
            | "wait"
            | "ffree"
            | "ffreep"
            | "fxsave"
            | "fxsave64"
    )
}

/// State restores: they load the x87 status word.
fn x87_restore(mnemonic: &str) -> bool {
    matches!(
        mnemonic,
        "fxrstor" | "fxrstor64" | "xrstor" | "xrstor64" | "xrstors" | "xrstors64"
    )
}

/// Whether the instruction is x87 (changes the x87 status word).
fn is_x87(instr: &Instruction, names: &ByName) -> bool {
    let fpu = instr.cpuid_features().iter().any(|f| {
        matches!(
            f,
            CpuidFeature::FPU
                | CpuidFeature::FPU287
                | CpuidFeature::FPU287XL_ONLY
                | CpuidFeature::FPU387
                | CpuidFeature::FPU387SL_ONLY
        )
    });
    (fpu && !names.x87_store_only) || names.x87_restore
}

/// Whether the instruction may set MXCSR exception flags: SSE/AVX
/// floating-point arithmetic, comparisons and conversions, and the
/// instructions that load MXCSR. iced does not model MXCSR (pitfall 10);
/// this is a mnemonic classification restricted to forms with a vector
/// register operand (so the string `cmpsd`/`movsd` are not caught).
fn writes_mxcsr(instr: &Instruction, names: &ByName) -> bool {
    if names.mxcsr_load {
        return true;
    }
    names.mxcsr_arith
        && super::forms::form(instr.code()).op_kinds().iter().any(|k| {
            matches!(
                k,
                K::xmm_reg
                    | K::xmm_rm
                    | K::xmm_vvvv
                    | K::xmm_or_mem
                    | K::ymm_reg
                    | K::ymm_rm
                    | K::ymm_vvvv
                    | K::ymm_or_mem
                    | K::zmm_reg
                    | K::zmm_rm
                    | K::zmm_vvvv
                    | K::zmm_or_mem
            )
        })
}

/// The instructions that load MXCSR.
fn mxcsr_load(mnemonic: &str) -> bool {
    matches!(
        mnemonic,
        "ldmxcsr"
            | "vldmxcsr"
            | "fxrstor"
            | "fxrstor64"
            | "xrstor"
            | "xrstor64"
            | "xrstors"
            | "xrstors64"
    )
}

/// SSE/AVX floating-point arithmetic, comparisons and conversions, by name.
fn mxcsr_arith(mnemonic: &str) -> bool {
    let m = mnemonic.strip_prefix('v').unwrap_or(mnemonic);
    if m.starts_with("cvt") {
        return true;
    }
    const ARITH: [&str; 22] = [
        "add", "sub", "mul", "div", "sqrt", "min", "max", "cmp", "comis", "ucomis", "round", "dp",
        "hadd", "hsub", "fmadd", "fmsub", "fnmadd", "fnmsub", "getexp", "getmant", "range",
        "reduce",
    ];
    const MORE: [&str; 3] = ["scalef", "fixupimm", "rndscale"];
    let fp_suffix = ["ps", "pd", "ss", "sd", "sh", "ph"]
        .iter()
        .any(|s| m.ends_with(s));
    fp_suffix && ARITH.iter().chain(MORE.iter()).any(|p| m.starts_with(p))
}

/// The flow class a mnemonic has whatever iced says.
fn flow_by_name(mnemonic: &str) -> Option<Flow> {
    match mnemonic {
        "hlt" => Some(Flow::Halt),
        "int" | "syscall" | "sysenter" | "vmcall" | "vmmcall" | "vmgexit" | "tdcall"
        | "seamcall" => Some(Flow::SyscallLike),
        "int3" | "int1" | "into" => Some(Flow::Interrupt),
        _ => None,
    }
}

/// Our flow class.
fn flow(instr: &Instruction, names: &ByName) -> Flow {
    if let Some(flow) = names.flow {
        return flow;
    }
    match instr.flow_control() {
        FlowControl::Next => Flow::Next,
        FlowControl::UnconditionalBranch => Flow::Jump,
        FlowControl::IndirectBranch => Flow::IndirectJump,
        FlowControl::ConditionalBranch => Flow::ConditionalJump,
        FlowControl::Return => Flow::Return,
        FlowControl::Call => Flow::Call,
        FlowControl::IndirectCall => Flow::IndirectCall,
        FlowControl::Interrupt => Flow::Interrupt,
        FlowControl::XbeginXabortXend => Flow::Transaction,
        FlowControl::Exception => Flow::Trap,
    }
}

/// Whether a register is the stack pointer.
fn is_sp(r: Register) -> bool {
    matches!(r, Register::RSP | Register::ESP | Register::SP)
}

/// The statically known stack pointer change, if any (see `Facts`).
fn stack_delta(instr: &Instruction, mnemonic: &str, writes_sp: bool) -> Option<i32> {
    if instr.is_stack_instruction() {
        // `leave` sets rsp from rbp (iced reports 0), `pop rsp` from memory.
        let pops_sp = mnemonic == "pop"
            && instr.op0_kind() == OpKind::Register
            && is_sp(instr.op0_register());
        if mnemonic == "leave" || pops_sp {
            return None;
        }
        return Some(instr.stack_pointer_increment());
    }
    if !writes_sp {
        return Some(0);
    }
    let reg0_sp = instr.op_count() >= 1
        && instr.op0_kind() == OpKind::Register
        && is_sp(instr.op0_register());
    if !reg0_sp || instr.op_count() != 2 {
        return None;
    }
    // In 64-bit code a write to `esp` clears the upper half of `rsp`: where
    // the stack is, is then unknown.
    if instr.code_size() == iced_x86::CodeSize::Code64 && instr.op0_register() == Register::ESP {
        return None;
    }
    match (mnemonic, instr.op1_kind()) {
        (
            "add" | "sub",
            OpKind::Immediate8to64
            | OpKind::Immediate32to64
            | OpKind::Immediate8to32
            | OpKind::Immediate32
            | OpKind::Immediate8to16
            | OpKind::Immediate16,
        ) => {
            let v = match instr.op1_kind() {
                OpKind::Immediate8to64 | OpKind::Immediate32to64 => instr.immediate(1) as i64,
                // `sub sp, 4` (real mode): 16-bit arithmetic, which wraps;
                // a move of half the segment or more is not tracked.
                OpKind::Immediate8to16 | OpKind::Immediate16 => {
                    let v = instr.immediate(1) as u16 as i16;
                    if v == i16::MIN {
                        return None;
                    }
                    i64::from(v)
                }
                _ => i64::from(instr.immediate(1) as u32 as i32),
            };
            let v = i32::try_from(v).ok()?;
            Some(if mnemonic == "add" {
                v
            } else {
                v.checked_neg()?
            })
        }
        ("lea", OpKind::Memory)
            if is_sp(instr.memory_base()) && instr.memory_index() == Register::None =>
        {
            i32::try_from(instr.memory_displacement64() as i64).ok()
        }
        _ => None,
    }
}

/// Which explicit operand a memory access is, if any.
fn explicit_operand(
    instr: &Instruction,
    m: &iced_x86::UsedMemory,
    ast_index: &[Option<usize>; 5],
) -> Option<usize> {
    for i in 0..instr.op_count() {
        let Some(&Some(ast)) = ast_index.get(i as usize) else {
            continue;
        };
        let hit = match instr.op_kind(i) {
            OpKind::Memory => {
                if instr.is_ip_rel_memory_operand() {
                    m.base() == Register::None
                        && m.index() == Register::None
                        && m.displacement() == instr.ip_rel_memory_address()
                } else {
                    m.base() == instr.memory_base()
                        && (m.index() == instr.memory_index() || m.vsib_size() != 0)
                        && (m.displacement() == instr.memory_displacement64() || m.vsib_size() != 0)
                }
            }
            OpKind::MemorySegRSI | OpKind::MemorySegESI => {
                matches!(m.base(), Register::RSI | Register::ESI)
            }
            OpKind::MemoryESRDI
            | OpKind::MemoryESEDI
            | OpKind::MemorySegRDI
            | OpKind::MemorySegEDI => {
                matches!(m.base(), Register::RDI | Register::EDI)
            }
            _ => false,
        };
        if hit {
            return Some(ast);
        }
    }
    None
}

/// Builds the facts of a validated instruction.
///
/// With this thread's `InstructionInfoFactory`, kept between instructions:
/// building one (and dropping its two vectors) costs ~370 instructions in
/// an unoptimised build, and `info` starts afresh each time. Taken out of
/// its cell while in use, so a panic just loses it.
pub(super) fn facts(
    instr: &Instruction,
    mnemonic: &'static str,
    bitness: Bitness,
    ast_index: &[Option<usize>; 5],
) -> Facts {
    thread_local! {
        static FACTORY: Cell<Option<InstructionInfoFactory>> = const { Cell::new(None) };
    }
    let mut factory = FACTORY
        .with(Cell::take)
        .unwrap_or_else(InstructionInfoFactory::new);
    let out = facts_with(&mut factory, instr, mnemonic, bitness, ast_index);
    FACTORY.with(|f| f.set(Some(factory)));
    out
}

/// [`facts`] with a given factory.
fn facts_with(
    factory: &mut InstructionInfoFactory,
    instr: &Instruction,
    mnemonic: &'static str,
    bitness: Bitness,
    ast_index: &[Option<usize>; 5],
) -> Facts {
    let info = factory.info(instr);
    let mut read = Vec::new();
    let mut written = Vec::new();
    for u in info.used_registers() {
        let r = u.register();
        if r == Register::None {
            continue;
        }
        let reg = reg_from_iced(r, bitness);
        let (rd, rc, wr, wc) = match u.access() {
            OpAccess::Read => (true, false, false, false),
            OpAccess::CondRead => (true, true, false, false),
            OpAccess::Write => (false, false, true, false),
            OpAccess::CondWrite => (false, false, true, true),
            OpAccess::ReadWrite => (true, false, true, false),
            OpAccess::ReadCondWrite => (true, false, true, true),
            _ => (false, false, false, false),
        };
        if rd {
            add_use(
                &mut read,
                RegUse {
                    reg,
                    conditional: rc,
                },
            );
        }
        if wr {
            add_use(
                &mut written,
                RegUse {
                    reg,
                    conditional: wc,
                },
            );
        }
    }
    // SGX leaf instructions: iced lists every register any leaf may touch
    // as read and written. What a leaf really changes depends on the leaf number in
    // `eax` at run time (most leave the registers alone; some return an
    // error code in `rax`), which a template cannot show: we assume none,
    // so that correct blocks are not reported.
    if matches!(mnemonic, "enclu" | "encls" | "enclv") {
        written.clear();
        read.retain(|u: &RegUse| u.reg.family == "rax" || u.reg.family == "eax");
    }
    let mut memory: Vec<MemUse> = Vec::new();
    for m in info.used_memory() {
        let (access, conditional) = match m.access() {
            OpAccess::Read => (MemAccess::Read, false),
            OpAccess::CondRead => (MemAccess::Read, true),
            OpAccess::Write => (MemAccess::Write, false),
            OpAccess::CondWrite => (MemAccess::Write, true),
            OpAccess::ReadWrite => (MemAccess::ReadWrite, false),
            OpAccess::ReadCondWrite => (MemAccess::ReadWrite, true),
            _ => continue,
        };
        let operand = explicit_operand(instr, m, ast_index);
        let base = if operand.is_some() {
            instr.memory_base()
        } else {
            m.base()
        };
        let stack = m.segment() == Register::SS
            || matches!(
                base,
                Register::RSP | Register::ESP | Register::RBP | Register::EBP
            );
        let size = m.memory_size().size() as u32;
        let entry = MemUse {
            access,
            conditional,
            explicit: operand.is_some(),
            operand,
            stack,
            size: (size != 0).then_some(size),
            rip_relative: operand.is_some() && instr.is_ip_rel_memory_operand(),
        };
        if !memory.contains(&entry) {
            memory.push(entry);
        }
    }
    let writes_sp = written
        .iter()
        .any(|u: &RegUse| matches!(u.reg.family, "rsp" | "esp"));
    let fpu = instr.fpu_stack_increment_info();
    let names = by_name(instr.mnemonic(), mnemonic);
    // The same policy for SGX leaves' flags: only some leaves set ZF.
    let sgx_leaf = matches!(mnemonic, "enclu" | "encls" | "enclv");
    let leaf_flags = |bits: u32| {
        if sgx_leaf {
            FlagSet::EMPTY
        } else {
            flags(bits)
        }
    };
    Facts {
        mnemonic,
        registers_read: read,
        registers_written: written,
        memory,
        flags_read: flags(instr.rflags_read()),
        flags_written: leaf_flags(instr.rflags_modified()),
        flags_undefined: leaf_flags(instr.rflags_undefined()),
        x87_status_written: is_x87(instr, &names),
        mxcsr_status_written: writes_mxcsr(instr, &names),
        flow: flow(instr, &names),
        stack_delta: stack_delta(instr, mnemonic, writes_sp),
        writes_stack_pointer: writes_sp,
        x87_stack_delta: -fpu.increment(),
        lock: instr.has_lock_prefix() || is_xchg_with_memory(instr, mnemonic),
        side_effects: classify(instr, mnemonic, names.side_effects),
    }
}
