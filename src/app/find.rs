//! Find a place (Ctrl+F): a search box over every bundled and imported name
//! ([`corridor_domain::atlas::find`]), or a typed coordinate; Enter (or a click) flies the
//! map there. Up/Down choose among the matches, Esc closes.

use std::sync::Arc;

use egui::{Key, Ui};
use walkers::lon_lat;

use corridor_domain::Atlas;
use corridor_domain::atlas::find::{Found, Place, PlaceIndex};
use corridor_domain::map::mercator::{WorldRect, zoom_to_fit};

use super::map_view::{MAX_ZOOM, MIN_ZOOM, MapState};

/// How many matches the list shows.
const SHOWN: usize = 8;
/// Zoom for a point place or a typed coordinate: a town and its surroundings.
const POINT_ZOOM: f64 = 11.0;

/// The search box's state.
#[derive(Default)]
pub struct FindPlace {
    pub open: bool,
    pub query: String,
    /// Which match Enter takes (Up/Down move it).
    chosen: usize,
    focus_next_frame: bool,
    /// The index and the atlas it was built from (rebuilt when an import changes it).
    index: Option<(Arc<Atlas>, PlaceIndex)>,
}

/// Where to fly: a centre and a zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

impl FindPlace {
    /// Open the box with its text selected, ready to type.
    pub fn open(&mut self) {
        self.open = true;
        self.focus_next_frame = true;
    }

    /// Index `atlas`'s names unless they already are.
    fn ensure_index(&mut self, atlas: &Arc<Atlas>) {
        if !self
            .index
            .as_ref()
            .is_some_and(|(a, _)| Arc::ptr_eq(a, atlas))
        {
            self.index = Some((Arc::clone(atlas), PlaceIndex::new(&atlas.layers)));
        }
    }

    /// The box, at the top of the map's `rect`. Returns where to fly when the user picks a
    /// match.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        rect: egui::Rect,
        atlas: &Arc<Atlas>,
        map: &MapState,
    ) -> Option<Target> {
        if !self.open {
            return None;
        }
        let mut open = self.open;
        let mut target = None;
        let focus = std::mem::take(&mut self.focus_next_frame);
        let (up, down, enter, esc) = ctx.input(|i| {
            (
                i.key_pressed(Key::ArrowUp),
                i.key_pressed(Key::ArrowDown),
                i.key_pressed(Key::Enter),
                i.key_pressed(Key::Escape),
            )
        });
        let query = self.query.clone();
        let view = map.last_rect.unwrap_or(rect);
        self.ensure_index(atlas);
        let (_, index) = self.index.as_ref()?;
        let found = index.find(&query, SHOWN);
        let count = match &found {
            Found::Places(p) => p.len(),
            Found::Coordinate { .. } => 1,
        };
        let mut chosen = self.chosen.min(count.saturating_sub(1));
        egui::Window::new("Find a place")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(340.0)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(rect.center_top() + egui::vec2(0.0, 12.0))
            .show(ctx, |ui| {
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("Name, lon,lat or 34°05′N 71°10′E")
                        .desired_width(320.0),
                );
                if focus {
                    edit.request_focus();
                }
                if edit.has_focus() || edit.lost_focus() {
                    if down {
                        chosen = (chosen + 1).min(count.saturating_sub(1));
                    }
                    if up {
                        chosen = chosen.saturating_sub(1);
                    }
                }
                let pressed_enter = edit.lost_focus() && enter;
                match &found {
                    _ if query.trim().is_empty() => {
                        ui.weak("Every bundled and imported name; accents and spelling need not be exact.");
                    }
                    Found::Coordinate { lon, lat } => {
                        let label = format!("Go to {lat:.4}° N {lon:.4}° E");
                        if ui.selectable_label(true, label).clicked() || pressed_enter {
                            target = Some(Target {
                                lon: *lon,
                                lat: *lat,
                                zoom: POINT_ZOOM,
                            });
                        }
                    }
                    Found::Places(places) if places.is_empty() => {
                        ui.weak(format!("No place called {query:?}."));
                    }
                    Found::Places(places) => {
                        for (i, p) in places.iter().enumerate() {
                            let label = format!("{} — {}", p.name, p.layer);
                            if ui.selectable_label(i == chosen, label).clicked()
                                || (pressed_enter && i == chosen)
                            {
                                target = Some(target_of(p, view));
                            }
                        }
                    }
                }
            });
        self.chosen = chosen;
        if esc || target.is_some() {
            open = false;
        }
        self.open = open;
        target
    }
}

/// Centre on a place, zoomed to show all of it (a point at [`POINT_ZOOM`]).
fn target_of(place: &Place, view: egui::Rect) -> Target {
    let [west, south, east, north] = place.extent;
    let zoom = if east - west < 1e-6 && north - south < 1e-6 {
        POINT_ZOOM
    } else {
        zoom_to_fit(
            &WorldRect::from_lonlat_bounds(west, south, east, north),
            f64::from(view.width()),
            f64::from(view.height()),
            40.0,
        )
        .min(POINT_ZOOM)
    };
    Target {
        lon: place.lon,
        lat: place.lat,
        zoom: zoom.clamp(MIN_ZOOM, MAX_ZOOM),
    }
}

/// Put the map on `target`.
pub fn fly(map: &mut MapState, target: Target) {
    map.fit_pending = false;
    map.memory.center_at(lon_lat(target.lon, target.lat));
    let _ = map.memory.set_zoom(target.zoom);
}

/// The View menu's entry.
pub fn menu_entry(ui: &mut Ui, find: &mut FindPlace) {
    if ui
        .add(egui::Button::new("Find a place…").shortcut_text("Ctrl+F"))
        .clicked()
    {
        find.open();
        ui.close();
    }
}
