//! The junction graph as `petgraph` sees it for one route query, so the search is
//! `petgraph::algo::astar` rather than a hand-written one.
//!
//! A trace starts and ends part-way along edges. The query graph adds two virtual nodes: a
//! start joined to both ends of the start's edge, and a goal joined from both ends of the
//! goal's edge, each link weighted by the geodesic length along the edge to that end. One A*
//! search from the virtual start to the virtual goal then finds the cheapest way out of one
//! edge and into the other, whichever ends it uses.

use std::collections::HashSet;

use petgraph::visit::{
    Data, GraphBase, GraphRef, IntoEdgeReferences, IntoEdges, IntoNeighbors, Visitable,
};

use geo::{Distance, Haversine, Point};

use super::graph::{RailGraph, RailNode};

/// Scale on geo's haversine distance that makes it a lower bound of the WGS84 geodesic.
/// Haversine uses the mean radius 6,371,008.8 m, but the ellipsoid curves more tightly along
/// the meridian near the equator (radius of curvature a(1 − e²) = 6,335,439 m), so a sphere
/// can overestimate by up to 0.56 %. 0.99 × 6,371,008.8 = 6,307,298.7 m is below that
/// smallest radius; in geodetic coordinates the ellipsoid's line element is at least that of
/// a sphere of this radius, so the scaled distance never exceeds the geodesic.
const HAVERSINE_SAFETY: f64 = 0.99;

/// A lower bound of the geodesic between two nodes (see [`HAVERSINE_SAFETY`]): admissible
/// for A*, and within 1.5 % of the geodesic, so the search stays well directed.
fn lower_bound_m(a: &RailNode, b: &RailNode) -> f64 {
    HAVERSINE_SAFETY * Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat))
}

/// One query: the graph plus the virtual start and goal links.
#[derive(Clone, Copy)]
pub(super) struct QueryGraph<'q> {
    graph: &'q RailGraph,
    /// (node, metres from the start point to it along the start's edge).
    start: &'q [(u32, f64); 2],
    /// (node, metres from it to the goal point along the goal's edge).
    goal: &'q [(u32, f64); 2],
}

/// An edge as petgraph's tuple edge reference: (from, to, length in metres).
type Link<'q> = (u32, u32, &'q f64);

impl<'q> QueryGraph<'q> {
    pub(super) fn new(
        graph: &'q RailGraph,
        start: &'q [(u32, f64); 2],
        goal: &'q [(u32, f64); 2],
    ) -> Self {
        Self { graph, start, goal }
    }

    /// The virtual start node's id.
    pub(super) fn start_node(self) -> u32 {
        u32::try_from(self.graph.nodes.len()).unwrap_or(u32::MAX - 1)
    }

    /// The virtual goal node's id.
    pub(super) fn goal_node(self) -> u32 {
        self.start_node() + 1
    }

    /// Lower bound of the remaining length from `n`: the shortest great circle (on a sphere
    /// inside the ellipsoid) to either goal end plus that end's link. Admissible, so A*
    /// returns the cheapest route.
    pub(super) fn estimate_m(self, n: u32) -> f64 {
        if n >= self.start_node() {
            return 0.0;
        }
        let here = self.graph.node(n);
        self.goal
            .iter()
            .map(|&(g, tail_m)| lower_bound_m(here, self.graph.node(g)) + tail_m)
            .fold(f64::INFINITY, f64::min)
    }

    /// The cheapest real edge between two adjacent nodes (parallel edges are possible where
    /// two lines join the same junctions), with whether it runs from `a` to `b`.
    pub(super) fn edge_between(self, from: u32, to: u32) -> Option<(u32, bool)> {
        self.graph
            .edges_at(from)
            .iter()
            .map(|&e| (e, self.graph.edge(e)))
            .filter(|(_, edge)| {
                (edge.a == from && edge.b == to) || (edge.b == from && edge.a == to)
            })
            .min_by(|x, y| x.1.length_m.total_cmp(&y.1.length_m))
            .map(|(e, edge)| (e, edge.a == from))
    }
}

