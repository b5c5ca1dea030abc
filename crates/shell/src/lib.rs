//! The shell of the playground: what a person types into a terminal.
//!
//! A bash-compatible language (quoting, pipes, redirections, jobs, `$(...)`,
//! `if`/`for`/`while`), a readline-like line editor, a virtual file system per
//! host holding the Kafka distributions, the builtins, and — issue by issue —
//! the Kafka command-line tools. The web terminal and `kplay` are thin front
//! ends over [`Playground`]; all behaviour lives here and is tested natively.
//!
//! Map of the crate:
//! - [`syntax`]: the parser (text → syntax tree, or "needs more input").
//! - [`exec`]: the interpreter, word expansion, pipes, jobs, the session.
//! - `builtins`: `ls`, `cat`, `cd`, `echo`, ...; `tools`: the Kafka scripts.
//! - [`term`]: keys, the line editor, completion and the terminal itself.
//! - [`vfs`] and `home`: each host's files, with the distributions unpacked.
//! - [`playground`]: the world, hosts and terminals behind one API.

pub mod ansi;
mod builtins;
mod clock;
mod columns;
pub mod exec;
mod hint;
mod home;
pub mod playground;
pub mod syntax;
pub mod term;
mod tools;
pub mod transcript;
/// Each host's files live in the world (`sim::fs`); the shell names them `vfs`.
pub use sim::fs as vfs;

pub use playground::{Playground, PlaygroundConfig, TerminalId};
