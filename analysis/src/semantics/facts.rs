//! What one instruction does, in our own types: the input of every later
//! rule (clobbers, `nomem`, `preserves_flags`, `nostack`, flow).
//!
//! Everything here is plain data so that rules and tests can build and
//! compare facts without iced.

use std::fmt::Write as _;

use super::registers::Reg;
use super::side_effects::SideEffects;

/// A register read or written by an instruction, explicit or implicit.
#[derive(Clone, Debug, PartialEq)]
pub struct RegUse {
    /// The register and the bits used.
    pub reg: Reg,
    /// `true` when the access happens only on some executions (`cmpxchg`
    /// writing `rax`, `rep movsb` updating `rsi`, `cmov`).
    pub conditional: bool,
}

/// How a memory location is accessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemAccess {
    /// Loaded.
    Read,
    /// Stored.
    Write,
    /// Loaded and stored (read-modify-write).
    ReadWrite,
}

impl MemAccess {
    /// Whether the access loads.
    pub fn reads(self) -> bool {
        matches!(self, MemAccess::Read | MemAccess::ReadWrite)
    }

    /// Whether the access stores.
    pub fn writes(self) -> bool {
        matches!(self, MemAccess::Write | MemAccess::ReadWrite)
    }
}

/// One memory access of an instruction.
#[derive(Clone, Debug, PartialEq)]
pub struct MemUse {
    /// Read, write or both.
    pub access: MemAccess,
    /// `true` when it may not happen (`rep stos` with `rcx == 0`, `cmpxchg`
    /// storing only on success, masked vector stores).
    pub conditional: bool,
    /// `true` when the operand is written in the template (`[rdi + 8]`);
    /// `false` for implicit accesses (push, string instructions, `xlat`).
    pub explicit: bool,
    /// The AST operand index of an explicit access (for `.byte` data: the
    /// decoded instruction's operand index).
    pub operand: Option<usize>,
    /// Whether the location is on the stack: implicit `ss:` accesses (push,
    /// pop, call, ret, enter, leave) and explicit ones based on
    /// `rsp`/`esp`/`rbp`/`ebp` (Rust reserves `rbp` as frame pointer, so
    /// `[rbp - 8]` is the frame, not user data).
    pub stack: bool,
    /// Access size in bytes when known (`None` for `rep` string
    /// instructions, `lea`-like address-only forms never appear here).
    pub size: Option<u32>,
    /// Whether the address is RIP-relative (`[rip + sym]`).
    pub rip_relative: bool,
}

/// A set of status flags (ours; includes the x87 condition codes as
/// separate bits because `preserves_flags` covers them too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct FlagSet(pub u16);

impl FlagSet {
    /// No flags.
    pub const EMPTY: FlagSet = FlagSet(0);
    /// Carry.
    pub const CF: FlagSet = FlagSet(1);
    /// Parity.
    pub const PF: FlagSet = FlagSet(1 << 1);
    /// Auxiliary carry.
    pub const AF: FlagSet = FlagSet(1 << 2);
    /// Zero.
    pub const ZF: FlagSet = FlagSet(1 << 3);
    /// Sign.
    pub const SF: FlagSet = FlagSet(1 << 4);
    /// Overflow.
    pub const OF: FlagSet = FlagSet(1 << 5);
    /// Direction (`std`/`cld`; not covered by `preserves_flags`, rule P7).
    pub const DF: FlagSet = FlagSet(1 << 6);
    /// Interrupt enable.
    pub const IF: FlagSet = FlagSet(1 << 7);
    /// Alignment check (`stac`/`clac`).
    pub const AC: FlagSet = FlagSet(1 << 8);
    /// x87 condition code C0.
    pub const C0: FlagSet = FlagSet(1 << 9);
    /// x87 condition code C1.
    pub const C1: FlagSet = FlagSet(1 << 10);
    /// x87 condition code C2.
    pub const C2: FlagSet = FlagSet(1 << 11);
    /// x87 condition code C3.
    pub const C3: FlagSet = FlagSet(1 << 12);
    /// The six arithmetic status flags.
    pub const STATUS: FlagSet = FlagSet(0x3f);
    /// The x87 condition codes.
    pub const X87: FlagSet = FlagSet(0xf << 9);

    /// Whether no flag is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every flag of `other` is in `self`.
    pub fn contains(self, other: FlagSet) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether `self` and `other` share a flag.
    pub fn intersects(self, other: FlagSet) -> bool {
        self.0 & other.0 != 0
    }

    /// Union.
    pub fn union(self, other: FlagSet) -> FlagSet {
        FlagSet(self.0 | other.0)
    }

    /// Intersection.
    pub fn intersection(self, other: FlagSet) -> FlagSet {
        FlagSet(self.0 & other.0)
    }

    /// Names of the flags in the set, in a fixed order, for messages.
    pub fn names(self) -> Vec<&'static str> {
        const NAMES: [&str; 13] = [
            "CF", "PF", "AF", "ZF", "SF", "OF", "DF", "IF", "AC", "C0", "C1", "C2", "C3",
        ];
        NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect()
    }
}

