//! What the ledger assumes: tolerances, terrain thresholds, unit costs, speeds and dwell
//! times. Everything a planner may disagree with is here, editable and saved with the
//! scenario (the lead adds it to `ScenarioSettings` as the field `ledger`).
//!
//! Every unit cost carries a `source` string that says which published figure it was derived
//! from and how, so a number on screen can always be traced back to `corridors.md`. The test
//! `ledger_calibration` recomputes each figure from the published numbers.

use serde::{Deserialize, Serialize};

use super::TrackStatus;
use super::cost_settings::CostSettings;
use super::train::TrainPreset;
use crate::rail::ReuseRule;

/// A cost per kilometre and where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitCost {
    /// US dollars per kilometre of line.
    pub usd_per_km: f64,
    /// How the figure was obtained (published project, arithmetic, caveats).
    pub source: String,
}

impl UnitCost {
    fn new(usd_per_km: f64, source: &str) -> Self {
        Self {
            usd_per_km,
            source: source.to_owned(),
        }
    }
}

/// Cost per km by terrain class, for steep sections and for reusing existing track: the
/// weights of the route search's cost surface (`plan::suggest`), which has no design line
/// to count quantities on. The ledger's cost is [`CostSettings`], from quantities; a
/// suggestion's figures come from its ledger.
///
/// The calibration is deliberately simple: one published whole-project figure per class,
/// divided by its published length.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitCosts {
    pub flat: UnitCost,
    pub rolling: UnitCost,
    pub hilly: UnitCost,
    pub mountainous: UnitCost,
    /// Added on top of the terrain class cost for every new-build km steeper than
    /// [`LedgerSettings::max_design_grade_pct`]: the tunnels and viaducts that keep the grade.
    pub steep_allowance: UnitCost,
    /// Cost of bringing existing track into the corridor (rehabilitation, passing loops).
    pub upgrade_existing: UnitCost,
}

impl Default for UnitCosts {
    fn default() -> Self {
        Self {
            flat: UnitCost::new(
                670_270.0,
                "Kazakhstan–Turkmenistan–Iran line (Uzen–Bereket–Etrek–Gorgan, opened 2014): \
                 $620 m / 925 km (Financial Tribune), flat desert. AFP's ~$2 bn would give \
                 $2.16 m/km.",
            ),
            rolling: UnitCost::new(
                2_388_535.0,
                "Chabahar–Zahedan (under construction, 2025): ~$1.5 bn / 628 km (Tehran Times, \
                 IRNA); coastal plain, then basins and ranges of Sistan-Baluchestan.",
            ),
            hilly: UnitCost::new(
                3_343_750.0,
                "Kohat–Kharlachi (planned Pakistani link to UAP): $642 m / 192 km (KP \
                 government); foothills and the Kurram valley.",
            ),
            mountainous: UnitCost::new(
                7_109_737.0,
                "UAP 'Kabul corridor' Termez–Naibabad–Logar–Kharlachi: $4.6 bn / 647 km \
                 (TASS/Gazeta.uz, Jul 2025), mostly mountainous, >300 bridges and 5 long tunnels. \
                 Other published estimates are higher ($6–8.2 bn).",
            ),
            steep_allowance: UnitCost::new(
                16_439_701.0,
                "Uzbek feasibility study Mazar–Torkham (Jan 2023): $8 bn for 783 km with 80 \
                 tunnels totalling 148 km. Cost beyond the mountainous rate, per tunnel km: \
                 ($8 bn − 783 km × $7,109,737/km) / 148 km.",
            ),
            upgrade_existing: UnitCost::new(
                1_095_273.0,
                "ML-4 Spezand–Iranian border upgrade: Rs 112 bn (2020) / 632 km, converted at \
                 an assumed 161.8 PKR/USD (approximate 2020 average interbank rate). ML-1's \
                 $6.66 bn / 1,726 km ($3.86 m/km) is a full rebuild for 160 km/h, not a reuse.",
            ),
        }
    }
}

/// Relief thresholds that split terrain into classes.
///
/// The relief of a point is the elevation range (max − min, metres) of the profile within
/// [`LedgerSettings::terrain_window_m`] centred on it. Along-line relief is what a railway on
/// that line would have to climb or cut through; cross-line roughness is not considered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TerrainThresholds {
    /// Below this relief (m per window) the terrain is flat.
    pub flat_max_relief_m: f64,
    /// Below this relief (m per window) the terrain is rolling.
    pub rolling_max_relief_m: f64,
    /// Below this relief (m per window) the terrain is hilly; above it, mountainous.
    pub hilly_max_relief_m: f64,
}

