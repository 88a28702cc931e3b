//! Our geodesic lengths against `GeographicLib` (Karney's own Python implementation), the
//! reference for ellipsoidal geodesics. The figures are in `tests/fixtures/geodesic_reference.csv`,
//! written by `tools/geographiclib/make_reference.py`; this test needs no Python.
//!
//! Requirement: better than 1 mm per 1,000 km (1e-9 relative), with a 1 nm floor for the
//! sub-millimetre cases, where both sides are at the mercy of double rounding.
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use corridor_domain::data::geojson_io::parse_features;
use corridor_domain::measure::geodesic::{geodesic_length_m, line_measures};
use geo::{Geometry, LineString, MultiLineString};

const REFERENCE_CSV: &str = include_str!("../../../tests/fixtures/geodesic_reference.csv");

/// One inverse geodesic from the reference table.
#[derive(Debug)]
struct Reference {
    group: String,
    case: String,
    lat1_deg: f64,
    lon1_deg: f64,
    lat2_deg: f64,
    lon2_deg: f64,
    s12_m: f64,
}

impl Reference {
    fn line(&self) -> LineString<f64> {
        LineString::from(vec![
            (self.lon1_deg, self.lat1_deg),
            (self.lon2_deg, self.lat2_deg),
        ])
    }
}

fn references() -> Vec<Reference> {
    let mut lines = REFERENCE_CSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    assert_eq!(
        lines.next(),
        Some("group,case,lat1_deg,lon1_deg,lat2_deg,lon2_deg,s12_m")
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 7, "{l}");
            let num = |i: usize| -> f64 { f[i].parse().unwrap_or_else(|e| panic!("{l}: {e}")) };
            Reference {
                group: f[0].to_owned(),
                case: f[1].to_owned(),
                lat1_deg: num(2),
                lon1_deg: num(3),
                lat2_deg: num(4),
                lon2_deg: num(5),
                s12_m: num(6),
            }
        })
        .collect()
}

/// 1 mm per 1,000 km, and at least 1 nm.
fn tolerance_m(length_m: f64) -> f64 {
    (length_m * 1e-9).max(1e-9)
}

fn assert_close(what: &str, got_m: f64, want_m: f64) {
    let error_m = (got_m - want_m).abs();
    assert!(
        error_m <= tolerance_m(want_m),
        "{what}: got {got_m} m, GeographicLib {want_m} m, off by {error_m:e} m"
    );
}

#[test]
fn the_reference_table_covers_every_kind_of_case() {
    let refs = references();
    assert!(refs.len() >= 30, "only {} rows", refs.len());
    for group in [
        "short",
        "long",
        "equatorial",
        "meridional",
        "antimeridian",
        "near_antipodal",
        "polar",
        "corridor",
        "corridor_polyline",
    ] {
        assert!(refs.iter().any(|r| r.group == group), "no {group} case");
    }
}

#[test]
fn every_reference_segment_matches_geographiclib_to_a_millimetre_per_thousand_km() {
    for r in references() {
        let measure = line_measures(&Geometry::LineString(r.line()))
            .unwrap_or_else(|| panic!("{}: a LineString is linear", r.case));
        assert_eq!(measure.segments_m.len(), 1);
        assert_close(
            &format!("{}/{}", r.group, r.case),
            measure.length_m,
            r.s12_m,
        );
    }
}

#[test]
fn swapping_the_ends_gives_the_same_length() {
    for r in references() {
        let mut line = r.line();
        line.0.reverse();
        assert_close(
            &format!("{}/{} reversed", r.group, r.case),
            geodesic_length_m(&Geometry::LineString(line)),
            r.s12_m,
        );
    }
}

#[test]
fn the_termez_karachi_polyline_is_the_sum_of_its_reference_legs() {
    let legs: Vec<Reference> = references()
        .into_iter()
        .filter(|r| r.group == "corridor_polyline")
        .collect();
    assert!(legs.len() >= 3);
    let mut vertices = vec![(legs[0].lon1_deg, legs[0].lat1_deg)];
    for pair in legs.windows(2) {
        assert_eq!(
            (pair[0].lon2_deg, pair[0].lat2_deg),
            (pair[1].lon1_deg, pair[1].lat1_deg),
            "legs must chain"
        );
    }
    vertices.extend(legs.iter().map(|r| (r.lon2_deg, r.lat2_deg)));
    let want_m: f64 = legs.iter().map(|r| r.s12_m).sum();

    let measure = line_measures(&Geometry::LineString(LineString::from(vertices)))
        .expect("a LineString is linear");
    assert_eq!(measure.segments_m.len(), legs.len());
    for (got_m, leg) in measure.segments_m.iter().zip(&legs) {
        assert_close(&leg.case, *got_m, leg.s12_m);
    }
    assert_close("Termez-Karachi polyline", measure.length_m, want_m);
    // The polyline is longer than the direct geodesic, as any detour must be.
    let direct = references()
        .into_iter()
        .find(|r| r.case == "termez_karachi")
        .expect("direct case");
    assert!(measure.length_m > direct.s12_m);
}

#[test]
fn a_multilinestring_of_all_reference_segments_sums_them_in_order() {
    let refs = references();
    let mls = MultiLineString::new(refs.iter().map(Reference::line).collect());
    let measure = line_measures(&Geometry::MultiLineString(mls)).expect("linear");
    assert_eq!(measure.segments_m.len(), refs.len());
    for (got_m, r) in measure.segments_m.iter().zip(&refs) {
        assert_close(&r.case, *got_m, r.s12_m);
    }
    let want_m: f64 = refs.iter().map(|r| r.s12_m).sum();
    assert_close("sum of all", measure.length_m, want_m);
}

#[test]
fn elevations_in_geojson_do_not_change_the_length() {
    let r = references()
        .into_iter()
        .find(|r| r.case == "termez_karachi")
        .expect("corridor case");
    let text = format!(
        r#"{{"type":"LineString","coordinates":[[{},{},4000.5],[{},{},-20]]}}"#,
        r.lon1_deg, r.lat1_deg, r.lon2_deg, r.lat2_deg
    );
    let parsed = parse_features(&text).expect("valid 3-D LineString");
    assert_close(
        "3-D Termez-Karachi",
        geodesic_length_m(&parsed.features[0].geometry),
        r.s12_m,
    );
}