/// The links out of one node: its real edges, then the virtual ones.
pub(super) struct Links<'q> {
    query: QueryGraph<'q>,
    from: u32,
    real: std::slice::Iter<'q, u32>,
    next_virtual: usize,
}

impl<'q> Iterator for Links<'q> {
    type Item = Link<'q>;

    fn next(&mut self) -> Option<Link<'q>> {
        let q = self.query;
        if let Some(&e) = self.real.next() {
            let edge = q.graph.edge(e);
            let to = if edge.a == self.from { edge.b } else { edge.a };
            return Some((self.from, to, &edge.length_m));
        }
        while self.next_virtual < 2 {
            let k = self.next_virtual;
            self.next_virtual += 1;
            if self.from == q.start_node() {
                let (node, head_m) = &q.start[k];
                return Some((self.from, *node, head_m));
            }
            let (node, tail_m) = &q.goal[k];
            if *node == self.from {
                return Some((self.from, q.goal_node(), tail_m));
            }
        }
        None
    }
}

impl GraphBase for QueryGraph<'_> {
    type NodeId = u32;
    type EdgeId = (u32, u32);
}

impl GraphRef for QueryGraph<'_> {}

impl Data for QueryGraph<'_> {
    type NodeWeight = ();
    type EdgeWeight = f64;
}

impl<'q> IntoEdges for QueryGraph<'q> {
    type Edges = Links<'q>;

    fn edges(self, from: u32) -> Links<'q> {
        let real = if from < self.start_node() {
            self.graph.edges_at(from)
        } else {
            &[]
        };
        Links {
            query: self,
            from,
            real: real.iter(),
            next_virtual: 0,
        }
    }
}

impl<'q> IntoNeighbors for QueryGraph<'q> {
    type Neighbors = std::iter::Map<Links<'q>, fn(Link<'q>) -> u32>;

    fn neighbors(self, from: u32) -> Self::Neighbors {
        self.edges(from).map(|(_, to, _)| to)
    }
}

impl<'q> IntoEdgeReferences for QueryGraph<'q> {
    type EdgeRef = Link<'q>;
    type EdgeReferences = std::vec::IntoIter<Link<'q>>;

    /// Every link (petgraph requires it of `IntoEdges`; the A* search never calls it).
    fn edge_references(self) -> Self::EdgeReferences {
        (0..=self.start_node())
            .flat_map(|n| self.edges(n))
            .collect::<Vec<_>>()
            .into_iter()
    }
}

impl Visitable for QueryGraph<'_> {
    type Map = HashSet<u32>;

    fn visit_map(&self) -> HashSet<u32> {
        HashSet::new()
    }

    fn reset_map(&self, map: &mut HashSet<u32>) {
        map.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Geodesic;

    #[test]
    fn the_estimate_never_exceeds_the_geodesic() {
        let pairs = [
            ((0.0, 0.0), (0.0, 1.0)),
            ((0.0, 0.0), (1.0, 0.0)),
            ((60.0, 30.0), (61.0, 31.0)),
            ((10.0, 80.0), (170.0, 80.0)),
            ((-179.5, -45.0), (179.5, -45.2)),
            ((20.0, -89.0), (30.0, 89.0)),
        ];
        for ((a0, a1), (b0, b1)) in pairs {
            let a = RailNode { lon: a0, lat: a1 };
            let b = RailNode { lon: b0, lat: b1 };
            let geodesic = Geodesic.distance(Point::new(a0, a1), Point::new(b0, b1));
            let bound = lower_bound_m(&a, &b);
            assert!(bound <= geodesic, "{a:?} {b:?}: {bound} > {geodesic}");
            // The weakest case is where the ellipsoid curves least (near the poles, radius
            // a²/b = 6,399,594 m): 6,307,298.7 / 6,399,594 = 0.9856.
            assert!(bound > 0.985 * geodesic, "{a:?} {b:?}: {bound} too weak");
        }
    }
}
