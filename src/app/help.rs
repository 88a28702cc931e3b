//! The shortcut sheet (F1 or `?`): every key and mouse gesture, grouped as in the README's
//! "Mouse and keyboard" section. One list feeds the window and a test that checks the
//! README names every key, so the two cannot drift apart.

/// Groups of (input, what it does), in the README's order.
pub const SHORTCUTS: &[(&str, &[(&str, &str)])] = &[
    (
        "Map",
        &[
            ("Drag", "pan"),
            (
                "Wheel, + / -, the map's + / − buttons",
                "zoom (half a level per wheel notch)",
            ),
            ("Double-click", "zoom in"),
            ("Arrow keys", "pan"),
            (
                "Home, the map's Fit button",
                "back to the whole corridor region",
            ),
            (
                "Ctrl+F",
                "find a place: a name, lon,lat or 34°05′N 71°10′E; Enter flies there",
            ),
            ("Hover", "highlights the feature under the pointer"),
            ("Click", "shows the feature in the inspector; Esc closes it"),
        ],
    ),
    (
        "Drawing and editing",
        &[
            ("S / D / R", "Select / Draw / Ruler tool"),
            (
                "Draw: click, double-click or Enter, Backspace, Esc",
                "add a vertex, finish, remove the last vertex, cancel",
            ),
            ("Alt while drawing or dragging", "no snapping"),
            (
                "Select: drag a vertex / a midpoint / the line",
                "move the vertex / insert a vertex / move the whole alignment",
            ),
            ("Right-click or Delete on a vertex", "remove it"),
            ("Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y", "undo, redo"),
        ],
    ),
    (
        "Files and help",
        &[
            ("Ctrl+S, Ctrl+Shift+S, Ctrl+O", "save, save as, open"),
            ("F1 or ?", "this list"),
        ],
    ),
    (
        "Presenting",
        &[
            (
                "F5, Shift+F5",
                "present from the first slide, from the selected one",
            ),
            (
                "Right / Down / PageDown / Space / Enter",
                "next slide (Left / Up / PageUp: previous; Home / End)",
            ),
            ("B, I, Esc", "black screen, ink pen, leave"),
        ],
    ),
];

/// The window, while `open`.
pub fn help_window_ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard and mouse")
        .open(open)
        .default_width(520.0)
        .show(ctx, |ui| {
            for (group, rows) in SHORTCUTS {
                ui.heading(*group);
                egui::Grid::new(("keys", *group))
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (keys, what) in *rows {
                            ui.strong(*keys);
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
                ui.add_space(6.0);
            }
        });
}

#[cfg(test)]
mod tests {
    use super::SHORTCUTS;

    /// Each key of the sheet appears in the README's "Mouse and keyboard" section (with
    /// backticks and bold removed), group headings included.
    #[test]
    fn the_readme_lists_every_shortcut_of_the_help_window_in_the_same_groups() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("### Mouse and keyboard")
            .expect("README has the section");
        let section = &readme[start..];
        let end = section[4..].find("\n## ").map_or(section.len(), |e| e + 4);
        let plain = section[..end].replace(['`', '*'], "");
        let mut last_group = 0;
        for (group, rows) in SHORTCUTS {
            let at = plain
                .find(&format!("#### {group}"))
                .unwrap_or_else(|| panic!("README lacks the group {group:?}"));
            assert!(at >= last_group, "{group:?} out of order");
            last_group = at;
            for (keys, _) in *rows {
                assert!(plain.contains(keys), "README lacks {keys:?}");
            }
        }
    }
}
