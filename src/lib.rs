//! agentcensus: measure how people work with AI coding agents, from the
//! agents' own session files. See DESIGN.md for the pipeline:
//! discover -> ingest -> Session -> measure -> classify -> SessionRecord ->
//! store -> analyze -> report.

pub mod analyze;
pub mod classify;
pub mod cli;
pub mod commands;
pub mod diag;
pub mod discover;
pub mod examples;
pub mod ingest;
pub mod measure;
pub mod pipeline;
pub mod privacy;
pub mod progress;
pub mod record;
pub mod report;
pub mod session;
pub mod store;
pub mod time;
