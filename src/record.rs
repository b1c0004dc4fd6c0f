//! SessionRecord: one flat row per session, the unit that is stored, merged,
//! exported and analysed. Ids are pseudonymous; no raw transcript text.
//! The column schema is versioned (`RECORD_SCHEMA_VERSION`) and documented in
//! docs/records.md.

use crate::classify::{FacetId, Labels};
use crate::measure::Measured;
use crate::session::{Session, ToolKind};
use serde::{Deserialize, Serialize};

pub const RECORD_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub session_id: String,
    /// Pseudonym of the person (keyed hash of the input-root name).
    pub user: String,
    pub agent: String,
    pub agent_version: Option<String>,
    pub surface: String,
    pub interactive: bool,
    /// Interactive and on a surface the study sampled (cli, desktop, web).
    pub in_study_scope: bool,
    pub project: Option<String>,
    /// `YYYY-MM` of the session start (UTC).
    pub month: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub duration_s: Option<f64>,
    pub models: String,

    // Telemetry
    pub human_prompts: u32,
    pub actions: u32,
    pub successful_actions: u32,
    pub model_calls: u32,
    pub actions_per_prompt: Option<f64>,
    pub output_tokens: u64,
    pub output_words: u64,
    pub words_per_prompt: Option<f64>,
    pub lines_added: u64,
    pub lines_removed: u64,
    pub files_touched: u32,
    pub tool_errors: u32,
    pub interruptions: u32,
    pub compactions: u32,
    pub subagents: u32,
    pub subagent_actions: u32,
    pub tools_read: u32,
    pub tools_edit: u32,
    pub tools_write: u32,
    pub tools_shell: u32,
    pub tools_search: u32,
    pub tools_web: u32,
    pub tools_task: u32,
    pub tools_plan: u32,
    pub tools_other: u32,

    // Evidence
    pub test_runs: u32,
    pub tests_pass_at_end: Option<bool>,
    pub tests_pass_after_last_edit: bool,
    pub builds: u32,
    pub commits: u32,
    pub pushes: u32,
    pub prs: u32,
    pub deploys: u32,
    pub final_error_unrecovered: bool,
    pub user_affirmation: bool,
    pub user_complaint: bool,

    // Facet labels
    pub backend: String,
    pub model: Option<String>,
    pub rubric_version: String,
    pub work_mode: Option<String>,
    pub work_mode_confidence: Option<f32>,
    pub codebase: Option<String>,
    pub expertise: Option<String>,
    pub expertise_confidence: Option<f32>,
    pub occupation_user: Option<String>,
    pub occupation_work: Option<String>,
    pub outcome: Option<String>,
    pub outcome_confidence: Option<f32>,
    pub success_signal: Option<String>,
    pub failure_signal: Option<String>,
    pub decisions: Option<u32>,
    pub user_planning_share: Option<f64>,
    pub user_execution_share: Option<f64>,
    pub truncated: bool,

    // Derived (STUDY.md measure 9)
    /// Expertise 1-5 (None: Unclear or unlabelled).
    pub expertise_level: Option<u8>,
    pub verified_success: Option<bool>,
    pub judged_success: Option<bool>,
    pub at_least_partial: Option<bool>,
    pub judged_failure: Option<bool>,
    pub verified_failure: Option<bool>,
    pub hits_trouble: Option<bool>,
    pub abandoned: Option<bool>,
    pub code_producing: bool,
    /// Outcome is "No clear goal" (excluded from success statistics).
    pub no_clear_goal: Option<bool>,

    /// Reasons per facet, as a JSON object (facet -> list of reasons).
    pub reasons_json: String,
}

fn level(v: Option<&str>) -> Option<u8> {
    v.and_then(|s| s.trim().parse::<u8>().ok())
        .filter(|l| (1..=5).contains(l))
}

