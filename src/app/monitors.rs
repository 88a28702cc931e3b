//! The screens of the desktop, for placing the presenter view. eframe tells a window only the
//! size of the monitor it is on; X11's RandR lists them all (winit already builds x11rb with
//! RandR). Without X11 (no DISPLAY, RandR older than 1.5) the list is empty and the app
//! treats the desktop as one screen of unknown layout.

use egui::{Rect, pos2, vec2};
use x11rb::connection::Connection as _;
use x11rb::protocol::randr::ConnectionExt as _;

/// One monitor of the desktop, in physical pixels of the X screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Monitor {
    pub rect_px: Rect,
    /// The monitor the desktop calls primary (usually the laptop's own screen).
    pub primary: bool,
}

/// The active monitors, or none when they cannot be listed (a few milliseconds: one round
/// trip to the X server; called once per presentation).
#[must_use]
pub fn monitors() -> Vec<Monitor> {
    let Ok((conn, screen)) = x11rb::connect(None) else {
        return Vec::new();
    };
    let Some(root) = conn.setup().roots.get(screen).map(|s| s.root) else {
        return Vec::new();
    };
    let Ok(reply) = conn
        .randr_get_monitors(root, true)
        .map_err(|e| e.to_string())
        .and_then(|cookie| cookie.reply().map_err(|e| e.to_string()))
    else {
        return Vec::new();
    };
    reply
        .monitors
        .iter()
        .filter(|m| m.width > 0 && m.height > 0)
        .map(|m| Monitor {
            rect_px: Rect::from_min_size(
                pos2(f32::from(m.x), f32::from(m.y)),
                vec2(f32::from(m.width), f32::from(m.height)),
            ),
            primary: m.primary,
        })
        .collect()
}
