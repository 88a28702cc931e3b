//! Railway engineering of one alignment, from its ledger: curves at the vertices (sibling
//! `curves`) and the design grade line with its tunnels and bridges (`design_line`); and the
//! ledger's one travel time, a train's run along the line (`train`) under those curves and
//! grades with the ledger's stops and dwell at borders and gauge breaks.

use geo::Coord;

use super::curves::{CurveRules, fit_curves, min_radius_m};
use super::design_line::{DesignRules, design_line};
use super::model::{
    DesignLine, Engineering, HorizontalCurve, Ledger, SEA_CODE, SpeedPoint, TravelTime,
};
use super::settings::LedgerSettings;
use super::train::{Track, run};

/// Step (m) of the train run.
const TRAIN_STEP_M: f64 = 100.0;
/// At most this many points of the speed–distance curve are kept for drawing.
const MAX_SPEED_POINTS: usize = 1500;

/// The engineering of the line through `vertices` whose ledger (everything but this) is
/// `ledger`; `radii_m[i]` is a user's curve radius at vertex `i`.
#[must_use]
pub fn engineering(
    vertices: &[Coord<f64>],
    radii_m: &[Option<f64>],
    ledger: &Ledger,
    settings: &LedgerSettings,
) -> Engineering {
    let e = &settings.engineering;
    let min_radius = min_radius_m(e.line_speed_kmh, e.cant_mm, e.cant_deficiency_mm);
    let fitted = fit_curves(
        vertices,
        &ledger.segments_m,
        &ledger.vertex_chainage_m,
        radii_m,
        CurveRules {
            min_radius_m: min_radius,
            cant_mm: e.cant_mm,
            cant_deficiency_mm: e.cant_deficiency_mm,
        },
    );
    let sea = sea_legs(ledger);
    let at_sea = |m: f64| sea.iter().any(|&(s, t)| m > s && m < t);
    let rules = DesignRules {
        max_grade_pct: settings.max_design_grade_pct,
        tunnel_cut_m: e.tunnel_cut_m,
        bridge_fill_m: e.bridge_fill_m,
        formation_width_m: e.formation_width_m,
        side_slope: e.side_slope,
        earthworks_usd_per_m3: settings.costs.earthworks_per_m3.usd,
        tunnel_usd_per_m: settings.costs.tunnel_per_km.usd / 1000.0,
        bridge_usd_per_m: settings.costs.bridge_per_km.usd / 1000.0,
        station_spacing_m: settings.sample_spacing_m,
    };
    let design = design_line(&ledger.profile.points, &rules, at_sea);
    Engineering {
        min_radius_m: min_radius,
        curves_below_min: fitted.curves.iter().filter(|c| c.below_min).count(),
        curves: fitted.curves,
        curved_length_m: fitted.curved_length_m,
        design,
    }
}

/// The (start, end) chainages of the sea legs.
fn sea_legs(ledger: &Ledger) -> Vec<(f64, f64)> {
    ledger
        .country_pieces
        .iter()
        .filter(|p| p.iso_a3 == SEA_CODE)
        .map(|p| (p.start_m, p.end_m))
        .collect()
}

/// Grade (rise over run) of the design line at `chainage_m`; 0 outside it.
fn design_grade(design: &DesignLine, chainage_m: f64) -> f64 {
    let p = &design.points;
    let j = p.partition_point(|q| q.chainage_m <= chainage_m);
    if j == 0 || j >= p.len() {
        return 0.0;
    }
    let (a, b) = (p[j - 1], p[j]);
    let run_m = b.chainage_m - a.chainage_m;
    if run_m > 0.0 {
        (b.design_m - a.design_m) / run_m
    } else {
        0.0
    }
}

/// The ledger's travel time: the train of the settings along the line under the line speed
/// and the curve speeds of `engineering`, stopping at the ends, at borders, gauge breaks and
/// ports, on the grades of its design line (flat and straight without engineering); sea legs
/// at the ferry speed; dwell at every border and gauge break.
#[must_use]
pub fn travel_time(
    ledger: &Ledger,
    settings: &LedgerSettings,
    engineering: Option<&Engineering>,
) -> TravelTime {
    let curves: &[HorizontalCurve] = engineering.map_or(&[], |e| &e.curves);
    let design = engineering.and_then(|e| e.design.as_ref());
    let sea = sea_legs(ledger);
    let sea = sea.as_slice();
    let e = &settings.engineering;
    let train = e.train.train();
    let length_m = ledger.length_m;
    let steps = (length_m / TRAIN_STEP_M).ceil().max(1.0) as usize;
    let dx = length_m / steps as f64;
    let at = |i: usize| dx * i as f64;
    let mut limit = vec![e.line_speed_kmh / 3.6; steps + 1];
    for c in curves {
        let speed = c.allowed_speed_kmh / 3.6;
        let from = ((c.vertex_chainage_m - c.tangent_m) / dx).floor().max(0.0) as usize;
        let to = (((c.vertex_chainage_m + c.tangent_m) / dx).ceil() as usize).min(steps);
        for l in &mut limit[from.min(steps)..=to] {
            *l = l.min(speed);
        }
    }
    let mut stop = |m: f64| {
        if dx > 0.0 {
            let i = ((m / dx).round().max(0.0) as usize).min(steps);
            limit[i] = 0.0;
        }
    };
    stop(0.0);
    stop(length_m);
    ledger
        .crossings
        .iter()
        .filter(|c| c.from_iso_a3 != SEA_CODE && c.to_iso_a3 != SEA_CODE)
        .for_each(|c| stop(c.chainage_m));
    ledger.gauge_breaks.iter().for_each(|g| stop(g.chainage_m));
    for &(s, t) in sea {
        stop(s);
        stop(t);
    }
    let mids = |i: usize| at(i) + dx / 2.0;
    let grade: Vec<f64> = (0..steps)
        .map(|i| design.map_or(0.0, |d| design_grade(d, mids(i))))
        .collect();
    let skip: Vec<bool> = (0..steps)
        .map(|i| sea.iter().any(|&(s, t)| mids(i) > s && mids(i) < t))
        .collect();
    let (speeds, time_s) = run(
        &train,
        &Track {
            step_m: dx,
            limit_mps: &limit,
            grade: &grade,
            skip: &skip,
        },
    );
    let stride = speeds.len().div_ceil(MAX_SPEED_POINTS).max(1);
    let v_max = train.max_speed_kmh / 3.6;
    let speeds = speeds
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0 || *i == steps)
        .map(|(i, v)| SpeedPoint {
            chainage_m: at(i),
            speed_kmh: v * 3.6,
            limit_kmh: limit[i].min(v_max) * 3.6,
        })
        .collect();
    let running_h = time_s / 3600.0;
    let ferry_h = ledger.sea_m / 1000.0 / settings.ferry_speed_kmh;
    let border_dwell_h = ledger.borders_crossed as f64 * settings.border_dwell_h;
    let gauge_break_dwell_h = ledger.gauge_breaks.len() as f64 * settings.gauge_break_dwell_h;
    TravelTime {
        train: train.name,
        running_h,
        ferry_h,
        border_dwell_h,
        gauge_break_dwell_h,
        total_h: running_h + ferry_h + border_dwell_h + gauge_break_dwell_h,
        speeds,
    }
}