impl SessionRecord {
    pub fn build(session: &Session, m: &Measured, labels: &Labels, user_pseudonym: &str) -> Self {
        let ms = &m.measures;
        let ev = &m.evidence;
        let mix =
            |k: ToolKind| ms.tool_mix[ToolKind::ALL.iter().position(|x| *x == k).unwrap_or(8)];
        let mut r = SessionRecord {
            session_id: session.id.clone(),
            user: user_pseudonym.to_string(),
            agent: session.agent.as_str().to_string(),
            agent_version: session.agent_version.clone(),
            surface: session.surface.as_str().to_string(),
            interactive: session.interactive(),
            in_study_scope: session.interactive() && session.surface.in_study_scope(),
            project: session.project.clone(),
            month: session.start.map(crate::time::month),
            start: session.start.map(crate::time::format_rfc3339),
            end: session.end.map(crate::time::format_rfc3339),
            duration_s: ms.duration_s,
            models: session.models.join(","),
            human_prompts: ms.human_prompts,
            actions: ms.actions,
            successful_actions: ms.successful_actions,
            model_calls: ms.model_calls,
            actions_per_prompt: ms.actions_per_prompt,
            output_tokens: ms.output_tokens,
            output_words: ms.output_words,
            words_per_prompt: ms.words_per_prompt,
            lines_added: ms.lines_added,
            lines_removed: ms.lines_removed,
            files_touched: ms.files_touched,
            tool_errors: ms.tool_errors,
            interruptions: ms.interruptions,
            compactions: ms.compactions,
            subagents: ms.subagents,
            subagent_actions: ms.subagent_actions,
            tools_read: mix(ToolKind::Read),
            tools_edit: mix(ToolKind::Edit),
            tools_write: mix(ToolKind::Write),
            tools_shell: mix(ToolKind::Shell),
            tools_search: mix(ToolKind::Search),
            tools_web: mix(ToolKind::Web),
            tools_task: mix(ToolKind::Task),
            tools_plan: mix(ToolKind::Plan),
            tools_other: mix(ToolKind::Other),
            test_runs: ev.test_runs,
            tests_pass_at_end: ev.tests_pass_at_end,
            tests_pass_after_last_edit: ev.tests_pass_after_last_edit,
            builds: ev.builds,
            commits: ev.commits,
            pushes: ev.pushes,
            prs: ev.prs,
            deploys: ev.deploys,
            final_error_unrecovered: ev.final_error_unrecovered,
            user_affirmation: ev.user_affirmation,
            user_complaint: ev.user_complaint,
            backend: labels.backend.clone(),
            model: labels.model.clone(),
            rubric_version: labels.rubric_version.clone(),
            work_mode: labels.value(FacetId::WorkMode).map(str::to_string),
            work_mode_confidence: labels.work_mode.as_ref().map(|l| l.confidence),
            codebase: labels.value(FacetId::Codebase).map(str::to_string),
            expertise: labels.value(FacetId::Expertise).map(str::to_string),
            expertise_confidence: labels.expertise.as_ref().map(|l| l.confidence),
            occupation_user: labels.value(FacetId::OccupationUser).map(str::to_string),
            occupation_work: labels.value(FacetId::OccupationWork).map(str::to_string),
            outcome: labels.value(FacetId::Outcome).map(str::to_string),
            outcome_confidence: labels.outcome.as_ref().map(|l| l.confidence),
            success_signal: labels.value(FacetId::SuccessSignal).map(str::to_string),
            failure_signal: labels.value(FacetId::FailureSignal).map(str::to_string),
            decisions: labels.decisions.as_ref().map(|d| d.decisions.len() as u32),
            user_planning_share: labels
                .decisions
                .as_ref()
                .and_then(|d| d.user_planning_share),
            user_execution_share: labels
                .decisions
                .as_ref()
                .and_then(|d| d.user_execution_share),
            truncated: labels.truncated,
            code_producing: ms.lines_added > 0,
            ..Default::default()
        };
        r.derive();
        let mut reasons = serde_json::Map::new();
        for f in FacetId::ALL {
            if let Some(l) = labels.get(f) {
                reasons.insert(f.as_str().into(), serde_json::json!(l.reasons));
            }
        }
        if let Some(d) = &labels.decisions {
            reasons.insert("decisions".into(), serde_json::json!(d.reasons));
        }
        for (facet, why) in &labels.unlabelled {
            reasons
                .entry(facet.clone())
                .or_insert_with(|| serde_json::json!([format!("not labelled: {why}")]));
        }
        r.reasons_json = serde_json::Value::Object(reasons).to_string();
        r
    }

    /// Fills the derived measures from labels and telemetry (STUDY.md measure 9).
    pub fn derive(&mut self) {
        self.expertise_level = level(self.expertise.as_deref());
        let outcome = self.outcome.as_deref();
        let succ = level(self.success_signal.as_deref()).unwrap_or(0);
        let fail = level(self.failure_signal.as_deref()).unwrap_or(0);
        let has_signals = self.success_signal.is_some() || self.failure_signal.is_some();
        self.code_producing = self.lines_added > 0;
        if let Some(o) = outcome {
            let goal = o != "No clear goal";
            self.no_clear_goal = Some(!goal);
            // No clear goal is excluded from success statistics.
            let g = |b: bool| if goal { Some(b) } else { None };
            self.judged_success = g(o == "Succeeded");
            self.at_least_partial = g(o == "Succeeded" || o == "Partially Succeeded");
            self.judged_failure = g(o == "Failed");
            if has_signals {
                self.verified_success = g(o == "Succeeded" && succ >= 4);
                self.verified_failure = g(o == "Failed" && fail >= 4);
            }
            self.abandoned = g(o == "Failed" && self.lines_added == 0);
        }
        if self.failure_signal.is_some() {
            self.hits_trouble = Some(fail >= 3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_measures_follow_the_study() {
        let mut r = SessionRecord {
            outcome: Some("Succeeded".into()),
            success_signal: Some("4".into()),
            failure_signal: Some("NONE".into()),
            expertise: Some("3".into()),
            lines_added: 10,
            ..Default::default()
        };
        r.derive();
        assert_eq!(r.verified_success, Some(true));
        assert_eq!(r.judged_success, Some(true));
        assert_eq!(r.hits_trouble, Some(false));
        assert_eq!(r.expertise_level, Some(3));
        assert!(r.code_producing);
        r.success_signal = Some("3".into());
        r.derive();
        assert_eq!(r.verified_success, Some(false));
        r.outcome = Some("Failed".into());
        r.failure_signal = Some("4".into());
        r.lines_added = 0;
        r.derive();
        assert_eq!(r.verified_failure, Some(true));
        assert_eq!(r.abandoned, Some(true));
        assert_eq!(r.hits_trouble, Some(true));
        r.outcome = Some("No clear goal".into());
        r.expertise = Some("Unclear".into());
        r.derive();
        assert_eq!(r.verified_success, None);
        assert_eq!(r.expertise_level, None);
    }
}
