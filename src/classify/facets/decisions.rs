//! Decision attribution (STUDY.md measure 3), offline heuristic (labelled as
//! such): user planning = prompts that set goals, an approach or done-criteria;
//! agent planning = plans the agent proposed (plan tools, approval questions)
//! that the person accepted; execution = which side named the files, code and
//! commands.

use crate::classify::builtin::features::Features;
use crate::classify::{Actor, Decision, DecisionKind, Decisions};

/// Most decisions of one kind and side (keeps long sessions comparable).
const CAP: u32 = 12;

pub fn attribute(f: &Features) -> Decisions {
    let mut list = Vec::new();
    let mut push = |what: String, kind: DecisionKind, by: Actor, n: &mut u32| {
        if *n < CAP {
            list.push(Decision { what, kind, by });
            *n += 1;
        }
    };
    let (mut up, mut ue, mut ap, mut ae) = (0u32, 0u32, 0u32, 0u32);
    for (i, p) in f.prompt_flags.iter().enumerate() {
        let k = i + 1;
        if p.accept || p.words == 0 {
            continue;
        }
        if p.goal || p.approach || p.done || (k == 1 && !p.pasted) {
            let what = if p.approach || p.done {
                format!("prompt {k} sets a goal, approach or done-criterion")
            } else {
                format!("prompt {k} sets a goal")
            };
            push(what, DecisionKind::Planning, Actor::User, &mut up);
        }
        if p.names_own > 0 {
            push(
                format!("prompt {k} names files, code or commands"),
                DecisionKind::Execution,
                Actor::User,
                &mut ue,
            );
        }
    }
    // Planning by the agent: proposals the person accepted (a proposal the
    // person answered with a new request was not taken up), and plans it laid
    // out with a plan tool.
    let accepted = f.agent_plans_accepted;
    for i in 0..accepted {
        push(
            format!("agent proposal {} accepted", i + 1),
            DecisionKind::Planning,
            Actor::Agent,
            &mut ap,
        );
    }
    if f.plan_tools > 0 {
        push(
            "agent laid out the plan".into(),
            DecisionKind::Planning,
            Actor::Agent,
            &mut ap,
        );
    }
    // Requests that set a goal but no approach leave the approach to the agent
    // (one decision per two such requests, when it then did the work).
    let open_goals = f
        .prompt_flags
        .iter()
        .filter(|p| p.goal && !p.approach && !p.done && !p.accept)
        .count() as u32;
    if f.actions > 0 {
        for i in 0..open_goals.div_ceil(2).min(4) {
            push(
                format!("agent chose how to reach the goal (group {})", i + 1),
                DecisionKind::Planning,
                Actor::Agent,
                &mut ap,
            );
        }
    }
    // Execution by the agent: files it chose (grouped by two), commands it chose (by four).
    let files = f.files_chosen_by_agent.div_ceil(2);
    for i in 0..files {
        push(
            format!("agent chose files to change (group {})", i + 1),
            DecisionKind::Execution,
            Actor::Agent,
            &mut ae,
        );
    }
    let agent_cmds = f.shell.saturating_sub(f.cmds_named_by_user);
    for i in 0..agent_cmds.div_ceil(4).min(6) {
        push(
            format!("agent chose commands to run (group {})", i + 1),
            DecisionKind::Execution,
            Actor::Agent,
            &mut ae,
        );
    }
    if files == 0 && agent_cmds == 0 && (f.edits + f.writes) > 0 {
        push(
            "agent chose how to write the change".into(),
            DecisionKind::Execution,
            Actor::Agent,
            &mut ae,
        );
    }
    let mut reasons = vec![format!(
        "{up} planning and {ue} execution decisions by the person; {ap} planning and {ae} execution by the agent (heuristic)"
    )];
    if accepted > 0 {
        reasons.push(format!("{accepted} agent proposals accepted by the person"));
    }
    let conf = if list.len() >= 4 { 0.35 } else { 0.25 };
    Decisions::from_list(list, conf, reasons)
}
