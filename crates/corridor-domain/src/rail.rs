//! The one rail vocabulary: what status a line is in, what gauge it has, whether it is track a
//! new corridor may reuse and how each kind of line is costed.
//!
//! Before this module, six places decided "is this track?" and disagreed (the suggestion
//! reused ferries the ledger did not, "in service" was existing for one and new build for
//! another). Now every consumer — the map's styles and its layer vote, snapping, tracing, the
//! suggestion's cost surface and the ledger — asks [`RailStatus::of_feature`] and a
//! [`ReuseRule`], so a line is track for all of them or for none.
//!
//! The rule (see [`ReuseRule`]):
//!
//! | status             | reusable track?                      | cost class              |
//! |--------------------|--------------------------------------|-------------------------|
//! | existing           | yes                                  | [`CostClass::Existing`] |
//! | under construction | if `under_construction_counts` (default yes) | [`CostClass::Committed`], else [`CostClass::NewBuild`] |
//! | proposed           | no                                   | [`CostClass::NewBuild`] |
//! | disused, abandoned | no                                   | [`CostClass::NewBuild`] |
//! | ferry              | no: a sea leg, not track             | [`CostClass::Ferry`]    |
//!
//! Ferries are decided the way the ledger reports them: a ferry leg is sea (its own length
//! and time, no build cost), never reused track km. The suggestion may still cross water
//! along a ferry (as the ledger's sea leg), but it does not count it as track.
//!
//! Layer 2: imports only [`crate::data`]. The country gauge table stays in
//! `measure::ledger::gauge`: it is the ledger's assumption about which gauge new build gets
//! and where breaks of gauge are inferred, not a fact of a line.

use crate::data::feature::Feature;

/// The state of a rail line (or the sea leg of a rail ferry), as curated data and
/// OpenStreetMap's `railway` tag state it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RailStatus {
    /// In service.
    Existing,
    /// Being built.
    UnderConstruction,
    /// Planned, designed or studied; nothing on the ground.
    Proposed,
    /// Track on the ground, out of use.
    Disused,
    /// Track lifted or razed.
    Abandoned,
    /// A rail ferry's sea leg.
    Ferry,
}

/// How a kilometre along a line of some status is costed by the ledger and the suggestion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CostClass {
    /// Reused track in service: the upgrade rate.
    Existing,
    /// Reused track being built (its cost is already committed): the upgrade rate.
    Committed,
    /// Built new: the terrain class's rate.
    NewBuild,
    /// A sea leg: no build cost, ferry speed.
    Ferry,
}

