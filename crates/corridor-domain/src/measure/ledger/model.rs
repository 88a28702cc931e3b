//! The ledger of one alignment: what `compute_ledger` (in the sibling `compute`, which builds
//! on these types) returns.
//!
//! Every length is a WGS84 geodesic length in metres and every position along the line is a
//! chainage in metres from the first vertex. Lengths that partition the line (per country;
//! existing + new + sea) add up to [`Ledger::length_m`].

use geo::{Distance, Geodesic, InterpolatePoint, Point};
use serde::Serialize;

use super::context::{PlaceKind, TrackStatus};
use super::local::LocalFrame;

/// The code used for parts of the line outside every country polygon (sea, e.g. a Caspian
/// ferry leg).
pub const SEA_CODE: &str = "—";
/// The name used for parts of the line outside every country polygon.
pub const SEA_NAME: &str = "sea";

/// One densified sample of the line.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Sample {
    pub lon: f64,
    pub lat: f64,
    pub chainage_m: f64,
}

/// Length in one country (or at sea, with [`SEA_CODE`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountryLength {
    pub iso_a3: String,
    pub iso_a2: String,
    pub name: String,
    pub length_m: f64,
}

/// A stretch of the line in one country, from one border crossing to the next.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountryPiece {
    pub iso_a3: String,
    pub start_m: f64,
    pub end_m: f64,
}

/// A named point near something the ledger found (a crossing, a gauge break).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NearPoint {
    pub name: String,
    pub distance_m: f64,
}

/// Where the line passes from one country (or the sea) into another.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Crossing {
    pub chainage_m: f64,
    pub lon: f64,
    pub lat: f64,
    pub from_iso_a3: String,
    pub to_iso_a3: String,
    pub from_name: String,
    pub to_name: String,
    /// The nearest named border crossing (or port, for a landfall) within
    /// `LedgerSettings::crossing_search_m`.
    pub near: Option<NearPoint>,
}

/// A stretch of the line that reuses one existing (or under-construction) railway.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrackRun {
    pub start_m: f64,
    pub end_m: f64,
    pub line: String,
    pub gauge_mm: Option<u32>,
    pub status: TrackStatus,
}

/// A stretch of one gauge (see [`Ledger::gauge_runs`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GaugeRun {
    pub start_m: f64,
    pub end_m: f64,
    pub gauge_mm: Option<u32>,
}

/// Why the gauge changes at a break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GaugeBreakKind {
    /// A border between networks of different default gauges (new build on both sides).
    Border,
    /// The line joins existing track of another gauge.
    JoinsTrack,
    /// The line leaves existing track for new build of another gauge.
    LeavesTrack,
    /// The line passes from one existing railway to another of a different gauge.
    TrackToTrack,
    /// The line starts at a network of another gauge.
    NetworkAtStart,
    /// The line ends at a network of another gauge.
    NetworkAtEnd,
}

/// A break of gauge along the line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GaugeBreak {
    pub chainage_m: f64,
    pub lon: f64,
    pub lat: f64,
    pub from_gauge_mm: u32,
    pub to_gauge_mm: u32,
    pub kind: GaugeBreakKind,
    /// The nearest known gauge-break site within `LedgerSettings::crossing_search_m`.
    pub near: Option<NearPoint>,
}

/// A port, capital or major city near the line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServedPlace {
    pub name: String,
    pub kind: PlaceKind,
    /// Chainage of the point of the line nearest the place.
    pub chainage_m: f64,
    /// Geodesic distance (m) from the place to the line.
    pub distance_m: f64,
}

/// One point of the elevation profile.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ProfilePoint {
    pub chainage_m: f64,
    pub elevation_m: f64,
}

/// Elevation along the line, sampled from the context's elevation model.
///
/// With the bundled ETOPO5 grid (5 arc-minutes, ~9 km cells, bilinear) the profile is a
/// smoothed picture of the terrain: valleys narrower than a cell are filled in and ridges
/// cut off, so climbs and grades are underestimated in mountains. Load an SRTM mosaic
/// (`with_dem`) for figures that mean something at the scale of a kilometre.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ElevationProfile {
    /// Which elevation model the profile comes from.
    pub dem: String,
    /// Points where the model has data, in chainage order.
    pub points: Vec<ProfilePoint>,
    pub min_elevation_m: Option<f64>,
    pub max_elevation_m: Option<f64>,
    /// Sum of rises between consecutive points (m).
    pub climb_m: f64,
    /// Sum of falls between consecutive points (m, positive).
    pub descent_m: f64,
    /// Steepest average grade (%) over any 1 km of the line.
    pub steepest_grade_1km_pct: f64,
    /// Steepest average grade (%) over any 10 km of the line.
    pub steepest_grade_10km_pct: f64,
}

