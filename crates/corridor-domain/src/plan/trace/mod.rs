//! Tracing along existing track: the shortest route over the rail network between two points
//! on it, returned as alignment vertices (QGIS's tracing, without its stray vertices).
//!
//! [`RailGraph`] is a graph of the network's junctions, not of its vertices, so that an
//! OpenStreetMap extract (100k ways, 3M vertices) becomes a few hundred thousand nodes and
//! builds in about a second:
//! - a *node* is where a route can choose or must stop: a line's end, or a vertex that two or
//!   more lines share (an exact coordinate match: OSM ways are split at shared nodes, and a
//!   branch leaves a main line at one of its vertices). Nodes closer than a merge distance
//!   (50 m by default) become one, because curated lines do not quite meet and OSM has small
//!   gaps; the first node (in layer and feature order) stays where it is.
//! - an *edge* is the stretch of one line between two consecutive nodes. It stores its WGS84
//!   geodesic length, the line and vertex range it covers (the coordinates are never copied
//!   when the graph is built from an atlas: its layers are shared) and an interned
//!   reference to the line's name. Two lines along the same stretch give one edge, so a
//!   route cannot hop between twins.
//!
//! An R-tree over runs of up to eight consecutive segments of the edges finds where a point
//! lies on the network. The search is A* with a great-circle distance on a sphere no larger
//! than the ellipsoid anywhere as its estimate (a lower bound of the geodesic, so the route
//! is the shortest).
//!
//! A traced endpoint need not be a node: the search starts from both ends of the edge under
//! it with the lengths along the edge as head starts, and ends at either end of the goal's
//! edge with the remaining lengths added. Picking the cheapest of those never walks past an
//! endpoint and back, so the result has no spikes; duplicate vertices are removed as a last
//! step in any case. The route's vertices are the lines' own vertices along the way.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::num::NonZeroUsize;
use std::sync::Arc;

use geo::{Coord, Distance, Geodesic, Geometry, Point};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::atlas::bundled::Atlas;
use crate::data::feature::Feature;
use crate::map::index::{Part, nearest_on_segment, visit};
use crate::map::layer::Layer;
use crate::map::mercator::{WorldPoint, lonlat_from_world, world_from_lonlat};
use crate::measure::ledger::TrackStatus;
use crate::plan::scenario::model::{SnapRef, Vertex};
use crate::plan::snap::line_name;

mod search;

/// Line ends and junctions closer than this (metres) are one node of the network.
pub const DEFAULT_MERGE_M: f64 = 50.0;

/// Metres per world unit at the equator (Web Mercator's sphere circumference). At latitude
/// φ a world unit spans `cos φ` times this.
const EQUATOR_M_PER_WORLD: f64 = 40_075_016.685_578_5;

/// How far (metres) a trace endpoint may lie from the network in [`RailGraph::trace`]: vertices
/// snapped to track are on it, and bundled station points sit on their lines.
pub const DEFAULT_ON_NETWORK_M: f64 = 1000.0;

/// Vertices closer than this (metres) are duplicates in a traced path.
const SAME_POINT_M: f64 = 0.01;

/// Segments per R-tree entry (as in the layers' own index): a 3M-vertex network costs about
/// 400k entries instead of 3M.
const RUN_SEGMENTS: usize = 8;

/// Metres per degree of latitude, at least (the meridian arc at the equator, rounded down).
/// Two points `Δφ` degrees apart in latitude are at least `Δφ` times this far apart.
const MIN_M_PER_DEG_LAT: f64 = 110_000.0;

/// Below this many segments the edge lengths are measured on one thread.
const PARALLEL_MIN_SEGMENTS: usize = 50_000;

/// "No edge" / "no node" in the compact `u32` indices.
const NONE: u32 = u32::MAX;

/// A network node: a line end or a junction.
#[derive(Clone, Debug, PartialEq)]
pub struct RailNode {
    pub lon: f64,
    pub lat: f64,
}

impl RailNode {
    fn coord(&self) -> Coord<f64> {
        Coord {
            x: self.lon,
            y: self.lat,
        }
    }
}

/// A network edge: the stretch of line `line` from vertex `first` to vertex `last` (of its
/// coordinates), between nodes `a` (at `first`) and `b` (at `last`). The end vertices are
/// drawn at the nodes' positions (which differ from the line's only where nodes merged).
#[derive(Clone, Copy, Debug)]
struct Edge {
    a: u32,
    b: u32,
    line: u32,
    first: u32,
    last: u32,
    /// Index into [`RailGraph::snaps`]: the layer id and line name, interned.
    snap: u32,
    length_m: f64,
}

impl Edge {
    fn segments(&self) -> usize {
        (self.last - self.first) as usize
    }
}

/// Up to [`RUN_SEGMENTS`] consecutive segments of an edge: vertices `first..=first + segments`
/// of its geometry.
#[derive(Clone, Copy, Debug, PartialEq)]
struct RunRef {
    edge: u32,
    first: u32,
    segments: u32,
}

type IndexedRun = GeomWithData<Rectangle<WorldPoint>, RunRef>;

/// Where a line part lives in the layers a graph shares.
#[derive(Clone, Copy, Debug)]
struct PartRef {
    layer: u32,
    feature: u32,
    part: u32,
}

/// The lines' coordinates. A graph built from an atlas shares the atlas's layers (no copy of
/// 3M vertices); one built from borrowed layers keeps a flat copy of its lines.
enum LineStore {
    Owned {
        coords: Vec<Coord<f64>>,
        ends: Vec<u32>,
    },
    Shared {
        layers: Vec<Arc<Layer>>,
        parts: Vec<PartRef>,
    },
}

impl LineStore {
    /// The coordinates (lon/lat) of line `k`.
    fn line(&self, k: usize) -> &[Coord<f64>] {
        match self {
            LineStore::Owned { coords, ends } => {
                let end = ends.get(k).map_or(0, |&e| e as usize);
                let start = if k == 0 {
                    0
                } else {
                    ends.get(k - 1).map_or(end, |&e| e as usize)
                };
                coords.get(start..end).unwrap_or(&[])
            }
            LineStore::Shared { layers, parts } => parts
                .get(k)
                .and_then(|p| {
                    let f = layers
                        .get(p.layer as usize)?
                        .features
                        .get(p.feature as usize)?;
                    nth_line(&f.geometry, p.part as usize)
                })
                .unwrap_or(&[]),
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            LineStore::Owned { coords, ends } => {
                coords.capacity() * size_of::<Coord<f64>>() + ends.capacity() * size_of::<u32>()
            }
            LineStore::Shared { layers, parts } => {
                layers.capacity() * size_of::<Arc<Layer>>()
                    + parts.capacity() * size_of::<PartRef>()
            }
        }
    }
}

