//! Outcome (STUDY.md measure 6): Succeeded / Partially Succeeded / Failed /
//! No clear goal, from the success and failure evidence. A clean on-task
//! ending without complaint counts as Succeeded.

use super::{failure_signal, label, success_signal, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::{FacetId, Label};

pub struct Outcome;

impl BuiltinFacet for Outcome {
    fn id(&self) -> FacetId {
        FacetId::Outcome
    }
    fn classify(&self, f: &Features) -> Label {
        let (s, s_reasons, _) = success_signal::level(f);
        let (fl, f_reasons, _) = failure_signal::level(f);
        let mut reasons = Vec::new();
        // No identifiable objective: no request, no question, nothing changed.
        if f.goal_statements == 0
            && f.questions == 0
            && !f.changed_anything()
            && f.user_words < 12
            && f.prompts <= 2
            && f.actions > 0
        {
            reasons.push("no request or question stated, nothing changed".into());
            return label("No clear goal", 0.35, reasons);
        }
        let (v, conf) = if s == 0 {
            ("Failed", 0.5)
        } else if fl >= 4 && s <= 3 {
            if f.changed_anything() && s >= 3 {
                ("Partially Succeeded", 0.45)
            } else {
                ("Failed", 0.55)
            }
        } else if fl >= 4 {
            ("Partially Succeeded", 0.5)
        } else if fl == 3 && s <= 3 {
            ("Partially Succeeded", 0.4)
        } else {
            ("Succeeded", if s >= 4 { 0.75 } else { 0.6 })
        };
        reasons.push(format!(
            "success evidence {}",
            if s == 0 { "NONE".into() } else { s.to_string() }
        ));
        reasons.extend(s_reasons);
        reasons.push(format!(
            "failure evidence {}",
            if fl == 0 {
                "NONE".into()
            } else {
                fl.to_string()
            }
        ));
        reasons.extend(f_reasons);
        label(v, conf, reasons)
    }
}
