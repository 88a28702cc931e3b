//! Presentation mode: a story's slides, full screen, driven by the keys a presentation clicker
//! sends. Between slides the map flies (eased, zooming out and in for long moves); a slide can
//! reveal an alternative along its chainage with running figures; a laser pointer and ink are
//! there for the room. The presenter view (second window) is in [`super::presenter_view`].
//!
//! The state here is view state: nothing in presentation mode edits the scenario.

use std::collections::VecDeque;

use egui::{Align2, Color32, FontId, Key, Pos2, Rect, Shape, Stroke, Ui, vec2};

use corridor_domain::draw::render::overlay::{legend_engineering, legend_ids, legend_length};
use corridor_domain::measure::ledger::ComparisonRow;
use corridor_domain::plan::scenario::live_figures::fill_caption;
use corridor_domain::plan::scenario::model::{AlignmentId, Scenario};
use corridor_domain::plan::scenario::story::{
    Camera, Slide, SlideLayout, caption_blocks, fly_path, slide_camera,
};

/// How long a flight between two slides takes at most (seconds).
pub const FLIGHT_MAX_S: f64 = 1.8;
/// How long a reveal takes (seconds).
pub const REVEAL_S: f64 = 4.0;
/// How long a laser trail point stays visible (seconds).
const LASER_FADE_S: f64 = 0.6;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Flight {
    from: Camera,
    to: Camera,
    start_s: f64,
    duration_s: f64,
    viewport_px: (f64, f64),
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Reveal {
    alignment: AlignmentId,
    start_s: f64,
    skipped: bool,
}

/// Where a presentation is and what is animating.
#[derive(Default)]
pub struct Presenter {
    pub active: bool,
    /// Index of the current slide.
    pub index: usize,
    /// B: black screen.
    pub black: bool,
    /// Drawing with the mouse (I); otherwise the pointer is a laser.
    pub ink_mode: bool,
    /// Map mode (M): the mouse pans and zooms the map. Otherwise nothing the pointer does
    /// moves the map, except a drag with Shift held (see [`Presenter::navigating`]).
    pub map_mode: bool,
    flight: Option<Flight>,
    reveal: Option<Reveal>,
    digits: String,
    laser: VecDeque<(Pos2, f64)>,
    ink: Vec<Vec<Pos2>>,
    started_s: f64,
    /// Layer visibility before the presentation, restored on exit.
    pub saved_layers: Option<Vec<bool>>,
}

/// What a key press asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    Go(usize),
    Exit,
    /// P: show or hide the presenter view.
    TogglePresenterView,
}

impl Presenter {
    /// Start at slide `index`.
    pub fn start(&mut self, index: usize, now_s: f64) {
        *self = Self {
            active: true,
            index,
            started_s: now_s,
            saved_layers: self.saved_layers.take(),
            ..Self::default()
        };
    }

    /// Seconds since the presentation started.
    #[must_use]
    pub fn elapsed_s(&self, now_s: f64) -> f64 {
        (now_s - self.started_s).max(0.0)
    }

    /// How many ink strokes are on the slide.
    #[must_use]
    pub fn ink_strokes(&self) -> usize {
        self.ink.len()
    }

    /// Whether the map is flying between slides.
    #[must_use]
    pub fn flying(&self) -> bool {
        self.flight.is_some()
    }

