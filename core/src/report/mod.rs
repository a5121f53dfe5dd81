//! Turning a period's entries into a prompt within a token budget, and the
//! model's answer into a stored report with verified citations. Pure: the
//! worker calls it, tests call it, nothing here does I/O.

pub mod citations;
pub mod context;
pub mod diagnostics;
pub mod energy;
pub mod prompt;
pub mod quality;
pub mod sample;
pub mod sections;
pub mod tokens;

pub use citations::{CitedText, extract_citations};
pub use prompt::{BuiltPrompt, Layer, build_prompt};
