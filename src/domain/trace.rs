//! Tracing along existing track: the shortest route over the rail network between two points
//! on it, returned as alignment vertices (QGIS's tracing, without its stray vertices).
//!
//! [`RailGraph`] turns rail line features into a petgraph graph. Nodes sit at line vertices;
//! vertices closer than a merge distance (50 m by default) become one node, because OSM and
//! curated data split a line into many features that meet at (nearly) the same point. Edges
//! are weighted by WGS84 geodesic length, and the search is A* with the geodesic distance to
//! the goal as its (admissible) estimate.
//!
//! A traced endpoint need not be a vertex: the edge under it is split there, and the search
//! starts from both ends of that edge with the partial lengths as head starts. Picking the
//! cheapest of those combinations never walks past the endpoint and back, so the result has
//! no spikes; duplicate vertices are removed as a last step in any case.

use std::collections::HashMap;

use geo::{Distance, Geodesic, Point};
use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use rstar::primitives::{GeomWithData, Line};
use rstar::{PointDistance, RTree};

use super::bundled::Atlas;
use super::index::{Part, visit};
use super::layer::Layer;
use super::mercator::{WorldPoint, lonlat_from_world, world_from_lonlat};
use super::scenario::model::{SnapRef, Vertex};

/// Line vertices closer than this (metres) are one node of the network.
pub const DEFAULT_MERGE_M: f64 = 50.0;

/// Metres per world unit at the equator (Web Mercator's sphere circumference). At latitude
/// φ a world unit spans `cos φ` times this.
const EQUATOR_M_PER_WORLD: f64 = 40_075_016.685_578_5;

/// How far (metres) a trace endpoint may lie from the network in [`RailGraph::trace`]: vertices
/// snapped to track are on it, and bundled station points sit on their lines.
pub const DEFAULT_ON_NETWORK_M: f64 = 1000.0;

/// Vertices closer than this (metres) are duplicates in a traced path.
const SAME_POINT_M: f64 = 0.01;

/// A network node: where line vertices meet.
#[derive(Clone, Debug, PartialEq)]
pub struct RailNode {
    pub lon: f64,
    pub lat: f64,
}

impl RailNode {
    fn point(&self) -> Point<f64> {
        Point::new(self.lon, self.lat)
    }
}

/// A network edge: one segment of a rail line.
#[derive(Clone, Debug, PartialEq)]
pub struct RailEdge {
    pub length_m: f64,
    /// Id of the layer the line comes from.
    pub layer: String,
    /// Name of the line feature (empty if it has none).
    pub line: String,
}

impl RailEdge {
    fn snap_ref(&self) -> SnapRef {
        SnapRef::Rail {
            layer: self.layer.clone(),
            line: self.line.clone(),
        }
    }
}

type EdgeSegment = GeomWithData<Line<WorldPoint>, EdgeIndex>;
type NodePoint = GeomWithData<WorldPoint, NodeIndex>;

/// The rail network as a graph, with an R-tree over its edges to find where a point lies.
pub struct RailGraph {
    graph: UnGraph<RailNode, RailEdge>,
    edges: RTree<EdgeSegment>,
}

/// A traced route along the network.
#[derive(Clone, Debug, PartialEq)]
pub struct TracedPath {
    /// The route's vertices, each snapped to the rail line it lies on.
    pub vertices: Vec<Vertex>,
    /// Geodesic length of the route.
    pub length_m: f64,
}

/// Where a point lies on the network: on `edge`, at `point`.
#[derive(Clone, Copy, Debug)]
struct Location {
    edge: EdgeIndex,
    point: Point<f64>,
}

impl RailGraph {
    /// Build the network from every line of `layers`, merging vertices within
    /// [`DEFAULT_MERGE_M`].
    #[must_use]
    pub fn build(layers: &[&Layer]) -> Self {
        Self::build_with_merge(layers, DEFAULT_MERGE_M)
    }

