//! Bad input never panics: every fixture of the other agents' formats,
//! truncated at many points and with bytes corrupted, is given to every one of
//! these formats' parsers (whatever the sniffers say).

use agentcensus::diag::Diagnostics;
use agentcensus::ingest::{self, Format};
use std::path::{Path, PathBuf};

const FORMATS: [&str; 5] = [
    "copilot-cli",
    "aider",
    "openhands",
    "swe-agent",
    "specstory",
];
const DIRS: [&str; 5] = ["copilot", "aider", "openhands", "swe_agent", "specstory"];

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Deterministic pseudo-random numbers (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn variants(data: &[u8], rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut out = vec![Vec::new(), b"\n\n".to_vec(), b"{".to_vec(), b"[".to_vec()];
    let n = data.len().max(1);
    for k in 1..16 {
        out.push(data[..n * k / 16].to_vec());
    }
    for _ in 0..12 {
        let mut d = data.to_vec();
        for _ in 0..4 {
            if !d.is_empty() {
                let i = (rng.next() as usize) % d.len();
                d[i] = (rng.next() & 0xff) as u8;
            }
        }
        out.push(d);
    }
    out
}

#[test]
fn corrupted_fixtures_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let tmp = std::env::temp_dir().join(format!("agentcensus-robust-{}", std::process::id()));
    let fmts = ingest::formats();
    let mine: Vec<&Box<dyn Format>> = fmts
        .iter()
        .filter(|f| FORMATS.contains(&f.name()))
        .collect();
    assert_eq!(mine.len(), FORMATS.len());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut parsed = 0usize;
    for d in DIRS {
        let mut files = Vec::new();
        files_under(&root.join(d), &mut files);
        for f in files {
            let data = std::fs::read(&f).unwrap();
            // Keep the file name and its folder layout (events/<n>.json ...).
            let rel = f.strip_prefix(&root).unwrap();
            for (k, v) in variants(&data, &mut rng).into_iter().enumerate() {
                let target = tmp.join(format!("{k}")).join(rel);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(&target, &v).unwrap();
                for fmt in &mine {
                    let diag = Diagnostics::new(true);
                    let head = &v[..v.len().min(ingest::SNIFF_BYTES)];
                    let _ = fmt.sniff(&target, head);
                    let _ = fmt.unit_key(&target, head);
                    let _ = fmt.parse(std::slice::from_ref(&target), &diag);
                    parsed += 1;
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(parsed > 1000, "{parsed}");
}
