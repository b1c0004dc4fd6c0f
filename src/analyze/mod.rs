//! Analysis: the study's exhibits computed from SessionRecords. Every figure
//! is a `Stat` from `cells` (privacy threshold applied, 95% interval); the
//! adjusted rates come from `regression`; monthly series from `trends`.
//! The result (`Report`) is plain data: the renderers in `report/` only
//! format it.

pub mod cells;
pub mod intervals;
pub mod regression;
pub mod synth;
pub mod trends;

use crate::classify::rubric::WORK_MODES;
use crate::privacy::threshold::Thresholds;
use crate::record::SessionRecord;
use cells::{distinct, Ctx, Stat};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Version of the report's JSON shape.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Shown wherever a label is missing (no backend labelled the session).
pub const NOT_CLASSIFIED: &str = "not classified";

pub const LEVEL_NAMES: [&str; 5] = ["Novice", "Beginner", "Intermediate", "Advanced", "Expert"];

#[derive(Debug, Clone)]
pub struct Options {
    pub title: String,
    pub examples: bool,
    /// "study" (interactive cli/desktop/web only) or "all".
    pub scope_all: bool,
    pub k_users: usize,
    pub k_sessions: usize,
    /// When the report was made (RFC 3339), if known.
    pub generated: Option<String>,
    /// Bootstrap replicates per cell.
    pub reps: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            title: "agentcensus report".into(),
            examples: false,
            scope_all: false,
            k_users: crate::privacy::threshold::DEFAULT_K_USERS,
            k_sessions: crate::privacy::threshold::DEFAULT_K_SESSIONS,
            generated: None,
            reps: intervals::BOOT_REPS,
        }
    }
}

/// How a column's figures are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A fraction shown as a percentage.
    Pct,
    /// A number with one decimal.
    Num,
    /// A whole number (counts).
    Count,
    /// A difference of two rates (fractions), shown in signed points.
    Points,
    /// A relative change (0.09 = +9%), shown signed.
    Change,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub label: String,
    pub cells: Vec<Stat>,
    /// Overrides the columns' kind for this row (tables of mixed measures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
}

/// One exhibit: rows of labelled cells.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub id: String,
    pub title: String,
    /// Definitions and denominators, in one or two sentences.
    pub note: String,
    pub row_header: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl Table {
    fn new(id: &str, title: &str, row_header: &str, note: &str, cols: &[(&str, Kind)]) -> Self {
        Table {
            id: id.into(),
            title: title.into(),
            note: note.into(),
            row_header: row_header.into(),
            columns: cols
                .iter()
                .map(|(n, k)| Column {
                    name: n.to_string(),
                    kind: *k,
                })
                .collect(),
            rows: Vec::new(),
        }
    }
    fn push(&mut self, label: impl Into<String>, cells: Vec<Stat>) {
        self.rows.push(Row {
            label: label.into(),
            cells,
            kind: None,
        });
    }
    fn push_kind(&mut self, label: impl Into<String>, kind: Kind, cells: Vec<Stat>) {
        self.rows.push(Row {
            label: label.into(),
            cells,
            kind: Some(kind),
        });
    }
    /// The cell in row `label`, column `col`.
    pub fn get(&self, label: &str, col: usize) -> Option<&Stat> {
        self.rows
            .iter()
            .find(|r| r.label == label)
            .and_then(|r| r.cells.get(col))
    }
}

/// Which sessions the study tables cover and what each filter removed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scope {
    pub scope: String,
    pub records: usize,
    /// Removed: no human prompt (or headless/SDK runs).
    pub non_interactive_removed: usize,
    /// Removed: interactive but on a surface outside the study (IDE, SDK, headless).
    pub out_of_scope_removed: usize,
    /// Sessions the tables cover.
    pub analysed: usize,
    /// Among them: no outcome label (no backend classified them).
    pub not_classified: usize,
    /// Among them: outcome "No clear goal", excluded from success statistics.
    pub no_clear_goal_excluded: usize,
    /// Among them: zero prompts (actions per prompt undefined).
    pub no_prompts: usize,
    /// Among them: zero actions (excluded from the geometric means).
    pub zero_actions: usize,
    /// Among them: zero output words (excluded from the words geometric mean).
    pub zero_words: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Coef {
    pub estimate: f64,
    pub se: f64,
    pub lo: f64,
    pub hi: f64,
}

impl Coef {
    fn new(estimate: f64, se: f64) -> Self {
        Coef {
            estimate,
            se,
            lo: estimate - intervals::Z95 * se,
            hi: estimate + intervals::Z95 * se,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AdjustedLevel {
    pub level: u8,
    pub name: String,
    pub unadjusted: Stat,
    pub adjusted: Stat,
    /// Step coefficient against the base level (None for the base).
    pub step: Option<Coef>,
    /// The alternative reading: the base level's raw mean plus the step
    /// (the study's published adjusted rates use the normalised base above).
    pub raw_base_plus_step: Option<f64>,
}

/// The study's adjusted verified-success rate by expertise.
#[derive(Debug, Clone, Serialize)]
pub struct Adjusted {
    pub available: bool,
    /// Why not, when not available.
    pub note: String,
    pub controls: String,
    pub n: usize,
    pub users: usize,
    pub clusters: usize,
    pub cells: usize,
    pub singletons_dropped: usize,
    pub base_level: Option<u8>,
    /// Points of verified success per expertise level (fractions).
    pub slope: Option<Coef>,
    pub levels: Vec<AdjustedLevel>,
}

/// A log regression on expertise: percent change per level.
#[derive(Debug, Clone, Serialize)]
pub struct LogEffect {
    pub measure: String,
    pub available: bool,
    pub note: String,
    pub n: usize,
    pub clusters: usize,
    /// exp(b) - 1 and its 95% interval.
    pub pct_per_level: Option<f64>,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub log_coef: Option<Coef>,
}

/// A figure of the study next to the user's.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub measure: String,
    /// The published figure, as the study wrote it.
    pub study: String,
    /// The published figure as a number on the same scale as `yours`.
    pub study_value: Option<f64>,
    pub yours: Stat,
    pub kind: Kind,
}

/// Per-session detail (one-person reports only).
#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    pub session_id: String,
    pub start: Option<String>,
    pub agent: String,
    pub project: Option<String>,
    pub prompts: u32,
    pub actions: u32,
    pub actions_per_prompt: Option<f64>,
    pub work_mode: String,
    pub expertise: String,
    pub outcome: String,
    pub success_signal: String,
    pub failure_signal: String,
    pub verified_success: Option<bool>,
    pub truncated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub title: String,
    pub examples: bool,
    pub generated: Option<String>,
    /// Distinct people in all records (decides whether thresholds apply).
    pub people: usize,
    /// Distinct people among the analysed sessions.
    pub people_analysed: usize,
    pub thresholds: Thresholds,
    pub scope: Scope,
    /// Backends, models and rubric versions with their session counts.
    pub backends: Vec<(String, usize)>,
    pub rubric_versions: Vec<(String, usize)>,
    pub truncation: Stat,
    pub months: Vec<String>,
    pub headline: Table,
    pub adjusted: Adjusted,
    pub log_effects: Vec<LogEffect>,
    pub basics: Table,
    pub evidence: Table,
    pub work_modes: Table,
    pub work_mode_trend: Table,
    pub decisions: Table,
    pub decision_distribution: Table,
    pub trouble: Table,
    pub occupation: Table,
    pub consistency: Table,
    pub by_agent: Table,
    pub by_month: Table,
    pub comparison: Vec<Comparison>,
    /// Present only when the report covers one person.
    pub sessions: Option<Vec<SessionRow>>,
}

impl Report {
    /// Every table, in report order (for generic renderers).
    pub fn tables(&self) -> Vec<&Table> {
        vec![
            &self.headline,
            &self.basics,
            &self.evidence,
            &self.work_modes,
            &self.work_mode_trend,
            &self.decisions,
            &self.decision_distribution,
            &self.trouble,
            &self.occupation,
            &self.consistency,
            &self.by_agent,
            &self.by_month,
        ]
    }
}

/// The expertise row a record belongs to: "1".."5", "Unclear" or "not classified".
pub fn expertise_key(r: &SessionRecord) -> &'static str {
    match (r.expertise_level, r.expertise.as_deref()) {
        (Some(l), _) => ["1", "2", "3", "4", "5"][(l.clamp(1, 5) - 1) as usize],
        (None, Some(s)) if s.trim().eq_ignore_ascii_case("unclear") => "Unclear",
        _ => NOT_CLASSIFIED,
    }
}

