//! The self-contained HTML report: inline CSS, hand-written inline SVG charts,
//! no network, no framework (one small inline script that only records
//! JavaScript errors into the page, for the headless-browser test).

use super::terminal::{scope_line, suppressed_cells};
use super::{fmt_ci, fmt_num, fmt_value, thousands};
use crate::analyze::cells::Stat;
use crate::analyze::trends::series;
use crate::analyze::{Kind, Report, Table, LEVEL_NAMES, STUDY_MODES};
use std::fmt::Write;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const YOURS: &str = "#2563eb";
const YOURS_LIGHT: &str = "#93c5fd";
const STUDY: &str = "#d97706";
const GREY: &str = "#9ca3af";
const SECOND: &str = "#059669";

const CSS: &str = r#"
:root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#ffffff;--panel:#f9fafb;--accent:#2563eb;--study:#d97706}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1120px;margin:0 auto;padding:28px 32px 64px}
header h1{font-size:28px;margin:0 0 4px}
header .sub{color:var(--muted);margin:0}
.banner{background:#fef3c7;border:1px solid #f59e0b;color:#78350f;padding:10px 14px;border-radius:8px;margin:14px 0;font-weight:600}
nav{margin:16px 0 8px;display:flex;flex-wrap:wrap;gap:6px 14px;font-size:13px}
nav a{color:var(--accent);text-decoration:none}
section{margin-top:34px}
h2{font-size:20px;margin:0 0 6px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:18px 0 6px}
p.note{color:var(--muted);font-size:13px;margin:4px 0 10px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:16px 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card .v{font-size:24px;font-weight:700}
.card .l{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.card .c{font-size:12px;color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:13.5px;margin:6px 0 4px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top}
th{background:var(--panel);font-weight:600;color:#374151}
th:first-child,td:first-child{text-align:left}
td .ci{display:block;color:var(--muted);font-size:11.5px}
td.sup{color:var(--muted);font-style:italic}
table.compact td .ci{display:inline;margin-left:8px}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:0 28px}
tr.all td{font-weight:600;background:#f3f4f6}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:18px;margin:10px 0}
.chart{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.chart h4{margin:0 0 4px;font-size:14px}
svg{display:block;max-width:100%;height:auto}
svg text{font-family:inherit;fill:#374151}
.legend{font-size:12px;color:var(--muted);margin-top:2px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 10px;vertical-align:middle}
.methods dt{font-weight:600;margin-top:8px}
.methods dd{margin:2px 0 0 0;color:#374151}
.wrap{overflow-x:auto}
.diff-up{color:#047857}.diff-down{color:#b91c1c}
footer{margin-top:40px;color:var(--muted);font-size:12px}
"#;

/// Renders the report as one HTML document.
pub fn render(r: &Report) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{CSS}</style>\
         <script>window.__errors=[];window.addEventListener('error',function(e){{window.__errors.push(String(e.message));\
         var d=document.getElementById('js-errors');if(d){{d.textContent=window.__errors.join('\\n');}}}});</script>\
         </head><body><main>",
        esc(&r.title)
    );
    header(&mut h, r);
    nav(&mut h, r);
    headline(&mut h, r);
    adjusted(&mut h, r);
    comparison(&mut h, r);
    work_modes(&mut h, r);
    decisions(&mut h, r);
    trouble(&mut h, r);
    basics(&mut h, r);
    methods(&mut h, r);
    if let Some(s) = &r.sessions {
        sessions(&mut h, s);
    }
    let _ = write!(
        h,
        "<footer>Made by agentcensus {} from the agents' own session files, on this machine. \
         Nothing was sent anywhere to make this page.</footer>\
         <pre id=\"js-errors\" hidden></pre>\
         <script>document.body.setAttribute('data-rendered','1');\
         if(window.__errors.length){{var d=document.getElementById('js-errors');d.hidden=false;d.textContent=window.__errors.join('\\n');}}</script>\
         </main></body></html>",
        env!("CARGO_PKG_VERSION")
    );
    h
}

fn header(h: &mut String, r: &Report) {
    let _ = write!(h, "<header><h1>{}</h1>", esc(&r.title));
    let _ = write!(
        h,
        "<p class=\"sub\">{} sessions from {} {}{}{}</p>",
        thousands(r.scope.analysed as i64),
        r.people_analysed,
        if r.people_analysed == 1 {
            "person"
        } else {
            "people"
        },
        match (r.months.first(), r.months.last()) {
            (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
            (Some(a), _) => format!(", {a}"),
            _ => String::new(),
        },
        r.generated
            .as_ref()
            .map(|g| format!(" &middot; generated {}", esc(g)))
            .unwrap_or_default()
    );
    let _ = write!(
        h,
        "<p class=\"sub\">Privacy: {} ({} suppressed cells).</p>",
        esc(&r.thresholds.describe()),
        suppressed_cells(r)
    );
    if r.examples {
        h.push_str(
            "<div class=\"banner\">EXAMPLE SESSIONS: no agent history was found on this machine, \
             so this report was made from the example sessions shipped with agentcensus. \
             These are not your data.</div>",
        );
    }
    if r.scope.analysed > 0 && r.scope.not_classified == r.scope.analysed {
        h.push_str(
            "<div class=\"banner\">No session has labels yet (not classified): figures that \
             need work mode, expertise or outcome are empty.</div>",
        );
    }
    h.push_str("</header>");
    // Cards.
    let hl = &r.headline;
    let all = hl.rows.last();
    let card = |h: &mut String, label: &str, s: Option<&Stat>, kind: Kind| {
        let (v, c) = match s {
            Some(s) => (fmt_value(s, kind), fmt_ci(s, kind)),
            None => ("-".into(), String::new()),
        };
        let _ = write!(
            h,
            "<div class=\"card\"><div class=\"l\">{}</div><div class=\"v\">{}</div><div class=\"c\">{}</div></div>",
            esc(label),
            esc(&v),
            esc(&c)
        );
    };
    h.push_str("<div class=\"cards\">");
    let _ = write!(
        h,
        "<div class=\"card\"><div class=\"l\">Sessions</div><div class=\"v\">{}</div><div class=\"c\">{} {}</div></div>",
        thousands(r.scope.analysed as i64),
        r.people,
        if r.people == 1 { "person" } else { "people" }
    );
    card(
        h,
        "Verified success",
        all.and_then(|a| a.cells.get(1)),
        Kind::Pct,
    );
    card(
        h,
        "At least partial",
        all.and_then(|a| a.cells.get(3)),
        Kind::Pct,
    );
    card(
        h,
        "Actions per prompt",
        all.and_then(|a| a.cells.get(4)),
        Kind::Num,
    );
    card(
        h,
        "Words per prompt",
        all.and_then(|a| a.cells.get(5)),
        Kind::Num,
    );
    h.push_str("</div>");
}

fn nav(h: &mut String, r: &Report) {
    h.push_str("<nav>");
    let mut items = vec![
        ("headline", "Headline"),
        ("adjusted", "Adjusted rates"),
        ("study", "Next to the study"),
        ("modes", "Work modes"),
        ("decisions", "Who decides"),
        ("trouble", "Trouble and occupations"),
        ("basics", "Basics"),
        ("methods", "Methods"),
    ];
    if r.sessions.is_some() {
        items.push(("sessions", "Sessions"));
    }
    for (id, name) in items {
        let _ = write!(h, "<a href=\"#{id}\">{name}</a>");
    }
    h.push_str("</nav>");
}

fn cell_html(s: &Stat, kind: Kind) -> String {
    if s.suppressed {
        return format!(
            "<td class=\"sup\" title=\"{}\">suppressed</td>",
            esc(s.note.as_deref().unwrap_or("suppressed"))
        );
    }
    let v = fmt_value(s, kind);
    let ci = if kind == Kind::Count {
        String::new()
    } else {
        fmt_ci(s, kind)
    };
    let mut title = String::new();
    if let Some(n) = s.n {
        if kind != Kind::Count && s.value.is_some() {
            title = format!("n = {n} sessions, {} people", s.users.unwrap_or(0));
        }
    }
    if let Some(note) = &s.note {
        title = note.clone();
    }
    let n = match (kind, s.n, s.value) {
        (Kind::Count, _, _) | (_, None, _) | (_, _, None) => String::new(),
        (_, Some(n), _) => format!(" n={}", thousands(n as i64)),
    };
    if ci.is_empty() && n.is_empty() {
        format!("<td title=\"{}\">{}</td>", esc(&title), esc(&v))
    } else {
        format!(
            "<td title=\"{}\">{}<span class=\"ci\">{}{}</span></td>",
            esc(&title),
            esc(&v),
            esc(&ci),
            esc(&n)
        )
    }
}

fn table_html(h: &mut String, t: &Table, show_title: bool) {
    if show_title {
        let _ = write!(h, "<h3 id=\"t-{}\">{}</h3>", esc(&t.id), esc(&t.title));
    }
    let compact = if t.columns.len() <= 2 {
        " class=\"compact\""
    } else {
        ""
    };
    let _ = write!(h, "<div class=\"wrap\"><table{compact}><thead><tr>");
    let _ = write!(h, "<th>{}</th>", esc(&t.row_header));
    for c in &t.columns {
        let _ = write!(h, "<th>{}</th>", esc(&c.name));
    }
    h.push_str("</tr></thead><tbody>");
    for r in &t.rows {
        let cls = if r.label == "All" {
            " class=\"all\""
        } else {
            ""
        };
        let _ = write!(h, "<tr{cls}><td>{}</td>", esc(&r.label));
        for (s, c) in r.cells.iter().zip(&t.columns) {
            h.push_str(&cell_html(s, r.kind.unwrap_or(c.kind)));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
    if !t.note.is_empty() {
        let _ = write!(h, "<p class=\"note\">{}</p>", esc(&t.note));
    }
}

// ---------- SVG charts ----------

/// One bar: label, value, interval, and an optional reference (the study).
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub ci: Option<(f64, f64)>,
    pub reference: Option<f64>,
    pub suppressed: bool,
}

fn bar_of(label: &str, s: Option<&Stat>, reference: Option<f64>) -> Bar {
    let s = s.cloned().unwrap_or_default();
    Bar {
        label: label.to_string(),
        value: s.value,
        ci: s.lo.zip(s.hi),
        reference,
        suppressed: s.suppressed,
    }
}

/// A round axis: (top, step) with 2 to 5 steps of 1, 2, 2.5 or 5 x 10^k.
fn nice_scale(v: f64) -> (f64, f64) {
    if v <= 0.0 || !v.is_finite() {
        return (1.0, 0.25);
    }
    let raw = v / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let step = m * mag;
        if step * 4.0 >= v - 1e-12 {
            let top = (v / step - 1e-9).ceil().max(1.0) * step;
            return (top, step);
        }
    }
    (10.0 * mag * 4.0, 10.0 * mag)
}

/// The axis values from 0 to `top`.
fn ticks(top: f64, step: f64) -> Vec<f64> {
    let n = (top / step).round() as usize;
    (0..=n).map(|i| step * i as f64).collect()
}

fn tick_label(v: f64, kind: Kind) -> String {
    match kind {
        Kind::Pct => format!("{:.0}%", v * 100.0),
        _ if v.fract().abs() < 1e-9 => thousands(v.round() as i64),
        _ => format!("{v:.1}"),
    }
}

/// An SVG's opening tag and its horizontal grid lines with axis labels.
fn svg_with_grid(
    (w, hgt): (f64, f64),
    (l, r): (f64, f64),
    (max, step): (f64, f64),
    kind: Kind,
    y: &dyn Fn(f64) -> f64,
) -> String {
    let mut s =
        format!("<svg viewBox=\"0 0 {w} {hgt}\" width=\"{w}\" height=\"{hgt}\" role=\"img\">");
    for v in ticks(max, step) {
        let yy = y(v);
        let _ = write!(
            s,
            "<line x1=\"{l}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#e5e7eb\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            w - r,
            l - 6.0,
            yy + 4.0,
            tick_label(v, kind)
        );
    }
    s
}

/// Vertical bars with interval whiskers and reference ticks.
pub fn bar_chart(bars: &[Bar], kind: Kind, color: &str, fixed_max: Option<f64>) -> String {
    let (w, hgt) = (520.0, 250.0);
    let (l, r, t, b) = (46.0, 10.0, 14.0, 46.0);
    let pw = w - l - r;
    let ph = hgt - t - b;
    let data_max = bars
        .iter()
        .flat_map(|x| [x.value, x.ci.map(|c| c.1), x.reference])
        .flatten()
        .fold(0.0f64, f64::max);
    let (max, step) = match fixed_max {
        Some(m) => (m, m / 4.0),
        // A share never goes above 100%: do not draw an axis to 150%.
        None if matches!(kind, Kind::Pct) && data_max <= 1.0 && data_max * 1.12 > 1.0 => {
            (1.0, 0.25)
        }
        None => nice_scale(data_max * 1.12),
    };
    let y = |v: f64| t + ph - (v / max).clamp(0.0, 1.0) * ph;
    let mut s = svg_with_grid((w, hgt), (l, r), (max, step), kind, &y);
    let n = bars.len().max(1) as f64;
    let slot = pw / n;
    let bw = (slot * 0.56).min(60.0);
    for (i, bar) in bars.iter().enumerate() {
        let cx = l + slot * (i as f64 + 0.5);
        if let Some(v) = bar.value {
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"{color}\"><title>{}: {}</title></rect>",
                cx - bw / 2.0,
                y(v),
                (t + ph - y(v)).max(0.0),
                esc(&bar.label),
                fmt_num(v, kind)
            );
            let _ = write!(
                s,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
                y(bar
                    .ci
                    .map(|c| c.1)
                    .unwrap_or(v)
                    .max(v)
                    .max(bar.reference.unwrap_or(0.0)))
                    - 6.0,
                fmt_num(v, kind)
            );
        } else {
            if bar.suppressed {
                // A dashed empty box: the cell exists but is not shown.
                let _ = write!(
                    s,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"#f3f4f6\" stroke=\"#d1d5db\" stroke-dasharray=\"4 3\"><title>suppressed (privacy threshold)</title></rect>",
                    cx - bw / 2.0,
                    t + ph * 0.55,
                    ph * 0.45
                );
            }
            let _ = write!(
                s,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{GREY}\">{}</text>",
                t + ph - 6.0,
                if bar.suppressed { "suppressed" } else { "no data" }
            );
        }
        if let Some((lo, hi)) = bar.ci {
            let _ = write!(
                s,
                "<line x1=\"{cx:.1}\" x2=\"{cx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1f2937\" stroke-width=\"1.4\"/>\
                 <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1f2937\" stroke-width=\"1.4\"/>\
                 <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1f2937\" stroke-width=\"1.4\"/>",
                y(lo),
                y(hi),
                cx - 5.0,
                cx + 5.0,
                y(lo),
                y(lo),
                cx - 5.0,
                cx + 5.0,
                y(hi),
                y(hi)
            );
        }
        if let Some(rv) = bar.reference {
            let _ = write!(
                s,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{STUDY}\" stroke-width=\"3\"><title>study: {}</title></line>",
                cx - bw / 2.0 - 4.0,
                cx + bw / 2.0 + 4.0,
                y(rv),
                y(rv),
                fmt_num(rv, kind)
            );
        }
        for (k, line) in wrap_label(&bar.label, 14).iter().enumerate() {
            let _ = write!(
                s,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"11.5\" text-anchor=\"middle\">{}</text>",
                t + ph + 16.0 + 13.0 * k as f64,
                esc(line)
            );
        }
    }
    let _ = write!(
        s,
        "<line x1=\"{l}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#9ca3af\"/></svg>",
        w - r,
        t + ph,
        t + ph
    );
    s
}

fn wrap_label(s: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in s.split_whitespace() {
        let cur = lines.last_mut().expect("one line");
        if !cur.is_empty() && cur.len() + word.len() + 1 > width {
            lines.push(word.to_string());
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        }
    }
    lines.truncate(2);
    lines
}

/// (label, your value, your interval, the study's value, suppressed).
pub type PairItem = (String, Option<f64>, Option<(f64, f64)>, Option<f64>, bool);

/// (name, colour, values, intervals) of one line.
pub type Line<'a> = (String, &'a str, Vec<Option<f64>>, Vec<Option<(f64, f64)>>);

type Series = (Vec<Option<f64>>, Vec<Option<(f64, f64)>>);

/// Horizontal paired bars: yours (with interval) and the study's, per category.
pub fn paired_hbars(items: &[PairItem]) -> String {
    let w = 520.0;
    let row = 26.0;
    let (l, r, t) = (100.0, 56.0, 8.0);
    let hgt = t + row * items.len() as f64 + 24.0;
    let pw = w - l - r;
    let (max, step) = nice_scale(
        items
            .iter()
            .flat_map(|i| [i.1, i.2.map(|c| c.1), i.3])
            .flatten()
            .fold(0.0f64, f64::max)
            * 1.05,
    );
    let x = |v: f64| l + (v / max).clamp(0.0, 1.0) * pw;
    let mut s =
        format!("<svg viewBox=\"0 0 {w} {hgt}\" width=\"{w}\" height=\"{hgt}\" role=\"img\">");
    for v in ticks(max, step) {
        let _ = write!(
            s,
            "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{t}\" y2=\"{:.1}\" stroke=\"#e5e7eb\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            x(v),
            x(v),
            hgt - 20.0,
            x(v),
            hgt - 6.0,
            tick_label(v, Kind::Pct)
        );
    }
    for (i, (label, v, ci, study, sup)) in items.iter().enumerate() {
        let y0 = t + row * i as f64;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            l - 8.0,
            y0 + 16.0,
            esc(label)
        );
        if let Some(sv) = study {
            let _ = write!(
                s,
                "<rect x=\"{l}\" y=\"{:.1}\" width=\"{:.1}\" height=\"6\" fill=\"{STUDY}\" opacity=\"0.85\"><title>study: {:.0}%</title></rect>",
                y0 + 17.0,
                x(*sv) - l,
                sv * 100.0
            );
        }
        match v {
            Some(v) => {
                let _ = write!(
                    s,
                    "<rect x=\"{l}\" y=\"{:.1}\" width=\"{:.1}\" height=\"12\" rx=\"2\" fill=\"{YOURS}\"><title>yours: {:.1}%</title></rect>\
                     <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{:.0}%</text>",
                    y0 + 4.0,
                    x(*v) - l,
                    v * 100.0,
                    x(ci
                        .map(|c| c.1)
                        .unwrap_or(*v)
                        .max(*v)
                        .max(study.unwrap_or(0.0)))
                        + 5.0,
                    y0 + 14.0,
                    v * 100.0
                );
                if let Some((lo, hi)) = ci {
                    let _ = write!(
                        s,
                        "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1f2937\" stroke-width=\"1.2\"/>",
                        x(*lo),
                        x(*hi),
                        y0 + 10.0,
                        y0 + 10.0
                    );
                }
            }
            None => {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{GREY}\">{}</text>",
                    l + 4.0,
                    y0 + 14.0,
                    if *sup { "suppressed" } else { "no data" }
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// Lines over categories (months or signal levels), each with an optional
/// interval band. Values are fractions (percent axis) unless `kind` says.
pub fn line_chart(
    xlabels: &[String],
    lines: &[Line],
    kind: Kind,
    fixed_max: Option<f64>,
) -> String {
    let (w, hgt) = (520.0, 240.0);
    let (l, r, t, b) = (46.0, 30.0, 12.0, 36.0);
    let pw = w - l - r;
    let ph = hgt - t - b;
    let data_max = lines
        .iter()
        .flat_map(|ln| {
            ln.2.iter()
                .flatten()
                .chain(ln.3.iter().flatten().map(|c| &c.1))
        })
        .fold(0.0f64, |a, &v| a.max(v));
    let (max, step) = match fixed_max {
        Some(m) => (m, m / 4.0),
        None => nice_scale(data_max * 1.05),
    };
    let n = xlabels.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            l + pw / 2.0
        } else {
            l + pw * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| t + ph - (v / max).clamp(0.0, 1.0) * ph;
    let mut s = svg_with_grid((w, hgt), (l, r), (max, step), kind, &y);
    let step = (n / 8).max(1);
    for (i, lab) in xlabels.iter().enumerate() {
        if i % step == 0 || i == n - 1 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
                x(i),
                t + ph + 18.0,
                esc(lab)
            );
        }
    }
    for (name, color, vals, cis) in lines {
        // Band.
        let pts: Vec<(usize, (f64, f64))> = cis
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (i, c)))
            .collect();
        if pts.len() >= 2 {
            let mut d = String::new();
            for (k, (i, c)) in pts.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{:.1},{:.1} ",
                    if k == 0 { "M" } else { "L" },
                    x(*i),
                    y(c.1)
                );
            }
            for (i, c) in pts.iter().rev() {
                let _ = write!(d, "L{:.1},{:.1} ", x(*i), y(c.0));
            }
            let _ = write!(s, "<path d=\"{d}Z\" fill=\"{color}\" opacity=\"0.13\"/>");
        }
        let mut d = String::new();
        let mut pen = false;
        for (i, v) in vals.iter().enumerate() {
            match v {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{:.1},{:.1} ",
                        if pen { "L" } else { "M" },
                        x(i),
                        y(*v)
                    );
                    pen = true;
                }
                None => pen = false,
            }
        }
        if !d.is_empty() {
            let _ = write!(
                s,
                "<path d=\"{d}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.2\"><title>{}</title></path>",
                esc(name)
            );
        }
        for (i, v) in vals.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.2\" fill=\"{color}\"><title>{} {}: {}</title></circle>",
                    x(i),
                    y(*v),
                    esc(name),
                    esc(&xlabels[i]),
                    fmt_num(*v, kind)
                );
            }
        }
    }
    let _ = write!(
        s,
        "<line x1=\"{l}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#9ca3af\"/></svg>",
        w - r,
        t + ph,
        t + ph
    );
    s
}

