//! CLI entry: parse arguments, call the library, map errors to exit codes.

use agentcensus::cli::{Cli, Command};
use agentcensus::commands::{self, exit};
use clap::Parser;

fn main() {
    let cli = Cli::parse();
    let g = &cli.global;
    agentcensus::ingest::jsonl::set_max_line(g.max_line_mb.saturating_mul(1024 * 1024));
    agentcensus::store::configure(g);
    if let Some(j) = g.jobs {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(j.max(1))
            .build_global();
    }
    let result = match &cli.command {
        Command::Report(a) => commands::report::run(a, g),
        Command::Sessions(a) => commands::sessions::run(a, g),
        Command::Show(a) => commands::show::run(a, g),
        Command::Eval(a) => commands::eval::run(a, g),
        Command::Export(a) => commands::export::run(a, g),
        Command::Import(a) => commands::import::run(a, g),
        Command::Archive(a) => commands::archive::run(a, g),
        Command::Generate(a) => commands::generate::run(a, g),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(exit::ERROR);
        }
    }
}
