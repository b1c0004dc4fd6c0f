//! The terminal summary: the headline table first, then the rest, compact,
//! plain text (no colour, so NO_COLOR and pipes need nothing special).

use super::{fmt_ci, fmt_num, fmt_value, thousands};
use crate::analyze::cells::Stat;
use crate::analyze::{Kind, Report, Table};

/// Pads columns to a common width: first column left-aligned, others right.
pub fn grid(rows: &[Vec<String>]) -> String {
    let ncol = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut w = vec![0; ncol];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            let pad = w[i] - c.chars().count();
            if i == 0 {
                line.push_str(c);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(c);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn cell(s: &Stat, kind: Kind, ci: bool) -> String {
    let v = fmt_value(s, kind);
    if ci && !s.suppressed {
        let c = fmt_ci(s, kind);
        if !c.is_empty() {
            return format!("{v} {c}");
        }
    }
    v
}

/// A table as text; `ci` adds intervals, `n` adds each cell's sample size.
pub fn table(t: &Table, ci: bool, n: bool) -> String {
    let mut rows = vec![];
    let mut head = vec![t.row_header.clone()];
    head.extend(t.columns.iter().map(|c| c.name.clone()));
    rows.push(head);
    for r in &t.rows {
        let mut line = vec![r.label.clone()];
        for (s, c) in r.cells.iter().zip(&t.columns) {
            let kind = r.kind.unwrap_or(c.kind);
            let mut x = cell(s, kind, ci && kind != Kind::Count);
            if n && kind != Kind::Count && !s.suppressed {
                if let Some(k) = s.n {
                    if s.value.is_some() {
                        x = format!("{x} (n={})", thousands(k as i64));
                    }
                }
            }
            line.push(x);
        }
        rows.push(line);
    }
    format!("{}\n{}", t.title, grid(&rows))
}

pub fn suppressed_cells(r: &Report) -> usize {
    let mut k = r
        .tables()
        .iter()
        .flat_map(|t| t.rows.iter().flat_map(|row| row.cells.iter()))
        .filter(|s| s.suppressed)
        .count();
    k += r
        .adjusted
        .levels
        .iter()
        .filter(|l| l.adjusted.suppressed)
        .count();
    k
}

pub fn scope_line(r: &Report) -> String {
    let s = &r.scope;
    if s.scope == "all" {
        format!(
            "scope all: {} sessions kept, nothing removed ({} no clear goal excluded from success statistics, {} not classified)",
            thousands(s.analysed as i64),
            s.no_clear_goal_excluded,
            s.not_classified
        )
    } else {
        format!(
            "study scope: {} records; removed {} non-interactive and {} out of scope (IDE/SDK/headless); {} analysed; {} with no clear goal excluded from success statistics; {} not classified",
            thousands(s.records as i64),
            s.non_interactive_removed,
            s.out_of_scope_removed,
            thousands(s.analysed as i64),
            s.no_clear_goal_excluded,
            s.not_classified
        )
    }
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let bar = "=".repeat(r.title.chars().count());
    o.push_str(&format!("{}\n{bar}\n", r.title));
    o.push_str(&format!(
        "{} sessions from {} {}\n",
        thousands(r.scope.analysed as i64),
        r.people_analysed,
        if r.people_analysed == 1 {
            "person"
        } else {
            "people"
        }
    ));
    o.push_str(&scope_line(r));
    o.push('\n');
    o.push_str(&format!(
        "privacy: {} ({} suppressed cells)\n",
        r.thresholds.describe(),
        suppressed_cells(r)
    ));
    let be: Vec<String> = r
        .backends
        .iter()
        .map(|(b, n)| format!("{b}: {n}"))
        .collect();
    let rv: Vec<String> = r
        .rubric_versions
        .iter()
        .map(|(b, n)| format!("{b}: {n}"))
        .collect();
    o.push_str(&format!(
        "classifier: {}; rubric versions: {}; truncated transcripts: {}\n",
        be.join(", "),
        rv.join(", "),
        r.truncation_text(|t| fmt_value(t, Kind::Pct))
    ));
    if r.scope.not_classified == r.scope.analysed && r.scope.analysed > 0 {
        o.push_str(
            "note: no session has labels yet (not classified); label-based figures are empty\n",
        );
    }
    o.push_str(if r.people <= 1 {
        "figures: value [95% interval, sessions resampled]\n\n"
    } else {
        "figures: value [95% interval, people resampled]\n\n"
    });
    o.push_str(&table(&r.headline, true, false));
    o.push('\n');

    // Adjusted rates.
    let a = &r.adjusted;
    o.push_str("Adjusted verified success by expertise (study: +3.79 points per level)\n");
    o.push_str(&format!("controls: {}\n", a.controls));
    match &a.slope {
        Some(c) => o.push_str(&format!(
            "slope: {:+.2} points per level [{:+.2}, {:+.2}], s.e. {:.2} (clustered by {})\n",
            c.estimate * 100.0,
            c.lo * 100.0,
            c.hi * 100.0,
            c.se * 100.0,
            if r.people <= 1 { "session" } else { "user" }
        )),
        None => o.push_str(&format!("slope: not available ({})\n", a.note)),
    }
    if !a.levels.is_empty() {
        let mut rows = vec![vec![
            "Expertise".to_string(),
            "Unadjusted".into(),
            "Adjusted".into(),
            "Step vs base (points)".into(),
        ]];
        for l in &a.levels {
            rows.push(vec![
                l.name.clone(),
                cell(&l.unadjusted, Kind::Pct, false),
                cell(&l.adjusted, Kind::Pct, true),
                match &l.step {
                    Some(c) => format!("{:+.1} (s.e. {:.1})", c.estimate * 100.0, c.se * 100.0),
                    None if Some(l.level) == a.base_level => "base".into(),
                    None => "-".into(),
                },
            ]);
        }
        o.push_str(&grid(&rows));
    }
    if a.slope.is_some() || a.levels.iter().any(|l| l.adjusted.value.is_some()) {
        o.push_str(&format!("{}\n", a.note));
    }
    for le in &r.log_effects {
        match le.pct_per_level {
            Some(p) => o.push_str(&format!(
                "{} per expertise level: {:+.1}% [{:+.1}, {:+.1}] (n={})\n",
                le.measure,
                p * 100.0,
                le.lo.unwrap_or(0.0) * 100.0,
                le.hi.unwrap_or(0.0) * 100.0,
                le.n
            )),
            None => o.push_str(&format!(
                "{} per expertise level: not available ({})\n",
                le.measure, le.note
            )),
        }
    }
    o.push('\n');
    for t in [
        &r.basics,
        &r.evidence,
        &r.work_modes,
        &r.decisions,
        &r.trouble,
        &r.occupation,
        &r.consistency,
        &r.by_agent,
        &r.by_month,
    ] {
        o.push_str(&table(t, false, true));
        o.push('\n');
    }
    // Fix share over months, compact.
    if let Some(fix) = r
        .work_mode_trend
        .columns
        .iter()
        .position(|c| c.name == "Fix")
    {
        if !r.work_mode_trend.rows.is_empty() {
            let pts: Vec<String> = r
                .work_mode_trend
                .rows
                .iter()
                .map(|row| format!("{} {}", row.label, fmt_value(&row.cells[fix], Kind::Pct)))
                .collect();
            o.push_str(&format!("Fix share by month: {}\n\n", pts.join(", ")));
        }
    }
    // Side by side with the study.
    let mut rows = vec![vec![
        "Your sessions next to the study".to_string(),
        "Study".into(),
        "Yours [95% interval]".into(),
        "n".into(),
    ]];
    for c in &r.comparison {
        rows.push(vec![
            c.measure.clone(),
            c.study.clone(),
            if c.yours.value.is_none() && !c.yours.suppressed {
                "-".into()
            } else {
                cell(&c.yours, c.kind, true)
            },
            c.yours
                .n
                .filter(|_| c.yours.value.is_some())
                .map(|n| thousands(n as i64))
                .unwrap_or_default(),
        ]);
    }
    o.push_str(&grid(&rows));
    o
}

/// Formats a number for callers outside (keeps imports in one place).
pub fn num(v: f64, kind: Kind) -> String {
    fmt_num(v, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_aligns_columns() {
        let g = grid(&[
            vec!["a".into(), "1".into()],
            vec!["long".into(), "100".into()],
        ]);
        assert_eq!(g, "a       1\nlong  100\n");
    }
}