/// Grouped vertical bars: one group per category, one bar per series, each
/// with its interval whisker.
pub fn grouped_bars(categories: &[String], series: &[Line], kind: Kind) -> String {
    let (w, hgt) = (520.0, 240.0);
    let (l, r, t, b) = (46.0, 10.0, 14.0, 36.0);
    let pw = w - l - r;
    let ph = hgt - t - b;
    let data_max = series
        .iter()
        .flat_map(|sr| {
            sr.2.iter()
                .flatten()
                .chain(sr.3.iter().flatten().map(|c| &c.1))
        })
        .fold(0.0f64, |a, &v| a.max(v));
    let (max, step) = nice_scale(data_max * 1.05);
    let y = |v: f64| t + ph - (v / max).clamp(0.0, 1.0) * ph;
    let mut s = svg_with_grid((w, hgt), (l, r), (max, step), kind, &y);
    let slot = pw / categories.len().max(1) as f64;
    let k = series.len().max(1) as f64;
    let bw = (slot * 0.75 / k).min(34.0);
    for (ci, cat) in categories.iter().enumerate() {
        let x0 = l + slot * ci as f64 + (slot - bw * k) / 2.0;
        for (si, (name, color, vals, cis)) in series.iter().enumerate() {
            let x = x0 + bw * si as f64;
            let cx = x + bw / 2.0;
            match vals.get(ci).copied().flatten() {
                Some(v) => {
                    let _ = write!(
                        s,
                        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"2\" fill=\"{color}\"><title>{} {}: {}</title></rect>",
                        y(v),
                        bw - 2.0,
                        (t + ph - y(v)).max(0.0),
                        esc(name),
                        esc(cat),
                        fmt_num(v, kind)
                    );
                    if let Some((lo, hi)) = cis.get(ci).copied().flatten() {
                        let _ = write!(
                            s,
                            "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1f2937\" stroke-width=\"1.1\"/>",
                            cx - 1.0,
                            cx - 1.0,
                            y(lo),
                            y(hi)
                        );
                    }
                }
                None => {
                    let _ = write!(
                        s,
                        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\" fill=\"{GREY}\">-</text>",
                        cx,
                        t + ph - 4.0
                    );
                }
            }
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11.5\" text-anchor=\"middle\">{}</text>",
            l + slot * (ci as f64 + 0.5),
            t + ph + 18.0,
            esc(cat)
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{l}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#9ca3af\"/></svg>",
        w - r,
        t + ph,
        t + ph
    );
    s
}

fn chart(h: &mut String, title: &str, svg: &str, legend: &str) {
    let _ = write!(
        h,
        "<div class=\"chart\"><h4>{}</h4>{svg}<div class=\"legend\">{legend}</div></div>",
        esc(title)
    );
}

fn legend(items: &[(&str, &str)]) -> String {
    items
        .iter()
        .map(|(c, n)| {
            format!(
                "<span class=\"sw\" style=\"background:{c}\"></span>{}",
                esc(n)
            )
        })
        .collect()
}

fn level_bars(t: &Table, col: usize, study: Option<&[f64]>) -> Vec<Bar> {
    (1..=5)
        .map(|l| {
            let key = format!("{l} {}", LEVEL_NAMES[l - 1]);
            bar_of(
                LEVEL_NAMES[l - 1],
                t.get(&key, col),
                study.map(|s| s[l - 1]),
            )
        })
        .collect()
}

fn headline(h: &mut String, r: &Report) {
    h.push_str("<section id=\"headline\"><h2>Outcomes and work per prompt by expertise</h2>");
    h.push_str(
        "<p class=\"note\">Expertise is judged per session, for the task at hand. Bars are \
         your sessions with 95% intervals; orange ticks are the study's published figures.</p>",
    );
    h.push_str("<div class=\"charts\">");
    let study_vs = [0.132, 0.209, 0.280, 0.293, 0.347];
    chart(
        h,
        "Verified success by expertise (unadjusted)",
        &bar_chart(
            &level_bars(&r.headline, 1, Some(&study_vs)),
            Kind::Pct,
            YOURS,
            None,
        ),
        &legend(&[(YOURS, "your sessions"), (STUDY, "study")]),
    );
    let mut app_bars = level_bars(&r.headline, 4, None);
    app_bars[0].reference = Some(4.9);
    app_bars[4].reference = Some(11.7);
    chart(
        h,
        "Actions per prompt by expertise (geometric mean)",
        &bar_chart(&app_bars, Kind::Num, SECOND, None),
        &legend(&[
            (SECOND, "your sessions"),
            (STUDY, "study (novice 4.9, expert 11.7)"),
        ]),
    );
    h.push_str("</div>");
    table_html(h, &r.headline, false);
    h.push_str("</section>");
}

fn adjusted(h: &mut String, r: &Report) {
    let a = &r.adjusted;
    h.push_str("<section id=\"adjusted\"><h2>Adjusted verified success by expertise</h2>");
    let _ = write!(
        h,
        "<p class=\"note\">Linear probability model of verified success on expertise with one \
         absorbed intercept per cell of {}; standard errors clustered by {} (CR1). Adjusted \
         rates are the base mean plus each level's coefficient, with the base set so that the \
         session-weighted average equals the overall rate (the study's published figures \
         satisfy this); the last column adds the steps to the base level's raw rate instead.</p>",
        esc(&a.controls),
        if r.people <= 1 {
            "session (one person)"
        } else {
            "user"
        }
    );
    h.push_str("<div class=\"cards\">");
    match &a.slope {
        Some(c) => {
            let _ = write!(
                h,
                "<div class=\"card\"><div class=\"l\">Per expertise level</div><div class=\"v\">{:+.2} pts</div>\
                 <div class=\"c\">95% [{:+.2}, {:+.2}], s.e. {:.2}; study +3.79 (0.09)</div></div>",
                c.estimate * 100.0,
                c.lo * 100.0,
                c.hi * 100.0,
                c.se * 100.0
            );
        }
        None => {
            let _ = write!(
                h,
                "<div class=\"card\"><div class=\"l\">Per expertise level</div><div class=\"v\">-</div><div class=\"c\">{}</div></div>",
                esc(&a.note)
            );
        }
    }
    for le in &r.log_effects {
        let (v, c) = match le.pct_per_level {
            Some(p) => (
                format!("{:+.1}%", p * 100.0),
                format!(
                    "95% [{:+.1}, {:+.1}]; study {}",
                    le.lo.unwrap_or(0.0) * 100.0,
                    le.hi.unwrap_or(0.0) * 100.0,
                    if le.measure.starts_with("actions") {
                        "+9%"
                    } else {
                        "+13%"
                    }
                ),
            ),
            None => ("-".into(), le.note.clone()),
        };
        let _ = write!(
            h,
            "<div class=\"card\"><div class=\"l\">{} per level</div><div class=\"v\">{}</div><div class=\"c\">{}</div></div>",
            esc(&le.measure),
            esc(&v),
            esc(&c)
        );
    }
    h.push_str("</div>");
    if !a.levels.is_empty() {
        let study_adj = [0.145, 0.209, 0.283, 0.295, 0.329];
        let bars: Vec<Bar> = a
            .levels
            .iter()
            .map(|l| Bar {
                label: LEVEL_NAMES[(l.level.clamp(1, 5) - 1) as usize].to_string(),
                value: l.adjusted.value,
                ci: l.adjusted.lo.zip(l.adjusted.hi),
                reference: Some(study_adj[(l.level.clamp(1, 5) - 1) as usize]),
                suppressed: l.adjusted.suppressed,
            })
            .collect();
        h.push_str("<div class=\"charts\">");
        chart(
            h,
            "Adjusted verified success by expertise",
            &bar_chart(&bars, Kind::Pct, YOURS, None),
            &legend(&[
                (YOURS, "your sessions (adjusted)"),
                (STUDY, "study (adjusted)"),
            ]),
        );
        h.push_str(
            "<div class=\"wrap\"><table><thead><tr><th>Expertise</th><th>Unadjusted</th>\
             <th>Adjusted</th><th>Step (points)</th><th title=\"the base level's raw rate plus the step\">Raw base + step</th></tr></thead><tbody>",
        );
        for l in &a.levels {
            let _ = write!(h, "<tr><td>{}</td>", esc(&l.name));
            // The unadjusted interval is in the headline table.
            if l.unadjusted.suppressed {
                h.push_str(&cell_html(&l.unadjusted, Kind::Pct));
            } else {
                let _ = write!(h, "<td>{}</td>", esc(&fmt_value(&l.unadjusted, Kind::Pct)));
            }
            h.push_str(&cell_html(&l.adjusted, Kind::Pct));
            let step = match &l.step {
                Some(c) => format!(
                    "{:+.1}<span class=\"ci\">s.e. {:.1}</span>",
                    c.estimate * 100.0,
                    c.se * 100.0
                ),
                None if Some(l.level) == a.base_level => "base".into(),
                None => "-".into(),
            };
            let _ = write!(
                h,
                "<td>{step}</td><td>{}</td></tr>",
                l.raw_base_plus_step
                    .map(|v| fmt_num(v, Kind::Pct))
                    .unwrap_or_else(|| "-".into())
            );
        }
        h.push_str("</tbody></table></div></div>");
    }
    let _ = write!(h, "<p class=\"note\">{}</p></section>", esc(&a.note));
}

fn comparison(h: &mut String, r: &Report) {
    h.push_str("<section id=\"study\"><h2>Your sessions next to the study</h2>");
    h.push_str(
        "<p class=\"note\">The study: 398,198 interactive Claude Code sessions, October 2025 to \
         April 2026. Each of your figures has its 95% interval; a study figure outside your \
         interval is marked with an arrow (your sessions differ there).</p>",
    );
    h.push_str(
        "<div class=\"wrap\"><table><thead><tr><th>Measure</th><th>Study</th><th>Yours</th>\
         <th>95% interval</th><th>Sessions</th><th></th></tr></thead><tbody>",
    );
    for c in &r.comparison {
        let s = &c.yours;
        let v = if s.suppressed {
            "suppressed".to_string()
        } else if s.value.is_none() {
            "-".to_string()
        } else {
            fmt_value(s, c.kind)
        };
        let mark = match (s.lo, s.hi, c.study_value) {
            (Some(lo), Some(hi), Some(sv)) if !s.suppressed => {
                if sv < lo {
                    "<span class=\"diff-up\" title=\"yours higher than the study\">&#9650; higher</span>"
                } else if sv > hi {
                    "<span class=\"diff-down\" title=\"yours lower than the study\">&#9660; lower</span>"
                } else {
                    "<span title=\"the study's figure is inside your interval\">similar</span>"
                }
            }
            _ => "",
        };
        let title = s.note.clone().unwrap_or_default();
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td title=\"{}\"{}>{}</td><td>{}</td><td>{}</td><td>{mark}</td></tr>",
            esc(&c.measure),
            esc(&c.study),
            esc(&title),
            if s.suppressed { " class=\"sup\"" } else { "" },
            esc(&v),
            esc(&fmt_ci(s, c.kind)),
            s.n.filter(|_| s.value.is_some())
                .map(|n| thousands(n as i64))
                .unwrap_or_default()
        );
    }
    h.push_str("</tbody></table></div></section>");
}

