//! The report as JSON (`agentcensus report --json`).

use crate::analyze::Report;

pub fn render(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips_as_json() {
        let r = crate::analyze::analyze(&[], &Default::default());
        let v: serde_json::Value = serde_json::from_str(&super::render(&r)).unwrap();
        assert_eq!(v["schema_version"], 1);
        assert!(v["headline"]["rows"].is_array());
    }
}
