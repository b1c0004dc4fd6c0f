//! The HTML report in headless Chromium: it renders with no JavaScript or
//! console errors, and a full-page screenshot is a real picture. Skips with a
//! visible message when /usr/bin/chromium is absent
//! (Debian: `apt-get install -y chromium`).

use agentcensus::analyze::synth::{records, Spec};
use agentcensus::analyze::{analyze, Options};
use agentcensus::report;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let p = PathBuf::from(CHROMIUM);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED {test}: {CHROMIUM} is absent (apt-get install -y chromium)");
        None
    }
}

/// Runs Chromium headless with the flags from docs/report.md; kills it if it
/// has not finished after two minutes (a safeguard, not an assertion).
fn run_chromium(bin: &Path, extra: &[String], url: &str) -> Output {
    let profile = tempdir("chromium-profile");
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(url);
    // Output goes to files: a pipe would fill up (the DOM is larger than a
    // pipe buffer) and block Chromium until it is read.
    let out_path = profile.join("stdout.txt");
    let err_path = profile.join("stderr.txt");
    cmd.stdout(Stdio::from(std::fs::File::create(&out_path).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&err_path).unwrap()));
    let mut child = cmd.spawn().expect("start chromium");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = child.wait().expect("chromium status");
    Output {
        status,
        stdout: std::fs::read(&out_path).unwrap_or_default(),
        stderr: std::fs::read(&err_path).unwrap_or_default(),
    }
}

fn tempdir(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let k = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{name}-{}-{k}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write_report(name: &str, spec: &Spec) -> PathBuf {
    let rep = analyze(
        &records(spec),
        &Options {
            title: "agentcensus report (synthetic test data)".into(),
            reps: 300,
            generated: Some("2026-05-01T09:00:00Z".into()),
            ..Default::default()
        },
    );
    let p = tempdir("html").join(format!("{name}.html"));
    std::fs::write(&p, report::html::render(&rep)).unwrap();
    p
}

fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .filter(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("error") || l.contains("uncaught")
        })
        .collect()
}

fn check_page(test: &str, spec: &Spec) {
    let Some(bin) = chromium_or_skip(test) else {
        return;
    };
    let page = write_report(test, spec);
    let url = format!("file://{}", page.display());

    // 1. The DOM after scripts ran: our error catcher is empty, the final
    // script ran, and the charts are there.
    let out = run_chromium(&bin, &["--dump-dom".into()], &url);
    let dom = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        dom.contains("data-rendered=\"1\""),
        "page did not finish rendering:\n{stderr}"
    );
    assert!(
        dom.contains("<pre id=\"js-errors\" hidden=\"\"></pre>"),
        "JavaScript errors recorded in the page"
    );
    assert!(dom.matches("<svg").count() >= 6, "charts missing");
    let errs = console_errors(&stderr);
    assert!(errs.is_empty(), "console errors: {errs:#?}");

    // 2. A full-page screenshot that is a real picture.
    let png = page.with_extension("png");
    let _ = std::fs::remove_file(&png);
    let out = run_chromium(
        &bin,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,4000".into(),
        ],
        &url,
    );
    let bytes = std::fs::read(&png).unwrap_or_else(|e| {
        panic!(
            "no screenshot at {} ({e}):\n{}",
            png.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (1280, 4000));
    // A blank page of this size compresses to a few kilobytes; tables,
    // text and charts do not.
    assert!(
        bytes.len() > 60_000,
        "screenshot looks empty: {} bytes",
        bytes.len()
    );
    eprintln!("screenshot: {} ({} bytes)", png.display(), bytes.len());
}

/// The checks above can fail: a page with a script error is caught both by
/// the in-page error catcher and in Chromium's console log.
#[test]
fn a_script_error_is_detected() {
    let Some(bin) = chromium_or_skip("a_script_error_is_detected") else {
        return;
    };
    let page = write_report(
        "broken",
        &Spec {
            users: 1,
            sessions_per_user: 10,
            ..Default::default()
        },
    );
    let html = std::fs::read_to_string(&page).unwrap();
    let broken = html.replacen(
        "</main>",
        "<script>notDefinedAnywhere();</script></main>",
        1,
    );
    std::fs::write(&page, broken).unwrap();
    let out = run_chromium(
        &bin,
        &["--dump-dom".into()],
        &format!("file://{}", page.display()),
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("notDefinedAnywhere"),
        "error catcher saw nothing"
    );
    assert!(!dom.contains("<pre id=\"js-errors\" hidden=\"\"></pre>"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !console_errors(&stderr).is_empty(),
        "console log shows no error:\n{stderr}"
    );
}

#[test]
fn multi_person_report_renders_in_chromium() {
    check_page(
        "multi_person_report_renders_in_chromium",
        &Spec {
            users: 60,
            sessions_per_user: 30,
            ..Default::default()
        },
    );
}

#[test]
fn one_person_report_renders_in_chromium() {
    check_page(
        "one_person_report_renders_in_chromium",
        &Spec {
            users: 1,
            sessions_per_user: 80,
            ..Default::default()
        },
    );
}