fn level_label(key: &str) -> String {
    match key.parse::<usize>() {
        Ok(l @ 1..=5) => format!("{l} {}", LEVEL_NAMES[l - 1]),
        _ => key.to_string(),
    }
}

const EXPERTISE_ROWS: [&str; 7] = ["1", "2", "3", "4", "5", "Unclear", NOT_CLASSIFIED];

fn label_or_nc(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| NOT_CLASSIFIED.to_string())
}

fn counts(it: impl Iterator<Item = String>) -> Vec<(String, usize)> {
    let mut m: BTreeMap<String, usize> = BTreeMap::new();
    for s in it {
        *m.entry(s).or_default() += 1;
    }
    let mut v: Vec<_> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// A record with its person interned as a small number (cells group by
/// person many times; comparing numbers is much cheaper than pseudonyms).
#[derive(Clone, Copy)]
pub struct Rec<'a> {
    pub u: u32,
    pub r: &'a SessionRecord,
}

impl std::ops::Deref for Rec<'_> {
    type Target = SessionRecord;
    fn deref(&self) -> &SessionRecord {
        self.r
    }
}

type Recs<'a> = [Rec<'a>];

fn flags(rs: &Recs, f: impl Fn(&SessionRecord) -> Option<bool>) -> Vec<(u32, bool)> {
    rs.iter().filter_map(|r| f(r.r).map(|b| (r.u, b))).collect()
}

/// (person, value) for every record with a finite value (a damaged record
/// with an infinite or NaN ratio is left out rather than poisoning a mean).
fn values(rs: &Recs, f: impl Fn(&SessionRecord) -> Option<f64>) -> Vec<(u32, f64)> {
    rs.iter()
        .filter_map(|r| f(r.r).filter(|v| v.is_finite()).map(|v| (r.u, v)))
        .collect()
}

fn users(rs: &Recs) -> Vec<u32> {
    rs.iter().map(|r| r.u).collect()
}

fn app(r: &SessionRecord) -> Option<f64> {
    r.actions_per_prompt
}
fn wpp(r: &SessionRecord) -> Option<f64> {
    r.words_per_prompt
}

impl Report {
    /// The truncation share, or why it does not apply: the builtin backend
    /// reads whole sessions, only LLM backends cut transcripts.
    pub fn truncation_text(&self, pct: impl Fn(&Stat) -> String) -> String {
        if !self.backends.is_empty() && self.backends.iter().all(|(b, _)| b.starts_with("builtin"))
        {
            "n/a (the builtin backend reads whole sessions)".to_string()
        } else {
            pct(&self.truncation)
        }
    }
}

