#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! Issue 14 ("the screen never shows two numbers for one thing"): on the bundled example, the
//! figures a live slide's caption states (its `{length_km}`, `{cost}`, `{time}` placeholders)
//! are the ones its legend and the Compare table show for the same alternative — all read
//! from the widgets (AccessKit labels), none recomputed here but the ledger's length written
//! out by hand as a cross-check.

mod common;

use corridor_atlas::app::AtlasApp;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

fn loaded() -> Harness<'static, AtlasApp> {
    common::example_loaded((1800.0, 1000.0), true, 2)
}

/// The text of the one widget whose label contains `contains`.
fn label_of(h: &Harness<'static, AtlasApp>, contains: &str) -> String {
    let node = h.get_by_label_contains(contains);
    let node = node.accesskit_node();
    node.value().or_else(|| node.label()).expect("a text")
}

/// The text between `before` and the next `after` in `text`.
fn between<'a>(text: &'a str, before: &str, after: &str) -> &'a str {
    let from = text
        .find(before)
        .unwrap_or_else(|| panic!("{before:?} in {text:?}"))
        + before.len();
    let len = text[from..]
        .find(after)
        .unwrap_or_else(|| panic!("{after:?} in {text:?}"));
    &text[from..from + len]
}

#[test]
fn a_slide_caption_states_the_figures_its_legend_and_compare_show() {
    let mut h = loaded();
    let uap = h.state().scenario().alignments[2].clone();
    assert!(uap.name.starts_with("East: UAP"));
    let ledger = h.state().ledger(uap.id).expect("ledger").clone();

    // Slide 4 reveals the UAP; its caption says "As drawn, on to Peshawar: **{length_km}**,
    // about **{cost}**, **{time}** by heavy freight train".
    let ctx = h.ctx.clone();
    h.state_mut().start_presentation(&ctx, 3);
    for _ in 0..400 {
        h.step();
        let now = h.ctx.input(|i| i.time);
        if !h.state().presenter().animating(now) {
            break;
        }
    }
    h.run_steps(3);
    let caption = label_of(&h, "As drawn, on to Peshawar");
    let drawn = between(&caption, "As drawn, on to Peshawar: ", " by heavy");
    // "786.2 km, about $4.7–8.6 bn, 19.1 h": the cost is its band, as Compare shows it.
    let km = between(drawn, "", ", about ").to_owned();
    let cost = format!("{} bn", between(drawn, ", about ", " bn, "));
    let time = drawn[drawn.find(" bn, ").expect("time") + 5..].to_owned();
    assert!(!caption.contains("{?"), "{caption}");
    // The ledger's length, written out by hand (under 1,000 km: no separator).
    assert!(ledger.length_m < 1e6);
    assert_eq!(
        km,
        format!("{:.1} km", ledger.length_m / 1000.0),
        "{caption}"
    );
    // The band by hand: the estimate × 0.78 … × 1.42 (docs/costs.md), in billions.
    let usd = ledger.cost.total_usd;
    assert_eq!(
        cost,
        format!("${:.1}–{:.1} bn", usd * 0.78 / 1e9, usd * 1.42 / 1e9),
        "{caption}"
    );
    assert!(time.ends_with(" h"), "{time}");

    // The legend entry of the same alternative states the same length and time.
    let legend = label_of(&h, &format!("{}  ", uap.name));
    assert!(
        legend.contains(&format!("{km} (published 647 km)")),
        "{legend}"
    );
    assert!(legend.contains(&format!("time {time}")), "{legend}");

    // Compare shows each as a cell of its own, with the very same text.
    h.state_mut().stop_presentation(&ctx);
    h.run_steps(3);
    for shown in [&km, &cost, &time] {
        assert!(
            h.query_all_by_label(shown).count() >= 1,
            "Compare shows {shown:?}"
        );
    }
}
