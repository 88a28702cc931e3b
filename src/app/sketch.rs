//! Sketching on the map: the Select, Draw and Ruler tools. Tools never change the scenario:
//! they return [`Command`]s, and the app applies each edit in one place (with undo). The map
//! widget (`map_view.rs`) calls in here; nothing here calls the map widget.

use egui::{Color32, FontId, Key, Painter, PointerButton, Pos2, Response, Shape, Stroke, Ui, vec2};

use super::command::Command;
use super::paint::{ScreenTransform, color, halo_text};
use corridor_domain::Atlas;
use corridor_domain::draw::render::lanes::{lanes, offset_polyline};
use corridor_domain::map::layer::FeatureRef;
use corridor_domain::map::mercator::{lonlat_from_world, world_from_lonlat};
use corridor_domain::measure::geodesic::format_km;
use corridor_domain::measure::ruler::{distance_m, measure_polyline};
use corridor_domain::plan::scenario::edit::Edit;
use corridor_domain::plan::scenario::history::UndoGroup;
use corridor_domain::plan::scenario::model::{Alignment, AlignmentId, Scenario, SnapRef, Vertex};
use corridor_domain::plan::snap::{Snap, snap};

/// Pixels within which a vertex or midpoint handle is grabbed.
const HANDLE_PX: f32 = 8.0;
/// Pixels within which a click selects an alignment.
const LINE_PICK_PX: f32 = 6.0;

/// The active tool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    /// Click to select alignments or features; drag handles to edit the selected alignment.
    #[default]
    Select,
    /// Click to add vertices; double-click or Enter finishes, Backspace undoes a vertex, Esc cancels.
    Draw,
    /// Click to measure; Esc clears.
    Ruler,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Select, Tool::Draw, Tool::Ruler];

    /// Toolbar label.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Tool::Select => "Select",
            Tool::Draw => "Draw",
            Tool::Ruler => "Ruler",
        }
    }

    /// Keyboard shortcut.
    #[must_use]
    pub fn key(self) -> Key {
        match self {
            Tool::Select => Key::S,
            Tool::Draw => Key::D,
            Tool::Ruler => Key::R,
        }
    }
}

/// A click on the map that no tool consumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Click {
    /// On a feature of a visible layer.
    Feature(FeatureRef),
    /// On empty map (clears the selection).
    Empty,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Drag {
    Vertex {
        id: AlignmentId,
        index: usize,
        group: UndoGroup,
    },
    Whole {
        id: AlignmentId,
        group: UndoGroup,
        last: (f64, f64),
    },
}

/// Tool state that lives between frames.
#[derive(Default)]
pub struct Sketch {
    pub tool: Tool,
    /// The alignment whose handles are shown.
    pub selected: Option<AlignmentId>,
    /// The vertex last clicked or dragged (Delete removes it).
    pub active_vertex: Option<usize>,
    /// Vertices of the alignment being drawn.
    pub drawing: Vec<Vertex>,
    /// Points of the ruler (lon, lat).
    pub ruler: Vec<(f64, f64)>,
    /// What the cursor snaps to right now.
    pub snap: Option<Snap>,
    /// Cursor position (after snapping) in lon/lat.
    pub cursor_lonlat: Option<(f64, f64)>,
    drag: Option<Drag>,
    next_group: u64,
    last_transform: Option<ScreenTransform>,
}

/// What the tools see of the app this frame.
pub struct SketchContext<'a> {
    pub scenario: &'a Scenario,
    pub atlas: Option<&'a Atlas>,
    pub layer_visible: &'a dyn Fn(usize) -> bool,
    pub snap_tolerance_px: f32,
    /// Presentation: no tool takes input; the map only shows.
    pub read_only: bool,
    /// Presentation: these alternatives stand out, the others are dimmed (empty: none dimmed).
    pub highlight: &'a [AlignmentId],
    /// Presentation: this alternative is drawn up to this fraction of its length.
    pub reveal: Option<(AlignmentId, f64)>,
}

fn lonlat_of(v: &Vertex) -> (f64, f64) {
    (v.lon, v.lat)
}

fn screen_of(t: &ScreenTransform, lon: f64, lat: f64) -> Pos2 {
    t.screen(world_from_lonlat(lon, lat))
}