/// Builds the whole report from the records.
pub fn analyze(records: &[SessionRecord], opts: &Options) -> Report {
    let people = distinct(records.iter().map(|r| r.user.as_str()));
    let th = Thresholds::for_people(people, opts.k_users, opts.k_sessions);
    let mut ctx = Ctx::new(th, people);
    ctx.reps = opts.reps;

    // Scope filters, each counted.
    let mut scope = Scope {
        scope: if opts.scope_all { "all" } else { "study" }.into(),
        records: records.len(),
        ..Default::default()
    };
    let mut rs: Vec<Rec> = Vec::new();
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let all_recs: Vec<Rec> = records
        .iter()
        .map(|r| {
            let n = ids.len() as u32;
            Rec {
                u: *ids.entry(r.user.as_str()).or_insert(n),
                r,
            }
        })
        .collect();
    for &r in &all_recs {
        if !opts.scope_all && !r.interactive {
            scope.non_interactive_removed += 1;
        } else if !opts.scope_all && !r.in_study_scope {
            scope.out_of_scope_removed += 1;
        } else {
            rs.push(r);
        }
    }
    scope.analysed = rs.len();
    scope.not_classified = rs.iter().filter(|r| r.outcome.is_none()).count();
    scope.no_clear_goal_excluded = rs.iter().filter(|r| r.no_clear_goal == Some(true)).count();
    scope.no_prompts = rs.iter().filter(|r| r.human_prompts == 0).count();
    scope.zero_actions = rs
        .iter()
        .filter(|r| r.human_prompts > 0 && r.actions == 0)
        .count();
    scope.zero_words = rs
        .iter()
        .filter(|r| r.human_prompts > 0 && r.output_words == 0)
        .count();

    let all_users: Vec<u32> = users(&rs);
    let mut months: Vec<String> = rs.iter().filter_map(|r| r.month.clone()).collect();
    months.sort();
    months.dedup();

    let backends = counts(rs.iter().map(|r| {
        let b = if r.backend.is_empty() {
            NOT_CLASSIFIED.to_string()
        } else {
            r.backend.clone()
        };
        match &r.model {
            Some(m) => format!("{b} ({m})"),
            None => b,
        }
    }));
    let rubric_versions = counts(rs.iter().map(|r| {
        if r.rubric_version.is_empty() {
            NOT_CLASSIFIED.to_string()
        } else {
            r.rubric_version.clone()
        }
    }));
    let classified: Vec<Rec> = rs
        .iter()
        .copied()
        .filter(|r| !r.backend.is_empty())
        .collect();
    let truncation = ctx.rate("truncation", &flags(&classified, |r| Some(r.truncated)));

    let by_level = |key: &str| -> Vec<Rec> {
        rs.iter()
            .copied()
            .filter(|r| key == "All" || expertise_key(r) == key)
            .collect()
    };

    // Headline table.
    let mut headline = Table::new(
        "headline",
        "Outcomes and work per prompt by expertise",
        "Expertise",
        "Success rates exclude sessions with no clear goal and sessions not classified. \
         Verified success = Succeeded with success signal 4 or 5. Actions and words per prompt \
         are geometric means over sessions with a ratio above zero.",
        &[
            ("Sessions", Kind::Count),
            ("Verified success", Kind::Pct),
            ("Judged success", Kind::Pct),
            ("At least partial", Kind::Pct),
            ("Actions per prompt", Kind::Num),
            ("Words per prompt", Kind::Num),
        ],
    );
    for key in EXPERTISE_ROWS.iter().chain(std::iter::once(&"All")) {
        let g = by_level(key);
        let l = format!("headline/{key}");
        headline.push(
            level_label(key),
            vec![
                ctx.count(&users(&g)),
                ctx.rate(&format!("{l}/vs"), &flags(&g, |r| r.verified_success)),
                ctx.rate(&format!("{l}/js"), &flags(&g, |r| r.judged_success)),
                ctx.rate(&format!("{l}/ap"), &flags(&g, |r| r.at_least_partial)),
                ctx.geomean(&format!("{l}/app"), &values(&g, app)),
                ctx.geomean(&format!("{l}/wpp"), &values(&g, wpp)),
            ],
        );
    }

    let adjusted = adjusted_rates(&rs, &ctx, &headline);
    let log_effects = vec![
        log_effect("actions per prompt", &rs, &ctx, app),
        log_effect("words per prompt", &rs, &ctx, wpp),
    ];

    // Basics.
    let mut basics = Table::new(
        "basics",
        "The basics",
        "Measure",
        "Prompts are human prompts; actions are the main session's tool calls (sub-agent \
         calls are counted separately). Geometric means leave out sessions with a ratio of \
         zero (no actions or no output words); sessions with no prompts have no ratio.",
        &[("Value", Kind::Num)],
    );
    let all_app = values(&rs, app);
    let num = |label: &str, s: Stat| (label.to_string(), s);
    let recs_all: Vec<Rec> = all_recs.clone();
    let basic_rows = vec![
        num("Sessions analysed", ctx.count(&all_users)),
        num("People", {
            let mut s = ctx.count(&all_users);
            s.value = s.users.map(|u| u as f64);
            s
        }),
        num(
            "Interactive share (all records)",
            ctx.rate(
                "basics/interactive",
                &flags(&recs_all, |r| Some(r.interactive)),
            ),
        ),
        num(
            "Prompts per session (mean)",
            ctx.mean("basics/pps", &values(&rs, |r| Some(r.human_prompts as f64))),
        ),
        num(
            "Prompts per session (median)",
            ctx.percentile(&values(&rs, |r| Some(r.human_prompts as f64)), 0.5),
        ),
        num(
            "Actions per prompt (geometric mean)",
            ctx.geomean("basics/app_g", &all_app),
        ),
        num(
            "Actions per prompt (mean)",
            ctx.mean("basics/app_m", &all_app),
        ),
        num("Actions per prompt p50", ctx.percentile(&all_app, 0.5)),
        num("Actions per prompt p90", ctx.percentile(&all_app, 0.9)),
        num("Actions per prompt p99", ctx.percentile(&all_app, 0.99)),
        num(
            "Share of sessions over 100 actions per prompt",
            ctx.rate(
                "basics/app100",
                &flags(&rs, |r| r.actions_per_prompt.map(|v| v > 100.0)),
            ),
        ),
        num(
            "Words per prompt (geometric mean)",
            ctx.geomean("basics/wpp_g", &values(&rs, wpp)),
        ),
        num(
            "Words per prompt (mean)",
            ctx.mean("basics/wpp_m", &values(&rs, wpp)),
        ),
        num(
            "Sub-agent actions per session (mean)",
            ctx.mean(
                "basics/sub",
                &values(&rs, |r| Some(r.subagent_actions as f64)),
            ),
        ),
        num("Truncated for classification (share)", truncation.clone()),
    ];
    for (l, st) in basic_rows {
        let kind = if l.contains("share") || l.contains("Share") {
            Kind::Pct
        } else if l == "Sessions analysed" || l == "People" {
            Kind::Count
        } else {
            Kind::Num
        };
        basics.push_kind(l, kind, vec![st]);
    }

    // Evidence.
    let mut evidence = Table::new(
        "evidence",
        "Evidence from tool results and git",
        "Evidence",
        "Share of sessions; tests passing at the end is among sessions that ran tests. \
         Evidence comes from tool results, never from the agent's own claims.",
        &[("Share", Kind::Pct)],
    );
    let with_tests: Vec<Rec> = rs.iter().copied().filter(|r| r.test_runs > 0).collect();
    evidence.push(
        "Ran tests",
        vec![ctx.rate("ev/tests", &flags(&rs, |r| Some(r.test_runs > 0)))],
    );
    evidence.push(
        "Tests passing at the end (of sessions with tests)",
        vec![ctx.rate("ev/pass", &flags(&with_tests, |r| r.tests_pass_at_end))],
    );
    evidence.push(
        "Committed",
        vec![ctx.rate("ev/commit", &flags(&rs, |r| Some(r.commits > 0)))],
    );
    evidence.push(
        "Opened or merged a PR",
        vec![ctx.rate("ev/pr", &flags(&rs, |r| Some(r.prs > 0)))],
    );
    evidence.push(
        "Pushed",
        vec![ctx.rate("ev/push", &flags(&rs, |r| Some(r.pushes > 0)))],
    );
    evidence.push(
        "Code-producing (at least one line added)",
        vec![ctx.rate("ev/code", &flags(&rs, |r| Some(r.code_producing)))],
    );
    evidence.push(
        "Unrecovered error at the end",
        vec![ctx.rate("ev/err", &flags(&rs, |r| Some(r.final_error_unrecovered)))],
    );

    // Work modes.
    let mut work_modes = Table::new(
        "work_modes",
        "Work modes",
        "Work mode",
        "Share of classified sessions; a mode used by too few people is suppressed.",
        &[
            ("Sessions", Kind::Count),
            ("Share", Kind::Pct),
            ("Study", Kind::Pct),
        ],
    );
    let mode_items: Vec<(u32, &str)> = rs
        .iter()
        .filter_map(|r| r.work_mode.as_deref().map(|m| (r.u, m)))
        .collect();
    for (m, study) in STUDY_MODES {
        let inside: Vec<u32> = mode_items
            .iter()
            .filter(|i| i.1 == m)
            .map(|i| i.0)
            .collect();
        let items: Vec<(u32, bool)> = mode_items.iter().map(|i| (i.0, i.1 == m)).collect();
        work_modes.push(
            m,
            vec![
                ctx.count(&inside),
                ctx.share(&format!("mode/{m}"), &items),
                study_stat(study / 100.0),
            ],
        );
    }
    let unlabelled: Vec<u32> = rs
        .iter()
        .filter(|r| r.work_mode.is_none())
        .map(|r| r.u)
        .collect();
    work_modes.push(
        NOT_CLASSIFIED,
        vec![ctx.count(&unlabelled), Stat::default(), Stat::default()],
    );

    let mut work_mode_trend = trends::mode_trend(&rs, &months, &ctx);

    // Decisions.
    let with_exec: Vec<Rec> = rs
        .iter()
        .copied()
        .filter(|r| r.user_execution_share.is_some())
        .collect();
    let with_plan: Vec<Rec> = rs
        .iter()
        .copied()
        .filter(|r| r.user_planning_share.is_some())
        .collect();
    let exec_ctrl: Vec<Rec> = with_exec
        .iter()
        .copied()
        .filter(|r| r.user_execution_share.unwrap_or(0.0) > 0.8)
        .collect();
    let agent_plan: Vec<Rec> = with_plan
        .iter()
        .copied()
        .filter(|r| 1.0 - r.user_planning_share.unwrap_or(1.0) > 0.8)
        .collect();
    let mut decisions = Table::new(
        "decisions",
        "Who decides: planning and execution",
        "Measure",
        "Shares of the session's decisions made by the user (mean over sessions with at least \
         one decision of that kind). User keeps execution control: the user made over 80% of \
         execution decisions. Agent controls planning: the agent made over 80% of planning \
         decisions.",
        &[("Value", Kind::Pct), ("Actions per prompt", Kind::Num)],
    );
    decisions.push(
        "User share of planning decisions (mean)",
        vec![
            ctx.mean("dec/plan", &values(&with_plan, |r| r.user_planning_share)),
            Stat::default(),
        ],
    );
    decisions.push(
        "User share of execution decisions (mean)",
        vec![
            ctx.mean("dec/exec", &values(&with_exec, |r| r.user_execution_share)),
            Stat::default(),
        ],
    );
    decisions.push(
        "User keeps execution control (share of sessions)",
        vec![
            ctx.share(
                "dec/ctrl",
                &flags(&with_exec, |r| r.user_execution_share.map(|s| s > 0.8)),
            ),
            ctx.geomean("dec/ctrl_app", &values(&exec_ctrl, app)),
        ],
    );
    decisions.push(
        "Agent controls planning (share of sessions)",
        vec![
            ctx.share(
                "dec/agentplan",
                &flags(&with_plan, |r| r.user_planning_share.map(|s| 1.0 - s > 0.8)),
            ),
            ctx.geomean("dec/agentplan_app", &values(&agent_plan, app)),
        ],
    );
    let mut decision_distribution = Table::new(
        "decision_distribution",
        "Distribution of the agent's share of decisions",
        "Agent's share",
        "Agent's share = 1 - the user's share. Share of sessions with at least one decision \
         of that kind in each band.",
        &[("Planning", Kind::Pct), ("Execution", Kind::Pct)],
    );
    let bands = [
        ("0-20%", -1.0, 0.2),
        ("20-40%", 0.2, 0.4),
        ("40-60%", 0.4, 0.6),
        ("60-80%", 0.6, 0.8),
        ("over 80%", 0.8, 2.0),
    ];
    for (name, lo, hi) in bands {
        let inb = move |s: f64| {
            let a = 1.0 - s;
            a > lo + 1e-12 && a <= hi + 1e-12
        };
        decision_distribution.push(
            name,
            vec![
                ctx.share(
                    &format!("dd/p/{name}"),
                    &flags(&with_plan, |r| r.user_planning_share.map(inb)),
                ),
                ctx.share(
                    &format!("dd/e/{name}"),
                    &flags(&with_exec, |r| r.user_execution_share.map(inb)),
                ),
            ],
        );
    }

    // Trouble.
    let mut trouble = Table::new(
        "trouble",
        "Sessions that hit trouble",
        "Expertise",
        "Hits trouble = failure signal 3 or higher. Abandoned = Failed with no line of code \
         added. Rates among troubled sessions with a clear goal.",
        &[
            ("Troubled sessions", Kind::Count),
            ("Share hitting trouble", Kind::Pct),
            ("Verified success", Kind::Pct),
            ("Judged success", Kind::Pct),
            ("Abandoned", Kind::Pct),
        ],
    );
    for key in EXPERTISE_ROWS.iter().chain(std::iter::once(&"All")) {
        let g = by_level(key);
        let t: Vec<Rec> = g
            .iter()
            .copied()
            .filter(|r| r.hits_trouble == Some(true))
            .collect();
        let l = format!("trouble/{key}");
        trouble.push(
            level_label(key),
            vec![
                ctx.count(&users(&t)),
                ctx.rate(&format!("{l}/share"), &flags(&g, |r| r.hits_trouble)),
                ctx.rate(&format!("{l}/vs"), &flags(&t, |r| r.verified_success)),
                ctx.rate(&format!("{l}/js"), &flags(&t, |r| r.judged_success)),
                ctx.rate(&format!("{l}/ab"), &flags(&t, |r| r.abandoned)),
            ],
        );
    }

    // Occupation in code-producing sessions.
    let mut occupation = Table::new(
        "occupation",
        "Success by occupation in code-producing sessions",
        "User occupation",
        "Code-producing = at least one line of code added. Software/math = the user's own \
         likely occupation is Computer and Mathematical (judged from side signals, never from \
         writing code).",
        &[
            ("Sessions", Kind::Count),
            ("Verified success", Kind::Pct),
            ("Judged success", Kind::Pct),
        ],
    );
    let code: Vec<Rec> = rs.iter().copied().filter(|r| r.code_producing).collect();
    let occ_group = |r: &SessionRecord| -> &'static str {
        match r.occupation_user.as_deref() {
            None => NOT_CLASSIFIED,
            Some("Computer and Mathematical") => "Software/math",
            Some("Unclear") => "Unclear",
            Some(_) => "Other occupations",
        }
    };
    for g in [
        "Software/math",
        "Other occupations",
        "Unclear",
        NOT_CLASSIFIED,
    ] {
        let sub: Vec<Rec> = code.iter().copied().filter(|r| occ_group(r) == g).collect();
        occupation.push(
            g,
            vec![
                ctx.count(&users(&sub)),
                ctx.rate(&format!("occ/{g}/vs"), &flags(&sub, |r| r.verified_success)),
                ctx.rate(&format!("occ/{g}/js"), &flags(&sub, |r| r.judged_success)),
            ],
        );
    }

    // Internal consistency.
    let mut consistency = Table::new(
        "consistency",
        "Internal consistency: outcome against evidence signals",
        "Signal level",
        "Share judged Succeeded among sessions at each success-signal level and at each \
         failure-signal level (sessions with a clear goal). It should rise with the success \
         signal and fall with the failure signal.",
        &[
            ("Judged Succeeded, by success signal", Kind::Pct),
            ("Judged Succeeded, by failure signal", Kind::Pct),
        ],
    );
    for lv in ["NONE", "1", "2", "3", "4", "5"] {
        let s: Vec<Rec> = rs
            .iter()
            .copied()
            .filter(|r| r.success_signal.as_deref() == Some(lv))
            .collect();
        let f: Vec<Rec> = rs
            .iter()
            .copied()
            .filter(|r| r.failure_signal.as_deref() == Some(lv))
            .collect();
        consistency.push(
            lv,
            vec![
                ctx.rate(&format!("cons/s/{lv}"), &flags(&s, |r| r.judged_success)),
                ctx.rate(&format!("cons/f/{lv}"), &flags(&f, |r| r.judged_success)),
            ],
        );
    }

    // By agent and by month.
    let group_cols: &[(&str, Kind)] = &[
        ("Sessions", Kind::Count),
        ("Actions per prompt", Kind::Num),
        ("Verified success", Kind::Pct),
        ("Ran tests", Kind::Pct),
        ("Committed", Kind::Pct),
        ("Truncated", Kind::Pct),
    ];
    let group_row = |name: &str, g: &Recs| -> Vec<Stat> {
        let cl: Vec<Rec> = g
            .iter()
            .copied()
            .filter(|r| !r.backend.is_empty())
            .collect();
        vec![
            ctx.count(&users(g)),
            ctx.geomean(&format!("{name}/app"), &values(g, app)),
            ctx.rate(&format!("{name}/vs"), &flags(g, |r| r.verified_success)),
            ctx.rate(&format!("{name}/t"), &flags(g, |r| Some(r.test_runs > 0))),
            ctx.rate(&format!("{name}/c"), &flags(g, |r| Some(r.commits > 0))),
            ctx.rate(&format!("{name}/tr"), &flags(&cl, |r| Some(r.truncated))),
        ]
    };
    let mut by_agent = Table::new(
        "by_agent",
        "By agent",
        "Agent",
        "Actions per prompt: geometric mean.",
        group_cols,
    );
    let mut agents: Vec<&str> = rs.iter().map(|r| r.agent.as_str()).collect();
    agents.sort();
    agents.dedup();
    for a in agents {
        let g: Vec<Rec> = rs.iter().copied().filter(|r| r.agent == a).collect();
        by_agent.push(a, group_row(&format!("agent/{a}"), &g));
    }
    let mut by_month = Table::new(
        "by_month",
        "By month",
        "Month",
        "Month of the session start (UTC). Actions per prompt: geometric mean.",
        group_cols,
    );
    for m in &months {
        let g: Vec<Rec> = rs
            .iter()
            .copied()
            .filter(|r| r.month.as_deref() == Some(m.as_str()))
            .collect();
        by_month.push(m.clone(), group_row(&format!("month/{m}"), &g));
    }
    let undated: Vec<Rec> = rs.iter().copied().filter(|r| r.month.is_none()).collect();
    if !undated.is_empty() {
        by_month.push("no date", group_row("month/none", &undated));
    }

    let sessions = (people <= 1).then(|| {
        let mut v: Vec<SessionRow> = rs
            .iter()
            .map(|r| SessionRow {
                session_id: r.session_id.clone(),
                start: r.start.clone(),
                agent: r.agent.clone(),
                project: r.project.clone(),
                prompts: r.human_prompts,
                actions: r.actions,
                actions_per_prompt: r.actions_per_prompt,
                work_mode: label_or_nc(&r.work_mode),
                expertise: label_or_nc(&r.expertise),
                outcome: label_or_nc(&r.outcome),
                success_signal: label_or_nc(&r.success_signal),
                failure_signal: label_or_nc(&r.failure_signal),
                verified_success: r.verified_success,
                truncated: r.truncated,
            })
            .collect();
        v.sort_by(|a, b| b.start.cmp(&a.start).then(a.session_id.cmp(&b.session_id)));
        v
    });

    if th.active {
        // Rows that partition the sessions: one suppressed row alone could be
        // recovered from the total by subtraction.
        for t in [
            &mut headline,
            &mut trouble,
            &mut work_modes,
            &mut occupation,
            &mut by_agent,
            &mut by_month,
        ] {
            cells::secondary_suppress_rows(t);
        }
        cells::secondary_suppress_rows(&mut decision_distribution);
        cells::secondary_suppress_cols(&mut work_mode_trend, 1);
    }
    let mut adjusted = adjusted;
    for l in &mut adjusted.levels {
        if let Some(s) = headline.get(&l.name, 1) {
            l.unadjusted = s.clone();
        }
    }

    let mut report = Report {
        schema_version: REPORT_SCHEMA_VERSION,
        title: opts.title.clone(),
        examples: opts.examples,
        generated: opts.generated.clone(),
        people,
        people_analysed: distinct(rs.iter().map(|r| r.user.as_str())),
        thresholds: th,
        scope,
        backends,
        rubric_versions,
        truncation,
        months,
        headline,
        adjusted,
        log_effects,
        basics,
        evidence,
        work_modes,
        work_mode_trend,
        decisions,
        decision_distribution,
        trouble,
        occupation,
        consistency,
        by_agent,
        by_month,
        comparison: Vec::new(),
        sessions,
    };
    report.comparison = comparison(&report, &rs, &ctx);
    report
}

