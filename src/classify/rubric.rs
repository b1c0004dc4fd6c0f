//! Rubrics: one per facet, written in our own words from STUDY.md, versioned,
//! kept as data (`rubrics/<facet>.md`) so the LLM backends send the same text
//! the builtin backend documents. Label sets are the study's (facts).
//! OWNER of the texts: classifier helper.

use super::FacetId;

pub struct Rubric {
    pub facet: FacetId,
    /// Bumped whenever the text or label set changes (cache keys include it).
    pub version: &'static str,
    /// The closed label set, exactly as answers must spell them.
    pub labels: &'static [&'static str],
    /// The rubric text (Markdown), in our own words.
    pub text: &'static str,
}

pub const WORK_MODES: &[&str] = &[
    "Plan",
    "Build",
    "Fix",
    "Understand",
    "Test",
    "Operate",
    "Analyze",
    "Orchestrate",
    "Communicate",
];
pub const CODEBASE: &[&str] = &["modify_existing", "explore", "create_new", "no_codebase"];
pub const EXPERTISE: &[&str] = &["1", "2", "3", "4", "5", "Unclear"];
pub const OUTCOMES: &[&str] = &[
    "Succeeded",
    "Partially Succeeded",
    "Failed",
    "No clear goal",
];
pub const SIGNAL: &[&str] = &["NONE", "1", "2", "3", "4", "5"];
/// The 23 US SOC major groups (2018), by title, followed by any extra labels.
macro_rules! soc_groups {
    ($($extra:literal),*) => {
        &[
    "Management",
    "Business and Financial Operations",
    "Computer and Mathematical",
    "Architecture and Engineering",
    "Life, Physical, and Social Science",
    "Community and Social Service",
    "Legal",
    "Educational Instruction and Library",
    "Arts, Design, Entertainment, Sports, and Media",
    "Healthcare Practitioners and Technical",
    "Healthcare Support",
    "Protective Service",
    "Food Preparation and Serving Related",
    "Building and Grounds Cleaning and Maintenance",
    "Personal Care and Service",
    "Sales and Related",
    "Office and Administrative Support",
    "Farming, Fishing, and Forestry",
    "Construction and Extraction",
    "Installation, Maintenance, and Repair",
    "Production",
    "Transportation and Material Moving",
    "Military Specific",
            $($extra,)*
        ]
    };
}
/// The 23 US SOC major groups (2018), by title.
pub const SOC_GROUPS: &[&str] = soc_groups!();
/// SOC groups plus "Unclear" (the user-occupation facet only).
pub const SOC_OR_UNCLEAR: &[&str] = soc_groups!("Unclear");
/// Decision attribution answers a structured list, not one label.
pub const DECISIONS: &[&str] = &[];

/// Version of the whole rubric set (recorded with every label).
pub const RUBRIC_SET_VERSION: &str = "2";

static RUBRICS: [Rubric; 9] = [
    Rubric {
        facet: FacetId::WorkMode,
        version: "2",
        labels: WORK_MODES,
        text: include_str!("../../rubrics/work_mode.md"),
    },
    Rubric {
        facet: FacetId::Codebase,
        version: "2",
        labels: CODEBASE,
        text: include_str!("../../rubrics/codebase.md"),
    },
    Rubric {
        facet: FacetId::Decisions,
        version: "2",
        labels: DECISIONS,
        text: include_str!("../../rubrics/decisions.md"),
    },
    Rubric {
        facet: FacetId::Expertise,
        version: "2",
        labels: EXPERTISE,
        text: include_str!("../../rubrics/expertise.md"),
    },
    Rubric {
        facet: FacetId::OccupationUser,
        version: "2",
        labels: SOC_OR_UNCLEAR,
        text: include_str!("../../rubrics/occupation_user.md"),
    },
    Rubric {
        facet: FacetId::OccupationWork,
        version: "2",
        labels: SOC_GROUPS,
        text: include_str!("../../rubrics/occupation_work.md"),
    },
    Rubric {
        facet: FacetId::Outcome,
        version: "2",
        labels: OUTCOMES,
        text: include_str!("../../rubrics/outcome.md"),
    },
    Rubric {
        facet: FacetId::SuccessSignal,
        version: "2",
        labels: SIGNAL,
        text: include_str!("../../rubrics/success_signal.md"),
    },
    Rubric {
        facet: FacetId::FailureSignal,
        version: "2",
        labels: SIGNAL,
        text: include_str!("../../rubrics/failure_signal.md"),
    },
];

pub fn rubric(f: FacetId) -> &'static Rubric {
    RUBRICS
        .iter()
        .find(|r| r.facet == f)
        .expect("every facet has a rubric")
}

pub fn all() -> &'static [Rubric] {
    &RUBRICS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rubric_has_text_naming_its_labels() {
        for r in all() {
            assert!(!r.text.trim().is_empty(), "{:?} has no text", r.facet);
            let head = format!("rubric: {}, version {}", r.facet.as_str(), r.version);
            assert!(
                r.text.contains(&head),
                "{:?}: header must carry the version",
                r.facet
            );
            for l in r.labels {
                assert!(r.text.contains(l), "{:?}: label {l} not defined", r.facet);
            }
        }
        let d = rubric(FacetId::Decisions).text;
        for w in ["planning", "execution", "user", "agent", "what"] {
            assert!(d.contains(w));
        }
    }
}

#[cfg(test)]
mod soc_tests {
    #[test]
    fn soc_label_sets() {
        assert_eq!(super::SOC_GROUPS.len(), 23);
        assert_eq!(super::SOC_OR_UNCLEAR.len(), 24);
        assert_eq!(super::SOC_OR_UNCLEAR[..23], *super::SOC_GROUPS);
        assert_eq!(super::SOC_OR_UNCLEAR[23], "Unclear");
    }
}
