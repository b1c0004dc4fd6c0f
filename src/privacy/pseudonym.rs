//! Pseudonyms: a keyed hash of a name, stable across runs and merges.

/// The key can be set with `AGENTCENSUS_PSEUDONYM_KEY` so that a company can
/// keep its own (and not share it); the default key keeps pseudonyms stable
/// across machines that did not set one.
pub fn key() -> String {
    std::env::var("AGENTCENSUS_PSEUDONYM_KEY").unwrap_or_else(|_| "agentcensus-v1".to_string())
}

/// `u_` + 12 hex digits of keyed BLAKE3 of `name`.
pub fn pseudonym(name: &str) -> String {
    let k = blake3::hash(key().as_bytes());
    let h = blake3::keyed_hash(k.as_bytes(), name.as_bytes());
    format!("u_{}", &h.to_hex()[..12])
}

#[cfg(test)]
mod tests {
    #[test]
    fn stable_and_distinct() {
        assert_eq!(super::pseudonym("alice"), super::pseudonym("alice"));
        assert_ne!(super::pseudonym("alice"), super::pseudonym("bob"));
        assert_eq!(super::pseudonym("alice").len(), 14);
    }
}
