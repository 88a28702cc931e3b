//! The junction graph's data: nodes, edges, where their lines' coordinates live, the
//! R-tree of edge runs, and the accessors its builder (`build`), the route search (`search`)
//! and tracing (`route`) share. A module of its own so those siblings import it rather than
//! the parent `trace`, which only declares and re-exports.

use std::sync::Arc;

use geo::{Coord, Geometry};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::map::index::{Part, visit};
use crate::map::layer::Layer;
use crate::map::mercator::{WorldPoint, world_from_lonlat};
use crate::plan::scenario::model::SnapRef;

/// Line ends and junctions closer than this (metres) are one node of the network.
pub const DEFAULT_MERGE_M: f64 = 50.0;

/// Metres per world unit at the equator (Web Mercator's sphere circumference). At latitude
/// φ a world unit spans `cos φ` times this.
pub(super) const EQUATOR_M_PER_WORLD: f64 = 40_075_016.685_578_5;

/// Vertices closer than this (metres) are duplicates in a traced path.
pub(super) const SAME_POINT_M: f64 = 0.01;

/// Segments per R-tree entry (as in the layers' own index): a 3M-vertex network costs about
/// 400k entries instead of 3M.
pub(super) const RUN_SEGMENTS: usize = 8;

/// Metres per degree of latitude, at least (the meridian arc at the equator, rounded down).
/// Two points `Δφ` degrees apart in latitude are at least `Δφ` times this far apart.
pub(super) const MIN_M_PER_DEG_LAT: f64 = 110_000.0;

/// Below this many segments the edge lengths are measured on one thread.
pub(super) const PARALLEL_MIN_SEGMENTS: usize = 50_000;

/// "No edge" / "no node" in the compact `u32` indices.
pub(super) const NONE: u32 = u32::MAX;

/// A network node: a line end or a junction.
#[derive(Clone, Debug, PartialEq)]
pub struct RailNode {
    pub lon: f64,
    pub lat: f64,
}

impl RailNode {
    pub(super) fn coord(&self) -> Coord<f64> {
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
pub(super) struct Edge {
    pub(super) a: u32,
    pub(super) b: u32,
    pub(super) line: u32,
    pub(super) first: u32,
    pub(super) last: u32,
    /// Index into [`RailGraph::snaps`]: the layer id and line name, interned.
    pub(super) snap: u32,
    pub(super) length_m: f64,
}

impl Edge {
    pub(super) fn segments(&self) -> usize {
        (self.last - self.first) as usize
    }
}

/// Up to [`RUN_SEGMENTS`] consecutive segments of an edge: vertices `first..=first + segments`
/// of its geometry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct RunRef {
    pub(super) edge: u32,
    pub(super) first: u32,
    pub(super) segments: u32,
}

pub(super) type IndexedRun = GeomWithData<Rectangle<WorldPoint>, RunRef>;

/// Where a line part lives in the layers a graph shares.
#[derive(Clone, Copy, Debug)]
pub(super) struct PartRef {
    pub(super) layer: u32,
    pub(super) feature: u32,
    pub(super) part: u32,
}

/// The lines' coordinates. A graph built from an atlas shares the atlas's layers (no copy of
/// 3M vertices); one built from borrowed layers keeps a flat copy of its lines.
pub(super) enum LineStore {
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
    pub(super) fn line(&self, k: usize) -> &[Coord<f64>] {
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

    pub(super) fn heap_bytes(&self) -> usize {
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
pub(super) fn nth_line(g: &Geometry<f64>, n: usize) -> Option<&[Coord<f64>]> {
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
    pub(super) nodes: Vec<RailNode>,
    /// Edges at node `n`: `adjacency[adjacency_start[n]..adjacency_start[n + 1]]`.
    pub(super) adjacency_start: Vec<u32>,
    pub(super) adjacency: Vec<u32>,
    pub(super) edges: Vec<Edge>,
    pub(super) lines: LineStore,
    /// Layer id and line name of the edges, each distinct pair once.
    pub(super) snaps: Vec<SnapRef>,
    pub(super) runs: RTree<IndexedRun>,
    /// Distinct vertices (nodes plus the vertices inside edges) and segments.
    pub(super) vertices: usize,
    pub(super) segments: usize,
}

/// A line while building: its coordinates, its world coordinates if the layer has them, its
/// interned name and where it lives.
pub(super) struct Source<'a> {
    pub(super) coords: &'a [Coord<f64>],
    pub(super) world: Option<&'a [WorldPoint]>,
    pub(super) snap: u32,
    pub(super) part: PartRef,
}

/// The graph proper, before it is given its line store.
pub(super) struct Core {
    pub(super) nodes: Vec<RailNode>,
    pub(super) adjacency_start: Vec<u32>,
    pub(super) adjacency: Vec<u32>,
    pub(super) edges: Vec<Edge>,
    pub(super) runs: RTree<IndexedRun>,
    pub(super) vertices: usize,
    pub(super) segments: usize,
}

impl RailGraph {
    pub(super) fn assemble(core: Core, lines: LineStore, snaps: Vec<SnapRef>) -> Self {
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

    pub(super) fn node(&self, n: u32) -> &RailNode {
        &self.nodes[n as usize]
    }

    pub(super) fn edge(&self, e: u32) -> &Edge {
        &self.edges[e as usize]
    }

    pub(super) fn edges_at(&self, n: u32) -> &[u32] {
        let n = n as usize;
        let start = self.adjacency_start.get(n).map_or(0, |&s| s as usize);
        let end = self
            .adjacency_start
            .get(n + 1)
            .map_or(start, |&e| e as usize);
        self.adjacency.get(start..end).unwrap_or(&[])
    }

    pub(super) fn snap_ref(&self, e: &Edge) -> SnapRef {
        self.snaps
            .get(e.snap as usize)
            .cloned()
            .unwrap_or_else(|| SnapRef::Rail {
                layer: String::new(),
                line: String::new(),
            })
    }

    /// The vertices of edge `e` strictly between its nodes.
    pub(super) fn interior(&self, e: &Edge) -> &[Coord<f64>] {
        let line = self.lines.line(e.line as usize);
        line.get(e.first as usize + 1..e.last as usize)
            .unwrap_or(&[])
    }

    /// The geometry of edge `e`, from node `a` to node `b`.
    pub(super) fn edge_coords(&self, e: &Edge) -> Vec<Coord<f64>> {
        let mut out = Vec::with_capacity(e.segments() + 1);
        out.push(self.node(e.a).coord());
        out.extend_from_slice(self.interior(e));
        out.push(self.node(e.b).coord());
        out
    }

    /// World coordinates of the vertices of a run, into `out`; how many.
    pub(super) fn run_world(&self, run: RunRef, out: &mut [WorldPoint; RUN_SEGMENTS + 1]) -> usize {
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
}

/// A world-unit radius around a point at `lat` that certainly covers `metres` of geodesic
/// distance: Mercator's scale at the farthest latitude within reach, with 2 % to spare for
/// the ellipsoid (whose radii differ from the sphere's by under 0.7 %).
pub(super) fn world_reach(lat: f64, metres: f64) -> f64 {
    if !metres.is_finite() {
        return f64::INFINITY;
    }
    let farthest = (lat.abs() + metres.max(0.0) / MIN_M_PER_DEG_LAT).min(89.999);
    metres.max(0.0) / (EQUATOR_M_PER_WORLD * farthest.to_radians().cos()) * 1.02
}
