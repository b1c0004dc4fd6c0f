//! The report's tables as CSV (one file per table, `--csv DIR`): value and
//! interval columns for every figure, suppressed cells written as such.

use crate::analyze::{Report, Table};
use std::path::{Path, PathBuf};

fn esc(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x}")).unwrap_or_default()
}

/// One table as CSV text.
pub fn table(t: &Table) -> String {
    let mut out = String::new();
    let mut head = vec![esc(&t.row_header)];
    for c in &t.columns {
        for suffix in ["", " lo", " hi", " n", " status"] {
            head.push(esc(&format!("{}{}", c.name, suffix)));
        }
    }
    out.push_str(&head.join(","));
    out.push('\n');
    for r in &t.rows {
        let mut line = vec![esc(&r.label)];
        for s in &r.cells {
            line.push(num(s.value));
            line.push(num(s.lo));
            line.push(num(s.hi));
            line.push(s.n.map(|n| n.to_string()).unwrap_or_default());
            line.push(esc(&if s.suppressed {
                "suppressed".to_string()
            } else {
                s.note.clone().unwrap_or_default()
            }));
        }
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// The comparison with the study as CSV text.
pub fn comparison(r: &Report) -> String {
    let mut out = String::from("measure,study,study_value,yours,lo,hi,n,status\n");
    for c in &r.comparison {
        let s = &c.yours;
        out.push_str(
            &[
                esc(&c.measure),
                esc(&c.study),
                num(c.study_value),
                num(s.value),
                num(s.lo),
                num(s.hi),
                s.n.map(|n| n.to_string()).unwrap_or_default(),
                esc(&if s.suppressed {
                    "suppressed".to_string()
                } else {
                    s.note.clone().unwrap_or_default()
                }),
            ]
            .join(","),
        );
        out.push('\n');
    }
    out
}

/// Writes every table into `dir` (created if needed); returns the files.
pub fn write_all(r: &Report, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    for t in r.tables() {
        let p = dir.join(format!("{}.csv", t.id));
        std::fs::write(&p, table(t))?;
        files.push(p);
    }
    let p = dir.join("comparison.csv");
    std::fs::write(&p, comparison(r))?;
    files.push(p);
    Ok(files)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_and_has_one_row_per_table_row() {
        assert_eq!(super::esc("a,b"), "\"a,b\"");
        let r = crate::analyze::analyze(&[], &Default::default());
        let t = super::table(&r.headline);
        assert_eq!(t.lines().count(), r.headline.rows.len() + 1);
    }
}
