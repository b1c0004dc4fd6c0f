//! Failure signal (STUDY.md measure 8): strength of the evidence of trouble
//! the session did not overcome, NONE or 1-5. The final state counts: a
//! recovered error is at most 1.

use super::{plural, signal_label, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::{FacetId, Label};

pub struct FailureSignal;

#[derive(Debug, Default)]
pub struct FailureEvidence {
    pub hard: Vec<String>,
    /// Pushback: complaints, corrections, refused tool calls.
    pub soft: Vec<String>,
    /// Friction that did not clearly hurt: interruptions, an unfinished last request.
    pub friction: Vec<String>,
    /// Recovered trouble along the way.
    pub recovered: Vec<String>,
}

pub fn evidence(f: &Features) -> FailureEvidence {
    let ev = &f.measured().evidence;
    let mut e = FailureEvidence::default();
    if ev.final_error_unrecovered {
        e.hard
            .push("the session ended on an unrecovered tool error".into());
    }
    if ev.tests_pass_at_end == Some(false) {
        e.hard.push("tests were failing at the end".into());
    }
    if f.last_prompt_complains || (ev.user_complaint && f.late_complaints > 0) {
        e.hard.push("the person complained at the end".into());
    } else if f.late_complaints > 0 && !f.last_prompt_affirms {
        e.hard
            .push("the person reported it still did not work near the end".into());
    }
    let complaints = f.complaints.saturating_sub(f.late_complaints);
    if complaints > 0 {
        e.soft.push(format!(
            "{} earlier in the session",
            plural(complaints, "complaint", "complaints")
        ));
    }
    if f.user_corrects_agent > 0 {
        e.soft.push(format!(
            "the person corrected the agent {}",
            plural(f.user_corrects_agent, "time", "times")
        ));
    }
    if f.rejections > 0 {
        e.soft.push(format!(
            "the person refused {}",
            plural(f.rejections, "tool call", "tool calls")
        ));
    }
    if f.ends_interrupted {
        e.friction
            .push("the last request was interrupted before it was done".into());
    } else if f.last_prompt_unanswered && f.prompts > 1 {
        e.friction.push("the last request got no answer".into());
    } else if f.interruptions > 0 {
        e.friction.push(format!(
            "the person stopped the agent {}",
            plural(f.interruptions, "time", "times")
        ));
    }
    if f.tool_errors > 0 {
        e.recovered.push(format!(
            "{} along the way",
            plural(f.tool_errors, "tool error", "tool errors")
        ));
    }
    if ev.test_runs_failed > 0 && ev.tests_pass_at_end != Some(false) {
        e.recovered.push(format!(
            "{} later recovered",
            plural(ev.test_runs_failed, "failing test run", "failing test runs")
        ));
    }
    e
}

pub fn level(f: &Features) -> (u8, Vec<String>, f32) {
    let e = evidence(f);
    let mut reasons = Vec::new();
    let (lvl, conf) = if e.hard.len() >= 2 {
        reasons.extend(e.hard);
        (5, 0.6)
    } else if e.hard.len() == 1 {
        reasons.extend(e.hard);
        reasons.extend(e.soft);
        (4, 0.55)
    } else if !e.soft.is_empty() {
        let strong = f.user_corrects_agent + f.complaints.saturating_sub(f.late_complaints) >= 2
            || f.user_corrects_agent >= 1 && f.prompts >= 4
            || f.rejections >= 2;
        reasons.extend(e.soft);
        reasons.extend(e.friction);
        if strong {
            (3, 0.5)
        } else {
            (2, 0.45)
        }
    } else if !e.friction.is_empty() {
        reasons.extend(e.friction);
        reasons.extend(e.recovered);
        (2, 0.45)
    } else if !e.recovered.is_empty() {
        let many = f.tool_errors >= 3;
        reasons.extend(e.recovered);
        reasons.push("recovered before the end".into());
        if many {
            (2, 0.45)
        } else {
            (1, 0.5)
        }
    } else {
        reasons.push("no errors, failing tests or complaints".into());
        (0, 0.6)
    };
    (lvl, reasons, conf)
}

impl BuiltinFacet for FailureSignal {
    fn id(&self) -> FacetId {
        FacetId::FailureSignal
    }
    fn classify(&self, f: &Features) -> Label {
        let (lvl, reasons, conf) = level(f);
        signal_label(lvl, conf, reasons)
    }
}
