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
//!
//! `graph` holds the graph's data and accessors, `build` makes it from layers, `search` is the
//! A* query graph over it and `route` traces on it; this file only declares them and
//! re-exports their public items, so the children never import their parent.

mod build;
mod graph;
mod route;
mod search;

pub(crate) use build::without_strays_within;
pub use graph::{DEFAULT_MERGE_M, RailGraph, RailNode};
pub use route::{DEFAULT_ON_NETWORK_M, TracedPath};

#[cfg(test)]
mod tests;
