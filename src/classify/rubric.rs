//! Rubrics: one per facet, written in our own words from STUDY.md, versioned,
//! kept as data (`rubrics/*.md`) so the LLM backends send the same text.
//! OWNER: classifier helper.
