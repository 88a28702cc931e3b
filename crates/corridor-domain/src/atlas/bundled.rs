//! The bundled geodata (`geodata/`), embedded in the binary so the app works offline with
//! nothing installed beside it. Loading parses, indexes and simplifies every layer; a file
//! that fails to parse is reported (file, line, column, reason) and skipped, never a panic.

use std::fmt;
use std::sync::Arc;

use crate::data::elevation::ElevationGrid;
use crate::data::feature::Feature;
use crate::data::geojson_io::{GeoJsonError, parse_features};
use crate::map::layer::{FeatureRef, Layer, LayerKind};
use crate::map::mercator::{WorldPoint, WorldRect};

/// Attribution for the bundled data, shown on the map at all times.
pub const ATTRIBUTION: &str = "Made with Natural Earth · GeoNames (CC-BY 4.0) · ETOPO5, NOAA NGDC · rail: curated public sources (geodata/README.md)";

/// The corridor region the map opens on: Kazakhstan to the Arabian Sea, Caspian to Xinjiang
/// (lon 44–90° E, lat 20–56° N).
#[must_use]
pub fn corridor_region() -> WorldRect {
    WorldRect::from_lonlat_bounds(44.0, 20.0, 90.0, 56.0)
}

const NE: &str = "Natural Earth";
const GEONAMES: &str = "GeoNames (CC-BY 4.0)";
const CURATED: &str = "curated public sources (geodata/README.md)";

/// One embedded vector file and how to present it.
pub struct BundledFile {
    pub kind: LayerKind,
    pub file: &'static str,
    pub title: &'static str,
    pub attribution: &'static str,
    pub text: &'static str,
    /// The layer id this file is a part of, when it continues another file's layer (the
    /// coarse world countries, borders, lakes and rivers outside the region continue the
    /// regional layers): one row in the layer list, one entry in a slide's layers, one toggle.
    /// `None`: its own layer, id = file stem.
    pub part_of: Option<&'static str>,
}

macro_rules! bundled {
    ($kind:expr, $file:literal, $title:literal, $attr:expr) => {
        bundled!($kind, $file, $title, $attr, None)
    };
    ($kind:expr, $file:literal, $title:literal, $attr:expr, $part_of:expr) => {
        BundledFile {
            kind: $kind,
            file: $file,
            title: $title,
            attribution: $attr,
            part_of: $part_of,
            text: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../geodata/",
                $file
            )),
        }
    };
}

/// The embedded layers, bottom to top in draw order.
pub static BUNDLED_FILES: &[BundledFile] = &[
    bundled!(
        LayerKind::Land,
        "world_land.geojson",
        "World land (coarse)",
        NE
    ),
    bundled!(LayerKind::Land, "land.geojson", "Land", NE),
    bundled!(LayerKind::Countries, "countries.geojson", "Countries", NE),
    // After the regional file, so `layer_index("countries")` (the ledger's and the
    // suggester's countries) finds the detailed part.
    bundled!(
        LayerKind::Countries,
        "world_countries.geojson",
        "Countries",
        NE,
        Some("countries")
    ),
    bundled!(LayerKind::Lakes, "lakes.geojson", "Lakes", NE),
    bundled!(
        LayerKind::Lakes,
        "world_lakes.geojson",
        "Lakes",
        NE,
        Some("lakes")
    ),
    bundled!(LayerKind::Rivers, "rivers.geojson", "Rivers", NE),
    bundled!(
        LayerKind::Rivers,
        "world_rivers.geojson",
        "Rivers",
        NE,
        Some("rivers")
    ),
    bundled!(LayerKind::Coastline, "coastline.geojson", "Coastline", NE),
    bundled!(LayerKind::Borders, "borders.geojson", "Borders", NE),
    bundled!(
        LayerKind::Borders,
        "world_borders.geojson",
        "Borders",
        NE,
        Some("borders")
    ),
    bundled!(LayerKind::Rail, "rail.geojson", "Rail network", CURATED),
    bundled!(
        LayerKind::RailPoints,
        "rail_points.geojson",
        "Crossings, gauge breaks, passes",
        CURATED
    ),
    bundled!(LayerKind::Ports, "ports.geojson", "Ports", CURATED),
    bundled!(LayerKind::Cities, "cities.geojson", "Cities", GEONAMES),
];

/// The embedded elevation grid (ETOPO5 subset, `CAEL` format).
pub static ELEVATION_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../geodata/elevation_etopo5.bin"
));

/// The embedded coarse world relief (ETOPO5 in 20′ block means, the whole globe, `CAEL`
/// format): only the basemap shades with it, outside the detailed grid; profiles and costs
/// never read it.
pub static WORLD_ELEVATION_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../geodata/elevation_world.bin"
));

/// A file that could not be loaded, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadProblem {
    pub file: String,
    pub message: String,
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl LoadProblem {
    fn from_geojson(file: &str, e: &GeoJsonError) -> Self {
        Self {
            file: file.to_string(),
            message: e.to_string(),
        }
    }
}

/// How far a load has come, for a progress bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadProgress {
    pub done: usize,
    pub total: usize,
    pub current: String,
}

