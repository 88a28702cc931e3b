//! Presentation mode glue: start and stop, fly to a slide, the reveal's running figures and
//! the full-screen frame with its presenter view. The presenter's own state and overlay are
//! in [`super::present`].

use egui::Ui;
use walkers::lon_lat;

use corridor_domain::atlas::bundled::ATTRIBUTION;
use corridor_domain::draw::basemap::BasemapStyle;
use corridor_domain::map::mercator::{WorldRect, world_from_lonlat, world_per_px};
use corridor_domain::plan::scenario::story::{Camera, SlideKind, slide_camera};

use super::AtlasApp;
use super::comparison_slide::comparison_slide_ui;
use super::map_view::{self, MapInputs, map_ui};
use super::monitors;
use super::present::{Nav, Presenter};
use super::presenter_view::{Opening, Place, choose_opening, monitors_in_points, toggled_place};

impl AtlasApp {
    /// Start presenting the story at slide `index` (F5: the first, Shift+F5: the selected).
    pub fn start_presentation(&mut self, ctx: &egui::Context, index: usize) {
        let count = self.doc.scenario().story.slides.len();
        if count == 0 {
            self.status =
                Some("The story has no slides: capture one in the Story panel first.".into());
            return;
        }
        self.presenter.saved_layers = Some(self.layers.iter().map(|l| l.visible).collect());
        self.presenter
            .start(index.min(count - 1), ctx.input(|i| i.time));
        self.pending_slide = Some(index.min(count - 1));
        self.map.fit_pending = false;
        // The presenter view goes to another screen if there is one; on one screen it starts
        // hidden (P shows it), so it never covers the audience view.
        let (audience, ppp) = ctx.input(|i| {
            let v = i.viewport();
            (v.outer_rect, v.native_pixels_per_point.unwrap_or(1.0))
        });
        let screens = monitors_in_points(&monitors::monitors(), ppp);
        let opening = choose_opening(&screens, audience, self.presenter_view.remembered);
        self.show_presenter_view = matches!(opening, Opening::Show(_));
        self.presenter_view.reset(
            match opening {
                Opening::Show(place) => Some(place),
                Opening::Hidden => None,
            },
            screens,
        );
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    /// Leave presentation mode: layers as they were, window as it was.
    pub fn stop_presentation(&mut self, ctx: &egui::Context) {
        if let Some(saved) = self.presenter.saved_layers.take() {
            for (l, v) in self.layers.iter_mut().zip(saved) {
                l.visible = v;
            }
        }
        self.presenter.active = false;
        self.basemaps.hold_requests(false);
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
    }

    /// The presentation state (tests read the slide index and animations).
    #[must_use]
    pub fn presenter(&self) -> &Presenter {
        &self.presenter
    }

    /// The presenter view's state (tests wait for its thumbnails).
    #[must_use]
    pub fn presenter_view(&self) -> &super::presenter_view::PresenterView {
        &self.presenter_view
    }

    fn current_camera(&self) -> Camera {
        let (lon, lat) = self.center_lonlat().unwrap_or((67.0, 38.0));
        Camera {
            lon,
            lat,
            zoom: self.map.zoom(),
        }
    }

    fn go_to_slide(&mut self, index: usize, viewport_px: (f64, f64), now_s: f64) {
        let current = self.current_camera();
        self.presenter
            .go_to(index, self.doc.scenario(), current, viewport_px, now_s);
        // The landing view's tiles go to the workers now; during the flight the map draws
        // from the cache (see `Basemaps::hold_requests`).
        if let Some(slide) = self.doc.scenario().story.slides.get(index) {
            let to = slide_camera(slide, self.doc.scenario(), viewport_px);
            let centre = world_from_lonlat(to.lon, to.lat);
            let per_px = world_per_px(to.zoom);
            let half = [viewport_px.0 / 2.0 * per_px, viewport_px.1 / 2.0 * per_px];
            let view = WorldRect::from_corners(
                [centre[0] - half[0], centre[1] - half[1]],
                [centre[0] + half[0], centre[1] + half[1]],
            );
            self.basemaps.prefetch_view(&view, to.zoom);
        }
        if let Some(ids) = self
            .doc
            .scenario()
            .story
            .slides
            .get(index)
            .and_then(|s| s.layers.clone())
        {
            for l in &mut self.layers {
                l.visible = ids.contains(&l.id);
            }
        }
    }

    /// The running figures of the alternative being revealed, from its ledger.
    fn reveal_text(
        &self,
        id: corridor_domain::plan::scenario::model::AlignmentId,
        fraction: f64,
    ) -> Option<String> {
        let l = self.ledgers.get(id)?;
        let c = l.length_m * fraction;
        let countries: std::collections::BTreeSet<&str> = l
            .country_pieces
            .iter()
            .filter(|p| p.start_m <= c && p.iso_a3 != corridor_domain::measure::ledger::SEA_CODE)
            .map(|p| p.iso_a3.as_str())
            .collect();
        let crossings = l
            .crossings
            .iter()
            .filter(|x| {
                x.chainage_m <= c
                    && x.from_iso_a3 != corridor_domain::measure::ledger::SEA_CODE
                    && x.to_iso_a3 != corridor_domain::measure::ledger::SEA_CODE
            })
            .count();
        Some(format!(
            "{} · {} countries · {} border crossings · ~{} so far (pro rata)",
            corridor_domain::measure::ledger::figure::km_text(c / 1000.0),
            countries.len(),
            crossings,
            corridor_domain::measure::ledger::figure::musd_text(l.cost.total_usd * fraction)
        ))
    }

    pub(super) fn presentation_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let now = ui.input(|i| i.time);
        let count = self.doc.scenario().story.slides.len();
        let mut audience_px = (0.0, 0.0);
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let rect = ui.available_rect_before_wrap();
            audience_px = (rect.width(), rect.height());
            let viewport = (f64::from(rect.width()), f64::from(rect.height()));
            match self.presenter.keys(ui, count, now) {
                Some(Nav::Exit) => {
                    self.stop_presentation(&ctx);
                    return;
                }
                Some(Nav::Go(i)) => self.go_to_slide(i, viewport, now),
                Some(Nav::TogglePresenterView) => {
                    self.show_presenter_view = !self.show_presenter_view;
                    if self.show_presenter_view {
                        // Back where the user last had it (it may have moved since F5).
                        let audience = ctx.input(|i| i.viewport().outer_rect);
                        let view = &mut self.presenter_view;
                        view.opening = toggled_place(&view.screens, audience, view.remembered)
                            .or(view.opening);
                    }
                }
                None => {}
            }
            if let Some(i) = self.pending_slide.take() {
                self.go_to_slide(i, viewport, now);
            }
            if let Some(cam) = self.presenter.tick(now) {
                self.map.memory.center_at(lon_lat(cam.lon, cam.lat));
                let _ = self
                    .map
                    .memory
                    .set_zoom(cam.zoom.clamp(map_view::MIN_ZOOM, map_view::MAX_ZOOM));
            }
            self.basemaps.hold_requests(self.presenter.flying());
            let index = self.presenter.index;
            let Some(slide) = self.doc.scenario().story.slides.get(index).cloned() else {
                self.stop_presentation(&ctx);
                return;
            };
            let reveal = self.presenter.reveal_fraction(now);
            let attribution = match self.basemaps.attribution() {
                extra if extra.is_empty() => ATTRIBUTION.to_owned(),
                extra => format!("{extra} · {ATTRIBUTION}"),
            };
            let pan = self.presenter.navigating(ui);
            let inputs = MapInputs {
                atlas: self.atlas.as_deref(),
                layers: &self.layers,
                selected: None,
                hovered: None,
                attribution: &attribution,
                dark: self.basemaps.is_dark(),
                scenario: self.doc.scenario(),
                marker: None,
                ledgers: Some(&self.ledgers),
                presenting: Some(map_view::Presenting {
                    highlight: &slide.highlight,
                    reveal,
                    pan,
                    zoom: self.presenter.map_mode,
                }),
            };
            let _ = map_ui(
                ui,
                &mut self.map,
                &mut self.basemaps,
                &mut self.layer_tiles,
                &mut self.sketch,
                &inputs,
            );
            if slide.kind == SlideKind::Comparison {
                let shown = (&slide, self.doc.scenario());
                comparison_slide_ui(ui, rect, shown, &self.ledgers, self.basemaps.is_dark());
            }
            let reveal_text = reveal.and_then(|(id, f)| self.reveal_text(id, f));
            let rows = self.ledgers.rows(self.doc.scenario());
            self.presenter.overlay_ui(
                ui,
                rect,
                &slide,
                self.doc.scenario(),
                &rows,
                count,
                reveal_text.as_deref(),
            );
        });
        if self.presenter.animating(now) {
            ctx.request_repaint();
        }
        if self.show_presenter_view && self.presenter.active {
            self.presenter_view_window(&ctx, now, audience_px);
        }
    }

    /// The presenter view in its own window (embedded in the main one where the backend has
    /// a single window, as in tests). Remembers where the user puts it.
    fn presenter_view_window(&mut self, ctx: &egui::Context, now: f64, audience_px: (f32, f32)) {
        let index = self.presenter.index;
        let style = if self.basemaps.is_dark() {
            BasemapStyle::Dark
        } else {
            BasemapStyle::Light
        };
        self.presenter_view.poll();
        self.presenter_view.ensure_thumbnails(
            ctx,
            self.atlas.as_ref(),
            self.doc.scenario(),
            index,
            audience_px,
            style,
        );
        let mut builder = egui::ViewportBuilder::default()
            .with_title("Presenter view")
            .with_inner_size([900.0, 640.0]);
        if let Some(p) = self.presenter_view.opening {
            builder = builder
                .with_position([p.x, p.y])
                .with_inner_size([p.width, p.height]);
        }
        let scenario = self.doc.scenario();
        let elapsed = self.presenter.elapsed_s(now);
        let view = &self.presenter_view;
        let (mut seen, mut close) = (None, false);
        ctx.show_viewport_immediate(
            egui::ViewportId::from_hash_of("presenter-view"),
            builder,
            |ui, class| {
                egui::CentralPanel::default().show(ui, |ui| view.ui(ui, scenario, index, elapsed));
                if class != egui::ViewportClass::EmbeddedWindow {
                    ui.input(|i| {
                        let v = i.viewport();
                        close = v.close_requested();
                        let normal =
                            !v.fullscreen.unwrap_or(false) && !v.minimized.unwrap_or(false);
                        if let (Some(outer), Some(inner), true) =
                            (v.outer_rect, v.inner_rect, normal)
                        {
                            seen = Some(Place {
                                x: outer.min.x,
                                y: outer.min.y,
                                width: inner.width(),
                                height: inner.height(),
                            });
                        }
                    });
                }
            },
        );
        if seen.is_some() {
            self.presenter_view.remembered = seen;
        }
        if close {
            self.show_presenter_view = false;
        }
        // The timer and the clock tick once a second while presenting.
        ctx.request_repaint_after(std::time::Duration::from_secs(1));
    }
}