/// Lower-case ASCII letters and digits only: case, spaces, `_` and `-` do not matter.
fn key(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl RailStatus {
    /// Read a status as people and tools write it: case, spaces, `_` and `-` do not matter,
    /// and synonyms (including OpenStreetMap's `railway` values) are understood:
    /// - existing: existing, operational, open, in service, active, and OSM's rail,
    ///   light_rail, narrow_gauge, subway, monorail, funicular;
    /// - under construction: under construction, construction, building;
    /// - proposed: proposed, planned, design, study;
    /// - disused: disused, closed; abandoned: abandoned, razed, dismantled;
    /// - ferry: ferry.
    ///
    /// Anything else (OSM's tram, platform, station, a typo) is `None`: not a rail status.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match key(s).as_str() {
            "existing" | "operational" | "open" | "inservice" | "active" | "rail" | "lightrail"
            | "narrowgauge" | "subway" | "monorail" | "funicular" => Some(Self::Existing),
            "underconstruction" | "construction" | "building" => Some(Self::UnderConstruction),
            "proposed" | "planned" | "design" | "study" => Some(Self::Proposed),
            "disused" | "closed" => Some(Self::Disused),
            "abandoned" | "razed" | "dismantled" => Some(Self::Abandoned),
            "ferry" => Some(Self::Ferry),
            _ => None,
        }
    }

    /// Whether there is track on the ground: in service, being built or disused (not
    /// proposed, abandoned or a ferry).
    #[must_use]
    pub fn on_the_ground(self) -> bool {
        matches!(
            self,
            Self::Existing | Self::UnderConstruction | Self::Disused
        )
    }

    /// The status of a line feature from its tags, `None` if it is not a rail line at all:
    /// 1. `mode` (curated data): ferry is [`RailStatus::Ferry`]; rail goes on; any other
    ///    mode (road, bus…) is not rail.
    /// 2. a curated `status` wins when present ([`RailStatus::parse`]; unreadable: `None`);
    /// 3. else OpenStreetMap's `railway` ([`RailStatus::parse`]; tram, platform…: `None`);
    /// 4. a line with neither is [`RailStatus::Existing`]: it is on a layer already judged to
    ///    be track (the bundled rail, or an import whose lines carry `gauge` tags).
    #[must_use]
    pub fn of_feature(f: &Feature) -> Option<Self> {
        match f.str("mode").map(key).as_deref() {
            Some("ferry") => return Some(Self::Ferry),
            None | Some("rail") => {}
            Some(_) => return None,
        }
        if f.properties.contains_key("status") {
            return f.str("status").and_then(Self::parse);
        }
        if f.properties.contains_key("railway") {
            return f.str("railway").and_then(Self::parse);
        }
        Some(Self::Existing)
    }
}

/// The one rule of what existing track a corridor may reuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReuseRule {
    /// Whether lines under construction count as existing: by default they do (a corridor
    /// planned today opens after them, and their cost is already committed). The ledger's
    /// `under_construction_is_existing` setting.
    pub under_construction_counts: bool,
}

impl Default for ReuseRule {
    fn default() -> Self {
        Self {
            under_construction_counts: true,
        }
    }
}

impl ReuseRule {
    /// Whether a line of `status` is existing track a corridor may reuse: in service always,
    /// under construction if [`Self::under_construction_counts`], nothing else (a ferry is a
    /// sea leg, see the module table).
    #[must_use]
    pub fn reusable(self, status: RailStatus) -> bool {
        match status {
            RailStatus::Existing => true,
            RailStatus::UnderConstruction => self.under_construction_counts,
            RailStatus::Proposed
            | RailStatus::Disused
            | RailStatus::Abandoned
            | RailStatus::Ferry => false,
        }
    }

    /// How a km along a line of `status` is costed.
    #[must_use]
    pub fn cost_class(self, status: RailStatus) -> CostClass {
        match status {
            RailStatus::Existing => CostClass::Existing,
            RailStatus::UnderConstruction if self.under_construction_counts => CostClass::Committed,
            RailStatus::Ferry => CostClass::Ferry,
            RailStatus::UnderConstruction
            | RailStatus::Proposed
            | RailStatus::Disused
            | RailStatus::Abandoned => CostClass::NewBuild,
        }
    }

    /// The status of `f` if it is reusable track ([`RailStatus::of_feature`], then
    /// [`Self::reusable`]); `None` if it is not track.
    #[must_use]
    pub fn track_status(self, f: &Feature) -> Option<RailStatus> {
        RailStatus::of_feature(f).filter(|&s| self.reusable(s))
    }

    /// Whether `f` (a line of a track layer) is reusable track: what snapping, tracing, the
    /// suggestion and the ledger all ask.
    #[must_use]
    pub fn is_track(self, f: &Feature) -> bool {
        self.track_status(f).is_some()
    }
}

/// Whether a line carries rail tags: a `gauge`/`gauge_mm`, or a `railway`/`status` naming
/// track on the ground ([`RailStatus::on_the_ground`]: in service, being built or disused).
/// This is the vote that decides whether an imported *file* is a rail network (a network
/// with many disused ways is still one); which of its lines are *track* is then the rule's
/// call ([`ReuseRule::is_track`]). Untagged lines, trams and platforms do not vote for rail.
#[must_use]
pub fn has_rail_tags(f: &Feature) -> bool {
    if f.properties.contains_key("gauge") || f.properties.contains_key("gauge_mm") {
        return true;
    }
    let tagged = f.properties.contains_key("railway") || f.properties.contains_key("status");
    tagged && RailStatus::of_feature(f).is_some_and(RailStatus::on_the_ground)
}

