//! The one table every export writes: one record per alternative, its line, and its ledger
//! figures as attributes. KML, GeoPackage, GPX and the vertex CSV all read this table, so a
//! figure is computed once and every format carries the same number (the same as Compare,
//! which reads the same `comparison_row`).

use crate::measure::ledger::{Ledger, SEA_CODE, comparison_row};
use crate::plan::scenario::model::Alignment;
use crate::plan::scenario::published::PublishedFigures;

/// The name of the layer (GeoPackage table, KML folder) that holds the alternatives.
pub const LAYER_NAME: &str = "alternatives";

/// What kind of value a field holds, so typed formats (GeoPackage, KML `Schema`) declare it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Integer,
    Real,
}

/// One attribute column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub kind: FieldKind,
}

/// One attribute value; `Null` where the alternative has no such figure (no published cost).
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Text(String),
    Integer(i64),
    Real(f64),
    Null,
}

impl FieldValue {
    /// The value as text (empty for `Null`), for formats that only hold text.
    #[must_use]
    pub fn to_text(&self) -> String {
        match self {
            FieldValue::Text(s) => s.clone(),
            FieldValue::Integer(i) => i.to_string(),
            // `{:?}` keeps the decimal point (`7000000000.0`), so readers that guess types
            // from text (GDAL's GPX driver) see a real, not an integer that overflows.
            FieldValue::Real(x) => format!("{x:?}"),
            FieldValue::Null => String::new(),
        }
    }
}

/// One alternative: its line, colour and attribute values (in the order of
/// [`ExportTable::fields`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRecord {
    pub name: String,
    /// RGBA, as the alternative is drawn.
    pub color: [u8; 4],
    pub notes: String,
    /// The vertices, lon/lat (WGS84).
    pub coords: Vec<(f64, f64)>,
    /// The geodesic chainage (m) of each vertex, from the ledger.
    pub vertex_chainage_m: Vec<f64>,
    pub values: Vec<FieldValue>,
}

/// Every alternative of a scenario with the same attribute columns.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportTable {
    /// A title for the document (KML `Document/name`, GPX `metadata/name`).
    pub title: String,
    pub fields: Vec<Field>,
    pub records: Vec<ExportRecord>,
}

/// Rounded to `decimals` places: an export carries what Compare can show (a metre, a
/// hundredth of a percent), not float noise such as `647.0000000001`.
fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// The column name of one country's length: `km_afg`, `km_sea`.
#[must_use]
pub fn country_field(iso_a3: &str) -> String {
    if iso_a3 == SEA_CODE {
        "km_sea".to_owned()
    } else {
        format!("km_{}", iso_a3.to_ascii_lowercase())
    }
}

impl ExportTable {
    /// The table of `alternatives`, each with the ledger computed for it (in the same
    /// order). Per-country lengths get one column per country any alternative enters, in
    /// order of first appearance, so every record has the same columns (a country an
    /// alternative does not enter is 0 km).
    #[must_use]
    pub fn new(title: &str, alternatives: &[(&Alignment, &Ledger)]) -> Self {
        let mut countries: Vec<String> = Vec::new();
        for (_, ledger) in alternatives {
            for c in &ledger.countries {
                if !countries.contains(&c.iso_a3) {
                    countries.push(c.iso_a3.clone());
                }
            }
        }
        let text = |n: &str| Field {
            name: n.to_owned(),
            kind: FieldKind::Text,
        };
        let real = |n: &str| Field {
            name: n.to_owned(),
            kind: FieldKind::Real,
        };
        let integer = |n: &str| Field {
            name: n.to_owned(),
            kind: FieldKind::Integer,
        };
        // `name` first: the KML and GPX writers give it their own element and skip it here.
        let mut fields = vec![
            text("name"),
            text("status"),
            integer("gauge_mm"),
            text("color"),
            real("length_km"),
            real("existing_km"),
            real("new_km"),
            real("sea_km"),
            text("countries"),
        ];
        fields.extend(countries.iter().map(|c| real(&country_field(c))));
        fields.extend([
            integer("crossings"),
            integer("gauge_breaks"),
            real("max_grade_pct"),
            real("cost_musd"),
            real("time_h"),
            real("published_km"),
            real("published_cost_usd"),
            integer("published_year"),
            text("published_source"),
            real("km_ratio"),
            real("cost_ratio"),
        ]);
        let records = alternatives
            .iter()
            .map(|(a, ledger)| record(a, ledger, &countries))
            .collect();
        Self {
            title: title.to_owned(),
            fields,
            records,
        }
    }
}

fn record(a: &Alignment, ledger: &Ledger, countries: &[String]) -> ExportRecord {
    let row = comparison_row(&a.name, ledger, &PublishedFigures::of(a).columns());
    let real = |x: Option<f64>, decimals: i32| {
        x.filter(|x| x.is_finite())
            .map_or(FieldValue::Null, |x| FieldValue::Real(round(x, decimals)))
    };
    let [red, green, blue, _] = a.color;
    let mut values = vec![
        FieldValue::Text(a.name.clone()),
        FieldValue::Text(a.status.as_str().to_owned()),
        a.gauge_mm
            .map_or(FieldValue::Null, |mm| FieldValue::Integer(i64::from(mm))),
        FieldValue::Text(format!("#{red:02x}{green:02x}{blue:02x}")),
        real(Some(row.km), 3),
        real(Some(row.existing_km), 3),
        real(Some(row.new_km), 3),
        real(Some(ledger.sea_m / 1000.0), 3),
        FieldValue::Text(row.countries.clone()),
    ];
    values.extend(countries.iter().map(|iso| {
        let m: f64 = ledger
            .countries
            .iter()
            .filter(|c| &c.iso_a3 == iso)
            .map(|c| c.length_m)
            .sum();
        real(Some(m / 1000.0), 3)
    }));
    values.extend([
        FieldValue::Integer(i64::try_from(row.crossings).unwrap_or(i64::MAX)),
        FieldValue::Integer(i64::try_from(row.gauge_breaks).unwrap_or(i64::MAX)),
        real(Some(row.max_grade_pct), 2),
        real(Some(row.cost_musd), 3),
        real(Some(row.time_h), 2),
        real(row.published_km, 3),
        real(row.published_cost_usd, 0),
        row.published_year
            .map_or(FieldValue::Null, |y| FieldValue::Integer(i64::from(y))),
        row.published_source
            .clone()
            .map_or(FieldValue::Null, FieldValue::Text),
        real(row.km_ratio, 3),
        real(row.cost_ratio, 3),
    ]);
    ExportRecord {
        name: a.name.clone(),
        color: a.color,
        notes: a.notes.clone(),
        coords: a.vertices.iter().map(|v| (v.lon, v.lat)).collect(),
        vertex_chainage_m: ledger.vertex_chainage_m.clone(),
        values,
    }
}
