//! What the file dialogs (`egui_file`) start with and show: the folder of the last file (never
//! the file itself as a folder), the files each purpose can use, the name a typed file gets,
//! and the icons the dialog draws. Pure helpers; `files` owns the open dialog.

use std::path::{Path, PathBuf};

use corridor_domain::plan::exchange::ExportFormat;

/// Why a file dialog is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    Open,
    SaveAs,
    Import,
    /// Save an export (the comparison table) with this extension.
    Export(&'static str),
    /// A folder of SRTM `.hgt` tiles: a finer DEM for the ledger.
    Dem,
    /// A GeoTIFF DEM file.
    DemTiff,
    /// Save the alternatives with their ledger figures in another tool's format.
    ExportAlternatives(ExportFormat),
    /// A folder to write the story's slides into as PNG.
    Slides,
    /// The PDF file to write the story into as a deck.
    Deck,
}

/// The glyphs `egui_file` draws on its buttons and before each entry (📂 💾 📁 🗀 🗋 ⟲ ⬆),
/// which egui's default fonts lack: a 2 KB subset of Symbola (`assets/fonts/README.md`).
const DIALOG_ICONS_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/FileDialogIcons.ttf"
));

/// Add the dialog icons to the proportional family as its last fallback, so folders and
/// files show icons instead of empty boxes. egui keeps a font it already has, so calling this
/// every frame costs a lookup; it keeps every other font (`add_font`, not `set_fonts`).
pub fn install_dialog_icons(ctx: &egui::Context) {
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "corridor-atlas-file-dialog-icons",
        egui::FontData::from_static(DIALOG_ICONS_TTF),
        vec![egui::epaint::text::InsertFontFamily {
            family: egui::FontFamily::Proportional,
            priority: egui::epaint::text::FontPriority::Lowest,
        }],
    ));
}

/// Extensions of files a scenario can be saved as.
pub const SCENARIO_EXTENSIONS: &[&str] = &["geojson", "json"];

/// The files each dialog lists (folders are always listed); `None`: every file.
#[must_use]
pub fn dialog_extensions(purpose: DialogPurpose) -> Option<Vec<&'static str>> {
    let list: &[&'static str] = match purpose {
        DialogPurpose::Open => &["geojson", "json", "kml", "gpx"],
        DialogPurpose::Import => &[
            "geojson",
            "json",
            "geojsonl",
            "geojsons",
            "geojsonseq",
            "ndjson",
            "kml",
            "gpx",
        ],
        DialogPurpose::SaveAs => SCENARIO_EXTENSIONS,
        DialogPurpose::Export(ext) => return Some(vec![ext]),
        DialogPurpose::ExportAlternatives(format) => return Some(vec![format.extension()]),
        DialogPurpose::DemTiff => &["tif", "tiff"],
        DialogPurpose::Deck => &["pdf"],
        DialogPurpose::Dem | DialogPurpose::Slides => return None,
    };
    Some(list.to_vec())
}

/// Whether `path` ends in one of `extensions` (any case).
#[must_use]
pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// `path` with `.ext` added when the name typed has no extension (`plan` → `plan.geojson`),
/// so a save or export is a file the dialogs and other tools recognise.
#[must_use]
pub fn with_default_extension(path: PathBuf, ext: &str) -> PathBuf {
    if path.extension().is_some() {
        path
    } else {
        let mut name = path.into_os_string();
        name.push(".");
        name.push(ext);
        PathBuf::from(name)
    }
}

/// Where a dialog starts for a file the user last used: its folder (`.` for a bare name)
/// and its file name. Pure: no file system access on the UI thread.
#[must_use]
pub fn dialog_start(file: Option<&Path>) -> (Option<PathBuf>, Option<String>) {
    let Some(file) = file else {
        return (None, None);
    };
    let folder = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    (Some(folder), name)
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn dialogs_start_in_the_folder_of_the_last_file_not_inside_it() {
        let (folder, name) = dialog_start(Some(Path::new("/home/p/plans/my.geojson")));
        assert_eq!(folder.as_deref(), Some(Path::new("/home/p/plans")));
        assert_eq!(name.as_deref(), Some("my.geojson"));
        let (folder, _) = dialog_start(Some(Path::new("my.geojson")));
        assert_eq!(folder.as_deref(), Some(Path::new(".")));
        assert_eq!(dialog_start(None), (None, None));
    }

    #[test]
    fn a_name_without_extension_gets_the_formats() {
        let p = with_default_extension(PathBuf::from("/tmp/plan"), "geojson");
        assert_eq!(p, Path::new("/tmp/plan.geojson"));
        let p = with_default_extension(PathBuf::from("/tmp/plan.json"), "geojson");
        assert_eq!(p, Path::new("/tmp/plan.json"));
    }

    #[test]
    fn dialogs_list_only_the_files_they_can_use() {
        let open = dialog_extensions(DialogPurpose::Open).expect("a filter");
        assert!(has_extension(Path::new("a/b.GeoJSON"), &open));
        assert!(has_extension(Path::new("route.kml"), &open));
        assert!(!has_extension(Path::new("notes.txt"), &open));
        assert!(!has_extension(Path::new("geojson"), &open));
        let gpkg = dialog_extensions(DialogPurpose::ExportAlternatives(ExportFormat::Gpkg))
            .expect("a filter");
        assert_eq!(gpkg, ["gpkg"]);
        assert_eq!(dialog_extensions(DialogPurpose::Dem), None);
    }
}
