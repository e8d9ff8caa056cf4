//! Our own table of effects iced does not model (or models only as a flag
//! on the op-code): fences, privileged state, I/O, MSRs, TLB maintenance,
//! non-determinism. The rules for `nomem`, `readonly`, `pure` and P25
//! ("other target state restored") read these classes.
//!
//! Classification is by lower-case mnemonic (plus a few operand checks for
//! `mov crN`, `mov sreg`, `xchg [mem]`); every entry says why it is there.

use iced_x86::{Instruction, OpCodeOperandKind, OpKind};

/// A set of side-effect classes (a small bitflags-like type of ours).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SideEffects(pub u32);

/// Class names, in bit order, for messages.
const NAMES: [&str; 23] = [
    "memory fence",
    "serialising",
    "privileged",
    "port I/O",
    "system call",
    "hypercall",
    "control register write",
    "control register read",
    "debug register access",
    "MSR read",
    "MSR write",
    "segment register write",
    "segment base write",
    "segment base read",
    "descriptor table load",
    "descriptor table store",
    "TLB/cache maintenance",
    "interrupt flag change",
    "non-deterministic read",
    "FPU control change",
    "flags register read",
    "halt",
    "trap",
];

impl SideEffects {
    /// No side effect.
    pub const NONE: SideEffects = SideEffects(0);
    /// Orders memory accesses (fences, `lock`, `xchg` with memory): not
    /// allowed under `nomem`/`readonly` (rule P11/P12).
    pub const MEMORY_FENCE: SideEffects = SideEffects(1);
    /// Architecturally serialising (iced's `is_serializing_intel/amd`).
    pub const SERIALIZING: SideEffects = SideEffects(1 << 1);
    /// Needs CPL 0.
    pub const PRIVILEGED: SideEffects = SideEffects(1 << 2);
    /// Port I/O (`in`, `out`, `ins`, `outs`).
    pub const PORT_IO: SideEffects = SideEffects(1 << 3);
    /// Enters the kernel (`syscall`, `sysenter`, `int n`).
    pub const SYSCALL: SideEffects = SideEffects(1 << 4);
    /// Enters a hypervisor or TDX module (`vmcall`, `vmmcall`, `tdcall`…).
    pub const HYPERCALL: SideEffects = SideEffects(1 << 5);
    /// Writes a control register or XCR (`mov cr0, rax`, `xsetbv`, `lmsw`).
    pub const CONTROL_REGISTER_WRITE: SideEffects = SideEffects(1 << 6);
    /// Reads a control register (`mov rax, cr3`, `smsw`, `xgetbv`).
    pub const CONTROL_REGISTER_READ: SideEffects = SideEffects(1 << 7);
    /// Reads or writes a debug register.
    pub const DEBUG_REGISTER: SideEffects = SideEffects(1 << 8);
    /// Reads an MSR.
    pub const MSR_READ: SideEffects = SideEffects(1 << 9);
    /// Writes an MSR.
    pub const MSR_WRITE: SideEffects = SideEffects(1 << 10);
    /// Writes a segment register (`mov ds, ax`, `pop fs`, `lds`, far jumps).
    pub const SEGMENT_WRITE: SideEffects = SideEffects(1 << 11);
    /// Writes the fs/gs base (`wrfsbase`, `wrgsbase`, `swapgs`): TLS.
    pub const SEGMENT_BASE_WRITE: SideEffects = SideEffects(1 << 12);
    /// Reads the fs/gs base.
    pub const SEGMENT_BASE_READ: SideEffects = SideEffects(1 << 13);
    /// Loads a descriptor table register (`lgdt`, `lidt`, `lldt`, `ltr`).
    pub const DESCRIPTOR_LOAD: SideEffects = SideEffects(1 << 14);
    /// Stores a descriptor table register (`sgdt`, `sidt`, `sldt`, `str`).
    pub const DESCRIPTOR_STORE: SideEffects = SideEffects(1 << 15);
    /// TLB or cache maintenance.
    pub const CACHE_MAINTENANCE: SideEffects = SideEffects(1 << 16);
    /// Changes IF (`cli`, `sti`, `popf`, `iret`).
    pub const INTERRUPT_FLAG: SideEffects = SideEffects(1 << 17);
    /// Result not a function of the inputs (`rdtsc`, `rdrand`, `cpuid`…):
    /// not allowed under `pure` (P13).
    pub const NONDETERMINISTIC: SideEffects = SideEffects(1 << 18);
    /// Changes the x87 control word or MXCSR control bits (P10).
    pub const FPU_CONTROL: SideEffects = SideEffects(1 << 19);
    /// Reads the whole flags register (`pushf`, `lahf`): reads flags that
    /// the template did not set.
    pub const FLAGS_READ: SideEffects = SideEffects(1 << 20);
    /// Waits for an interrupt or a store (`hlt`, `mwait`, `umwait`…).
    pub const HALT: SideEffects = SideEffects(1 << 21);
    /// Raises an exception on purpose (`ud2`, `int3`, `into`).
    pub const TRAP: SideEffects = SideEffects(1 << 22);

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every class of `other` is in `self`.
    pub fn contains(self, other: SideEffects) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether `self` and `other` share a class.
    pub fn intersects(self, other: SideEffects) -> bool {
        self.0 & other.0 != 0
    }

