//! The region a suggestion runs in: its cost surface and track network, built once and
//! reused, and the zones to avoid. Its own module so the search (`polish`, `find`) imports it
//! as a sibling rather than from the parent `suggest`.

use std::sync::Arc;

use geo::{Distance, Geodesic, MultiPolygon, Point};

use crate::atlas::bundled::Atlas;
use crate::data::elevation::ElevationGrid;
use crate::data::feature::Feature;
use crate::map::index::{Part, visit};
use crate::map::layer::{Layer, LayerKind};
use crate::measure::ledger::{LedgerContext, LedgerInputs};
use crate::plan::trace::RailGraph;

use super::error::SuggestError;
use super::settings::SuggestSettings;
use super::surface::{self, CostSurface, FLAG_GATE, NO_COUNTRY, SurfaceInputs};

/// A named border post where a railway may cross (a bundled rail point of kind
/// `border-crossing` or a port of kind `border-station`).
#[derive(Clone, Debug, PartialEq)]
pub struct BorderPost {
    pub name: String,
    pub lon: f64,
    pub lat: f64,
}

impl BorderPost {
    /// The posts of `atlas`: the same points the ledger names crossings after.
    #[must_use]
    pub fn of_atlas(atlas: &Atlas) -> Vec<Self> {
        let mut posts = Vec::new();
        for (layer, kind) in [
            ("rail_points", "border-crossing"),
            ("ports", "border-station"),
        ] {
            let Some(l) = atlas.layer_index(layer).and_then(|i| atlas.layers.get(i)) else {
                continue;
            };
            for f in l.features.iter().filter(|f| f.str("kind") == Some(kind)) {
                let Some(name) = f.name() else { continue };
                let mut point = None;
                visit(&f.geometry, &mut |part| {
                    if let Part::Point(c) = part {
                        point.get_or_insert((c.x, c.y));
                    }
                });
                if let Some((lon, lat)) = point {
                    posts.push(Self {
                        name: name.to_owned(),
                        lon,
                        lat,
                    });
                }
            }
        }
        posts.sort_by(|a, b| a.name.cmp(&b.name));
        posts.dedup_by(|a, b| a.name == b.name);
        posts
    }
}

/// What the finer search near passes needs (`refine`): the finer DEM and the layers to build
/// local surfaces from.
pub(crate) struct FineTerrain {
    pub dem: Arc<ElevationGrid>,
    pub countries: Option<Arc<Layer>>,
    pub lakes: Option<Arc<Layer>>,
    pub rail: Option<Arc<Layer>>,
}

/// The terrain statement when only the bundled grid is open.
const BUNDLED_ONLY: &str =
    "bundled ETOPO5 only (5 arc-minutes, ~9 km cells; no finer DEM open: passes are approximate)";

/// A zone the suggestion must avoid (a national park, a conflict area, a city centre).
#[derive(Clone, Debug, PartialEq)]
pub struct AvoidZone {
    pub name: String,
    pub area: MultiPolygon<f64>,
    /// `None`: impassable, never crossed. `Some(m)`: building inside costs `m` times more
    /// (values below 1 are read as 1: a zone never attracts).
    pub multiplier: Option<f64>,
}

/// The cost surface and track network of a region, built once and reused for every
/// suggestion there (the GUI and the benchmark keep one per region and resolution).
pub struct SuggestContext {
    pub(super) surface: CostSurface,
    pub(super) rail: RailGraph,
    pub(super) settings: SuggestSettings,
    pub(super) dem_label: String,
    /// What every alternative is measured, described and ranked by: the same context
    /// `compare` and the Compare panel compute ledgers against.
    pub(super) ledger: Arc<LedgerContext>,
    /// Border posts (empty: every crossing is a plain border move).
    pub(super) posts: Vec<BorderPost>,
    /// Per-cell search multiplier of the border strip (land near another country away from
    /// posts); empty when the border-post rule is off or no post is known.
    pub(super) strip: Vec<f32>,
    /// A finer DEM than the bundled grid and the layers to search its mountain stretches
    /// again on ([`SuggestSettings::refine_near_passes`]); `None` with the bundled grid only.
    pub(super) fine: Option<FineTerrain>,
}

