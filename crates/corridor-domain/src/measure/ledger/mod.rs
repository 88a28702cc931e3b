//! The corridor ledger: the figures a planner compares alternatives by, computed for one
//! alignment fast enough to follow a drag (issue 5).
//!
//! - [`LedgerContext`]: the atlas indexed once (countries, existing track, crossing points,
//!   served places, elevation).
//! - [`compute_ledger`]: one alignment's [`Ledger`]: geodesic length and chainage, km per
//!   country with the crossings, existing vs new km, gauge breaks, served places, elevation
//!   profile and grades, cost from quantities (`cost`, unit costs in `cost_settings`);
//!   railway engineering (`engineering`): curves at the vertices ([`curves`]), the design
//!   grade line with tunnels and bridges ([`design_line`]); and the one travel time, a
//!   train's run along the line ([`train`]) with its stops and dwell.
//! - [`LedgerSettings`]: every assumption, editable and saved with the scenario; unit costs
//!   carry the published figure they were calibrated on.
//! - [`export`]: the comparison table (CSV, JSON, Markdown); [`figure`]: the one formatter of
//!   a figure for every screen; [`dem`]: SRTM `.hgt` tiles.
//!
//! Architecture invariant: like the rest of `domain`, nothing here depends on the GUI.

mod compute;
mod context;
mod cost;
mod cost_settings;
pub mod curves;
pub mod dem;
pub mod design_line;
mod engineering;
pub mod export;
pub mod figure;
pub mod gauge;
mod local;
mod model;
pub mod profile;
mod settings;
pub mod strip;
pub mod train;

pub use compute::{compute_ledger, compute_ledger_with_radii};
pub use context::{LedgerContext, LedgerInputs, PlaceKind, TrackStatus};
pub use cost_settings::{CostSettings, Rate};
pub use export::{
    ComparisonRow, PublishedColumns, comparison_row, comparison_table, cost_band_text,
    measured_over_published, time_band_text, to_csv, to_json, to_markdown,
};
pub use model::{
    CostEstimate, CostItem, CostKind, CostQuantities, CountryLength, CountryPiece, Crossing,
    DesignLine, DesignPoint, ElevationProfile, Engineering, GaugeBreak, GaugeBreakKind, GaugeRun,
    HorizontalCurve, Ledger, NearPoint, ProfilePoint, SEA_CODE, SEA_NAME, Sample, ServedPlace,
    SpeedPoint, Structure, StructureKind, TerrainLengths, TrackRun, TravelTime,
};
pub use profile::TerrainClass;
pub use settings::{EngineeringSettings, LedgerSettings, TerrainThresholds, UnitCost, UnitCosts};
