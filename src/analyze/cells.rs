//! Cells: one aggregate over a group of sessions, with the privacy threshold
//! applied and a 95% interval. A suppressed cell keeps its place in every
//! table and says why it is empty.

use super::intervals::{cluster_ratio_interval, quantile, wilson, Rng, BOOT_REPS};
use crate::privacy::threshold::Thresholds;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// A person's key in a cell: a pseudonym (&str) or an interned id (u32).
pub trait Key: Copy + Eq + Hash {}
impl<T: Copy + Eq + Hash> Key for T {}

/// One figure of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stat {
    /// Sessions the figure is computed over (None when suppressed).
    pub n: Option<usize>,
    /// Distinct people among them (None when suppressed).
    pub users: Option<usize>,
    /// The figure (a rate is a fraction 0..1). None: suppressed or no data.
    pub value: Option<f64>,
    /// 95% interval. Means: user-clustered bootstrap (sessions are the
    /// clusters in a one-person report). Rates: the envelope of that
    /// bootstrap interval and the Wilson interval (the bootstrap collapses at
    /// 0% and 100% and in small cells; Wilson ignores clustering).
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    /// 95% Wilson interval (rates only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wilson: Option<[f64; 2]>,
    pub suppressed: bool,
    /// Why the value is missing (suppressed, no sessions, not classified).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Stat {
    pub fn empty(note: &str) -> Self {
        Stat {
            n: Some(0),
            users: Some(0),
            note: Some(note.to_string()),
            ..Default::default()
        }
    }
    fn suppressed(reason: String) -> Self {
        Stat {
            suppressed: true,
            note: Some(format!("suppressed: {reason}")),
            ..Default::default()
        }
    }
    /// A figure computed elsewhere (e.g. an adjusted rate).
    pub fn point(value: f64, lo: Option<f64>, hi: Option<f64>, n: usize, users: usize) -> Self {
        Stat {
            n: Some(n),
            users: Some(users),
            value: Some(value),
            lo,
            hi,
            ..Default::default()
        }
    }
}

/// What the cells of one report share: thresholds, and whether users or
/// sessions are the bootstrap clusters.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub th: Thresholds,
    /// True when the report covers one person: each session is a cluster.
    pub session_clusters: bool,
    pub reps: usize,
}

impl Ctx {
    pub fn new(th: Thresholds, people: usize) -> Self {
        Ctx {
            th,
            session_clusters: people <= 1,
            reps: BOOT_REPS,
        }
    }

    /// The stat to show instead of a value, when the cell is empty or too small.
    fn gate(&self, users: usize, sessions: usize, empty: &str) -> Option<Stat> {
        if sessions == 0 {
            return Some(Stat::empty(empty));
        }
        self.th.suppress(users, sessions).map(Stat::suppressed)
    }

    /// Per-cluster (numerator, denominator) sums.
    /// Clusters in order of first appearance (deterministic for a given
    /// order of records).
    fn clusters<K: Key>(&self, items: impl Iterator<Item = (K, f64, f64)>) -> Vec<(f64, f64)> {
        if self.session_clusters {
            return items.map(|(_, a, b)| (a, b)).collect();
        }
        let mut idx: HashMap<K, usize> = HashMap::new();
        let mut out: Vec<(f64, f64)> = Vec::new();
        for (u, a, b) in items {
            let i = *idx.entry(u).or_insert_with(|| {
                out.push((0.0, 0.0));
                out.len() - 1
            });
            out[i].0 += a;
            out[i].1 += b;
        }
        out
    }

    /// Share of sessions where the flag is true. `items` = (user, flag) for
    /// every session of the cell (the denominator).
    pub fn rate<K: Key>(&self, label: &str, items: &[(K, bool)]) -> Stat {
        let users = distinct(items.iter().map(|i| i.0));
        if let Some(s) = self.gate(users, items.len(), "no sessions") {
            return s;
        }
        let k = items.iter().filter(|i| i.1).count();
        let n = items.len();
        let cl = self.clusters(
            items
                .iter()
                .map(|(u, b)| (*u, f64::from(u8::from(*b)), 1.0)),
        );
        let ci = cluster_ratio_interval(&cl, self.reps, &mut Rng::for_label(label));
        let w = wilson(k as f64, n as f64);
        let lo = match (ci, w) {
            (Some(c), Some(w)) => Some(c.0.min(w.0)),
            (c, w) => c.map(|c| c.0).or(w.map(|w| w.0)),
        };
        let hi = match (ci, w) {
            (Some(c), Some(w)) => Some(c.1.max(w.1)),
            (c, w) => c.map(|c| c.1).or(w.map(|w| w.1)),
        };
        Stat {
            n: Some(n),
            users: Some(users),
            value: Some(k as f64 / n as f64),
            lo,
            hi,
            wilson: w.map(|(a, b)| [a, b]),
            suppressed: false,
            note: None,
        }
    }