/// Distance from `p` to the segment `a`–`b` (pixels).
fn dist_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len2 = ab.length_sq();
    if len2 <= f32::EPSILON {
        return (p - a).length();
    }
    let t = ((p - a).dot(ab) / len2).clamp(0.0, 1.0);
    (p - (a + ab * t)).length()
}

/// The first `fraction` of an alignment's geodesic length, on screen (the reveal).
fn partial_polyline(a: &Alignment, t: &ScreenTransform, fraction: f64) -> Vec<Pos2> {
    let pts: Vec<(f64, f64)> = a.vertices.iter().map(lonlat_of).collect();
    let segs = measure_polyline(&pts);
    let total = segs.last().map_or(0.0, |s| s.cumulative_m);
    let goal = total * fraction.clamp(0.0, 1.0);
    let mut out = Vec::new();
    let mut start_m = 0.0;
    for (seg, w) in segs.iter().zip(pts.windows(2)) {
        let (a_px, b_px) = (screen_of(t, w[0].0, w[0].1), screen_of(t, w[1].0, w[1].1));
        if out.is_empty() {
            out.push(a_px);
        }
        if seg.cumulative_m <= goal {
            out.push(b_px);
        } else {
            let f = if seg.length_m > 0.0 {
                ((goal - start_m) / seg.length_m) as f32
            } else {
                0.0
            };
            out.push(a_px + (b_px - a_px) * f.clamp(0.0, 1.0));
            break;
        }
        start_m = seg.cumulative_m;
    }
    out
}

/// What a press at a screen position would grab on the selected alignment.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Grab {
    Vertex(usize),
    /// The midpoint handle of the segment starting at this vertex.
    Midpoint(usize),
    Line,
}

fn grab_at(a: &Alignment, t: &ScreenTransform, p: Pos2) -> Option<Grab> {
    let pts: Vec<Pos2> = a
        .vertices
        .iter()
        .map(|v| screen_of(t, v.lon, v.lat))
        .collect();
    let nearest_vertex = pts
        .iter()
        .enumerate()
        .map(|(i, q)| (i, (*q - p).length()))
        .min_by(|x, y| x.1.total_cmp(&y.1));
    if let Some((i, d)) = nearest_vertex
        && d <= HANDLE_PX
    {
        return Some(Grab::Vertex(i));
    }
    for (i, w) in pts.windows(2).enumerate() {
        let mid = w[0] + (w[1] - w[0]) * 0.5;
        if (mid - p).length() <= HANDLE_PX && (w[1] - w[0]).length() > 3.0 * HANDLE_PX {
            return Some(Grab::Midpoint(i));
        }
    }
    pts.windows(2)
        .any(|w| dist_to_segment(p, w[0], w[1]) <= LINE_PICK_PX)
        .then_some(Grab::Line)
}

/// The alignment whose line passes within a few pixels of `p` (topmost = last drawn).
fn alignment_at(s: &Scenario, t: &ScreenTransform, p: Pos2) -> Option<AlignmentId> {
    s.alignments.iter().rev().find_map(|a| {
        let pts: Vec<Pos2> = a
            .vertices
            .iter()
            .map(|v| screen_of(t, v.lon, v.lat))
            .collect();
        pts.windows(2)
            .any(|w| dist_to_segment(p, w[0], w[1]) <= LINE_PICK_PX)
            .then_some(a.id)
    })
}

impl Sketch {
    /// A fresh group for the drag starting now.
    fn new_group(&mut self) -> UndoGroup {
        self.next_group += 1;
        UndoGroup::Drag(self.next_group)
    }

    /// Whether a primary drag should pan the map this frame. False while a handle is being
    /// dragged, or when the button went down on a handle of the selected alignment: walkers
    /// decides panning before our code sees the frame, so this is asked before the map is built.
    #[must_use]
    pub fn primary_drag_pans(&self, ui: &Ui, scenario: &Scenario) -> bool {
        if self.drag.is_some() {
            return false;
        }
        if self.tool != Tool::Select {
            return true;
        }
        let (Some(t), Some(id)) = (self.last_transform, self.selected) else {
            return true;
        };
        let Some(a) = scenario.alignment(id) else {
            return true;
        };
        let origin = ui.input(|i| {
            if i.pointer.primary_down() {
                i.pointer.press_origin()
            } else {
                i.pointer.hover_pos()
            }
        });
        origin.is_none_or(|p| grab_at(a, &t, p).is_none())
    }