/// The `n`-th line part of `g`, in [`visit`] order.
fn nth_line(g: &Geometry<f64>, n: usize) -> Option<&[Coord<f64>]> {
    match g {
        Geometry::LineString(ls) => (n == 0).then_some(ls.0.as_slice()),
        Geometry::MultiLineString(mls) => mls.0.get(n).map(|ls| ls.0.as_slice()),
        other => {
            let mut k = 0;
            let mut found = None;
            visit(other, &mut |part| {
                if let Part::Line(cs) = part {
                    if k == n {
                        found = Some(cs);
                    }
                    k += 1;
                }
            });
            found
        }
    }
}

/// Whether tracing may follow `f`: curated lines (with a `status`) always, as planners trace
/// along proposed lines too; OpenStreetMap ways when they are track in service or being
/// built (not abandoned, disused, razed, proposed or a platform, see
/// [`TrackStatus::of_feature`]); untagged lines of a track layer always.
fn is_traceable(f: &Feature) -> bool {
    f.properties.contains_key("status") || TrackStatus::of_feature(f).is_some()
}

/// The rail network as a graph of junctions, with an R-tree over its edges to find where a
/// point lies.
pub struct RailGraph {
    nodes: Vec<RailNode>,
    /// Edges at node `n`: `adjacency[adjacency_start[n]..adjacency_start[n + 1]]`.
    adjacency_start: Vec<u32>,
    adjacency: Vec<u32>,
    edges: Vec<Edge>,
    lines: LineStore,
    /// Layer id and line name of the edges, each distinct pair once.
    snaps: Vec<SnapRef>,
    runs: RTree<IndexedRun>,
    /// Distinct vertices (nodes plus the vertices inside edges) and segments.
    vertices: usize,
    segments: usize,
}

/// A traced route along the network.
#[derive(Clone, Debug, PartialEq)]
pub struct TracedPath {
    /// The route's vertices, each snapped to the rail line it lies on.
    pub vertices: Vec<Vertex>,
    /// Geodesic length of the route.
    pub length_m: f64,
}

/// Where a point lies on the network: on segment `segment` (vertices `segment` and
/// `segment + 1` of the edge's geometry) of `edge`, at `point`.
#[derive(Clone, Copy, Debug)]
struct Location {
    edge: u32,
    segment: usize,
    point: Point<f64>,
}

/// A line while building: its coordinates, its world coordinates if the layer has them, its
/// interned name and where it lives.
struct Source<'a> {
    coords: &'a [Coord<f64>],
    world: Option<&'a [WorldPoint]>,
    snap: u32,
    part: PartRef,
}

/// The graph proper, before it is given its line store.
struct Core {
    nodes: Vec<RailNode>,
    adjacency_start: Vec<u32>,
    adjacency: Vec<u32>,
    edges: Vec<Edge>,
    runs: RTree<IndexedRun>,
    vertices: usize,
    segments: usize,
}

/// The chosen way from the start's location to the goal's.
enum Route {
    /// Along the one edge both lie on.
    Direct,
    /// Leaving the start's edge at node `seed`, along `edges` (each with whether it is run
    /// from `a` to `b`), onto the goal's edge at node `goal`.
    Via {
        seed: u32,
        edges: Vec<(u32, bool)>,
        goal: u32,
    },
}

impl RailGraph {
    /// Build the network from every traceable line of `layers`, merging nodes within
    /// [`DEFAULT_MERGE_M`]. The lines' coordinates are copied; [`RailGraph::from_atlas`]
    /// shares them instead.
    #[must_use]
    pub fn build(layers: &[&Layer]) -> Self {
        Self::build_with_merge(layers, DEFAULT_MERGE_M)
    }

    /// Build the network, merging line ends and junctions closer than `merge_m` metres into
    /// one node.
    #[must_use]
    pub fn build_with_merge(layers: &[&Layer], merge_m: f64) -> Self {
        let (sources, snaps) = collect_sources(layers);
        let core = build_core(&sources, merge_m);
        let mut coords = Vec::with_capacity(sources.iter().map(|s| s.coords.len()).sum());
        let mut ends = Vec::with_capacity(sources.len());
        for s in &sources {
            coords.extend_from_slice(s.coords);
            ends.push(coords.len() as u32);
        }
        Self::assemble(core, LineStore::Owned { coords, ends }, snaps)
    }

    /// The network of the layers `track_layers` of `atlas` (e.g.
    /// [`crate::plan::snap::default_track_layers`]: the bundled rail and imported track, each part
    /// of a large import being a layer of its own). The graph shares the layers (`Arc`), so
    /// it holds no copy of their coordinates; rebuild it when the track layers change.
    #[must_use]
    pub fn from_atlas(atlas: &Atlas, track_layers: &[usize]) -> Self {
        Self::from_atlas_with_merge(atlas, track_layers, DEFAULT_MERGE_M)
    }

    /// [`RailGraph::from_atlas`] with a merge distance (m) for line ends and junctions.
    #[must_use]
    pub fn from_atlas_with_merge(atlas: &Atlas, track_layers: &[usize], merge_m: f64) -> Self {
        let mut seen = HashSet::new();
        let shared: Vec<Arc<Layer>> = track_layers
            .iter()
            .filter(|&&i| seen.insert(i))
            .filter_map(|&i| atlas.layers.get(i))
            .cloned()
            .collect();
        let borrowed: Vec<&Layer> = shared.iter().map(AsRef::as_ref).collect();
        let (sources, snaps) = collect_sources(&borrowed);
        let core = build_core(&sources, merge_m);
        let parts = sources.iter().map(|s| s.part).collect();
        drop(sources);
        drop(borrowed);
        Self::assemble(
            core,
            LineStore::Shared {
                layers: shared,
                parts,
            },
            snaps,
        )
    }

    fn assemble(core: Core, lines: LineStore, snaps: Vec<SnapRef>) -> Self {
        Self {
            nodes: core.nodes,
            adjacency_start: core.adjacency_start,
            adjacency: core.adjacency,
            edges: core.edges,
            lines,
            snaps,
            runs: core.runs,
            vertices: core.vertices,
            segments: core.segments,
        }
    }