    /// A composition share (e.g. the Fix share): besides the denominator,
    /// the sessions in the category are themselves a cell and must pass the
    /// threshold, so a rare category of one or two people is suppressed.
    pub fn share<K: Key>(&self, label: &str, items: &[(K, bool)]) -> Stat {
        let inside: Vec<K> = items.iter().filter(|i| i.1).map(|i| i.0).collect();
        if !inside.is_empty() {
            if let Some(r) = self
                .th
                .suppress(distinct(inside.iter().copied()), inside.len())
            {
                return Stat::suppressed(r);
            }
        }
        self.rate(label, items)
    }

    /// Geometric mean of positive values (`items` = (user, value); values
    /// that are not > 0 are left out by the caller and counted there).
    pub fn geomean<K: Key>(&self, label: &str, items: &[(K, f64)]) -> Stat {
        let items: Vec<(K, f64)> = items.iter().copied().filter(|i| i.1 > 0.0).collect();
        let users = distinct(items.iter().map(|i| i.0));
        if let Some(s) = self.gate(users, items.len(), "no sessions with a value") {
            return s;
        }
        let n = items.len();
        let mean_log = items.iter().map(|i| i.1.ln()).sum::<f64>() / n as f64;
        let cl = self.clusters(items.iter().map(|(u, v)| (*u, v.ln(), 1.0)));
        let ci = cluster_ratio_interval(&cl, self.reps, &mut Rng::for_label(label));
        Stat {
            n: Some(n),
            users: Some(users),
            value: Some(mean_log.exp()),
            lo: ci.map(|c| c.0.exp()),
            hi: ci.map(|c| c.1.exp()),
            ..Default::default()
        }
    }

    /// Arithmetic mean with a clustered bootstrap interval.
    pub fn mean<K: Key>(&self, label: &str, items: &[(K, f64)]) -> Stat {
        let users = distinct(items.iter().map(|i| i.0));
        if let Some(s) = self.gate(users, items.len(), "no sessions with a value") {
            return s;
        }
        let n = items.len();
        let cl = self.clusters(items.iter().map(|(u, v)| (*u, *v, 1.0)));
        let ci = cluster_ratio_interval(&cl, self.reps, &mut Rng::for_label(label));
        Stat {
            n: Some(n),
            users: Some(users),
            value: Some(items.iter().map(|i| i.1).sum::<f64>() / n as f64),
            lo: ci.map(|c| c.0),
            hi: ci.map(|c| c.1),
            ..Default::default()
        }
    }

    /// A percentile of the values (no interval).
    pub fn percentile<K: Key>(&self, items: &[(K, f64)], q: f64) -> Stat {
        let users = distinct(items.iter().map(|i| i.0));
        if let Some(s) = self.gate(users, items.len(), "no sessions with a value") {
            return s;
        }
        let mut v: Vec<f64> = items.iter().map(|i| i.1).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        Stat {
            n: Some(v.len()),
            users: Some(users),
            value: quantile(&v, q),
            ..Default::default()
        }
    }

    /// A plain count of sessions (and people) in a cell.
    pub fn count<K: Key>(&self, users: &[K]) -> Stat {
        if users.is_empty() {
            return Stat {
                n: Some(0),
                users: Some(0),
                value: Some(0.0),
                ..Default::default()
            };
        }
        let u = distinct(users.iter().copied());
        if let Some(s) = self.gate(u, users.len(), "no sessions") {
            return s;
        }
        Stat {
            n: Some(users.len()),
            users: Some(u),
            value: Some(users.len() as f64),
            ..Default::default()
        }
    }
}

const SECONDARY: &str = "suppressed: protects a smaller suppressed cell (secondary suppression)";

fn size(s: &Stat) -> usize {
    s.n.unwrap_or(0)
}

fn hide(s: &mut Stat) {
    if !s.suppressed && s.value.is_some() {
        *s = Stat {
            suppressed: true,
            note: Some(SECONDARY.into()),
            ..Default::default()
        };
    }
}

/// Secondary suppression over rows that partition the sessions (an "All"
/// row or shares that sum to one give the total): when exactly one row has
/// suppressed cells, the smallest other non-empty row is suppressed too, so
/// no suppressed figure can be recovered by subtraction. Applied per column.
pub fn secondary_suppress_rows(t: &mut super::Table) {
    let ncol = t.columns.len();
    for c in 0..ncol {
        let rows: Vec<usize> = (0..t.rows.len())
            .filter(|&i| t.rows[i].label != "All")
            .collect();
        let sup: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| t.rows[i].cells.get(c).is_some_and(|s| s.suppressed))
            .collect();
        if sup.len() != 1 {
            continue;
        }
        let victim = rows
            .iter()
            .copied()
            .filter(|&i| {
                t.rows[i]
                    .cells
                    .get(c)
                    .is_some_and(|s| !s.suppressed && s.value.is_some() && size(s) > 0)
            })
            .min_by_key(|&i| size(&t.rows[i].cells[c]));
        if let Some(v) = victim {
            hide(&mut t.rows[v].cells[c]);
        }
    }
}