/// The study's overall work-mode shares (percent).
pub const STUDY_MODES: [(&str, f64); 9] = [
    ("Fix", 26.0),
    ("Build", 25.0),
    ("Operate", 17.0),
    ("Communicate", 10.0),
    ("Understand", 7.0),
    ("Plan", 7.0),
    ("Orchestrate", 3.0),
    ("Analyze", 3.0),
    ("Test", 2.0),
];

fn study_stat(v: f64) -> Stat {
    Stat {
        value: Some(v),
        ..Default::default()
    }
}

/// Fixed-effect cell of a record: work mode x month x user occupation x work
/// occupation (missing labels form their own category).
fn fe_cell(r: &SessionRecord) -> String {
    format!(
        "{}|{}|{}|{}",
        r.work_mode.as_deref().unwrap_or("-"),
        r.month.as_deref().unwrap_or("-"),
        r.occupation_user.as_deref().unwrap_or("-"),
        r.occupation_work.as_deref().unwrap_or("-")
    )
}

pub const CONTROLS: &str =
    "work mode x month x user occupation x work occupation (task value band not yet available)";

/// Ids for cells and clusters of a sample.
fn ids(rs: &Recs, session_clusters: bool) -> (Vec<usize>, Vec<usize>) {
    let mut cm: HashMap<String, usize> = HashMap::new();
    let mut um: HashMap<&str, usize> = HashMap::new();
    let mut cells = Vec::with_capacity(rs.len());
    let mut cl = Vec::with_capacity(rs.len());
    for (i, r) in rs.iter().enumerate() {
        let n = cm.len();
        cells.push(*cm.entry(fe_cell(r)).or_insert(n));
        if session_clusters {
            cl.push(i);
        } else {
            let n = um.len();
            cl.push(*um.entry(r.user.as_str()).or_insert(n));
        }
    }
    (cells, cl)
}

