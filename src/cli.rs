//! Command-line shape (DESIGN.md "Commands").

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "agentcensus", version, about = "Measure how people work with AI coding agents, from the agents' own session files", long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// SQLite store file [default: $XDG_DATA_HOME/agentcensus/agentcensus.sqlite, else ~/.local/share/agentcensus/agentcensus.sqlite]
    #[arg(long, global = true, env = "AGENTCENSUS_STORE")]
    pub store: Option<PathBuf>,
    /// Do not read or write the store (everything in memory, nothing kept)
    #[arg(long, global = true)]
    pub no_store: bool,
    /// Worker threads [default: number of cores]
    #[arg(long, short = 'j', global = true)]
    pub jobs: Option<usize>,
    /// No progress bars or warnings on stderr (errors still print)
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// Skip input lines larger than this many MB (with a warning)
    #[arg(long, global = true, default_value_t = 64)]
    pub max_line_mb: usize,
}

#[derive(Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Session files or folders (default: the agents' own locations)
    pub paths: Vec<PathBuf>,
    /// Name the person behind a path: NAME=PATH (repeatable)
    #[arg(long = "user", value_name = "NAME=PATH", value_parser = parse_user)]
    pub users: Vec<(String, PathBuf)>,
    /// Each immediate subfolder of each path is one person
    #[arg(long)]
    pub users_by_folder: bool,
    /// Only sessions that started on or after this date (YYYY-MM or YYYY-MM-DD)
    #[arg(long)]
    pub since: Option<String>,
    /// Only sessions that started on or before this date (YYYY-MM or YYYY-MM-DD)
    #[arg(long)]
    pub until: Option<String>,
    /// Only this agent (claude-code, codex, ...)
    #[arg(long)]
    pub agent: Option<String>,
    /// Only projects whose name contains this text
    #[arg(long)]
    pub project: Option<String>,
}

fn parse_user(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((n, p)) if !n.is_empty() && !p.is_empty() => Ok((n.to_string(), PathBuf::from(p))),
        _ => Err(format!("expected NAME=PATH, got '{s}'")),
    }
}

#[derive(Args, Debug, Clone)]
pub struct BackendArgs {
    /// Classifier backend: builtin (offline), anthropic, openai
    #[arg(long, default_value = "builtin")]
    pub backend: String,
    /// Model name for LLM backends
    #[arg(long)]
    pub model: Option<String>,
    /// Base URL of an OpenAI-compatible server (or to override the Anthropic endpoint)
    #[arg(long)]
    pub base_url: Option<String>,
    /// Concurrent LLM requests
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Stop after this many LLM requests
    #[arg(long)]
    pub max_requests: Option<u64>,
    /// Stop after this estimated cost in US dollars
    #[arg(long)]
    pub max_cost: Option<f64>,
    /// Per-request timeout in seconds
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
    /// Ignore cached LLM answers
    #[arg(long)]
    pub refresh: bool,
    /// Print exactly what would be sent for one session, send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Cut each turn to this many characters (middle removed)
    #[arg(long, default_value_t = 5000)]
    pub turn_chars: usize,
    /// Cut the whole transcript to this many characters (head and tail kept)
    #[arg(long, default_value_t = 25000)]
    pub transcript_chars: usize,
    /// Environment variable holding the API key [default: ANTHROPIC_API_KEY; OPENAI_API_KEY for api.openai.com]
    #[arg(long, value_name = "VAR")]
    pub api_key_env: Option<String>,
    /// Price for the cost estimate: US$ per million input and output tokens, e.g. 3,15 [default: built-in table]
    #[arg(long, value_name = "IN,OUT")]
    pub price: Option<String>,
}

impl Default for BackendArgs {
    fn default() -> Self {
        BackendArgs {
            backend: "builtin".into(),
            model: None,
            base_url: None,
            concurrency: 4,
            max_requests: None,
            max_cost: None,
            timeout: 120,
            refresh: false,
            dry_run: false,
            turn_chars: 5000,
            transcript_chars: 25000,
            api_key_env: None,
            price: None,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Discover, ingest, measure, classify, store; print the summary and write the HTML report
    Report(ReportArgs),
    /// One line per session with its measures, evidence and labels
    Sessions(SessionsArgs),
    /// One session's record, evidence and reasons
    Show(ShowArgs),
    /// Agreement of a backend with reference labels
    Eval(EvalArgs),
    /// Export stored records as JSON, CSV or Parquet
    Export(ExportArgs),
    /// Import sessions in the normalized session JSONL format
    Import(ImportArgs),
    /// Keep compressed copies of raw transcripts for later re-classification
    Archive(ArchiveArgs),
    /// Write realistic synthetic Claude Code sessions (for scale tests)
    Generate(GenerateArgs),
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub backend: BackendArgs,
    /// Write the HTML report here [default: agentcensus-report.html]
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Do not write the HTML report
    #[arg(long)]
    pub no_html: bool,
    /// Print the report as JSON instead of the terminal summary
    #[arg(long)]
    pub json: bool,
    /// study: interactive cli/desktop/web sessions only; all: everything
    #[arg(long, default_value = "study")]
    pub scope: String,
    /// Minimum distinct users per cell (multi-person reports)
    #[arg(long, default_value_t = 5)]
    pub k_users: usize,
    /// Minimum sessions per cell (multi-person reports)
    #[arg(long, default_value_t = 15)]
    pub k_sessions: usize,
    /// Run on the example sessions shipped with agentcensus
    #[arg(long)]
    pub examples: bool,
    /// Also write the report's tables as CSV files into this folder
    #[arg(long, value_name = "DIR")]
    pub csv: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SessionsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub backend: BackendArgs,
    /// One JSON object per session
    #[arg(long)]
    pub json: bool,
    /// Write each session in the normalized session JSONL format (the input
    /// of `agentcensus import` and of any tool that reads it)
    #[arg(long, conflicts_with = "json")]
    pub normalized: bool,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Session id (or a unique prefix)
    pub session: String,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub backend: BackendArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Reference labels (JSONL, one object per session with session_id)
    #[arg(long)]
    pub labels: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub backend: BackendArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// json, csv or parquet
    #[arg(long, default_value = "json")]
    pub format: String,
    /// Output file (default: standard output for json and csv)
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Normalized session JSONL files
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub backend: BackendArgs,
    /// The person these sessions belong to
    #[arg(long)]
    pub user: Option<String>,
}

#[derive(Args, Debug)]
pub struct ArchiveArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Where to keep the compressed copies [default: next to the store]
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Output folder
    #[arg(long, short = 'o')]
    pub output: PathBuf,
    /// Number of sessions
    #[arg(long, short = 'n', default_value_t = 1000)]
    pub sessions: usize,
    /// Number of people (one subfolder each)
    #[arg(long, default_value_t = 20)]
    pub users: usize,
    /// Random seed
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}
