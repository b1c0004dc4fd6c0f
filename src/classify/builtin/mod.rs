//! The builtin backend: offline, deterministic. OWNER: classifier helper.

use crate::classify::{Backend, Input, Labels};

pub struct Builtin;

impl Backend for Builtin {
    fn name(&self) -> &str {
        "builtin"
    }
    fn classify(&self, _input: &Input) -> anyhow::Result<Labels> {
        Ok(Labels {
            backend: "builtin".into(),
            rubric_version: String::new(),
            ..Default::default()
        })
    }
}
