//! Stage 4: control flow and register states. The rules follow every path a
//! block can take, so they must know which instructions can run, whether
//! execution can fall off the end of the template, and what each register
//! holds along the way.

mod bits;
mod cfg;
mod operands;
mod state;
mod syscalls;
#[cfg(test)]
mod tests;

pub use bits::Bits;
pub use cfg::{Cfg, Exit, Node};
pub use operands::{Declared, DeclaredOperand, abi_clobbers, allocatable_gprs, kind_of, reserved};
pub use state::{Read, RegisterStates, State, Value, analyse, canonical};
pub(crate) use syscalls::exits_process;