    /// Clicker keys: Right/Down/PageDown/Space/Enter next, Left/Up/PageUp previous, Home/End,
    /// B black, digits + Enter go to a slide, I ink, L laser, M map mode, P presenter view,
    /// Esc leaves.
    ///
    /// The clicker contract: every forward press is exactly one visible step. A press while a
    /// reveal is still growing completes it (that is the step); once the reveal is complete,
    /// on its own or by a press, the next press moves to the next slide. Back presses always
    /// move one slide. Several presses in one frame count one each (`at` is the slide the
    /// presses so far have reached, not the slide shown last frame).
    pub fn keys(&mut self, ui: &Ui, slide_count: usize, now_s: f64) -> Option<Nav> {
        if slide_count == 0 {
            return Some(Nav::Exit);
        }
        let last = slide_count - 1;
        let mut nav = None;
        let mut at = self.index;
        // Only a reveal still growing on the slide shown now can take a forward press.
        let mut revealing = self.flight.is_none()
            && self
                .reveal_fraction(now_s)
                .is_some_and(|(_, fraction)| fraction < 1.0);
        ui.input(|i| {
            for e in &i.events {
                let egui::Event::Key {
                    key,
                    pressed: true,
                    modifiers,
                    ..
                } = e
                else {
                    continue;
                };
                if modifiers.command || modifiers.alt {
                    continue;
                }
                let mut target = None;
                match key {
                    Key::Escape => nav = Some(Nav::Exit),
                    Key::B => self.black = !self.black,
                    Key::L => self.ink_mode = false,
                    Key::I => self.ink_mode = !self.ink_mode,
                    Key::M => self.map_mode = !self.map_mode,
                    Key::P => nav = Some(Nav::TogglePresenterView),
                    Key::Enter if !self.digits.is_empty() => {
                        let n: usize = self.digits.parse().unwrap_or(0);
                        self.digits.clear();
                        target = Some(n.clamp(1, slide_count) - 1);
                    }
                    Key::ArrowRight | Key::ArrowDown | Key::PageDown | Key::Space | Key::Enter => {
                        if revealing {
                            if let Some(r) = &mut self.reveal {
                                r.skipped = true;
                            }
                            revealing = false;
                        } else if at < last {
                            target = Some(at + 1);
                        }
                    }
                    Key::ArrowLeft | Key::ArrowUp | Key::PageUp => {
                        target = at.checked_sub(1);
                    }
                    Key::Home => target = Some(0),
                    Key::End => target = Some(last),
                    k => {
                        if let Some(d) = digit(*k) {
                            self.digits.push(d);
                        }
                    }
                }
                if let Some(to) = target {
                    at = to;
                    // The slide arrived at has its own reveal, which starts after its flight.
                    revealing = false;
                    nav = Some(Nav::Go(to));
                }
            }
        });
        nav
    }

    /// Move to slide `index` of `scenario`, flying from `current` (the camera now).
    pub fn go_to(
        &mut self,
        index: usize,
        scenario: &Scenario,
        current: Camera,
        viewport_px: (f64, f64),
        now_s: f64,
    ) {
        let Some(slide) = scenario.story.slides.get(index) else {
            return;
        };
        let from = self.camera(now_s).unwrap_or(current);
        let to = slide_camera(slide, scenario, viewport_px);
        // Longer moves take longer, up to FLIGHT_MAX_S; a slide with the same view does not fly.
        let dz = (from.zoom - to.zoom).abs();
        let moved = (from.lon - to.lon).hypot(from.lat - to.lat);
        let duration_s = (0.6 + 0.25 * dz + 0.05 * moved).min(FLIGHT_MAX_S);
        self.flight = (dz > 1e-6 || moved > 1e-9).then_some(Flight {
            from,
            to,
            start_s: now_s,
            duration_s,
            viewport_px,
        });
        self.reveal = slide.reveal.map(|alignment| Reveal {
            alignment,
            start_s: now_s + self.flight.map_or(0.0, |f| f.duration_s),
            skipped: false,
        });
        self.index = index;
        self.ink.clear();
        self.black = false;
    }

    /// The camera while flying (`None` once arrived: the map keeps the last one set).
    #[must_use]
    pub fn camera(&self, now_s: f64) -> Option<Camera> {
        let f = self.flight?;
        let t = ((now_s - f.start_s) / f.duration_s).clamp(0.0, 1.0);
        Some(fly_path(f.from, f.to, t, f.viewport_px))
    }