    /// Union.
    pub fn union(self, other: SideEffects) -> SideEffects {
        SideEffects(self.0 | other.0)
    }

    /// Adds the classes of `other`.
    pub fn insert(&mut self, other: SideEffects) {
        self.0 |= other.0;
    }

    /// Human names of the classes in the set.
    pub fn names(self) -> Vec<&'static str> {
        NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect()
    }
}

/// Classes implied by the mnemonic alone (a long string `match`: callers
/// cache it per mnemonic, see `extract::by_name`).
pub(super) fn by_mnemonic(m: &str) -> SideEffects {
    type S = SideEffects;
    match m {
        // Fences order memory without touching it; `nomem` would let the
        // compiler move accesses across them.
        "mfence" | "lfence" | "sfence" | "serialize" | "pconfig" => S::MEMORY_FENCE,
        // Port I/O: observable outside the program.
        "in" | "out" | "insb" | "insw" | "insd" | "outsb" | "outsw" | "outsd" => S::PORT_IO,
        // Kernel entries. `int n` is how 32-bit Linux makes system calls.
        // `int3`/`int1`/`into` are traps (debugger / overflow), see below.
        "syscall" | "sysenter" | "int" => S::SYSCALL,
        // Kernel exits: privileged and restore segment state.
        "sysret" | "sysretq" | "sysexit" | "sysexitq" => S::PRIVILEGED.union(S::SEGMENT_WRITE),
        // Returns from interrupts reload CS/SS and RFLAGS (IF).
        "iret" | "iretd" | "iretq" => S::SEGMENT_WRITE.union(S::INTERRUPT_FLAG),
        // Hypervisor / TDX / SEV guest exits.
        "vmcall" | "vmmcall" | "vmgexit" | "tdcall" | "seamcall" | "vmfunc" | "enclu" | "enclv" => {
            S::HYPERCALL
        }
        // Writes CR0 bits or XCR0.
        "lmsw" | "clts" | "xsetbv" => S::CONTROL_REGISTER_WRITE,
        // Reads CR0 low bits / XCR0 (XCR0 depends on the OS: also
        // non-deterministic from the program's point of view).
        "smsw" => S::CONTROL_REGISTER_READ,
        "xgetbv" => S::CONTROL_REGISTER_READ.union(S::NONDETERMINISTIC),
        "rdmsr" | "rdmsrlist" | "urdmsr" => S::MSR_READ,
        "wrmsr" | "wrmsrns" | "wrmsrlist" | "uwrmsr" => S::MSR_WRITE,
        // Far pointer loads write a segment register.
        "lds" | "les" | "lfs" | "lgs" | "lss" => S::SEGMENT_WRITE,
        // Thread-local storage base (P25).
        "wrfsbase" | "wrgsbase" | "swapgs" => S::SEGMENT_BASE_WRITE,
        "rdfsbase" | "rdgsbase" => S::SEGMENT_BASE_READ,
        "lgdt" | "lidt" | "lldt" | "ltr" => S::DESCRIPTOR_LOAD,
        "sgdt" | "sidt" | "sldt" | "str" => S::DESCRIPTOR_STORE,
        // TLB and cache maintenance: invisible to dataflow but ordering
        // matters (rust-osdev/x86_64 #358).
        "invlpg" | "invlpga" | "invlpgb" | "tlbsync" | "invpcid" | "invept" | "invvpid"
        | "wbinvd" | "wbnoinvd" | "invd" | "clflush" | "clflushopt" | "clwb" | "cldemote" => {
            S::CACHE_MAINTENANCE
        }
        // IF changes (also via popf, which may change IF in ring 0 / IOPL 3).
        "cli" | "sti" => S::INTERRUPT_FLAG,
        "popf" | "popfd" | "popfq" => S::INTERRUPT_FLAG,
        // Results that differ between runs.
        "rdtsc" | "rdtscp" | "rdrand" | "rdseed" | "rdpid" | "rdpmc" | "rdpru" | "cpuid"
        | "rdpkru" | "rdsspd" | "rdsspq" => S::NONDETERMINISTIC,
        // x87 control word / MXCSR control bits (fsave/fnsave re-initialise
        // the FPU after storing; fstenv masks all exceptions).
        "fldcw" | "fldenv" | "frstor" | "finit" | "fninit" | "fsave" | "fnsave" | "fstenv"
        | "fnstenv" | "ldmxcsr" | "vldmxcsr" | "fxrstor" | "fxrstor64" | "xrstor" | "xrstor64"
        | "xrstors" | "xrstors64" => S::FPU_CONTROL,
        // Read flags the template may not have set.
        "pushf" | "pushfd" | "pushfq" | "lahf" => S::FLAGS_READ,
        // Wait for an interrupt or a monitored store. `pause` is only a
        // spin-loop hint and deliberately not here.
        "hlt" | "mwait" | "mwaitx" | "umwait" | "tpause" => S::HALT,
        // Deliberate exceptions.
        "ud0" | "ud1" | "ud2" | "int3" | "int1" | "into" => S::TRAP,
        _ => S::NONE,
    }
}

