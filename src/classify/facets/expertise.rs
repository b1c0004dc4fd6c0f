//! Expertise (STUDY.md measure 4): the person's expertise at this task, 1-5 or
//! Unclear, from three co-equal signals: setup specificity (practitioner terms
//! and names the person brought in that were not on screen before), the kind
//! of verification asked for (targeted vs generic), and who corrected whom.

use super::{label, BuiltinFacet};
use crate::classify::builtin::features::Features;
use crate::classify::{FacetId, Label};

pub struct Expertise;

pub fn score(f: &Features) -> (f32, Vec<String>) {
    let mut reasons = Vec::new();
    // 1. Setup specificity.
    let per_prompt = |x: u32| x as f32 / f.prompts.max(1) as f32;
    let spec = (f.tech_terms.min(10) as f32 * 0.09)
        + (f.names_own.min(8) as f32 * 0.07)
        + (per_prompt(f.constraints).min(2.0) * 0.15);
    reasons.push(format!(
        "specificity: {} practitioner terms, {} names brought in (not on screen), {} visible names reused",
        f.tech_terms, f.names_own, f.names_visible
    ));
    // 2. Verification type.
    let verify = 0.45 * f.verify_targeted.min(2) as f32 - 0.1 * f.verify_generic.min(2) as f32;
    if f.verify_targeted + f.verify_generic > 0 {
        reasons.push(format!(
            "verification asks: {} targeted, {} generic",
            f.verify_targeted, f.verify_generic
        ));
    }
    // 3. Direction of correction.
    let correct =
        0.3 * f.user_corrects_agent.min(3) as f32 - 0.4 * f.agent_corrects_user.min(2) as f32;
    if f.user_corrects_agent + f.agent_corrects_user > 0 {
        reasons.push(format!(
            "corrections: person corrected agent {}x, agent corrected person {}x",
            f.user_corrects_agent, f.agent_corrects_user
        ));
    }
    let mut s = 2.5 + spec + verify + correct;
    if f.novice_markers > 0 {
        s -= 0.5 * f.novice_markers.min(2) as f32;
        reasons.push(format!("{} statements of not knowing", f.novice_markers));
    }
    if f.prompts <= 2 && f.first_prompt_words < 8 {
        s -= 0.2;
        reasons.push("very short requests".into());
    }
    (s, reasons)
}

impl BuiltinFacet for Expertise {
    fn id(&self) -> FacetId {
        FacetId::Expertise
    }
    fn classify(&self, f: &Features) -> Label {
        // Almost nothing from the person: no basis to judge.
        if f.user_words < 5 || (f.prompts <= 1 && f.user_words < 10 && f.tech_terms == 0) {
            return label(
                "Unclear",
                0.5,
                vec![format!(
                    "the person wrote {} words in {} prompts",
                    f.user_words, f.prompts
                )],
            );
        }
        let (s, reasons) = score(f);
        let lvl = s.round().clamp(1.0, 5.0);
        let frac = (s - s.floor() - 0.5).abs(); // 0.5 = right on a level
        let conf = 0.3 + 0.3 * frac + if f.prompts >= 3 { 0.1 } else { 0.0 };
        label(&format!("{}", lvl as u8), conf, reasons)
    }
}