    /// Whether double-click should zoom (not while drawing, where it finishes the line).
    #[must_use]
    pub fn double_click_zooms(&self) -> bool {
        self.tool != Tool::Draw
    }

    /// Where the cursor is, snapped to a named place or a rail line unless Alt is held.
    fn snapped_cursor(
        &mut self,
        ui: &Ui,
        ctx: &SketchContext<'_>,
        t: &ScreenTransform,
        pointer: Option<Pos2>,
    ) {
        self.snap = None;
        self.cursor_lonlat = None;
        let Some(p) = pointer else { return };
        let world = t.world(p);
        self.cursor_lonlat = Some(lonlat_from_world(world));
        let alt = ui.input(|i| i.modifiers.alt);
        let snapping =
            matches!(self.tool, Tool::Draw) || matches!(self.drag, Some(Drag::Vertex { .. }));
        if alt || !snapping {
            return;
        }
        if let Some(atlas) = ctx.atlas {
            let tol = f64::from(ctx.snap_tolerance_px) * t.world_per_px();
            self.snap = snap(atlas, world, tol, ctx.layer_visible);
            if let Some(s) = &self.snap {
                self.cursor_lonlat = Some((s.lon, s.lat));
            }
        }
    }

    fn cursor_vertex(&self) -> Option<Vertex> {
        let (lon, lat) = self.cursor_lonlat?;
        Some(match &self.snap {
            Some(s) => Vertex::snapped(lon, lat, s.target.clone()),
            None => Vertex::new(lon, lat),
        })
    }

    /// Handle keys that belong to the tools (the app checks no text field has focus).
    pub fn keys(&mut self, ui: &Ui, scenario: &Scenario) -> Vec<Command> {
        let mut out = Vec::new();
        let (enter, backspace, esc, delete) = ui.input(|i| {
            (
                i.key_pressed(Key::Enter),
                i.key_pressed(Key::Backspace),
                i.key_pressed(Key::Escape),
                i.key_pressed(Key::Delete),
            )
        });
        match self.tool {
            Tool::Draw => {
                if enter {
                    self.finish_drawing(&mut out);
                }
                if backspace {
                    self.drawing.pop();
                }
                if esc {
                    self.drawing.clear();
                }
            }
            Tool::Ruler => {
                if esc {
                    self.ruler.clear();
                }
                if backspace {
                    self.ruler.pop();
                }
            }
            Tool::Select => {
                if delete
                    && let (Some(id), Some(index)) = (self.selected, self.active_vertex)
                    && scenario
                        .alignment(id)
                        .is_some_and(|a| index < a.vertices.len())
                {
                    out.push(Command::Edit {
                        edit: Edit::RemoveVertex { id, index },
                        group: None,
                    });
                    self.active_vertex = None;
                }
            }
        }
        out
    }

    fn finish_drawing(&mut self, out: &mut Vec<Command>) {
        let mut vertices = std::mem::take(&mut self.drawing);
        vertices.dedup_by(|a, b| distance_m(lonlat_of(a), lonlat_of(b)) < 1.0);
        if vertices.len() >= 2 {
            out.push(Command::CreateAlignment(vertices));
        }
    }

    /// Everything the tools do inside the map for one frame: input, then drawing.
    pub fn map_ui(
        &mut self,
        ui: &Ui,
        response: &Response,
        painter: &Painter,
        t: &ScreenTransform,
        ctx: &SketchContext<'_>,
        clicked_feature: &mut Option<Click>,
    ) -> Vec<Command> {
        self.last_transform = Some(*t);
        let mut out = Vec::new();
        if ctx.read_only {
            self.snap = None;
            self.draw(ui, painter, t, ctx);
            return out;
        }
        let pointer = response
            .hover_pos()
            .or_else(|| response.interact_pointer_pos());
        self.snapped_cursor(ui, ctx, t, pointer);
        match self.tool {
            Tool::Draw => {
                if response.double_clicked() {
                    self.finish_drawing(&mut out);
                } else if response.clicked()
                    && let Some(v) = self.cursor_vertex()
                {
                    self.drawing.push(v);
                }
                *clicked_feature = None;
            }
            Tool::Ruler => {
                if response.clicked()
                    && let Some(p) = self.cursor_lonlat
                {
                    self.ruler.push(p);
                }
                *clicked_feature = None;
            }
            Tool::Select => self.select_tool(response, t, ctx, pointer, &mut out, clicked_feature),
        }
        self.draw(ui, painter, t, ctx);
        out
    }

