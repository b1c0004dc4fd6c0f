//! Success signal (STUDY.md measure 7): strength of the evidence that the
//! work succeeded, NONE or 1-5. Hard signals come from tool results and git
//! (crate::measure evidence) and from explicit affirmation by the person.

use super::{plural, signal_label, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::{FacetId, Label};

pub struct SuccessSignal;

/// The evidence of success, shared with the outcome facet.
#[derive(Debug, Default)]
pub struct SuccessEvidence {
    /// Hard signals, as reasons.
    pub hard: Vec<String>,
    /// One concrete corroboration beyond a clean ending.
    pub corroboration: Option<String>,
    /// The session ended badly (unrecovered error, failing tests, complaint).
    pub ended_badly: bool,
    /// The agent did something at all (answered or acted).
    pub any_work: bool,
}

pub fn evidence(f: &Features) -> SuccessEvidence {
    let ev = &f.measured().evidence;
    let mut e = SuccessEvidence::default();
    if ev.tests_pass_after_last_edit {
        e.hard.push("tests passed after the last edit".into());
    } else if ev.tests_pass_at_end == Some(true) {
        e.hard.push("the last test run passed".into());
    }
    if ev.commits > 0 {
        e.hard.push(format!(
            "{} succeeded",
            plural(ev.commits, "commit", "commits")
        ));
    }
    let prs = ev.prs.max(f.session().pr_links.len() as u32);
    if prs > 0 {
        e.hard.push(format!(
            "{} opened",
            plural(prs, "pull request", "pull requests")
        ));
    } else if ev.pushes > 0 {
        e.hard.push("push succeeded".into());
    }
    if ev.deploys > 0 {
        e.hard.push("deploy completed".into());
    }
    if ev.builds > 0 && ev.build_ok_at_end == Some(true) && f.changed_anything() {
        e.hard.push("the last build succeeded".into());
    }
    if ev.user_affirmation || f.late_affirmations > 0 {
        e.hard
            .push("the person confirmed the result or thanked the agent".into());
    }
    if f.ok_cmds_after_last_change > 0 && f.changed_anything() {
        e.corroboration = Some(format!(
            "{} ran cleanly after the last change",
            plural(f.ok_cmds_after_last_change, "command", "commands")
        ));
    } else if f.affirmations > 0 {
        e.corroboration = Some("the person affirmed an earlier result".into());
    } else if !f.changed_anything() && f.actions >= 3 && !f.last_result_error {
        e.corroboration = Some("the agent's checks ran cleanly".into());
    }
    e.ended_badly = ev.final_error_unrecovered
        || ev.tests_pass_at_end == Some(false)
        || f.last_prompt_complains
        || f.late_complaints > 0 && !f.last_prompt_affirms;
    e.any_work = f.actions > 0 || f.ends_with_agent_text;
    e
}

/// The level (0 = NONE) and reasons.
pub fn level(f: &Features) -> (u8, Vec<String>, f32) {
    let e = evidence(f);
    if !e.any_work {
        return (0, vec!["the agent did no work".into()], 0.6);
    }
    let mut reasons = e.hard.clone();
    let (lvl, conf) = if e.ended_badly {
        reasons.push("but the session ended on unresolved trouble".into());
        if e.hard.is_empty() {
            (1, 0.55)
        } else {
            (3, 0.45)
        }
    } else if e.hard.len() >= 2 {
        (5, 0.7)
    } else if e.hard.len() == 1 {
        if let Some(c) = &e.corroboration {
            reasons.push(c.clone());
        }
        (4, 0.6)
    } else if let Some(c) = e.corroboration {
        reasons.push(c);
        reasons.push("no hard signal (no passing tests, commit, PR or confirmation)".into());
        (3, 0.5)
    } else {
        reasons.push("clean ending only; no hard signal".into());
        (2, 0.55)
    };
    (lvl, reasons, conf)
}

impl BuiltinFacet for SuccessSignal {
    fn id(&self) -> FacetId {
        FacetId::SuccessSignal
    }
    fn classify(&self, f: &Features) -> Label {
        let (lvl, reasons, conf) = level(f);
        signal_label(lvl, conf, reasons)
    }
}
