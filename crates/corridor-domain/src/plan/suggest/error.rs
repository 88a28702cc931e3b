//! Why a suggestion failed: the one error type of the suggestion modules, lowest of them so
//! the surface, the path search and the place lookup can all return it.

/// Why no suggestion could be made. Each message is one line a user can act on.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SuggestError {
    /// The cancel flag was raised.
    #[error("the suggestion was cancelled")]
    Cancelled,
    /// A place name matched nothing; `near` lists similar names.
    #[error("no place called \"{query}\" in cities, ports or rail points{}", near_list(.near))]
    UnknownPlace { query: String, near: Vec<String> },
    /// An endpoint lies outside the cost surface's region.
    #[error("the {what} ({lon:.4}, {lat:.4}) is outside the suggestion region {region}")]
    OutsideRegion {
        what: String,
        lon: f64,
        lat: f64,
        region: String,
    },
    /// An endpoint lies on water with no land cell near it.
    #[error("the {what} ({lon:.4}, {lat:.4}) is on water, with no land within {within_km:.0} km")]
    OnWater {
        what: String,
        lon: f64,
        lat: f64,
        within_km: f64,
    },
    /// An endpoint lies inside an area the user asked to avoid.
    #[error(
        "the {what} ({lon:.4}, {lat:.4}) is inside an area to avoid (--avoid); move it out or drop that area"
    )]
    InAvoidZone { what: String, lon: f64, lat: f64 },
    /// A place the line must pass lies outside the corridor it must keep within.
    #[error(
        "the {what} is {distance_km:.0} km from the corridor line {corridor}, outside its {within_km:.0} km: widen the corridor or choose another place"
    )]
    OutsideCorridor {
        what: String,
        distance_km: f64,
        corridor: String,
        within_km: f64,
    },
    /// No passable route joins the endpoints.
    #[error("no route: {0}")]
    NoRoute(String),
    /// The surface would be too large.
    #[error(
        "the cost surface would have {cells} cells, more than the {max} allowed: choose a coarser resolution or a smaller region"
    )]
    TooManyCells { cells: usize, max: usize },
    /// The settings cannot be used.
    #[error("invalid suggestion settings: {0}")]
    Settings(String),
    /// The problem itself is malformed (same start and end, zero alternatives, ...).
    #[error("{0}")]
    Problem(String),
}

fn near_list(near: &[String]) -> String {
    if near.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", near.join(", "))
    }
}
