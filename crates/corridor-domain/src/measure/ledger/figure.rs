//! The one place a ledger figure becomes text. Compare's cells, the comparison slide's table,
//! the slide legends and the live figures in slide captions all format through [`Figure`],
//! so a figure reads the same wherever it is shown (issue 14: "the screen never shows two
//! numbers for one thing").

use super::export::{ComparisonRow, cost_band_text};
use crate::measure::geodesic::{format_km, group_thousands};

/// A headline figure of an alternative, as its comparison row holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    LengthKm,
    ExistingKm,
    NewKm,
    /// Per-country lengths, as the table's countries cell.
    Countries,
    /// Borders crossed.
    Crossings,
    GaugeBreaks,
    MaxGrade,
    Cost,
    /// The ledger's one travel time.
    Time,
    TunnelKm,
    BridgeKm,
    /// Curves tighter than the line speed's minimum radius.
    TightCurves,
}

impl Figure {
    pub const ALL: [Self; 12] = [
        Self::LengthKm,
        Self::ExistingKm,
        Self::NewKm,
        Self::Countries,
        Self::Crossings,
        Self::GaugeBreaks,
        Self::MaxGrade,
        Self::Cost,
        Self::Time,
        Self::TunnelKm,
        Self::BridgeKm,
        Self::TightCurves,
    ];

    /// The figure's name in a caption placeholder (`{length_km}`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::LengthKm => "length_km",
            Self::ExistingKm => "existing_km",
            Self::NewKm => "new_km",
            Self::Countries => "countries",
            Self::Crossings => "crossings",
            Self::GaugeBreaks => "gauge_breaks",
            Self::MaxGrade => "max_grade",
            Self::Cost => "cost",
            Self::Time => "time",
            Self::TunnelKm => "tunnel_km",
            Self::BridgeKm => "bridge_km",
            Self::TightCurves => "tight_curves",
        }
    }

    /// The figure named `key`, if there is one.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The figure of `row` as text: lengths as `1,234.5 km`, cost as its band `$3.8–6.3 bn`, time as
    /// `16.3 h`, grade as `2.5 %`; an engineering figure the ledger has not got (engineering
    /// off, no elevation data) is `—`.
    #[must_use]
    pub fn text(self, row: &ComparisonRow) -> String {
        let dash = || "—".to_owned();
        match self {
            Self::LengthKm => km_text(row.km),
            Self::ExistingKm => km_text(row.existing_km),
            Self::NewKm => km_text(row.new_km),
            Self::Countries => row.countries.clone(),
            Self::Crossings => row.crossings.to_string(),
            Self::GaugeBreaks => row.gauge_breaks.to_string(),
            Self::MaxGrade => format!("{:.1} %", row.max_grade_pct),
            // The band, never a lone figure: the estimate × the leave-one-out spread.
            Self::Cost => cost_band_text(row.cost_low_usd, row.cost_high_usd),
            Self::Time => hours_text(row.time_h),
            Self::TunnelKm => row.tunnel_km.map_or_else(dash, km_text),
            Self::BridgeKm => row.bridge_km.map_or_else(dash, km_text),
            Self::TightCurves => row.curves_below_min.map_or_else(dash, |n| n.to_string()),
        }
    }
}

/// Kilometres to 0.1 km with thousands grouped: `1,234.5 km` (the map's ruler's format).
#[must_use]
pub fn km_text(km: f64) -> String {
    format_km(km * 1000.0)
}

/// US dollars in millions: `$4,600 m`.
#[must_use]
pub fn musd_text(usd: f64) -> String {
    format!("${} m", group_thousands((usd / 1e6).round() as i64))
}

/// Hours to 0.1 h: `16.3 h`.
#[must_use]
pub fn hours_text(h: f64) -> String {
    format!("{h:.1} h")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_written_by_hand() {
        let row = ComparisonRow {
            name: "A".into(),
            km: 1234.56,
            existing_km: 75.0,
            new_km: 1159.56,
            countries: "UZB 10.0; AFG 1224.6".into(),
            crossings: 2,
            gauge_breaks: 1,
            max_grade_pct: 2.46,
            cost_musd: 4599.6,
            cost_low_usd: 3.8e9,
            cost_high_usd: 6.3e9,
            time_h: 16.26,
            published_km: None,
            published_cost_usd: None,
            published_year: None,
            published_source: None,
            published_basis: None,
            km_ratio: None,
            cost_ratio: None,
            tunnel_km: Some(5.54),
            tunnels: Some(2),
            bridge_km: None,
            curves_below_min: Some(3),
            published_time_h: None,
            published_time_source: None,
        };
        let shown: Vec<String> = Figure::ALL.iter().map(|f| f.text(&row)).collect();
        assert_eq!(
            shown,
            [
                "1,234.6 km",
                "75.0 km",
                "1,159.6 km",
                "UZB 10.0; AFG 1224.6",
                "2",
                "1",
                "2.5 %",
                "$3.8–6.3 bn",
                "16.3 h",
                "5.5 km",
                "—",
                "3"
            ]
        );
        for f in Figure::ALL {
            assert_eq!(Figure::from_key(f.key()), Some(f));
        }
        assert_eq!(Figure::from_key("length"), None);
        // Under a billion the band is in millions.
        let mut small = row.clone();
        (small.cost_low_usd, small.cost_high_usd) = (420e6, 560e6);
        assert_eq!(Figure::Cost.text(&small), "$420–560 m");
    }
}
