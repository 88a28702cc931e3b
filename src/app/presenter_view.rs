//! The presenter view: a second window with the current and next slide as pictures, the
//! notes in large type, elapsed time, the wall clock and the slide number.
//!
//! - Thumbnails come from the headless slide renderer (`draw::render`, the code behind
//!   exported slides, which draws a slide as presentation mode shows it), run once per
//!   presentation on a worker thread, current and next slide first. The UI never waits: a
//!   slide whose picture is not there yet shows its title in a placeholder.
//! - Placement ([`choose_opening`]): with two or more screens it opens on a screen other than
//!   the audience window's (where the user last put it if that screen is still there, else
//!   centred on it, the primary one first). On one screen, or when the screens cannot be
//!   listed, it starts hidden so it never covers the audience view; P shows and hides it.
//!   Where the user puts it is remembered in the app's settings.

use std::collections::HashMap;
use std::sync::Arc;

use egui::{
    Color32, ColorImage, Pos2, Rect, RichText, Sense, TextureHandle, TextureOptions, Ui, Vec2,
    pos2, vec2,
};
use serde::{Deserialize, Serialize};

use corridor_domain::Atlas;
use corridor_domain::draw::basemap::BasemapStyle;
use corridor_domain::draw::render::SlideRenderer;
use corridor_domain::plan::scenario::model::Scenario;

use super::jobs::Job;
use super::monitors::Monitor;

/// Width of a slide thumbnail in pixels; the height follows the audience window's shape.
pub const THUMB_WIDTH_PX: u32 = 480;
/// Largest size the window opens at on another screen (points).
const MAX_OPEN_SIZE: Vec2 = vec2(1600.0, 1000.0);
/// Smallest size it opens at (points): thumbnails and notes still fit.
const MIN_OPEN_SIZE: Vec2 = vec2(480.0, 360.0);
/// Notes are read from a step away: this size (points).
pub const NOTES_PX: f32 = 26.0;

/// A window's place on the desktop: outer position and inner size, in points.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Place {
    fn from_min_size(min: Pos2, size: Vec2) -> Self {
        Self {
            x: min.x,
            y: min.y,
            width: size.x,
            height: size.y,
        }
    }

    fn center(&self) -> Pos2 {
        pos2(self.x + self.width / 2.0, self.y + self.height / 2.0)
    }
}

/// How the presenter view starts when a presentation starts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Opening {
    /// Shown at once, at this place.
    Show(Place),
    /// One screen, or screens we cannot see: hidden (P shows it), so the audience view is
    /// never covered.
    Hidden,
}

/// Where the presenter view opens. `monitors` in points; `audience`: the main window's outer
/// rectangle in points, if known; `remembered`: where the user last put the presenter view.
#[must_use]
pub fn choose_opening(
    monitors: &[Monitor],
    audience: Option<Rect>,
    remembered: Option<Place>,
) -> Opening {
    let Some(audience_at) = audience.map(|r| r.center()) else {
        return Opening::Hidden;
    };
    let others: Vec<&Monitor> = monitors
        .iter()
        .filter(|m| !m.rect_px.contains(audience_at))
        .collect();
    if others.is_empty() || monitors.len() < 2 {
        return Opening::Hidden;
    }
    if let Some(r) = remembered
        && others.iter().any(|m| m.rect_px.contains(r.center()))
    {
        return Opening::Show(r);
    }
    let Some(screen) = others.iter().find(|m| m.primary).or_else(|| others.first()) else {
        return Opening::Hidden;
    };
    let size = (screen.rect_px.size() - vec2(80.0, 80.0))
        .min(MAX_OPEN_SIZE)
        .max(MIN_OPEN_SIZE);
    Opening::Show(Place::from_min_size(
        screen.rect_px.center() - size / 2.0,
        size,
    ))
}

/// Where P shows the view: where the user last put it (unless that screen is gone), else over
/// the right part of the audience window, leaving the slide's left column (legend, caption)
/// visible. `monitors` in points; empty when they cannot be listed.
#[must_use]
pub fn toggled_place(
    monitors: &[Monitor],
    audience: Option<Rect>,
    remembered: Option<Place>,
) -> Option<Place> {
    let on_a_screen =
        |r: &Place| monitors.is_empty() || monitors.iter().any(|m| m.rect_px.contains(r.center()));
    remembered.filter(on_a_screen).or_else(|| {
        audience.map(|r| {
            let width = (r.width() * 0.4).max(MIN_OPEN_SIZE.x).min(r.width());
            let height = (r.height() * 0.7).max(MIN_OPEN_SIZE.y).min(r.height());
            Place::from_min_size(pos2(r.right() - width, r.top()), vec2(width, height))
        })
    })
}