fn work_modes(h: &mut String, r: &Report) {
    h.push_str("<section id=\"modes\"><h2>Work modes</h2>");
    h.push_str("<div class=\"charts\">");
    let items: Vec<_> = STUDY_MODES
        .iter()
        .map(|(m, sv)| {
            let s = r.work_modes.get(m, 1).cloned().unwrap_or_default();
            (
                m.to_string(),
                s.value,
                s.lo.zip(s.hi),
                Some(sv / 100.0),
                s.suppressed,
            )
        })
        .collect();
    chart(
        h,
        "Share of sessions by work mode",
        &paired_hbars(&items),
        &legend(&[(YOURS, "your sessions"), (STUDY, "study")]),
    );
    let t = &r.work_mode_trend;
    let months: Vec<String> = t.rows.iter().map(|r| r.label.clone()).collect();
    let mut lines = Vec::new();
    for (name, color) in [("Fix", YOURS), ("Build", SECOND), ("Operate", STUDY)] {
        if let Some(ci) = t.columns.iter().position(|c| c.name == name) {
            let vals: Vec<Option<f64>> = series(t, ci).into_iter().map(|p| p.1).collect();
            let cis: Vec<Option<(f64, f64)>> = t
                .rows
                .iter()
                .map(|row| {
                    if name == "Fix" {
                        row.cells[ci].lo.zip(row.cells[ci].hi)
                    } else {
                        None
                    }
                })
                .collect();
            lines.push((name.to_string(), color, vals, cis));
        }
    }
    if months.is_empty() {
        chart(
            h,
            "Fix share by month",
            "<p class=\"note\">no dated sessions</p>",
            "",
        );
    } else {
        chart(
            h,
            "Fix, Build and Operate shares by month",
            &line_chart(&months, &lines, Kind::Pct, None),
            &legend(&[
                (YOURS, "Fix (band: 95% interval)"),
                (SECOND, "Build"),
                (STUDY, "Operate"),
            ]),
        );
    }
    h.push_str("</div>");
    table_html(h, &r.work_modes, true);
    table_html(h, &r.work_mode_trend, true);
    h.push_str(
        "<p class=\"note\">Study: the Fix share fell from 33% (October 2025) to 19% (April 2026) \
         while Operate rose from 14% to 21%.</p></section>",
    );
}