/// All side-effect classes of a built instruction; `by_name` is
/// [`by_mnemonic`] of `mnemonic`.
pub(super) fn classify(instr: &Instruction, mnemonic: &str, by_name: SideEffects) -> SideEffects {
    let mut s = by_name;
    let oc = super::forms::form(instr.code());
    if oc.is_serializing() {
        s.insert(SideEffects::SERIALIZING);
    }
    if instr.is_privileged() {
        s.insert(SideEffects::PRIVILEGED);
    }
    if oc.is_input_output() {
        s.insert(SideEffects::PORT_IO);
    }
    if instr.has_lock_prefix() || is_xchg_with_memory(instr, mnemonic) {
        s.insert(SideEffects::MEMORY_FENCE);
    }
    let kinds = oc.op_kinds();
    let first = kinds.first().copied();
    let others = kinds.iter().skip(1);
    // `mov crN, r` / `mov r, crN`, same for debug and segment registers.
    if mnemonic == "mov" {
        match first {
            Some(OpCodeOperandKind::cr_reg) => s.insert(SideEffects::CONTROL_REGISTER_WRITE),
            Some(OpCodeOperandKind::dr_reg) => s.insert(SideEffects::DEBUG_REGISTER),
            Some(OpCodeOperandKind::seg_reg) => s.insert(SideEffects::SEGMENT_WRITE),
            _ => {}
        }
        for k in others {
            match k {
                OpCodeOperandKind::cr_reg => s.insert(SideEffects::CONTROL_REGISTER_READ),
                OpCodeOperandKind::dr_reg => s.insert(SideEffects::DEBUG_REGISTER),
                _ => {}
            }
        }
    }
    // `pop ds/es/ss/fs/gs` writes a segment register.
    if mnemonic == "pop"
        && instr.op_count() == 1
        && instr.op_kind(0) == OpKind::Register
        && instr.op0_register().is_segment_register()
    {
        s.insert(SideEffects::SEGMENT_WRITE);
    }
    // Far transfers reload CS.
    if matches!(instr.op_kind(0), OpKind::FarBranch16 | OpKind::FarBranch32)
        || matches!(mnemonic, "retf" | "jmpe")
        || (matches!(mnemonic, "call" | "jmp")
            && matches!(
                first,
                Some(OpCodeOperandKind::farbr2_2 | OpCodeOperandKind::farbr4_2)
            ))
    {
        s.insert(SideEffects::SEGMENT_WRITE);
    }
    s
}

/// `xchg` with a memory operand is locked without a prefix.
pub(super) fn is_xchg_with_memory(instr: &Instruction, mnemonic: &str) -> bool {
    mnemonic == "xchg" && (0..instr.op_count()).any(|i| instr.op_kind(i) == OpKind::Memory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_bits() {
        let s = SideEffects::MEMORY_FENCE.union(SideEffects::TRAP);
        assert_eq!(s.names(), vec!["memory fence", "trap"]);
        assert!(s.contains(SideEffects::TRAP));
        assert!(!s.contains(SideEffects::HALT));
    }

    #[test]
    fn table_entries() {
        assert_eq!(by_mnemonic("mfence"), SideEffects::MEMORY_FENCE);
        assert_eq!(by_mnemonic("rdtsc"), SideEffects::NONDETERMINISTIC);
        assert_eq!(by_mnemonic("add"), SideEffects::NONE);
    }
}
