//! What the ledger needs from the atlas, indexed once so that recomputing the ledger while a
//! vertex is dragged costs only the work that depends on the alignment.
//!
//! Built from an [`Atlas`] ([`LedgerContext::new`]) or from explicit features
//! ([`LedgerContext::from_inputs`], for tests). Everything is in lon/lat degrees; the R-trees
//! only preselect candidates, and every distance a user reads is measured with
//! `geo::Geodesic`.
//!
//! Existing track comes in two kinds. The curated rail layer (a few thousand long chords) is
//! densified into 1 km pieces in an R-tree of its own. Imported networks (an OpenStreetMap
//! extract: 3M vertices in several layer parts) are not copied at all: they are asked
//! through their layers' own R-trees ([`Layer::nearest_line_where`]), and only one compact
//! entry per feature is kept (which [`Track`] it is), so adding a 90 MB import costs a few
//! megabytes here.

use std::collections::HashMap;
use std::sync::Arc;

use geo::{
    Bearing, BoundingRect, Coord, Destination, Distance, Geodesic, Geometry, Intersects,
    MultiPolygon, Point,
};
use rstar::primitives::{GeomWithData, Line, Rectangle};
use rstar::{AABB, RTree};
use serde::Serialize;

use super::local::LocalFrame;
use crate::atlas::bundled::Atlas;
use crate::data::elevation::ElevationGrid;
use crate::data::feature::Feature;
use crate::map::layer::Layer;
use crate::map::mercator::world_from_lonlat;
use crate::rail::{RailStatus, ReuseRule, track_gauge_mm};

/// Existing track is densified to pieces of at most this length (m) before indexing, so that
/// a chord in lon/lat and the geodesic it stands for differ by millimetres.
const TRACK_PIECE_M: f64 = 1_000.0;

/// Metres per world unit at the equator (Web Mercator's sphere circumference).
const EQUATOR_M_PER_WORLD: f64 = 40_075_016.686;

/// How much wider than the exact conversion the world-unit search box around a sample is:
/// the Mercator sphere and the ellipsoid differ by under 0.7 %, and the latitude changes
/// across the box.
const WORLD_BOX_MARGIN: f64 = 1.05;

/// The first, cheap search around a sample on an imported network (m): an alignment drawn on
/// track finds it within this, and the nearest line within a radius is the nearest at all.
const NEAR_FIRST_M: f64 = 200.0;

/// "Not track" in [`TrackLayer::track_of`].
const NOT_TRACK: u32 = u32::MAX;

type Edge = GeomWithData<Line<[f64; 2]>, usize>;
type Bbox = GeomWithData<Rectangle<[f64; 2]>, usize>;
type Pin = GeomWithData<[f64; 2], usize>;

/// A country polygon.
#[derive(Clone, Debug)]
pub(crate) struct Country {
    pub iso_a2: String,
    pub iso_a3: String,
    pub name: String,
    pub shape: MultiPolygon<f64>,
}

/// Whether a reused track is in service or being built: the ledger's (and its exports')
/// name for the two reusable [`RailStatus`]es. Proposed, disused and abandoned lines and
/// ferries are never track (see [`crate::rail`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrackStatus {
    Existing,
    UnderConstruction,
}

impl TrackStatus {
    /// The track status of a rail status that may be track at all (under the most lenient
    /// rule): existing or under construction; `None` otherwise.
    #[must_use]
    pub fn of_rail(status: RailStatus) -> Option<TrackStatus> {
        match status {
            RailStatus::Existing => Some(TrackStatus::Existing),
            RailStatus::UnderConstruction => Some(TrackStatus::UnderConstruction),
            RailStatus::Proposed
            | RailStatus::Disused
            | RailStatus::Abandoned
            | RailStatus::Ferry => None,
        }
    }

    /// The rail status this track status stands for.
    #[must_use]
    pub fn rail(self) -> RailStatus {
        match self {
            TrackStatus::Existing => RailStatus::Existing,
            TrackStatus::UnderConstruction => RailStatus::UnderConstruction,
        }
    }

