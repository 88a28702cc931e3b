//! `corridor-atlas render SCENARIO (--slide N --out FILE.png | --all-slides DIR | --pdf
//! DECK.pdf [--notes]) [--size WxH] [--style light|dark]`: story slides as PNG images or a PDF
//! deck, without a window.
//!
//! The pictures come from [`corridor_domain::draw::render`], the same drawing the GUI's "Export
//! slides as PNG" uses. This module reads the arguments and the scenario, names the output
//! files and reports problems: one line on stderr that names the file (with the line and
//! column when the scenario's text is at fault), exit status 1, never a panic.

use corridor_domain::plan::scenario::live_figures::caption_warnings;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use corridor_domain::Atlas;
use corridor_domain::draw::basemap::BasemapStyle;
use corridor_domain::draw::render::deck::{DeckOptions, save_deck};
use corridor_domain::draw::render::{RenderError, SlideRenderer, save_png};
use corridor_domain::plan::scenario::io::load;

/// Arguments of `corridor-atlas render`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    about = "Render story slides of a scenario as PNG images (no window needed)",
    long_about = "Render the slides of a scenario's story as PNG images, as presentation mode \
shows them: basemap, layers, labels, alternatives, caption, legend and attribution.\n\n\
Either one slide (--slide N --out FILE.png, slides counted from 1) or every slide \
(--all-slides DIR, written as DIR/slide-01.png, slide-02.png, ...), or a deck to send \
(--pdf DECK.pdf: one page per slide, the map as an image and the text as text; --notes adds \
a page of presenter notes after each slide that has some). The directory is created \
if needed. Problems are one line on stderr naming the file; exit status 1."
)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["slide", "all_slides", "pdf"])))]
pub struct RenderArgs {
    /// The scenario file (GeoJSON with a story).
    #[arg(
        value_name = "SCENARIO",
        help = "Scenario file (.geojson) with a story"
    )]
    pub scenario: PathBuf,
    /// The slide to render, counted from 1.
    #[arg(
        long,
        value_name = "N",
        requires = "out",
        help = "Render slide N (counted from 1)"
    )]
    pub slide: Option<usize>,
    /// Where the one slide goes.
    #[arg(long, value_name = "FILE", help = "PNG file for --slide")]
    pub out: Option<PathBuf>,
    /// Where every slide goes.
    #[arg(
        long,
        value_name = "DIR",
        conflicts_with_all = ["slide", "out"],
        help = "Render every slide into DIR as slide-01.png, slide-02.png, ..."
    )]
    pub all_slides: Option<PathBuf>,
    /// Where the PDF deck goes.
    #[arg(
        long,
        value_name = "DECK.pdf",
        conflicts_with_all = ["slide", "out", "all_slides"],
        help = "Write every slide into one PDF deck (vector text, the map as an image)"
    )]
    pub pdf: Option<PathBuf>,
    /// Presenter notes pages in the deck.
    #[arg(
        long,
        requires = "pdf",
        help = "With --pdf: a page of presenter notes after each slide that has notes"
    )]
    pub notes: bool,
    /// Image size in pixels.
    #[arg(
        long,
        value_name = "WxH",
        default_value = "1920x1080",
        value_parser = parse_size,
        help = "Image size in pixels, e.g. 1920x1080 (text scales with the height)"
    )]
    pub size: (u32, u32),
    /// Basemap look.
    #[arg(long, value_enum, default_value_t = Style::Light, help = "Basemap style")]
    pub style: Style,
}

/// The basemap style on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Style {
    /// For projectors and daylight.
    #[default]
    Light,
    /// For dim rooms.
    Dark,
}

impl From<Style> for BasemapStyle {
    fn from(s: Style) -> Self {
        match s {
            Style::Light => BasemapStyle::Light,
            Style::Dark => BasemapStyle::Dark,
        }
    }
}

/// `1920x1080` (also `1920X1080`, `1920×1080`) as (width, height).
pub fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("\"{s}\" is not a size like 1920x1080");
    let (w, h) = s.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    let max = corridor_domain::draw::render::MAX_EDGE_PX;
    if !(1..=max).contains(&w) || !(1..=max).contains(&h) {
        return Err(format!("{w}x{h}: each side must be 1 to {max} pixels"));
    }
    Ok((w, h))
}

