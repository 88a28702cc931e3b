//! Ledgers per alternative, kept between frames: recomputed only for alternatives whose
//! vertices, gauge or settings changed, so a dragged vertex updates the numbers in the same
//! frame, and the rows every view of the comparison reads.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use corridor_domain::measure::ledger::curves::curve_radii_m;
use corridor_domain::measure::ledger::strip::{StripDiagram, strip_diagram};
use corridor_domain::measure::ledger::{
    ComparisonRow, Ledger, LedgerContext, LedgerSettings, comparison_row, compute_ledger_with_radii,
};
use corridor_domain::plan::scenario::PublishedFigures;
use corridor_domain::plan::scenario::model::{AlignmentId, Scenario};

/// Ledgers per alternative, recomputed when their inputs change.
#[derive(Default)]
pub struct LedgerCache {
    /// Per alternative: its input key, its ledger and the ledger's strip diagram (both
    /// computed when the alternative or the settings change, never per frame).
    entries: HashMap<AlignmentId, (u64, Arc<Ledger>, StripDiagram)>,
    /// The document revision and context the entries were last checked against: while
    /// neither changes, a frame does no work at all.
    checked: Option<(u64, usize)>,
}

/// The inputs of an alternative's ledger, hashed with foldhash (fixed seed: keys are only
/// compared within a run, and a fixed seed keeps runs reproducible).
fn input_key(a: &corridor_domain::plan::scenario::model::Alignment, settings_key: u64) -> u64 {
    let mut h = foldhash::fast::FixedState::default().build_hasher();
    for v in &a.vertices {
        v.lon.to_bits().hash(&mut h);
        v.lat.to_bits().hash(&mut h);
    }
    a.gauge_mm.hash(&mut h);
    for r in curve_radii_m(&a.extra) {
        r.map(f64::to_bits).hash(&mut h);
    }
    settings_key.hash(&mut h);
    h.finish()
}

/// A fingerprint of the settings: their JSON, which covers every field (computed once per
/// frame, not per alternative).
fn settings_key(settings: &LedgerSettings) -> u64 {
    foldhash::fast::FixedState::default()
        .hash_one(serde_json::to_string(settings).unwrap_or_default())
}

impl LedgerCache {
    /// Bring every alternative's ledger up to date; drop ledgers of deleted alternatives.
    pub fn update(&mut self, revision: u64, scenario: &Scenario, ctx: &Arc<LedgerContext>) {
        let stamp = (revision, Arc::as_ptr(ctx) as usize);
        if self.checked == Some(stamp) {
            return;
        }
        self.checked = Some(stamp);
        let settings = &scenario.settings.ledger_settings();
        self.entries
            .retain(|id, _| scenario.alignment(*id).is_some());
        let settings_key = settings_key(settings);
        for a in &scenario.alignments {
            let key = input_key(a, settings_key);
            if self.entries.get(&a.id).is_some_and(|(k, ..)| *k == key) {
                continue;
            }
            let vertices: Vec<(f64, f64)> = a.vertices.iter().map(|v| (v.lon, v.lat)).collect();
            let radii = curve_radii_m(&a.extra);
            let ledger = compute_ledger_with_radii(&vertices, &radii, a.gauge_mm, ctx, settings);
            let strip = strip_diagram(&ledger, settings.max_design_grade_pct);
            self.entries.insert(a.id, (key, Arc::new(ledger), strip));
        }
    }

    /// The document revision the ledgers were last brought up to.
    #[must_use]
    pub fn revision(&self) -> Option<u64> {
        self.checked.map(|(revision, _)| revision)
    }

    /// The ledger of an alternative, if computed.
    #[must_use]
    pub fn get(&self, id: AlignmentId) -> Option<&Arc<Ledger>> {
        self.entries.get(&id).map(|(_, l, _)| l)
    }

    /// The strip diagram of an alternative's ledger, if computed.
    #[must_use]
    pub fn strip(&self, id: AlignmentId) -> Option<&StripDiagram> {
        self.entries.get(&id).map(|(.., strip)| strip)
    }

    /// The comparison rows, in scenario order.
    #[must_use]
    pub fn rows(&self, scenario: &Scenario) -> Vec<(AlignmentId, ComparisonRow)> {
        scenario
            .alignments
            .iter()
            .filter_map(|a| {
                let l = self.get(a.id)?;
                let published = PublishedFigures::of(a).columns();
                Some((a.id, comparison_row(&a.name, l, &published)))
            })
            .collect()
    }
}
