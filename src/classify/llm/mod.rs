//! LLM backends (Anthropic Messages API, OpenAI-compatible chat). OWNER: LLM helper.
pub mod cache;
