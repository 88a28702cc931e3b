//! Grades, climbs and terrain classes from an elevation profile.
//!
//! Pure functions over `(chainage_m, elevation_m)` points in chainage order, so they can be
//! checked on hand-made profiles. Grades are in percent (rise over run × 100).

use serde::Serialize;

use super::model::ProfilePoint;
use super::settings::TerrainThresholds;

/// A terrain class, from the relief along the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TerrainClass {
    Flat,
    Rolling,
    Hilly,
    Mountainous,
}

/// The class of terrain with `relief_m` of relief per window.
#[must_use]
pub fn classify(relief_m: f64, t: &TerrainThresholds) -> TerrainClass {
    if relief_m < t.flat_max_relief_m {
        TerrainClass::Flat
    } else if relief_m < t.rolling_max_relief_m {
        TerrainClass::Rolling
    } else if relief_m < t.hilly_max_relief_m {
        TerrainClass::Hilly
    } else {
        TerrainClass::Mountainous
    }
}

/// Total rise and total fall (both positive, m) between consecutive points.
#[must_use]
pub fn climb_descent_m(points: &[ProfilePoint]) -> (f64, f64) {
    points.windows(2).fold((0.0, 0.0), |(up, down), w| {
        let dh = w[1].elevation_m - w[0].elevation_m;
        if dh > 0.0 {
            (up + dh, down)
        } else {
            (up, down - dh)
        }
    })
}

/// Elevation at `chainage_m`, linear between points and clamped to the ends.
#[must_use]
pub fn elevation_at(points: &[ProfilePoint], chainage_m: f64) -> Option<f64> {
    let first = points.first()?;
    let last = points.last()?;
    if chainage_m <= first.chainage_m {
        return Some(first.elevation_m);
    }
    if chainage_m >= last.chainage_m {
        return Some(last.elevation_m);
    }
    let j = points
        .partition_point(|p| p.chainage_m <= chainage_m)
        .clamp(1, points.len() - 1);
    let (a, b) = (points[j - 1], points[j]);
    let span = b.chainage_m - a.chainage_m;
    if span <= 0.0 {
        return Some(b.elevation_m);
    }
    Some(a.elevation_m + (b.elevation_m - a.elevation_m) * (chainage_m - a.chainage_m) / span)
}

/// The steepest average grade (%) over any `window_m` of the profile, measured from every
/// point to the (interpolated) elevation `window_m` further on. A profile shorter than the
/// window gives its end-to-end grade.
#[must_use]
pub fn steepest_grade_pct(points: &[ProfilePoint], window_m: f64) -> f64 {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return 0.0;
    };
    let span = last.chainage_m - first.chainage_m;
    if span <= 0.0 || window_m <= 0.0 {
        return 0.0;
    }
    if span <= window_m {
        return (last.elevation_m - first.elevation_m).abs() / span * 100.0;
    }
    let mut steepest: f64 = 0.0;
    let mut j = 0;
    for p in points {
        let end = p.chainage_m + window_m;
        if end > last.chainage_m {
            break;
        }
        while j + 1 < points.len() && points[j + 1].chainage_m < end {
            j += 1;
        }
        let (a, b) = (points[j], points[(j + 1).min(points.len() - 1)]);
        let h_end = if b.chainage_m > a.chainage_m {
            a.elevation_m
                + (b.elevation_m - a.elevation_m) * (end - a.chainage_m)
                    / (b.chainage_m - a.chainage_m)
        } else {
            b.elevation_m
        };
        steepest = steepest.max((h_end - p.elevation_m).abs() / window_m * 100.0);
    }
    steepest
}

/// Average grade (%) over the `window_m` centred on `chainage_m` (cut at the profile's ends).
#[must_use]
pub fn grade_around_pct(points: &[ProfilePoint], chainage_m: f64, window_m: f64) -> Option<f64> {
    let first = points.first()?.chainage_m;
    let last = points.last()?.chainage_m;
    let lo = (chainage_m - window_m / 2.0).max(first);
    let hi = (chainage_m + window_m / 2.0).min(last);
    if hi <= lo {
        return None;
    }
    let dh = elevation_at(points, hi)? - elevation_at(points, lo)?;
    Some(dh.abs() / (hi - lo) * 100.0)
}

