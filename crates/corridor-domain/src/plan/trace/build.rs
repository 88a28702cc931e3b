//! Building the [`RailGraph`]'s core from layers: which lines join the graph, where its
//! nodes are (shared vertices, merged within a distance), its edges, their lengths, and the
//! twins and strays removed.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroUsize;
use std::sync::Arc;

use geo::{Coord, Distance, Geodesic, Point};

use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use super::graph::{
    Core, DEFAULT_MERGE_M, Edge, IndexedRun, LineStore, MIN_M_PER_DEG_LAT, NONE,
    PARALLEL_MIN_SEGMENTS, PartRef, RUN_SEGMENTS, RailGraph, RailNode, RunRef, SAME_POINT_M,
    Source, world_reach,
};
use crate::atlas::bundled::Atlas;
use crate::data::feature::Feature;
use crate::map::index::{Part, visit};
use crate::map::layer::Layer;
use crate::map::mercator::{WorldPoint, world_from_lonlat};
use crate::plan::scenario::model::{SnapRef, Vertex};
use crate::plan::snap::line_name;
use crate::rail::ReuseRule;

/// Whether tracing may follow `f`: the one rule of what is track ([`ReuseRule::is_track`]):
/// lines in service, and under construction when `rule` counts them; never proposed, disused
/// or abandoned lines or ferries (so a traced route is reused track in the ledger too).
/// Untagged lines of a track layer are in service.
fn is_traceable(f: &Feature, rule: ReuseRule) -> bool {
    rule.is_track(f)
}

/// Every traceable line part of `layers` (by `rule`) with its interned (layer id, line name).
pub(super) fn collect_sources<'a>(
    layers: &[&'a Layer],
    rule: ReuseRule,
) -> (Vec<Source<'a>>, Vec<SnapRef>) {
    let mut snap_ids: HashMap<(&'a str, &'a str), u32> = HashMap::new();
    let mut snaps = Vec::new();
    let mut out = Vec::new();
    for (li, &layer) in layers.iter().enumerate() {
        let full = layer.lod.full();
        for (fi, feature) in layer.features.iter().enumerate() {
            if !is_traceable(feature, rule) {
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
pub(super) fn build_core(sources: &[Source<'_>], merge_m: f64) -> Core {
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
pub(super) fn without_strays(vertices: Vec<Vertex>) -> Vec<Vertex> {
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
}
