//! `agentcensus archive`: compressed copies of the session files, mirrored per
//! person, recorded in the store; unchanged files are not copied again, grown
//! ones are, and copies outlive their sources.

mod common;

use std::path::PathBuf;
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ac-archive-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn archive(store: &std::path::Path, dir: &std::path::Path, data: &std::path::Path) -> String {
    let out = Command::new(common::bin())
        .arg("--store")
        .arg(store)
        .args(["archive", "--users-by-folder", "--dir"])
        .arg(dir)
        .arg(data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn archive_copies_new_and_grown_files_once() {
    let d = tmp("cmd");
    let data = d.join("data");
    agentcensus::commands::generate::generate(&data, 12, 2, 9, true).unwrap();
    let store = d.join("s.sqlite");
    let arch = d.join("arch");
    let files: Vec<PathBuf> = {
        let mut v = Vec::new();
        agentcensus::discover::walk(&data, &agentcensus::diag::Diagnostics::new(true), &mut v);
        v
    };
    let first = archive(&store, &arch, &data);
    assert!(
        first.contains(&format!("archived {} new or changed files", files.len())),
        "{first}"
    );
    assert!(
        first.contains(&arch.canonicalize().unwrap().display().to_string()),
        "{first}"
    );
    // Every copy decompresses to its source, under the person's folder.
    for f in &files {
        let rel = f.strip_prefix(&data).unwrap();
        let mut name = rel.as_os_str().to_owned();
        name.push(".zst");
        let copy = arch.join(name);
        let back = zstd::decode_all(std::fs::File::open(&copy).unwrap()).unwrap();
        assert_eq!(back, std::fs::read(f).unwrap(), "{}", copy.display());
    }
    let again = archive(&store, &arch, &data);
    assert!(again.contains("archived 0 new or changed files"), "{again}");
    assert!(
        again.contains(&format!("{} unchanged", files.len())),
        "{again}"
    );

    // A grown file is copied again; a deleted one keeps its copy.
    let grown = &files[0];
    let mut text = std::fs::read_to_string(grown).unwrap();
    let last = text.lines().last().unwrap().to_string();
    text.push_str(&last);
    text.push('\n');
    std::fs::write(grown, &text).unwrap();
    let gone = &files[1];
    std::fs::remove_file(gone).unwrap();
    let third = archive(&store, &arch, &data);
    assert!(third.contains("archived 1 new or changed files"), "{third}");
    let rel = grown.strip_prefix(&data).unwrap();
    let mut name = rel.as_os_str().to_owned();
    name.push(".zst");
    let back = zstd::decode_all(std::fs::File::open(arch.join(name)).unwrap()).unwrap();
    assert_eq!(back, text.as_bytes());
    let rel = gone.strip_prefix(&data).unwrap();
    let mut name = rel.as_os_str().to_owned();
    name.push(".zst");
    assert!(arch.join(name).is_file());
    assert!(
        third.contains(&format!("holds {} files", files.len())),
        "{third}"
    );
    let _ = std::fs::remove_dir_all(&d);
}