/// The file name of slide `index` (0-based) in an `--all-slides` directory: `slide-01.png`;
/// two digits at least, so the files sort in slide order.
#[must_use]
pub fn slide_file_name(index: usize) -> String {
    format!("slide-{:02}.png", index + 1)
}

/// Run `corridor-atlas render`.
#[must_use]
pub fn run(args: &RenderArgs) -> ExitCode {
    match render(args) {
        Ok(written) => {
            let mut text = String::new();
            for path in &written {
                text.push_str(&path.display().to_string());
                text.push('\n');
            }
            super::print_or_fail("render", &text)
        }
        Err(message) => {
            // If stderr is gone there is nobody left to tell.
            let _ = writeln!(std::io::stderr(), "{message}");
            ExitCode::from(1)
        }
    }
}

/// Render what `args` ask for; the files written, or the one-line error.
fn render(args: &RenderArgs) -> Result<Vec<PathBuf>, String> {
    let scenario = load(&args.scenario).map_err(|e| e.to_string())?;
    let count = scenario.story.slides.len();
    let file = args.scenario.display();
    // Placeholders a caption cannot fill render as {?…}: say why, and render anyway.
    for (i, slide) in scenario.story.slides.iter().enumerate() {
        for warning in caption_warnings(slide, &scenario) {
            let _ = writeln!(
                std::io::stderr(),
                "warning: {file}: slide {}: {warning}",
                i + 1
            );
        }
    }
    if let Some(pdf) = &args.pdf {
        if count == 0 {
            return Err(format!("{file}: the scenario has no story slides"));
        }
        let renderer = renderer()?;
        let options = DeckOptions {
            size_px: args.size,
            style: args.style.into(),
            notes: args.notes,
        };
        save_deck(&renderer, &scenario, &options, pdf, &mut |_, _| {})
            .map_err(|e| format!("{}: {e}", pdf.display()))?;
        return Ok(vec![pdf.clone()]);
    }
    let jobs: Vec<(usize, PathBuf)> = match (&args.all_slides, args.slide, &args.out) {
        (Some(dir), _, _) => {
            if count == 0 {
                return Err(format!("{file}: the scenario has no story slides"));
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("{}: cannot create the directory: {e}", dir.display()))?;
            (0..count)
                .map(|i| (i, dir.join(slide_file_name(i))))
                .collect()
        }
        (None, Some(n), Some(out)) => {
            if n == 0 || n > count {
                return Err(format!(
                    "{file}: there is no slide {n}: the story has {count} slide(s), counted from 1"
                ));
            }
            vec![(n - 1, out.clone())]
        }
        _ => return Err("give --slide N with --out FILE.png, or --all-slides DIR".into()),
    };
    let renderer = renderer()?;
    let mut written = Vec::with_capacity(jobs.len());
    for (index, path) in jobs {
        let pixmap = renderer
            .render(&scenario, index, args.size, args.style.into())
            .map_err(|e| match e {
                RenderError::NoSuchSlide { .. } | RenderError::BadSize { .. } => {
                    format!("{file}: {e}")
                }
                other => other.to_string(),
            })?;
        save_png(&pixmap, &path).map_err(|e| e.to_string())?;
        written.push(path_for_display(&path));
    }
    Ok(written)
}

/// The renderer over the bundled atlas (its problems are warnings on stderr).
fn renderer() -> Result<SlideRenderer, String> {
    let atlas = Atlas::load_bundled();
    for problem in &atlas.problems {
        let _ = writeln!(std::io::stderr(), "warning: bundled data: {problem}");
    }
    SlideRenderer::new(Arc::new(atlas)).map_err(|e| e.to_string())
}

fn path_for_display(p: &Path) -> PathBuf {
    p.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_the_way_people_write_them() {
        assert_eq!(parse_size("1920x1080"), Ok((1920, 1080)));
        assert_eq!(parse_size("480X270"), Ok((480, 270)));
        assert_eq!(parse_size("640×360"), Ok((640, 360)));
        assert!(parse_size("1920").is_err());
        assert!(parse_size("0x10").is_err());
        assert!(parse_size("axb").is_err());
    }

    #[test]
    fn slide_files_sort_in_slide_order() {
        assert_eq!(slide_file_name(0), "slide-01.png");
        assert_eq!(slide_file_name(11), "slide-12.png");
    }
}