/// Lengths (m) by terrain class.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TerrainLengths {
    pub flat_m: f64,
    pub rolling_m: f64,
    pub hilly_m: f64,
    pub mountainous_m: f64,
    /// Where the elevation model has no data (costed as rolling).
    pub unknown_m: f64,
    /// Of the above, the length steeper than the maximum design grade over 1 km.
    pub steep_m: f64,
}

/// What the cost is counted from (see the sibling `cost`): lengths by what is built, the
/// structures and earthworks of the design line where something is built, and facilities.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CostQuantities {
    /// New build on land (km).
    pub new_km: f64,
    /// New build by gauge (mm; `None`: unknown), km.
    pub new_km_by_gauge: Vec<(Option<u32>, f64)>,
    /// Existing track upgraded (km).
    pub upgrade_km: f64,
    /// Under-construction track (km): committed work, costed as new build × the committed
    /// share, never as an upgrade.
    pub committed_km: f64,
    /// Tunnels of the design line on new build and committed track (km) and their number.
    pub tunnel_km: f64,
    pub tunnels: usize,
    /// Bridges and viaducts there (km) and their number.
    pub bridge_km: f64,
    pub bridges: usize,
    /// Cut plus fill there (m³).
    pub earthworks_m3: f64,
    /// Stations on new build and committed track.
    pub stations: usize,
    /// Borders crossed away from existing track: each needs a border station.
    pub borders: usize,
    /// Breaks of gauge away from existing track: each needs a transshipment facility.
    pub gauge_breaks: usize,
}

/// One line of the cost: a quantity times its unit cost (times the calibration factor).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CostItem {
    pub kind: CostKind,
    /// In the unit [`CostKind::unit`] says.
    pub quantity: f64,
    /// US dollars per unit, calibration factor included.
    pub unit_usd: f64,
    pub usd: f64,
}

/// What a cost line counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CostKind {
    NewTrack,
    CommittedTrack,
    Upgrade,
    Tunnels,
    Bridges,
    Earthworks,
    Stations,
    BorderStations,
    GaugeBreakFacilities,
}

impl CostKind {
    /// What the line is, for a table.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::NewTrack => "new track",
            Self::CommittedTrack => "under construction (committed)",
            Self::Upgrade => "upgrade of existing track",
            Self::Tunnels => "tunnels",
            Self::Bridges => "bridges and viaducts",
            Self::Earthworks => "earthworks",
            Self::Stations => "stations",
            Self::BorderStations => "border stations",
            Self::GaugeBreakFacilities => "break-of-gauge facilities",
        }
    }

    /// The unit of its quantity.
    #[must_use]
    pub fn unit(self) -> &'static str {
        match self {
            Self::NewTrack
            | Self::CommittedTrack
            | Self::Upgrade
            | Self::Tunnels
            | Self::Bridges => "km",
            Self::Earthworks => "m³",
            Self::Stations | Self::BorderStations | Self::GaugeBreakFacilities => "each",
        }
    }
}

/// What the line would cost: quantities × unit costs × the calibration factor, with the
/// band of the leave-one-out check around it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CostEstimate {
    pub quantities: CostQuantities,
    /// The non-zero lines of the cost.
    pub items: Vec<CostItem>,
    pub total_usd: f64,
    /// `total_usd × band_low` and `× band_high` of the settings.
    pub low_usd: f64,
    pub high_usd: f64,
}

/// Travel time end to end: the one travel time of the ledger, from a train run along the
/// line (see the sibling `train`): on rail the settings' train under the line speed, the
/// curve speeds and the design line's grades (flat and without curves when the engineering
/// is off), stopping at the ends, borders, gauge breaks and ports; sea legs at the ferry
/// speed; dwell at every border and gauge break.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TravelTime {
    /// The train that ran (its preset's description).
    pub train: String,
    /// Time moving on rail (h), from the train run.
    pub running_h: f64,
    /// Sea length / ferry speed (h).
    pub ferry_h: f64,
    pub border_dwell_h: f64,
    pub gauge_break_dwell_h: f64,
    pub total_h: f64,
    /// Speed along the line, thinned for drawing.
    pub speeds: Vec<SpeedPoint>,
}

