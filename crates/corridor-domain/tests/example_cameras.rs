#![allow(clippy::expect_used, clippy::unwrap_used)] // tests: a panic with a message is a failed test
//! The bundled story's slide cameras frame the corridor, not empty space, at every size the
//! app and the exports use: the alternatives a slide shows fill its map frame (right of the
//! caption column) and stay inside it, on a 1920×1080 export, a 1280×720 window and a
//! 480×270 presenter thumbnail alike; and the map under each slide lies over the bundled
//! data, so the basemap there is the detailed one.

use std::path::Path;

use corridor_domain::map::mercator::{world_from_lonlat, world_size_px};
use corridor_domain::plan::scenario::model::Scenario;
use corridor_domain::plan::scenario::story::{SlideLayout, slide_camera};

fn example() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/examples/corridor-options.geojson");
    corridor_domain::plan::scenario::io::load(&path).expect("the example scenario loads")
}

#[test]
fn every_example_slide_frames_its_alternatives_at_every_size() {
    let s = example();
    assert!(
        s.story.slides.len() >= 5,
        "the example story has its slides"
    );
    for viewport in [(1920.0, 1080.0), (1280.0, 720.0), (480.0, 270.0)] {
        let layout = SlideLayout::new(viewport.0, viewport.1);
        let [fx0, fy0, fx1, fy1] = layout.map_frame_px;
        for (n, slide) in s.story.slides.iter().enumerate() {
            let cam = slide_camera(slide, &s, viewport);
            let centre = world_from_lonlat(cam.lon, cam.lat);
            let scale = world_size_px(cam.zoom);
            // The alternatives the slide is about: its highlighted ones, or all of them.
            let shown: Vec<_> = s
                .alignments
                .iter()
                .filter(|a| slide.highlight.is_empty() || slide.highlight.contains(&a.id))
                .collect();
            assert!(!shown.is_empty(), "slide {}", n + 1);
            // Independently of the camera code: project every vertex with Mercator.
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for v in shown.iter().flat_map(|a| &a.vertices) {
                let w = world_from_lonlat(v.lon, v.lat);
                let x = viewport.0 / 2.0 + (w[0] - centre[0]) * scale;
                let y = viewport.1 / 2.0 + (w[1] - centre[1]) * scale;
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
            let eps = 1e-6;
            let at = format!("slide {} at {viewport:?}", n + 1);
            assert!(
                x0 >= fx0 - eps && x1 <= fx1 + eps && y0 >= fy0 - eps && y1 <= fy1 + eps,
                "{at}: alternatives {x0:.0},{y0:.0}..{x1:.0},{y1:.0} leave the frame {fx0:.0},{fy0:.0}..{fx1:.0},{fy1:.0}"
            );
            // Not lost in empty space: they span most of the frame on at least one axis.
            let fill = ((x1 - x0) / (fx1 - fx0)).max((y1 - y0) / (fy1 - fy0));
            assert!(
                fill > 0.8,
                "{at}: alternatives fill only {fill:.2} of the frame"
            );
            // The frame's middle lies in the detailed region (lon 40–95° E, lat 15–60° N).
            let mid = [
                centre[0] + (f64::midpoint(fx0, fx1) - viewport.0 / 2.0) / scale,
                centre[1] + (f64::midpoint(fy0, fy1) - viewport.1 / 2.0) / scale,
            ];
            let (nw, se) = (world_from_lonlat(40.0, 60.0), world_from_lonlat(95.0, 15.0));
            assert!(
                (nw[0]..=se[0]).contains(&mid[0]) && (nw[1]..=se[1]).contains(&mid[1]),
                "{at}: the map frame's middle is outside the bundled region"
            );
        }
    }
}