    /// Advance animations; returns the camera to show this frame while flying.
    pub fn tick(&mut self, now_s: f64) -> Option<Camera> {
        let f = self.flight?;
        if now_s >= f.start_s + f.duration_s {
            self.flight = None;
            return Some(f.to);
        }
        self.camera(now_s)
    }

    /// The alternative being revealed and how much of it (0..=1).
    #[must_use]
    pub fn reveal_fraction(&self, now_s: f64) -> Option<(AlignmentId, f64)> {
        let r = self.reveal?;
        let t = if r.skipped {
            1.0
        } else {
            ((now_s - r.start_s) / REVEAL_S).clamp(0.0, 1.0)
        };
        Some((r.alignment, t))
    }

    /// Whether anything is still moving (the app keeps repainting).
    #[must_use]
    pub fn animating(&self, now_s: f64) -> bool {
        self.flight.is_some()
            || self.reveal_fraction(now_s).is_some_and(|(_, t)| t < 1.0)
            || self
                .laser
                .back()
                .is_some_and(|(_, t)| now_s - t < LASER_FADE_S)
    }

    /// Whether a drag pans the map this frame: in map mode (M), or while Shift is held (the
    /// wheel zooms only in map mode). Otherwise drags draw ink or move the laser and the wheel
    /// does nothing, so the map never shifts under a stroke or a pointer gesture.
    #[must_use]
    pub fn navigating(&self, ui: &Ui) -> bool {
        self.map_mode || ui.input(|i| i.modifiers.shift)
    }

    /// What the pointer does now, for the HUD.
    #[must_use]
    pub fn pointer_mode_label(&self, navigating: bool) -> &'static str {
        match (self.map_mode, navigating, self.ink_mode) {
            (true, _, _) => "Map: drag pans, wheel zooms · M to leave",
            (false, true, _) => "Shift: drag pans",
            (false, false, true) => "Ink · I laser · M map",
            (false, false, false) => "Laser · I ink · M map",
        }
    }

    /// Laser and ink over the map, the caption, the legend, the slide number and the HUD line
    /// saying what the mouse does (laser, ink or map). `rows` are the alternatives' comparison
    /// rows: the legend's figures and the caption's live placeholders come from them.
    #[allow(clippy::too_many_arguments)] // The slide, its scenario and figures, and the frame.
    pub fn overlay_ui(
        &mut self,
        ui: &mut Ui,
        rect: Rect,
        slide: &Slide,
        scenario: &Scenario,
        rows: &[(AlignmentId, ComparisonRow)],
        count: usize,
        reveal_text: Option<&str>,
    ) {
        let now = ui.input(|i| i.time);
        let painter = ui.painter().with_clip_rect(rect);
        if self.black {
            painter.rect_filled(rect, 0.0, Color32::BLACK);
            return;
        }
        // Pointer: laser trail or ink (no ink while the mouse moves the map).
        let navigating = self.navigating(ui);
        let (pos, down) = ui.input(|i| (i.pointer.hover_pos(), i.pointer.primary_down()));
        if let Some(p) = pos.filter(|p| rect.contains(*p)) {
            if self.ink_mode && navigating {
                // Shift held or map mode: the drag pans; the stroke ends here.
            } else if self.ink_mode {
                if down {
                    match self.ink.last_mut() {
                        Some(stroke) if ui.input(|i| !i.pointer.primary_pressed()) => {
                            stroke.push(p);
                        }
                        _ => self.ink.push(vec![p]),
                    }
                }
            } else if self.laser.back().is_none_or(|(q, _)| *q != p) {
                self.laser.push_back((p, now));
            }
        }
        while self
            .laser
            .front()
            .is_some_and(|(_, t)| now - t > LASER_FADE_S)
        {
            self.laser.pop_front();
        }
        for stroke in &self.ink {
            painter.add(Shape::line(
                stroke.clone(),
                Stroke::new(4.0, Color32::from_rgb(255, 40, 120)),
            ));
        }
        for w in self.laser.iter().collect::<Vec<_>>().windows(2) {
            let age = ((now - w[1].1) / LASER_FADE_S).clamp(0.0, 1.0) as f32;
            let c = Color32::from_rgba_unmultiplied(255, 30, 30, (230.0 * (1.0 - age)) as u8);
            painter.line_segment([w[0].0, w[1].0], Stroke::new(6.0 * (1.0 - age) + 1.0, c));
        }
        if let Some((p, _)) = self.laser.back() {
            painter.circle_filled(*p, 7.0, Color32::from_rgb(255, 30, 30));
        }
        let caption = fill_caption(slide, scenario, rows);
        let panel = caption_ui(&painter, rect, slide, &caption, reveal_text);
        // Screen readers (and UI tests) read the caption as the room sees it.
        let text = format!("{}\n{}", slide.title, caption_plain(&caption));
        ui.interact(
            panel,
            ui.scope_id().with("slide-caption"),
            egui::Sense::hover(),
        )
        .widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Label, true, &text));
        for (i, (row, text)) in legend_ui(&painter, rect, slide, scenario, rows)
            .into_iter()
            .enumerate()
        {
            ui.interact(
                row,
                ui.scope_id().with(("slide-legend", i)),
                egui::Sense::hover(),
            )
            .widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Label, true, &text));
        }
        let number = format!("{} / {}", self.index + 1, count);
        let scale = (rect.height() / 1080.0).max(0.3);
        painter.text(
            rect.right_top() + vec2(-16.0, 12.0),
            Align2::RIGHT_TOP,
            number,
            FontId::proportional(22.0 * scale),
            Color32::from_gray(60),
        );
        painter.text(
            rect.right_top() + vec2(-16.0, 12.0 + 30.0 * scale),
            Align2::RIGHT_TOP,
            self.pointer_mode_label(navigating),
            FontId::proportional(14.0 * scale.max(0.8)),
            Color32::from_gray(90),
        );
        if !self.digits.is_empty() {
            painter.text(
                rect.center(),
                Align2::CENTER_CENTER,
                format!("go to {}", self.digits),
                FontId::proportional(40.0 * scale),
                Color32::from_gray(30),
            );
        }
    }
}