/// Relief (max − min elevation, m) within the `window_m` centred on `chainage_m`, counting
/// the interpolated elevations at the window's edges.
#[must_use]
pub fn relief_around_m(points: &[ProfilePoint], chainage_m: f64, window_m: f64) -> Option<f64> {
    let first = points.first()?.chainage_m;
    let last = points.last()?.chainage_m;
    let lo = (chainage_m - window_m / 2.0).max(first);
    let hi = (chainage_m + window_m / 2.0).min(last);
    let (mut min, mut max) = {
        let (a, b) = (elevation_at(points, lo)?, elevation_at(points, hi)?);
        (a.min(b), a.max(b))
    };
    let start = points.partition_point(|p| p.chainage_m < lo);
    for p in points[start..].iter().take_while(|p| p.chainage_m <= hi) {
        min = min.min(p.elevation_m);
        max = max.max(p.elevation_m);
    }
    Some(max - min)
}

/// [`grade_around_pct`] for many centres at once: `centres_m` must be in increasing order.
/// Interpolates with pointers that only move forward instead of a search per centre.
#[must_use]
pub fn grades_around_pct(
    points: &[ProfilePoint],
    centres_m: &[f64],
    window_m: f64,
) -> Vec<Option<f64>> {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return vec![None; centres_m.len()];
    };
    let (first, last) = (first.chainage_m, last.chainage_m);
    let mut cursor_lo = Cursor::default();
    let mut cursor_hi = Cursor::default();
    centres_m
        .iter()
        .map(|&c| {
            let lo = (c - window_m / 2.0).max(first);
            let hi = (c + window_m / 2.0).min(last);
            if hi <= lo {
                return None;
            }
            let dh = cursor_hi.elevation_at(points, hi) - cursor_lo.elevation_at(points, lo);
            Some(dh.abs() / (hi - lo) * 100.0)
        })
        .collect()
}

/// Linear interpolation along a profile for chainages that never decrease.
#[derive(Default)]
struct Cursor {
    /// Index of the last point at or before the previous chainage.
    at: usize,
}

impl Cursor {
    /// Elevation at `chainage_m` (clamped to the ends); `points` must not be empty.
    fn elevation_at(&mut self, points: &[ProfilePoint], chainage_m: f64) -> f64 {
        while self.at + 1 < points.len() && points[self.at + 1].chainage_m <= chainage_m {
            self.at += 1;
        }
        let a = points[self.at];
        match points.get(self.at + 1) {
            Some(b) if chainage_m > a.chainage_m && b.chainage_m > a.chainage_m => {
                a.elevation_m
                    + (b.elevation_m - a.elevation_m) * (chainage_m - a.chainage_m)
                        / (b.chainage_m - a.chainage_m)
            }
            _ => a.elevation_m,
        }
    }
}