    /// The status the tags of a line give it as track, `None` if it is not track
    /// ([`RailStatus::of_feature`], then [`TrackStatus::of_rail`]). Whether under-construction
    /// track is *used* is the settings' [`ReuseRule`], applied when the ledger is computed.
    #[must_use]
    pub fn of_feature(f: &Feature) -> Option<TrackStatus> {
        RailStatus::of_feature(f).and_then(TrackStatus::of_rail)
    }
}

/// A railway line the alignment may reuse.
#[derive(Clone, Debug)]
pub(crate) struct Track {
    pub name: String,
    pub gauge_mm: Option<u32>,
    pub status: TrackStatus,
}

/// What kind of place a served place is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
    Port,
    Capital,
    City,
}

/// A named point: a place the line may serve, a border crossing or a gauge-break site.
#[derive(Clone, Debug)]
pub(crate) struct NamedPoint {
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub kind: PlaceKind,
    pub population: f64,
    /// The local plane around the point, to compare distances to it cheaply.
    pub frame: LocalFrame,
}

/// Features to build a [`LedgerContext`] from. Any slice may be empty.
#[derive(Default, Clone)]
pub struct LedgerInputs<'a> {
    /// Polygons with `name`, `iso_a2`, `iso_a3`.
    pub countries: &'a [Feature],
    /// Lines with `status`, `gauge_mm`, `name` (and `mode`: ferries are skipped).
    pub rail: &'a [Feature],
    /// Points with `kind` `border-crossing` or `gauge-break`, and `name`.
    pub rail_points: &'a [Feature],
    /// Points with `kind` `sea-port`, `caspian-port`, `dry-port` or `border-station`.
    pub ports: &'a [Feature],
    /// Points with `name`, `capital`, `population`.
    pub cities: &'a [Feature],
    pub elevation: Option<Arc<ElevationGrid>>,
}

/// An imported track layer, queried through its own R-tree: which [`Track`] each feature
/// is ([`NOT_TRACK`] if none). Four bytes a feature; the geometry stays in the layer.
struct TrackLayer {
    layer: Arc<Layer>,
    track_of: Vec<u32>,
}

/// The indexed atlas the ledger is computed against. Build once, reuse for every alignment
/// and every frame.
pub struct LedgerContext {
    pub(crate) countries: Vec<Country>,
    country_boxes: RTree<Bbox>,
    border_edges: RTree<Edge>,
    /// Curated tracks (one per feature), then the distinct tracks of imported layers.
    pub(crate) tracks: Vec<Track>,
    track_pieces: RTree<Edge>,
    track_layers: Vec<TrackLayer>,
    pub(crate) crossing_points: Vec<NamedPoint>,
    crossing_index: RTree<Pin>,
    pub(crate) gauge_points: Vec<NamedPoint>,
    gauge_index: RTree<Pin>,
    pub(crate) places: Vec<NamedPoint>,
    place_index: RTree<Pin>,
    pub(crate) dem: Option<Arc<ElevationGrid>>,
    pub(crate) dem_label: String,
}

/// The track nearest a sample, if within the tolerance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TrackHit {
    pub track: usize,
    pub distance_m: f64,
}

impl LedgerContext {
    /// Index the bundled layers of `atlas` (`countries`, `rail`, `rail_points`, `ports`,
    /// `cities`) and its elevation grid, and add every other track layer (imported networks,
    /// [`Layer::is_track`]; each part of a large import) with
    /// [`LedgerContext::with_track_layers`]. A missing layer is simply empty. Build a new
    /// context when track layers are added or removed.
    #[must_use]
    pub fn new(atlas: &Atlas) -> Self {
        let rail = atlas.layer_index("rail");
        let layer = |id: &str| {
            atlas
                .layer_index(id)
                .and_then(|i| atlas.layers.get(i))
                .map_or(&[][..], |l| l.features.as_slice())
        };
        let imported: Vec<Arc<Layer>> = atlas
            .layers
            .iter()
            .enumerate()
            .filter(|&(i, l)| l.is_track && Some(i) != rail)
            .map(|(_, l)| Arc::clone(l))
            .collect();
        let mut ctx = Self::from_inputs(&LedgerInputs {
            countries: layer("countries"),
            rail: layer("rail"),
            rail_points: layer("rail_points"),
            ports: layer("ports"),
            cities: layer("cities"),
            elevation: atlas.elevation.clone(),
        });
        if ctx.dem.is_some() {
            "ETOPO5 (5 arc-minutes, ~9 km cells; bundled)".clone_into(&mut ctx.dem_label);
        }
        ctx.with_track_layers(imported)
    }

