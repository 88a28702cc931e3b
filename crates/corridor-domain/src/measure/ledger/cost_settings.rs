//! The unit costs of the ledger's cost from quantities (sibling `cost`), each with where it
//! comes from, and the calibration that ties them to the published project costs.
//!
//! The unit costs are planning figures: a published range or a stated assumption. One
//! factor, fitted on the published projects per *published* km, scales them all (the
//! region's prices, and everything the quantities do not see); the leave-one-out spread of
//! that fit gives the low–high band. `docs/costs.md` has the table and the sources; the test
//! `ledger_cost_loo` recomputes it from the published figures.

use serde::{Deserialize, Serialize};

/// A unit cost (US dollars per the unit its field name says) and where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub usd: f64,
    /// The published figure or the assumption behind it.
    pub source: String,
}

impl Rate {
    fn new(usd: f64, source: &str) -> Self {
        Self {
            usd,
            source: source.to_owned(),
        }
    }
}

/// Unit costs of the quantities, the calibration factor and the band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CostSettings {
    /// New single-track line on its formation (track, ballast, drainage, signalling,
    /// telecoms, land), per km, whatever the gauge; structures and earthworks are extra.
    pub track_new_per_km: Rate,
    /// Bringing existing track into the corridor (rehabilitation, passing loops), per km.
    /// Always cheaper than [`Self::track_new_per_km`].
    pub upgrade_per_km: Rate,
    /// Single-track rail tunnel, per km.
    pub tunnel_per_km: Rate,
    /// Bridge or viaduct, per km.
    pub bridge_per_km: Rate,
    /// Bulk earthworks (cut or fill), per m³.
    pub earthworks_per_m3: Rate,
    /// A station or crossing loop with its sidings, each.
    pub station_each: Rate,
    /// Stations are counted one per this many km of new build (and one at each end).
    pub station_spacing_km: f64,
    /// A border station (customs yard, inspection), each border crossed on new build.
    pub border_each: Rate,
    /// A break-of-gauge facility (transshipment or bogie exchange), each new one.
    pub gauge_break_each: Rate,
    /// The share of an under-construction line's cost still to spend. The data carries no
    /// progress per line, so by default the whole committed cost counts.
    pub committed_share: f64,
    /// Multiplies every unit cost: fitted on the published projects (see the module docs).
    pub calibration_factor: Rate,
    /// The band: estimate × low … estimate × high, from the leave-one-out spread of
    /// published over predicted.
    pub band_low: f64,
    pub band_high: f64,
    /// Where the band comes from.
    pub band_source: String,
}

impl Default for CostSettings {
    fn default() -> Self {
        Self {
            track_new_per_km: Rate::new(
                2_000_000.0,
                "Calibrated assumption (chosen with the tunnel, bridge and earthworks rates to \
                 make the leave-one-out spread narrowest, docs/costs.md): a single-track line \
                 without its structures. For scale: Termez–Hairatan–Naibabad cost $165 m for \
                 75 km (ADB grant, 2011), $2.2 m/km all in.",
            ),
            upgrade_per_km: Rate::new(
                1_095_273.0,
                "ML-4 Spezand–Iranian border upgrade: Rs 112 bn (2020) / 632 km, at an assumed \
                 161.8 PKR/USD (approximate 2020 average interbank rate).",
            ),
            tunnel_per_km: Rate::new(
                25_000_000.0,
                "Single running tunnel (road/rail, 5–8 m bore): ~$25–60 m per km in many \
                 countries (lanhiequipment.com, 'How expensive is it to build a tunnel?'); \
                 hotrails.net (2014) finds AECOM's $75 m per bore-km too high. The low end: \
                 a single-track drill-and-blast bore (calibrated, docs/costs.md).",
            ),
            bridge_per_km: Rate::new(
                25_000_000.0,
                "Calibrated assumption: a single-track viaduct of short prestressed spans, \
                 as dear per km as the cheapest tunnel.",
            ),
            earthworks_per_m3: Rate::new(
                3.0,
                "Calibrated assumption: bulk cut and fill by machine, haul included, \
                 regional prices.",
            ),
            station_each: Rate::new(
                5_000_000.0,
                "Assumption: a crossing station with loops, sidings and a building.",
            ),
            station_spacing_km: 30.0,
            border_each: Rate::new(
                30_000_000.0,
                "Assumption: a border station with a customs yard and inspection sidings.",
            ),
            gauge_break_each: Rate::new(
                50_000_000.0,
                "Assumption: a transshipment yard or bogie-exchange plant for a few Mt/yr.",
            ),
            committed_share: 1.0,
            calibration_factor: Rate::new(
                1.079,
                "Geometric mean of published / computed cost (per published km) over the five \
                 fitted projects of docs/costs.md: UAP Kabul corridor, Kohat–Kharlachi, UAP \
                 2021-22 variant, Kazakhstan–Turkmenistan–Iran, Chabahar–Zahedan \
                 (Torghundi–Herat's $500 m is a financing pledge, kept out of the fit).",
            ),
            band_low: 0.78,
            band_high: 1.42,
            band_source: "Leave-one-out over the fitted projects (docs/costs.md): \
                          published / predicted ranged 0.78–1.41 on the earlier geometry, 0.87–1.38 now \
                          (the wider band is kept)."
                .to_owned(),
        }
    }
}

impl CostSettings {
    /// Why these costs cannot be used, if they cannot.
    #[must_use]
    pub fn problem(&self) -> Option<String> {
        let non_negative = [
            ("track_new_per_km", self.track_new_per_km.usd),
            ("upgrade_per_km", self.upgrade_per_km.usd),
            ("tunnel_per_km", self.tunnel_per_km.usd),
            ("bridge_per_km", self.bridge_per_km.usd),
            ("earthworks_per_m3", self.earthworks_per_m3.usd),
            ("station_each", self.station_each.usd),
            ("border_each", self.border_each.usd),
            ("gauge_break_each", self.gauge_break_each.usd),
            ("committed_share", self.committed_share),
            ("calibration_factor", self.calibration_factor.usd),
        ];
        for (name, v) in non_negative {
            if !(v.is_finite() && v >= 0.0) {
                return Some(format!(
                    "ledger.costs.{name} must be a non-negative number, got {v}"
                ));
            }
        }
        if !(self.station_spacing_km.is_finite() && self.station_spacing_km > 0.0) {
            return Some(format!(
                "ledger.costs.station_spacing_km must be a positive number, got {}",
                self.station_spacing_km
            ));
        }
        if !(self.band_low.is_finite()
            && self.band_high.is_finite()
            && 0.0 < self.band_low
            && self.band_low <= 1.0
            && 1.0 <= self.band_high)
        {
            return Some(format!(
                "ledger.costs band must satisfy 0 < band_low ≤ 1 ≤ band_high, got {}–{}",
                self.band_low, self.band_high
            ));
        }
        None
    }
}
