//! A story as a PDF deck to send: one page per slide, the map (with its place labels) as an
//! image and everything else — title, caption, legend, comparison table, scale bar, slide
//! number, attribution — as real text in the embedded Ubuntu Light, so it stays sharp at any
//! zoom and can be searched and copied. Optionally a notes page follows each slide.
//!
//! Written with `pdf-writer` (typst's PDF writer). The font is embedded whole as a CID font
//! (glyph ids as character codes, so any character the font has prints) with a ToUnicode map
//! for copying text; the image and the font are deflated.

use std::collections::BTreeMap;
use std::path::Path;

use miniz_oxide::deflate::compress_to_vec_zlib;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

use super::ink::{TextRole, TextRun};
use super::text::{Font, wrap};
use super::{RenderError, SlideRenderer};
use crate::draw::basemap::BasemapStyle;
use crate::plan::scenario::io::write_atomic;
use crate::plan::scenario::model::Scenario;

/// Height of a page in points: 7.5 in, a 16:9 slide deck's page (13.33 × 7.5 in at 16:9).
pub const PAGE_HEIGHT_PT: f32 = 540.0;

/// What a deck holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeckOptions {
    /// Size the slides are laid out and the map rendered at (pixels).
    pub size_px: (u32, u32),
    pub style: BasemapStyle,
    /// A page of presenter notes after each slide that has notes.
    pub notes: bool,
}

impl Default for DeckOptions {
    fn default() -> Self {
        Self {
            size_px: (1920, 1080),
            style: BasemapStyle::Light,
            notes: false,
        }
    }
}

/// One page before it is written: the map image (none on a notes page) and the text.
struct Page {
    image: Option<Vec<u8>>,
    runs: Vec<TextRun>,
}

/// The deck of `scenario`'s story as PDF bytes. `progress(done, total)` is called after each
/// slide (rendering a slide takes a moment).
pub fn deck_pdf(
    renderer: &SlideRenderer,
    scenario: &Scenario,
    options: &DeckOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<u8>, RenderError> {
    let count = scenario.story.slides.len();
    if count == 0 {
        return Err(RenderError::NoSlides);
    }
    let (w, h) = options.size_px;
    let mut pages = Vec::new();
    for (i, slide) in scenario.story.slides.iter().enumerate() {
        let frame = renderer.render_frame(scenario, i, options.size_px, options.style, false)?;
        let rgb: Vec<u8> = frame
            .pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue()]
            })
            .collect();
        let runs = frame
            .runs
            .into_iter()
            .filter(|r| r.role != TextRole::Label)
            .collect();
        pages.push(Page {
            image: Some(rgb),
            runs,
        });
        if options.notes && !slide.notes.trim().is_empty() {
            pages.push(notes_page(
                renderer.font(),
                &slide.title,
                &slide.notes,
                (i + 1, count),
                options.size_px,
            ));
        }
        progress(i + 1, count);
    }
    Ok(write_pdf(renderer.font(), &pages, (w, h)))
}

