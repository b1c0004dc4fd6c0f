//! `agentcensus show SESSION`: one session's record, measures, evidence and
//! every label with its confidence and reasons (`--json` for a machine). The
//! session is named by its id or a unique prefix, searched over the given
//! PATHs or the agents' default locations. No prompt text is printed.

use crate::classify::{FacetId, Labels};
use crate::cli::{Global, ShowArgs};
use crate::discover::Request;
use crate::measure::Measured;
use crate::pipeline;
use crate::record::SessionRecord;
use std::fmt::Write;

pub struct Found {
    pub record: SessionRecord,
    pub measured: Measured,
    pub labels: Labels,
    /// The builtin backend's features (what its rules looked at), for `--json`.
    pub features: serde_json::Value,
}

pub fn run(args: &ShowArgs, g: &Global) -> anyhow::Result<i32> {
    let diag = super::diagnostics(g);
    let backend = super::backend(&args.backend, g)?;
    let req = Request {
        paths: &args.input.paths,
        users: &args.input.users,
        users_by_folder: args.input.users_by_folder,
    };
    let plan = pipeline::plan(&req, &diag);
    if plan.units.is_empty() {
        eprintln!(
            "no sessions found (looked in: {})",
            super::sessions::looked(&plan)
        );
        return Ok(super::exit::NOTHING);
    }
    let want = args.session.trim();
    if want.is_empty() {
        anyhow::bail!("give a session id or a prefix of one");
    }
    // Only the wanted session is classified (an LLM backend is asked about it alone).
    let filter = pipeline::Filter {
        session_ids: Some(vec![want.to_string()]),
        ..super::filter(&args.input)
    };
    let mut found: Vec<Found> = pipeline::process(
        &plan,
        &plan.units,
        backend.as_ref(),
        &filter,
        &diag,
        g.quiet,
        |p| {
            p.session.id.starts_with(want).then(|| Found {
                record: p.record.clone(),
                measured: p.measured.clone(),
                labels: p.labels.clone(),
                features: serde_json::to_value(
                    crate::classify::builtin::features::Features::compute(p.session, p.measured),
                )
                .unwrap_or_default(),
            })
        },
    );
    // An exact id wins over longer ids that share it as a prefix.
    if found.iter().any(|f| f.record.session_id == want) {
        found.retain(|f| f.record.session_id == want);
    }
    let mut ids: Vec<&str> = found.iter().map(|f| f.record.session_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    match ids.len() {
        0 => {
            eprintln!(
                "no session id starts with '{want}' (looked in: {})",
                super::sessions::looked(&plan)
            );
            return Ok(super::exit::NOTHING);
        }
        1 => {}
        n => {
            eprintln!("'{want}' matches {n} sessions; give more of the id:");
            for id in ids.iter().take(20) {
                eprintln!("  {id}");
            }
            return Ok(super::exit::USAGE);
        }
    }
    // The same id may come from a resumed session in several units: show the first.
    let f = &found[0];
    if args.json {
        println!("{}", serde_json::to_string_pretty(&to_json(f))?);
    } else {
        print!("{}", render(f));
    }
    Ok(super::exit::OK)
}

pub fn to_json(f: &Found) -> serde_json::Value {
    serde_json::json!({
        "record": f.record,
        "measures": f.measured.measures,
        "evidence": f.measured.evidence,
        "labels": f.labels,
        "builtin_features": f.features,
    })
}

fn opt<T: std::fmt::Display>(x: &Option<T>) -> String {
    x.as_ref()
        .map(|v| v.to_string())
        .unwrap_or_else(|| "-".into())
}

pub fn render(f: &Found) -> String {
    let r = &f.record;
    let ms = &f.measured.measures;
    let ev = &f.measured.evidence;
    let mut s = String::new();
    let _ = writeln!(s, "session   {}", r.session_id);
    let _ = writeln!(
        s,
        "agent     {} {}   surface {}   interactive {}   in study scope {}",
        r.agent,
        r.agent_version.as_deref().unwrap_or(""),
        r.surface,
        r.interactive,
        r.in_study_scope
    );
    let _ = writeln!(
        s,
        "project   {}   month {}   start {}   end {}",
        r.project.as_deref().unwrap_or("-"),
        r.month.as_deref().unwrap_or("-"),
        r.start.as_deref().unwrap_or("-"),
        r.end.as_deref().unwrap_or("-")
    );
    if !r.models.is_empty() {
        let _ = writeln!(s, "models    {}", r.models);
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "measures");
    let _ = writeln!(
        s,
        "  prompts {}   actions {} ({} ok)   actions/prompt {}   model calls {}",
        ms.human_prompts,
        ms.actions,
        ms.successful_actions,
        ms.actions_per_prompt
            .map(|x| format!("{x:.1}"))
            .unwrap_or_else(|| "-".into()),
        ms.model_calls
    );
    let _ = writeln!(
        s,
        "  output tokens {}   output words {}   words/prompt {}",
        ms.output_tokens,
        ms.output_words,
        ms.words_per_prompt
            .map(|x| format!("{x:.0}"))
            .unwrap_or_else(|| "-".into())
    );
    let _ = writeln!(
        s,
        "  lines +{} -{}   files touched {}   tool errors {}   interruptions {}   compactions {}",
        ms.lines_added,
        ms.lines_removed,
        ms.files_touched,
        ms.tool_errors,
        ms.interruptions,
        ms.compactions
    );
    let _ = writeln!(
        s,
        "  sub-agents {} ({} actions, not counted above)   duration {}",
        ms.subagents,
        ms.subagent_actions,
        ms.duration_s
            .map(|d| format!("{d:.0}s"))
            .unwrap_or_else(|| "-".into())
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "evidence");
    let _ = writeln!(
        s,
        "  test runs {} ({} failed)   tests pass at end {}   pass after last edit {}",
        ev.test_runs,
        ev.test_runs_failed,
        opt(&ev.tests_pass_at_end),
        ev.tests_pass_after_last_edit
    );
    let _ = writeln!(
        s,
        "  builds {}   commits {}   pushes {}   PRs {}   deploys {}   final error unrecovered {}",
        ev.builds, ev.commits, ev.pushes, ev.prs, ev.deploys, ev.final_error_unrecovered
    );
    let _ = writeln!(
        s,
        "  affirmation {}   complaint {}",
        ev.user_affirmation, ev.user_complaint
    );
    for it in &ev.items {
        let _ = writeln!(
            s,
            "  {} turn {:>4}  {:<12} {}",
            if it.positive { "+" } else { "-" },
            it.turn,
            it.kind,
            it.detail
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "labels    backend {}{}   rubric set {}{}",
        f.labels.backend,
        f.labels
            .model
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default(),
        f.labels.rubric_version,
        if f.labels.truncated {
            "   transcript truncated"
        } else {
            ""
        }
    );
    for facet in FacetId::ALL {
        if let Some(l) = f.labels.get(facet) {
            let _ = writeln!(
                s,
                "  {:<16} {:<22} confidence {:.2}",
                facet.as_str(),
                l.value,
                l.confidence
            );
            for reason in &l.reasons {
                let _ = writeln!(s, "      - {reason}");
            }
        }
    }
    if let Some(d) = &f.labels.decisions {
        let share = |x: Option<f64>| {
            x.map(|v| format!("{:.0}%", 100.0 * v))
                .unwrap_or_else(|| "-".into())
        };
        let _ = writeln!(
            s,
            "  {:<16} user planning {}   user execution {}   confidence {:.2}",
            "decisions",
            share(d.user_planning_share),
            share(d.user_execution_share),
            d.confidence
        );
        for reason in &d.reasons {
            let _ = writeln!(s, "      - {reason}");
        }
        for dec in &d.decisions {
            let _ = writeln!(
                s,
                "      {:<9} by {:<5}  {}",
                format!("{:?}", dec.kind).to_lowercase(),
                format!("{:?}", dec.by).to_lowercase(),
                dec.what
            );
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "derived");
    let b = |x: Option<bool>| opt(&x);
    let _ = writeln!(
        s,
        "  verified success {}   judged success {}   at least partial {}   judged failure {}",
        b(r.verified_success),
        b(r.judged_success),
        b(r.at_least_partial),
        b(r.judged_failure)
    );
    let _ = writeln!(
        s,
        "  verified failure {}   hits trouble {}   abandoned {}   code-producing {}",
        b(r.verified_failure),
        b(r.hits_trouble),
        b(r.abandoned),
        r.code_producing
    );
    s
}