impl Default for TerrainThresholds {
    fn default() -> Self {
        // Per 10 km of line: 60 m is under 0.6 % average grade (a railway follows the ground),
        // 200 m is 2 % (the usual ruling grade of a heavy freight line), 500 m needs
        // development (loops, long cuttings, tunnels).
        Self {
            flat_max_relief_m: 60.0,
            rolling_max_relief_m: 200.0,
            hilly_max_relief_m: 500.0,
        }
    }
}

/// Railway engineering assumptions: curves, the design line, structures and the train.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineeringSettings {
    /// Off: no curves or design line (the benchmark's baseline); the travel time is then
    /// the train's run under the line speed alone, on the flat.
    pub enabled: bool,
    /// The speed (km/h) the line is designed for: gives the minimum curve radius, and is the
    /// speed limit of the train run outside curves.
    pub line_speed_kmh: f64,
    /// Cant (superelevation, mm) of curves.
    pub cant_mm: f64,
    /// Cant deficiency (mm) allowed: the unbalanced part of the lateral acceleration.
    pub cant_deficiency_mm: f64,
    /// A cut deeper than this (m) is a tunnel.
    pub tunnel_cut_m: f64,
    /// A fill higher than this (m) is a bridge or viaduct.
    pub bridge_fill_m: f64,
    /// Formation width (m) of earthworks: a single track with its shoulders and drains.
    pub formation_width_m: f64,
    /// Side slopes of cuts and fills, horizontal per vertical (1.5 = 1:1.5).
    pub side_slope: f64,
    /// The train whose run is the ledger's travel time (on rail).
    pub train: TrainPreset,
}

impl Default for EngineeringSettings {
    fn default() -> Self {
        // Speed and cant: 120 km/h mixed traffic on 1,520/1,435 mm track, cant 150 mm and
        // deficiency 100 mm (the usual limits for mixed traffic), so R_min = 11.8 v² / 250
        // ≈ 680 m. Thresholds: cuts deeper than ~25 m and fills higher than ~15 m are usually
        // dearer than a tunnel or viaduct. The design line weighs earthworks, tunnels and
        // bridges at the ledger's unit costs (`LedgerSettings::costs`), the prices it is
        // costed at.
        Self {
            enabled: true,
            line_speed_kmh: 120.0,
            cant_mm: 150.0,
            cant_deficiency_mm: 100.0,
            tunnel_cut_m: 25.0,
            bridge_fill_m: 15.0,
            formation_width_m: 10.0,
            side_slope: 1.5,
            train: TrainPreset::HeavyFreight,
        }
    }
}

impl EngineeringSettings {
    /// Why these settings cannot be used, if they cannot.
    #[must_use]
    pub fn problem(&self) -> Option<String> {
        let positive = [
            ("line_speed_kmh", self.line_speed_kmh),
            ("tunnel_cut_m", self.tunnel_cut_m),
            ("bridge_fill_m", self.bridge_fill_m),
            ("formation_width_m", self.formation_width_m),
        ];
        for (name, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return Some(format!(
                    "ledger.engineering.{name} must be a positive number, got {v}"
                ));
            }
        }
        let non_negative = [
            ("cant_mm", self.cant_mm),
            ("cant_deficiency_mm", self.cant_deficiency_mm),
            ("side_slope", self.side_slope),
        ];
        for (name, v) in non_negative {
            if !(v.is_finite() && v >= 0.0) {
                return Some(format!(
                    "ledger.engineering.{name} must be a non-negative number, got {v}"
                ));
            }
        }
        if self.cant_mm + self.cant_deficiency_mm <= 0.0 {
            return Some(
                "ledger.engineering: cant + cant deficiency must be more than 0 mm".to_owned(),
            );
        }
        None
    }
}