fn digit(k: Key) -> Option<char> {
    Some(match k {
        Key::Num0 => '0',
        Key::Num1 => '1',
        Key::Num2 => '2',
        Key::Num3 => '3',
        Key::Num4 => '4',
        Key::Num5 => '5',
        Key::Num6 => '6',
        Key::Num7 => '7',
        Key::Num8 => '8',
        Key::Num9 => '9',
        _ => return None,
    })
}

/// Title and `caption` (the slide's, its placeholders filled) in a panel at the bottom of the
/// left column, sized for the back of a room (the same [`SlideLayout`] the headless renderer
/// uses). Returns the panel.
fn caption_ui(
    painter: &egui::Painter,
    rect: Rect,
    slide: &Slide,
    caption: &str,
    reveal_text: Option<&str>,
) -> Rect {
    let layout = SlideLayout::new(f64::from(rect.width()), f64::from(rect.height()));
    let s = layout.scale as f32;
    let margin = layout.margin_px as f32;
    let pad = 18.0 * s;
    let width = layout.column_px as f32 - margin - 2.0 * pad;
    let title = painter.layout(
        slide.title.clone(),
        FontId::proportional(layout.title_px as f32),
        Color32::from_gray(20),
        width,
    );
    let mut job = egui::text::LayoutJob::default();
    job.wrap.max_width = width;
    let body_px = layout.caption_px as f32;
    for (i, block) in caption_blocks(caption).iter().enumerate() {
        if i > 0 {
            job.append(
                "\n",
                0.0,
                egui::TextFormat::simple(FontId::proportional(body_px * 0.5), Color32::BLACK),
            );
        }
        if block.bullet {
            job.append(
                "• ",
                0.0,
                egui::TextFormat::simple(FontId::proportional(body_px), Color32::from_gray(35)),
            );
        }
        for span in &block.spans {
            let color = if span.bold {
                Color32::BLACK
            } else {
                Color32::from_gray(45)
            };
            let mut f = egui::TextFormat::simple(FontId::proportional(body_px), color);
            if span.bold {
                // No bold face in the default fonts: bold text is darker and underlined.
                f.underline = Stroke::new(1.0, Color32::from_gray(60));
            }
            job.append(&span.text, 0.0, f);
        }
    }
    if let Some(r) = reveal_text {
        job.append(
            &format!("\n{r}"),
            0.0,
            egui::TextFormat::simple(
                FontId::proportional(body_px),
                Color32::from_rgb(150, 20, 20),
            ),
        );
    }
    let body = painter.layout_job(job);
    let h = title.size().y + body.size().y + pad * 3.0;
    let bottom = rect.bottom() - margin - 30.0 * s;
    let panel = Rect::from_min_size(
        egui::pos2(rect.left() + margin, bottom - h),
        vec2(width + 2.0 * pad, h),
    );
    painter.rect_filled(panel, 10.0 * s, Color32::from_white_alpha(235));
    painter.galley(panel.min + vec2(pad, pad), title.clone(), Color32::BLACK);
    painter.galley(
        panel.min + vec2(pad, pad * 2.0 + title.size().y),
        body,
        Color32::BLACK,
    );
    panel
}