    /// Distinct vertices of the network a route can pass through: junctions and line ends
    /// (merged within the merge distance) plus the vertices along the lines between them.
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.vertices
    }

    /// Segments of the network between consecutive vertices (a stretch two lines share
    /// counts once).
    #[must_use]
    pub fn edge_count(&self) -> usize {
        self.segments
    }

    /// Nodes of the search graph: line ends and junctions, after merging.
    #[must_use]
    pub fn junction_count(&self) -> usize {
        self.nodes.len()
    }

    /// Edges of the search graph: stretches of line between two junctions.
    #[must_use]
    pub fn stretch_count(&self) -> usize {
        self.edges.len()
    }

    /// Approximate heap bytes held (graph, R-tree, line references), not counting shared
    /// layers.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        let tree = self.runs.size() * size_of::<IndexedRun>();
        self.nodes.capacity() * size_of::<RailNode>()
            + (self.adjacency_start.capacity() + self.adjacency.capacity()) * size_of::<u32>()
            + self.edges.capacity() * size_of::<Edge>()
            + tree
            + tree / 4
            + self.lines.heap_bytes()
            + self
                .snaps
                .iter()
                .map(|s| match s {
                    SnapRef::Rail { layer, line } | SnapRef::Place { layer, name: line } => {
                        size_of::<SnapRef>() + layer.capacity() + line.capacity()
                    }
                })
                .sum::<usize>()
    }

    fn node(&self, n: u32) -> &RailNode {
        &self.nodes[n as usize]
    }

    fn edge(&self, e: u32) -> &Edge {
        &self.edges[e as usize]
    }

    fn edges_at(&self, n: u32) -> &[u32] {
        let n = n as usize;
        let start = self.adjacency_start.get(n).map_or(0, |&s| s as usize);
        let end = self
            .adjacency_start
            .get(n + 1)
            .map_or(start, |&e| e as usize);
        self.adjacency.get(start..end).unwrap_or(&[])
    }

    fn snap_ref(&self, e: &Edge) -> SnapRef {
        self.snaps
            .get(e.snap as usize)
            .cloned()
            .unwrap_or_else(|| SnapRef::Rail {
                layer: String::new(),
                line: String::new(),
            })
    }

    /// The vertices of edge `e` strictly between its nodes.
    fn interior(&self, e: &Edge) -> &[Coord<f64>] {
        let line = self.lines.line(e.line as usize);
        line.get(e.first as usize + 1..e.last as usize)
            .unwrap_or(&[])
    }

    /// The geometry of edge `e`, from node `a` to node `b`.
    fn edge_coords(&self, e: &Edge) -> Vec<Coord<f64>> {
        let mut out = Vec::with_capacity(e.segments() + 1);
        out.push(self.node(e.a).coord());
        out.extend_from_slice(self.interior(e));
        out.push(self.node(e.b).coord());
        out
    }

    /// World coordinates of the vertices of a run, into `out`; how many.
    fn run_world(&self, run: RunRef, out: &mut [WorldPoint; RUN_SEGMENTS + 1]) -> usize {
        let e = self.edge(run.edge);
        let interior = self.interior(e);
        let last = interior.len() + 1;
        let count = (run.segments as usize + 1).min(out.len());
        for (k, slot) in out.iter_mut().enumerate().take(count) {
            let i = run.first as usize + k;
            let c = if i == 0 {
                self.node(e.a).coord()
            } else if i >= last {
                self.node(e.b).coord()
            } else {
                interior[i - 1]
            };
            *slot = world_from_lonlat(c.x, c.y);
        }
        count
    }

    /// The nearest point of the network to a lon/lat (nearest as on the map, in world
    /// units), if within `tolerance_m` metres (geodesic).
    fn locate(&self, lon: f64, lat: f64, tolerance_m: f64) -> Option<Location> {
        let at = world_from_lonlat(lon, lat);
        let reach = world_reach(lat, tolerance_m);
        let mut best: Option<(f64, RunRef, usize, WorldPoint)> = None;
        let mut world = [[0.0; 2]; RUN_SEGMENTS + 1];
        for (entry, box_d2) in self.runs.nearest_neighbor_iter_with_distance_2(&at) {
            if box_d2 > reach * reach || best.is_some_and(|(d2, ..)| box_d2 > d2) {
                break;
            }
            let run = entry.data;
            let n = self.run_world(run, &mut world);
            for k in 0..n.saturating_sub(1) {
                let on = nearest_on_segment(at, world[k], world[k + 1]);
                let d2 = (on[0] - at[0]).powi(2) + (on[1] - at[1]).powi(2);
                if best.is_none_or(|(b, ..)| d2 < b) {
                    best = Some((d2, run, run.first as usize + k, on));
                }
            }
        }
        let (_, run, segment, on) = best?;
        let (plon, plat) = lonlat_from_world(on);
        let point = Point::new(plon, plat);
        let distance_m = Geodesic.distance(Point::new(lon, lat), point);
        (distance_m <= tolerance_m).then_some(Location {
            edge: run.edge,
            segment,
            point,
        })
    }

    /// The nearest point of the network to a lon/lat within `tolerance_m`, and the edge's
    /// line, e.g. to show where a trace would start.
    #[must_use]
    pub fn nearest_on_network(&self, lon: f64, lat: f64, tolerance_m: f64) -> Option<Vertex> {
        let loc = self.locate(lon, lat, tolerance_m)?;
        Some(Vertex::snapped(
            loc.point.x(),
            loc.point.y(),
            self.snap_ref(self.edge(loc.edge)),
        ))
    }

    /// The shortest route along the network from `from` to `to` (lon/lat), both within
    /// [`DEFAULT_ON_NETWORK_M`] of it (see [`RailGraph::trace_within`]).
    #[must_use]
    pub fn trace(&self, from: (f64, f64), to: (f64, f64)) -> Option<TracedPath> {
        self.trace_within(from, to, DEFAULT_ON_NETWORK_M)
    }

    /// The shortest route along the network from `from` to `to` (lon/lat). Both must lie
    /// within `tolerance_m` of the network (they are moved onto it); `None` if one does not,
    /// or if no track connects them.
    #[must_use]
    pub fn trace_within(
        &self,
        from: (f64, f64),
        to: (f64, f64),
        tolerance_m: f64,
    ) -> Option<TracedPath> {
        let start = self.locate(from.0, from.1, tolerance_m)?;
        let goal = self.locate(to.0, to.1, tolerance_m)?;
        let start_edge = self.edge(start.edge);
        let goal_edge = self.edge(goal.edge);
        let start_ref = self.snap_ref(start_edge);
        let goal_ref = self.snap_ref(goal_edge);
        let route = self.best_route(&start, &goal)?;
        let snapped = |c: Coord<f64>, r: &SnapRef| Vertex::snapped(c.x, c.y, r.clone());
        let mut vertices = vec![Vertex::snapped(
            start.point.x(),
            start.point.y(),
            start_ref.clone(),
        )];
        match route {
            Route::Direct => {
                let coords = self.edge_coords(start_edge);
                let (i, j) = (start.segment, goal.segment);
                let between: Vec<Coord<f64>> = match i.cmp(&j) {
                    Ordering::Less => coords[i + 1..=j].to_vec(),
                    Ordering::Greater => coords[j + 1..=i].iter().rev().copied().collect(),
                    Ordering::Equal => Vec::new(),
                };
                vertices.extend(between.into_iter().map(|c| snapped(c, &start_ref)));
            }
            Route::Via {
                seed,
                edges,
                goal: goal_node,
            } => {
                // Along the start's edge to the node the route leaves from.
                let coords = self.edge_coords(start_edge);
                let k = start.segment;
                if seed == start_edge.a && (seed != start_edge.b || self.toward_a(&start)) {
                    vertices.extend(coords[..=k].iter().rev().map(|&c| snapped(c, &start_ref)));
                } else {
                    vertices.extend(coords[k + 1..].iter().map(|&c| snapped(c, &start_ref)));
                }
                for (e, forward) in edges {
                    let edge = self.edge(e);
                    let r = self.snap_ref(edge);
                    let coords = self.edge_coords(edge);
                    if forward {
                        vertices.extend(coords[1..].iter().map(|&c| snapped(c, &r)));
                    } else {
                        let n = coords.len() - 1;
                        vertices.extend(coords[..n].iter().rev().map(|&c| snapped(c, &r)));
                    }
                }
                // From the node the route arrives at, along the goal's edge.
                let coords = self.edge_coords(goal_edge);
                let k = goal.segment;
                if goal_node == goal_edge.a && (goal_node != goal_edge.b || self.toward_a(&goal)) {
                    vertices.extend(coords[1..=k].iter().map(|&c| snapped(c, &goal_ref)));
                } else {
                    let n = coords.len() - 1;
                    vertices.extend(
                        coords[k + 1..n]
                            .iter()
                            .rev()
                            .map(|&c| snapped(c, &goal_ref)),
                    );
                }
            }
        }
        vertices.push(Vertex::snapped(goal.point.x(), goal.point.y(), goal_ref));
        let vertices = without_strays(vertices);
        let length_m = vertices
            .windows(2)
            .map(|w| Geodesic.distance(w[0].point(), w[1].point()))
            .sum();
        Some(TracedPath { vertices, length_m })
    }

    /// Metres along the edge of `loc` from its node `a` to the point, and from the point to
    /// its node `b`.
    fn along_m(&self, loc: &Location) -> (f64, f64) {
        let coords = self.edge_coords(self.edge(loc.edge));
        let k = loc.segment.min(coords.len().saturating_sub(2));
        let geodesic = |a: Coord<f64>, b: Coord<f64>| Geodesic.distance(Point(a), Point(b));
        let p = loc.point.0;
        let to_a = coords[..=k]
            .windows(2)
            .map(|w| geodesic(w[0], w[1]))
            .sum::<f64>()
            + geodesic(coords[k], p);
        let to_b = coords[k + 1..]
            .windows(2)
            .map(|w| geodesic(w[0], w[1]))
            .sum::<f64>()
            + geodesic(p, coords[k + 1]);
        (to_a, to_b)
    }

    /// On an edge whose two ends are one node (a loop), whether the way out from `loc` is
    /// towards vertex 0 (the shorter way).
    fn toward_a(&self, loc: &Location) -> bool {
        let (to_a, to_b) = self.along_m(loc);
        to_a <= to_b
    }

    /// The cheapest way from the start's location to the goal's: along their common edge,
    /// or out of the start's edge at either end, over the graph, and into the goal's edge at
    /// either end, with the partial edge lengths added (so the route never runs past an
    /// endpoint and back). One A* search from both start ends to both goal ends.
    fn best_route(&self, start: &Location, goal: &Location) -> Option<Route> {
        let start_edge = self.edge(start.edge);
        let goal_edge = self.edge(goal.edge);
        let (head_a, head_b) = self.along_m(start);
        let (tail_a, tail_b) = self.along_m(goal);
        let heads = [(start_edge.a, head_a), (start_edge.b, head_b)];
        let tails = [(goal_edge.a, tail_a), (goal_edge.b, tail_b)];

        // Along the common edge: the geodesic through the vertices between the two points.
        let direct_m: Option<f64> = (start.edge == goal.edge).then(|| {
            let coords = self.edge_coords(start_edge);
            let (first, last) = if start.segment <= goal.segment {
                (start, goal)
            } else {
                (goal, start)
            };
            let mut path = vec![first.point.0];
            path.extend_from_slice(&coords[first.segment + 1..=last.segment]);
            path.push(last.point.0);
            path.windows(2)
                .map(|w| Geodesic.distance(Point(w[0]), Point(w[1])))
                .sum::<f64>()
        });

        // Out of the start's edge, over the network, into the goal's edge.
        let query = search::QueryGraph::new(self, &heads, &tails);
        let goal_node = query.goal_node();
        let via = petgraph::algo::astar(
            query,
            query.start_node(),
            |n| n == goal_node,
            |(_, _, length_m)| *length_m,
            |n| query.estimate_m(n),
        );
        let via = via.and_then(|(cost_m, path)| {
            // path: virtual start, seed, …, goal end, virtual goal.
            let real = path.get(1..path.len().saturating_sub(1))?;
            let edges = real
                .windows(2)
                .map(|w| query.edge_between(w[0], w[1]))
                .collect::<Option<Vec<_>>>()?;
            Some((cost_m, *real.first()?, edges, *real.last()?))
        });
        match (direct_m, via) {
            (Some(direct_m), Some((via_m, ..))) if direct_m <= via_m => Some(Route::Direct),
            (_, Some((_, seed, edges, goal))) => Some(Route::Via { seed, edges, goal }),
            (Some(_), None) => Some(Route::Direct),
            (None, None) => None,
        }
    }

    /// How much of a drawn line runs along the network: the line is cut into pieces of at
    /// most a few hundred metres, and a piece counts as reused when its middle lies within
    /// `tolerance_m` of track running roughly the same way (within 30°), so crossing a line
    /// does not count. The result is a share of each segment's geodesic length, so it never
    /// exceeds the line's length.
    #[must_use]
    pub fn reused_length_m(&self, vertices: &[Vertex], tolerance_m: f64) -> f64 {
        let step_m = (tolerance_m / 4.0).clamp(25.0, 500.0);
        let mut reused_m = 0.0;
        for w in vertices.windows(2) {
            let length_m = Geodesic.distance(w[0].point(), w[1].point());
            if length_m <= 0.0 {
                continue;
            }
            let a = world_from_lonlat(w[0].lon, w[0].lat);
            let b = world_from_lonlat(w[1].lon, w[1].lat);
            // Capped so a continent-long chord costs at most a few milliseconds.
            let pieces = (length_m / step_m).ceil().clamp(1.0, 10_000.0);
            let n = pieces as usize;
            let on_track = (0..n)
                .filter(|&i| {
                    let t = (i as f64 + 0.5) / pieces;
                    let mid = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
                    self.runs_along(mid, [b[0] - a[0], b[1] - a[1]], tolerance_m)
                })
                .count();
            reused_m += length_m * on_track as f64 / pieces;
        }
        reused_m
    }

    /// Whether track within `tolerance_m` of `at` runs within 30° of `direction` (world).
    fn runs_along(&self, at: WorldPoint, direction: [f64; 2], tolerance_m: f64) -> bool {
        let (lon, lat) = lonlat_from_world(at);
        let here = Point::new(lon, lat);
        let reach = world_reach(lat, tolerance_m);
        let cos_30 = 30f64.to_radians().cos();
        let mut world = [[0.0; 2]; RUN_SEGMENTS + 1];
        // Candidates in world distance order; stop once they are certainly too far.
        for (entry, box_d2) in self.runs.nearest_neighbor_iter_with_distance_2(&at) {
            if box_d2 > reach * reach {
                return false;
            }
            let n = self.run_world(entry.data, &mut world);
            for w in world[..n].windows(2) {
                let on = nearest_on_segment(at, w[0], w[1]);
                if (on[0] - at[0]).powi(2) + (on[1] - at[1]).powi(2) > reach * reach {
                    continue;
                }
                let (plon, plat) = lonlat_from_world(on);
                if Geodesic.distance(here, Point::new(plon, plat)) > tolerance_m {
                    continue;
                }
                let track = [w[1][0] - w[0][0], w[1][1] - w[0][1]];
                let dot = (track[0] * direction[0] + track[1] * direction[1]).abs();
                let norms = track[0].hypot(track[1]) * direction[0].hypot(direction[1]);
                if norms > 0.0 && dot / norms >= cos_30 {
                    return true;
                }
            }
        }
        false
    }
}

