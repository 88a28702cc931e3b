//! The map: walkers draws the basemap tiles; we draw the vector layers, labels, hover and
//! selection on top, and report what the pointer is over.

use egui::{Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Ui, vec2};
use walkers::{Map, MapMemory, lon_lat};

use super::command::Command;
use super::layers_panel::LayerUi;
use super::paint::{ScreenTransform, color, fill_shape, halo_text, push_line, push_marker};
use super::sketch::{Click, Sketch, SketchContext};
use super::tiles::Basemaps;
use super::tiles::layer_tiles::LayerTiles;
use corridor_domain::Atlas;
use corridor_domain::atlas::bundled::corridor_region;
use corridor_domain::draw::render::map::corridor_label_sources;
use corridor_domain::map::label_lines::{LineObstacles, track_lines_px};
use corridor_domain::map::labels::{LabelCandidate, place_labels_clear, text_key};
use corridor_domain::map::layer::FeatureRef;
use corridor_domain::map::mercator::{
    lonlat_from_world, world_from_lonlat, world_per_px, zoom_to_fit,
};
use corridor_domain::map::style::{Dash, LineStyle};
use corridor_domain::plan::scenario::model::Scenario;

/// Pixels within which the pointer hits a point or line.
pub const HIT_TOLERANCE_PX: f64 = 6.0;

/// Lowest and highest zoom the map allows.
pub const MIN_ZOOM: f64 = 2.0;
pub const MAX_ZOOM: f64 = 16.0;

/// What persists between frames for the map widget.
pub struct MapState {
    pub memory: MapMemory,
    /// Fit the corridor region on the next frame (first frame, Home key, View menu).
    pub fit_pending: bool,
    /// Pixel size of the map at the last frame, for zoom-to-fit.
    pub last_rect: Option<Rect>,
}

impl Default for MapState {
    fn default() -> Self {
        let mut memory = MapMemory::default();
        let c = corridor_region().center();
        let (lon, lat) = lonlat_from_world(c);
        memory.center_at(lon_lat(lon, lat));
        // Zoom 4 shows the region on a laptop screen; refined to fit on the first frame.
        let _ = memory.set_zoom(4.0);
        Self {
            memory,
            fit_pending: true,
            last_rect: None,
        }
    }
}

impl MapState {
    /// Centre and zoom so the corridor region fills a map of `rect`'s size.
    pub fn fit_region(&mut self, rect: Rect) {
        let region = corridor_region();
        let zoom = zoom_to_fit(
            &region,
            f64::from(rect.width()),
            f64::from(rect.height()),
            8.0,
        )
        .clamp(MIN_ZOOM, MAX_ZOOM);
        let (lon, lat) = lonlat_from_world(region.center());
        self.memory.center_at(lon_lat(lon, lat));
        let _ = self.memory.set_zoom(zoom);
    }

    /// Zoom by `delta` levels, within limits.
    pub fn zoom_by(&mut self, delta: f64) {
        let z = (self.memory.zoom() + delta).clamp(MIN_ZOOM, MAX_ZOOM);
        let _ = self.memory.set_zoom(z);
    }

    /// Current zoom level.
    #[must_use]
    pub fn zoom(&self) -> f64 {
        self.memory.zoom()
    }
}

/// What the map reports after a frame.
#[derive(Default)]
pub struct MapOutput {
    pub hovered: Option<FeatureRef>,
    /// What the sketch tools asked for this frame.
    pub commands: Vec<Command>,
    /// What a click on the map hit, if the user clicked and no tool took the click.
    pub clicked: Option<Click>,
    pub pointer_lonlat: Option<(f64, f64)>,
}

/// Everything the map needs to draw, borrowed from the app.
pub struct MapInputs<'a> {
    pub atlas: Option<&'a Atlas>,
    pub layers: &'a [LayerUi],
    pub selected: Option<FeatureRef>,
    pub hovered: Option<FeatureRef>,
    pub attribution: &'a str,
    pub dark: bool,
    pub scenario: &'a Scenario,
    /// A point to mark (the profile's hover position on the selected alternative).
    pub marker: Option<(f64, f64)>,
    /// Set in presentation mode.
    pub presenting: Option<Presenting<'a>>,
    /// The alternatives' ledgers: their curves are drawn at street zoom.
    pub ledgers: Option<&'a super::compare::LedgerCache>,
}