/// Markdown-ish caption to plain text: `**bold**` markers dropped, `- ` bullets as •.
#[must_use]
pub fn caption_plain(caption: &str) -> String {
    caption_blocks(caption)
        .iter()
        .map(|b| {
            let text: String = b.spans.iter().map(|s| s.text.as_str()).collect();
            if b.bullet {
                format!("• {text}")
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The alternatives in play with their colours, lengths, travel time and engineering (from
/// their rows, as the exported slide's legend), top of the left column. Returns each entry's
/// rectangle and text.
// s (scale), r/g/b (colour), w/h: panel geometry reads best short.
#[allow(clippy::many_single_char_names)]
fn legend_ui(
    painter: &egui::Painter,
    rect: Rect,
    slide: &Slide,
    scenario: &Scenario,
    rows: &[(AlignmentId, ComparisonRow)],
) -> Vec<(Rect, String)> {
    let mut shown = Vec::new();
    let layout = SlideLayout::new(f64::from(rect.width()), f64::from(rect.height()));
    let s = layout.scale as f32;
    let margin = layout.margin_px as f32;
    let font = FontId::proportional(layout.legend_px as f32);
    let width = layout.column_px as f32 - margin;
    let mut y = rect.top() + margin;
    for id in legend_ids(slide, scenario) {
        let Some(a) = scenario.alignment(id) else {
            continue;
        };
        let row = rows.iter().find(|(r, _)| *r == id).map(|(_, r)| r);
        let mut text = format!("{}  {}", a.name, legend_length(a, row));
        if let Some(r) = row {
            text.push_str(" · ");
            text.push_str(&legend_engineering(r));
        }
        let g = painter.layout(
            text.clone(),
            font.clone(),
            Color32::from_gray(20),
            width - 56.0 * s,
        );
        let row = Rect::from_min_size(
            egui::pos2(rect.left() + margin, y),
            vec2(width, g.size().y + 10.0 * s),
        );
        painter.rect_filled(row, 6.0 * s, Color32::from_white_alpha(225));
        let [r, gg, b, _] = a.color;
        painter.rect_filled(
            Rect::from_min_size(
                row.min + vec2(8.0 * s, row.height() / 2.0 - 4.0 * s),
                vec2(30.0 * s, 8.0 * s),
            ),
            2.0,
            Color32::from_rgb(r, gg, b),
        );
        painter.galley(row.min + vec2(46.0 * s, 5.0 * s), g, Color32::BLACK);
        y += row.height() + 6.0 * s;
        shown.push((row, text));
    }
    shown
}
