//! Work mode (STUDY.md measure 1): where the bulk of the session's work went.
//! Two views are combined: what the person asked for (cue words in prompts,
//! the first prompt counting double) and what the agent actually did (kinds of
//! files changed, kinds of commands run, reading without changing).

use super::{label, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::builtin::lexicon::cmd;
use crate::classify::rubric::WORK_MODES;
use crate::classify::{FacetId, Label};

pub struct WorkMode;

const PLAN: usize = 0;
const BUILD: usize = 1;
const FIX: usize = 2;
const UNDERSTAND: usize = 3;
const TEST: usize = 4;
const OPERATE: usize = 5;
const ANALYZE: usize = 6;
const ORCHESTRATE: usize = 7;
const COMMUNICATE: usize = 8;

/// Base rates (STUDY.md work-mode shares) as a weak prior.
const PRIOR: [f32; 9] = [0.07, 0.25, 0.26, 0.07, 0.02, 0.17, 0.03, 0.03, 0.10];

/// Action view: how much of the agent's work looked like each mode.
fn action_scores(f: &Features) -> [f32; 9] {
    let mut a = [0f32; 9];
    let c = &f.changed;
    let cm = &f.cmds;
    let files = f.files_changed() as f32;
    // Lines written count for Build only in proportion to code among the changes.
    let code_share = if files > 0.0 {
        (c.code + c.tests) as f32 / files
    } else {
        0.0
    };
    a[BUILD] += 2.0 * c.code as f32 + code_share * (f.lines_added as f32 / 80.0).min(6.0);
    a[TEST] += 2.5 * c.tests as f32 + 0.5 * cm[cmd::TEST].min(6) as f32;
    // Commands that are neither tests, builds, data work nor looking around:
    // running and looking after the system.
    let other_shell = f.shell.saturating_sub(
        cm[cmd::TEST] + cm[cmd::BUILD] + cm[cmd::DATA] + cm[cmd::EXPLORE] + cm[cmd::GIT],
    );
    a[OPERATE] += 2.0 * c.ci_infra as f32
        + 1.5 * c.config as f32
        + 1.0 * cm[cmd::INSTALL] as f32
        + 1.0 * cm[cmd::INFRA] as f32
        + 0.4 * cm[cmd::SYSADMIN] as f32
        + 0.3 * cm[cmd::GIT].min(10) as f32
        + 0.2 * other_shell.min(10) as f32;
    a[ANALYZE] += 2.0 * c.data as f32 + 2.5 * f.read_kinds.data as f32 + 0.7 * cm[cmd::DATA] as f32;
    a[ORCHESTRATE] += 3.0 * c.agent_config as f32;
    a[COMMUNICATE] += 2.0 * c.docs as f32;
    // Reading and searching rather than changing: understanding (or planning).
    let look = (f.reads + f.searches) as f32 + 0.5 * cm[cmd::EXPLORE] as f32;
    a[UNDERSTAND] += look.min(12.0) / (1.0 + files);
    if files == 0.0 {
        a[PLAN] += 3.0 * f.plan_tools as f32;
    }
    // Repair loops: errors after changes, pasted errors.
    a[FIX] += 1.5 * f.pasted_errors as f32 + 0.3 * f.errors_after_last_change as f32;
    // Code written in answer to a report of breakage is a repair, not a build:
    // when the opening request is about something broken, the code work counts
    // (mostly) as Fix ("fix it and add a test" is still a fix).
    if f.first_cues[FIX] {
        let share = if f.first_cues[BUILD] { 0.6 } else { 0.8 };
        a[FIX] += share * a[BUILD];
        a[BUILD] *= 1.0 - share;
    }
    a
}

pub fn scores(f: &Features) -> [f32; 9] {
    let cues = f.mode_cues;
    let cue_sum: f32 = cues.iter().sum();
    let act = action_scores(f);
    let act_sum: f32 = act.iter().sum();
    // Shares with smoothing: one cue word or one action is weak evidence.
    let mut s = [0f32; 9];
    for m in 0..9 {
        let cue = cues[m] / (cue_sum + 2.0);
        let a = act[m] / (act_sum + 3.0);
        s[m] = 0.45 * cue + 0.55 * a + 0.3 * PRIOR[m];
    }
    // A first prompt about breakage makes Fix likely even when code is written.
    if f.pasted_errors > 0 {
        s[FIX] += 0.1;
    }
    s
}

impl BuiltinFacet for WorkMode {
    fn id(&self) -> FacetId {
        FacetId::WorkMode
    }
    fn classify(&self, f: &Features) -> Label {
        let s = scores(f);
        let mut order: Vec<usize> = (0..9).collect();
        order.sort_by(|a, b| s[*b].total_cmp(&s[*a]).then(a.cmp(b)));
        let best = order[0];
        let second = order[1];
        let margin = s[best] - s[second];
        let mut reasons = Vec::new();
        let c = &f.changed;
        let files = [
            (c.code, "code"),
            (c.tests, "test"),
            (c.ci_infra, "CI/infra"),
            (c.config, "config"),
            (c.docs, "docs/prose"),
            (c.data, "data/notebook"),
            (c.agent_config, "agent-instruction"),
            (c.other, "other"),
        ];
        let touched: Vec<String> = files
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, k)| format!("{n} {k}"))
            .collect();
        if touched.is_empty() {
            reasons.push(format!(
                "no files changed; {} reads/searches",
                f.reads + f.searches
            ));
        } else {
            reasons.push(format!("files changed: {}", touched.join(", ")));
        }
        let cm = &f.cmds;
        let cmds = [
            (cm[cmd::TEST], "test"),
            (cm[cmd::BUILD], "build"),
            (cm[cmd::GIT], "git"),
            (cm[cmd::INSTALL], "install"),
            (cm[cmd::INFRA], "deploy/service"),
            (cm[cmd::SYSADMIN], "system"),
            (cm[cmd::DATA], "data"),
        ];
        let ran: Vec<String> = cmds
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, k)| format!("{n} {k}"))
            .collect();
        if !ran.is_empty() {
            reasons.push(format!("commands run: {}", ran.join(", ")));
        }
        if f.mode_cues[best] > 0.0 {
            reasons.push(format!(
                "the person's requests use {} vocabulary",
                WORK_MODES[best].to_lowercase()
            ));
        }
        reasons.push(format!("runner-up: {}", WORK_MODES[second]));
        let conf = 0.35 + (margin * 2.0).min(0.5);
        label(WORK_MODES[best], conf, reasons)
    }
}