    /// Build the network, merging line vertices closer than `merge_m` metres into one node.
    #[must_use]
    pub fn build_with_merge(layers: &[&Layer], merge_m: f64) -> Self {
        let mut graph = UnGraph::<RailNode, RailEdge>::new_undirected();
        let mut nodes: RTree<NodePoint> = RTree::new();
        // Two lines along the same stretch (a shared trunk) give one edge, not two parallel
        // ones: a route must not be able to hop between twins of one segment.
        let mut edge_of_pair: HashMap<(NodeIndex, NodeIndex), EdgeIndex> = HashMap::new();
        for layer in layers {
            for feature in &layer.features {
                let line = feature.name().unwrap_or_default();
                visit(&feature.geometry, &mut |part| {
                    let Part::Line(coords) = part else {
                        return;
                    };
                    let mut previous: Option<NodeIndex> = None;
                    for c in coords {
                        let node = node_at(&mut graph, &mut nodes, c.x, c.y, merge_m);
                        if let Some(prev) = previous
                            && prev != node
                        {
                            let key = (prev.min(node), prev.max(node));
                            edge_of_pair.entry(key).or_insert_with(|| {
                                let length_m =
                                    Geodesic.distance(graph[prev].point(), graph[node].point());
                                graph.add_edge(
                                    prev,
                                    node,
                                    RailEdge {
                                        length_m,
                                        layer: layer.id.clone(),
                                        line: line.to_string(),
                                    },
                                )
                            });
                        }
                        previous = Some(node);
                    }
                });
            }
        }
        let segments = graph
            .edge_references()
            .map(|e| {
                let a = &graph[e.source()];
                let b = &graph[e.target()];
                EdgeSegment::new(
                    Line::new(
                        world_from_lonlat(a.lon, a.lat),
                        world_from_lonlat(b.lon, b.lat),
                    ),
                    e.id(),
                )
            })
            .collect();
        Self {
            graph,
            edges: RTree::bulk_load(segments),
        }
    }

    /// The network of the layers `track_layers` of `atlas` (e.g.
    /// [`super::snap::default_track_layers`] plus imported networks flagged as track).
    #[must_use]
    pub fn from_atlas(atlas: &Atlas, track_layers: &[usize]) -> Self {
        let layers: Vec<&Layer> = track_layers
            .iter()
            .filter_map(|&i| atlas.layers.get(i))
            .map(|l| -> &Layer { l })
            .collect();
        Self::build(&layers)
    }

