//! Whole-file JSON formats respect the size limit (`--max-line-mb`): a file
//! above it is skipped with a warning naming it, and the others are read.
//! Own test binary: the limit is process-wide.

use agentcensus::diag::Diagnostics;
use agentcensus::ingest::{self, jsonl};
use std::path::PathBuf;

#[test]
fn oversized_whole_file_documents_are_skipped_with_a_warning() {
    jsonl::set_max_line(4096);
    let tmp = std::env::temp_dir().join(format!("agentcensus-limits-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let small = tmp.join("small.traj");
    let big = tmp.join("big.traj");
    let step = r#"{"action":"ls","observation":"a b c","thought":"look","state":"{}"}"#;
    let doc = |n: usize| {
        let steps = vec![step; n].join(",");
        format!(
            r#"{{"environment":"swe_main","trajectory":[{steps}],"history":[{{"role":"user","content":"fix it"}}],"info":{{"exit_status":"submitted"}}}}"#
        )
    };
    std::fs::write(&small, doc(3)).unwrap();
    std::fs::write(&big, doc(200)).unwrap();
    let files: Vec<(PathBuf, usize)> = vec![(small.clone(), 0), (big.clone(), 0)];
    let diag = Diagnostics::new(true);
    let (units, unknown) = ingest::plan_units(&files, &diag);
    assert!(unknown.is_empty(), "{unknown:?}");
    let sessions: Vec<_> = units
        .iter()
        .flat_map(|u| ingest::parse_unit(u, &diag))
        .collect();
    let warnings: Vec<String> = diag.take().into_iter().map(|w| w.to_string()).collect();
    let _ = std::fs::remove_dir_all(&tmp);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].tool_calls().count(), 3);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("big.traj") && warnings[0].contains("exceeds the 4096-byte limit"),
        "{warnings:?}"
    );
}
