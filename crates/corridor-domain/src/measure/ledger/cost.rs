//! The cost of a line from its quantities: what is built (new track, committed
//! under-construction track, upgraded existing track), the structures and earthworks of the
//! design line where something is built, stations, border stations and break-of-gauge
//! facilities — each times its unit cost (sibling `cost_settings`) and the calibration
//! factor, with the leave-one-out band around the total.
//!
//! Structures and earthworks on existing track are not costed: the track is already there.
//! Under-construction track is committed work: costed like new build times the committed
//! share, never at the upgrade rate. Everything here is a pass over the stretches and the
//! structures, so it costs nothing next to the rest of a recompute.

use super::model::{
    CostEstimate, CostItem, CostKind, CostQuantities, GaugeBreakKind, Ledger, SEA_CODE,
    StructureKind,
};
use super::settings::LedgerSettings;

/// What would be done on a stretch of the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Build {
    New,
    Upgrade,
    Committed,
}

/// Consecutive samples with the same [`Build`]; `land_m` leaves out sea.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Stretch {
    pub start_m: f64,
    pub end_m: f64,
    pub land_m: f64,
    pub build: Build,
}

/// Length (m) of `[a, b]` inside `[s, e]`.
fn overlap_m(a: f64, b: f64, s: f64, e: f64) -> f64 {
    (b.min(e) - a.max(s)).max(0.0)
}

