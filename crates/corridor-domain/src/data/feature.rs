//! A feature as the atlas keeps it: a `geo` geometry plus its GeoJSON properties, untouched.

use geo::Geometry;

/// GeoJSON properties, kept verbatim (compactly) so that nothing a user's file carries is lost.
pub use crate::data::properties::{PropValue, Properties};

/// One geographic feature. Coordinates are WGS84 lon/lat degrees.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    pub geometry: Geometry<f64>,
    pub properties: Properties,
}

impl Feature {
    #[must_use]
    pub fn new(geometry: Geometry<f64>, properties: impl Into<Properties>) -> Self {
        Self {
            geometry,
            properties: properties.into(),
        }
    }

    /// The display name: `name`, else `title` (simplestyle-spec), else `None`.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.str("name").or_else(|| self.str("title"))
    }

    /// A string property.
    #[must_use]
    pub fn str(&self, key: &str) -> Option<&str> {
        self.properties.get(key).and_then(PropValue::as_str)
    }

    /// A numeric property (JSON number, or a string that parses as one).
    #[must_use]
    pub fn f64(&self, key: &str) -> Option<f64> {
        match self.properties.get(key)? {
            PropValue::Str(s) => s.trim().parse().ok(),
            number => number.as_f64(),
        }
    }

    /// A boolean property (`true`/`false`, or 1/0).
    #[must_use]
    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.properties.get(key)? {
            PropValue::Bool(b) => Some(b),
            number => number.as_f64().map(|v| v != 0.0),
        }
    }

    /// A short geometry type name for the inspector.
    #[must_use]
    pub fn geometry_type(&self) -> &'static str {
        match &self.geometry {
            Geometry::Point(_) => "Point",
            Geometry::Line(_) => "Line",
            Geometry::LineString(_) => "LineString",
            Geometry::Polygon(_) => "Polygon",
            Geometry::MultiPoint(_) => "MultiPoint",
            Geometry::MultiLineString(_) => "MultiLineString",
            Geometry::MultiPolygon(_) => "MultiPolygon",
            Geometry::GeometryCollection(_) => "GeometryCollection",
            Geometry::Rect(_) => "Rect",
            Geometry::Triangle(_) => "Triangle",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::point;
    use serde_json::{Value, json};

    fn with_props(v: Value) -> Feature {
        let Value::Object(map) = v else {
            panic!("test props must be an object")
        };
        Feature::new(point!(x: 1.0, y: 2.0).into(), map)
    }

    #[test]
    fn name_falls_back_to_simplestyle_title() {
        assert_eq!(with_props(json!({"name": "Herat"})).name(), Some("Herat"));
        assert_eq!(
            with_props(json!({"title": "Option A"})).name(),
            Some("Option A")
        );
        assert_eq!(with_props(json!({"name": 5})).name(), None);
    }

    #[test]
    fn numbers_may_come_as_strings() {
        let f = with_props(json!({"gauge_mm": "1520", "len": 12.5, "bad": "n/a"}));
        assert_eq!(f.f64("gauge_mm"), Some(1520.0));
        assert_eq!(f.f64("len"), Some(12.5));
        assert_eq!(f.f64("bad"), None);
        assert_eq!(f.f64("missing"), None);
    }
}
