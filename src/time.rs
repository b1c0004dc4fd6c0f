//! Minimal UTC timestamp handling: RFC 3339 parsing to milliseconds since the
//! Unix epoch, and formatting of months and dates. Kept in-house so the
//! dependency tree stays small.

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

/// Days since the epoch for a proleptic Gregorian civil date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Civil date (year, month, day) for days since the epoch.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn num(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0i64, |a, &c| a * 10 + (c - b'0') as i64))
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]` (also with a space instead of
/// `T`, and a bare date). Returns None for anything else.
pub fn parse_rfc3339(s: &str) -> Option<Millis> {
    let b = s.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut ms = days_from_civil(y, mo, d) * 86_400_000;
    if b.len() == 10 {
        return Some(ms);
    }
    if (b[10] != b'T' && b[10] != b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, se) = (num(&b[11..13])?, num(&b[14..16])?, num(&b[17..19])?);
    ms += ((h * 60 + mi) * 60 + se) * 1000;
    let mut i = 19;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let frac = &b[start..i];
        let mut f = 0i64;
        for k in 0..3 {
            f = f * 10 + frac.get(k).map(|c| (c - b'0') as i64).unwrap_or(0);
        }
        ms += f;
    }
    match b.get(i) {
        None | Some(b'Z') | Some(b'z') => Some(ms),
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &b[i + 1..];
            if rest.len() < 5 {
                return None;
            }
            let off = (num(&rest[0..2])? * 60 + num(&rest[3..5])?) * 60_000;
            Some(if sign == b'+' { ms - off } else { ms + off })
        }
        _ => None,
    }
}

/// `YYYY-MM` of a timestamp (UTC).
pub fn month(ms: Millis) -> String {
    let (y, m, _) = civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}")
}

/// `YYYY-MM-DD` of a timestamp (UTC).
pub fn date(ms: Millis) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// RFC 3339 text of a timestamp (UTC, whole seconds).
pub fn format_rfc3339(ms: Millis) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let r = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        r / 3600,
        r / 60 % 60,
        r % 60
    )
}

/// Seconds since the epoch, from a float (Codex and others write epoch seconds).
pub fn from_epoch_seconds(s: f64) -> Millis {
    (s * 1000.0).round() as Millis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let t = parse_rfc3339("2025-10-31T23:59:58.123Z").unwrap();
        assert_eq!(month(t), "2025-10");
        assert_eq!(format_rfc3339(t), "2025-10-31T23:59:58Z");
        assert_eq!(t % 1000, 123);
        let u = parse_rfc3339("2025-11-01T01:59:58+02:00").unwrap();
        assert_eq!(u, t - 123);
        assert_eq!(date(parse_rfc3339("2024-02-29").unwrap()), "2024-02-29");
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert!(parse_rfc3339("yesterday").is_none());
        assert!(parse_rfc3339("2025-13-01T00:00:00Z").is_none());
    }
}