/// The cost of the line of `ledger` (its engineering, if any, already computed) whose
/// stretches are `stretches`.
#[must_use]
pub(super) fn estimate(
    ledger: &Ledger,
    stretches: &[Stretch],
    settings: &LedgerSettings,
) -> CostEstimate {
    let c = &settings.costs;
    let share = c.committed_share;
    // Weight of a stretch's works in the cost: new 1, committed the share, upgrade none.
    let weight = |b: Build| match b {
        Build::New => 1.0,
        Build::Committed => share,
        Build::Upgrade => 0.0,
    };
    let mut q = CostQuantities::default();
    let (mut new_m, mut committed_m, mut upgrade_m) = (0.0, 0.0, 0.0);
    for s in stretches {
        match s.build {
            Build::New => {
                new_m += s.land_m;
                let span_m = s.end_m - s.start_m;
                for g in &ledger.gauge_runs {
                    let part_m = overlap_m(s.start_m, s.end_m, g.start_m, g.end_m);
                    if part_m > 0.0 && span_m > 0.0 {
                        let km = s.land_m * part_m / span_m / 1000.0;
                        match q.new_km_by_gauge.iter_mut().find(|(k, _)| *k == g.gauge_mm) {
                            Some((_, sum)) => *sum += km,
                            None => q.new_km_by_gauge.push((g.gauge_mm, km)),
                        }
                    }
                }
            }
            Build::Committed => committed_m += s.land_m,
            Build::Upgrade => upgrade_m += s.land_m,
        }
    }
    q.new_km = new_m / 1000.0;
    q.committed_km = committed_m / 1000.0;
    q.upgrade_km = upgrade_m / 1000.0;
    let built_weight_at = |m: f64| {
        stretches
            .iter()
            .find(|s| s.start_m <= m && m <= s.end_m)
            .map_or(0.0, |s| weight(s.build))
    };
    let built_at = |m: f64| {
        stretches
            .iter()
            .any(|s| s.build != Build::Upgrade && s.start_m <= m && m <= s.end_m)
    };

    // Structures and earthworks of the design line, on the stretches that are built.
    let (mut tunnel_w_m, mut bridge_w_m, mut earth_w_m3) = (0.0, 0.0, 0.0);
    if let Some(d) = ledger.engineering.as_ref().and_then(|e| e.design.as_ref()) {
        for st in &d.structures {
            let (mut on_m, mut on_w_m) = (0.0, 0.0);
            for s in stretches.iter().filter(|s| s.build != Build::Upgrade) {
                let part_m = overlap_m(st.start_m, st.end_m, s.start_m, s.end_m);
                on_m += part_m;
                on_w_m += part_m * weight(s.build);
            }
            if on_m <= 0.0 {
                continue;
            }
            match st.kind {
                StructureKind::Tunnel => {
                    q.tunnel_km += on_m / 1000.0;
                    q.tunnels += 1;
                    tunnel_w_m += on_w_m;
                }
                StructureKind::Bridge => {
                    q.bridge_km += on_m / 1000.0;
                    q.bridges += 1;
                    bridge_w_m += on_w_m;
                }
            }
        }
        // The design line's volumes are whole-line totals: the built share of the land.
        let land_m: f64 = stretches.iter().map(|s| s.land_m).sum();
        if land_m > 0.0 {
            let volume_m3 = d.cut_m3 + d.fill_m3;
            let built_m: f64 = stretches
                .iter()
                .filter(|s| s.build != Build::Upgrade)
                .map(|s| s.land_m)
                .sum();
            let built_w_m: f64 = stretches.iter().map(|s| s.land_m * weight(s.build)).sum();
            q.earthworks_m3 = volume_m3 * built_m / land_m;
            earth_w_m3 = volume_m3 * built_w_m / land_m;
        }
    }

    let built_km = q.new_km + q.committed_km;
    let built_w_km = q.new_km + q.committed_km * share;
    if built_km > 0.0 {
        let per_station = c.station_spacing_km.max(1.0);
        q.stations = (built_km / per_station).ceil() as usize;
    }
    let (mut borders_w, mut breaks_w) = (0.0, 0.0);
    for x in &ledger.crossings {
        if x.from_iso_a3 != SEA_CODE
            && x.to_iso_a3 != SEA_CODE
            && x.from_iso_a3 != x.to_iso_a3
            && built_at(x.chainage_m)
        {
            q.borders += 1;
            borders_w += built_weight_at(x.chainage_m);
        }
    }
    for g in &ledger.gauge_breaks {
        // A break between two existing lines is an existing facility.
        if g.kind != GaugeBreakKind::TrackToTrack {
            q.gauge_breaks += 1;
            breaks_w += built_weight_at(g.chainage_m).max(match g.kind {
                // At a junction with a network the facility is new whatever the stretch.
                GaugeBreakKind::NetworkAtStart | GaugeBreakKind::NetworkAtEnd => 1.0,
                _ => 0.0,
            });
        }
    }

    let k = c.calibration_factor.usd;
    let station_w = if built_km > 0.0 {
        q.stations as f64 * built_w_km / built_km
    } else {
        0.0
    };
    let lines = [
        (CostKind::NewTrack, q.new_km, q.new_km, &c.track_new_per_km),
        (
            CostKind::CommittedTrack,
            q.committed_km,
            q.committed_km * share,
            &c.track_new_per_km,
        ),
        (
            CostKind::Upgrade,
            q.upgrade_km,
            q.upgrade_km,
            &c.upgrade_per_km,
        ),
        (
            CostKind::Tunnels,
            q.tunnel_km,
            tunnel_w_m / 1000.0,
            &c.tunnel_per_km,
        ),
        (
            CostKind::Bridges,
            q.bridge_km,
            bridge_w_m / 1000.0,
            &c.bridge_per_km,
        ),
        (
            CostKind::Earthworks,
            q.earthworks_m3,
            earth_w_m3,
            &c.earthworks_per_m3,
        ),
        (
            CostKind::Stations,
            q.stations as f64,
            station_w,
            &c.station_each,
        ),
        (
            CostKind::BorderStations,
            q.borders as f64,
            borders_w,
            &c.border_each,
        ),
        (
            CostKind::GaugeBreakFacilities,
            q.gauge_breaks as f64,
            breaks_w,
            &c.gauge_break_each,
        ),
    ];
    let items: Vec<CostItem> = lines
        .into_iter()
        .filter(|(_, quantity, _, _)| *quantity > 0.0)
        .map(|(kind, quantity, weighted, rate)| CostItem {
            kind,
            quantity,
            unit_usd: rate.usd * k,
            usd: weighted * rate.usd * k,
        })
        .collect();
    let total_usd: f64 = items.iter().map(|i| i.usd).sum();
    CostEstimate {
        quantities: q,
        items,
        total_usd,
        low_usd: total_usd * c.band_low,
        high_usd: total_usd * c.band_high,
    }
}