/// What presentation mode changes in how the map draws.
#[derive(Clone, Copy)]
pub struct Presenting<'a> {
    pub highlight: &'a [corridor_domain::plan::scenario::model::AlignmentId],
    pub reveal: Option<(corridor_domain::plan::scenario::model::AlignmentId, f64)>,
    /// Whether a drag pans the map (map mode, or Shift held). When false, drags are the
    /// laser's or the ink's.
    pub pan: bool,
    /// Whether the wheel and double-click zoom (map mode only).
    pub zoom: bool,
}

/// Show the map in the remaining space of `ui`.
pub fn map_ui(
    ui: &mut Ui,
    state: &mut MapState,
    basemaps: &mut Basemaps,
    layer_tiles: &mut LayerTiles,
    sketch: &mut Sketch,
    inputs: &MapInputs<'_>,
) -> MapOutput {
    let rect = ui.available_rect_before_wrap();
    if state.fit_pending && rect.width() > 50.0 && rect.height() > 50.0 {
        state.fit_region(rect);
        // Panels settle their sizes over the first frames: keep fitting until the map's
        // rectangle is the same two frames running.
        if state.last_rect == Some(rect) {
            state.fit_pending = false;
        }
    }
    state.last_rect = Some(rect);
    ui.painter().rect_filled(rect, 0.0, basemaps.background());

    let c = corridor_region().center();
    let (lon, lat) = lonlat_from_world(c);
    // Panning with the primary button is off while a handle is dragged (see Sketch), and
    // every mouse gesture is off while presenting outside map mode (ink and laser own it).
    let (pan, zoom) = inputs.presenting.map_or((true, true), |p| (p.pan, p.zoom));
    if zoom {
        wheel_zoom(ui, rect, state, (lon, lat));
    }
    let pan_buttons = if !pan {
        egui::DragPanButtons::empty()
    } else if sketch.primary_drag_pans(ui, inputs.scenario) {
        egui::DragPanButtons::PRIMARY | egui::DragPanButtons::MIDDLE
    } else {
        egui::DragPanButtons::MIDDLE
    };
    let map = Map::new(None, &mut state.memory, lon_lat(lon, lat))
        .zoom_with_ctrl(false)
        .drag_pan_buttons(pan_buttons)
        .zoom_gesture(zoom)
        .double_click_to_zoom(zoom && sketch.double_click_zooms());
    let map = basemaps.with_layers(map);
    // Large layers: cached tiles over the basemap, under the vector layers.
    let tiled: Vec<bool> = inputs.atlas.map_or_else(Vec::new, |a| {
        a.layers
            .iter()
            .map(|l| layer_tiles.is_tiled(&l.id))
            .collect()
    });
    let map = layer_tiles.with_layers(map, |id| {
        inputs
            .layers
            .iter()
            .find(|l| l.id == id && l.visible)
            .map(|l| l.opacity)
    });
    let mut out = MapOutput::default();
    map.show(ui, |ui, response, projector, _memory| {
        let t = ScreenTransform::from_projector(projector);
        let painter = ui.painter().with_clip_rect(response.rect);
        if let Some(atlas) = inputs.atlas {
            draw_layers(&painter, atlas, inputs, &tiled, &t, response.rect);
            draw_labels(&painter, atlas, inputs, &t, response.rect);
            let hover_pos = response.hover_pos();
            if let Some(pos) = hover_pos {
                out.hovered = hit(atlas, inputs.layers, &t, pos);
                out.pointer_lonlat = Some(lonlat_from_world(t.world(pos)));
            }
            if response.clicked() {
                out.clicked = Some(
                    response
                        .interact_pointer_pos()
                        .and_then(|pos| hit(atlas, inputs.layers, &t, pos))
                        .map_or(Click::Empty, Click::Feature),
                );
            }
            for (r, is_selection) in [(inputs.hovered, false), (inputs.selected, true)] {
                if let Some(r) = r {
                    draw_highlight(&painter, atlas, r, &t, is_selection);
                }
            }
        }
        let visible = |i: usize| {
            inputs
                .layers
                .get(i)
                .is_some_and(|l| l.visible && l.opacity > 0.0)
        };
        let ctx = SketchContext {
            scenario: inputs.scenario,
            atlas: inputs.atlas,
            layer_visible: &visible,
            snap_tolerance_px: inputs.scenario.settings.snap_tolerance_px,
            read_only: inputs.presenting.is_some(),
            highlight: inputs.presenting.map_or(&[], |p| p.highlight),
            reveal: inputs.presenting.and_then(|p| p.reveal),
        };
        out.commands = sketch.map_ui(ui, response, &painter, &t, &ctx, &mut out.clicked);
        if let Some(ledgers) = inputs.ledgers {
            super::curves_view::draw_curves(&painter, &t, inputs.scenario, ledgers, inputs.dark);
        }
        if let Some((lon, lat)) = inputs.marker {
            let p = t.screen(corridor_domain::map::mercator::world_from_lonlat(lon, lat));
            painter.circle(
                p,
                7.0,
                egui::Color32::from_rgb(200, 0, 200),
                Stroke::new(2.0, egui::Color32::WHITE),
            );
        }
        draw_attribution(&painter, response.rect, inputs.attribution, inputs.dark);
        let s = inputs
            .presenting
            .map_or(1.0, |_| slide_scale(response.rect));
        super::paint::draw_scale_bar(&painter, &t, response.rect, inputs.dark, s);
    });
    if inputs.presenting.is_none() {
        zoom_buttons_ui(ui, rect, state);
    }
    out
}

