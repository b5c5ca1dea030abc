//! The terminal side of a session: keys, the line editor, completion, the terminal itself.

pub mod completion;
pub mod keys;
pub mod line_editor;
pub mod terminal;