/// [`relief_around_m`] for many centres at once, in one pass: `centres_m` must be in
/// increasing order (as interval midpoints along a line are). The window slides, so the cost
/// is linear in points plus centres instead of their product.
#[must_use]
pub fn reliefs_around_m(
    points: &[ProfilePoint],
    centres_m: &[f64],
    window_m: f64,
) -> Vec<Option<f64>> {
    use std::collections::VecDeque;
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return vec![None; centres_m.len()];
    };
    let (first, last) = (first.chainage_m, last.chainage_m);
    // Monotonic deques of point indices inside the window: elevations increasing (front is
    // the minimum) and decreasing (front is the maximum).
    let mut mins: VecDeque<usize> = VecDeque::new();
    let mut maxs: VecDeque<usize> = VecDeque::new();
    let mut next = 0; // first point not yet pushed
    let mut cursor_lo = Cursor::default();
    let mut cursor_hi = Cursor::default();
    let mut out = Vec::with_capacity(centres_m.len());
    for &c in centres_m {
        let lo = (c - window_m / 2.0).max(first);
        let hi = (c + window_m / 2.0).min(last);
        while next < points.len() && points[next].chainage_m <= hi {
            let h = points[next].elevation_m;
            while mins.back().is_some_and(|&k| points[k].elevation_m >= h) {
                mins.pop_back();
            }
            mins.push_back(next);
            while maxs.back().is_some_and(|&k| points[k].elevation_m <= h) {
                maxs.pop_back();
            }
            maxs.push_back(next);
            next += 1;
        }
        while mins.front().is_some_and(|&k| points[k].chainage_m < lo) {
            mins.pop_front();
        }
        while maxs.front().is_some_and(|&k| points[k].chainage_m < lo) {
            maxs.pop_front();
        }
        let (a, b) = (
            cursor_lo.elevation_at(points, lo),
            cursor_hi.elevation_at(points, hi),
        );
        let mut min = a.min(b);
        let mut max = a.max(b);
        if let Some(&k) = mins.front() {
            min = min.min(points[k].elevation_m);
        }
        if let Some(&k) = maxs.front() {
            max = max.max(points[k].elevation_m);
        }
        out.push(Some(max - min));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(pairs: &[(f64, f64)]) -> Vec<ProfilePoint> {
        pairs
            .iter()
            .map(|&(chainage_m, elevation_m)| ProfilePoint {
                chainage_m,
                elevation_m,
            })
            .collect()
    }

    #[test]
    fn a_ramp_and_back_climbs_and_descends_its_height() {
        // Up 100 m over 2 km, flat for 1 km, down 40 m over 1 km.
        let p = profile(&[
            (0.0, 500.0),
            (1000.0, 550.0),
            (2000.0, 600.0),
            (3000.0, 600.0),
            (4000.0, 560.0),
        ]);
        let (up, down) = climb_descent_m(&p);
        assert!((up - 100.0).abs() < 1e-9);
        assert!((down - 40.0).abs() < 1e-9);
        // Steepest 1 km: the 40 m fall = 4 %. Steepest 2 km window: 0→2000 m, 100 m = 5 %.
        assert!((steepest_grade_pct(&p, 1000.0) - 5.0).abs() < 1e-9);
        assert!((steepest_grade_pct(&p, 2000.0) - 5.0).abs() < 1e-9);
        // Over 3 km: 0→3000 (100 m) = 3.33 %, 1000→4000 (10 m), so 3.33 %.
        assert!((steepest_grade_pct(&p, 3000.0) - 100.0 / 30.0).abs() < 1e-9);
        // Longer than the profile: end to end, 60 m over 4 km.
        assert!((steepest_grade_pct(&p, 10_000.0) - 1.5).abs() < 1e-9);
    }

    #[test]
    fn interpolation_and_windows_use_the_points_between() {
        let p = profile(&[(0.0, 0.0), (1000.0, 100.0), (2000.0, 0.0)]);
        assert_eq!(elevation_at(&p, 500.0), Some(50.0));
        assert_eq!(elevation_at(&p, -5.0), Some(0.0));
        // The window 500..1500 spans the 100 m summit: relief 50 m, grade 0 %.
        assert_eq!(relief_around_m(&p, 1000.0, 1000.0), Some(50.0));
        assert_eq!(grade_around_pct(&p, 1000.0, 1000.0), Some(0.0));
        assert_eq!(grade_around_pct(&p, 500.0, 1000.0), Some(10.0));
        assert_eq!(grade_around_pct(&[], 500.0, 1000.0), None);
    }

    #[test]
    fn sliding_relief_and_grade_agree_with_the_direct_ones() {
        // A bumpy deterministic profile with uneven spacing.
        let p: Vec<ProfilePoint> = (0..400)
            .map(|i| {
                let x = f64::from(i);
                ProfilePoint {
                    chainage_m: x * 237.0 + (x * 1.3).sin() * 50.0,
                    elevation_m: 800.0 * (x * 0.05).sin() + 90.0 * (x * 0.9).cos(),
                }
            })
            .collect();
        let centres: Vec<f64> = (0..500).map(|i| f64::from(i) * 190.0 - 300.0).collect();
        let fast = reliefs_around_m(&p, &centres, 10_000.0);
        for (c, f) in centres.iter().zip(fast) {
            let slow = relief_around_m(&p, *c, 10_000.0);
            assert_eq!(
                f.map(|v| (v * 1e6).round()),
                slow.map(|v| (v * 1e6).round()),
                "at {c}"
            );
        }
    }

    #[test]
    fn thresholds_split_terrain_into_four_classes() {
        let t = TerrainThresholds::default();
        assert_eq!(classify(0.0, &t), TerrainClass::Flat);
        assert_eq!(classify(t.flat_max_relief_m, &t), TerrainClass::Rolling);
        assert_eq!(classify(t.rolling_max_relief_m, &t), TerrainClass::Hilly);
        assert_eq!(
            classify(t.hilly_max_relief_m, &t),
            TerrainClass::Mountainous
        );
    }
}