/// A world-unit radius around a point at `lat` that certainly covers `metres` of geodesic
/// distance: Mercator's scale at the farthest latitude within reach, with 2 % to spare for
/// the ellipsoid (whose radii differ from the sphere's by under 0.7 %).
fn world_reach(lat: f64, metres: f64) -> f64 {
    if !metres.is_finite() {
        return f64::INFINITY;
    }
    let farthest = (lat.abs() + metres.max(0.0) / MIN_M_PER_DEG_LAT).min(89.999);
    metres.max(0.0) / (EQUATOR_M_PER_WORLD * farthest.to_radians().cos()) * 1.02
}

/// Every traceable line part of `layers` with its interned (layer id, line name).
fn collect_sources<'a>(layers: &[&'a Layer]) -> (Vec<Source<'a>>, Vec<SnapRef>) {
    let mut snap_ids: HashMap<(&'a str, &'a str), u32> = HashMap::new();
    let mut snaps = Vec::new();
    let mut out = Vec::new();
    for (li, &layer) in layers.iter().enumerate() {
        let full = layer.lod.full();
        for (fi, feature) in layer.features.iter().enumerate() {
            if !is_traceable(feature) {
                continue;
            }
            let name = line_name(feature);
            let snap = *snap_ids
                .entry((layer.id.as_str(), name))
                .or_insert_with(|| {
                    snaps.push(SnapRef::Rail {
                        layer: layer.id.clone(),
                        line: name.to_owned(),
                    });
                    (snaps.len() - 1) as u32
                });
            // The full-detail level holds the same parts in the same order, projected.
            let mut worlds = full.lines().of_feature(fi).map(|(_, w)| w);
            let mut part = 0;
            visit(&feature.geometry, &mut |p| {
                if let Part::Line(coords) = p {
                    let world = worlds.next().filter(|w| w.len() == coords.len());
                    out.push(Source {
                        coords,
                        world,
                        snap,
                        part: PartRef {
                            layer: li as u32,
                            feature: fi as u32,
                            part,
                        },
                    });
                    part += 1;
                }
            });
        }
    }
    (out, snaps)
}