impl SuggestContext {
    /// Build from the bundled layers of `atlas` (`countries`, `lakes`, `rail`), the imported
    /// layers taken as track (an OSM rail extract) and its elevation grid; alternatives are
    /// measured against `LedgerContext::new(atlas)`, as `compare` measures them.
    pub fn new(atlas: &Atlas, settings: &SuggestSettings) -> Result<Self, SuggestError> {
        Self::with_ledger(atlas, settings, Arc::new(LedgerContext::new(atlas)))
    }

    /// [`SuggestContext::new`] measuring alternatives against `ledger` (the app passes the
    /// one its Compare panel uses, which may carry a DEM the user loaded).
    ///
    /// A finer DEM in `ledger` (an SRTM mosaic or GeoTIFF the user opened, finer than the
    /// bundled grid) is the surface's terrain wherever it has data, ETOPO5 elsewhere: passes
    /// and mountains inside it are classed and held to the maximum grade on the finer
    /// heights, the same ones the ledger measures the result on. The cell size stays the
    /// one the bundled grid gives (3 km by default), since a region-wide grid at the finer
    /// DEM's cell size would exceed `max_cells`; [`SuggestContext::terrain`] says which DEM
    /// was used.
    pub fn with_ledger(
        atlas: &Atlas,
        settings: &SuggestSettings,
        ledger: Arc<LedgerContext>,
    ) -> Result<Self, SuggestError> {
        let layer = |id: &str| {
            atlas
                .layer_index(id)
                .and_then(|i| atlas.layers.get(i))
                .map_or(&[][..], |l| l.features.as_slice())
        };
        let bundled = atlas.elevation.as_deref();
        // The inputs borrow the DEM from this handle, so `ledger` itself goes to the context.
        let dem_of_ledger = Arc::clone(&ledger);
        let finer = dem_of_ledger.dem().filter(|dem| {
            bundled.is_none_or(|b| !std::ptr::eq(*dem, b) && dem.cell_deg < b.cell_deg)
        });
        let mut settings = settings.clone();
        if finer.is_some() && settings.resolution_km.is_none() {
            let bundled_km = bundled.map_or(f64::INFINITY, |b| b.cell_deg * 111.0);
            settings.resolution_km = Some(settings.effective_resolution_km(bundled_km));
        }
        let inputs = SurfaceInputs {
            countries: layer("countries"),
            lakes: layer("lakes"),
            rail: layer("rail"),
            track_layers: atlas
                .layers
                .iter()
                .filter(|l| l.kind == LayerKind::Imported && l.is_track)
                .map(AsRef::as_ref)
                .collect(),
            elevation: finer.into_iter().chain(bundled).collect(),
        };
        let finer_label = finer.map(|_| dem_of_ledger.dem_label.clone());
        let mut ctx = Self::build(&inputs, &settings, Some(ledger))?
            .with_border_posts(BorderPost::of_atlas(atlas));
        if let (Some(dem), true) = (&dem_of_ledger.dem, finer_label.is_some()) {
            let by_id = |id: &str| {
                atlas
                    .layer_index(id)
                    .and_then(|i| atlas.layers.get(i))
                    .cloned()
            };
            ctx.fine = settings.refine_near_passes.then(|| FineTerrain {
                dem: Arc::clone(dem),
                countries: by_id("countries"),
                lakes: by_id("lakes"),
                rail: by_id("rail"),
            });
        }
        let refined = if ctx.fine.is_some() {
            ", mountain stretches re-searched on it"
        } else {
            ""
        };
        ctx.dem_label = match (finer_label, bundled.is_some()) {
            (Some(label), true) => {
                format!("{label} where it has data{refined}, bundled ETOPO5 elsewhere")
            }
            (Some(label), false) => label,
            (None, true) => BUNDLED_ONLY.to_owned(),
            (None, false) => ctx.dem_label,
        };
        Ok(ctx)
    }

    /// Build from explicit features (tests, a finer DEM in `inputs.elevation`); the ledger
    /// context is indexed from the same features (no places, no border posts: add them
    /// with [`SuggestContext::with_ledger_context`] and [`SuggestContext::with_border_posts`]).
    pub fn from_inputs(
        inputs: &SurfaceInputs<'_>,
        settings: &SuggestSettings,
    ) -> Result<Self, SuggestError> {
        Self::build(inputs, settings, None)
    }