/// How control leaves the instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Falls through to the next instruction.
    Next,
    /// Unconditional direct jump (`jmp 2f`).
    Jump,
    /// Conditional direct jump (`jnz 2f`, `loop`, `jrcxz`).
    ConditionalJump,
    /// Jump through a register or memory (`jmp rax`).
    IndirectJump,
    /// Direct call (`call foo`).
    Call,
    /// Call through a register or memory.
    IndirectCall,
    /// `ret`, `iret`, `sysret`, `sysexit`.
    Return,
    /// A software interrupt that resumes after a handler (`int3`, `int1`,
    /// `into`): may come back.
    Interrupt,
    /// Enters the kernel or hypervisor and normally comes back to the next
    /// instruction with a changed machine state (`syscall`, `sysenter`,
    /// `int n`, `vmcall`).
    SyscallLike,
    /// Stops the processor until an interrupt (`hlt`).
    Halt,
    /// Always faults (`ud0`/`ud1`/`ud2`): never falls through.
    Trap,
    /// Transactional memory control (`xbegin`, `xabort`, `xend`).
    Transaction,
}

/// Everything the rules need to know about one instruction.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    /// The mnemonic in lower case (iced's canonical Intel name: `jne` for
    /// `jnz`, `pushfq` for `pushf`).
    pub mnemonic: &'static str,
    /// Registers read, explicit and implicit. Zeroing idioms (`xor eax,
    /// eax`) report no read, as iced does: the result does not depend on it.
    pub registers_read: Vec<RegUse>,
    /// Registers written, explicit and implicit, at the width changed.
    pub registers_written: Vec<RegUse>,
    /// Memory accesses.
    pub memory: Vec<MemUse>,
    /// Flags read.
    pub flags_read: FlagSet,
    /// Flags modified (written, set, cleared or left undefined).
    pub flags_written: FlagSet,
    /// Flags left undefined (a subset of `flags_written`).
    pub flags_undefined: FlagSet,
    /// Whether the x87 status word changes (every x87 arithmetic, load or
    /// control instruction changes TOP or the exception flags).
    pub x87_status_written: bool,
    /// Whether MXCSR exception flags may change (SSE/AVX floating-point
    /// arithmetic and conversions, `ldmxcsr`, `fxrstor`, `xrstor*`).
    pub mxcsr_status_written: bool,
    /// How control leaves the instruction.
    pub flow: Flow,
    /// Statically known change of the stack pointer, in bytes (`push` −8,
    /// `add rsp, 8` +8); `None` when the stack pointer is written with an
    /// unknown value (`leave`, `mov rsp, rbp`). `Some(0)` when untouched.
    pub stack_delta: Option<i32>,
    /// Whether the stack pointer is written at all (push/pop included).
    pub writes_stack_pointer: bool,
    /// Change of the x87 stack depth: +1 for a push (`fld`), −1 for a pop
    /// (`fstp`), −2 for `fcompp`.
    pub x87_stack_delta: i32,
    /// Whether the instruction is atomic: an explicit `lock` prefix or
    /// `xchg` with a memory operand (implicitly locked).
    pub lock: bool,
    /// Effect classes from our own table (see `side_effects.rs`).
    pub side_effects: SideEffects,
}

impl Facts {
    /// Whether any memory is accessed.
    pub fn touches_memory(&self) -> bool {
        !self.memory.is_empty()
    }

    /// Whether any memory is stored to.
    pub fn writes_memory(&self) -> bool {
        self.memory.iter().any(|m| m.access.writes())
    }

    /// Whether a register of family `family` is written.
    pub fn writes_family(&self, family: &str) -> bool {
        self.registers_written
            .iter()
            .any(|u| u.reg.family == family)
    }

    /// Whether a register of family `family` is read.
    pub fn reads_family(&self, family: &str) -> bool {
        self.registers_read.iter().any(|u| u.reg.family == family)
    }

    /// A one-line human description, e.g. "reads `rcx`, writes `rax`,
    /// writes memory, modifies flags".
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let list = |uses: &[RegUse]| {
            let mut names: Vec<&str> = Vec::new();
            for u in uses {
                if !names.contains(&u.reg.name) {
                    names.push(u.reg.name);
                }
            }
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.registers_read.is_empty() {
            parts.push(format!("reads {}", list(&self.registers_read)));
        }
        if !self.registers_written.is_empty() {
            parts.push(format!("writes {}", list(&self.registers_written)));
        }
        let reads_mem = self.memory.iter().any(|m| m.access.reads());
        match (reads_mem, self.writes_memory()) {
            (true, true) => parts.push("reads and writes memory".into()),
            (true, false) => parts.push("reads memory".into()),
            (false, true) => parts.push("writes memory".into()),
            (false, false) => {}
        }
        if self.flags_written.intersects(FlagSet::STATUS) || self.x87_status_written {
            parts.push("modifies flags".into());
        }
        if self.mxcsr_status_written {
            parts.push("may set MXCSR flags".into());
        }
        match self.stack_delta {
            Some(0) | None if !self.writes_stack_pointer => {}
            Some(d) => parts.push(format!("moves the stack pointer by {d}")),
            None => parts.push("sets the stack pointer".into()),
        }
        if !self.side_effects.is_empty() {
            let mut s = String::from("has side effects (");
            let _ = write!(s, "{}", self.side_effects.names().join(", "));
            s.push(')');
            parts.push(s);
        }
        if parts.is_empty() {
            "has no visible effect".into()
        } else {
            parts.join(", ")
        }
    }
}