    /// This context with imported track `layers` as existing track too (e.g. the parts of an
    /// OpenStreetMap import). Nothing is densified or copied: samples ask each layer's own
    /// R-tree, and each feature gets a compact reference to a [`Track`] read from its tags
    /// ([`TrackStatus::of_feature`]; gauge by [`track_gauge_mm`]; name from `name`). Ways of one line with the same name, gauge and
    /// status share one track, so a reuse run does not break at every split of the way.
    #[must_use]
    pub fn with_track_layers(mut self, layers: Vec<Arc<Layer>>) -> Self {
        let mut known: HashMap<(String, Option<u32>, TrackStatus), u32> = HashMap::new();
        for layer in layers {
            let track_of = layer
                .features
                .iter()
                .map(|f| {
                    let Some(t) = line_track(f) else {
                        return NOT_TRACK;
                    };
                    *known
                        .entry((t.name.clone(), t.gauge_mm, t.status))
                        .or_insert_with(|| {
                            self.tracks.push(t);
                            (self.tracks.len() - 1) as u32
                        })
                })
                .collect();
            self.track_layers.push(TrackLayer { layer, track_of });
        }
        self
    }

    /// Index explicit features.
    #[must_use]
    pub fn from_inputs(inputs: &LedgerInputs<'_>) -> Self {
        let countries: Vec<Country> = inputs.countries.iter().filter_map(country).collect();
        let mut boxes = Vec::new();
        let mut edges = Vec::new();
        for (i, c) in countries.iter().enumerate() {
            if let Some(r) = c.shape.bounding_rect() {
                boxes.push(Bbox::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ));
            }
            for poly in &c.shape {
                for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                    for l in ring.lines() {
                        edges.push(Edge::new(
                            Line::new([l.start.x, l.start.y], [l.end.x, l.end.y]),
                            i,
                        ));
                    }
                }
            }
        }

        let mut tracks = Vec::new();
        let mut pieces = Vec::new();
        for f in inputs.rail {
            let Some(track) = line_track(f) else { continue };
            let id = tracks.len();
            for_each_line(&f.geometry, &mut |coords| {
                for pair in coords.windows(2) {
                    densified_pieces(pair[0], pair[1], &mut |a, b| {
                        pieces.push(Edge::new(Line::new([a.x, a.y], [b.x, b.y]), id));
                    });
                }
            });
            tracks.push(track);
        }

        let mut crossing_points = Vec::new();
        let mut gauge_points = Vec::new();
        let mut places = Vec::new();
        for f in inputs.rail_points {
            match f.str("kind") {
                Some("border-crossing") => crossing_points.extend(named_point(f, PlaceKind::Port)),
                Some("gauge-break") => gauge_points.extend(named_point(f, PlaceKind::Port)),
                _ => {}
            }
        }
        for f in inputs.ports {
            match f.str("kind") {
                Some("border-station") => crossing_points.extend(named_point(f, PlaceKind::Port)),
                Some("sea-port" | "caspian-port" | "dry-port") => {
                    places.extend(named_point(f, PlaceKind::Port));
                    // A ferry's landfall is a crossing too (country to sea and back).
                    if f.str("kind") != Some("dry-port") {
                        crossing_points.extend(named_point(f, PlaceKind::Port));
                    }
                }
                _ => {}
            }
        }
        for f in inputs.cities {
            let kind = if f.bool("capital") == Some(true) {
                PlaceKind::Capital
            } else {
                PlaceKind::City
            };
            places.extend(named_point(f, kind));
        }
        // The same crossing is often both a rail point and a border station.
        crossing_points.sort_by(|a, b| a.name.cmp(&b.name));
        crossing_points.dedup_by(|a, b| a.name == b.name);

        Self {
            countries,
            country_boxes: RTree::bulk_load(boxes),
            border_edges: RTree::bulk_load(edges),
            tracks,
            track_pieces: RTree::bulk_load(pieces),
            track_layers: Vec::new(),
            crossing_index: pin_index(&crossing_points),
            crossing_points,
            gauge_index: pin_index(&gauge_points),
            gauge_points,
            place_index: pin_index(&places),
            places,
            dem_label: if inputs.elevation.is_some() {
                "elevation grid".to_owned()
            } else {
                "none".to_owned()
            },
            dem: inputs.elevation.clone(),
        }
    }

    /// This context with a finer elevation model (e.g. an SRTM mosaic from
    /// [`super::dem::load_hgt_folder`]) instead of the bundled ETOPO5 grid.
    #[must_use]
    pub fn with_dem(mut self, dem: ElevationGrid, label: impl Into<String>) -> Self {
        self.dem = Some(Arc::new(dem));
        self.dem_label = label.into();
        self
    }

    /// Take over the elevation model (and its label) of `other`, so a context rebuilt for a
    /// changed atlas keeps a DEM the user loaded instead of falling back to the bundled one.
    pub fn keep_dem_of(&mut self, other: &LedgerContext) {
        self.dem.clone_from(&other.dem);
        self.dem_label.clone_from(&other.dem_label);
    }

    /// The elevation model in use, if any.
    #[must_use]
    pub fn dem(&self) -> Option<&ElevationGrid> {
        self.dem.as_deref()
    }

    /// Number of indexed countries, tracks and curated track pieces (for tests and
    /// benchmarks). Imported layers add tracks, never pieces.
    #[must_use]
    pub fn sizes(&self) -> (usize, usize, usize) {
        (
            self.countries.len(),
            self.tracks.len(),
            self.track_pieces.size(),
        )
    }

    /// The country containing `p`, trying `hint` first (consecutive samples are almost
    /// always in the same country). Overlapping polygons resolve to the lowest index.
    pub(crate) fn country_at(&self, p: Coord<f64>, hint: Option<usize>) -> Option<usize> {
        let pt = Point::from(p);
        if let Some(h) = hint
            && self
                .countries
                .get(h)
                .is_some_and(|c| c.shape.intersects(&pt))
        {
            return Some(h);
        }
        self.country_boxes
            .locate_all_at_point(&[p.x, p.y])
            .map(|b| b.data)
            .filter(|&i| Some(i) != hint && self.countries[i].shape.intersects(&pt))
            .min()
    }

    /// Whether the chord `a`–`b` touches any country boundary. When it does not, both ends
    /// are in the same country (or both at sea), so no point-in-polygon test is needed.
    pub(crate) fn touches_border(&self, a: Coord<f64>, b: Coord<f64>) -> bool {
        let chord = geo::Line::new(a, b);
        let env = AABB::from_corners([a.x.min(b.x), a.y.min(b.y)], [a.x.max(b.x), a.y.max(b.y)]);
        self.border_edges
            .locate_in_envelope_intersecting(&env)
            .any(|e| {
                let l = e.geom();
                chord.intersects(&geo::Line::new(
                    Coord {
                        x: l.from[0],
                        y: l.from[1],
                    },
                    Coord {
                        x: l.to[0],
                        y: l.to[1],
                    },
                ))
            })
    }

    /// Where the chord `a`–`b` meets country boundaries: the ratios along it (0 at `a`, 1 at
    /// `b`), sorted, without repeats. A chord that clips a country's corner meets two edges,
    /// so the ledger sees the corner even when both ends lie outside it. Ratios are planar in
    /// lon/lat: on a chord of one sample spacing (≤ a few hundred metres) the geodesic departs
    /// from it by far less than a millimetre.
    pub(crate) fn border_ratios(&self, a: Coord<f64>, b: Coord<f64>) -> Vec<f64> {
        use geo::line_intersection::{LineIntersection, line_intersection};
        let chord = geo::Line::new(a, b);
        let d = b - a;
        let len2 = d.x * d.x + d.y * d.y;
        if len2 == 0.0 {
            return Vec::new();
        }
        let ratio =
            |p: Coord<f64>| (((p.x - a.x) * d.x + (p.y - a.y) * d.y) / len2).clamp(0.0, 1.0);
        let env = AABB::from_corners([a.x.min(b.x), a.y.min(b.y)], [a.x.max(b.x), a.y.max(b.y)]);
        let mut out = Vec::new();
        for e in self.border_edges.locate_in_envelope_intersecting(&env) {
            let l = e.geom();
            let edge = geo::Line::new(
                Coord {
                    x: l.from[0],
                    y: l.from[1],
                },
                Coord {
                    x: l.to[0],
                    y: l.to[1],
                },
            );
            match line_intersection(chord, edge) {
                Some(LineIntersection::SinglePoint { intersection, .. }) => {
                    out.push(ratio(intersection));
                }
                Some(LineIntersection::Collinear { intersection }) => {
                    out.push(ratio(intersection.start));
                    out.push(ratio(intersection.end));
                }
                None => {}
            }
        }
        out.sort_by(f64::total_cmp);
        out.dedup_by(|x, y| (*x - *y).abs() < 1e-12);
        out
    }

    /// The existing track nearest `p` within `tolerance_m` (geodesic), among tracks for which
    /// `usable` holds: the nearest curated piece, and on each imported layer the nearest
    /// usable line (its R-tree, in world units, with a box certainly covering the tolerance),
    /// compared by their distance in the local frame at `p`; the winner's distance is then
    /// measured geodesically to the foot of the perpendicular.
    pub(crate) fn nearest_track(
        &self,
        p: Coord<f64>,
        tolerance_m: f64,
        usable: impl Fn(&Track) -> bool,
    ) -> Option<TrackHit> {
        let frame = LocalFrame::at(p.x, p.y);
        let (dlon, dlat) = frame.half_extent_deg(tolerance_m);
        let env = AABB::from_corners([p.x - dlon, p.y - dlat], [p.x + dlon, p.y + dlat]);
        let mut best: Option<(f64, Coord<f64>, usize)> = None;
        for piece in self.track_pieces.locate_in_envelope_intersecting(&env) {
            if !usable(&self.tracks[piece.data]) {
                continue;
            }
            let l = piece.geom();
            let (a, b) = ((l.from[0], l.from[1]), (l.to[0], l.to[1]));
            let (ratio, off_m) = frame.project((p.x, p.y), a, b);
            if nearer((off_m, piece.data), best) {
                let foot = Coord {
                    x: a.0 + ratio * (b.0 - a.0),
                    y: a.1 + ratio * (b.1 - a.1),
                };
                best = Some((off_m, foot, piece.data));
            }
        }
        if !self.track_layers.is_empty() && tolerance_m > 0.0 {
            let at = world_from_lonlat(p.x, p.y);
            let per_m = world_per_m(p.y);
            let first_m = tolerance_m.min(NEAR_FIRST_M);
            for tl in &self.track_layers {
                let keep = |feature: usize| {
                    tl.track_of
                        .get(feature)
                        .is_some_and(|&t| t != NOT_TRACK && usable(&self.tracks[t as usize]))
                };
                let near = tl.layer.nearest_line_where(at, first_m * per_m, keep);
                let hit = match near {
                    Some(hit) => Some(hit),
                    None if tolerance_m > first_m => {
                        tl.layer.nearest_line_where(at, tolerance_m * per_m, keep)
                    }
                    None => None,
                };
                let Some(hit) = hit else { continue };
                let Some(feature) = tl.layer.features.get(hit.feature) else {
                    continue;
                };
                let track = tl.track_of[hit.feature] as usize;
                for_each_line(&feature.geometry, &mut |coords| {
                    for pair in coords.windows(2) {
                        let (a, b) = (pair[0], pair[1]);
                        // Segments that cannot come within the tolerance are skipped unmeasured.
                        if a.x.max(b.x) < p.x - dlon
                            || a.x.min(b.x) > p.x + dlon
                            || a.y.max(b.y) < p.y - dlat
                            || a.y.min(b.y) > p.y + dlat
                        {
                            continue;
                        }
                        let (ratio, off_m) = frame.project((p.x, p.y), (a.x, a.y), (b.x, b.y));
                        if nearer((off_m, track), best) {
                            let foot = Coord {
                                x: a.x + ratio * (b.x - a.x),
                                y: a.y + ratio * (b.y - a.y),
                            };
                            best = Some((off_m, foot, track));
                        }
                    }
                });
            }
        }
        let (_, foot, track) = best?;
        let distance_m = Geodesic.distance(Point::from(p), Point::from(foot));
        (distance_m <= tolerance_m).then_some(TrackHit { track, distance_m })
    }

    /// The crossing point nearest `p` within `within_m` (geodesic), and its distance.
    pub(crate) fn nearest_crossing_point(
        &self,
        p: Coord<f64>,
        within_m: f64,
    ) -> Option<(usize, f64)> {
        nearest_pin(&self.crossing_index, &self.crossing_points, p, within_m)
    }

    /// The gauge-break site nearest `p` within `within_m` (geodesic), and its distance.
    pub(crate) fn nearest_gauge_point(&self, p: Coord<f64>, within_m: f64) -> Option<(usize, f64)> {
        nearest_pin(&self.gauge_index, &self.gauge_points, p, within_m)
    }

    /// Places whose lon/lat lies within `within_m` of `p` (a superset: an envelope query).
    pub(crate) fn places_near(
        &self,
        p: Coord<f64>,
        within_m: f64,
    ) -> impl Iterator<Item = usize> + '_ {
        let frame = LocalFrame::at(p.x, p.y);
        let (dlon, dlat) = frame.half_extent_deg(within_m);
        let env = AABB::from_corners([p.x - dlon, p.y - dlat], [p.x + dlon, p.y + dlat]);
        self.place_index
            .locate_in_envelope_intersecting(&env)
            .map(|pin| pin.data)
    }
}