    fn select_tool(
        &mut self,
        response: &Response,
        t: &ScreenTransform,
        ctx: &SketchContext<'_>,
        pointer: Option<Pos2>,
        out: &mut Vec<Command>,
        clicked_feature: &mut Option<Click>,
    ) {
        let selected = self.selected.and_then(|id| ctx.scenario.alignment(id));
        if response.drag_started_by(PointerButton::Primary)
            && let (Some(a), Some(p)) = (selected, response.interact_pointer_pos())
        {
            let origin = response
                .ctx
                .input(|i| i.pointer.press_origin())
                .unwrap_or(p);
            let group = self.new_group();
            match grab_at(a, t, origin) {
                Some(Grab::Vertex(index)) => {
                    self.drag = Some(Drag::Vertex {
                        id: a.id,
                        index,
                        group,
                    });
                    self.active_vertex = Some(index);
                }
                Some(Grab::Midpoint(i)) => {
                    let (va, vb) = (&a.vertices[i], &a.vertices[i + 1]);
                    let mid = lonlat_from_world(t.world(
                        screen_of(t, va.lon, va.lat)
                            + (screen_of(t, vb.lon, vb.lat) - screen_of(t, va.lon, va.lat)) * 0.5,
                    ));
                    out.push(Command::Edit {
                        edit: Edit::InsertVertex {
                            id: a.id,
                            index: i + 1,
                            vertex: Vertex::new(mid.0, mid.1),
                        },
                        group: Some(group),
                    });
                    self.drag = Some(Drag::Vertex {
                        id: a.id,
                        index: i + 1,
                        group,
                    });
                    self.active_vertex = Some(i + 1);
                }
                Some(Grab::Line) => {
                    let last = lonlat_from_world(t.world(origin));
                    self.drag = Some(Drag::Whole {
                        id: a.id,
                        group,
                        last,
                    });
                }
                None => {}
            }
        }
        match self.drag {
            Some(Drag::Vertex { id, index, group })
                if response.dragged_by(PointerButton::Primary) =>
            {
                if let Some(v) = self.cursor_vertex() {
                    out.push(Command::Edit {
                        edit: Edit::MoveVertex { id, index, to: v },
                        group: Some(group),
                    });
                }
            }
            Some(Drag::Whole { id, group, last })
                if response.dragged_by(PointerButton::Primary) =>
            {
                if let Some(p) = pointer {
                    let now = lonlat_from_world(t.world(p));
                    let (d_lon, d_lat) = (now.0 - last.0, now.1 - last.1);
                    if d_lon != 0.0 || d_lat != 0.0 {
                        out.push(Command::Edit {
                            edit: Edit::TranslateAlignment { id, d_lon, d_lat },
                            group: Some(group),
                        });
                        self.drag = Some(Drag::Whole {
                            id,
                            group,
                            last: now,
                        });
                    }
                }
            }
            _ => {}
        }
        if self.drag.is_some() && !response.dragged() {
            self.drag = None;
            out.push(Command::EndGroup);
        }
        if response.secondary_clicked()
            && let (Some(a), Some(p)) = (selected, response.interact_pointer_pos())
            && let Some(Grab::Vertex(index)) = grab_at(a, t, p)
        {
            out.push(Command::Edit {
                edit: Edit::RemoveVertex { id: a.id, index },
                group: None,
            });
            self.active_vertex = None;
        }
        if response.clicked()
            && let Some(p) = response.interact_pointer_pos()
        {
            if let Some(a) = selected
                && let Some(Grab::Vertex(i)) = grab_at(a, t, p)
            {
                self.active_vertex = Some(i);
                *clicked_feature = None;
            } else if let Some(id) = alignment_at(ctx.scenario, t, p) {
                out.push(Command::SelectAlignment(Some(id)));
                *clicked_feature = None;
            } else {
                out.push(Command::SelectAlignment(None));
            }
        }
    }

