//! Track gauges: the default gauge of each country's network.
//!
//! The table decides what a new line of unspecified gauge is built to in each country, and
//! where borders between networks become breaks of gauge. It is the ledger's assumption, so
//! it lives here; the gauge a line *has* is read by [`crate::rail::track_gauge_mm`].

/// Default (mainline) track gauge in millimetres of the networks in the corridor region, by
/// ISO 3166-1 alpha-2 code.
///
/// Sources: Wikipedia "Russian gauge" (1,520 mm: former USSR and Mongolia), "Standard-gauge
/// railway" (1,435 mm: Iran, China, Turkey), "5 ft 6 in gauge railway" (1,676 mm: Pakistan,
/// India); Railway Gazette, 20 Oct 2025: the Afghan cabinet adopted 1,520 mm for the
/// Hairatan–Spin Boldak line (Afghanistan's short Khaf–Herat line is 1,435 mm, and the
/// bundled rail layer says so per line). Countries not listed have no default, so no break is
/// inferred at their borders.
pub const COUNTRY_GAUGES_MM: &[(&str, u32)] = &[
    ("KZ", 1520),
    ("UZ", 1520),
    ("TM", 1520),
    ("KG", 1520),
    ("TJ", 1520),
    ("RU", 1520),
    ("AZ", 1520),
    ("GE", 1520),
    ("AM", 1520),
    ("UA", 1520),
    ("MN", 1520),
    ("AF", 1520),
    ("IR", 1435),
    ("CN", 1435),
    ("TR", 1435),
    ("PK", 1676),
    ("IN", 1676),
];

/// The default gauge (mm) of a country's network, by ISO alpha-2 code.
#[must_use]
pub fn country_gauge_mm(iso_a2: &str) -> Option<u32> {
    COUNTRY_GAUGES_MM
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(iso_a2))
        .map(|&(_, gauge)| gauge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_networks_of_the_corridor_have_their_gauges() {
        assert_eq!(country_gauge_mm("AF"), Some(1520));
        assert_eq!(country_gauge_mm("ir"), Some(1435));
        assert_eq!(country_gauge_mm("PK"), Some(1676));
        assert_eq!(country_gauge_mm("OM"), None);
    }
}
