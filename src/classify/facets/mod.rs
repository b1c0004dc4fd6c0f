//! The study's facets (STUDY.md measures 1-9), one file per facet. Each
//! builtin facet is a pure function of the session's [`Features`] (computed
//! once per session by the builtin backend) and answers one value of its
//! closed label set with a confidence and reasons that name evidence.
//! Decision attribution answers a list instead of one label
//! ([`decisions::attribute`]).

pub mod codebase;
pub mod decisions;
pub mod expertise;
pub mod failure_signal;
pub mod occupation_user;
pub mod occupation_work;
pub mod outcome;
pub mod success_signal;
pub mod work_mode;

use super::builtin::features::Features;
use super::{FacetId, Label};

/// One facet of the builtin backend.
pub trait BuiltinFacet: Sync + Send {
    fn id(&self) -> FacetId;
    fn classify(&self, f: &Features) -> Label;
}

/// Every single-label facet of the builtin backend, in report order.
pub fn builtin_facets() -> &'static [&'static dyn BuiltinFacet] {
    &[
        &work_mode::WorkMode,
        &codebase::Codebase,
        &expertise::Expertise,
        &occupation_user::OccupationUser,
        &occupation_work::OccupationWork,
        &outcome::Outcome,
        &success_signal::SuccessSignal,
        &failure_signal::FailureSignal,
    ]
}

/// Builds a label, keeping the confidence inside 0..1.
pub fn label(value: &str, confidence: f32, reasons: Vec<String>) -> Label {
    Label {
        value: value.to_string(),
        confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
        reasons,
    }
}

/// A signal-strength label: level 0 is "NONE", 1-5 the level itself.
pub fn signal_label(level: u8, confidence: f32, reasons: Vec<String>) -> Label {
    match level {
        0 => label("NONE", confidence, reasons),
        l => label(&l.to_string(), confidence, reasons),
    }
}

/// "1 commit" / "3 commits".
pub fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