/// The circular curve fitted at one interior vertex.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HorizontalCurve {
    /// Index of the vertex in the alignment.
    pub vertex: usize,
    /// Chainage (m) of the vertex along the polyline (the ledger's chainage).
    pub vertex_chainage_m: f64,
    /// Where the curve starts (tangent to curve), measured along the curved line (m).
    pub start_m: f64,
    /// Angle (degrees) between the incoming and the outgoing tangent.
    pub deflection_deg: f64,
    pub radius_m: f64,
    /// Tangent length (m): from the vertex back to where the curve starts, and on to where
    /// it ends.
    pub tangent_m: f64,
    /// Arc length (m), `radius_m × deflection`.
    pub length_m: f64,
    /// Whether the radius came from the user (a vertex's `radius_m`) rather than the fit.
    pub user_radius: bool,
    /// A user radius whose tangents are longer than the straights allow.
    pub overlaps: bool,
    /// The fastest speed (km/h) the curve allows with the settings' cant and deficiency.
    pub allowed_speed_kmh: f64,
    /// Tighter than the minimum radius of the line speed.
    pub below_min: bool,
}

/// What the design grade line passes through where it leaves the ground.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StructureKind {
    /// Cut deeper than `EngineeringSettings::tunnel_cut_m`.
    Tunnel,
    /// Fill higher than `EngineeringSettings::bridge_fill_m`: a bridge or viaduct.
    Bridge,
}

/// A tunnel or bridge along the design line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Structure {
    pub kind: StructureKind,
    pub start_m: f64,
    pub end_m: f64,
    pub length_m: f64,
    /// Deepest cover (tunnel) or highest deck above ground (bridge), m.
    pub max_depth_m: f64,
}

/// One station of the design line.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DesignPoint {
    pub chainage_m: f64,
    pub ground_m: f64,
    /// Formation level of the design line (m).
    pub design_m: f64,
}

/// The vertical design line: a grade line never steeper than the maximum design grade that
/// minimises earthworks plus structure cost (see the sibling `design_line`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DesignLine {
    pub points: Vec<DesignPoint>,
    pub structures: Vec<Structure>,
    pub tunnel_m: f64,
    pub bridge_m: f64,
    /// Cut volume (m³) outside tunnels, for the stated formation width and side slope.
    pub cut_m3: f64,
    /// Fill volume (m³) outside bridges.
    pub fill_m3: f64,
    pub formation_width_m: f64,
    pub side_slope: f64,
    /// Steepest grade of the design line (%): never above the maximum design grade.
    pub steepest_grade_pct: f64,
    /// The objective minimised: earthworks + tunnels + bridges (US dollars).
    pub cost_usd: f64,
}

/// A speed–distance point of the train run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SpeedPoint {
    pub chainage_m: f64,
    pub speed_kmh: f64,
    /// The speed limit there (curves, line speed, the train's maximum, stops).
    pub limit_kmh: f64,
}

/// The railway engineering of one alignment.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Engineering {
    /// Minimum curve radius (m) of the line speed.
    pub min_radius_m: f64,
    pub curves: Vec<HorizontalCurve>,
    pub curves_below_min: usize,
    /// Length (m) along the curved line (curves replace the corners of the polyline).
    pub curved_length_m: f64,
    /// `None` without elevation data.
    pub design: Option<DesignLine>,
}

