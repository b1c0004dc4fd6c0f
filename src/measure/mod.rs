//! Measure: exact, deterministic telemetry and evidence computed from a
//! [`Session`]. Nothing here guesses: numbers come from the records, evidence
//! from tool results and git, never from the agent's own claims.

pub mod evidence;
pub mod telemetry;

pub use evidence::Evidence;
pub use telemetry::Measures;

use crate::session::Session;

/// Everything measured about one session.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Measured {
    pub measures: Measures,
    pub evidence: Evidence,
}

pub fn measure(session: &Session) -> Measured {
    Measured {
        measures: telemetry::measure(session),
        evidence: evidence::detect(session),
    }
}
