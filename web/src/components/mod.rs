//! The page's components, one a file.

pub mod app;
pub mod terminal;