    #[must_use]
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    #[must_use]
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The nearest point of the network to a lon/lat, if within `tolerance_m` metres.
    fn locate(&self, lon: f64, lat: f64, tolerance_m: f64) -> Option<Location> {
        let at = world_from_lonlat(lon, lat);
        let segment = self.edges.nearest_neighbor(&at)?;
        let on = segment.geom().nearest_point(&at);
        let (plon, plat) = lonlat_from_world(on);
        let point = Point::new(plon, plat);
        let distance_m = Geodesic.distance(Point::new(lon, lat), point);
        (distance_m <= tolerance_m).then_some(Location {
            edge: segment.data,
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
            self.graph[loc.edge].snap_ref(),
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
        let start_ref = self.graph[start.edge].snap_ref();
        let goal_ref = self.graph[goal.edge].snap_ref();
        let mut vertices = vec![Vertex::snapped(
            start.point.x(),
            start.point.y(),
            start_ref.clone(),
        )];
        if start.edge != goal.edge {
            let nodes = self.best_route(&start, &goal)?;
            let mut previous: Option<NodeIndex> = None;
            for node in nodes {
                let line = match previous {
                    None => start_ref.clone(),
                    Some(prev) => self
                        .graph
                        .find_edge(prev, node)
                        .map_or_else(|| start_ref.clone(), |e| self.graph[e].snap_ref()),
                };
                let n = &self.graph[node];
                vertices.push(Vertex::snapped(n.lon, n.lat, line));
                previous = Some(node);
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

    /// The node sequence of the cheapest route from a point on one edge to a point on
    /// another: every combination of the edges' ends is tried, with the partial edge lengths
    /// added, so the route never runs past an endpoint and back.
    fn best_route(&self, start: &Location, goal: &Location) -> Option<Vec<NodeIndex>> {
        let (s0, s1) = self.graph.edge_endpoints(start.edge)?;
        let (g0, g1) = self.graph.edge_endpoints(goal.edge)?;
        let mut best: Option<(f64, Vec<NodeIndex>)> = None;
        for s in [s0, s1] {
            let head_m = Geodesic.distance(start.point, self.graph[s].point());
            for g in [g0, g1] {
                let tail_m = Geodesic.distance(self.graph[g].point(), goal.point);
                let goal_point = self.graph[g].point();
                let Some((cost_m, nodes)) = petgraph::algo::astar(
                    &self.graph,
                    s,
                    |n| n == g,
                    |e| e.weight().length_m,
                    |n| Geodesic.distance(self.graph[n].point(), goal_point),
                ) else {
                    continue;
                };
                let total_m = head_m + cost_m + tail_m;
                if best.as_ref().is_none_or(|(b, _)| total_m < *b) {
                    best = Some((total_m, nodes));
                }
            }
        }
        best.map(|(_, nodes)| nodes)
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
        // Candidates in world distance order; stop once they are certainly too far.
        let max_world = tolerance_m / (EQUATOR_M_PER_WORLD * lat.to_radians().cos()) * 1.01;
        for segment in self.edges.nearest_neighbor_iter(&at) {
            if segment.distance_2(&at) > max_world * max_world {
                return false;
            }
            let on = segment.geom().nearest_point(&at);
            let (plon, plat) = lonlat_from_world(on);
            if Geodesic.distance(here, Point::new(plon, plat)) > tolerance_m {
                continue;
            }
            let (from, to) = (segment.geom().from, segment.geom().to);
            let track = [to[0] - from[0], to[1] - from[1]];
            let dot = (track[0] * direction[0] + track[1] * direction[1]).abs();
            let norms = track[0].hypot(track[1]) * direction[0].hypot(direction[1]);
            if norms > 0.0 && dot / norms >= 30f64.to_radians().cos() {
                return true;
            }
        }
        false
    }
}

/// The node for a line vertex: an existing node within `merge_m`, else a new one.
fn node_at(
    graph: &mut UnGraph<RailNode, RailEdge>,
    nodes: &mut RTree<NodePoint>,
    lon: f64,
    lat: f64,
    merge_m: f64,
) -> NodeIndex {
    let w = world_from_lonlat(lon, lat);
    let here = Point::new(lon, lat);
    // A world-unit radius that certainly covers `merge_m` here (1 % margin), then the exact
    // geodesic test.
    let radius = merge_m / (EQUATOR_M_PER_WORLD * lat.to_radians().cos().max(1e-6)) * 1.01;
    let nearest = nodes
        .locate_within_distance(w, radius * radius)
        .map(|p| (Geodesic.distance(here, graph[p.data].point()), p.data))
        .filter(|(d, _)| *d <= merge_m)
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, node)) = nearest {
        return node;
    }
    let node = graph.add_node(RailNode { lon, lat });
    nodes.insert(NodePoint::new(w, node));
    node
}

/// Drop duplicate vertices and back-and-forth spikes (A, B, A → A).
fn without_strays(vertices: Vec<Vertex>) -> Vec<Vertex> {
    without_strays_within(vertices, SAME_POINT_M)
}

/// [`without_strays`] with the distance (m) below which two vertices are the same point
/// (the suggester, whose grid paths are coarser, uses a metre).
pub(crate) fn without_strays_within(vertices: Vec<Vertex>, same_point_m: f64) -> Vec<Vertex> {
    let same = |a: &Vertex, b: &Vertex| Geodesic.distance(a.point(), b.point()) < same_point_m;
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
    use crate::domain::feature::Feature;
    use crate::domain::layer::LayerKind;
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
}
