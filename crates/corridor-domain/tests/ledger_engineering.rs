#![allow(clippy::expect_used, clippy::unwrap_used)] // tests: a panic is a failed test
//! Railway engineering in the ledger (issue 18), against hand-computed values and brute
//! force: curve radii and speeds, the design grade line (grade limit, optimality, tunnels and
//! bridges), and the train run against the closed form of a flat line.

use corridor_domain::measure::ledger::curves::{CurveRules, fit_curves};
use corridor_domain::measure::ledger::design_line::{
    DesignRules, LEVELS_PER_STEP, design_line, optimise,
};
use corridor_domain::measure::ledger::train::{Track, Train, run};
use corridor_domain::measure::ledger::{ProfilePoint, StructureKind};
use geo::{Coord, Distance, Geodesic, Point};

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol}"
    );
}

fn rules_120() -> CurveRules {
    // 120 km/h, c = 150 mm, d = 100 mm: R_min = 11.8 × 120² / 250 = 679.68 m.
    CurveRules {
        min_radius_m: 679.68,
        cant_mm: 150.0,
        cant_deficiency_mm: 100.0,
    }
}

fn segments(v: &[Coord<f64>]) -> (Vec<f64>, Vec<f64>) {
    let seg: Vec<f64> = v
        .windows(2)
        .map(|w| Geodesic.distance(Point::from(w[0]), Point::from(w[1])))
        .collect();
    let mut ch = vec![0.0];
    for s in &seg {
        ch.push(ch.last().unwrap() + s);
    }
    (seg, ch)
}

#[test]
fn a_right_angle_corner_gets_the_radius_of_its_shorter_tangent() {
    // North along the equator's meridian 0.01°, then east 0.01°. By hand (WGS84): the
    // meridian arc is M·Δφ with M = a(1 − e²) = 6,335,439.3 m at the equator, so
    // 6,335,439.3 × 0.01 × π/180 = 1,105.742 m; the eastward leg at 0.01° N is
    // a·Δλ = 6,378,137 × 0.01 × π/180 = 1,113.195 m (cos 0.01° = 1 − 1.5e-8). Both legs end
    // at a line end, so each is wholly the corner's, and with Δ = 90° the largest curve has
    // T = min(1,105.742, 1,113.195) and R = T / tan 45° = 1,105.742 m.
    let v = [
        Coord { x: 0.0, y: 0.0 },
        Coord { x: 0.0, y: 0.01 },
        Coord { x: 0.01, y: 0.01 },
    ];
    let (seg, ch) = segments(&v);
    let fitted = fit_curves(&v, &seg, &ch, &[], rules_120());
    assert_eq!(fitted.curves.len(), 1);
    let c = &fitted.curves[0];
    close(c.deflection_deg, 90.0, 1e-4, "deflection");
    close(c.radius_m, 1105.742, 0.05, "radius");
    close(c.tangent_m, 1105.742, 0.05, "tangent");
    close(
        c.length_m,
        1105.742 * std::f64::consts::FRAC_PI_2,
        0.1,
        "arc",
    );
    // The curve starts at the first vertex: the whole first leg is tangent.
    close(c.start_m, 0.0, 0.05, "curve start along the curved line");
    // Curved length: (1,113.195 − 1,105.742) + π/2 × 1,105.742 = 7.453 + 1,736.894.
    close(fitted.curved_length_m, 1744.347, 0.1, "curved length");
    // v = √(1,105.742 × 250 / 11.8) = 153.06 km/h; above R_min, so not listed as tight.
    close(c.allowed_speed_kmh, 153.06, 0.01, "allowed speed");
    assert!(!c.below_min);
}