fn adjusted_rates(rs: &Recs, ctx: &Ctx, headline: &Table) -> Adjusted {
    let sample: Vec<Rec> = rs
        .iter()
        .copied()
        .filter(|r| r.verified_success.is_some() && r.expertise_level.is_some())
        .collect();
    let n_users = distinct(sample.iter().map(|r| r.user.as_str()));
    let mut out = Adjusted {
        available: false,
        note: String::new(),
        controls: CONTROLS.into(),
        n: sample.len(),
        users: n_users,
        clusters: 0,
        cells: 0,
        singletons_dropped: 0,
        base_level: None,
        slope: None,
        levels: Vec::new(),
    };
    if sample.is_empty() {
        out.note = format!(
            "no sessions with both an expertise level and a verified-success label \
             ({NOT_CLASSIFIED})"
        );
        return out;
    }
    if let Some(r) = ctx.th.suppress(n_users, sample.len()) {
        out.note = format!("suppressed: {r}");
        return out;
    }
    let (cells, clusters) = ids(&sample, ctx.session_clusters);
    let y: Vec<f64> = sample
        .iter()
        .map(|r| f64::from(u8::from(r.verified_success == Some(true))))
        .collect();
    let lv: Vec<u8> = sample
        .iter()
        .map(|r| r.expertise_level.unwrap_or(1))
        .collect();
    let x: Vec<Vec<f64>> = lv.iter().map(|&l| vec![l as f64]).collect();
    match regression::absorbed_ols(&y, &x, &cells, &clusters) {
        Some(f) => {
            out.slope = f.coef[0].zip(f.se[0]).map(|(b, s)| Coef::new(b, s));
            out.clusters = f.clusters;
            out.cells = f.cells;
            out.singletons_dropped = f.singletons_dropped;
        }
        None => {
            out.note = "the slope cannot be estimated: no variation in expertise within \
                        the control cells, or fewer than two clusters"
                .into();
        }
    }
    // Step version: dummies for every present level above the lowest.
    let mut present: Vec<u8> = lv.clone();
    present.sort_unstable();
    present.dedup();
    let base = present[0];
    out.base_level = Some(base);
    let others: Vec<u8> = present[1..].to_vec();
    let xd: Vec<Vec<f64>> = lv
        .iter()
        .map(|&l| {
            others
                .iter()
                .map(|&o| f64::from(u8::from(l == o)))
                .collect()
        })
        .collect();
    let fit = if others.is_empty() {
        None
    } else {
        regression::absorbed_ols(&y, &xd, &cells, &clusters)
    };
    let base_raw = {
        let b: Vec<f64> = y
            .iter()
            .zip(&lv)
            .filter(|(_, &l)| l == base)
            .map(|(v, _)| *v)
            .collect();
        b.iter().sum::<f64>() / b.len().max(1) as f64
    };
    // Levels whose step can be estimated (the base always can, as the base).
    let est: Vec<bool> = match &fit {
        Some(f) => f.coef.iter().map(Option::is_some).collect(),
        None => vec![false; others.len()],
    };
    let in_est = |l: u8| l == base || others.iter().position(|&o| o == l).is_some_and(|i| est[i]);
    let ne = lv.iter().filter(|&&l| in_est(l)).count() as f64;
    let ybar = y
        .iter()
        .zip(&lv)
        .filter(|(_, &l)| in_est(l))
        .map(|(v, _)| v)
        .sum::<f64>()
        / ne.max(1.0);
    let w: Vec<f64> = others
        .iter()
        .enumerate()
        .map(|(i, &o)| {
            if est[i] {
                lv.iter().filter(|&&l| l == o).count() as f64 / ne
            } else {
                0.0
            }
        })
        .collect();
    for &l in &present {
        let key = l.to_string();
        let unadjusted = headline
            .get(&level_label(&key), 1)
            .cloned()
            .unwrap_or_default();
        let lrecs: Vec<&str> = sample
            .iter()
            .filter(|r| r.expertise_level == Some(l))
            .map(|r| r.user.as_str())
            .collect();
        let mut level = AdjustedLevel {
            level: l,
            name: level_label(&key),
            unadjusted: unadjusted.clone(),
            adjusted: Stat::empty(
                "not estimable: no variation in expertise within the control cells",
            ),
            step: None,
            raw_base_plus_step: None,
        };
        if let Some(r) = ctx
            .th
            .suppress(distinct(lrecs.iter().copied()), lrecs.len())
        {
            level.adjusted = Stat {
                suppressed: true,
                note: Some(format!("suppressed: {r}")),
                ..Default::default()
            };
            out.levels.push(level);
            continue;
        }
        if others.is_empty() {
            // One level only: nothing to adjust.
            level.adjusted = unadjusted;
            level.adjusted.note = Some("one expertise level: nothing to adjust".into());
        } else if let (Some(f), true) = (&fit, in_est(l)) {
            // Adjusted rate = base mean + coefficient, where the base mean is
            // set so that the session-weighted average of the adjusted rates
            // equals the overall mean (as the study's figures do). Levels that
            // cannot be estimated are left out of that average.
            let idx = others.iter().position(|&o| o == l);
            let wb: f64 = (0..others.len())
                .map(|i| w[i] * f.coef[i].unwrap_or(0.0))
                .sum();
            let b_l = idx.and_then(|i| f.coef[i]).unwrap_or(0.0);
            let mut a: Vec<f64> = w.iter().map(|v| -v).collect();
            if let Some(i) = idx {
                a[i] += 1.0;
            }
            let se = f.contrast_var(&a).max(0.0).sqrt();
            let v = ybar + b_l - wb;
            level.adjusted = Stat::point(
                v,
                Some(v - intervals::Z95 * se),
                Some(v + intervals::Z95 * se),
                lrecs.len(),
                distinct(lrecs.iter().copied()),
            );
            level.step = idx.and_then(|i| f.coef[i].zip(f.se[i]).map(|(b, s)| Coef::new(b, s)));
            level.raw_base_plus_step = Some(base_raw + b_l);
        }
        out.levels.push(level);
    }
    out.available = out.slope.is_some() || out.levels.iter().any(|l| l.adjusted.value.is_some());
    if out.available && out.note.is_empty() {
        out.note =
            format!(
            "linear probability model, {} sessions, {} clusters ({}), {} cells with 2+ sessions, \
             {} singleton cells dropped",
            f_or(out.n),
            out.clusters,
            if ctx.session_clusters { "sessions: one person" } else { "users" },
            out.cells,
            out.singletons_dropped
        );
    } else if !out.available && out.note.is_empty() {
        out.note = "not estimable: expertise does not vary within the control cells".into();
    }
    out
}

