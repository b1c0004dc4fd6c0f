//! SQLite store. OWNER: store helper.