/// Monitors in physical pixels to points (X11 reports pixels; egui places windows in points).
#[must_use]
pub fn monitors_in_points(monitors: &[Monitor], pixels_per_point: f32) -> Vec<Monitor> {
    let ppp = if pixels_per_point > 0.0 {
        pixels_per_point
    } else {
        1.0
    };
    monitors
        .iter()
        .map(|m| Monitor {
            rect_px: Rect::from_min_max(
                (m.rect_px.min.to_vec2() / ppp).to_pos2(),
                (m.rect_px.max.to_vec2() / ppp).to_pos2(),
            ),
            primary: m.primary,
        })
        .collect()
}

/// What the thumbnail worker reports.
enum ThumbMsg {
    Ready(usize, TextureHandle),
    Failed(String),
}

/// The presenter view's state.
#[derive(Default)]
pub struct PresenterView {
    /// Where the user last put the window (persisted).
    pub remembered: Option<Place>,
    /// Where the window opens; fixed while it is shown, so egui never moves a window the user
    /// is dragging.
    pub opening: Option<Place>,
    /// The screens when the presentation started (points).
    pub screens: Vec<Monitor>,
    thumbs: HashMap<usize, TextureHandle>,
    job: Option<Job<ThumbMsg>>,
    failure: Option<String>,
}

impl PresenterView {
    /// The view, opening where the user last put it (from the settings).
    #[must_use]
    pub fn new(remembered: Option<Place>) -> Self {
        Self {
            remembered,
            ..Self::default()
        }
    }

    /// Fresh for a new presentation (thumbnails of the last one may be of another story).
    pub fn reset(&mut self, opening: Option<Place>, screens: Vec<Monitor>) {
        self.opening = opening;
        self.screens = screens;
        self.thumbs.clear();
        self.job = None;
        self.failure = None;
    }

    /// Start rendering thumbnails of every slide, `first` and the one after it first, unless
    /// already under way for this presentation.
    pub fn ensure_thumbnails(
        &mut self,
        ctx: &egui::Context,
        atlas: Option<&Arc<Atlas>>,
        scenario: &Scenario,
        first: usize,
        audience_px: (f32, f32),
        style: BasemapStyle,
    ) {
        if self.job.is_some() || !self.thumbs.is_empty() || self.failure.is_some() {
            return;
        }
        let Some(atlas) = atlas.cloned() else {
            return;
        };
        let count = scenario.story.slides.len();
        let aspect = if audience_px.0 > 0.0 {
            audience_px.1 / audience_px.0
        } else {
            9.0 / 16.0
        };
        let size = (
            THUMB_WIDTH_PX,
            ((THUMB_WIDTH_PX as f32 * aspect).round() as u32).clamp(90, 2 * THUMB_WIDTH_PX),
        );
        let scenario = scenario.clone();
        let texture_ctx = ctx.clone();
        let order: Vec<usize> = (first..count).chain(0..first.min(count)).collect();
        let job = Job::spawn(ctx, "slide thumbnails", move |report| {
            let renderer = match SlideRenderer::new(atlas) {
                Ok(r) => r,
                Err(e) => return report.send(ThumbMsg::Failed(e.to_string())),
            };
            for index in order {
                match renderer.render(&scenario, index, size, style) {
                    Ok(pixmap) => {
                        let image = ColorImage::from_rgba_premultiplied(
                            [size.0 as usize, size.1 as usize],
                            pixmap.data(),
                        );
                        let texture = texture_ctx.load_texture(
                            format!("slide-thumbnail-{index}"),
                            image,
                            TextureOptions::LINEAR,
                        );
                        report.send(ThumbMsg::Ready(index, texture));
                    }
                    Err(e) => report.send(ThumbMsg::Failed(e.to_string())),
                }
            }
        });
        match job {
            Ok(job) => self.job = Some(job),
            Err(e) => self.failure = Some(format!("no thumbnails: {e}")),
        }
    }