    fn draw(&self, ui: &Ui, painter: &Painter, t: &ScreenTransform, ctx: &SketchContext<'_>) {
        let mut shapes = Vec::new();
        // Presenting: alternatives sharing track run side by side (the slides' lanes), so a
        // highlighted one is never hidden under another. Not while editing: vertices must
        // stay where they are.
        let dimmed_id = |id| {
            !ctx.highlight.is_empty()
                && !ctx.highlight.contains(&id)
                && ctx.reveal.is_none_or(|(r, _)| r != id)
        };
        let lane_of = if ctx.read_only {
            let shown: Vec<_> = ctx
                .scenario
                .alignments
                .iter()
                .map(|a| a.id)
                .filter(|&id| !dimmed_id(id))
                .collect();
            lanes(ctx.scenario, &shown)
        } else {
            std::collections::HashMap::new()
        };
        for a in &ctx.scenario.alignments {
            let mut pts: Vec<Pos2> = a
                .vertices
                .iter()
                .map(|v| screen_of(t, v.lon, v.lat))
                .collect();
            if let Some((id, fraction)) = ctx.reveal
                && id == a.id
            {
                pts = partial_polyline(a, t, fraction);
            }
            let dimmed = dimmed_id(a.id);
            if ctx.read_only {
                // Widths grow with the screen (5 px at 1080 px high, never thinner).
                let k = (painter.clip_rect().height() / 1080.0).max(1.0);
                let (width, alpha) = if dimmed {
                    (2.5 * k, 0.3)
                } else {
                    (5.0 * k, 1.0)
                };
                if let Some(l) = lane_of.get(&a.id).filter(|l| l.len() + 1 == pts.len()) {
                    let spacing = f64::from(width + 1.5 * k);
                    let offsets: Vec<f64> = l.iter().map(|lane| lane * spacing).collect();
                    let px: Vec<[f64; 2]> = pts
                        .iter()
                        .map(|p| [f64::from(p.x), f64::from(p.y)])
                        .collect();
                    pts = offset_polyline(&px, &offsets)
                        .into_iter()
                        .map(|[x, y]| Pos2::new(x as f32, y as f32))
                        .collect();
                }
                let casing = Color32::from_white_alpha((200.0 * alpha) as u8);
                shapes.push(Shape::line(
                    pts.clone(),
                    Stroke::new(width + 3.0 * k, casing),
                ));
                shapes.push(Shape::line(pts, Stroke::new(width, color(a.color, alpha))));
                continue;
            }
            let selected = self.selected == Some(a.id);
            let width = if selected { 5.0 } else { 3.5 };
            if a.is_suggested() {
                // A suggestion is dashed until the planner accepts it.
                shapes.extend(Shape::dashed_line(
                    &pts,
                    Stroke::new(width + 2.0, Color32::from_white_alpha(170)),
                    14.0,
                    8.0,
                ));
                shapes.extend(Shape::dashed_line(
                    &pts,
                    Stroke::new(width, color(a.color, 1.0)),
                    14.0,
                    8.0,
                ));
            } else {
                shapes.push(Shape::line(
                    pts.clone(),
                    Stroke::new(width + 3.0, Color32::from_white_alpha(200)),
                ));
                shapes.push(Shape::line(
                    pts.clone(),
                    Stroke::new(width, color(a.color, 1.0)),
                ));
            }
            if selected {
                for w in pts.windows(2) {
                    if (w[1] - w[0]).length() > 3.0 * HANDLE_PX {
                        let mid = w[0] + (w[1] - w[0]) * 0.5;
                        shapes.push(Shape::circle_filled(
                            mid,
                            3.5,
                            Color32::from_white_alpha(200),
                        ));
                        shapes.push(Shape::circle_stroke(
                            mid,
                            3.5,
                            Stroke::new(1.0, color(a.color, 1.0)),
                        ));
                    }
                }
                for (i, p) in pts.iter().enumerate() {
                    let active = self.active_vertex == Some(i);
                    shapes.push(Shape::circle_filled(
                        *p,
                        5.5,
                        if active {
                            color(a.color, 1.0)
                        } else {
                            Color32::WHITE
                        },
                    ));
                    shapes.push(Shape::circle_stroke(
                        *p,
                        5.5,
                        Stroke::new(2.0, color(a.color, 1.0)),
                    ));
                }
            }
        }
        // The line being drawn, with a rubber band to the cursor.
        let accent = Color32::from_rgb(214, 39, 40);
        let mut drawing: Vec<Pos2> = self
            .drawing
            .iter()
            .map(|v| screen_of(t, v.lon, v.lat))
            .collect();
        if !drawing.is_empty() {
            shapes.push(Shape::line(drawing.clone(), Stroke::new(3.5, accent)));
            for p in &drawing {
                shapes.push(Shape::circle_filled(*p, 4.0, accent));
            }
            if let (Some(last), Some((lon, lat))) = (drawing.last().copied(), self.cursor_lonlat) {
                let c = screen_of(t, lon, lat);
                shapes.extend(Shape::dashed_line(
                    &[last, c],
                    Stroke::new(2.0, accent),
                    8.0,
                    5.0,
                ));
                drawing.push(c);
            }
        }
        // The ruler.
        let ruler_color = Color32::from_rgb(230, 120, 0);
        let ruler: Vec<Pos2> = self
            .ruler
            .iter()
            .map(|&(lon, lat)| screen_of(t, lon, lat))
            .collect();
        if !ruler.is_empty() {
            shapes.extend(Shape::dashed_line(
                &ruler,
                Stroke::new(2.5, ruler_color),
                10.0,
                4.0,
            ));
            for p in &ruler {
                shapes.push(Shape::circle_filled(*p, 4.0, ruler_color));
            }
            if let (Some(last), Some((lon, lat)), Tool::Ruler) =
                (ruler.last().copied(), self.cursor_lonlat, self.tool)
            {
                shapes.extend(Shape::dashed_line(
                    &[last, screen_of(t, lon, lat)],
                    Stroke::new(1.5, ruler_color),
                    6.0,
                    4.0,
                ));
            }
        }
        // The snap target.
        if let Some(s) = &self.snap {
            let p = screen_of(t, s.lon, s.lat);
            shapes.push(Shape::circle_stroke(
                p,
                9.0,
                Stroke::new(2.5, Color32::from_rgb(200, 0, 200)),
            ));
            shapes.push(Shape::circle_filled(p, 2.5, Color32::from_rgb(200, 0, 200)));
        }
        painter.extend(shapes);
        self.draw_texts(ui, painter, t);
    }

