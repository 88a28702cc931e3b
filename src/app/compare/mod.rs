//! The comparison panel: one row per alternative with the corridor ledger's figures (sortable),
//! a bar chart of existing vs new-build km, the selected alternative's elevation profile
//! (linked to the map both ways), its full ledger, and exports. Ledgers are recomputed only for
//! alternatives whose vertices, gauge or settings changed, so a dragged vertex updates the
//! numbers in the same frame.
//!
//! `cache` (the ledgers) < `table` (sort, frozen panes, cells), `plots` (bars, profile,
//! strip), `details` (full ledger, settings) < `panel` (the panel that lays them out). This
//! file only declares them and re-exports what the app uses.

mod cache;
mod details;
mod panel;
mod plots;
mod table;

pub use cache::LedgerCache;
pub use panel::{CompareAction, ComparePanel};
pub use table::{ComparisonTable, SortBy};
