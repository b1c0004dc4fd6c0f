//! Privacy: scrubbing of secrets and personal data, and cell thresholds.
pub mod pseudonym;
pub mod scrub;
pub mod threshold;