    /// Lengths next to the cursor while drawing and measuring, and the snap target's name.
    fn draw_texts(&self, ui: &Ui, painter: &Painter, t: &ScreenTransform) {
        let font = FontId::proportional(13.0);
        let dark = ui.visuals().dark_mode;
        let (fg, halo) = if dark {
            (Color32::WHITE, Color32::from_black_alpha(220))
        } else {
            (Color32::BLACK, Color32::from_white_alpha(230))
        };
        let Some((lon, lat)) = self.cursor_lonlat else {
            return;
        };
        let cursor = screen_of(t, lon, lat);
        let mut lines = Vec::new();
        if let Some(s) = &self.snap {
            lines.push(match &s.target {
                SnapRef::Place { name, .. } => format!("snap: {name}"),
                SnapRef::Rail { line, .. } => format!("on track: {line}"),
            });
        }
        let running = |pts: &[(f64, f64)]| -> Option<String> {
            let last = *pts.last()?;
            let mut all = pts.to_vec();
            all.push((lon, lat));
            let total: f64 = measure_polyline(&all)
                .last()
                .map_or(0.0, |s| s.cumulative_m);
            Some(format!(
                "{} (segment {})",
                format_km(total),
                format_km(distance_m(last, (lon, lat)))
            ))
        };
        match self.tool {
            Tool::Draw => {
                let pts: Vec<(f64, f64)> = self.drawing.iter().map(lonlat_of).collect();
                lines.extend(running(&pts));
            }
            Tool::Ruler => lines.extend(running(&self.ruler)),
            Tool::Select => {}
        }
        if lines.is_empty() {
            return;
        }
        let galley = painter.layout_no_wrap(lines.join("\n"), font, fg);
        halo_text(painter, cursor + vec2(14.0, 10.0), &galley, fg, halo);
        // Segment lengths along the ruler.
        let small = FontId::proportional(11.5);
        for (seg, w) in measure_polyline(&self.ruler)
            .iter()
            .zip(self.ruler.windows(2))
        {
            let a = screen_of(t, w[0].0, w[0].1);
            let b = screen_of(t, w[1].0, w[1].1);
            let g = painter.layout_no_wrap(format_km(seg.length_m), small.clone(), fg);
            let mid = a + (b - a) * 0.5 - g.size() * 0.5;
            halo_text(painter, mid, &g, fg, halo);
        }
    }
}