/// The same across the columns from `first` on, row by row (e.g. the work
/// modes of one month).
pub fn secondary_suppress_cols(t: &mut super::Table, first: usize) {
    for row in &mut t.rows {
        let idx: Vec<usize> = (first..row.cells.len()).collect();
        let sup = idx.iter().filter(|&&c| row.cells[c].suppressed).count();
        if sup != 1 {
            continue;
        }
        let victim = idx
            .iter()
            .copied()
            .filter(|&c| {
                let s = &row.cells[c];
                !s.suppressed && s.value.is_some_and(|v| v > 0.0)
            })
            .min_by(|&a, &b| {
                let va = row.cells[a].value.unwrap_or(0.0);
                let vb = row.cells[b].value.unwrap_or(0.0);
                va.total_cmp(&vb)
            });
        if let Some(v) = victim {
            hide(&mut row.cells[v]);
        }
    }
}

pub fn distinct<K: Key>(it: impl Iterator<Item = K>) -> usize {
    it.collect::<HashSet<_>>().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(people: usize) -> Ctx {
        Ctx::new(Thresholds::for_people(people, 5, 15), people)
    }

    #[test]
    fn small_cells_are_suppressed_not_dropped() {
        let c = ctx(10);
        let four_people: Vec<(&str, bool)> = ["a", "b", "c", "d"]
            .iter()
            .flat_map(|u| std::iter::repeat_n((*u, true), 10))
            .collect();
        let s = c.rate("x", &four_people);
        assert!(s.suppressed);
        assert_eq!(s.value, None);
        assert_eq!(s.n, None, "a suppressed cell does not reveal its size");
        assert!(s.note.unwrap().contains("5 people"));
        let five: Vec<(&str, bool)> = ["a", "b", "c", "d", "e"]
            .iter()
            .flat_map(|u| [(*u, true), (*u, false), (*u, false)])
            .collect();
        let s = c.rate("x", &five);
        assert!(!s.suppressed);
        assert_eq!(s.n, Some(15));
        assert!((s.value.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        let (lo, hi) = (s.lo.unwrap(), s.hi.unwrap());
        assert!(lo <= 1.0 / 3.0 && 1.0 / 3.0 <= hi);
        // One person: nothing suppressed, sessions are the clusters.
        let one: Vec<(&str, bool)> = (0..6).map(|i| ("a", i % 2 == 0)).collect();
        let s = ctx(1).rate("x", &one);
        assert_eq!(s.value, Some(0.5));
        assert!(s.lo.unwrap() < 0.5 && s.hi.unwrap() > 0.5);
    }

    #[test]
    fn rate_interval_never_collapses_at_zero() {
        let c = ctx(1);
        let none: Vec<(&str, bool)> = (0..20).map(|_| ("a", false)).collect();
        let s = c.rate("z", &none);
        assert_eq!(s.value, Some(0.0));
        assert_eq!(s.lo, Some(0.0));
        assert!(s.hi.unwrap() > 0.15, "Wilson upper bound kept: {s:?}");
    }

    #[test]
    fn rare_categories_are_suppressed_in_shares() {
        let c = ctx(10);
        let items: Vec<(&str, bool)> = (0..40)
            .map(|i| {
                let u = ["a", "b", "c", "d", "e", "f"][i % 6];
                (u, u == "a")
            })
            .collect();
        assert!(c.share("s", &items).suppressed);
        assert!(!c.rate("s", &items).suppressed);
    }

    #[test]
    fn one_suppressed_row_takes_a_second_with_it() {
        use crate::analyze::{Column, Kind, Row, Table};
        let shown = |n: usize| Stat {
            n: Some(n),
            users: Some(9),
            value: Some(n as f64),
            ..Default::default()
        };
        let hidden = Stat {
            suppressed: true,
            ..Default::default()
        };
        let mut t = Table {
            id: "t".into(),
            title: "t".into(),
            note: String::new(),
            row_header: "r".into(),
            columns: vec![Column {
                name: "Sessions".into(),
                kind: Kind::Count,
            }],
            rows: ["a", "b", "c", "All"]
                .iter()
                .zip([shown(40), hidden.clone(), shown(20), shown(70)])
                .map(|(l, s)| Row {
                    label: l.to_string(),
                    cells: vec![s],
                    kind: None,
                })
                .collect(),
        };
        secondary_suppress_rows(&mut t);
        assert!(
            t.rows[2].cells[0].suppressed,
            "the smallest other row goes too"
        );
        assert!(!t.rows[0].cells[0].suppressed);
        assert!(!t.rows[3].cells[0].suppressed, "the total stays");
        // Two suppressed rows already protect each other: nothing changes.
        let before = t.rows.clone();
        secondary_suppress_rows(&mut t);
        assert_eq!(before.len(), t.rows.len());
        assert!(!t.rows[0].cells[0].suppressed);
    }

    #[test]
    fn geometric_mean_and_interval() {
        let c = ctx(1);
        let items = [("a", 2.0), ("a", 8.0), ("a", 0.0), ("a", 4.0)];
        let s = c.geomean("g", &items);
        assert!((s.value.unwrap() - 4.0).abs() < 1e-12);
        assert_eq!(s.n, Some(3), "zeros are left out");
        assert!(s.lo.unwrap() >= 2.0 && s.hi.unwrap() <= 8.0);
        assert_eq!(c.geomean("g", &[("a", 0.0)]).value, None);
    }
}
