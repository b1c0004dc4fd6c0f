//! OWNER: see DESIGN.md; placeholder.
