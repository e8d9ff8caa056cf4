//! The syntax-neutral form of a template statement: what `template/` reads
//! out of Intel or AT&T text, and what `semantics/` matches against iced's
//! instruction tables. Nothing here knows iced; nothing after here knows text.

/// Which assembler dialect the text is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// `.intel_syntax noprefix`, rustc's default.
    Intel,
    /// `options(att_syntax)` or `.att_syntax`.
    Att,
}

/// The processor mode the block is analysed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bitness {
    /// `target_arch = "x86_64"`
    Bits64,
    /// `target_arch = "x86"`
    Bits32,
    /// Real-mode code on an x86 target: after `.code16`, or a block that
    /// calls BIOS services (see `template::real_mode`). Never a block's
    /// own mode: only statements are in it.
    Bits16,
}

/// One statement of a template: the text between two `\n` or `;`.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// Index of the template argument (piece) the statement came from.
    pub piece: usize,
    /// 1-based line number in the joined template (rustc joins pieces with `\n`).
    pub line: usize,
    /// The statement as the user wrote it (placeholders unsubstituted,
    /// comments and labels removed, whitespace trimmed), for messages.
    pub source: String,
    /// Labels defined in front of the statement (`2:`, `foo:`), in order.
    pub labels: Vec<String>,
    /// What the statement is.
    pub body: StatementBody,
    /// The processor mode the statement is assembled in: the block's mode
    /// until a `.code32`/`.code64` directive switches it (bootloaders and
    /// trampolines do that inside a 64-bit block). A `.code*` statement
    /// itself is in the mode before it. Instructions must be matched, and
    /// data decoded, in this mode.
    pub bitness: Bitness,
    /// Whether the statement is in executable code: the block's own code,
    /// or a section that holds code (`.text`, `.text.*`, `.init`, `.fini`,
    /// or one declared with the `x` flag). `false` inside `.data`, `.rodata`,
    /// `.pushsection __ex_table, "a"` and the like: nothing there runs, so
    /// its data need not decode and its values need not be known.
    pub executable: bool,
    /// The section the statement is in: `None` for the block's own code
    /// (the function's section for `asm!`), else the name as written
    /// (`.text`, `__ex_table`, `.fixup`). Control cannot fall through from
    /// one section to another, even between two executable ones.
    pub section: Option<String>,
}

/// The kinds of statement.
#[derive(Clone, Debug, PartialEq)]
pub enum StatementBody {
    /// Only labels and/or comments.
    Empty,
    /// An instruction.
    Instruction(InstructionAst),
    /// An assembler directive (`.byte`, `.p2align`, `.cfi_startproc`, …).
    Directive(DirectiveAst),
}

/// An instruction as written, with operands in **Intel order**
/// (destination first): the AT&T reader reverses them. Forms whose AT&T
/// order is not reversed (`enter $16, $0`) are the matcher's business: it
/// knows `syntax` and re-reverses where the assembler does.
#[derive(Clone, Debug, PartialEq)]
pub struct InstructionAst {
    /// The dialect the statement was written in.
    pub syntax: Syntax,
    /// Prefixes in order (`lock`, `rep`, …), including ones that stood on a
    /// line of their own (`lock;`) and were merged into this instruction.
    pub prefixes: Vec<Prefix>,
    /// The mnemonic in lower case, as written (AT&T suffixes kept: `movl`).
    pub mnemonic: String,
    /// Operands in Intel order.
    pub operands: Vec<OperandAst>,
}

/// Instruction prefixes that may be written as words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prefix {
    /// `lock`
    Lock,
    /// `rep`
    Rep,
    /// `repe` / `repz`
    Repe,
    /// `repne` / `repnz`
    Repne,
    /// `xacquire`
    Xacquire,
    /// `xrelease`
    Xrelease,
    /// `notrack`
    Notrack,
    /// `bnd`
    Bnd,
    /// `data16`, `data32`, `addr32`, `rex`, `rex.w`, …: encoding hints.
    Encoding,
    /// A segment override written as a word (`fs` alone before the mnemonic).
    Segment(SegmentReg),
}

/// Segment registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SegmentReg {
    /// `es`
    Es,
    /// `cs`
    Cs,
    /// `ss`
    Ss,
    /// `ds`
    Ds,
    /// `fs`
    Fs,
    /// `gs`
    Gs,
}

/// One operand of an instruction.
#[derive(Clone, Debug, PartialEq)]
pub enum OperandAst {
    /// A register, lower case, normalised spelling (`rax`, `xmm3`, `st(1)`,
    /// `st` → `st(0)`, `k1`, `cr3`, `dr7`, `fs`, `mm0`, `tmm0`, `bnd0`).
    Reg(RegOperandAst),
    /// An immediate (`5`, `$5` in AT&T, a `const` operand).
    Imm(Immediate),
    /// A memory operand.
    Mem(Box<MemoryAst>),
    /// A bare symbol or label used as a branch/call target or, for
    /// non-branches, as an absolute memory address (the matcher decides).
    /// AT&T `*` indirection turns register/memory operands into plain
    /// `Reg`/`Mem`; this variant is only for direct targets.
    Target(Target),
}

/// A register operand with its EVEX decorators.
#[derive(Clone, Debug, PartialEq)]
pub struct RegOperandAst {
    /// Normalised register name.
    pub name: String,
    /// `{k1}`, `{z}` after a destination register.
    pub decorators: Decorators,
    /// The operand this register stands for, when it came from a placeholder.
    pub placeholder: Option<PlaceholderRef>,
}