fn hit(atlas: &Atlas, layers: &[LayerUi], t: &ScreenTransform, pos: Pos2) -> Option<FeatureRef> {
    atlas.hit_test(
        t.world(pos),
        HIT_TOLERANCE_PX * t.world_per_px(),
        t.zoom,
        |i| layers.get(i).is_some_and(|l| l.visible && l.opacity > 0.0),
    )
}

fn draw_layers(
    painter: &egui::Painter,
    atlas: &Atlas,
    inputs: &MapInputs<'_>,
    tiled: &[bool],
    t: &ScreenTransform,
    rect: Rect,
) {
    let view = t.view_rect(rect).expanded(16.0 * t.world_per_px());
    let mut shapes: Vec<Shape> = Vec::new();
    for (li, layer) in atlas.layers.iter().enumerate() {
        let Some(ui_state) = inputs.layers.get(li) else {
            continue;
        };
        if tiled.get(li).copied().unwrap_or(false) {
            continue; // drawn from its tiles
        }
        if !ui_state.visible || ui_state.opacity <= 0.0 {
            continue;
        }
        let opacity = ui_state.opacity;
        let shapes_at = layer.lod.level_at(t.zoom);
        for fi in layer.index.in_view(&view) {
            let (true, Some(style)) = (fi < shapes_at.len(), layer.styles.get(fi)) else {
                continue;
            };
            let shape = shapes_at.shape(fi);
            if f64::from(style.min_zoom) > t.zoom {
                continue;
            }
            if let (Some(mesh), Some(fill)) = (shape.fill(), style.fill) {
                shapes.push(fill_shape(mesh, t, color(fill, opacity)));
            }
            if let Some(line) = &style.line {
                for path in shape.outlines() {
                    push_line(
                        &mut shapes,
                        path.iter().map(|&w| t.screen(w)).collect(),
                        line,
                        opacity,
                    );
                }
            }
            if let Some(marker) = &style.marker {
                for &p in shape.points() {
                    push_marker(&mut shapes, t.screen(p), marker, opacity);
                }
            }
        }
    }
    painter.extend(shapes);
}

