//! Quire's core: reading security questionnaires, the answer library, suggestions, filling and
//! reports. It knows nothing of the CLI or the desktop shell.

pub mod analysis;
pub mod answer;
pub mod assess;
pub mod atomic;
pub mod dates;
pub mod display;
pub mod error;
pub mod extract;
pub mod fill;
pub mod ooxml;
pub mod library;
pub mod report;
pub mod review;
pub mod samples;
pub mod sheet;
pub mod suggest;
pub mod team;
pub mod workflow;

pub use error::{Error, ErrorReply, Result};
