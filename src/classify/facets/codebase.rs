//! Codebase relationship (STUDY.md measure 2): modify existing code, explore
//! code, create new code, or no codebase, from what happened to files.

use super::{label, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::builtin::lexicon::cmd;
use crate::classify::{FacetId, Label};

pub struct Codebase;

impl BuiltinFacet for Codebase {
    fn id(&self) -> FacetId {
        FacetId::Codebase
    }
    fn classify(&self, f: &Features) -> Label {
        let project_reads = f.read_kinds.total() + f.searches + f.cmds[cmd::EXPLORE];
        let changed = f.files_changed();
        if changed == 0 && f.lines_added == 0 {
            if project_reads >= 2 || f.read_kinds.code > 0 {
                return label(
                    "explore",
                    0.6,
                    vec![format!(
                        "{project_reads} files read or searched, nothing changed"
                    )],
                );
            }
            return label(
                "no_codebase",
                0.55,
                vec!["no project files read or changed".into()],
            );
        }
        if f.created_new > 0
            && f.created_new >= 2 * f.changed_existing.max(1)
            && f.read_kinds.code <= 1
        {
            return label(
                "create_new",
                0.55,
                vec![format!(
                    "{} new files written, {} existing files changed",
                    f.created_new, f.changed_existing
                )],
            );
        }
        label(
            "modify_existing",
            if f.changed_existing > 0 { 0.7 } else { 0.5 },
            vec![format!(
                "{} existing files changed, {} new files",
                f.changed_existing, f.created_new
            )],
        )
    }
}
