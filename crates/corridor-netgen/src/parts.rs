//! Data shared by the plan, the shapes and the output: a track's attributes and a yard
//! track's layout.

/// Attributes shared by the ways of one corridor track.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LineAttrs {
    pub(crate) railway: &'static str,
    pub(crate) usage: &'static str,
    pub(crate) electrified: bool,
    pub(crate) maxspeed: u32,
    /// `Line {n}` if the line is named.
    pub(crate) name: Option<usize>,
}

/// One yard or siding track: a chain of ways beside the main line.
#[derive(Debug)]
pub(crate) struct YardTrack {
    /// The vertex of the site's guide (the main line from the site on) where it starts.
    pub(crate) start: usize,
    /// Starts on the main line, diverging from one of its vertices; else a loose siding that
    /// starts already beside it.
    pub(crate) joined: bool,
    /// Ends back on a main-line vertex (a loop); else a stub.
    pub(crate) rejoins: bool,
    /// Signed offset from the main line, metres (positive: left of the guide).
    pub(crate) offset_m: f64,
    pub(crate) service: &'static str,
    pub(crate) industrial: bool,
    pub(crate) ways: Vec<usize>,
}

/// Distance between the two tracks of a double-track line (m).
pub(crate) const TRACK_SPACING_M: f64 = 4.8;