fn f_or(n: usize) -> String {
    n.to_string()
}

fn log_effect(
    measure: &str,
    rs: &Recs,
    ctx: &Ctx,
    f: fn(&SessionRecord) -> Option<f64>,
) -> LogEffect {
    let sample: Vec<Rec> = rs
        .iter()
        .copied()
        .filter(|r| r.expertise_level.is_some() && f(r).is_some_and(|v| v > 0.0 && v.is_finite()))
        .collect();
    let mut out = LogEffect {
        measure: measure.into(),
        available: false,
        note: String::new(),
        n: sample.len(),
        clusters: 0,
        pct_per_level: None,
        lo: None,
        hi: None,
        log_coef: None,
    };
    if sample.is_empty() {
        out.note = format!("no sessions with an expertise level ({NOT_CLASSIFIED})");
        return out;
    }
    if let Some(r) = ctx.th.suppress(
        distinct(sample.iter().map(|r| r.user.as_str())),
        sample.len(),
    ) {
        out.note = format!("suppressed: {r}");
        return out;
    }
    let (cells, clusters) = ids(&sample, ctx.session_clusters);
    let y: Vec<f64> = sample.iter().map(|r| f(r).unwrap_or(1.0).ln()).collect();
    let x: Vec<Vec<f64>> = sample
        .iter()
        .map(|r| vec![r.expertise_level.unwrap_or(1) as f64])
        .collect();
    match regression::absorbed_ols(&y, &x, &cells, &clusters) {
        Some(fit) => {
            if let (Some(b), Some(s)) = (fit.coef[0], fit.se[0]) {
                let c = Coef::new(b, s);
                out.pct_per_level = Some(b.exp() - 1.0);
                out.lo = Some(c.lo.exp() - 1.0);
                out.hi = Some(c.hi.exp() - 1.0);
                out.log_coef = Some(c);
                out.available = true;
                out.clusters = fit.clusters;
                out.note = format!(
                    "log regression on expertise level, same controls; {} sessions with a ratio above zero",
                    fit.n
                );
            }
        }
        None => {
            out.note = "not estimable: expertise does not vary within the control cells".into();
        }
    }
    out
}

