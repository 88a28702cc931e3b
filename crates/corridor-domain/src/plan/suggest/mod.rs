//! Suggested alignments (issues 7 and 15): up to N genuinely different low-cost alignments between two
//! places over terrain, existing track and borders, to compare with hand-drawn ones (what
//! Trimble Quantm does for a design team, at corridor scale).
//!
//! - [`surface`]: the [`CostSurface`], a grid over the region with the cost of building
//!   through each cell (terrain class from the DEM's relief, ledger unit costs), existing
//!   track, countries and water. Built once per region and resolution
//!   ([`SuggestContext::new`]) and cached by the caller.
//! - [`path`]: A* over the surface with 16-neighbour moves, maximum-grade rule and border
//!   penalty.
//! - [`place`]: start and end from a place name or `LON,LAT`.
//! - `context`: [`SuggestContext`] (the surface, track network, ledger context and border
//!   posts of a region, built once) and [`AvoidZone`]; `corridor`: [`Corridor`], a line and
//!   a distance either side every alternative keeps within; `error`: [`SuggestError`], which
//!   every step returns.
//! - `polish`: grid paths into clean alignments (simplified new build, traced track, snapped
//!   ends), never adding a border crossing the search did not pay for.
//! - `refine`: where a finer DEM is open, the mountain stretches of a polished alignment
//!   searched again on a local grid at that DEM's resolution (passes the 3 km grid misses).
//! - `gates`: the gates an accepted alternative crossed at, closed for the next search so
//!   another post is tried first.
//! - [`rank`]: [`RankBy`] (cost, length, time, new build) and the distinguishing notes, both
//!   from ledger facts only.
//! - `find`: [`suggest`], which finds alternatives leg by leg through via places
//!   (penalising the corridor of each solution and re-solving), measures each by its
//!   corridor ledger (the one Compare shows), keeps only distinct and plausible ones, ranks
//!   them and says why it stopped; and the alignments and scenario made from them.
//!
//! This file only declares the modules and re-exports their public items: the children
//! import each other, never their parent, so no two modules import each other.
//!
//! Architecture invariant: pure and synchronous, no GUI types. The GUI runs [`suggest`] on a
//! worker thread with a progress callback and a cancel flag.

mod context;
mod corridor;
mod error;
mod find;
mod gates;
pub mod path;
pub mod place;
mod polish;
pub mod rank;
mod refine;
pub mod settings;
pub mod surface;

pub use context::{AvoidZone, BorderPost, SuggestContext};
pub use corridor::Corridor;
pub use error::SuggestError;
pub use find::{
    MIN_CROSSING_GAP_M, SUGGESTED_COLORS, SuggestOutcome, SuggestProblem, Suggestion,
    alignment_from_suggestion, scenario_from_suggestions, suggest,
};
pub use path::{GridPath, SearchInput, Window, least_cost_path};
pub use place::{Endpoint, parse_lonlat, resolve_endpoint};
pub use polish::separation_m;
pub use rank::RankBy;
pub use settings::{DEFAULT_RESOLUTION_KM, SuggestSettings};
pub use surface::{CostModel, CostSurface, GridSpec, SurfaceInputs};