fn draw_labels(
    painter: &egui::Painter,
    atlas: &Atlas,
    inputs: &MapInputs<'_>,
    t: &ScreenTransform,
    rect: Rect,
) {
    let view = t.view_rect(rect);
    // Presenting: the slides' label size (30 px at 1080p), legible from the back row.
    let font = FontId::proportional(inputs.presenting.map_or(13.0, |_| {
        corridor_domain::plan::scenario::story::SlideLayout::new(
            f64::from(rect.width()),
            f64::from(rect.height()),
        )
        .label_px as f32
    }));
    let (text_color, halo) = if inputs.dark {
        (Color32::from_gray(235), Color32::from_black_alpha(200))
    } else {
        (Color32::from_gray(25), Color32::from_white_alpha(220))
    };
    let visible = |li: usize| {
        inputs
            .layers
            .get(li)
            .is_some_and(|l| l.visible && l.opacity > 0.0)
    };
    // Presenting: the places on the alternatives in play are always named (as on slides).
    let corridor_px: Vec<[f64; 2]> = inputs.presenting.map_or_else(Vec::new, |p| {
        let in_play = |id| {
            (p.highlight.is_empty() && p.reveal.is_none())
                || p.highlight.contains(&id)
                || p.reveal.is_some_and(|(r, _)| r == id)
        };
        inputs
            .scenario
            .alignments
            .iter()
            .filter(|a| in_play(a.id))
            .flat_map(|a| &a.vertices)
            .map(|v| {
                let p = t.screen(corridor_domain::map::mercator::world_from_lonlat(
                    v.lon, v.lat,
                ));
                [f64::from(p.x), f64::from(p.y)]
            })
            .collect()
    });
    let to_px = |w| {
        let p = t.screen(w);
        [f64::from(p.x), f64::from(p.y)]
    };
    let (sources, pinned) = corridor_label_sources(
        &atlas.layers,
        visible,
        (t.zoom, t.zoom),
        &view,
        (&corridor_px, 6.0),
        to_px,
    );
    let mut candidates = Vec::new();
    let mut galleys = Vec::new();
    for (src, &pin) in sources.iter().zip(&pinned) {
        let galley = painter.layout_no_wrap(src.name.to_owned(), font.clone(), text_color);
        let size = galley.size();
        candidates.push(LabelCandidate {
            text_key: text_key(src.name),
            rank: if pin { 0 } else { src.rank.saturating_add(1) },
            weight: src.weight,
            anchor: t.screen(src.at).into(),
            size: [size.x, size.y],
            marker_radius: src.marker_radius_px,
        });
        galleys.push(galley);
    }
    // Names keep off the track and the alternatives where a side of the place is free.
    let mut lines = track_lines_px(&atlas.layers, visible, t.zoom, &view, |w| {
        t.screen(w).into()
    });
    lines.extend(inputs.scenario.alignments.iter().map(|a| {
        a.vertices
            .iter()
            .map(|v| {
                t.screen(corridor_domain::map::mercator::world_from_lonlat(
                    v.lon, v.lat,
                ))
                .into()
            })
            .collect::<Vec<[f32; 2]>>()
    }));
    let obstacles = LineObstacles::new(&lines);
    for placed in place_labels_clear(&candidates, 2.0, &pinned, &obstacles) {
        let galley = &galleys[placed.candidate];
        halo_text(
            painter,
            Pos2::new(placed.rect[0], placed.rect[1]),
            galley,
            text_color,
            halo,
        );
    }
}

fn draw_highlight(
    painter: &egui::Painter,
    atlas: &Atlas,
    r: FeatureRef,
    t: &ScreenTransform,
    selected: bool,
) {
    let Some(layer) = atlas.layers.get(r.layer) else {
        return;
    };
    let level = layer.lod.level_at(t.zoom);
    if r.feature >= level.len() {
        return;
    }
    let shape = level.shape(r.feature);
    let c = if selected {
        [0, 200, 255, 255]
    } else {
        [255, 200, 0, 255]
    };
    // Hover is a hint, not a statement: a thin, half-transparent outline (a country under
    // the pointer no longer lights up in thick yellow). The selection stays bold.
    let style = LineStyle {
        color: c,
        width_px: if selected { 4.0 } else { 1.5 },
        dash: Dash::Solid,
    };
    let opacity = if selected { 0.9 } else { 0.55 };
    let mut shapes = Vec::new();
    if let (Some(mesh), true) = (shape.fill(), selected) {
        shapes.push(fill_shape(mesh, t, color([0, 200, 255, 40], 1.0)));
    }
    for path in shape.outlines() {
        push_line(
            &mut shapes,
            path.iter().map(|&w| t.screen(w)).collect(),
            &style,
            opacity,
        );
    }
    for &p in shape.points() {
        shapes.push(Shape::circle_stroke(
            t.screen(p),
            if selected { 9.0 } else { 7.0 },
            Stroke::new(style.width_px.min(3.0), color(c, opacity)),
        ));
    }
    painter.extend(shapes);
}

/// The slide scale of a presentation filling `rect` (1 at 1080 px high).
fn slide_scale(rect: Rect) -> f32 {
    corridor_domain::plan::scenario::story::SlideLayout::new(
        f64::from(rect.width()),
        f64::from(rect.height()),
    )
    .scale as f32
}

