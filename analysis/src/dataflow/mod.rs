//! Stage 4: control flow. The rules follow every path a block can take, so
//! they must know which instructions can run and whether execution can fall
//! off the end of the template.

mod cfg;

pub use cfg::{Cfg, Exit, Node};