/// Track gauge (mm): `gauge_mm`, else the first number of OpenStreetMap's `gauge` (which
/// lists every gauge of dual-gauge track: "1520;1435" → 1520).
#[must_use]
pub fn track_gauge_mm(f: &Feature) -> Option<u32> {
    let from_osm = || {
        let text = f.str("gauge")?;
        let first = text.split([';', ',', '/']).next()?.trim();
        let digits: String = first
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        digits.parse::<f64>().ok()
    };
    f.f64("gauge_mm")
        .or_else(from_osm)
        .filter(|g| g.is_finite() && *g > 0.0 && *g < 10_000.0)
        .map(|g| g.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_and_osm_spellings_parse_to_one_status() {
        let cases = [
            ("In service", Some(RailStatus::Existing)),
            ("existing", Some(RailStatus::Existing)),
            ("rail", Some(RailStatus::Existing)),
            ("light_rail", Some(RailStatus::Existing)),
            ("under_construction", Some(RailStatus::UnderConstruction)),
            ("Under-Construction", Some(RailStatus::UnderConstruction)),
            ("Building", Some(RailStatus::UnderConstruction)),
            ("construction", Some(RailStatus::UnderConstruction)),
            ("planned", Some(RailStatus::Proposed)),
            ("PROPOSED", Some(RailStatus::Proposed)),
            ("disused", Some(RailStatus::Disused)),
            ("abandoned", Some(RailStatus::Abandoned)),
            ("razed", Some(RailStatus::Abandoned)),
            ("Ferry", Some(RailStatus::Ferry)),
            ("tram", None),
            ("platform", None),
            ("banana", None),
        ];
        for (text, want) in cases {
            assert_eq!(RailStatus::parse(text), want, "{text}");
        }
    }

    #[test]
    fn the_rule_reuses_only_what_is_in_service_or_committed() {
        let default = ReuseRule::default();
        let strict = ReuseRule {
            under_construction_counts: false,
        };
        assert!(default.reusable(RailStatus::Existing));
        assert!(default.reusable(RailStatus::UnderConstruction));
        assert!(!strict.reusable(RailStatus::UnderConstruction));
        for s in [
            RailStatus::Proposed,
            RailStatus::Disused,
            RailStatus::Abandoned,
            RailStatus::Ferry,
        ] {
            assert!(!default.reusable(s), "{s:?}");
        }
        assert_eq!(
            default.cost_class(RailStatus::UnderConstruction),
            CostClass::Committed
        );
        assert_eq!(
            strict.cost_class(RailStatus::UnderConstruction),
            CostClass::NewBuild
        );
        assert_eq!(default.cost_class(RailStatus::Ferry), CostClass::Ferry);
        assert_eq!(default.cost_class(RailStatus::Disused), CostClass::NewBuild);
    }

    #[test]
    fn gauges_read_the_first_of_dual_gauge_track() {
        let f = |props: serde_json::Value| {
            Feature::new(
                geo::Geometry::Point(geo::Point::new(0.0, 0.0)),
                props.as_object().cloned().unwrap_or_default(),
            )
        };
        assert_eq!(
            track_gauge_mm(&f(serde_json::json!({"gauge": "1520;1435"}))),
            Some(1520)
        );
        assert_eq!(
            track_gauge_mm(&f(serde_json::json!({"gauge_mm": 1676}))),
            Some(1676)
        );
        assert_eq!(track_gauge_mm(&f(serde_json::json!({"gauge": "x"}))), None);
    }
}
