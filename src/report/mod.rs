//! Outputs: terminal summary, self-contained HTML, JSON, CSV tables.

pub mod csv;
pub mod html;
pub mod json;
pub mod terminal;

use crate::analyze::cells::Stat;
use crate::analyze::Kind;

/// The figure of a cell as text ("suppressed", "n/a" when missing).
pub fn fmt_value(s: &Stat, kind: Kind) -> String {
    if s.suppressed {
        return "suppressed".into();
    }
    match s.value {
        Some(v) => fmt_num(v, kind),
        None => "-".into(),
    }
}

pub fn fmt_num(v: f64, kind: Kind) -> String {
    match kind {
        Kind::Pct => format!("{:.1}%", v * 100.0),
        Kind::Num => {
            if v.abs() >= 1000.0 {
                thousands(v.round() as i64)
            } else if v.abs() >= 100.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        }
        Kind::Count => thousands(v.round() as i64),
        Kind::Points => format!("{:+.1} pts", v * 100.0),
        Kind::Change => format!("{:+.1}%", v * 100.0),
    }
}

/// "[lo, hi]" of a cell's interval, or empty.
pub fn fmt_ci(s: &Stat, kind: Kind) -> String {
    match (s.lo, s.hi) {
        (Some(lo), Some(hi)) if !s.suppressed => {
            let f = |v: f64| match kind {
                Kind::Pct => format!("{:.1}", v * 100.0),
                Kind::Points | Kind::Change => format!("{:+.1}", v * 100.0),
                _ => fmt_num(v, kind),
            };
            format!("[{}, {}]", f(lo), f(hi))
        }
        _ => String::new(),
    }
}

pub fn thousands(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(-999), "-999");
        assert_eq!(fmt_num(0.1234, Kind::Pct), "12.3%");
        assert_eq!(fmt_num(3210.4, Kind::Num), "3,210");
        assert_eq!(fmt_num(4.94, Kind::Num), "4.9");
        let s = Stat {
            value: Some(0.5),
            lo: Some(0.4),
            hi: Some(0.6),
            ..Default::default()
        };
        assert_eq!(fmt_value(&s, Kind::Pct), "50.0%");
        assert_eq!(fmt_ci(&s, Kind::Pct), "[40.0, 60.0]");
        let sup = Stat {
            suppressed: true,
            ..Default::default()
        };
        assert_eq!(fmt_value(&sup, Kind::Pct), "suppressed");
    }
}