fn decisions(h: &mut String, r: &Report) {
    h.push_str("<section id=\"decisions\"><h2>Who decides: planning and execution</h2>");
    let t = &r.decision_distribution;
    let labels: Vec<String> = t.rows.iter().map(|r| r.label.clone()).collect();
    let col = |c: usize| -> Series {
        (
            t.rows.iter().map(|r| r.cells[c].value).collect(),
            t.rows
                .iter()
                .map(|r| r.cells[c].lo.zip(r.cells[c].hi))
                .collect(),
        )
    };
    let (pv, pc) = col(0);
    let (ev, ec) = col(1);
    h.push_str("<div class=\"charts\">");
    chart(
        h,
        "Agent's share of decisions: distribution over sessions",
        &grouped_bars(
            &labels,
            &[
                ("planning".to_string(), YOURS, pv, pc),
                ("execution".to_string(), SECOND, ev, ec),
            ],
            Kind::Pct,
        ),
        &legend(&[
            (YOURS, "planning decisions"),
            (SECOND, "execution decisions"),
        ]),
    );
    let d = &r.decisions;
    let bars = vec![
        bar_of(
            "User share: planning",
            d.rows.first().and_then(|r| r.cells.first()),
            Some(0.70),
        ),
        bar_of(
            "User share: execution",
            d.rows.get(1).and_then(|r| r.cells.first()),
            Some(0.20),
        ),
    ];
    chart(
        h,
        "User's share of decisions (mean over sessions)",
        &bar_chart(&bars, Kind::Pct, YOURS_LIGHT, Some(1.0)),
        &legend(&[
            (YOURS_LIGHT, "your sessions"),
            (STUDY, "study (about 70% / 20%)"),
        ]),
    );
    h.push_str("</div>");
    h.push_str("<div class=\"pair\"><div>");
    table_html(h, &r.decisions, true);
    h.push_str("</div><div>");
    table_html(h, &r.decision_distribution, true);
    h.push_str("</div></div>");
    h.push_str("</section>");
}

