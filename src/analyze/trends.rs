//! Monthly trends: work-mode shares month by month (the study's Fix share
//! fell from 33% to 19% between October 2025 and April 2026).

use super::cells::{Ctx, Stat};
use super::{work_modes_in_order, Kind, Rec, Table};
#[cfg(test)]
use crate::record::SessionRecord;

/// Rows = months, columns = classified sessions, then each work mode's share
/// of that month's classified sessions.
pub fn mode_trend(rs: &[Rec], months: &[String], ctx: &Ctx) -> Table {
    let modes = work_modes_in_order();
    let mut cols: Vec<(&str, Kind)> = vec![("Sessions", Kind::Count)];
    cols.extend(modes.iter().map(|m| (*m, Kind::Pct)));
    let mut t = Table::new(
        "work_mode_trend",
        "Work-mode shares by month",
        "Month",
        "Share of the month's classified sessions in each work mode (month of the session \
         start, UTC).",
        &cols,
    );
    for m in months {
        let items: Vec<(u32, &str)> = rs
            .iter()
            .filter(|r| r.month.as_deref() == Some(m.as_str()))
            .filter_map(|r| r.work_mode.as_deref().map(|w| (r.u, w)))
            .collect();
        let mut cells: Vec<Stat> = vec![ctx.count(&items.iter().map(|i| i.0).collect::<Vec<_>>())];
        for mode in &modes {
            let flags: Vec<(u32, bool)> = items.iter().map(|i| (i.0, i.1 == *mode)).collect();
            cells.push(ctx.share(&format!("trend/{m}/{mode}"), &flags));
        }
        t.push(m.clone(), cells);
    }
    t
}

/// A column of a trend table as (month, value) points, skipping empty or
/// suppressed months.
pub fn series(t: &Table, col: usize) -> Vec<(String, Option<f64>)> {
    t.rows
        .iter()
        .map(|r| (r.label.clone(), r.cells.get(col).and_then(|c| c.value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::threshold::Thresholds;

    #[test]
    fn fix_share_by_month() {
        let mk = |m: &str, mode: &str| SessionRecord {
            user: "u".into(),
            month: Some(m.into()),
            work_mode: Some(mode.into()),
            ..Default::default()
        };
        let recs = [
            mk("2026-01", "Fix"),
            mk("2026-01", "Fix"),
            mk("2026-01", "Build"),
            mk("2026-02", "Fix"),
            mk("2026-02", "Build"),
            mk("2026-02", "Build"),
            mk("2026-02", "Build"),
        ];
        let rs: Vec<Rec> = recs.iter().map(|r| Rec { u: 0, r }).collect();
        let ctx = Ctx::new(Thresholds::for_people(1, 5, 15), 1);
        let t = mode_trend(&rs, &["2026-01".into(), "2026-02".into()], &ctx);
        let fix = t.columns.iter().position(|c| c.name == "Fix").unwrap();
        let s = series(&t, fix);
        assert!((s[0].1.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((s[1].1.unwrap() - 0.25).abs() < 1e-12);
        assert_eq!(t.rows[1].cells[0].value, Some(4.0));
    }
}
