//! The person's own occupation (STUDY.md measure 5a), from side signals only:
//! project context, file and folder names, field vocabulary. Writing code is
//! never itself evidence of a software profession; no side signal: Unclear.
//!
//! Side signals used (offline approximation): field vocabulary in prompts,
//! project and paths (a SOC group other than software when it dominates);
//! for Computer and Mathematical, signs that the person keeps a software
//! project (source or test files in the project, version-control practice,
//! professional-software vocabulary such as production, releases, pull
//! requests, deploys).

use super::{label, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::builtin::lexicon::cmd;
use crate::classify::{FacetId, Label};

pub struct OccupationUser;

/// Field vocabulary hits needed to name a non-software group.
const DOMAIN_MIN: u32 = 3;

impl BuiltinFacet for OccupationUser {
    fn id(&self) -> FacetId {
        FacetId::OccupationUser
    }
    fn classify(&self, f: &Features) -> Label {
        if let Some((name, n)) = f.domain_hits.first() {
            let in_prompts = f
                .domain_prompt_hits
                .iter()
                .find(|(d, _)| d == name)
                .map_or(0, |(_, k)| *k);
            // The person must speak the field's language, not only keep files in a folder.
            if *n >= DOMAIN_MIN && in_prompts >= 2 {
                return label(
                    name,
                    0.4 + 0.05 * (*n).min(6) as f32,
                    vec![format!(
                        "{n} mentions of {} vocabulary in prompts, project or paths",
                        name.to_lowercase()
                    )],
                );
            }
        }
        let mut reasons = Vec::new();
        let code_files = f.changed.code
            + f.changed.tests
            + f.changed.ci_infra
            + f.read_kinds.code
            + f.read_kinds.tests
            + f.read_kinds.ci_infra;
        if code_files > 0 {
            reasons.push(format!(
                "the project holds source, test or CI files ({code_files} touched)"
            ));
        }
        let git = f.cmds[cmd::GIT];
        if git >= 3 {
            reasons.push(format!("version-control practice ({git} git commands)"));
        }
        if f.software_pro >= 2 {
            reasons.push(format!(
                "{} professional-software cues in prompts or project",
                f.software_pro
            ));
        }
        if reasons.is_empty() {
            return label(
                "Unclear",
                0.5,
                vec!["no side signal about the person's profession".into()],
            );
        }
        let conf = 0.3 + 0.1 * reasons.len() as f32;
        label("Computer and Mathematical", conf, reasons)
    }
}
