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
use std::collections::HashSet;
use std::sync::Arc;

use geo::{Coord, Distance, Geodesic, Geometry, Point};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::atlas::bundled::Atlas;
use crate::map::index::{Part, nearest_on_segment, visit};
use crate::map::layer::Layer;
use crate::map::mercator::{WorldPoint, lonlat_from_world, world_from_lonlat};
use crate::plan::scenario::model::{SnapRef, Vertex};
use crate::rail::ReuseRule;

mod build;
mod search;

pub(crate) use build::without_strays_within;
use build::{build_core, collect_sources, without_strays};

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
    /// Build the network from every track line of `layers` (the default [`ReuseRule`]:
    /// under construction counts), merging nodes within [`DEFAULT_MERGE_M`]. The lines'
    /// coordinates are copied; [`RailGraph::from_atlas`] shares them instead.
    #[must_use]
    pub fn build(layers: &[&Layer]) -> Self {
        Self::build_with_rule(layers, ReuseRule::default())
    }

    /// [`RailGraph::build`] with the lines `rule` says are track (e.g. the suggestion's, from
    /// the ledger settings).
    #[must_use]
    pub fn build_with_rule(layers: &[&Layer], rule: ReuseRule) -> Self {
        Self::build_from(layers, DEFAULT_MERGE_M, rule)
    }

    /// Build the network, merging line ends and junctions closer than `merge_m` metres into
    /// one node.
    #[must_use]
    pub fn build_with_merge(layers: &[&Layer], merge_m: f64) -> Self {
        Self::build_from(layers, merge_m, ReuseRule::default())
    }

    fn build_from(layers: &[&Layer], merge_m: f64, rule: ReuseRule) -> Self {
        let (sources, snaps) = collect_sources(layers, rule);
        let core = build_core(&sources, merge_m);
        let mut coords = Vec::with_capacity(sources.iter().map(|s| s.coords.len()).sum());
        let mut ends = Vec::with_capacity(sources.len());
        for s in &sources {
            coords.extend_from_slice(s.coords);
            ends.push(coords.len() as u32);
        }
        Self::assemble(core, LineStore::Owned { coords, ends }, snaps)
    }

    /// The network of the track lines (the default [`ReuseRule`]) of the layers
    /// `track_layers` of `atlas` (e.g.
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
        let (sources, snaps) = collect_sources(&borrowed, ReuseRule::default());
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

#[cfg(test)]
mod tests;
