//! The bash language: syntax tree and parser.

mod ast;
mod parser;

pub use ast::*;
pub use parser::{is_name, parse, ParseError, Unterminated, NESTING_MAX};
