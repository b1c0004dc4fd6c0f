//! Cell thresholds (k users, k sessions). OWNER: analysis helper.
