//! Properties of the KML and GPX exports over random alternatives (proptest, bounded case
//! counts): what is written reads back — names with markup and any Unicode, every coordinate
//! bit for bit, colour, status and gauge — and the reader never panics on random text.
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use corridor_domain::measure::ledger::Ledger;
use corridor_domain::plan::exchange::{ExportFormat, ExportTable, LineFormat, read_lines};
use corridor_domain::plan::scenario::model::{Alignment, AlignmentId, AlignmentStatus, Vertex};
use proptest::prelude::*;

/// A coordinate with a full-precision mantissa, inside `-limit..=limit`.
fn coord(limit: f64) -> impl Strategy<Value = f64> {
    any::<u64>()
        .prop_map(f64::from_bits)
        .prop_filter("finite", |x| x.is_finite())
        .prop_map(move |x| if x.abs() > limit { x % limit } else { x })
}

/// A name as people type them: any printable Unicode (markup characters included), not
/// blank and without surrounding white space (the reader trims it).
fn name() -> impl Strategy<Value = String> {
    "[^\\p{Cc}\u{FFFE}\u{FFFF}]{1,24}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("not blank", |s| !s.is_empty())
}

fn alignment() -> impl Strategy<Value = Alignment> {
    (
        name(),
        any::<[u8; 4]>(),
        prop::sample::select(AlignmentStatus::ALL.to_vec()),
        prop::option::of(prop::sample::select(vec![1000_u32, 1435, 1520, 1676])),
        prop::collection::vec((coord(180.0), coord(90.0)), 2..12),
    )
        .prop_map(|(name, color, status, gauge_mm, points)| {
            let mut a = Alignment::new(AlignmentId(1), name);
            a.color = color;
            a.status = status;
            a.gauge_mm = gauge_mm;
            a.vertices = points.into_iter().map(|(x, y)| Vertex::new(x, y)).collect();
            a
        })
}

fn xy(a: &Alignment) -> Vec<(u64, u64)> {
    a.vertices
        .iter()
        .map(|v| (v.lon.to_bits(), v.lat.to_bits()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn kml_and_gpx_exports_read_back_exactly(alternatives in prop::collection::vec(alignment(), 1..5)) {
        // The figures do not matter here: an empty ledger for each.
        let ledgers = vec![Ledger::default(); alternatives.len()];
        let pairs: Vec<_> = alternatives.iter().zip(&ledgers).collect();
        let table = ExportTable::new("props & <more>", &pairs);
        for (format, line_format) in [(ExportFormat::Kml, LineFormat::Kml), (ExportFormat::Gpx, LineFormat::Gpx)] {
            let bytes = format.write(&table).expect("written");
            let text = String::from_utf8(bytes).expect("UTF-8");
            let back = read_lines(&text, "p", line_format).expect("reads back");
            prop_assert_eq!(back.alignments.len(), alternatives.len());
            for (a, b) in alternatives.iter().zip(&back.alignments) {
                prop_assert_eq!(&a.name, &b.name);
                prop_assert_eq!(xy(a), xy(b));
                prop_assert_eq!(a.status, b.status);
                prop_assert_eq!(a.gauge_mm, b.gauge_mm);
                // GPX carries `#rrggbb`: opaque.
                let alpha = if format == ExportFormat::Kml { a.color[3] } else { 0xff };
                prop_assert_eq!([a.color[0], a.color[1], a.color[2], alpha], b.color);
            }
        }
    }

    #[test]
    fn the_reader_never_panics_on_random_text(text in "(<[a-zA-Z]{0,6}( [a-z]{1,3}=\"[^\"]{0,5}\")?/?>|</[a-zA-Z]{0,6}>|[^<]{0,8}|&[a-z#0-9]{0,5};?){0,40}") {
        for format in [LineFormat::Kml, LineFormat::Gpx] {
            let _ = read_lines(&text, "r", format);
            let wrapped = format!("<kml><Placemark><LineString><coordinates>{text}</coordinates></LineString></Placemark></kml>");
            let _ = read_lines(&wrapped, "r", format);
        }
    }
}