fn nearest_pin(
    index: &RTree<Pin>,
    points: &[NamedPoint],
    p: Coord<f64>,
    within_m: f64,
) -> Option<(usize, f64)> {
    let frame = LocalFrame::at(p.x, p.y);
    let (dlon, dlat) = frame.half_extent_deg(within_m);
    let env = AABB::from_corners([p.x - dlon, p.y - dlat], [p.x + dlon, p.y + dlat]);
    index
        .locate_in_envelope_intersecting(&env)
        .map(|pin| {
            let q = &points[pin.data];
            (
                pin.data,
                Geodesic.distance(Point::from(p), Point::new(q.lon, q.lat)),
            )
        })
        .filter(|&(_, d)| d <= within_m)
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

fn pin_index(points: &[NamedPoint]) -> RTree<Pin> {
    RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| Pin::new([p.lon, p.lat], i))
            .collect(),
    )
}

fn country(f: &Feature) -> Option<Country> {
    let shape = match &f.geometry {
        Geometry::Polygon(p) => MultiPolygon::new(vec![p.clone()]),
        Geometry::MultiPolygon(mp) => mp.clone(),
        _ => return None,
    };
    let iso_a3 = f.str("iso_a3").or_else(|| f.str("adm0_a3")).unwrap_or("");
    Some(Country {
        iso_a2: f.str("iso_a2").unwrap_or("").to_owned(),
        iso_a3: iso_a3.to_owned(),
        name: f.name().unwrap_or(iso_a3).to_owned(),
        shape,
    })
}

