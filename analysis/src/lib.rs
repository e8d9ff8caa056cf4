//! Implementation detail of the [`checked-asm`](https://docs.rs/checked-asm)
//! crate: the engine behind `checked_asm!`, on `proc_macro2` tokens so that
//! tests, benchmarks, fuzzers and the `checked-asm` command can drive it
//! without a compiler.
//!
//! The pipeline: [`parse`] (a direct reader for the common shapes, syn for
//! the rest) turns the macro input into [`AsmArgs`];
//! later stages read the template, learn what each instruction does, follow
//! every path, and check the declared contract; [`diagnostics`] turns what
//! they find into `compile_error!`s. [`expand`] is what the proc macro calls.

#![forbid(unsafe_code)]

mod allow;
pub mod contract;
pub mod dataflow;
pub mod diagnostics;
mod expand;
pub mod find;
pub mod includes;
pub mod parse;
pub mod reading;
pub mod rules;
pub mod semantics;
mod target_cfg;
pub mod template;

pub use contract::contract;
pub use diagnostics::{Finding, Severity, SpanRange, TargetArch};
pub use expand::{
    Analysis, ArchFinding, BlockReport, analyse, check_block, check_block_where_it_builds, expand,
    run_rules,
};
pub use parse::{AsmArgs, MacroKind};