/// An immediate value.
#[derive(Clone, Debug, PartialEq)]
pub struct Immediate {
    /// The value when known (`const` operands with a non-literal expression
    /// and symbols are unknown).
    pub value: Option<i128>,
    /// The placeholder it came from, if any.
    pub placeholder: Option<PlaceholderRef>,
    /// A symbol in the expression (`offset foo`, `foo@GOTPCREL`), if any.
    pub symbol: Option<String>,
}

/// A memory operand.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MemoryAst {
    /// Explicit size in bytes: `dword ptr` (Intel) → 4. AT&T sizes come from
    /// the mnemonic suffix and are the matcher's business; `None` here.
    pub size: Option<u16>,
    /// Size keyword kind when it is not a plain integer size (`xmmword`, `tbyte`…).
    pub size_keyword: Option<String>,
    /// `fs:` and the like.
    pub segment: Option<SegmentReg>,
    /// Base register (normalised name); `rip` for RIP-relative operands.
    pub base: Option<RegOperandAst>,
    /// Index register (general or vector for VSIB).
    pub index: Option<RegOperandAst>,
    /// 1, 2, 4 or 8.
    pub scale: u8,
    /// Constant displacement, when known.
    pub displacement: i128,
    /// Whether the displacement depends on something unknown at expansion
    /// time (a symbolic `const`), so its size is unknown.
    pub displacement_unknown: bool,
    /// A symbol in the displacement (`[rip + {s}]` with a `sym` operand,
    /// `foo(%rip)`), if any.
    pub symbol: Option<String>,
    /// `{1to16}`: broadcast element count.
    pub broadcast: Option<u8>,
    /// `{k1}` on a memory destination.
    pub decorators: Decorators,
    /// The operand the symbol or the unknown displacement came from (a
    /// `sym`, `label` or non-literal `const` placeholder), if any.
    pub placeholder: Option<PlaceholderRef>,
}

/// EVEX decorators.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Decorators {
    /// `{k1}`…`{k7}`.
    pub mask: Option<String>,
    /// `{z}`.
    pub zeroing: bool,
    /// `{rn-sae}`, `{rd-sae}`, `{ru-sae}`, `{rz-sae}` (the word without braces).
    pub rounding: Option<String>,
    /// `{sae}`.
    pub sae: bool,
}

/// A direct branch target or bare symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A numeric local label reference: `2f` (forward) or `2b` (backward).
    Local {
        /// The label number as written.
        number: String,
        /// `true` for `f`.
        forward: bool,
    },
    /// A named symbol or label (`foo`, a `sym` operand, a `label` operand).
    Symbol {
        /// The name.
        name: String,
        /// The placeholder it came from, if any.
        placeholder: Option<PlaceholderRef>,
    },
}

/// Which operand a substituted placeholder stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlaceholderRef {
    /// Index into `AsmArgs::operands`.
    pub operand: usize,
}

/// An assembler directive.
#[derive(Clone, Debug, PartialEq)]
pub struct DirectiveAst {
    /// The name with its dot, lower case: `.byte`.
    pub name: String,
    /// The argument text, trimmed.
    pub args: String,
    /// What we understood of it.
    pub kind: DirectiveKind,
}

/// What a directive means for the analysis.
#[derive(Clone, Debug, PartialEq)]
pub enum DirectiveKind {
    /// Bytes emitted into the instruction stream (`.byte`, `.word`, `.long`,
    /// `.quad`, `.ascii`, …), little-endian, to be decoded as instructions.
    Data(Vec<u8>),
    /// Padding (`.p2align`, `.balign`, `.align`, `.nops`): no effect.
    Alignment,
    /// `.cfi_*`, `.type`, `.size`, `.globl`, `.hidden`, `.weak`, `.local`,
    /// `.file`, `.loc`, conditional assembly (`.if`, `.else`, `.endif`: the
    /// statements they leave out are not in the statement list at all),
    /// `.warning`, `.print`: no effect on what runs.
    Annotation,
    /// Data whose bytes cannot be computed before link time or are too many
    /// to matter (`.quad 2b - .`, `.long gdt_start`, `.quad {sym}`,
    /// `.zero 1 << 30`, `.incbin`). Not an error in itself: in a
    /// non-executable section it is just data; in executable code it only
    /// matters if control flow can reach it (a jump table after `jmp` is
    /// fine), which is the reading stage's call.
    OpaqueData {
        /// The number of bytes, when known (`.quad foo` is 8).
        size: Option<u64>,
    },
    /// `.code32` / `.code64`: the statements that follow are in this mode
    /// (see [`Statement::bitness`]).
    CodeMode(Bitness),
    /// `.pushsection`, `.section`, `.popsection`, `.previous`, `.text`,
    /// `.data`, `.bss`, `.rodata`: section switches.
    Section(SectionChange),
    /// `.set`, `.equ`, `.equiv`: a constant definition.
    Constant {
        /// The symbol defined.
        name: String,
        /// Its value, when it is a constant expression.
        value: Option<i128>,
    },
    /// `.intel_syntax` / `.att_syntax`: switches the parser.
    SyntaxSwitch(Syntax),
    /// Anything we do not understand (`.rept`, `.macro`, `.code16`: we
    /// model no 16-bit mode, `.org`, …).
    Unsupported,
}

/// A change of the current section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionChange {
    /// `.pushsection NAME`
    Push(String),
    /// `.popsection`
    Pop,
    /// `.section NAME`, `.text`, `.data`, …
    Switch(String),
    /// `.previous`
    Previous,
}
