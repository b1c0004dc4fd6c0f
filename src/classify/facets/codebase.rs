//! Codebase relationship (STUDY.md measure 2): modify existing code, explore
//! code, create new code, or no codebase, from what happened to files.
//!
//! - A trivial change (one settings file, a few lines) does not make a session
//!   "modify": it is judged by its reading, like a session that changed nothing.
//! - Version-control work on a repository (commits, merges, submodules) is
//!   work on an existing codebase even when no file was edited.
//! - New files count as "create new" only when there was no existing project
//!   to speak of: few project files read, (almost) none edited.

use super::{label, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::builtin::lexicon::cmd;
use crate::classify::{FacetId, Label};

pub struct Codebase;

/// Project files read (agent instructions and unknown kinds left out).
fn project_reads(f: &Features) -> u32 {
    let r = &f.read_kinds;
    r.code + r.tests + r.ci_infra + r.docs + r.config + r.data
}

impl BuiltinFacet for Codebase {
    fn id(&self) -> FacetId {
        FacetId::Codebase
    }
    fn classify(&self, f: &Features) -> Label {
        let reads = project_reads(f) + f.cmds[cmd::EXPLORE].min(3);
        let changed = f.files_changed();
        let git = f.cmds[cmd::GIT];
        // A one-line settings tweak is trivial; a one-line fix in source is not.
        let c = &f.changed;
        let source = c.code + c.tests + c.ci_infra + c.docs;
        let trivial = changed <= 1 && f.lines_added <= 5 && source == 0;
        if changed == 0 && f.lines_added == 0 || trivial {
            let what = if changed == 0 {
                "nothing changed".to_string()
            } else {
                format!("only a trivial change ({} lines)", f.lines_added)
            };
            if git >= 3 {
                return label(
                    "modify_existing",
                    0.45,
                    vec![format!(
                        "{what}, but {git} git commands on an existing repository"
                    )],
                );
            }
            if reads >= 3 {
                return label(
                    "explore",
                    0.55,
                    vec![format!("{what}; {reads} project files read or listed")],
                );
            }
            return label(
                "no_codebase",
                0.5,
                vec![format!("{what}; {reads} project files read")],
            );
        }
        if f.created_new > 0
            && f.changed_existing * 2 <= f.created_new
            && 2 * project_reads(f) < f.created_new.max(2)
        {
            return label(
                "create_new",
                0.55,
                vec![format!(
                    "{} new files written, {} existing files changed, {} project files read",
                    f.created_new,
                    f.changed_existing,
                    project_reads(f)
                )],
            );
        }
        label(
            "modify_existing",
            if f.changed_existing > 0 { 0.7 } else { 0.5 },
            vec![format!(
                "{} existing files changed, {} new files, {} project files read",
                f.changed_existing,
                f.created_new,
                project_reads(f)
            )],
        )
    }
}