/// Every loaded layer plus the elevation grid.
///
/// Layers are shared (`Arc`), so a new atlas with one more layer (an import) or one less
/// costs a few pointer copies, and the basemap renderer can keep the atlas it was given.
#[derive(Default, Clone)]
pub struct Atlas {
    pub layers: Vec<Arc<Layer>>,
    pub elevation: Option<Arc<ElevationGrid>>,
    /// Coarse relief of the whole world, for the basemap's shading outside `elevation`.
    pub world_elevation: Option<Arc<ElevationGrid>>,
    /// Files that failed to load (the others are still there).
    pub problems: Vec<LoadProblem>,
}

/// Parse GeoJSON text into a ready [`Layer`]; errors name `file` and the line and column.
pub fn layer_from_geojson(
    kind: LayerKind,
    id: &str,
    title: &str,
    attribution: &str,
    file: &str,
    text: &str,
) -> Result<Layer, LoadProblem> {
    let parsed = parse_features(text).map_err(|e| LoadProblem::from_geojson(file, &e))?;
    Ok(Layer::new(kind, id, title, attribution, parsed.features))
}

impl Atlas {
    /// Load every bundled layer (see [`Atlas::load_bundled_with_progress`]).
    #[must_use]
    pub fn load_bundled() -> Self {
        Self::load_bundled_with_progress(|_| {})
    }

    /// Load every bundled layer, calling `progress` before each file. Files that fail are
    /// listed in [`Atlas::problems`]; the rest load.
    #[must_use]
    pub fn load_bundled_with_progress(mut progress: impl FnMut(LoadProgress)) -> Self {
        let total = BUNDLED_FILES.len() + 1;
        let mut atlas = Atlas::default();
        for (i, b) in BUNDLED_FILES.iter().enumerate() {
            progress(LoadProgress {
                done: i,
                total,
                current: b.file.to_string(),
            });
            let id = b
                .part_of
                .unwrap_or_else(|| b.file.trim_end_matches(".geojson"));
            match layer_from_geojson(b.kind, id, b.title, b.attribution, b.file, b.text) {
                Ok(layer) => atlas.layers.push(Arc::new(layer)),
                Err(problem) => atlas.problems.push(problem),
            }
        }
        progress(LoadProgress {
            done: BUNDLED_FILES.len(),
            total,
            current: "elevation_etopo5.bin".into(),
        });
        match ElevationGrid::from_bytes(ELEVATION_BYTES) {
            Ok(grid) => atlas.elevation = Some(Arc::new(grid)),
            Err(e) => atlas.problems.push(LoadProblem {
                file: "elevation_etopo5.bin".into(),
                message: e.to_string(),
            }),
        }
        match ElevationGrid::from_bytes(WORLD_ELEVATION_BYTES) {
            Ok(grid) => atlas.world_elevation = Some(Arc::new(grid)),
            Err(e) => atlas.problems.push(LoadProblem {
                file: "elevation_world.bin".into(),
                message: e.to_string(),
            }),
        }
        progress(LoadProgress {
            done: total,
            total,
            current: String::new(),
        });
        atlas
    }

    /// This atlas plus `layer` on top (imports).
    #[must_use]
    pub fn with_layer(&self, layer: Layer) -> Self {
        let mut next = self.clone();
        next.layers.push(Arc::new(layer));
        next
    }

    /// This atlas without the layer at `index`.
    #[must_use]
    pub fn without_layer(&self, index: usize) -> Self {
        let mut next = self.clone();
        if index < next.layers.len() {
            next.layers.remove(index);
        }
        next
    }

    /// The layer with this id (file stem for bundled layers).
    #[must_use]
    pub fn layer_index(&self, id: &str) -> Option<usize> {
        self.layers.iter().position(|l| l.id == id)
    }

    /// A feature by reference.
    #[must_use]
    pub fn feature(&self, r: FeatureRef) -> Option<&Feature> {
        self.layers.get(r.layer)?.features.get(r.feature)
    }

    /// The topmost feature under `at` among layers for which `is_visible(layer)` holds, at a
    /// map `zoom` (features below their style's `min_zoom` are not drawn, so not hit).
    /// Points beat lines beat areas: a city on a border is the city.
    #[must_use]
    pub fn hit_test(
        &self,
        at: WorldPoint,
        tolerance: f64,
        zoom: f64,
        is_visible: impl Fn(usize) -> bool,
    ) -> Option<FeatureRef> {
        let order: Vec<usize> = (0..self.layers.len())
            .rev()
            .filter(|&i| is_visible(i))
            .collect();
        // Pass 1: points and lines, top layer first; pass 2: areas.
        for &layer in &order {
            let l = &self.layers[layer];
            let shown = |f: usize| {
                l.styles
                    .get(f)
                    .is_none_or(|s| f64::from(s.min_zoom) <= zoom)
            };
            let hit = l
                .index
                .nearest_point_where(at, tolerance, shown)
                .or_else(|| l.nearest_line_where(at, tolerance, shown));
            if let Some(hit) = hit {
                return Some(FeatureRef {
                    layer,
                    feature: hit.feature,
                });
            }
        }
        order.into_iter().find_map(|layer| {
            let l = &self.layers[layer];
            l.index.polygon_at(&l.features, at).map(|hit| FeatureRef {
                layer,
                feature: hit.feature,
            })
        })
    }
}