fn draw_attribution(painter: &egui::Painter, rect: Rect, text: &str, dark: bool) {
    let font = FontId::proportional(11.0);
    let (fg, bg) = if dark {
        (Color32::from_gray(220), Color32::from_black_alpha(170))
    } else {
        (Color32::from_gray(40), Color32::from_white_alpha(190))
    };
    let galley = painter.layout(text.to_owned(), font, fg, rect.width() - 16.0);
    let pos = rect.right_bottom() - galley.size() - vec2(6.0, 4.0);
    painter.rect_filled(
        Rect::from_min_size(pos - vec2(4.0, 2.0), galley.size() + vec2(8.0, 4.0)),
        3.0,
        bg,
    );
    painter.galley(pos, galley, fg);
}

/// Zoom of one wheel notch, in levels. walkers' own wheel zoom scales with the frame time
/// (a notch jumped ~1.3 levels on a slow software-rendered frame); this step is fixed.
pub const WHEEL_STEP: f64 = 0.5;

/// Wheel zoom in fixed steps about the pointer: a notch (one line) is [`WHEEL_STEP`] levels,
/// pixel-precise touchpad scrolling zooms in proportion (80 points a step), and no event
/// zooms more than a step. The place under the pointer stays under it. Takes the scroll, so
/// walkers does not zoom as well; Ctrl+wheel and pinch stay with walkers.
fn wheel_zoom(ui: &mut Ui, rect: Rect, state: &mut MapState, home: (f64, f64)) {
    let Some(pointer) = ui.ctx().pointer_hover_pos() else {
        return;
    };
    if !ui.rect_contains_pointer(rect) {
        return;
    }
    let levels: f64 = ui.input(|i| {
        i.events
            .iter()
            .map(|e| match e {
                egui::Event::MouseWheel {
                    unit,
                    delta,
                    modifiers,
                    ..
                } if !modifiers.command && !modifiers.ctrl => {
                    let steps = match unit {
                        egui::MouseWheelUnit::Line => f64::from(delta.y),
                        egui::MouseWheelUnit::Point => f64::from(delta.y) / 80.0,
                        egui::MouseWheelUnit::Page => f64::from(delta.y.signum()),
                    };
                    steps.clamp(-1.0, 1.0) * WHEEL_STEP
                }
                _ => 0.0,
            })
            .sum()
    });
    ui.input_mut(|i| {
        if !i.modifiers.command && !i.modifiers.ctrl {
            i.smooth_scroll_delta = egui::Vec2::ZERO;
        }
    });
    if levels.abs() < 1e-12 {
        return;
    }
    let zoom = state.zoom();
    let new_zoom = (zoom + levels).clamp(MIN_ZOOM, MAX_ZOOM);
    let centre = state.memory.detached().map_or(home, |p| (p.x(), p.y()));
    let c = world_from_lonlat(centre.0, centre.1);
    let offset = pointer - rect.center();
    let (dx, dy) = (f64::from(offset.x), f64::from(offset.y));
    let (before, after) = (world_per_px(zoom), world_per_px(new_zoom));
    let under = [c[0] + dx * before, c[1] + dy * before];
    let (lon, lat) = lonlat_from_world([under[0] - dx * after, under[1] - dy * after]);
    state.memory.center_at(lon_lat(lon, lat));
    let _ = state.memory.set_zoom(new_zoom);
}

fn zoom_buttons_ui(ui: &mut Ui, rect: Rect, state: &mut MapState) {
    let area = Rect::from_min_size(rect.right_top() + vec2(-44.0, 10.0), vec2(34.0, 100.0));
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(area).sense(Sense::hover()));
    child.vertical(|ui| {
        let size = vec2(32.0, 28.0);
        if ui
            .add_sized(size, egui::Button::new("+"))
            .on_hover_text("Zoom in (+)")
            .clicked()
        {
            state.zoom_by(1.0);
        }
        if ui
            .add_sized(size, egui::Button::new("−"))
            .on_hover_text("Zoom out (−)")
            .clicked()
        {
            state.zoom_by(-1.0);
        }
        if ui
            .add_sized(size, egui::Button::new("Fit"))
            .on_hover_text("Whole corridor region (Home)")
            .clicked()
        {
            state.fit_pending = true;
        }
    });
}
