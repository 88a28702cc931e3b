//! The comparison slide in presentation mode: the ledger table and the existing/new-build
//! chart of the slide's alternatives, from the Compare panel's own ledgers (the same
//! `LedgerCache`), drawn by the headless renderer's `draw_comparison` so the room sees exactly
//! what an exported slide or deck shows. The picture is cached as a texture and redrawn only
//! when the figures, the window size or the style change.

use std::hash::{BuildHasher, Hash, Hasher};

use egui::{Color32, ColorImage, Rect, TextureHandle, TextureOptions, Ui, pos2};
use tiny_skia::{IntRect, Pixmap};

use corridor_domain::draw::render::Font;
use corridor_domain::draw::render::comparison::{ComparisonEntry, compared_ids, draw_comparison};
use corridor_domain::draw::render::ink::Canvas;
use corridor_domain::plan::scenario::model::Scenario;
use corridor_domain::plan::scenario::story::{Slide, SlideLayout};

use super::compare::LedgerCache;

/// The entries of `slide` from the app's ledgers, in scenario order; alternatives whose
/// ledger is not computed yet are left out until it is.
#[must_use]
pub fn entries(slide: &Slide, scenario: &Scenario, ledgers: &LedgerCache) -> Vec<ComparisonEntry> {
    let ids = compared_ids(slide, scenario);
    ledgers
        .rows(scenario)
        .into_iter()
        .filter(|(id, _)| ids.contains(id))
        .filter_map(|(id, row)| {
            let color = scenario.alignment(id)?.color;
            Some(ComparisonEntry { color, row })
        })
        .collect()
}

/// A fingerprint of what the picture shows.
fn key(entries: &[ComparisonEntry], size: [usize; 2], dark: bool, note: &str) -> u64 {
    let mut h = foldhash::fast::FixedState::default().build_hasher();
    note.hash(&mut h);
    size.hash(&mut h);
    dark.hash(&mut h);
    for e in entries {
        e.color.hash(&mut h);
        format!("{:?}", e.row).hash(&mut h);
    }
    h.finish()
}

/// Draw the comparison panel of `slide` over the map frame of the slide that fills `rect`.
pub fn comparison_slide_ui(
    ui: &Ui,
    rect: Rect,
    (slide, scenario): (&Slide, &Scenario),
    ledgers: &LedgerCache,
    dark: bool,
) {
    let entries = &entries(slide, scenario, ledgers)[..];
    let note = if compared_ids(slide, scenario).is_empty() {
        "No alternatives to compare: highlight some on this slide."
    } else {
        "Computing the ledgers… the figures appear here as soon as Compare has them."
    };
    let (w, h) = (rect.width().round() as u32, rect.height().round() as u32);
    let layout = SlideLayout::new(f64::from(w), f64::from(h));
    let [x0, y0, x1, y1] = layout.map_frame_px;
    let Some(frame) = IntRect::from_ltrb(
        x0.floor() as i32,
        y0.floor() as i32,
        x1.ceil() as i32,
        y1.ceil() as i32,
    ) else {
        return;
    };
    let size = [frame.width() as usize, frame.height() as usize];
    let k = key(entries, [w as usize, h as usize], dark, note);
    let id = egui::Id::unique("comparison-slide-texture");
    let cached: Option<(u64, TextureHandle)> = ui.ctx().data(|d| d.get_temp(id));
    let texture = match cached {
        Some((old, t)) if old == k => t,
        _ => {
            let Some(image) = render(&layout, (w, h), frame, entries, dark, note) else {
                return;
            };
            let t = ui
                .ctx()
                .load_texture("comparison-slide", image, TextureOptions::LINEAR);
            ui.ctx().data_mut(|d| d.insert_temp(id, (k, t.clone())));
            t
        }
    };
    let at = Rect::from_min_size(
        rect.min + egui::vec2(frame.x() as f32, frame.y() as f32),
        egui::vec2(size[0] as f32, size[1] as f32),
    );
    ui.painter().image(
        texture.id(),
        at,
        Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
        Color32::WHITE,
    );
}

/// The panel as an image of the frame's size (drawn on a slide-sized pixmap, then cut out).
fn render(
    layout: &SlideLayout,
    (w, h): (u32, u32),
    frame: IntRect,
    entries: &[ComparisonEntry],
    dark: bool,
    note: &str,
) -> Option<ColorImage> {
    let font = Font::ubuntu_light().ok()?;
    let mut pixmap = Pixmap::new(w.max(1), h.max(1))?;
    let mut canvas = Canvas::new(&mut pixmap, true);
    draw_comparison(&mut canvas, &font, layout, entries, dark, note);
    let part = pixmap.clone_rect(frame)?;
    Some(ColorImage::from_rgba_premultiplied(
        [part.width() as usize, part.height() as usize],
        part.data(),
    ))
}