fn trouble(h: &mut String, r: &Report) {
    h.push_str("<section id=\"trouble\"><h2>Trouble, occupations and consistency</h2>");
    h.push_str("<div class=\"charts\">");
    let mut tb = level_bars(&r.trouble, 2, None);
    tb[0].reference = Some(0.04);
    tb[4].reference = Some(0.15);
    chart(
        h,
        "Verified success among sessions that hit trouble",
        &bar_chart(&tb, Kind::Pct, YOURS, None),
        &legend(&[
            (YOURS, "your sessions"),
            (STUDY, "study (novice 4%, expert 15%)"),
        ]),
    );
    let c = &r.consistency;
    let labels: Vec<String> = c.rows.iter().map(|r| r.label.clone()).collect();
    let s_v: Vec<Option<f64>> = c.rows.iter().map(|r| r.cells[0].value).collect();
    let f_v: Vec<Option<f64>> = c.rows.iter().map(|r| r.cells[1].value).collect();
    let s_c: Vec<Option<(f64, f64)>> = c
        .rows
        .iter()
        .map(|r| r.cells[0].lo.zip(r.cells[0].hi))
        .collect();
    let f_c: Vec<Option<(f64, f64)>> = c
        .rows
        .iter()
        .map(|r| r.cells[1].lo.zip(r.cells[1].hi))
        .collect();
    chart(
        h,
        "Share judged Succeeded at each signal level",
        &line_chart(
            &labels,
            &[
                ("by success signal".to_string(), SECOND, s_v, s_c),
                ("by failure signal".to_string(), "#dc2626", f_v, f_c),
            ],
            Kind::Pct,
            Some(1.0),
        ),
        &legend(&[
            (SECOND, "by success signal (study: 13% at 1, 90% at 5)"),
            ("#dc2626", "by failure signal (study: 85% at 1, 3% at 5)"),
        ]),
    );
    h.push_str("</div>");
    table_html(h, &r.trouble, true);
    h.push_str("<div class=\"pair\"><div>");
    table_html(h, &r.occupation, true);
    h.push_str("</div><div>");
    table_html(h, &r.consistency, true);
    h.push_str("</div></div>");
    h.push_str("</section>");
}

