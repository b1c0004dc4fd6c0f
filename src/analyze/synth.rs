//! Synthetic SessionRecords with known effects, for tests and for trying the
//! report without data. Nothing here comes from real sessions.
//!
//! The generating model: each person has a typical expertise level; each
//! session's verified-success probability is `base + effect * (level - 1)` plus
//! a work-mode effect, and experts do more Build/Operate work (which succeeds
//! more often), so the unadjusted gradient is steeper than `effect`. Actions
//! per prompt grow by `app_growth` per level (multiplicative). The Fix share
//! falls month by month.

use super::intervals::Rng;
use crate::record::SessionRecord;

#[derive(Debug, Clone)]
pub struct Spec {
    pub users: usize,
    pub sessions_per_user: usize,
    pub seed: u64,
    /// Verified-success points per expertise level (true, adjusted effect).
    pub effect: f64,
    /// Multiplicative growth of actions per prompt per level (0.09 = +9%).
    pub app_growth: f64,
    /// Fill the labels (false: records as an unclassified pipeline gives them).
    pub labelled: bool,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            users: 40,
            sessions_per_user: 30,
            seed: 7,
            effect: 0.04,
            app_growth: 0.09,
            labelled: true,
        }
    }
}

const MONTHS: [&str; 7] = [
    "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04",
];

const OCCUPATIONS: [&str; 5] = [
    "Computer and Mathematical",
    "Computer and Mathematical",
    "Life, Physical, and Social Science",
    "Business and Financial Operations",
    "Unclear",
];

/// Mode and its verified-success shift.
fn draw_mode(rng: &mut Rng, month: usize, level: u8) -> (&'static str, f64) {
    // Fix falls from about 33% to 19% across the seven months; experts
    // build and operate more.
    let fix = 0.33 - 0.14 * month as f64 / 6.0;
    let u = rng.unit();
    let tilt = 0.03 * (level as f64 - 3.0);
    let table: [(&str, f64, f64); 9] = [
        ("Fix", fix, -0.04),
        ("Build", 0.25 + tilt, 0.06),
        ("Operate", 0.14 + 0.07 * month as f64 / 6.0 + tilt, 0.05),
        ("Communicate", 0.10, -0.02),
        ("Understand", 0.07, -0.08),
        ("Plan", 0.07, -0.05),
        ("Orchestrate", 0.03, 0.0),
        ("Analyze", 0.03, 0.0),
        ("Test", 0.02, 0.04),
    ];
    let total: f64 = table.iter().map(|t| t.1.max(0.0)).sum();
    let mut acc = 0.0;
    for (m, w, eff) in table {
        acc += w.max(0.0) / total;
        if u < acc {
            return (m, eff);
        }
    }
    ("Fix", -0.04)
}