#[test]
fn shared_straights_are_split_and_tight_curves_are_listed_with_their_speed() {
    // A zigzag of four legs of 0.004° along the equator's neighbourhood: each interior
    // vertex turns 90°; the middle legs are shared, so their curves get half of them.
    let v = [
        Coord { x: 0.0, y: 0.0 },
        Coord { x: 0.0, y: 0.004 },
        Coord { x: 0.004, y: 0.004 },
        Coord { x: 0.004, y: 0.008 },
    ];
    let (seg, ch) = segments(&v);
    let fitted = fit_curves(&v, &seg, &ch, &[None, None, Some(300.0)], rules_120());
    assert_eq!(fitted.curves.len(), 2);
    let (a, b) = (&fitted.curves[0], &fitted.curves[1]);
    // Vertex 1: first leg (meridian, 442.297 m) wholly its own, second leg (445.278 m) half:
    // T = min(442.297, 222.639) = 222.639 m = R (Δ = 90°).
    close(
        a.radius_m,
        6_378_137.0 * 0.004_f64.to_radians() / 2.0,
        0.05,
        "fitted radius",
    );
    assert!(a.below_min && !a.user_radius);
    // v = √(222.639 × 250 / 11.8) = 68.68 km/h.
    close(a.allowed_speed_kmh, 68.68, 0.01, "speed in the tight curve");
    // Vertex 2: the user's 300 m radius: T = 300 m > its 222.6 m of room, so it overlaps.
    assert!(b.user_radius && b.overlaps);
    close(b.radius_m, 300.0, 0.0, "user radius");
    close(
        b.allowed_speed_kmh,
        (300.0_f64 * 250.0 / 11.8).sqrt(),
        1e-9,
        "speed",
    );
}

/// A deterministic pseudo-random sequence (SplitMix64), for profiles.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn rules(max_grade_pct: f64, spacing_m: f64) -> DesignRules {
    DesignRules {
        max_grade_pct,
        tunnel_cut_m: 25.0,
        bridge_fill_m: 15.0,
        formation_width_m: 10.0,
        side_slope: 1.5,
        earthworks_usd_per_m3: 5.0,
        tunnel_usd_per_m: 40_000.0,
        bridge_usd_per_m: 25_000.0,
        station_spacing_m: spacing_m,
    }
}