fn basics(h: &mut String, r: &Report) {
    h.push_str("<section id=\"basics\"><h2>Basics, evidence, agents and months</h2>");
    let _ = write!(h, "<p class=\"note\">{}</p>", esc(&scope_line(r)));
    h.push_str("<div class=\"pair\"><div>");
    table_html(h, &r.basics, true);
    h.push_str("</div><div>");
    table_html(h, &r.evidence, true);
    h.push_str("</div></div>");
    for t in [&r.by_agent, &r.by_month] {
        table_html(h, t, true);
    }
    h.push_str("</section>");
}

fn methods(h: &mut String, r: &Report) {
    let s = &r.scope;
    h.push_str("<section id=\"methods\" class=\"methods\"><h2>Methods</h2><dl>");
    let list = |v: &[(String, usize)]| {
        v.iter()
            .map(|(a, n)| format!("{} ({} sessions)", esc(a), thousands(*n as i64)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = write!(
        h,
        "<dt>Sessions and scope</dt><dd>{} records read. Scope \"{}\": {} non-interactive \
         sessions removed (no human prompt, headless or SDK runs), {} interactive sessions out of \
         the study's scope removed (IDE integrations, SDK, headless surfaces), {} analysed. {} \
         sessions with no clear goal are excluded from success statistics; {} sessions are not \
         classified (no labels); {} have no prompts (no per-prompt ratio).</dd>",
        thousands(s.records as i64),
        esc(&s.scope),
        s.non_interactive_removed,
        s.out_of_scope_removed,
        thousands(s.analysed as i64),
        s.no_clear_goal_excluded,
        s.not_classified,
        s.no_prompts
    );
    let _ = write!(
        h,
        "<dt>Classifier</dt><dd>Backends: {}. Rubric versions: {}. Transcripts cut for \
         classification (truncated): {} of classified sessions; truncation is not evidence of \
         anything, but it hides the middle of long sessions.</dd>",
        list(&r.backends),
        list(&r.rubric_versions),
        esc(&r.truncation_text(|t| fmt_value(t, Kind::Pct)))
    );
    let _ = write!(
        h,
        "<dt>Privacy thresholds</dt><dd>{} in this report: {}. Suppressed cells in this \
         report: {}. A rate is shown when the group it describes (its denominator) passes; a count or a \
         composition share (such as a work mode's share) also needs the counted sessions to \
         pass. People appear only as pseudonyms; no input folder names are shown{}.{}</dd>",
        if r.people == 1 {
            "1 person".to_string()
        } else {
            format!("{} people", r.people)
        },
        esc(&r.thresholds.describe()),
        suppressed_cells(r),
        if r.sessions.is_some() {
            "; per-session detail is shown because the report covers one person"
        } else {
            " and no per-session detail"
        },
        if r.thresholds.active {
            " When a single row of a table whose rows add up to a total is suppressed, the next \
             smallest row is suppressed too (secondary suppression), so the hidden figure cannot \
             be recovered by subtraction."
        } else {
            ""
        }
    );
    h.push_str(
        "<dt>Intervals</dt><dd>95% intervals. Means and geometric means: percentile intervals \
         from a bootstrap that resamples whole people (1,000 replicates, fixed seed, so the same \
         records give the same report); in a one-person report the sessions are resampled. \
         Rates: the wider of that bootstrap interval and the Wilson score interval (the bootstrap \
         collapses at 0% and 100% and in small cells; Wilson ignores that sessions of one person \
         are alike); both are in the JSON output. When a cell has so many people that resampling \
         would take more than 4 million draws, the linearised cluster-robust interval is used \
         instead (the two agree closely at that size). Adjusted rates and regression effects: plus or \
         minus 1.96 cluster-robust standard errors.</dd>\
         <dt>Definitions</dt><dd>Verified success: judged Succeeded and success signal 4 or 5. \
         Judged success: Succeeded. At least partial: Succeeded or Partially Succeeded. Hits \
         trouble: failure signal 3 or more. Abandoned: Failed with no line of code added. \
         Code-producing: at least one line added. Actions: the main session's tool calls \
         (sub-agent calls are counted separately and never folded in). Actions and words per \
         prompt are summarised by geometric means over sessions whose ratio is above zero: \
         sessions with no actions (or no output words) are left out of the geometric mean and \
         counted here instead, sessions with no prompts have no ratio. User keeps execution \
         control: the user made over 80% of execution decisions; agent controls planning: the \
         agent made over 80% of planning decisions.</dd>",
    );
    let _ = write!(
        h,
        "<dt>Zeros</dt><dd>{} analysed sessions had no actions and {} no output words; they \
         count in every rate but not in the geometric means.</dd>",
        s.zero_actions, s.zero_words
    );
    let _ = write!(
        h,
        "<dt>Adjusted rates</dt><dd>Linear probability model of verified success on expertise \
         (levels 1-5; Unclear and unclassified sessions left out) with absorbed fixed effects for \
         {}. Singleton cells carry no information and are dropped. Standard errors are clustered \
         by user with the CR1 small-sample correction. The slope version uses the level as a \
         number; the step version uses one indicator per level with the lowest present level \
         as base. The interval of an adjusted rate covers the uncertainty of the steps, not of \
         the overall rate the rates are centred on. Actions and words per prompt: the same model \
         on the logarithm, reported as percent change per level. {}</dd>",
        esc(&r.adjusted.controls),
        esc(&r.adjusted.note)
    );
    h.push_str(
        "<dt>The study</dt><dd>Hitzig, Massenkoff, Lyubich, Heller, McCrory, \"Agentic coding and \
         persistent returns to expertise\" (Anthropic, 2026). Its figures are shown as published; \
         differences can come from the population, the agent, the period and the classifier \
         backend as much as from how you work.</dd></dl></section>",
    );
}

fn sessions(h: &mut String, rows: &[crate::analyze::SessionRow]) {
    const LIMIT: usize = 2000;
    h.push_str("<section id=\"sessions\"><h2>Sessions</h2>");
    let _ = write!(
        h,
        "<p class=\"note\">One person's report: every session with its labels, newest first{}.</p>",
        if rows.len() > LIMIT {
            format!(" (the {LIMIT} newest of {})", rows.len())
        } else {
            String::new()
        }
    );
    h.push_str(
        "<p><input id=\"session-filter\" type=\"search\" placeholder=\"Filter sessions (any text: \
         project, work mode, outcome...)\" style=\"width:100%;max-width:420px;padding:6px 8px;\
         border:1px solid #d1d5db;border-radius:6px;font:inherit\"></p>\
         <script>document.getElementById('session-filter').addEventListener('input',function(e){\
         var q=e.target.value.toLowerCase();\
         document.querySelectorAll('#session-table tbody tr').forEach(function(tr){\
         tr.style.display=tr.textContent.toLowerCase().indexOf(q)<0?'none':'';});});</script>",
    );
    h.push_str(
        "<div class=\"wrap\"><table id=\"session-table\"><thead><tr><th>Start</th><th>Session</th><th>Agent</th>\
         <th>Project</th><th>Prompts</th><th>Actions</th><th>Actions/prompt</th><th>Work mode</th>\
         <th>Expertise</th><th>Outcome</th><th>Success sig.</th><th>Failure sig.</th>\
         <th>Verified</th></tr></thead><tbody>",
    );
    for s in rows.iter().take(LIMIT) {
        let _ =
            write!(
            h,
            "<tr><td>{}</td><td title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.start.as_deref().unwrap_or("-").replace('T', " ").replace('Z', "")),
            esc(&s.session_id),
            esc(&s.session_id.chars().take(8).collect::<String>()),
            esc(&s.agent),
            esc(s.project.as_deref().unwrap_or("-")),
            s.prompts,
            s.actions,
            s.actions_per_prompt
                .map(|v| fmt_num(v, Kind::Num))
                .unwrap_or_else(|| "-".into()),
            esc(&s.work_mode),
            esc(&s.expertise),
            esc(&s.outcome),
            esc(&s.success_signal),
            esc(&s.failure_signal),
            match s.verified_success {
                Some(true) => "yes",
                Some(false) => "no",
                None => "-",
            }
        );
    }
    h.push_str("</tbody></table></div></section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn nice_axis_maxima() {
        assert_eq!(nice_scale(0.347), (0.4, 0.1));
        let (top, step) = nice_scale(11.7);
        assert_eq!((top, step), (15.0, 5.0));
        assert_eq!(ticks(top, step), vec![0.0, 5.0, 10.0, 15.0]);
        assert_eq!(nice_scale(0.0), (1.0, 0.25));
        let (top, step) = nice_scale(3200.0);
        assert_eq!((top, step), (4000.0, 1000.0));
    }
}