/// Write the deck to `path` atomically; returns the number of pages.
pub fn save_deck(
    renderer: &SlideRenderer,
    scenario: &Scenario,
    options: &DeckOptions,
    path: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize, RenderError> {
    let bytes = deck_pdf(renderer, scenario, options, progress)?;
    write_atomic(path, &bytes)?;
    Ok(page_count(scenario, options))
}

/// How many pages the deck of `scenario` has.
#[must_use]
pub fn page_count(scenario: &Scenario, options: &DeckOptions) -> usize {
    let slides = &scenario.story.slides;
    slides.len()
        + if options.notes {
            slides.iter().filter(|s| !s.notes.trim().is_empty()).count()
        } else {
            0
        }
}

/// A notes page: "Notes — title", the slide number, and the notes in large type.
fn notes_page(
    font: &Font,
    title: &str,
    notes: &str,
    (number, count): (usize, usize),
    (w, h): (u32, u32),
) -> Page {
    let s = h as f32 / 1080.0;
    let margin = 80.0 * s;
    let ink = [30, 30, 30, 255];
    let mut runs = vec![TextRun {
        text: format!("Notes — {title}"),
        x_px: margin,
        y_px: margin,
        size_px: 44.0 * s,
        color: ink,
        bold: true,
        role: TextRole::Title,
    }];
    let size = 30.0 * s;
    let mut y = margin + 90.0 * s;
    for paragraph in notes.split("\n\n") {
        let pieces = [(paragraph.replace('\n', " "), false)];
        for line in wrap(font, &pieces, size, w as f32 - 2.0 * margin) {
            for run in line {
                runs.push(TextRun {
                    text: run.text,
                    x_px: margin + run.x_px,
                    y_px: y,
                    size_px: size,
                    color: ink,
                    bold: false,
                    role: TextRole::Caption,
                });
            }
            y += size * 1.3;
        }
        y += size * 0.5;
    }
    runs.push(TextRun {
        text: format!("slide {number} / {count}"),
        x_px: margin,
        y_px: h as f32 - margin,
        size_px: 22.0 * s,
        color: [110, 110, 110, 255],
        bold: false,
        role: TextRole::SlideNumber,
    });
    Page { image: None, runs }
}

/// Lay the pages out as PDF: each page is `PAGE_HEIGHT_PT` high with the image's aspect.
fn write_pdf(font: &Font, pages: &[Page], (w, h): (u32, u32)) -> Vec<u8> {
    let k = PAGE_HEIGHT_PT / h as f32; // points per pixel
    let page_w = w as f32 * k;
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree = alloc();
    let font_ref = alloc();
    let cid_ref = alloc();
    let descriptor = alloc();
    let file_ref = alloc();
    let unicode_ref = alloc();
    let mut pdf = Pdf::new();

    // Every glyph the deck uses: id → (char, advance).
    let mut glyphs: BTreeMap<u16, (char, f32)> = BTreeMap::new();
    for c in pages
        .iter()
        .flat_map(|p| &p.runs)
        .flat_map(|r| r.text.chars())
    {
        let (gid, advance) = font.glyph_id_advance(c);
        glyphs.entry(gid).or_insert((c, advance));
    }
    let per_mille = 1000.0 / font.units_per_em();

    let page_refs: Vec<(Ref, Ref, Option<Ref>)> = pages
        .iter()
        .map(|p| (alloc(), alloc(), p.image.as_ref().map(|_| alloc())))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().map(|(r, ..)| *r))
        .count(page_refs.len() as i32);

    // The font: Type0 over a CID TrueType font whose CIDs are glyph ids.
    let name = Name(b"Ubuntu-Light");
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(font_ref)
        .base_font(name)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_ref)
        .to_unicode(unicode_ref);
    let mut cid = pdf.cid_font(cid_ref);
    cid.subtype(CidFontType::Type2)
        .base_font(name)
        .system_info(info)
        .font_descriptor(descriptor)
        .cid_to_gid_map_predefined(Name(b"Identity"))
        .default_width(0.0);
    {
        let mut widths = cid.widths();
        for (gid, (_, advance)) in &glyphs {
            widths.consecutive(*gid, [advance * per_mille]);
        }
    }
    cid.finish();
    let em = font.em_px(1.0);
    let ascent = font.baseline_px(1.0) / em * 1000.0;
    pdf.font_descriptor(descriptor)
        .name(name)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(-200.0, -250.0, 1200.0, 1000.0))
        .italic_angle(0.0)
        .ascent(ascent)
        .descent(ascent - 1000.0 / em)
        .cap_height(700.0)
        .stem_v(60.0)
        .font_file2(file_ref);
    let font_data = compress_to_vec_zlib(font.data(), 6);
    pdf.stream(file_ref, &font_data)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), font.data().len() as i32);
    let mut cmap = UnicodeCmap::new(Name(b"Ubuntu-Light-UTF16"), info);
    for (gid, (c, _)) in &glyphs {
        cmap.pair(*gid, *c);
    }
    pdf.stream(unicode_ref, &cmap.finish());

    for (page, (page_ref, content_ref, image_ref)) in pages.iter().zip(&page_refs) {
        let mut p = pdf.page(*page_ref);
        p.media_box(Rect::new(0.0, 0.0, page_w, PAGE_HEIGHT_PT))
            .parent(tree)
            .contents(*content_ref);
        let mut resources = p.resources();
        resources.fonts().pair(Name(b"F1"), font_ref);
        if let Some(r) = image_ref {
            resources.x_objects().pair(Name(b"Map"), *r);
        }
        resources.finish();
        p.finish();

        let mut content = Content::new();
        if let (Some(rgb), Some(r)) = (&page.image, image_ref) {
            let data = compress_to_vec_zlib(rgb, 6);
            let mut image = pdf.image_xobject(*r, &data);
            image.filter(Filter::FlateDecode);
            image.width(w as i32).height(h as i32).bits_per_component(8);
            image.color_space().device_rgb();
            image.finish();
            content.save_state();
            content.transform([page_w, 0.0, 0.0, PAGE_HEIGHT_PT, 0.0, 0.0]);
            content.x_object(Name(b"Map"));
            content.restore_state();
        }
        for run in &page.runs {
            text_run(&mut content, font, run, k);
        }
        pdf.stream(*content_ref, &content.finish());
    }
    pdf.finish()
}

/// One run as PDF text: baseline from the top-left corner, y up from the page's bottom;
/// bold as fill plus a thin stroke of the outline, as the raster slides draw it.
#[allow(
    clippy::many_single_char_names,
    reason = "r, g, b, x, y, k: colour channels and page coordinates"
)]
fn text_run(content: &mut Content, font: &Font, run: &TextRun, k: f32) {
    let [r, g, b, _] = run.color.map(|c| f32::from(c) / 255.0);
    let size_pt = font.em_px(run.size_px) * k;
    let x = run.x_px * k;
    let y = PAGE_HEIGHT_PT - (run.y_px + font.baseline_px(run.size_px)) * k;
    let codes: Vec<u8> = run
        .text
        .chars()
        .flat_map(|c| font.glyph_id_advance(c).0.to_be_bytes())
        .collect();
    content.begin_text();
    content.set_fill_rgb(r, g, b);
    if run.bold {
        content.set_stroke_rgb(r, g, b);
        content.set_line_width(0.035 * run.size_px * k);
        content.set_text_rendering_mode(TextRenderingMode::FillStroke);
    } else {
        content.set_text_rendering_mode(TextRenderingMode::Fill);
    }
    content.set_font(Name(b"F1"), size_pt);
    content.next_line(x, y);
    content.show(Str(&codes));
    content.end_text();
}
