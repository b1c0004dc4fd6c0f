//! The person's own occupation (STUDY.md measure 5a), from side signals only:
//! project context, file and folder names, field vocabulary. Writing code is
//! never itself evidence of a software profession; no side signal: Unclear.

use super::{label, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::{FacetId, Label};

pub struct OccupationUser;

/// Professional-software signal threshold (vocabulary hits + project context).
const SOFTWARE_MIN: u32 = 3;

impl BuiltinFacet for OccupationUser {
    fn id(&self) -> FacetId {
        FacetId::OccupationUser
    }
    fn classify(&self, f: &Features) -> Label {
        if let Some((name, n)) = f.domain_hits.first() {
            if *n >= 3 {
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
        let mut s = f.software_pro;
        let mut reasons = vec![format!("{} professional-software cues", f.software_pro)];
        if f.has_agent_instructions {
            s += 1;
            reasons.push("project keeps agent instructions".into());
        }
        let ev = &f.measured().evidence;
        if ev.prs > 0 || ev.pushes > 0 || ev.commits > 0 {
            s += 1;
            reasons.push("works in a version-controlled project with commits or pushes".into());
        }
        if f.tech_terms >= 6 {
            s += 1;
            reasons.push(format!("{} practitioner terms", f.tech_terms));
        }
        if s >= SOFTWARE_MIN {
            label(
                "Computer and Mathematical",
                0.35 + 0.05 * s.min(8) as f32,
                reasons,
            )
        } else {
            label(
                "Unclear",
                0.5,
                vec!["no side signal about the person's profession".into()],
            )
        }
    }
}