    /// Take the thumbnails that arrived.
    pub fn poll(&mut self) {
        let Some(job) = &mut self.job else { return };
        while let Some(msg) = job.poll() {
            match msg {
                ThumbMsg::Ready(i, texture) => {
                    self.thumbs.insert(i, texture);
                }
                ThumbMsg::Failed(e) => self.failure = Some(e),
            }
        }
    }

    /// Whether the picture of slide `index` is there (tests wait for it).
    #[must_use]
    pub fn has_thumbnail(&self, index: usize) -> bool {
        self.thumbs.contains_key(&index)
    }

    /// The view: slide n/N and title, elapsed time and clock, current and next slide, notes.
    pub fn ui(&self, ui: &mut Ui, scenario: &Scenario, index: usize, elapsed_s: f64) {
        let slides = &scenario.story.slides;
        let Some(slide) = slides.get(index) else {
            return;
        };
        ui.horizontal(|ui| {
            ui.heading(
                RichText::new(format!("Slide {} / {}", index + 1, slides.len()))
                    .size(28.0)
                    .strong(),
            );
            ui.add_space(24.0);
            ui.label(
                RichText::new(format!("Elapsed {}", format_elapsed(elapsed_s)))
                    .size(28.0)
                    .monospace(),
            );
            ui.add_space(24.0);
            ui.label(
                RichText::new(format!("Clock {}", wall_clock()))
                    .size(28.0)
                    .monospace(),
            );
        });
        ui.separator();
        let width = ((ui.available_width() - 24.0) / 2.0).max(120.0);
        let aspect = self
            .thumbs
            .values()
            .next()
            .map_or(9.0 / 16.0, |t| t.size_vec2().y / t.size_vec2().x.max(1.0));
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.label(RichText::new(format!("Now: {}", slide.title)).size(18.0));
                self.thumb_ui(
                    ui,
                    index,
                    &format!("Current slide: {}", slide.title),
                    width,
                    aspect,
                );
            });
            ui.add_space(16.0);
            ui.vertical(|ui| match slides.get(index + 1) {
                Some(next) => {
                    ui.label(RichText::new(format!("Next: {}", next.title)).size(18.0));
                    self.thumb_ui(
                        ui,
                        index + 1,
                        &format!("Next slide: {}", next.title),
                        width,
                        aspect,
                    );
                }
                None => {
                    ui.label(RichText::new("Last slide: Esc ends").size(18.0));
                }
            });
        });
        if let Some(e) = &self.failure {
            ui.colored_label(Color32::from_rgb(180, 40, 40), e);
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height((ui.available_height() - 40.0).max(80.0))
            .show(ui, |ui| {
                ui.label(
                    RichText::new(if slide.notes.is_empty() {
                        "(no notes)"
                    } else {
                        &slide.notes
                    })
                    .size(NOTES_PX),
                );
            });
        ui.separator();
        ui.label(
            "Right / PageDown / Space next · Left / PageUp previous · number + Enter go to · \
             B black · I ink · L laser · M map mode · Shift+drag pans · P hide this view · \
             Esc end",
        );
    }

    /// One slide's picture, named for screen readers and tests; a placeholder while rendering.
    fn thumb_ui(&self, ui: &mut Ui, index: usize, alt: &str, width: f32, aspect: f32) {
        let size = vec2(width, width * aspect);
        if let Some(t) = self.thumbs.get(&index) {
            ui.add(
                egui::Image::from_texture(t)
                    .fit_to_exact_size(size)
                    .alt_text(alt),
            );
        } else {
            let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
            ui.painter()
                .rect_filled(rect, 4.0, ui.visuals().faint_bg_color);
            ui.painter().text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                format!("{alt}\n(rendering...)"),
                egui::FontId::proportional(16.0),
                ui.visuals().weak_text_color(),
            );
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Label, true, format!("{alt} (rendering)"))
            });
        }
    }
}