/// Generates the records (derived fields filled).
pub fn records(spec: &Spec) -> Vec<SessionRecord> {
    let mut rng = Rng::new(spec.seed);
    let mut out = Vec::with_capacity(spec.users * spec.sessions_per_user);
    for u in 0..spec.users {
        let user = format!("u_synth{u:04}");
        let typical = 1 + rng.below(5) as u8;
        let occ_user = OCCUPATIONS[rng.below(OCCUPATIONS.len())];
        let user_eff = 0.05 * rng.normal();
        for k in 0..spec.sessions_per_user {
            let month = rng.below(MONTHS.len());
            let day = 1 + rng.below(28);
            let level = (typical as i32 + [-1, 0, 0, 0, 1][rng.below(5)]).clamp(1, 5) as u8;
            let (mode, mode_eff) = draw_mode(&mut rng, month, level);
            let prompts = 1 + (rng.unit() * 7.0) as u32;
            let log_app = 4.9f64.ln()
                + (1.0 + spec.app_growth).ln() * (level as f64 - 1.0)
                + 0.7 * rng.normal();
            let actions = (log_app.exp() * prompts as f64).round() as u32;
            let wpp = (600.0f64.ln() + 0.3 * (level as f64 - 1.0) + 0.6 * rng.normal()).exp();
            let words = (wpp * prompts as f64).round() as u64;
            let surface = match rng.below(40) {
                0 => "ide",
                1 => "sdk",
                _ => "cli",
            };
            let interactive = surface != "sdk";
            let lines_added = if rng.unit() < 0.7 {
                1 + rng.below(400) as u64
            } else {
                0
            };
            let mut r = SessionRecord {
                session_id: format!("synth-{u:04}-{k:04}"),
                user: user.clone(),
                agent: if rng.unit() < 0.8 {
                    "claude-code"
                } else {
                    "codex"
                }
                .into(),
                surface: surface.into(),
                interactive,
                in_study_scope: interactive && surface == "cli",
                project: Some(format!("project-{}", u % 7)),
                month: Some(MONTHS[month].into()),
                start: Some(format!("{}-{day:02}T10:00:00Z", MONTHS[month])),
                human_prompts: if interactive { prompts } else { 0 },
                actions,
                output_words: words,
                lines_added,
                test_runs: u32::from(rng.unit() < 0.35),
                commits: u32::from(rng.unit() < 0.25),
                prs: u32::from(rng.unit() < 0.05),
                truncated: rng.unit() < 0.12,
                ..Default::default()
            };
            if r.human_prompts > 0 {
                r.actions_per_prompt = Some(actions as f64 / r.human_prompts as f64);
                r.words_per_prompt = Some(words as f64 / r.human_prompts as f64);
            }
            if r.test_runs > 0 {
                r.tests_pass_at_end = Some(rng.unit() < 0.7);
            }
            if spec.labelled {
                label(
                    &mut r, &mut rng, spec, level, mode, mode_eff, user_eff, occ_user,
                );
            } else {
                r.truncated = false;
            }
            r.derive();
            out.push(r);
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn label(
    r: &mut SessionRecord,
    rng: &mut Rng,
    spec: &Spec,
    level: u8,
    mode: &str,
    mode_eff: f64,
    user_eff: f64,
    occ_user: &str,
) {
    r.backend = "builtin".into();
    r.rubric_version = "0".into();
    r.work_mode = Some(mode.into());
    r.occupation_user = Some(occ_user.into());
    r.occupation_work = Some(
        if rng.unit() < 0.85 {
            "Computer and Mathematical"
        } else {
            "Office and Administrative Support"
        }
        .into(),
    );
    r.expertise = Some(if rng.unit() < 0.03 {
        "Unclear".into()
    } else {
        level.to_string()
    });
    let p_verified =
        (0.14 + spec.effect * (level as f64 - 1.0) + mode_eff + user_eff).clamp(0.01, 0.95);
    let (outcome, succ, fail) = if rng.unit() < 0.077 {
        ("No clear goal", "NONE", "NONE")
    } else if rng.unit() < p_verified {
        (
            "Succeeded",
            if rng.unit() < 0.7 { "4" } else { "5" },
            "NONE",
        )
    } else {
        let v = rng.unit();
        let p_fail = (0.25 - 0.04 * level as f64).max(0.03);
        if v < p_fail {
            ("Failed", "1", ["3", "4", "5"][rng.below(3)])
        } else if v < p_fail + 0.25 {
            ("Partially Succeeded", "2", ["1", "2", "3"][rng.below(3)])
        } else if rng.unit() < 0.1 {
            ("Failed", "2", "3")
        } else {
            (
                "Succeeded",
                ["2", "2", "3"][rng.below(3)],
                ["NONE", "1"][rng.below(2)],
            )
        }
    };
    r.outcome = Some(outcome.into());
    r.success_signal = Some(succ.into());
    r.failure_signal = Some(fail.into());
    let plan = (0.72 + 0.2 * rng.normal()).clamp(0.0, 1.0);
    let exec = (0.2 + 0.04 * (level as f64 - 3.0) + 0.18 * rng.normal()).clamp(0.0, 1.0);
    r.user_planning_share = Some((plan * 5.0).round() / 5.0);
    r.user_execution_share = Some((exec * 5.0).round() / 5.0);
    r.decisions = Some(5);
}
