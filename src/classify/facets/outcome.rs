//! Outcome (STUDY.md measure 6): Succeeded / Partially Succeeded / Failed /
//! No clear goal. The primary objective is approximated by the session's
//! requests; whether it was met comes from the success and failure evidence
//! and from how the session ended. A clean on-task ending without complaint
//! counts as Succeeded; trouble at the end after real progress is Partially
//! Succeeded; trouble with nothing to show is Failed.

use super::{failure_signal, label, success_signal, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::{FacetId, Label};

pub struct Outcome;

fn lvl(x: u8) -> String {
    if x == 0 {
        "NONE".into()
    } else {
        x.to_string()
    }
}

/// Real progress: changes made, a long multi-request session, or something
/// the person already confirmed.
fn progress(f: &Features, hard_success: usize) -> bool {
    (f.changed_anything() && (f.lines_added >= 10 || f.files_changed() >= 2))
        || f.prompts >= 10
        || f.affirmations > 0
        || hard_success > 0
}

impl BuiltinFacet for Outcome {
    fn id(&self) -> FacetId {
        FacetId::Outcome
    }
    fn classify(&self, f: &Features) -> Label {
        let se = success_signal::evidence(f);
        let (s, s_reasons, _) = success_signal::level(f);
        let (fl, f_reasons, _) = failure_signal::level(f);
        let mut reasons = Vec::new();
        if f.only_exploratory_prompts && !f.changed_anything() {
            reasons.push("the person only greeted or looked around; nothing was changed".into());
            return label("No clear goal", 0.5, reasons);
        }
        let unfinished = f.ends_interrupted || f.last_prompt_unanswered;
        let moved = progress(f, se.hard.len());
        let (v, conf) = if s == 0 {
            ("Failed", 0.5)
        } else if fl >= 4 {
            if moved {
                ("Partially Succeeded", 0.5)
            } else {
                ("Failed", 0.55)
            }
        } else if fl == 3 || unfinished {
            if s >= 4 && !unfinished {
                ("Succeeded", 0.45)
            } else {
                ("Partially Succeeded", 0.45)
            }
        } else {
            ("Succeeded", if s >= 4 { 0.75 } else { 0.6 })
        };
        if moved && v != "Succeeded" {
            reasons.push("real progress was made before the trouble".into());
        }
        reasons.push(format!("success evidence {}", lvl(s)));
        reasons.extend(s_reasons);
        reasons.push(format!("failure evidence {}", lvl(fl)));
        reasons.extend(f_reasons);
        label(v, conf, reasons)
    }
}
