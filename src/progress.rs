//! Progress bars on stderr, hidden when stderr is not a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::OnceLock;

static BAR: OnceLock<std::sync::Mutex<Option<ProgressBar>>> = OnceLock::new();

fn slot() -> &'static std::sync::Mutex<Option<ProgressBar>> {
    BAR.get_or_init(|| std::sync::Mutex::new(None))
}

/// A bar of `len` steps labelled `what`; hidden when stderr is not a
/// terminal or `quiet` is set.
pub fn bar(len: u64, what: &str, quiet: bool) -> ProgressBar {
    let pb = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden())
    } else {
        ProgressBar::new(len)
    };
    let style =
        ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    pb.set_style(style);
    pb.set_message(what.to_string());
    *slot().lock().unwrap_or_else(|e| e.into_inner()) = Some(pb.clone());
    pb
}

/// Prints a line to stderr without tearing an active progress bar.
pub fn println_stderr(line: &str) {
    let guard = slot().lock().unwrap_or_else(|e| e.into_inner());
    match guard.as_ref() {
        Some(pb) if !pb.is_hidden() && !pb.is_finished() => pb.println(line),
        _ => eprintln!("{line}"),
    }
}

/// Sets the message of the active progress bar (e.g. the LLM backends'
/// running cost and request count), if one is showing.
pub fn set_message(msg: &str) {
    let guard = slot().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(pb) = guard.as_ref() {
        if !pb.is_finished() {
            pb.set_message(msg.to_string());
        }
    }
}
