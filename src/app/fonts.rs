//! Fonts: egui's own (Ubuntu Light) first, then a DejaVu Sans subset for the glyphs it
//! lacks — the ′ ″ of DMS coordinates, the underdotted letters of romanised place names —
//! so nothing in the data renders as an empty box (see `assets/fonts/README.md`).

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};

/// The fallback font's bytes.
const FALLBACK: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-subset.ttf"
));

/// Add the fallback to both families of `ctx` (a no-op if it is already there).
pub fn install(ctx: &egui::Context) {
    ctx.add_font(FontInsert {
        name: "DejaVuSans-subset".to_owned(),
        data: egui::FontData::from_static(FALLBACK),
        families: [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
            .into_iter()
            .map(|family| InsertFontFamily {
                family,
                priority: FontPriority::Lowest,
            })
            .collect(),
    });
}
