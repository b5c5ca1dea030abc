//! Running commands: the interpreter, expansions, I/O plumbing and jobs.

pub mod arith;
mod command;
pub mod env;
pub mod expand;
pub mod glob;
pub mod interp;
pub mod io;
pub mod job;
pub mod process;
mod redirect;
pub mod session;
