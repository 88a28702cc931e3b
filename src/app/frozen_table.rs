//! A table whose header row and first column stay put: the figures scroll sideways under a
//! fixed name column, and up and down under a fixed header, as in a spreadsheet with frozen
//! panes. Two `egui_extras` tables side by side — the name column, and the figures inside a
//! horizontal scroll area — with one row height and one header height, so their rows line up,
//! and one vertical offset, copied to the other table whenever the user scrolls one of them.

use egui::scroll_area::ScrollBarVisibility;
use egui::{Align, Layout, Rect, Ui, UiBuilder, pos2, vec2};
use egui_extras::{Column, TableBuilder};

/// The frozen table's persistent state.
#[derive(Clone, Copy, Debug, Default)]
pub struct FrozenTableState {
    /// The user scrolled the name column to this offset (points): the figures follow it on
    /// the next frame. Otherwise the names always take the figures' offset.
    names_led: Option<f32>,
}

/// What to draw: sizes and the caller's cell painters. `name_*` draw the frozen column,
/// `header(ui, column)` and `cell(ui, row, column)` the figures.
pub struct FrozenTable<'a> {
    pub id: &'a str,
    pub rows: usize,
    pub row_height_px: f32,
    pub header_height_px: f32,
    pub name_width_px: f32,
    pub max_height_px: f32,
    /// The width of each figure column (points).
    pub column_widths_px: &'a [f32],
}

/// Space between the name column and the figures (points).
const GAP_PX: f32 = 6.0;

