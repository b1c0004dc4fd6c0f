//! Intervals: Wilson score intervals for rates, and percentile intervals from
//! a user-clustered bootstrap (whole users are resampled with replacement, so
//! a person with many sessions counts as one draw). Deterministic: the PRNG is
//! a seeded SplitMix64, so the same records give the same report.

/// Two-sided 95% normal quantile.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Bootstrap replicates per cell.
pub const BOOT_REPS: usize = 1000;

/// Wilson score interval (95%) for `k` successes out of `n`.
pub fn wilson(k: f64, n: f64) -> Option<(f64, f64)> {
    if n <= 0.0 || k < 0.0 || k > n {
        return None;
    }
    let z2 = Z95 * Z95;
    let p = k / n;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// SplitMix64: small, fast, good enough for resampling, fully deterministic.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// A generator seeded from a label (so each cell has its own stream).
    pub fn for_label(label: &str) -> Self {
        // FNV-1a over the label, mixed with a fixed project constant.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h ^ 0x5eed_a6e7_c0de_2026)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, n) (n > 0), by multiply-shift (bias below 2^-32 for our n).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 32).wrapping_mul(n as u64) >> 32) as usize
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-300);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// Quantile of sorted data (linear interpolation between order statistics).
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Percentile interval (95%) of the ratio sum(num)/sum(den) when whole
/// clusters are resampled with replacement. `clusters` holds each cluster's
/// (sum of numerator, sum of denominator). None with fewer than 2 clusters.
pub fn cluster_bootstrap_ratio(
    clusters: &[(f64, f64)],
    reps: usize,
    rng: &mut Rng,
) -> Option<(f64, f64)> {
    let g = clusters.len();
    if g < 2 || reps == 0 {
        return None;
    }
    let mut stats = Vec::with_capacity(reps);
    for _ in 0..reps {
        let (mut num, mut den) = (0.0, 0.0);
        for _ in 0..g {
            let c = clusters[rng.below(g)];
            num += c.0;
            den += c.1;
        }
        if den > 0.0 {
            stats.push(num / den);
        }
    }
    stats.sort_by(|a, b| a.total_cmp(b));
    Some((quantile(&stats, 0.025)?, quantile(&stats, 0.975)?))
}

/// Above this many cluster draws (replicates x clusters) a cell uses the
/// linearised cluster-robust interval instead of resampling: with thousands
/// of people the normal approximation is excellent and the bootstrap would
/// dominate the run time.
pub const BOOT_BUDGET: usize = 4_000_000;

/// 95% interval of the ratio sum(num)/sum(den) with clusters: linearised
/// (delta-method) cluster-robust variance with the G/(G-1) correction:
/// var = G/(G-1) * sum_g (num_g - R den_g)^2 / (sum den)^2.
pub fn cluster_linearised_ratio(clusters: &[(f64, f64)]) -> Option<(f64, f64)> {
    let g = clusters.len();
    let den: f64 = clusters.iter().map(|c| c.1).sum();
    if g < 2 || den <= 0.0 {
        return None;
    }
    let r = clusters.iter().map(|c| c.0).sum::<f64>() / den;
    let ss: f64 = clusters.iter().map(|c| (c.0 - r * c.1).powi(2)).sum();
    let se = (g as f64 / (g as f64 - 1.0) * ss).sqrt() / den;
    Some((r - Z95 * se, r + Z95 * se))
}

/// The clustered interval of a ratio: bootstrap while it is affordable,
/// linearised beyond `BOOT_BUDGET` draws.
pub fn cluster_ratio_interval(
    clusters: &[(f64, f64)],
    reps: usize,
    rng: &mut Rng,
) -> Option<(f64, f64)> {
    if clusters.len().saturating_mul(reps) > BOOT_BUDGET {
        cluster_linearised_ratio(clusters)
    } else {
        cluster_bootstrap_ratio(clusters, reps, rng)
    }
}

/// Geometric mean of positive values (None when there are none).
pub fn geometric_mean(values: &[f64]) -> Option<f64> {
    let pos: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    if pos.is_empty() {
        return None;
    }
    Some((pos.iter().map(|v| v.ln()).sum::<f64>() / pos.len() as f64).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_hand_computed_values() {
        // 8 of 10: centre (0.8 + 1.9208/10)/1.38415 = 0.71674,
        // half 1.96*sqrt(0.016 + 0.0096037)/1.38415 = 0.22658.
        let (lo, hi) = wilson(8.0, 10.0).unwrap();
        assert!((lo - 0.4902).abs() < 1e-3, "{lo}");
        assert!((hi - 0.9433).abs() < 1e-3, "{hi}");
        // 0 of 20: lower bound is exactly 0, upper 3.84/23.84 = 0.1611.
        let (lo, hi) = wilson(0.0, 20.0).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.1611).abs() < 1e-3, "{hi}");
        assert!(wilson(1.0, 0.0).is_none());
        assert!(wilson(3.0, 2.0).is_none());
    }

    #[test]
    fn rng_is_deterministic_and_uniform_enough() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut counts = [0usize; 4];
        for _ in 0..40_000 {
            counts[a.below(4)] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
        let mean: f64 = (0..20_000).map(|_| a.normal()).sum::<f64>() / 20_000.0;
        assert!(mean.abs() < 0.05, "{mean}");
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), Some(3.0));
        assert_eq!(quantile(&v, 0.9), Some(4.6));
        assert_eq!(quantile(&v, 0.0), Some(1.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn geometric_mean_ignores_non_positive_values() {
        let g = geometric_mean(&[1.0, 4.0, 16.0, 0.0]).unwrap();
        assert!((g - 4.0).abs() < 1e-12);
        assert!(geometric_mean(&[0.0]).is_none());
    }

    #[test]
    fn linearised_and_bootstrap_intervals_agree_on_many_clusters() {
        let mut rng = Rng::new(3);
        let cl: Vec<(f64, f64)> = (0..400)
            .map(|_| {
                let n = 1 + rng.below(20);
                let p = 0.2 + 0.3 * rng.unit();
                let k = (0..n).filter(|_| rng.unit() < p).count();
                (k as f64, n as f64)
            })
            .collect();
        let a = cluster_linearised_ratio(&cl).unwrap();
        let b = cluster_bootstrap_ratio(&cl, 2000, &mut Rng::new(9)).unwrap();
        assert!(
            (a.0 - b.0).abs() < 0.01 && (a.1 - b.1).abs() < 0.01,
            "{a:?} {b:?}"
        );
        // Hand-computed: clusters (1,2) and (3,4): R = 4/6, residuals
        // 1 - 4/3 = -1/3 and 3 - 8/3 = 1/3; var = 2 * (2/9) / 36 = 1/81.
        let (lo, hi) = cluster_linearised_ratio(&[(1.0, 2.0), (3.0, 4.0)]).unwrap();
        assert!((hi - lo - 2.0 * Z95 / 9.0).abs() < 1e-12);
    }

    #[test]
    fn cluster_bootstrap_is_wider_when_users_differ() {
        // 20 users with 10 sessions each. Homogeneous: every user succeeds
        // on 5 of 10. Heterogeneous: half the users always succeed, half
        // never: same overall rate, much more between-user variation.
        let homo: Vec<(f64, f64)> = (0..20).map(|_| (5.0, 10.0)).collect();
        let hetero: Vec<(f64, f64)> = (0..20)
            .map(|i| (if i % 2 == 0 { 10.0 } else { 0.0 }, 10.0))
            .collect();
        let h = cluster_bootstrap_ratio(&homo, 500, &mut Rng::new(1)).unwrap();
        let x = cluster_bootstrap_ratio(&hetero, 500, &mut Rng::new(1)).unwrap();
        assert!(
            (h.1 - h.0).abs() < 1e-12,
            "no between-user variation: {h:?}"
        );
        assert!(x.0 < 0.4 && x.1 > 0.6, "{x:?}");
        // Same seed, same interval.
        assert_eq!(
            x,
            cluster_bootstrap_ratio(&hetero, 500, &mut Rng::new(1)).unwrap()
        );
        assert!(cluster_bootstrap_ratio(&homo[..1], 500, &mut Rng::new(1)).is_none());
    }
}
