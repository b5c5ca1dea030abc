//! The storage engine's hot paths as benchmark kernels, and the report that
//! prints each one's throughput as a ratio against a memcpy of the same bytes
//! measured in the same run.
//!
//! The kernels are plain functions over prepared inputs so that the native
//! criterion benchmark (`benches/storage.rs`) and the in-browser one
//! (`tests/wasm.rs`, headless Chromium) measure exactly the same code.

pub mod kernels;
pub mod report;
