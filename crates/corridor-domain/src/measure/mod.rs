//! Measuring: WGS84 geodesic lengths ([`geodesic`]), the ruler, and the corridor ledger of an
//! alternative. Every length a user reads comes from here (or from tracing, which uses
//! [`geodesic`]). Depends on the layers below (data, rail, map, atlas).

pub mod geodesic;
pub mod ledger;
pub mod ruler;
