//! `agentcensus eval --labels FILE [PATH...]`: agreement of a backend with
//! reference labels. Records are matched to labels by `session_id`. Per facet:
//! n, exact agreement, Cohen's kappa, and for the ordinal scales (expertise,
//! success and failure signal) quadratic-weighted kappa and within-one
//! agreement, plus confusion matrices. Also interactive agreement, human
//! prompts (exact and within one), verified success, user occupation
//! Unclear-versus-known, and the decision shares' mean absolute error.
//!
//! Conventions (shared/labels/README.md): "Unclear" and "NONE" are categories
//! of their own for exact agreement and kappa; within-one is computed on the
//! numeric levels, with Unclear/NONE agreeing only when both sides say it.
//! Sessions whose reference says interactive=false are skipped for every facet
//! except interactive itself.

use crate::classify::{FacetId, Labels};
use crate::cli::{EvalArgs, Global};
use crate::discover::Request;
use crate::pipeline;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// One reference label line (flexible: numbers or strings for levels).
#[derive(Debug, Clone)]
pub struct Reference {
    pub session_id: String,
    pub file: Option<String>,
    pub interactive: bool,
    pub human_prompts: Option<u64>,
    pub facets: BTreeMap<FacetId, String>,
    pub verified_success: Option<bool>,
    pub user_planning_share: Option<f64>,
    pub user_execution_share: Option<f64>,
}

/// Normalises a label value: numbers become "1".."5", strings are trimmed.
fn norm(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Number(n) => Some(
            n.as_f64()
                .map(|x| format!("{}", x.round() as i64))
                .unwrap_or_else(|| n.to_string()),
        ),
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reference field name of each facet.
fn field(f: FacetId) -> &'static str {
    match f {
        FacetId::OccupationUser => "occupation_profile",
        other => other.as_str(),
    }
}

pub fn parse_reference(line: &str) -> anyhow::Result<Reference> {
    let v: Value = serde_json::from_str(line)?;
    let session_id = v
        .get("session_id")
        .and_then(|s| s.as_str())
        .ok_or_else(|| anyhow::anyhow!("no session_id"))?
        .to_string();
    let mut facets = BTreeMap::new();
    for f in FacetId::ALL {
        if f == FacetId::Decisions {
            continue;
        }
        let val = v.get(field(f)).or_else(|| v.get(f.as_str())).and_then(norm);
        if let Some(x) = val {
            facets.insert(f, x);
        }
    }
    Ok(Reference {
        session_id,
        file: v.get("file").and_then(|s| s.as_str()).map(str::to_string),
        interactive: v
            .get("interactive")
            .and_then(|b| b.as_bool())
            .unwrap_or(true),
        human_prompts: v.get("human_prompts").and_then(|n| n.as_u64()),
        facets,
        verified_success: v.get("verified_success").and_then(|b| b.as_bool()),
        user_planning_share: v.get("user_planning_share").and_then(|x| x.as_f64()),
        user_execution_share: v.get("user_execution_share").and_then(|x| x.as_f64()),
    })
}

pub fn load_references(path: &Path) -> anyhow::Result<Vec<Reference>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read labels file {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_reference(line) {
            Ok(r) => out.push(r),
            Err(e) => eprintln!("warning: {}:{}: skipped: {e}", path.display(), i + 1),
        }
    }
    Ok(out)
}

/// What the backend produced for one session.
#[derive(Debug, Clone)]
pub struct Predicted {
    pub interactive: bool,
    pub human_prompts: u32,
    pub labels: Labels,
    pub verified_success: Option<bool>,
}

// ---------------------------------------------------------------- statistics

/// The ordinal scale of a facet (category order), if it has one.
pub fn ordinal_scale(f: FacetId) -> Option<&'static [&'static str]> {
    match f {
        FacetId::Expertise => Some(&["1", "2", "3", "4", "5"]),
        FacetId::SuccessSignal | FacetId::FailureSignal => Some(&["NONE", "1", "2", "3", "4", "5"]),
        _ => None,
    }
}

