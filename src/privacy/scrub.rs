//! Scrubber: secrets and personal data become typed placeholders. OWNER: LLM helper.