    /// The surface and track graph of `inputs`, measured against `ledger` or, when `None`, a
    /// ledger context indexed from `inputs` (copies of their track layers: tests only).
    fn build(
        inputs: &SurfaceInputs<'_>,
        settings: &SuggestSettings,
        ledger: Option<Arc<LedgerContext>>,
    ) -> Result<Self, SuggestError> {
        let mut surface = CostSurface::build(inputs, settings)?;
        // No border post known yet: no crossing is a new gate (see `with_border_posts`).
        surface.model.new_gate_penalty_usd = 0.0;
        let track: Vec<Feature> = inputs
            .rail
            .iter()
            .filter(|f| surface::is_track(f, settings.ledger.reuse_rule()))
            .cloned()
            .collect();
        let layer = Layer::new(LayerKind::Rail, "rail", "Existing track", "", track);
        // Imported layers go in as they are: the graph keeps references, not copies, and
        // takes their ways by OSM's tags.
        let mut layers = vec![&layer];
        layers.extend(inputs.track_layers.iter().copied());
        let ledger = ledger.unwrap_or_else(|| Arc::new(ledger_of_inputs(inputs)));
        Ok(Self {
            surface,
            rail: RailGraph::build_with_rule(&layers, settings.ledger.reuse_rule()),
            settings: settings.clone(),
            ledger,
            posts: Vec::new(),
            strip: Vec::new(),
            fine: None,
            dem_label: if inputs.elevation.is_empty() {
                "no terrain data".to_owned()
            } else {
                "terrain".to_owned()
            },
        })
    }

    /// Measure alternatives against `ledger` (the app passes the one its Compare panel uses,
    /// so both show the same figures).
    #[must_use]
    pub fn with_ledger_context(mut self, ledger: Arc<LedgerContext>) -> Self {
        self.ledger = ledger;
        self
    }

    /// Cross borders at `posts`: cells within `gate_radius_km` of a post are gates, a border
    /// that a post's gate reaches is crossed only at gates (a border without any post, at a
    /// new gate that pays the penalty), land within `border_strip_km` of another country
    /// elsewhere is the border strip. Does nothing to the search when the settings'
    /// `border_posts` is off.
    #[must_use]
    pub fn with_border_posts(mut self, posts: Vec<BorderPost>) -> Self {
        self.posts = posts;
        self.strip = Vec::new();
        self.surface.model.new_gate_penalty_usd = 0.0;
        self.surface.set_gated_pairs(&[]);
        let settings = &self.settings;
        if !settings.border_posts || self.posts.is_empty() {
            return self;
        }
        self.surface.model.new_gate_penalty_usd =
            super::surface::CostModel::from_settings(settings).new_gate_penalty_usd;
        let grid = self.surface.grid;
        let cell_h_km = grid.cell_lat_deg * 111.0;
        let mut gate = vec![false; grid.len()];
        let mut gated_pairs = Vec::new();
        for post in &self.posts {
            let Some((col, row)) = grid.cell_at(post.lon, post.lat) else {
                continue;
            };
            let here = Point::new(post.lon, post.lat);
            // The countries this post's gate reaches: the border between any two of them has
            // a post, so it is crossed only at posts.
            let mut countries: Vec<u16> = Vec::new();
            for_cells_within(
                &self.surface,
                col,
                row,
                settings.gate_radius_km + cell_h_km,
                |i, lon, lat| {
                    if Geodesic.distance(here, Point::new(lon, lat))
                        <= settings.gate_radius_km * 1000.0
                    {
                        gate[i] = true;
                        let c = self.surface.country(i);
                        if c != NO_COUNTRY && !countries.contains(&c) {
                            countries.push(c);
                        }
                    }
                },
            );
            for (k, &a) in countries.iter().enumerate() {
                for &b in &countries[k + 1..] {
                    gated_pairs.push((a, b));
                }
            }
        }
        self.surface.set_gated_pairs(&gated_pairs);
        for (i, g) in gate.iter().enumerate() {
            if *g {
                let flags = self.surface.flags(i) | FLAG_GATE;
                self.surface.set_flags(i, flags);
            }
        }
        // The border strip: every land cell within `border_strip_km` of a cell whose
        // 4-neighbour lies in another country, except gates.
        let mut strip = vec![1.0f32; grid.len()];
        let factor = settings.border_strip_multiplier as f32;
        let country = |c: usize, r: usize| self.surface.country(grid.index(c, r));
        for r in 0..grid.rows {
            for c in 0..grid.cols {
                let here = country(c, r);
                if here == NO_COUNTRY {
                    continue;
                }
                let differs = |c2: usize, r2: usize| {
                    let other = country(c2, r2);
                    other != NO_COUNTRY && other != here
                };
                let on_border = (c + 1 < grid.cols && differs(c + 1, r))
                    || (r + 1 < grid.rows && differs(c, r + 1));
                if on_border {
                    for_cells_within(&self.surface, c, r, settings.border_strip_km, |i, _, _| {
                        if !gate[i] && self.surface.country(i) != NO_COUNTRY {
                            strip[i] = factor;
                        }
                    });
                }
            }
        }
        self.strip = strip;
        self
    }