fn comparison(rep: &Report, rs: &Recs, ctx: &Ctx) -> Vec<Comparison> {
    let mut v = Vec::new();
    let mut add = |measure: String, study: &str, sv: Option<f64>, yours: Stat, kind: Kind| {
        v.push(Comparison {
            measure,
            study: study.into(),
            study_value: sv,
            yours,
            kind,
        })
    };
    let h = &rep.headline;
    let unadj = [13.2, 20.9, 28.0, 29.3, 34.7];
    let adj = [14.5, 20.9, 28.3, 29.5, 32.9];
    for l in 1..=5usize {
        let key = level_label(&l.to_string());
        add(
            format!("Verified success, {key} (unadjusted)"),
            &format!("{:.1}%", unadj[l - 1]),
            Some(unadj[l - 1] / 100.0),
            h.get(&key, 1).cloned().unwrap_or_default(),
            Kind::Pct,
        );
    }
    for l in 1..=5usize {
        let key = level_label(&l.to_string());
        let yours = rep
            .adjusted
            .levels
            .iter()
            .find(|a| a.level as usize == l)
            .map(|a| a.adjusted.clone())
            .unwrap_or_else(|| Stat::empty(&rep.adjusted.note));
        add(
            format!("Verified success, {key} (adjusted)"),
            &format!("{:.1}%", adj[l - 1]),
            Some(adj[l - 1] / 100.0),
            yours,
            Kind::Pct,
        );
    }
    let slope = match &rep.adjusted.slope {
        Some(c) => Stat::point(
            c.estimate,
            Some(c.lo),
            Some(c.hi),
            rep.adjusted.n,
            rep.adjusted.users,
        ),
        None => Stat::empty(&rep.adjusted.note),
    };
    add(
        "Verified success per expertise level (adjusted, points)".into(),
        "+3.79 points (s.e. 0.09)",
        Some(0.0379),
        slope,
        Kind::Points,
    );
    for le in &rep.log_effects {
        let (study, sv) = if le.measure.starts_with("actions") {
            ("+9% per level", 0.09)
        } else {
            ("+13% per level", 0.13)
        };
        let yours = match le.pct_per_level {
            Some(p) => Stat::point(p, le.lo, le.hi, le.n, 0),
            None => Stat::empty(&le.note),
        };
        add(
            format!("{} per expertise level (adjusted)", capitalise(&le.measure)),
            study,
            Some(sv),
            yours,
            Kind::Change,
        );
    }
    add(
        "Actions per prompt, Novice (geometric mean)".into(),
        "4.9",
        Some(4.9),
        h.get(&level_label("1"), 4).cloned().unwrap_or_default(),
        Kind::Num,
    );
    add(
        "Actions per prompt, Expert (geometric mean)".into(),
        "11.7",
        Some(11.7),
        h.get(&level_label("5"), 4).cloned().unwrap_or_default(),
        Kind::Num,
    );
    add(
        "Words per prompt, Novice (geometric mean)".into(),
        "about 600",
        Some(600.0),
        h.get(&level_label("1"), 5).cloned().unwrap_or_default(),
        Kind::Num,
    );
    add(
        "Words per prompt, Expert (geometric mean)".into(),
        "about 3,200",
        Some(3200.0),
        h.get(&level_label("5"), 5).cloned().unwrap_or_default(),
        Kind::Num,
    );
    let b = &rep.basics;
    add(
        "Prompts per session (median)".into(),
        "about 4",
        Some(4.0),
        b.get("Prompts per session (median)", 0)
            .cloned()
            .unwrap_or_default(),
        Kind::Num,
    );
    add(
        "Actions per prompt (mean)".into(),
        "about 10",
        Some(10.0),
        b.get("Actions per prompt (mean)", 0)
            .cloned()
            .unwrap_or_default(),
        Kind::Num,
    );
    add(
        "Sessions over 100 actions per prompt".into(),
        "about 2%",
        Some(0.02),
        b.get("Share of sessions over 100 actions per prompt", 0)
            .cloned()
            .unwrap_or_default(),
        Kind::Pct,
    );
    add(
        "Output words per prompt (mean)".into(),
        "about 2,400",
        Some(2400.0),
        b.get("Words per prompt (mean)", 0)
            .cloned()
            .unwrap_or_default(),
        Kind::Num,
    );
    let d = &rep.decisions;
    add(
        "User share of planning decisions".into(),
        "about 70%",
        Some(0.70),
        d.rows[0].cells[0].clone(),
        Kind::Pct,
    );
    add(
        "User share of execution decisions".into(),
        "about 20%",
        Some(0.20),
        d.rows[1].cells[0].clone(),
        Kind::Pct,
    );
    add(
        "Actions per prompt when the user keeps execution control".into(),
        "about 8",
        Some(8.0),
        d.rows[2].cells[1].clone(),
        Kind::Num,
    );
    add(
        "Actions per prompt when the agent controls planning".into(),
        "about 16",
        Some(16.0),
        d.rows[3].cells[1].clone(),
        Kind::Num,
    );
    add(
        "At least partial success, Novice".into(),
        "77%",
        Some(0.77),
        h.get(&level_label("1"), 3).cloned().unwrap_or_default(),
        Kind::Pct,
    );
    let others: Vec<Rec> = rs
        .iter()
        .copied()
        .filter(|r| r.expertise_level.is_some_and(|l| l >= 2))
        .collect();
    add(
        "At least partial success, levels 2-5".into(),
        "91-92%",
        Some(0.915),
        ctx.rate("cmp/ap25", &flags(&others, |r| r.at_least_partial)),
        Kind::Pct,
    );
    let t = &rep.trouble;
    add(
        "Verified success when in trouble, Novice".into(),
        "4%",
        Some(0.04),
        t.get(&level_label("1"), 2).cloned().unwrap_or_default(),
        Kind::Pct,
    );
    add(
        "Verified success when in trouble, Expert".into(),
        "15%",
        Some(0.15),
        t.get(&level_label("5"), 2).cloned().unwrap_or_default(),
        Kind::Pct,
    );
    add(
        "Abandoned when in trouble, Novice".into(),
        "19%",
        Some(0.19),
        t.get(&level_label("1"), 4).cloned().unwrap_or_default(),
        Kind::Pct,
    );
    let troubled_others: Vec<Rec> = others
        .iter()
        .copied()
        .filter(|r| r.hits_trouble == Some(true))
        .collect();
    add(
        "Abandoned when in trouble, levels 2-5".into(),
        "5-7%",
        Some(0.06),
        ctx.rate("cmp/ab25", &flags(&troubled_others, |r| r.abandoned)),
        Kind::Pct,
    );
    let o = &rep.occupation;
    add(
        "Verified success, code-producing, software/math occupation".into(),
        "34%",
        Some(0.34),
        o.get("Software/math", 1).cloned().unwrap_or_default(),
        Kind::Pct,
    );
    add(
        "Verified success, code-producing, other occupations".into(),
        "29%",
        Some(0.29),
        o.get("Other occupations", 1).cloned().unwrap_or_default(),
        Kind::Pct,
    );
    for (m, s) in STUDY_MODES {
        add(
            format!("Work mode share: {m}"),
            &format!("{s:.0}%"),
            Some(s / 100.0),
            rep.work_modes.get(m, 1).cloned().unwrap_or_default(),
            Kind::Pct,
        );
    }
    if let (Some(first), Some(last)) = (rep.months.first(), rep.months.last()) {
        if first != last {
            let col = rep
                .work_mode_trend
                .columns
                .iter()
                .position(|c| c.name == "Fix")
                .unwrap_or(1);
            add(
                format!("Fix share, first month ({first})"),
                "33% (Oct 2025)",
                Some(0.33),
                rep.work_mode_trend
                    .get(first, col)
                    .cloned()
                    .unwrap_or_default(),
                Kind::Pct,
            );
            add(
                format!("Fix share, last month ({last})"),
                "19% (Apr 2026)",
                Some(0.19),
                rep.work_mode_trend
                    .get(last, col)
                    .cloned()
                    .unwrap_or_default(),
                Kind::Pct,
            );
        }
    }
    let c = &rep.consistency;
    add(
        "Judged Succeeded at success signal 1".into(),
        "13%",
        Some(0.13),
        c.get("1", 0).cloned().unwrap_or_default(),
        Kind::Pct,
    );
    add(
        "Judged Succeeded at success signal 5".into(),
        "90%",
        Some(0.90),
        c.get("5", 0).cloned().unwrap_or_default(),
        Kind::Pct,
    );
    add(
        "Judged Succeeded at failure signal 1".into(),
        "85%",
        Some(0.85),
        c.get("1", 1).cloned().unwrap_or_default(),
        Kind::Pct,
    );
    add(
        "Judged Succeeded at failure signal 5".into(),
        "3%",
        Some(0.03),
        c.get("5", 1).cloned().unwrap_or_default(),
        Kind::Pct,
    );
    v
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Work modes in the study's order of frequency (for columns and charts).
pub fn work_modes_in_order() -> Vec<&'static str> {
    let mut v: Vec<&str> = STUDY_MODES.iter().map(|m| m.0).collect();
    for m in WORK_MODES {
        if !v.contains(m) {
            v.push(m);
        }
    }
    v
}
