//! The playground's web page: Yew components over the shell and the simulator.
//!
//! Only [`bridge`] talks to the engine (the `shell` crate's `Playground`);
//! [`xterm`] binds xterm.js; components draw the page. No Kafka behaviour
//! lives here: everything a command does is decided and tested natively.

pub mod bridge;
pub mod components;
pub mod xterm;

pub use components::app::App;
