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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::ledger::model::{
        Crossing, DesignLine, Engineering, GaugeBreak, GaugeRun, Structure,
    };

    fn structure(kind: StructureKind, start_m: f64, end_m: f64) -> Structure {
        Structure {
            kind,
            start_m,
            end_m,
            length_m: end_m - start_m,
            max_depth_m: 40.0,
        }
    }

    fn crossing(chainage_m: f64, from: &str, to: &str) -> Crossing {
        Crossing {
            chainage_m,
            lon: 0.0,
            lat: 0.0,
            from_iso_a3: from.to_owned(),
            to_iso_a3: to.to_owned(),
            from_name: from.to_owned(),
            to_name: to.to_owned(),
            near: None,
        }
    }

    fn gauge_break(chainage_m: f64, kind: GaugeBreakKind) -> GaugeBreak {
        GaugeBreak {
            chainage_m,
            lon: 0.0,
            lat: 0.0,
            from_gauge_mm: 1520,
            to_gauge_mm: 1676,
            kind,
            near: None,
        }
    }

    fn close(got: f64, want: f64, what: &str) {
        assert!(
            (got - want).abs() < 1e-6 * want.abs().max(1.0),
            "{what}: {got} vs {want}"
        );
    }

    /// New build 0–10 km, existing track 10–20 km, under construction 20–30 km; a tunnel on
    /// each of new build (2 km) and committed track (2 km), a bridge on the existing track;
    /// a border and a gauge break on new build, another border and a track-to-track break on
    /// the existing track. Expected by hand.
    #[test]
    fn structures_and_facilities_count_where_the_line_is_built_and_committed_work_at_its_share() {
        let stretches = [
            Stretch {
                start_m: 0.0,
                end_m: 10_000.0,
                land_m: 10_000.0,
                build: Build::New,
            },
            Stretch {
                start_m: 10_000.0,
                end_m: 20_000.0,
                land_m: 10_000.0,
                build: Build::Upgrade,
            },
            Stretch {
                start_m: 20_000.0,
                end_m: 30_000.0,
                land_m: 10_000.0,
                build: Build::Committed,
            },
        ];
        let ledger = Ledger {
            length_m: 30_000.0,
            crossings: vec![
                crossing(5_000.0, "AFG", "PAK"),
                crossing(15_000.0, "PAK", "AFG"),
            ],
            gauge_breaks: vec![
                gauge_break(6_000.0, GaugeBreakKind::Border),
                gauge_break(16_000.0, GaugeBreakKind::TrackToTrack),
            ],
            gauge_runs: vec![
                GaugeRun {
                    start_m: 0.0,
                    end_m: 6_000.0,
                    gauge_mm: Some(1520),
                },
                GaugeRun {
                    start_m: 6_000.0,
                    end_m: 30_000.0,
                    gauge_mm: Some(1676),
                },
            ],
            engineering: Some(Engineering {
                design: Some(DesignLine {
                    structures: vec![
                        structure(StructureKind::Tunnel, 2_000.0, 4_000.0),
                        structure(StructureKind::Bridge, 12_000.0, 14_000.0),
                        structure(StructureKind::Tunnel, 25_000.0, 27_000.0),
                    ],
                    cut_m3: 600_000.0,
                    fill_m3: 300_000.0,
                    ..DesignLine::default()
                }),
                ..Engineering::default()
            }),
            ..Ledger::default()
        };
        let mut settings = LedgerSettings::default();
        let c = &mut settings.costs;
        c.track_new_per_km.usd = 2.0e6;
        c.upgrade_per_km.usd = 1.0e6;
        c.tunnel_per_km.usd = 30.0e6;
        c.bridge_per_km.usd = 20.0e6;
        c.earthworks_per_m3.usd = 4.0;
        c.station_each.usd = 3.0e6;
        c.station_spacing_km = 8.0;
        c.border_each.usd = 10.0e6;
        c.gauge_break_each.usd = 40.0e6;
        c.committed_share = 0.5;
        c.calibration_factor.usd = 1.5;
        let cost = estimate(&ledger, &stretches, &settings);
        let q = &cost.quantities;
        close(q.new_km, 10.0, "new km");
        close(q.upgrade_km, 10.0, "upgrade km");
        close(q.committed_km, 10.0, "committed km");
        assert_eq!(
            q.new_km_by_gauge,
            vec![(Some(1520), 6.0), (Some(1676), 4.0)]
        );
        // Both tunnels (on new and committed track), not the bridge on existing track.
        close(q.tunnel_km, 4.0, "tunnel km");
        assert_eq!((q.tunnels, q.bridges), (2, 0));
        // 20 of the 30 land km are built: 2/3 of 900,000 m³.
        close(q.earthworks_m3, 600_000.0, "earthworks");
        // 20 km built at one station per 8 km: 3.
        assert_eq!(q.stations, 3);
        assert_eq!((q.borders, q.gauge_breaks), (1, 1));
        // By hand, committed work at half: track 10 × 2 + 10 × 2 × 0.5 + 10 × 1 = 40 ($ m);
        // tunnels (2 + 2 × 0.5) × 30 = 90; earthworks 900,000 × (10 + 5) / 30 × $4 = 1.8;
        // stations 3 × (15 / 20) × 3 = 6.75; border 10; gauge break 40. Total 188.55, × 1.5.
        let want_usd = 1.5 * 188.55e6;
        close(cost.total_usd, want_usd, "total");
        close(cost.low_usd, want_usd * settings.costs.band_low, "low");
        close(cost.high_usd, want_usd * settings.costs.band_high, "high");
        let sum: f64 = cost.items.iter().map(|i| i.usd).sum();
        close(sum, cost.total_usd, "items sum to the total");
        assert!(cost.items.iter().all(|i| i.quantity > 0.0));
    }

    #[test]
    fn without_a_design_line_the_cost_is_track_stations_and_facilities() {
        let stretches = [Stretch {
            start_m: 0.0,
            end_m: 45_000.0,
            land_m: 45_000.0,
            build: Build::New,
        }];
        let ledger = Ledger {
            length_m: 45_000.0,
            ..Ledger::default()
        };
        let mut settings = LedgerSettings::default();
        settings.costs.calibration_factor.usd = 1.0;
        let c = &settings.costs;
        let cost = estimate(&ledger, &stretches, &settings);
        // 45 km new track and ⌈45 / 30⌉ = 2 stations.
        let want_usd = 45.0 * c.track_new_per_km.usd + 2.0 * c.station_each.usd;
        close(cost.total_usd, want_usd, "total");
        assert_eq!(cost.items.len(), 2);
    }
}