/// The hasher of the vertex maps: foldhash (std's SipHash costs more than the rest of the build
/// on 3M vertices). Its fixed seed keeps the build deterministic run to run.
type MixBuild = foldhash::fast::FixedState;

/// SplitMix64's finaliser: every input bit affects every output bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The exact identity of a coordinate (−0 and +0 are one).
fn key_of(c: Coord<f64>) -> (u64, u64) {
    ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits())
}

/// A 64-bit fingerprint of a coordinate. Two coordinates may collide; that only makes an
/// ordinary vertex a node (a harmless extra split), never joins different points.
fn fingerprint(c: Coord<f64>) -> u64 {
    let (x, y) = key_of(c);
    mix(x ^ mix(y).rotate_left(17))
}

/// Build the graph of `sources`: nodes at line ends and shared vertices, merged within
/// `merge_m`; edges between consecutive nodes of each line; an R-tree over the edges.
fn build_core(sources: &[Source<'_>], merge_m: f64) -> Core {
    // 1. Vertices that occur more than once anywhere (sorted 64-bit fingerprints: 8 bytes a
    //    vertex, where a hash map of every vertex would cost 30).
    let total: usize = sources.iter().map(|s| s.coords.len()).sum();
    let mut fingerprints = Vec::with_capacity(total);
    for s in sources {
        fingerprints.extend(s.coords.iter().map(|&c| fingerprint(c)));
    }
    fingerprints.sort_unstable();
    let mut shared: HashSet<u64, MixBuild> = HashSet::default();
    for w in fingerprints.windows(2) {
        if w[0] == w[1] {
            shared.insert(w[0]);
        }
    }
    drop(fingerprints);

    // 2. Candidate nodes, in order of first occurrence, and each line's stops at them.
    let mut candidate_of: HashMap<(u64, u64), u32, MixBuild> = HashMap::default();
    let mut candidates: Vec<Coord<f64>> = Vec::new();
    let mut candidate_world: Vec<WorldPoint> = Vec::new();
    let mut stops: Vec<(u32, u32)> = Vec::new();
    let mut stop_ends: Vec<usize> = Vec::with_capacity(sources.len());
    for s in sources {
        let n = s.coords.len();
        if n >= 2 {
            for (i, &c) in s.coords.iter().enumerate() {
                if i != 0 && i != n - 1 && !shared.contains(&fingerprint(c)) {
                    continue;
                }
                let id = *candidate_of.entry(key_of(c)).or_insert_with(|| {
                    candidates.push(c);
                    candidate_world.push(
                        s.world
                            .and_then(|w| w.get(i).copied())
                            .unwrap_or_else(|| world_from_lonlat(c.x, c.y)),
                    );
                    (candidates.len() - 1) as u32
                });
                stops.push((i as u32, id));
            }
        }
        stop_ends.push(stops.len());
    }
    drop(shared);
    drop(candidate_of);

    // 3. Merge candidates within merge_m: each joins the nearest earlier node in reach.
    let representative = merge_candidates(&candidates, &candidate_world, merge_m);
    let mut node_of = vec![NONE; candidates.len()];
    let mut nodes = Vec::new();
    let mut node_world = Vec::new();
    for (i, &r) in representative.iter().enumerate() {
        node_of[i] = if r as usize == i {
            nodes.push(RailNode {
                lon: candidates[i].x,
                lat: candidates[i].y,
            });
            node_world.push(candidate_world[i]);
            (nodes.len() - 1) as u32
        } else {
            node_of[r as usize]
        };
    }
    drop(candidates);
    drop(candidate_world);

    // 4. Edges: the stretches between consecutive stops of each line.
    let mut edges = Vec::new();
    let mut start = 0;
    for (k, (s, &end)) in sources.iter().zip(&stop_ends).enumerate() {
        for w in stops[start..end].windows(2) {
            let ((first, ca), (last, cb)) = (w[0], w[1]);
            let (a, b) = (node_of[ca as usize], node_of[cb as usize]);
            if a == b && last == first + 1 {
                continue; // a segment inside one (merged) node
            }
            edges.push(Edge {
                a,
                b,
                line: k as u32,
                first,
                last,
                snap: s.snap,
                length_m: 0.0,
            });
        }
        start = end;
    }
    drop(stops);
    measure_edges(&mut edges, &nodes, sources);

    // 5. A stretch two lines share is one edge.
    let kept = without_twins(&edges, &nodes, sources);
    let edges: Vec<Edge> = edges
        .into_iter()
        .zip(kept)
        .filter_map(|(e, keep)| keep.then_some(e))
        .collect();

    // 6. Adjacency (compressed rows) and the R-tree of runs.
    let mut degree = vec![0u32; nodes.len() + 1];
    for e in &edges {
        degree[e.a as usize + 1] += 1;
        degree[e.b as usize + 1] += 1;
    }
    for i in 1..degree.len() {
        degree[i] += degree[i - 1];
    }
    let adjacency_start = degree;
    let mut fill = adjacency_start.clone();
    let mut adjacency = vec![0u32; edges.len() * 2];
    for (i, e) in edges.iter().enumerate() {
        for n in [e.a, e.b] {
            adjacency[fill[n as usize] as usize] = i as u32;
            fill[n as usize] += 1;
        }
    }
    let mut runs = Vec::new();
    let mut segments = 0;
    let mut inner_vertices = 0;
    for (i, e) in edges.iter().enumerate() {
        let m = e.segments();
        segments += m;
        inner_vertices += m - 1;
        let coords = sources[e.line as usize].coords;
        let world = sources[e.line as usize].world;
        let world_at = |j: usize| -> WorldPoint {
            if j == 0 {
                node_world[e.a as usize]
            } else if j == m {
                node_world[e.b as usize]
            } else {
                let v = e.first as usize + j;
                world.and_then(|w| w.get(v).copied()).unwrap_or_else(|| {
                    let c = coords[v];
                    world_from_lonlat(c.x, c.y)
                })
            }
        };
        let mut s = 0;
        while s < m {
            let len = RUN_SEGMENTS.min(m - s);
            let (mut lo, mut hi) = (world_at(s), world_at(s));
            for j in s + 1..=s + len {
                let p = world_at(j);
                lo = [lo[0].min(p[0]), lo[1].min(p[1])];
                hi = [hi[0].max(p[0]), hi[1].max(p[1])];
            }
            runs.push(IndexedRun::new(
                Rectangle::from_corners(lo, hi),
                RunRef {
                    edge: i as u32,
                    first: s as u32,
                    segments: len as u32,
                },
            ));
            s += len;
        }
    }
    Core {
        vertices: nodes.len() + inner_vertices,
        nodes,
        adjacency_start,
        adjacency,
        edges,
        runs: RTree::bulk_load(runs),
        segments,
    }
}

/// For each candidate node, the candidate it merges into (itself if none): in order of
/// first occurrence, a candidate joins the nearest earlier one that kept its own place, if
/// within `merge_m` (geodesic). Nodes stay where their first line put them, and a chain of
/// near points does not drift.
fn merge_candidates(candidates: &[Coord<f64>], world: &[WorldPoint], merge_m: f64) -> Vec<u32> {
    let mut representative: Vec<u32> = (0..candidates.len() as u32).collect();
    if merge_m.is_nan() || merge_m <= 0.0 || candidates.len() < 2 {
        return representative;
    }
    let tree: RTree<GeomWithData<WorldPoint, u32>> = RTree::bulk_load(
        world
            .iter()
            .enumerate()
            .map(|(i, &w)| GeomWithData::new(w, i as u32))
            .collect(),
    );
    for (i, &c) in candidates.iter().enumerate() {
        let reach = world_reach(c.y, merge_m);
        let mut best: Option<(f64, u32)> = None;
        for p in tree.locate_within_distance(world[i], reach * reach) {
            let j = p.data;
            if j as usize >= i || representative[j as usize] != j {
                continue;
            }
            let d = Geodesic.distance(Point(c), Point(candidates[j as usize]));
            let nearer = |(bd, bj): (f64, u32)| d.total_cmp(&bd).then(j.cmp(&bj)).is_lt();
            if d <= merge_m && best.is_none_or(nearer) {
                best = Some((d, j));
            }
        }
        if let Some((_, j)) = best {
            representative[i] = j;
        }
    }
    representative
}

/// The geodesic length of every edge, through its vertices (ends at the nodes). On a large
/// network the work is split over the machine's cores: at ~0.3 µs a segment, 3M segments
/// would otherwise take a second.
fn measure_edges(edges: &mut [Edge], nodes: &[RailNode], sources: &[Source<'_>]) {
    let length = |e: &Edge| -> f64 {
        let coords = sources[e.line as usize].coords;
        let interior = coords
            .get(e.first as usize + 1..e.last as usize)
            .unwrap_or(&[]);
        let mut previous = nodes[e.a as usize].coord();
        let mut total = 0.0;
        for &c in interior
            .iter()
            .chain(std::iter::once(&nodes[e.b as usize].coord()))
        {
            total += Geodesic.distance(Point(previous), Point(c));
            previous = c;
        }
        total
    };
    let segments: usize = edges.iter().map(Edge::segments).sum();
    let threads = if segments >= PARALLEL_MIN_SEGMENTS {
        std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
    } else {
        1
    }
    .min(16);
    if threads <= 1 {
        for e in edges.iter_mut() {
            e.length_m = length(e);
        }
        return;
    }
    let chunk = edges.len().div_ceil(threads).max(1);
    let length = &length;
    std::thread::scope(|scope| {
        for part in edges.chunks_mut(chunk) {
            scope.spawn(move || {
                for e in part {
                    e.length_m = length(e);
                }
            });
        }
    });
}

/// Which edges to keep: of edges joining the same two nodes through the same vertices (in
/// either direction), the first.
fn without_twins(edges: &[Edge], nodes: &[RailNode], sources: &[Source<'_>]) -> Vec<bool> {
    let pair = |e: &Edge| (e.a.min(e.b), e.a.max(e.b));
    let mut order: Vec<u32> = (0..edges.len() as u32).collect();
    order.sort_unstable_by_key(|&i| (pair(&edges[i as usize]), i));
    let geometry = |e: &Edge| -> Vec<(u64, u64)> {
        let coords = sources[e.line as usize].coords;
        let interior = coords
            .get(e.first as usize + 1..e.last as usize)
            .unwrap_or(&[]);
        std::iter::once(nodes[e.a as usize].coord())
            .chain(interior.iter().copied())
            .chain(std::iter::once(nodes[e.b as usize].coord()))
            .map(key_of)
            .collect()
    };
    let mut keep = vec![true; edges.len()];
    let mut g = 0;
    while g < order.len() {
        let key = pair(&edges[order[g] as usize]);
        let mut h = g + 1;
        while h < order.len() && pair(&edges[order[h] as usize]) == key {
            h += 1;
        }
        if h - g > 1 {
            let shapes: Vec<Vec<(u64, u64)>> = order[g..h]
                .iter()
                .map(|&i| geometry(&edges[i as usize]))
                .collect();
            for x in 1..shapes.len() {
                let twin = (0..x).any(|y| {
                    keep[order[g + y] as usize]
                        && shapes[x].len() == shapes[y].len()
                        && (shapes[x] == shapes[y] || shapes[x].iter().eq(shapes[y].iter().rev()))
                });
                if twin {
                    keep[order[g + x] as usize] = false;
                }
            }
        }
        g = h;
    }
    keep
}

/// Drop duplicate vertices and back-and-forth spikes (A, B, A → A).
fn without_strays(vertices: Vec<Vertex>) -> Vec<Vertex> {
    without_strays_within(vertices, SAME_POINT_M)
}

/// [`without_strays`] with the distance (m) below which two vertices are the same point
/// (the suggester, whose grid paths are coarser, uses a metre).
pub(crate) fn without_strays_within(vertices: Vec<Vertex>, same_point_m: f64) -> Vec<Vertex> {
    // Points further apart in latitude than this are certainly not the same (no geodesic).
    let same = |a: &Vertex, b: &Vertex| {
        (a.lat - b.lat).abs() * MIN_M_PER_DEG_LAT < same_point_m
            && Geodesic.distance(a.point(), b.point()) < same_point_m
    };
    let mut out: Vec<Vertex> = Vec::with_capacity(vertices.len());
    for v in vertices {
        if out.last().is_some_and(|last| same(last, &v)) {
            continue;
        }
        if out.len() >= 2 && same(&out[out.len() - 2], &v) {
            out.pop();
            continue;
        }
        out.push(v);
    }
    out
}

#[cfg(test)]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::map::layer::LayerKind;
    use geo::LineString;
    use serde_json::json;

    fn line(name: &str, coords: &[(f64, f64)]) -> Feature {
        let serde_json::Value::Object(props) = json!({ "name": name }) else {
            unreachable!("literal object")
        };
        Feature::new(LineString::from(coords.to_vec()).into(), props)
    }

    fn layer(features: Vec<Feature>) -> Layer {
        Layer::new(LayerKind::Rail, "rail", "Rail", "", features)
    }

    #[test]
    fn vertices_within_the_merge_distance_become_one_node() {
        // (62, 30.0002) is about 22 m north of (62, 30): one node. (62, 30.001) is ~111 m.
        let l = layer(vec![
            line("a", &[(61.0, 30.0), (62.0, 30.0)]),
            line("b", &[(62.0, 30.0002), (63.0, 30.0)]),
            line("c", &[(62.0, 30.001), (62.0, 31.0)]),
        ]);
        let g = RailGraph::build(&[&l]);
        assert_eq!(g.node_count(), 5);
        assert_eq!(g.edge_count(), 3);
    }

    #[test]
    fn shared_stretches_give_one_edge() {
        let l = layer(vec![
            line("x", &[(61.0, 30.0), (62.0, 30.0), (63.0, 30.0)]),
            line("y", &[(62.0, 30.0), (63.0, 30.0), (64.0, 30.0)]),
        ]);
        let g = RailGraph::build(&[&l]);
        assert_eq!(g.edge_count(), 3);
    }

    #[test]
    fn spikes_and_duplicates_are_removed() {
        let v = |lon: f64| Vertex::new(lon, 30.0);
        let cleaned = without_strays(vec![v(1.0), v(1.0), v(2.0), v(1.0), v(3.0), v(3.0)]);
        let lons: Vec<f64> = cleaned.iter().map(|v| v.lon).collect();
        assert_eq!(lons, vec![1.0, 3.0]);
    }

    #[test]
    fn a_point_far_from_track_does_not_trace() {
        let l = layer(vec![line("a", &[(61.0, 30.0), (62.0, 30.0)])]);
        let g = RailGraph::build(&[&l]);
        assert!(g.trace((61.5, 30.5), (61.8, 30.0)).is_none());
        assert!(g.trace((61.2, 30.0), (61.8, 30.0)).is_some());
    }

    #[test]
    fn only_ends_and_shared_vertices_are_junctions() {
        // A 5-vertex line with a branch leaving from its middle vertex, and a second line
        // crossing it at a vertex they share: junctions are the 2 + 2 + 2 ends, the branch
        // point and the shared crossing vertex.
        let l = layer(vec![
            line(
                "main",
                &[
                    (60.0, 30.0),
                    (60.1, 30.0),
                    (60.2, 30.0),
                    (60.3, 30.0),
                    (60.4, 30.0),
                ],
            ),
            line("branch", &[(60.2, 30.0), (60.2, 30.1), (60.2, 30.2)]),
            line("cross", &[(60.3, 29.9), (60.3, 30.0), (60.3, 30.1)]),
        ]);
        let g = RailGraph::build(&[&l]);
        // Nodes: main ends (2), (60.2, 30) and (60.3, 30) shared, branch end, cross ends (2).
        assert_eq!(g.junction_count(), 7);
        // main: 3 stretches; branch: 1 (two segments); cross: 2.
        assert_eq!(g.stretch_count(), 6);
        // Vertices: 7 junctions + (60.1, 30) + (60.2, 30.1).
        assert_eq!(g.node_count(), 9);
        assert_eq!(g.edge_count(), 4 + 2 + 2);
        // Main line west end to branch end: the route turns at the branch point and passes
        // the branch's inner vertex.
        let path = g.trace((60.0, 30.0), (60.2, 30.2)).expect("connected");
        let lonlats: Vec<(f64, f64)> = path.vertices.iter().map(|v| (v.lon, v.lat)).collect();
        let expected = [
            (60.0, 30.0),
            (60.1, 30.0),
            (60.2, 30.0),
            (60.2, 30.1),
            (60.2, 30.2),
        ];
        assert_eq!(lonlats.len(), expected.len(), "{lonlats:?}");
        for (g, e) in lonlats.iter().zip(expected) {
            assert!(
                (g.0 - e.0).abs() < 1e-9 && (g.1 - e.1).abs() < 1e-9,
                "{lonlats:?}"
            );
        }
        // A point in the middle of a stretch: the path runs through the stretch's vertices.
        let path = g.trace((60.05, 30.0), (60.25, 30.0)).expect("connected");
        let lons: Vec<f64> = path.vertices.iter().map(|v| v.lon).collect();
        assert_eq!(lons.len(), 4, "{lons:?}");
        assert!((lons[1] - 60.1).abs() < 1e-12 && (lons[2] - 60.2).abs() < 1e-12);
    }

    #[test]
    fn two_points_on_one_long_stretch_keep_the_vertices_between_them() {
        let l = layer(vec![line(
            "a",
            &[
                (60.0, 30.0),
                (60.1, 30.05),
                (60.2, 30.0),
                (60.3, 30.05),
                (60.4, 30.0),
            ],
        )]);
        let g = RailGraph::build(&[&l]);
        assert_eq!(g.stretch_count(), 1);
        let path = g
            .trace((60.35, 30.025), (60.05, 30.025))
            .expect("same stretch");
        let lons: Vec<f64> = path.vertices.iter().map(|v| v.lon).collect();
        assert_eq!(lons.len(), 5, "{lons:?}");
        assert!((lons[1] - 60.3).abs() < 1e-12);
        assert!((lons[2] - 60.2).abs() < 1e-12);
        assert!((lons[3] - 60.1).abs() < 1e-12);
    }

    /// Geodesic length of a polyline (GeographicLib's algorithm via `geo`), the reference.
    fn geodesic_m(coords: &[(f64, f64)]) -> f64 {
        coords
            .windows(2)
            .map(|w| Geodesic.distance(Point::from(w[0]), Point::from(w[1])))
            .sum()
    }

    #[test]
    fn the_shorter_of_two_ways_wins_even_with_more_edges() {
        // A to B: a direct line bowing far north (one edge), or a southern way in three
        // edges that is shorter.
        let north = [(60.0, 30.0), (60.5, 31.0), (61.0, 30.0)];
        let south = [(60.0, 30.0), (60.3, 29.9), (60.7, 29.9), (61.0, 30.0)];
        let l = layer(vec![
            line("north", &north),
            line("s1", &south[0..2]),
            line("s2", &south[1..3]),
            line("s3", &south[2..4]),
        ]);
        let g = RailGraph::build(&[&l]);
        let path = g.trace((60.0, 30.0), (61.0, 30.0)).expect("connected");
        let expected = geodesic_m(&south);
        assert!(expected < geodesic_m(&north));
        assert!(
            (path.length_m - expected).abs() < 1e-6 * expected,
            "{} vs {expected}",
            path.length_m
        );
        assert!(path.vertices.iter().all(|v| v.lat < 30.0 + 1e-9));
    }

    #[test]
    fn around_the_loop_beats_running_the_long_edge() {
        // A loop: one long stretch from J1 round the north back to J2, and a short link J2-J1.
        // Two points near the ends of the long stretch are closer via the short link.
        let long = [(60.0, 30.0), (60.0, 31.0), (61.0, 31.0), (61.0, 30.0)];
        let short = [(61.0, 30.0), (60.0, 30.0)];
        let l = layer(vec![line("long", &long), line("short", &short)]);
        let g = RailGraph::build(&[&l]);
        let (from, to) = ((60.0, 30.1), (61.0, 30.1));
        let path = g.trace(from, to).expect("connected");
        let expected = geodesic_m(&[from, (60.0, 30.0), (61.0, 30.0), to]);
        assert!(
            (path.length_m - expected).abs() < 1e-6 * expected,
            "{} vs {expected}",
            path.length_m
        );
        // And along the edge when that is shorter: two points close together on it.
        let path = g.trace((60.0, 30.5), (60.0, 30.8)).expect("same edge");
        let expected = geodesic_m(&[(60.0, 30.5), (60.0, 30.8)]);
        assert!((path.length_m - expected).abs() < 1e-6 * expected);
    }
}
