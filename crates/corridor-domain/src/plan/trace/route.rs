//! Tracing on a built [`RailGraph`]: locating a point on the network, the cheapest route
//! between two located points (an A* search over `search`'s query graph) turned into
//! snapped vertices, and how much of a drawn line runs along the network.

use std::cmp::Ordering;

use geo::{Coord, Distance, Geodesic, Point};

use crate::map::index::nearest_on_segment;
use crate::map::mercator::{WorldPoint, lonlat_from_world, world_from_lonlat};
use crate::plan::scenario::model::{SnapRef, Vertex};

use super::build::without_strays;
use super::graph::{RUN_SEGMENTS, RailGraph, RunRef, world_reach};
use super::search::QueryGraph;

/// How far (metres) a trace endpoint may lie from the network in [`RailGraph::trace`]: vertices
/// snapped to track are on it, and bundled station points sit on their lines.
pub const DEFAULT_ON_NETWORK_M: f64 = 1000.0;

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
        let query = QueryGraph::new(self, &heads, &tails);
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
