//! The builtin backend: offline, deterministic, fast. Features are computed
//! once per session ([`features::Features`]); every facet reads them and
//! answers with a confidence and reasons that name evidence.

pub mod features;
pub mod lexicon;

use crate::classify::facets::{builtin_facets, decisions};
use crate::classify::rubric::RUBRIC_SET_VERSION;
use crate::classify::{Backend, Input, Labels};
use features::Features;

pub struct Builtin;

impl Builtin {
    /// Labels one session (infallible).
    pub fn label(input: &Input) -> Labels {
        let f = Features::compute(input.session, input.measured);
        let mut labels = Labels {
            backend: "builtin".into(),
            rubric_version: RUBRIC_SET_VERSION.into(),
            ..Default::default()
        };
        for facet in builtin_facets() {
            labels.set(facet.id(), facet.classify(&f));
        }
        labels.decisions = Some(decisions::attribute(&f));
        labels
    }
}

impl Backend for Builtin {
    fn name(&self) -> &str {
        "builtin"
    }
    fn classify(&self, input: &Input) -> anyhow::Result<Labels> {
        Ok(Builtin::label(input))
    }
}
