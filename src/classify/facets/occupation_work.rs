//! Who would normally do the session's work (STUDY.md measure 5b), no Unclear.
//! Software and systems work is Computer and Mathematical; strong field
//! vocabulary with non-engineering work (analysis, prose) points elsewhere.

use super::{label, work_mode, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::{FacetId, Label};

pub struct OccupationWork;

impl BuiltinFacet for OccupationWork {
    fn id(&self) -> FacetId {
        FacetId::OccupationWork
    }
    fn classify(&self, f: &Features) -> Label {
        let s = work_mode::scores(f);
        // Plan (0), Understand (3), Analyze (6) or Communicate (8) leading.
        let best = (0..9).max_by(|a, b| s[*a].total_cmp(&s[*b])).unwrap_or(1);
        let code = f.changed.code + f.changed.tests + f.changed.ci_infra;
        if let Some((name, n)) = f.domain_hits.first() {
            if *n >= 2 && code == 0 && matches!(best, 0 | 3 | 6 | 8) {
                return label(
                    name,
                    0.4,
                    vec![format!(
                        "non-engineering work with {} vocabulary",
                        name.to_lowercase()
                    )],
                );
            }
        }
        let code = code + f.changed.config;
        label(
            "Computer and Mathematical",
            if code > 0 || f.shell > 0 { 0.8 } else { 0.6 },
            vec![format!(
                "software and systems work ({} code/config files changed, {} commands)",
                code, f.shell
            )],
        )
    }
}