/// Everything the ledger assumes. Missing keys in a file take these defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LedgerSettings {
    /// Spacing (m) of the geodesic samples the ledger is computed on. Smaller is finer and
    /// slower; 250 m keeps a 2,000 km line within a frame.
    pub sample_spacing_m: f64,
    /// A sample within this geodesic distance (m) of existing track is on that track.
    pub reuse_tolerance_m: f64,
    /// Runs along existing track shorter than this (m) that touch neither end of the
    /// alignment are a crossing of that railway, not a reuse of it.
    pub min_reuse_run_m: f64,
    /// Whether under-construction lines count as existing track. By default they do: a
    /// corridor planned today opens after them, and their cost is already committed.
    pub under_construction_is_existing: bool,
    /// A border crossing is named after the nearest crossing point within this distance (m).
    pub crossing_search_m: f64,
    /// Ports, capitals and major cities within this distance (m) of the line are served.
    pub served_distance_m: f64,
    /// A city of at least this many people is "major" (capitals always count).
    pub major_city_population: f64,
    /// Window (m) of the relief that classifies terrain.
    pub terrain_window_m: f64,
    pub terrain: TerrainThresholds,
    /// Steepest grade (%) a new line is designed for; steeper parts (over 1 km) get the
    /// tunnel/bridge allowance. 2.5 % is a common ruling-grade limit for heavy freight.
    pub max_design_grade_pct: f64,
    /// Weights of the route search's cost surface by terrain class (not the ledger's cost).
    pub unit_costs: UnitCosts,
    /// The ledger's cost: unit costs of the quantities, calibration and band. Boxed, like
    /// `engineering`: the settings travel inside every settings edit.
    pub costs: Box<CostSettings>,
    /// Average speed (km/h) on sea legs: the Aktau–Alat ferry takes 18–22 h for a 437 km
    /// geodesic (port to port), about 20–24 km/h.
    pub ferry_speed_kmh: f64,
    /// Hours lost at each border (customs, crew and locomotive change).
    pub border_dwell_h: f64,
    /// Hours lost at each break of gauge (transshipment or bogie exchange).
    pub gauge_break_dwell_h: f64,
    /// Curves, the design line, tunnels and bridges, the train run. Boxed: the settings
    /// travel inside every settings edit, which stays small.
    pub engineering: Box<EngineeringSettings>,
}

impl Default for LedgerSettings {
    fn default() -> Self {
        Self {
            sample_spacing_m: 250.0,
            reuse_tolerance_m: 2_000.0,
            min_reuse_run_m: 5_000.0,
            under_construction_is_existing: true,
            crossing_search_m: 10_000.0,
            served_distance_m: 15_000.0,
            major_city_population: 500_000.0,
            terrain_window_m: 10_000.0,
            terrain: TerrainThresholds::default(),
            max_design_grade_pct: 2.5,
            unit_costs: UnitCosts::default(),
            costs: Box::default(),
            ferry_speed_kmh: 22.0,
            border_dwell_h: 2.0,
            gauge_break_dwell_h: 3.0,
            engineering: Box::default(),
        }
    }
}

impl LedgerSettings {
    /// The one rule of what is reusable track, with these settings' choice about lines under
    /// construction ([`Self::under_construction_is_existing`]).
    #[must_use]
    pub fn reuse_rule(&self) -> ReuseRule {
        ReuseRule {
            under_construction_counts: self.under_construction_is_existing,
        }
    }

    /// Whether track of this status counts as existing (reusable) track: [`ReuseRule::reusable`]
    /// under [`Self::reuse_rule`].
    #[must_use]
    pub fn counts_as_existing(&self, status: TrackStatus) -> bool {
        self.reuse_rule().reusable(status.rail())
    }

    /// Why these settings cannot be used, if they cannot (the first problem found).
    #[must_use]
    pub fn problem(&self) -> Option<String> {
        let positive = [
            ("sample_spacing_m", self.sample_spacing_m),
            ("terrain_window_m", self.terrain_window_m),
            ("ferry_speed_kmh", self.ferry_speed_kmh),
        ];
        for (name, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return Some(format!("ledger.{name} must be a positive number, got {v}"));
            }
        }
        let costs = &self.unit_costs;
        let non_negative = [
            ("reuse_tolerance_m", self.reuse_tolerance_m),
            ("min_reuse_run_m", self.min_reuse_run_m),
            ("crossing_search_m", self.crossing_search_m),
            ("served_distance_m", self.served_distance_m),
            ("major_city_population", self.major_city_population),
            ("max_design_grade_pct", self.max_design_grade_pct),
            ("border_dwell_h", self.border_dwell_h),
            ("gauge_break_dwell_h", self.gauge_break_dwell_h),
            ("terrain.flat_max_relief_m", self.terrain.flat_max_relief_m),
            ("unit_costs.flat", costs.flat.usd_per_km),
            ("unit_costs.rolling", costs.rolling.usd_per_km),
            ("unit_costs.hilly", costs.hilly.usd_per_km),
            ("unit_costs.mountainous", costs.mountainous.usd_per_km),
            (
                "unit_costs.steep_allowance",
                costs.steep_allowance.usd_per_km,
            ),
            (
                "unit_costs.upgrade_existing",
                costs.upgrade_existing.usd_per_km,
            ),
        ];
        for (name, v) in non_negative {
            if !(v.is_finite() && v >= 0.0) {
                return Some(format!(
                    "ledger.{name} must be a non-negative number, got {v}"
                ));
            }
        }
        let t = &self.terrain;
        if !(t.flat_max_relief_m <= t.rolling_max_relief_m
            && t.rolling_max_relief_m <= t.hilly_max_relief_m)
        {
            return Some(
                "ledger.terrain thresholds must increase: flat ≤ rolling ≤ hilly".to_owned(),
            );
        }
        self.engineering.problem().or_else(|| self.costs.problem())
    }
}