/// Elapsed time as h:mm:ss (or mm:ss under an hour).
#[must_use]
pub fn format_elapsed(elapsed_s: f64) -> String {
    let s = elapsed_s.max(0.0) as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// The local wall-clock time as HH:MM (the system's time zone).
#[must_use]
pub fn wall_clock() -> String {
    jiff::ZonedDateTime::now().strftime("%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(x: f32, y: f32, w: f32, h: f32, primary: bool) -> Monitor {
        Monitor {
            rect_px: Rect::from_min_size(pos2(x, y), vec2(w, h)),
            primary,
        }
    }

    #[test]
    fn one_screen_or_unknown_screens_start_hidden() {
        let laptop = screen(0.0, 0.0, 1920.0, 1080.0, true);
        let audience = Some(Rect::from_min_size(pos2(0.0, 0.0), vec2(1920.0, 1080.0)));
        assert_eq!(choose_opening(&[laptop], audience, None), Opening::Hidden);
        assert_eq!(choose_opening(&[], audience, None), Opening::Hidden);
        assert_eq!(
            choose_opening(
                &[laptop, screen(1920.0, 0.0, 1280.0, 720.0, false)],
                None,
                None
            ),
            Opening::Hidden,
            "audience window unknown"
        );
    }

    #[test]
    fn two_screens_open_centred_on_the_other_one() {
        let laptop = screen(0.0, 0.0, 1920.0, 1200.0, true);
        let projector = screen(1920.0, 0.0, 1280.0, 720.0, false);
        // Audience on the projector: the view opens on the laptop, 80 pt inside, capped.
        let audience = Some(Rect::from_min_size(pos2(1920.0, 0.0), vec2(1280.0, 720.0)));
        assert_eq!(
            choose_opening(&[laptop, projector], audience, None),
            Opening::Show(Place {
                x: 160.0,
                y: 100.0,
                width: 1600.0,
                height: 1000.0
            })
        );
        // Audience on the laptop: the view goes to the projector, 1200×640 centred on it.
        let audience = Some(Rect::from_min_size(pos2(0.0, 0.0), vec2(1920.0, 1200.0)));
        assert_eq!(
            choose_opening(&[laptop, projector], audience, None),
            Opening::Show(Place {
                x: 1960.0,
                y: 40.0,
                width: 1200.0,
                height: 640.0
            })
        );
    }

    #[test]
    fn a_remembered_place_wins_only_on_a_screen_without_the_audience() {
        let laptop = screen(0.0, 0.0, 1920.0, 1080.0, true);
        let projector = screen(-1280.0, 0.0, 1280.0, 1024.0, false);
        let audience = Some(Rect::from_min_size(pos2(0.0, 0.0), vec2(1920.0, 1080.0)));
        let on_projector = Place {
            x: -1200.0,
            y: 50.0,
            width: 700.0,
            height: 500.0,
        };
        assert_eq!(
            choose_opening(&[laptop, projector], audience, Some(on_projector)),
            Opening::Show(on_projector)
        );
        // Remembered over the audience window: not used, the other screen is.
        let over_audience = Place {
            x: 100.0,
            y: 100.0,
            width: 700.0,
            height: 500.0,
        };
        assert_eq!(
            choose_opening(&[laptop, projector], audience, Some(over_audience)),
            Opening::Show(Place {
                x: -1240.0,
                y: 40.0,
                width: 1200.0,
                height: 944.0
            })
        );
        // On one screen, P shows it where the user last put it, else on the right 40 %.
        let right_part = Some(Place {
            x: 1152.0,
            y: 0.0,
            width: 768.0,
            height: 756.0,
        });
        assert_eq!(
            toggled_place(&[laptop], audience, Some(over_audience)),
            Some(over_audience)
        );
        assert_eq!(toggled_place(&[laptop], audience, None), right_part);
        // A place on a screen that has gone (the projector unplugged) is not used.
        assert_eq!(
            toggled_place(&[laptop], audience, Some(on_projector)),
            right_part
        );
        assert_eq!(
            toggled_place(&[], audience, Some(on_projector)),
            Some(on_projector),
            "screens unknown: trust the remembered place"
        );
    }

    #[test]
    fn monitors_convert_to_points_and_elapsed_time_reads_as_a_clock() {
        let m = monitors_in_points(&[screen(2880.0, 0.0, 2880.0, 1800.0, false)], 2.0);
        assert_eq!(
            m[0].rect_px,
            Rect::from_min_size(pos2(1440.0, 0.0), vec2(1440.0, 900.0))
        );
        assert_eq!(format_elapsed(0.4), "00:00");
        assert_eq!(format_elapsed(754.9), "12:34");
        assert_eq!(format_elapsed(3723.0), "1:02:03");
        let clock = wall_clock();
        assert_eq!(clock.len(), 5, "{clock}");
        assert_eq!(&clock[2..3], ":");
    }
}