/// The ledger of one alignment.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Ledger {
    /// Total geodesic length (m): the sum of `segments_m`.
    pub length_m: f64,
    /// Geodesic length (m) of each segment between consecutive vertices.
    pub segments_m: Vec<f64>,
    /// Chainage (m) of each vertex.
    pub vertex_chainage_m: Vec<f64>,
    /// The gauge the alignment was declared with (`None`: each country's default).
    pub gauge_mm: Option<u32>,
    /// Length per country in order of first appearance; sea as [`SEA_CODE`]. Sums to
    /// `length_m`.
    pub countries: Vec<CountryLength>,
    /// The line cut at every crossing, in order.
    pub country_pieces: Vec<CountryPiece>,
    /// Every passage between countries (and between land and sea), in order.
    pub crossings: Vec<Crossing>,
    /// Borders crossed between two countries, counting a ferry from one country to another
    /// once and a ferry back to the same country not at all.
    pub borders_crossed: usize,
    /// Length (m) on existing track (under construction included if the settings say so).
    pub existing_m: f64,
    /// Of `existing_m`, the length on under-construction lines.
    pub under_construction_m: f64,
    /// Length (m) of new build on land.
    pub new_m: f64,
    /// Length (m) outside every country (sea). `existing_m + new_m + sea_m == length_m`.
    pub sea_m: f64,
    pub track_runs: Vec<TrackRun>,
    pub gauge_breaks: Vec<GaugeBreak>,
    /// The gauge a train runs on, as consecutive runs from 0 to `length_m`: the track's on
    /// reused track, else the declared gauge or the country's default (`None`: unknown, as at
    /// sea). What the gauge breaks are found on; not serialised (exports carry the breaks).
    #[serde(skip)]
    pub gauge_runs: Vec<GaugeRun>,
    pub served: Vec<ServedPlace>,
    pub profile: ElevationProfile,
    /// Terrain along the land part of the line (existing and new).
    pub terrain: TerrainLengths,
    pub cost: CostEstimate,
    /// The travel time, from the train run (the curves and design line below feed it).
    pub travel: TravelTime,
    /// Railway engineering: curves and the design grade line with its tunnels and bridges
    /// (`None` when `LedgerSettings::engineering.enabled` is off).
    pub engineering: Option<Engineering>,
    /// The densified line the ledger was computed on (not serialised: the profile carries
    /// the chainages an export needs).
    #[serde(skip)]
    pub samples: Vec<Sample>,
}

impl Ledger {
    /// Total length in kilometres.
    #[must_use]
    pub fn length_km(&self) -> f64 {
        self.length_m / 1000.0
    }

    /// The chainage (m) of the point of the line nearest `lon`/`lat`, and the geodesic
    /// distance (m) from that point to the line. `None` for an empty line.
    #[must_use]
    pub fn chainage_of(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let frame = LocalFrame::at(lon, lat);
        let p = (lon, lat);
        let (chainage_m, foot) = if self.samples.len() == 1 {
            let s = self.samples[0];
            (s.chainage_m, (s.lon, s.lat))
        } else {
            let (ratio, _, i) = self
                .samples
                .windows(2)
                .enumerate()
                .map(|(i, w)| {
                    let (ratio, off_m) =
                        frame.project(p, (w[0].lon, w[0].lat), (w[1].lon, w[1].lat));
                    (ratio, off_m, i)
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))?;
            let (a, b) = (self.samples[i], self.samples[i + 1]);
            (
                a.chainage_m + ratio * (b.chainage_m - a.chainage_m),
                (
                    a.lon + ratio * (b.lon - a.lon),
                    a.lat + ratio * (b.lat - a.lat),
                ),
            )
        };
        let distance_m = Geodesic.distance(Point::new(lon, lat), Point::new(foot.0, foot.1));
        Some((chainage_m, distance_m))
    }

    /// The lon/lat at `chainage_m` (clamped to the line), on the geodesic between samples.
    #[must_use]
    pub fn position_at(&self, chainage_m: f64) -> Option<(f64, f64)> {
        let first = self.samples.first()?;
        let last = self.samples.last()?;
        if chainage_m <= first.chainage_m {
            return Some((first.lon, first.lat));
        }
        if chainage_m >= last.chainage_m {
            return Some((last.lon, last.lat));
        }
        let j = self
            .samples
            .partition_point(|s| s.chainage_m <= chainage_m)
            .clamp(1, self.samples.len() - 1);
        let (a, b) = (self.samples[j - 1], self.samples[j]);
        let span = b.chainage_m - a.chainage_m;
        let ratio = if span > 0.0 {
            (chainage_m - a.chainage_m) / span
        } else {
            0.0
        };
        let p = Geodesic.point_at_ratio_between(
            Point::new(a.lon, a.lat),
            Point::new(b.lon, b.lat),
            ratio,
        );
        Some((p.x(), p.y()))
    }

    /// The ISO alpha-3 code of the country at `chainage_m` ([`SEA_CODE`] at sea).
    #[must_use]
    pub fn country_at_chainage(&self, chainage_m: f64) -> Option<&str> {
        self.country_pieces
            .iter()
            .find(|p| chainage_m >= p.start_m && chainage_m <= p.end_m)
            .map(|p| p.iso_a3.as_str())
    }
}