/// Proportion of pairs that agree exactly.
pub fn exact(pairs: &[(String, String)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    Some(pairs.iter().filter(|(a, b)| a == b).count() as f64 / pairs.len() as f64)
}

/// Cohen's kappa over the categories that occur.
pub fn cohen_kappa(pairs: &[(String, String)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.is_empty() {
        return None;
    }
    let mut ra: HashMap<&str, f64> = HashMap::new();
    let mut rb: HashMap<&str, f64> = HashMap::new();
    for (a, b) in pairs {
        *ra.entry(a).or_default() += 1.0;
        *rb.entry(b).or_default() += 1.0;
    }
    let po = exact(pairs)?;
    let pe: f64 = ra
        .iter()
        .map(|(k, ca)| ca * rb.get(k).copied().unwrap_or(0.0))
        .sum::<f64>()
        / (n * n);
    if (1.0 - pe).abs() < 1e-12 {
        // Both sides used one and the same category: agreement is total but
        // kappa is undefined.
        return None;
    }
    Some((po - pe) / (1.0 - pe))
}

/// Quadratic-weighted kappa on an ordinal scale; pairs with a value outside
/// the scale (e.g. "Unclear" for expertise) are left out.
pub fn weighted_kappa(pairs: &[(String, String)], scale: &[&str]) -> Option<f64> {
    let k = scale.len();
    let pos = |s: &str| scale.iter().position(|x| *x == s);
    let idx: Vec<(usize, usize)> = pairs
        .iter()
        .filter_map(|(a, b)| Some((pos(a)?, pos(b)?)))
        .collect();
    if idx.is_empty() || k < 2 {
        return None;
    }
    let n = idx.len() as f64;
    let mut o = vec![vec![0f64; k]; k];
    let mut ma = vec![0f64; k];
    let mut mb = vec![0f64; k];
    for (i, j) in &idx {
        o[*i][*j] += 1.0;
        ma[*i] += 1.0;
        mb[*j] += 1.0;
    }
    let w = |i: usize, j: usize| ((i as f64 - j as f64).powi(2)) / ((k as f64 - 1.0).powi(2));
    let mut num = 0.0;
    let mut den = 0.0;
    for i in 0..k {
        for j in 0..k {
            num += w(i, j) * o[i][j];
            den += w(i, j) * ma[i] * mb[j] / n;
        }
    }
    if den.abs() < 1e-12 {
        return None;
    }
    Some(1.0 - num / den)
}

/// Within-one agreement: numeric levels within one step, or both sides the
/// same non-numeric category (Unclear/NONE).
pub fn within_one(pairs: &[(String, String)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let level = |s: &str| s.parse::<i64>().ok();
    let ok = pairs
        .iter()
        .filter(|(a, b)| match (level(a), level(b)) {
            (Some(x), Some(y)) => (x - y).abs() <= 1,
            (None, None) => a == b,
            _ => false,
        })
        .count();
    Some(ok as f64 / pairs.len() as f64)
}

#[derive(Debug, Clone, Serialize)]
pub struct Confusion {
    /// Categories in order (rows: reference, columns: predicted).
    pub labels: Vec<String>,
    pub matrix: Vec<Vec<u32>>,
}

pub fn confusion(pairs: &[(String, String)], order: &[&str]) -> Confusion {
    let present: BTreeSet<&str> = pairs
        .iter()
        .flat_map(|(a, b)| [a.as_str(), b.as_str()])
        .collect();
    let mut labels: Vec<String> = order
        .iter()
        .filter(|l| present.contains(**l))
        .map(|l| l.to_string())
        .collect();
    for p in &present {
        if !labels.iter().any(|l| l == p) {
            labels.push(p.to_string());
        }
    }
    let at = |s: &str| labels.iter().position(|l| l == s).unwrap_or(0);
    let mut matrix = vec![vec![0u32; labels.len()]; labels.len()];
    for (a, b) in pairs {
        matrix[at(a)][at(b)] += 1;
    }
    Confusion { labels, matrix }
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetAgreement {
    pub facet: String,
    pub n: usize,
    pub exact: Option<f64>,
    pub kappa: Option<f64>,
    /// Quadratic-weighted kappa (ordinal scales; Unclear left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_kappa: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within_one: Option<f64>,
    pub confusion: Confusion,
    /// Exact agreement by the backend's stated confidence (does "sure" mean right?).
    pub by_confidence: Vec<ConfidenceBucket>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfidenceBucket {
    /// Confidence range [from, to).
    pub from: f32,
    pub to: f32,
    pub n: usize,
    pub exact: Option<f64>,
}

/// Confidence buckets: below 0.5, 0.5 to 0.7, 0.7 and above.
const BUCKETS: [(f32, f32); 3] = [(0.0, 0.5), (0.5, 0.7), (0.7, 1.01)];

pub fn by_confidence(pairs: &[(String, String)], conf: &[f32]) -> Vec<ConfidenceBucket> {
    BUCKETS
        .iter()
        .map(|&(from, to)| {
            let sel: Vec<(String, String)> = pairs
                .iter()
                .zip(conf)
                .filter(|(_, c)| **c >= from && **c < to)
                .map(|(p, _)| p.clone())
                .collect();
            ConfidenceBucket {
                from,
                to: to.min(1.0),
                n: sel.len(),
                exact: exact(&sel),
            }
        })
        .collect()
}

pub fn facet_agreement(f: FacetId, pairs: &[(String, String)]) -> FacetAgreement {
    let scale = ordinal_scale(f);
    let order: Vec<&str> = crate::classify::rubric::rubric(f).labels.to_vec();
    FacetAgreement {
        facet: f.as_str().to_string(),
        n: pairs.len(),
        exact: exact(pairs),
        kappa: cohen_kappa(pairs),
        weighted_kappa: scale.and_then(|s| weighted_kappa(pairs, s)),
        within_one: scale.and_then(|_| within_one(pairs)),
        confusion: confusion(pairs, &order),
        by_confidence: Vec::new(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Rate {
    pub n: usize,
    pub agreement: Option<f64>,
}

fn rate(hits: usize, n: usize) -> Rate {
    Rate {
        n,
        agreement: (n > 0).then(|| hits as f64 / n as f64),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Mae {
    pub n: usize,
    pub mae: Option<f64>,
}

fn mae(pairs: &[(f64, f64)]) -> Mae {
    Mae {
        n: pairs.len(),
        mae: (!pairs.is_empty())
            .then(|| pairs.iter().map(|(a, b)| (a - b).abs()).sum::<f64>() / pairs.len() as f64),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub labels_file: String,
    pub backend: String,
    pub references: usize,
    pub matched: usize,
    pub unmatched: Vec<String>,
    pub skipped_not_interactive: usize,
    pub facets: Vec<FacetAgreement>,
    pub interactive: Rate,
    pub human_prompts_exact: Rate,
    pub human_prompts_within_one: Rate,
    pub verified_success: Rate,
    pub occupation_user_known: Rate,
    pub user_planning_share: Mae,
    pub user_execution_share: Mae,
    /// Per session, the facets where the backend and the reference disagree
    /// (JSON only; for finding what to improve).
    pub disagreements: Vec<Disagreement>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub session_id: String,
    /// facet -> [reference, predicted]
    pub facets: BTreeMap<String, [String; 2]>,
}

/// Compares predictions with references (matched by session id).
pub fn evaluate(
    refs: &[Reference],
    preds: &HashMap<String, Predicted>,
    labels_file: &str,
    backend: &str,
) -> Report {
    let mut unmatched = Vec::new();
    let mut skipped = 0;
    let mut pairs: BTreeMap<FacetId, Vec<(String, String)>> = BTreeMap::new();
    let mut confs: BTreeMap<FacetId, Vec<f32>> = BTreeMap::new();
    let (mut inter_hit, mut inter_n) = (0, 0);
    let (mut hp_hit, mut hp_one, mut hp_n) = (0, 0, 0);
    let (mut vs_hit, mut vs_n) = (0, 0);
    let (mut oc_hit, mut oc_n) = (0, 0);
    let mut plan = Vec::new();
    let mut exec = Vec::new();
    let mut matched = 0;
    let mut disagreements = Vec::new();
    for r in refs {
        let Some(p) = preds.get(&r.session_id) else {
            unmatched.push(r.session_id.clone());
            continue;
        };
        matched += 1;
        inter_n += 1;
        inter_hit += (p.interactive == r.interactive) as usize;
        if !r.interactive {
            skipped += 1;
            continue;
        }
        if let Some(h) = r.human_prompts {
            hp_n += 1;
            let d = (h as i64 - p.human_prompts as i64).abs();
            hp_hit += (d == 0) as usize;
            hp_one += (d <= 1) as usize;
        }
        let mut differ = BTreeMap::new();
        for (f, rv) in &r.facets {
            if let Some(l) = p.labels.get(*f) {
                let pv = l.value.as_str();
                confs.entry(*f).or_default().push(l.confidence);
                if rv != pv {
                    differ.insert(f.as_str().to_string(), [rv.clone(), pv.to_string()]);
                }
                pairs
                    .entry(*f)
                    .or_default()
                    .push((rv.clone(), pv.to_string()));
            }
        }
        if !differ.is_empty() {
            disagreements.push(Disagreement {
                session_id: r.session_id.clone(),
                facets: differ,
            });
        }
        if let Some(v) = r.verified_success {
            vs_n += 1;
            vs_hit += (p.verified_success.unwrap_or(false) == v) as usize;
        }
        if let (Some(rv), Some(pv)) = (
            r.facets.get(&FacetId::OccupationUser),
            p.labels.value(FacetId::OccupationUser),
        ) {
            oc_n += 1;
            oc_hit += ((rv == "Unclear") == (pv == "Unclear")) as usize;
        }
        if let Some(d) = &p.labels.decisions {
            if let (Some(a), Some(b)) = (r.user_planning_share, d.user_planning_share) {
                plan.push((a, b));
            }
            if let (Some(a), Some(b)) = (r.user_execution_share, d.user_execution_share) {
                exec.push((a, b));
            }
        }
    }
    Report {
        labels_file: labels_file.to_string(),
        backend: backend.to_string(),
        references: refs.len(),
        matched,
        unmatched,
        skipped_not_interactive: skipped,
        facets: FacetId::ALL
            .iter()
            .filter_map(|f| {
                pairs.get(f).map(|p| {
                    let mut a = facet_agreement(*f, p);
                    a.by_confidence = by_confidence(p, confs.get(f).map_or(&[][..], |c| c));
                    a
                })
            })
            .collect(),
        interactive: rate(inter_hit, inter_n),
        human_prompts_exact: rate(hp_hit, hp_n),
        human_prompts_within_one: rate(hp_one, hp_n),
        verified_success: rate(vs_hit, vs_n),
        occupation_user_known: rate(oc_hit, oc_n),
        user_planning_share: mae(&plan),
        user_execution_share: mae(&exec),
        disagreements,
    }
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", 100.0 * v))
        .unwrap_or_else(|| "-".into())
}

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into())
}

pub fn render(r: &Report) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "agentcensus eval: backend {} against {}",
        r.backend, r.labels_file
    );
    let _ = writeln!(
        s,
        "references: {}   matched: {}   unmatched: {}   not interactive (skipped for facets): {}",
        r.references,
        r.matched,
        r.unmatched.len(),
        r.skipped_not_interactive
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<16} {:>4} {:>8} {:>7} {:>7} {:>9}",
        "facet", "n", "exact", "kappa", "w-kappa", "within-1"
    );
    for f in &r.facets {
        let _ = writeln!(
            s,
            "{:<16} {:>4} {:>8} {:>7} {:>7} {:>9}",
            f.facet,
            f.n,
            pct(f.exact),
            num(f.kappa),
            num(f.weighted_kappa),
            pct(f.within_one)
        );
    }
    let _ = writeln!(s);
    let line = |s: &mut String, name: &str, x: &Rate| {
        let _ = writeln!(s, "{:<34} {:>8}  (n={})", name, pct(x.agreement), x.n);
    };
    line(&mut s, "interactive", &r.interactive);
    line(&mut s, "human prompts, exact", &r.human_prompts_exact);
    line(
        &mut s,
        "human prompts, within one",
        &r.human_prompts_within_one,
    );
    line(&mut s, "verified success", &r.verified_success);
    line(
        &mut s,
        "user occupation Unclear vs known",
        &r.occupation_user_known,
    );
    for (name, m) in [
        ("user planning share, MAE", &r.user_planning_share),
        ("user execution share, MAE", &r.user_execution_share),
    ] {
        let _ = writeln!(s, "{:<34} {:>8}  (n={})", name, num(m.mae), m.n);
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "exact agreement by stated confidence: {}",
        BUCKETS
            .iter()
            .map(|(a, b)| format!("[{a:.1},{:.1})", b.min(1.0)))
            .collect::<Vec<_>>()
            .join("  ")
    );
    for f in &r.facets {
        let cells: Vec<String> = f
            .by_confidence
            .iter()
            .map(|b| format!("{:>7} n={:<3}", pct(b.exact), b.n))
            .collect();
        let _ = writeln!(s, "  {:<16} {}", f.facet, cells.join("  "));
    }
    for f in &r.facets {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{} confusion (rows: reference, columns: {})",
            f.facet, r.backend
        );
        let c = &f.confusion;
        let short = |l: &str| -> String { l.chars().take(10).collect() };
        let _ = write!(s, "{:<12}", "");
        for l in &c.labels {
            let _ = write!(s, " {:>10}", short(l));
        }
        let _ = writeln!(s);
        for (i, row) in c.matrix.iter().enumerate() {
            let _ = write!(s, "{:<12}", short(&c.labels[i]));
            for v in row {
                let _ = write!(
                    s,
                    " {:>10}",
                    if *v == 0 { ".".into() } else { v.to_string() }
                );
            }
            let _ = writeln!(s);
        }
    }
    if !r.unmatched.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "unmatched reference sessions: {}",
            r.unmatched.join(", ")
        );
    }
    s
}

/// Where the label file's `file` entries are relative to: the label file's
/// parent's parent (`shared/labels/dev.jsonl` -> `shared/`).
pub fn reference_root(labels: &Path) -> PathBuf {
    let abs = if labels.is_absolute() {
        labels.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(labels))
            .unwrap_or_else(|_| labels.to_path_buf())
    };
    abs.parent()
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn run(args: &EvalArgs, g: &Global) -> anyhow::Result<i32> {
    let diag = super::diagnostics(g);
    let backend = super::backend(&args.backend, g)?;
    let refs = load_references(&args.labels)?;
    if refs.is_empty() {
        eprintln!("no reference labels in {}", args.labels.display());
        return Ok(super::exit::NOTHING);
    }
    let mut paths = args.input.paths.clone();
    if paths.is_empty() {
        let root = reference_root(&args.labels);
        let mut seen = BTreeSet::new();
        for r in &refs {
            if let Some(f) = &r.file {
                let p = root.join(f);
                if !p.exists() {
                    diag.warn(
                        &p,
                        None,
                        format!("session file of {} not found", r.session_id),
                    );
                    continue;
                }
                // The folder, not the file: sub-agent transcripts and resumed
                // parts of a session live beside (or below) the main file.
                let dir = p.parent().map(Path::to_path_buf).unwrap_or(p);
                if seen.insert(dir.clone()) {
                    paths.push(dir);
                }
            }
        }
    }
    let req = Request {
        paths: &paths,
        users: &args.input.users,
        users_by_folder: args.input.users_by_folder,
    };
    let plan = pipeline::plan(&req, &diag);
    let wanted: BTreeSet<&str> = refs.iter().map(|r| r.session_id.as_str()).collect();
    // Only labelled sessions are classified (an LLM backend is not paid for the rest).
    let filter = pipeline::Filter {
        session_ids: Some(wanted.iter().map(|s| s.to_string()).collect()),
        ..super::filter(&args.input)
    };
    let got = pipeline::process(
        &plan,
        &plan.units,
        backend.as_ref(),
        &filter,
        &diag,
        g.quiet,
        |p| {
            wanted.contains(p.session.id.as_str()).then(|| {
                (
                    p.session.id.clone(),
                    Predicted {
                        interactive: p.record.interactive,
                        human_prompts: p.record.human_prompts,
                        labels: p.labels.clone(),
                        verified_success: p.record.verified_success,
                    },
                )
            })
        },
    );
    let preds: HashMap<String, Predicted> = got.into_iter().collect();
    let report = evaluate(
        &refs,
        &preds,
        &args.labels.display().to_string(),
        backend.name(),
    );
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render(&report));
    }
    Ok(if report.matched == 0 {
        super::exit::NOTHING
    } else {
        super::exit::OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("defined");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn kappa_matches_a_hand_computed_table() {
        // 2x2 table [[20, 5], [10, 15]]: po = 0.7, pe = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4.
        let mut v = Vec::new();
        v.extend(std::iter::repeat_n(("a", "a"), 20));
        v.extend(std::iter::repeat_n(("a", "b"), 5));
        v.extend(std::iter::repeat_n(("b", "a"), 10));
        v.extend(std::iter::repeat_n(("b", "b"), 15));
        let p = pairs(&v);
        close(exact(&p), 0.7);
        close(cohen_kappa(&p), 0.4);
        assert_eq!(cohen_kappa(&pairs(&[("a", "a"), ("a", "a")])), None);
    }

    #[test]
    fn weighted_kappa_matches_hand_computed_values() {
        let scale = ["1", "2", "3"];
        close(
            weighted_kappa(&pairs(&[("1", "1"), ("2", "2"), ("3", "3")]), &scale),
            1.0,
        );
        // Observed weighted disagreement 1/4 + 1/4 + 1 = 1.5; expected
        // (1/3) * 3 = 1.0; kappa = 1 - 1.5 = -0.5.
        close(
            weighted_kappa(&pairs(&[("1", "2"), ("2", "3"), ("3", "1")]), &scale),
            -0.5,
        );
        // Values outside the scale are left out.
        close(
            weighted_kappa(
                &pairs(&[("1", "1"), ("2", "2"), ("3", "3"), ("Unclear", "2")]),
                &scale,
            ),
            1.0,
        );
    }

    #[test]
    fn within_one_treats_unclear_and_none_as_their_own_categories() {
        let p = pairs(&[
            ("2", "3"),
            ("2", "4"),
            ("Unclear", "Unclear"),
            ("Unclear", "2"),
            ("NONE", "1"),
        ]);
        close(within_one(&p), 2.0 / 5.0);
    }

    #[test]
    fn confidence_buckets_split_agreement() {
        let p = pairs(&[("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]);
        let b = by_confidence(&p, &[0.2, 0.3, 0.8, 0.9]);
        assert_eq!((b[0].n, b[1].n, b[2].n), (2, 0, 2));
        close(b[0].exact, 0.5);
        assert_eq!(b[1].exact, None);
        close(b[2].exact, 1.0);
    }

    #[test]
    fn confusion_rows_are_reference_columns_predicted() {
        let p = pairs(&[("Fix", "Build"), ("Fix", "Fix"), ("Build", "Build")]);
        let c = confusion(&p, crate::classify::rubric::WORK_MODES);
        assert_eq!(c.labels, vec!["Build", "Fix"]);
        assert_eq!(c.matrix, vec![vec![1, 0], vec![1, 1]]);
    }

    #[test]
    fn references_parse_numbers_and_names() {
        let r = parse_reference(
            r#"{"session_id":"s1","file":"corpus/x.jsonl","interactive":true,"human_prompts":3,"work_mode":"Fix","expertise":4,"success_signal":"NONE","failure_signal":2,"occupation_profile":"Unclear","verified_success":false,"user_planning_share":null,"user_execution_share":0.5}"#,
        )
        .unwrap();
        assert_eq!(r.facets[&FacetId::Expertise], "4");
        assert_eq!(r.facets[&FacetId::SuccessSignal], "NONE");
        assert_eq!(r.facets[&FacetId::FailureSignal], "2");
        assert_eq!(r.facets[&FacetId::OccupationUser], "Unclear");
        assert_eq!(r.user_planning_share, None);
        assert_eq!(r.user_execution_share, Some(0.5));
        assert!(parse_reference(r#"{"work_mode":"Fix"}"#).is_err());
    }

    #[test]
    fn evaluate_skips_non_interactive_references_for_facets() {
        let mk = |id: &str, inter: bool, mode: &str| {
            parse_reference(&format!(
                r#"{{"session_id":"{id}","interactive":{inter},"human_prompts":2,"work_mode":"{mode}","occupation_profile":"Unclear","user_planning_share":1.0}}"#
            ))
            .unwrap()
        };
        let refs = vec![
            mk("a", true, "Fix"),
            mk("b", false, "Build"),
            mk("c", true, "Test"),
        ];
        let mut labels = Labels::default();
        labels.set(
            FacetId::WorkMode,
            crate::classify::Label {
                value: "Fix".into(),
                confidence: 1.0,
                reasons: vec![],
            },
        );
        labels.decisions = Some(crate::classify::Decisions {
            user_planning_share: Some(0.75),
            ..Default::default()
        });
        let pred = Predicted {
            interactive: true,
            human_prompts: 3,
            labels,
            verified_success: None,
        };
        let mut preds = HashMap::new();
        preds.insert("a".to_string(), pred.clone());
        preds.insert("b".to_string(), pred);
        let r = evaluate(&refs, &preds, "x", "builtin");
        assert_eq!(r.matched, 2);
        assert_eq!(r.unmatched, vec!["c".to_string()]);
        assert_eq!(r.skipped_not_interactive, 1);
        close(r.interactive.agreement, 0.5);
        let wm = &r.facets[0];
        assert_eq!((wm.facet.as_str(), wm.n), ("work_mode", 1));
        close(wm.exact, 1.0);
        close(r.human_prompts_within_one.agreement, 1.0);
        close(r.human_prompts_exact.agreement, 0.0);
        close(r.user_planning_share.mae, 0.25);
        assert!(
            r.disagreements.is_empty(),
            "session a agrees on every facet"
        );
        assert!(render(&r).contains("work_mode"));
    }

    #[test]
    fn reference_root_is_the_label_files_grandparent() {
        assert_eq!(
            reference_root(Path::new("/x/shared/labels/dev.jsonl")),
            PathBuf::from("/x/shared")
        );
    }
}