    /// The border posts borders are crossed at.
    #[must_use]
    pub fn border_posts(&self) -> &[BorderPost] {
        &self.posts
    }

    /// The context alternatives' ledgers are computed against.
    #[must_use]
    pub fn ledger_context(&self) -> &LedgerContext {
        &self.ledger
    }

    #[must_use]
    pub fn surface(&self) -> &CostSurface {
        &self.surface
    }

    /// The surface, to edit cells of a synthetic test surface.
    pub fn surface_mut(&mut self) -> &mut CostSurface {
        &mut self.surface
    }

    #[must_use]
    pub fn settings(&self) -> &SuggestSettings {
        &self.settings
    }

    /// The existing-track network (for tracing where a suggestion follows it).
    #[must_use]
    pub fn rail(&self) -> &RailGraph {
        &self.rail
    }

    /// Which elevation model the surface's terrain and maximum-grade rule use ("bundled
    /// ETOPO5 only …", or the finer DEM's label "… where it has data, bundled ETOPO5
    /// elsewhere"): stated on every result.
    #[must_use]
    pub fn terrain(&self) -> &str {
        &self.dem_label
    }

    /// Cell size (km) at the region's middle latitude.
    #[must_use]
    pub fn resolution_km(&self) -> f64 {
        self.surface.grid.cell_lat_deg * 111.0
    }
}

/// Call `f(index, lon, lat)` for every cell whose centre lies within a box of `km` around
/// cell (`col`, `row`) and within `km` of it on the local plane.
fn for_cells_within(
    surface: &CostSurface,
    col: usize,
    row: usize,
    km: f64,
    mut visit: impl FnMut(usize, f64, f64),
) {
    let grid = &surface.grid;
    let cell_h_km = grid.cell_lat_deg * 111.0;
    let cell_w_km = (grid.cell_lon_deg * 111.32 * surface.row_cos(row)).max(1e-6);
    let rc = (km / cell_w_km).ceil() as i64;
    let rr = (km / cell_h_km).ceil() as i64;
    for dr in -rr..=rr {
        for dc in -rc..=rc {
            let (east_km, north_km) = (dc as f64 * cell_w_km, dr as f64 * cell_h_km);
            if east_km * east_km + north_km * north_km > km * km {
                continue;
            }
            let (col2, row2) = (col as i64 + dc, row as i64 + dr);
            if col2 < 0 || row2 < 0 || col2 >= grid.cols as i64 || row2 >= grid.rows as i64 {
                continue;
            }
            let (col2, row2) = (col2 as usize, row2 as usize);
            let (lon, lat) = grid.centre(col2, row2);
            visit(grid.index(col2, row2), lon, lat);
        }
    }
}

/// A ledger context indexed from `inputs`: countries, track (copies of the track layers) and
/// the first elevation grid; no places or border posts.
fn ledger_of_inputs(inputs: &SurfaceInputs<'_>) -> LedgerContext {
    LedgerContext::from_inputs(&LedgerInputs {
        countries: inputs.countries,
        rail: inputs.rail,
        rail_points: &[],
        ports: &[],
        cities: &[],
        elevation: inputs.elevation.first().map(|g| Arc::new((*g).clone())),
    })
    .with_track_layers(
        inputs
            .track_layers
            .iter()
            .map(|l| {
                Arc::new(Layer::with_track(
                    l.kind,
                    l.id.clone(),
                    l.title.clone(),
                    l.attribution.clone(),
                    l.features.clone(),
                    l.is_track,
                ))
            })
            .collect(),
    )
}