/// A line (curated or imported, the same rule for both) as track: its status by the one rail vocabulary ([`TrackStatus::of_feature`]; under
/// construction is kept here and dropped, if the settings say so, by
/// [`ReuseRule::reusable`] when the ledger is computed), its gauge and name.
fn line_track(f: &Feature) -> Option<Track> {
    if !matches!(
        f.geometry,
        Geometry::LineString(_) | Geometry::MultiLineString(_) | Geometry::GeometryCollection(_)
    ) {
        return None;
    }
    // The most lenient rule decides what is indexed; the settings' rule decides what is used.
    let lenient = ReuseRule {
        under_construction_counts: true,
    };
    let status = TrackStatus::of_rail(lenient.track_status(f)?)?;
    Some(Track {
        name: f.name().unwrap_or("(unnamed line)").to_owned(),
        gauge_mm: track_gauge_mm(f),
        status,
    })
}

/// World units per metre at latitude `lat` (deg), generously: Web Mercator's scale there,
/// plus [`WORLD_BOX_MARGIN`].
fn world_per_m(lat: f64) -> f64 {
    WORLD_BOX_MARGIN / (EQUATOR_M_PER_WORLD * lat.to_radians().cos().max(1e-6))
}

fn named_point(f: &Feature, kind: PlaceKind) -> Option<NamedPoint> {
    let Geometry::Point(p) = &f.geometry else {
        return None;
    };
    Some(NamedPoint {
        name: f.name()?.to_owned(),
        lon: p.x(),
        lat: p.y(),
        kind,
        population: f.f64("population").unwrap_or(0.0),
        frame: LocalFrame::at(p.x(), p.y()),
    })
}

