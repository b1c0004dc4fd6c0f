//! Classify: the study's facets (STUDY.md measures 1-9) behind one trait, and
//! backends that label a session on every facet. `builtin` is offline and
//! deterministic; the LLM backends send the same rubrics to a model.

pub mod builtin;
pub mod facets;
pub mod llm;
pub mod render;
pub mod rubric;

use crate::measure::Measured;
use crate::session::Session;
use serde::{Deserialize, Serialize};

/// The facets, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FacetId {
    WorkMode,
    Codebase,
    Decisions,
    Expertise,
    OccupationUser,
    OccupationWork,
    Outcome,
    SuccessSignal,
    FailureSignal,
}

impl FacetId {
    pub const ALL: [FacetId; 9] = [
        FacetId::WorkMode,
        FacetId::Codebase,
        FacetId::Decisions,
        FacetId::Expertise,
        FacetId::OccupationUser,
        FacetId::OccupationWork,
        FacetId::Outcome,
        FacetId::SuccessSignal,
        FacetId::FailureSignal,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            FacetId::WorkMode => "work_mode",
            FacetId::Codebase => "codebase",
            FacetId::Decisions => "decisions",
            FacetId::Expertise => "expertise",
            FacetId::OccupationUser => "occupation_user",
            FacetId::OccupationWork => "occupation_work",
            FacetId::Outcome => "outcome",
            FacetId::SuccessSignal => "success_signal",
            FacetId::FailureSignal => "failure_signal",
        }
    }
}

/// One facet's answer for one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    /// One value of the facet's closed label set (as written in the rubric).
    pub value: String,
    /// 0..1: how sure the backend is.
    pub confidence: f32,
    /// Human-readable reasons naming evidence, never quoting prompts unscrubbed.
    #[serde(default)]
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Planning,
    Execution,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    User,
    Agent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub what: String,
    pub kind: DecisionKind,
    pub by: Actor,
}

/// Decision attribution: the list and the user's shares.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Decisions {
    pub decisions: Vec<Decision>,
    /// User's share of planning decisions (None: no planning decisions).
    pub user_planning_share: Option<f64>,
    pub user_execution_share: Option<f64>,
    pub confidence: f32,
    #[serde(default)]
    pub reasons: Vec<String>,
}

impl Decisions {
    /// Computes the shares from the list.
    pub fn from_list(decisions: Vec<Decision>, confidence: f32, reasons: Vec<String>) -> Self {
        let share = |k: DecisionKind| {
            let all: Vec<_> = decisions.iter().filter(|d| d.kind == k).collect();
            if all.is_empty() {
                None
            } else {
                Some(all.iter().filter(|d| d.by == Actor::User).count() as f64 / all.len() as f64)
            }
        };
        Decisions {
            user_planning_share: share(DecisionKind::Planning),
            user_execution_share: share(DecisionKind::Execution),
            decisions,
            confidence,
            reasons,
        }
    }
}

/// All labels of one session from one backend.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub backend: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub rubric_version: String,
    pub work_mode: Option<Label>,
    pub codebase: Option<Label>,
    pub decisions: Option<Decisions>,
    pub expertise: Option<Label>,
    pub occupation_user: Option<Label>,
    pub occupation_work: Option<Label>,
    pub outcome: Option<Label>,
    pub success_signal: Option<Label>,
    pub failure_signal: Option<Label>,
    /// The rendered transcript was cut to fit (LLM backends).
    #[serde(default)]
    pub truncated: bool,
    /// Facets left unlabelled, with why (LLM backends: an answer invalid
    /// twice, a request that failed, a spend cap or Ctrl-C). Keyed by
    /// `FacetId::as_str`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub unlabelled: std::collections::BTreeMap<String, String>,
}

impl Labels {
    pub fn get(&self, f: FacetId) -> Option<&Label> {
        match f {
            FacetId::WorkMode => self.work_mode.as_ref(),
            FacetId::Codebase => self.codebase.as_ref(),
            FacetId::Decisions => None,
            FacetId::Expertise => self.expertise.as_ref(),
            FacetId::OccupationUser => self.occupation_user.as_ref(),
            FacetId::OccupationWork => self.occupation_work.as_ref(),
            FacetId::Outcome => self.outcome.as_ref(),
            FacetId::SuccessSignal => self.success_signal.as_ref(),
            FacetId::FailureSignal => self.failure_signal.as_ref(),
        }
    }
    pub fn set(&mut self, f: FacetId, l: Label) {
        let slot = match f {
            FacetId::WorkMode => &mut self.work_mode,
            FacetId::Codebase => &mut self.codebase,
            FacetId::Decisions => return,
            FacetId::Expertise => &mut self.expertise,
            FacetId::OccupationUser => &mut self.occupation_user,
            FacetId::OccupationWork => &mut self.occupation_work,
            FacetId::Outcome => &mut self.outcome,
            FacetId::SuccessSignal => &mut self.success_signal,
            FacetId::FailureSignal => &mut self.failure_signal,
        };
        *slot = Some(l);
    }
    pub fn value(&self, f: FacetId) -> Option<&str> {
        self.get(f).map(|l| l.value.as_str())
    }
}

/// What a backend sees of a session.
pub struct Input<'a> {
    pub session: &'a Session,
    pub measured: &'a Measured,
}

/// A classifier backend: labels one session on every facet.
pub trait Backend: Sync + Send {
    fn name(&self) -> &str;
    fn classify(&self, input: &Input) -> anyhow::Result<Labels>;
    /// Identity of this classifier for the store: stored records made under
    /// another fingerprint are classified again. LLM backends should include
    /// the model and any setting that changes answers (default: the name).
    fn fingerprint(&self) -> String {
        self.name().to_string()
    }
}