impl FrozenTable<'_> {
    /// Draw the table; the closures are called once per visible cell. The figures are laid
    /// out first (their vertical offset, scrolled or animating, is this frame's), then the
    /// names beside them at the same offset, so the rows line up in every frame.
    pub fn show(
        &self,
        ui: &mut Ui,
        state: &mut FrozenTableState,
        mut name_header: impl FnMut(&mut Ui),
        mut name_cell: impl FnMut(&mut Ui, usize),
        mut header: impl FnMut(&mut Ui, usize),
        mut cell: impl FnMut(&mut Ui, usize, usize),
    ) {
        let full = ui.available_rect_before_wrap();
        let names_rect = Rect::from_min_size(full.min, vec2(self.name_width_px, full.height()));
        let figures_rect = Rect::from_min_max(
            pos2(full.min.x + self.name_width_px + GAP_PX, full.min.y),
            full.max,
        );
        let layout = Layout::top_down(Align::Min);
        let mut figures_ui = ui.new_child(UiBuilder::new().max_rect(figures_rect).layout(layout));
        let led_by_names = state.names_led.take();
        let figures_y = egui::ScrollArea::horizontal()
            .id_salt((self.id, "sideways"))
            .show(&mut figures_ui, |ui| {
                let mut t = TableBuilder::new(ui)
                    .id_salt((self.id, "figures"))
                    .striped(true)
                    .vscroll(true)
                    .max_scroll_height(self.max_height_px);
                for &w in self.column_widths_px {
                    t = t.column(Column::exact(w));
                }
                if let Some(y) = led_by_names {
                    t = t.vertical_scroll_offset(y);
                }
                t.header(self.header_height_px, |mut row| {
                    for k in 0..self.column_widths_px.len() {
                        row.col(|ui| header(ui, k));
                    }
                })
                .body(|body| {
                    body.rows(self.row_height_px, self.rows, |mut row| {
                        let i = row.index();
                        for k in 0..self.column_widths_px.len() {
                            row.col(|ui| cell(ui, i, k));
                        }
                    });
                })
                .state
                .clamped_offset()
                .y
            })
            .inner;
        let mut names_ui = ui.new_child(UiBuilder::new().max_rect(names_rect).layout(layout));
        let names_y = TableBuilder::new(&mut names_ui)
            .id_salt((self.id, "names"))
            .striped(true)
            .vscroll(true)
            .max_scroll_height(self.max_height_px)
            .scroll_bar_visibility(ScrollBarVisibility::AlwaysHidden)
            .vertical_scroll_offset(figures_y)
            .column(Column::exact(self.name_width_px))
            .header(self.header_height_px, |mut row| {
                row.col(|ui| name_header(ui));
            })
            .body(|body| {
                body.rows(self.row_height_px, self.rows, |mut row| {
                    let i = row.index();
                    row.col(|ui| name_cell(ui, i));
                });
            })
            .state
            .clamped_offset()
            .y;
        // A wheel over the names moved them off the figures' offset: the figures follow.
        if (names_y - figures_y).abs() > 0.5 {
            state.names_led = Some(names_y);
            ui.ctx().request_repaint();
        }
        let used = names_ui.min_rect().union(figures_ui.min_rect());
        let x = names_rect.right() + GAP_PX / 2.0;
        ui.painter().vline(
            x,
            used.y_range(),
            ui.visuals().widgets.noninteractive.bg_stroke,
        );
        ui.advance_cursor_after_rect(used);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    const COLUMNS: [f32; 12] = [90.0; 12];

    fn harness() -> Harness<'static, FrozenTableState> {
        Harness::builder()
            .with_size(egui::vec2(420.0, 200.0))
            .build_ui_state(
                |ui, state: &mut FrozenTableState| {
                    FrozenTable {
                        id: "t",
                        rows: 30,
                        row_height_px: 20.0,
                        header_height_px: 22.0,
                        name_width_px: 100.0,
                        max_height_px: 140.0,
                        column_widths_px: &COLUMNS,
                    }
                    .show(
                        ui,
                        state,
                        |ui| {
                            ui.label("Name");
                        },
                        |ui, i| {
                            ui.label(format!("row {i}"));
                        },
                        |ui, k| {
                            ui.label(format!("col {k}"));
                        },
                        |ui, i, k| {
                            ui.label(format!("r{i}c{k}"));
                        },
                    );
                },
                FrozenTableState::default(),
            )
    }

    /// Scroll by 100 px `times` times with the accessibility scroll actions (as a screen
    /// reader or kittest sends them) on the table holding the first of `labels` shown.
    fn scroll(h: &mut Harness<'_, FrozenTableState>, labels: &[String], dir: &str, times: usize) {
        for _ in 0..times {
            let node = labels
                .iter()
                .find_map(|l| h.query_by_label(l))
                .expect("one of the labels is shown");
            match dir {
                "down" => node.scroll_down(),
                _ => node.scroll_up(),
            }
            h.run_steps(3);
        }
    }

    fn names(f: impl Fn(usize) -> String) -> Vec<String> {
        (0..30).map(f).collect()
    }

    #[test]
    fn sideways_the_names_stay_and_the_figures_move() {
        let mut h = harness();
        h.run_steps(2);
        let name_before = h.get_by_label("row 0").rect();
        let col_before = h.get_by_label("col 1").rect();
        // Bring the last column into view (egui's accessibility ScrollRight moves the wrong
        // way in 0.37, so the test asks for the column itself, as a screen reader would).
        h.get_by_label("col 11").scroll_to_me();
        h.run_steps(3);
        let name_after = h.get_by_label("row 0").rect();
        let col_after = h.get_by_label("col 1").rect();
        assert_eq!(name_after, name_before, "the name column is frozen");
        assert!(
            col_after.left() < col_before.left() - 100.0,
            "the figures scrolled: {col_before:?} -> {col_after:?}"
        );
        // The figures' rows still line up with their names.
        let (row, figure) = (
            h.get_by_label("row 2").rect(),
            h.get_by_label("r2c5").rect(),
        );
        assert!((row.center().y - figure.center().y).abs() < 1.0);
    }

    #[test]
    fn downwards_the_header_stays_and_both_columns_scroll_together() {
        let mut h = harness();
        h.run_steps(2);
        let header_before = h.get_by_label("col 0").rect();
        scroll(&mut h, &names(|i| format!("r{i}c0")), "down", 2);
        assert_eq!(
            h.get_by_label("col 0").rect(),
            header_before,
            "the header is frozen"
        );
        assert!((h.get_by_label("Name").rect().top() - header_before.top()).abs() < 0.5);
        // Row 0 scrolled away on both sides; a later row is shown beside its name.
        assert!(h.query_by_label("r0c0").is_none(), "figures scrolled");
        assert!(h.query_by_label("row 0").is_none(), "names followed");
        let (row, figure) = (
            h.get_by_label("row 12").rect(),
            h.get_by_label("r12c0").rect(),
        );
        assert!(
            (row.center().y - figure.center().y).abs() < 1.0,
            "row 12 at {row:?}, its figures at {figure:?}"
        );
        // Scrolling the names moves the figures too.
        scroll(&mut h, &names(|i| format!("row {i}")), "up", 3);
        assert!(h.query_by_label("r0c0").is_some(), "back at the top");
        let (row, figure) = (
            h.get_by_label("row 0").rect(),
            h.get_by_label("r0c0").rect(),
        );
        assert!((row.center().y - figure.center().y).abs() < 1.0);
    }
}
