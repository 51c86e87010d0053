//! Quire's core: reading security questionnaires, the answer library, and (in later modules)
//! suggestions, filling and assessment. It knows nothing of the CLI or the desktop shell.

pub mod answer;
pub mod atomic;
pub mod error;
pub mod library;
pub mod samples;
pub mod sheet;

pub use error::{Error, Result};
