//! What to generate (`NetworkSpec`), what was written (`NetworkStats`), and the region's rules
//! (its box and which gauge OSM records where).

/// West, east, south and north edges of the region (degrees). Every coordinate is inside.
pub const REGION: [f64; 4] = [46.0, 80.0, 23.0, 55.0];

/// What to generate.
#[derive(Clone, Debug)]
pub struct NetworkSpec {
    /// Number of features (ways), exactly.
    pub features: usize,
    /// Number of vertices summed over all features (at least two per feature).
    pub vertices: usize,
    /// Seed of every random choice: a different seed gives a different network.
    pub seed: u64,
    /// `FeatureCollection` or `GeoJSONSeq`.
    pub format: NetFormat,
    /// Ideal tangents and arcs, or mapped like real OSM ways.
    pub shape: NetShape,
}

impl Default for NetworkSpec {
    /// The size of a real OSM rail extract of the region: 100k ways, 3M vertices, ~90 MB.
    fn default() -> Self {
        Self {
            features: 100_000,
            vertices: 3_000_000,
            seed: 1,
            format: NetFormat::FeatureCollection,
            shape: NetShape::Smooth,
        }
    }
}

impl NetworkSpec {
    /// The default shape at a smaller size: `features` ways of 30 vertices on average.
    #[must_use]
    pub fn small(features: usize) -> Self {
        Self {
            features,
            vertices: features.saturating_mul(30),
            ..Self::default()
        }
    }
}

/// The container format of the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetFormat {
    /// One `FeatureCollection`, one feature per line (so a line number names a feature).
    FeatureCollection,
    /// RFC 8142 `GeoJSONSeq`: each feature is `0x1E`, the feature's JSON, `\n`.
    Sequence,
}

/// How the ways are shaped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NetShape {
    /// Every vertex on the designed tangents and arcs. Simplification removes almost every
    /// vertex of a tangent, so this network flatters level-of-detail code; it is the network
    /// the older benchmarks used, and its bytes are unchanged.
    #[default]
    Smooth,
    /// The same alignments with every vertex displaced sideways by a correlated meander, as a
    /// way traced from imagery is: an AR(1) offset along the line (correlation 0.95 from one
    /// vertex to the next, standard deviation 6 m, tapering to zero over the first and last
    /// few vertices of a corridor so stations and shared way ends stay exact). Lines keep
    /// most of their vertices when simplified at the finer zooms, as real OSM rail ways do.
    Realistic,
}

/// What [`write_network`] wrote.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NetworkStats {
    /// Features written.
    pub features: usize,
    /// Positions written, summed over features.
    pub vertices: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// The track gauge (mm) OSM records at a place, by the rule the generator follows: 1520
/// (Russian gauge) north of 37.5°N, i.e. Kazakhstan, Central Asia and the Caucasus; 1435 in
/// Iran (west of 61.5°E, south of 37.5°N); 1676 (Indian gauge) in Pakistan (east of 61.5°E,
/// south of 35.5°N); in the Afghan band between (35.5..37.5°N, east of 61.5°E) 1520 north of
/// 36.5°N, where the lines from Termez and Turkmenistan arrive, and 1435 south of it.
///
/// Each way takes the gauge of its first vertex; narrow-gauge ways are the exception (750,
/// 762 or 1000).
#[must_use]
pub fn gauge_at(lon: f64, lat: f64) -> &'static str {
    if lat >= 37.5 {
        "1520"
    } else if lon < 61.5 {
        "1435"
    } else if lat < 35.5 {
        "1676"
    } else if lat >= 36.5 {
        "1520"
    } else {
        "1435"
    }
}