fn for_each_line(g: &Geometry<f64>, f: &mut impl FnMut(&[Coord<f64>])) {
    match g {
        Geometry::LineString(ls) => f(&ls.0),
        Geometry::MultiLineString(mls) => mls.iter().for_each(|ls| f(&ls.0)),
        Geometry::GeometryCollection(gc) => gc.iter().for_each(|g| for_each_line(g, f)),
        _ => {}
    }
}

/// Split the geodesic `a`–`b` into chords of at most [`TRACK_PIECE_M`].
fn densified_pieces(a: Coord<f64>, b: Coord<f64>, f: &mut impl FnMut(Coord<f64>, Coord<f64>)) {
    let (pa, pb) = (Point::from(a), Point::from(b));
    let length_m = Geodesic.distance(pa, pb);
    let n = (length_m / TRACK_PIECE_M).ceil().max(1.0) as usize;
    let bearing = Geodesic.bearing(pa, pb);
    let mut prev = a;
    for k in 1..=n {
        let next = if k == n {
            b
        } else {
            Geodesic
                .destination(pa, bearing, length_m * k as f64 / n as f64)
                .0
        };
        f(prev, next);
        prev = next;
    }
}

/// Whether a track `(distance m, index)` is nearer than the best so far. At equal distance
/// (lines sharing a node) the earlier track in data order wins, so the answer does not depend
/// on the shape of the spatial index.
fn nearer((off_m, track): (f64, usize), best: Option<(f64, Coord<f64>, usize)>) -> bool {
    best.is_none_or(|(best_m, _, best_t)| off_m < best_m || (off_m <= best_m && track < best_t))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.

    use geo::{Coord, LineString};
    use serde_json::{Value, json};

    use super::{LedgerContext, LedgerInputs};
    use crate::data::feature::Feature;

    fn line(coords: &[(f64, f64)], props: Value) -> Feature {
        let Value::Object(map) = props else {
            panic!("properties must be an object")
        };
        Feature::new(LineString::from(coords.to_vec()).into(), map)
    }

    #[test]
    fn lines_ending_at_one_node_resolve_to_the_first_in_data_order() {
        // Forty lines radiating from one station (61.0, 30.5), in an order unrelated to their
        // direction; at the station all are at distance 0. The answer must be the first line
        // of the data, whatever order the spatial index visits them in.
        let order: Vec<usize> = (0..40).map(|k| (k * 17 + 5) % 40).collect();
        let rail: Vec<Feature> = order
            .iter()
            .map(|&k| {
                let angle = (k as f64) * std::f64::consts::TAU / 40.0;
                line(
                    &[
                        (61.0, 30.5),
                        (61.0 + 0.5 * angle.cos(), 30.5 + 0.5 * angle.sin()),
                    ],
                    json!({"name": format!("Line {k}"), "status": "existing", "gauge_mm": 1435}),
                )
            })
            .collect();
        let ctx = LedgerContext::from_inputs(&LedgerInputs {
            rail: &rail,
            ..LedgerInputs::default()
        });
        let hit = ctx
            .nearest_track(Coord { x: 61.0, y: 30.5 }, 2_000.0, |_| true)
            .expect("on track");
        assert_eq!(
            ctx.tracks[hit.track].name, "Line 5",
            "data order: {order:?}"
        );
    }
}