fn profile(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<ProfilePoint> {
    points
        .into_iter()
        .map(|(chainage_m, elevation_m)| ProfilePoint {
            chainage_m,
            elevation_m,
        })
        .collect()
}

#[test]
fn the_design_line_never_exceeds_the_maximum_grade_on_random_profiles() {
    let mut rng = Rng(18);
    for case in 0..40 {
        let n = 20 + (rng.next() * 400.0) as usize;
        let max_grade = 0.5 + rng.next() * 3.0;
        let mut h = 1000.0 * rng.next();
        let mut x = 0.0;
        let ground = profile((0..n).map(|_| {
            x += 50.0 + rng.next() * 400.0;
            h += (rng.next() - 0.5) * 200.0;
            (x, h)
        }));
        let line = design_line(&ground, &rules(max_grade, 250.0), |_| false).unwrap();
        for w in line.points.windows(2) {
            let grade =
                (w[1].design_m - w[0].design_m).abs() / (w[1].chainage_m - w[0].chainage_m) * 100.0;
            assert!(
                grade <= max_grade * (1.0 + 1e-9),
                "case {case}: {grade} % > {max_grade} % at {}",
                w[0].chainage_m
            );
        }
        assert!(line.steepest_grade_pct <= max_grade * (1.0 + 1e-9));
    }
}

#[test]
fn the_design_line_is_optimal_on_a_hand_solved_profile() {
    // Ground 0, 0, 9, 0, 0 m; at most 2 m per station (grid 1 m); cost |cut| per station.
    // By hand: a summit level h at station 2 forces h − 2 at stations 1 and 3 and h − 4 at
    // 0 and 4: cost (9 − h) + 2·max(h − 2, 0) + 2·max(h − 4, 0), least at h = 2 (cost 7);
    // h = 3 costs 8, h = 1 costs 8. So the line is 0, 0, 2, 0, 0.
    assert_eq!(LEVELS_PER_STEP, 2);
    let line = optimise(&[0.0, 0.0, 9.0, 0.0, 0.0], 2.0, (20.0, 20.0), |_, cut| {
        cut.abs()
    });
    assert_eq!(line, vec![0.0, 0.0, 2.0, 0.0, 0.0]);
}

#[test]
fn the_design_line_matches_brute_force_on_small_profiles() {
    // Every grid line over four stations, level steps of 1 m, at most 2 levels per station
    // (max rise 2 m): the cheapest by exhaustion equals the programme's.
    let mut rng = Rng(7);
    for _ in 0..30 {
        let ground: Vec<f64> = (0..4).map(|_| (rng.next() * 12.0).round()).collect();
        let cost = |i: usize, cut: f64| {
            let w = [1.0, 2.0, 1.5, 0.5][i];
            w * if cut > 3.0 {
                10.0
            } else {
                cut.abs() * (1.0 + cut.abs() / 4.0)
            }
        };
        let dp = optimise(&ground, 2.0, (30.0, 30.0), cost);
        let total = |h: &[f64]| -> f64 { (0..4).map(|i| cost(i, ground[i] - h[i])).sum() };
        let mut best = f64::INFINITY;
        let levels: Vec<f64> = (-16..=28).map(f64::from).collect();
        for &a in &levels {
            for &b in levels.iter().filter(|b| (*b - a).abs() <= 2.0) {
                for &c in levels.iter().filter(|c| (*c - b).abs() <= 2.0) {
                    for &d in levels.iter().filter(|d| (*d - c).abs() <= 2.0) {
                        best = best.min(total(&[a, b, c, d]));
                    }
                }
            }
        }
        close(total(&dp), best, 1e-9, &format!("ground {ground:?}"));
    }
}

#[test]
fn a_ridge_gets_a_tunnel_and_a_valley_a_bridge() {
    // Flat at 500 m for 20 km either side of a 300 m ridge with 10 % flanks (3 km each
    // way): a 2.5 % line cannot climb it, so it cuts through — deeper than 25 m: a tunnel.
    let ridge = profile((0..=460).map(|i| {
        let x = f64::from(i) * 100.0;
        let off = (x - 23_000.0).abs();
        (x, 500.0 + (300.0 - off * 0.1).max(0.0))
    }));
    let line = design_line(&ridge, &rules(2.5, 100.0), |_| false).unwrap();
    let tunnels: Vec<_> = line
        .structures
        .iter()
        .filter(|s| s.kind == StructureKind::Tunnel)
        .collect();
    assert_eq!(tunnels.len(), 1, "{:?}", line.structures);
    assert!(
        line.structures
            .iter()
            .all(|s| s.kind == StructureKind::Tunnel)
    );
    let t = tunnels[0];
    assert!(t.start_m < 23_000.0 && t.end_m > 23_000.0, "{t:?}");
    // The tunnel is where the ridge is more than 25 m above the line; the line rises at
    // most 2.5 % into it, so it is at least the width of the ridge above 25 m + 2.5 % × …:
    // the ridge is over 525 + rise; at the very least the part where it is over 800 − 75 m
    // (1.5 km wide) is tunnel, and never more than the 6 km of ridge.
    assert!(t.length_m >= 1500.0 && t.length_m <= 6000.0, "{t:?}");
    assert!(t.max_depth_m > 200.0, "{t:?}");
    close(line.tunnel_m, t.length_m, 1e-9, "tunnel total");
    assert!(line.bridge_m.abs() < 1e-9, "{}", line.bridge_m);

    // A 200 m deep valley with 10 % sides: a bridge over the bottom.
    let valley = profile((0..=460).map(|i| {
        let x = f64::from(i) * 100.0;
        let off = (x - 23_000.0).abs();
        (x, 500.0 - (200.0 - off * 0.1).max(0.0))
    }));
    let line = design_line(&valley, &rules(2.5, 100.0), |_| false).unwrap();
    let bridges: Vec<_> = line
        .structures
        .iter()
        .filter(|s| s.kind == StructureKind::Bridge)
        .collect();
    assert_eq!(bridges.len(), 1, "{:?}", line.structures);
    let b = bridges[0];
    assert!(b.start_m < 23_000.0 && b.end_m > 23_000.0, "{b:?}");
    assert!(b.max_depth_m > 100.0, "{b:?}");
    assert!(line.tunnel_m.abs() < 1e-9, "{}", line.tunnel_m);

    // Flat ground: no structure, no earthworks.
    let flat = profile((0..=100).map(|i| (f64::from(i) * 100.0, 300.0)));
    let line = design_line(&flat, &rules(2.5, 100.0), |_| false).unwrap();
    assert!(line.structures.is_empty());
    assert!(line.cut_m3 + line.fill_m3 < 1e-6);
}

#[test]
fn cut_volume_is_the_stated_prism() {
    // A 2 km plateau 10 m above 18 km of flat ground; a 0.0001 % max grade keeps the line
    // level (it may rise 1 mm over the whole 20 km), and level at the flat ground is cheapest
    // (raising it by h fills 180 stations to save cut on 21). Cut of 10 m with formation
    // 10 m and side slope 1.5: area 10 × (10 + 15) = 250 m² per metre of plateau.
    let ground = profile((0..=200).map(|i| {
        let x = f64::from(i) * 100.0;
        (
            x,
            if (9_000.0..=11_000.0).contains(&x) {
                110.0
            } else {
                100.0
            },
        )
    }));
    let line = design_line(&ground, &rules(0.0001, 100.0), |_| false).unwrap();
    // The plateau's 21 stations (9,000 to 11,000 m) stand for 100 m each, cut 10 m deep:
    // 21 × 100 × 250 = 525,000 m³; no fill.
    assert!(line.structures.is_empty());
    close(line.cut_m3, 525_000.0, 525_000.0 * 0.005, "cut volume");
    assert!(line.fill_m3 < 1.0, "{}", line.fill_m3);
}

#[test]
fn a_flat_run_matches_the_closed_form_within_one_percent() {
    // Constant resistance A = 50 kN, tractive effort capped at 250 kN (power never binds),
    // 1,000 t: acceleration a = 200 kN / 1,000 t = 0.2 m/s²; braking b = 0.5 m/s²; line
    // speed V = 20 m/s over L = 20 km, starting and ending at rest. Closed form:
    // accelerating V²/2a = 1,000 m in V/a = 100 s, braking V²/2b = 400 m in V/b = 40 s,
    // cruising 18,600 m in 930 s: t = L/V + V/2a + V/2b = 1,000 + 50 + 20 = 1,070 s.
    let train = Train {
        name: "test".to_owned(),
        mass_kg: 1.0e6,
        power_w: 1.0e12,
        max_tractive_effort_n: 250_000.0,
        max_speed_kmh: 200.0,
        davis_a_n: 50_000.0,
        davis_b_n_per_mps: 0.0,
        davis_c_n_per_mps2: 0.0,
        braking_mps2: 0.5,
    };
    let n = 2001;
    let mut limit = vec![20.0; n];
    limit[0] = 0.0;
    limit[n - 1] = 0.0;
    let grade = vec![0.0; n - 1];
    let skip = vec![false; n - 1];
    let (v, time_s) = run(
        &train,
        &Track {
            step_m: 10.0,
            limit_mps: &limit,
            grade: &grade,
            skip: &skip,
        },
    );
    close(time_s, 1070.0, 10.7, "running time");
    let reached = v.iter().position(|&s| s >= 20.0 - 1e-9).unwrap() as f64 * 10.0;
    close(reached, 1000.0, 10.0, "acceleration distance");
    let braking_from = v.iter().rposition(|&s| s >= 20.0 - 1e-9).unwrap() as f64 * 10.0;
    close(20_000.0 - braking_from, 400.0, 4.0, "braking distance");
    assert!(v[n - 1].abs() < 1e-12, "stops at the end: {}", v[n - 1]);
}

#[test]
fn a_climb_slows_a_power_limited_train_to_its_balancing_speed() {
    // Power-limited balance on a 1 % grade: P / v = A + m g 0.01, with only A and grade:
    // 12 MW / v = 55 kN + 4,000 t × 9.80665 × 0.01 = 447.266 kN → v = 26.83 m/s (96.6 km/h),
    // above the 80 km/h maximum; on 2 %: 839.532 kN → 14.29 m/s = 51.45 km/h.
    let mut train = corridor_domain::measure::ledger::train::TrainPreset::HeavyFreight.train();
    train.davis_b_n_per_mps = 0.0;
    train.davis_c_n_per_mps2 = 0.0;
    let n = 3001;
    let mut limit = vec![100.0; n];
    limit[0] = 0.0;
    let grade = vec![0.02; n - 1];
    let skip = vec![false; n - 1];
    let (v, _) = run(
        &train,
        &Track {
            step_m: 10.0,
            limit_mps: &limit,
            grade: &grade,
            skip: &skip,
        },
    );
    close(v[n - 1] * 3.6, 51.45, 0.5, "balancing speed on 2 %");
}
