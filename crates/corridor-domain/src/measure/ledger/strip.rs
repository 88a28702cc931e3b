//! The strip diagram: what lies along an alignment, row by row against chainage — country,
//! existing track or new build, gauge, grade, structures (tunnels and bridges of the design
//! line) — each row a run of consecutive pieces from 0 to
//! the line's length. Pure data from a [`Ledger`]; the Compare panel draws it under the
//! elevation profile on the same chainage axis, and hovering either shows the spot on the map.

use super::TrackStatus;
use super::model::{Ledger, SEA_CODE, StructureKind};
use super::profile::grades_around_pct;

/// Grades are averaged over this window, as the ledger's "steepest (1 km)".
pub const GRADE_WINDOW_M: f64 = 1000.0;
/// Below this average grade the line is gentle (%).
pub const GENTLE_GRADE_PCT: f64 = 1.0;
/// At most this many grade pieces before merging (keeps long lines cheap to draw).
const MAX_GRADE_STEPS: f64 = 600.0;
/// The shortest grade step (m).
const MIN_GRADE_STEP_M: f64 = 200.0;

/// What a piece of the line is, in one row.
#[derive(Clone, Debug, PartialEq)]
pub enum StripValue {
    /// ISO alpha-3 code, or [`SEA_CODE`] outside every country.
    Country(String),
    Track(TrackClass),
    /// The gauge a train runs on (`None`: unknown, e.g. at sea without a declared gauge).
    Gauge(Option<u32>),
    Grade(GradeClass),
    Structure(StructureClass),
}

/// What the design line is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StructureClass {
    /// Cuttings and embankments within the tunnel and bridge thresholds.
    Earthworks,
    Tunnel,
    Bridge,
    /// No design line there (no elevation data, or engineering off).
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackClass {
    Existing,
    UnderConstruction,
    NewBuild,
    Sea,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GradeClass {
    /// Under [`GENTLE_GRADE_PCT`].
    Gentle,
    /// Up to the design grade.
    Moderate,
    /// Steeper than the design grade: tunnels, viaducts or a detour.
    Steep,
    /// No elevation data.
    Unknown,
}

impl StripValue {
    /// A short label for the piece and its tooltip.
    #[must_use]
    pub fn label(&self, max_design_grade_pct: f64) -> String {
        match self {
            Self::Country(code) if code == SEA_CODE => "sea".to_owned(),
            Self::Country(code) => code.clone(),
            Self::Track(TrackClass::Existing) => "existing".to_owned(),
            Self::Track(TrackClass::UnderConstruction) => "under construction".to_owned(),
            Self::Track(TrackClass::NewBuild) => "new build".to_owned(),
            Self::Track(TrackClass::Sea) => "sea".to_owned(),
            Self::Gauge(Some(mm)) => format!("{mm} mm"),
            Self::Gauge(None) => "gauge unknown".to_owned(),
            Self::Grade(GradeClass::Gentle) => format!("under {GENTLE_GRADE_PCT} %"),
            Self::Grade(GradeClass::Moderate) => {
                format!("{GENTLE_GRADE_PCT}-{max_design_grade_pct} %")
            }
            Self::Grade(GradeClass::Steep) => format!("over {max_design_grade_pct} %"),
            Self::Grade(GradeClass::Unknown) => "no elevation data".to_owned(),
            Self::Structure(StructureClass::Earthworks) => "earthworks".to_owned(),
            Self::Structure(StructureClass::Tunnel) => "tunnel".to_owned(),
            Self::Structure(StructureClass::Bridge) => "bridge".to_owned(),
            Self::Structure(StructureClass::Unknown) => "no design line".to_owned(),
        }
    }
}

/// One piece of a row: `start_m..end_m` of chainage.
#[derive(Clone, Debug, PartialEq)]
pub struct StripPiece {
    pub start_m: f64,
    pub end_m: f64,
    pub value: StripValue,
}

/// The rows, in the order they are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StripRow {
    Country,
    Track,
    Gauge,
    Grade,
    Structures,
}

impl StripRow {
    pub const ALL: [Self; 5] = [
        Self::Country,
        Self::Track,
        Self::Gauge,
        Self::Grade,
        Self::Structures,
    ];

    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Track => "track",
            Self::Gauge => "gauge",
            Self::Grade => "grade",
            Self::Structures => "structures",
        }
    }
}

/// Every row of one alignment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StripDiagram {
    pub length_m: f64,
    /// The design grade the grade row is judged against (for its labels).
    pub max_design_grade_pct: f64,
    pub country: Vec<StripPiece>,
    pub track: Vec<StripPiece>,
    pub gauge: Vec<StripPiece>,
    pub grade: Vec<StripPiece>,
    pub structures: Vec<StripPiece>,
}

impl StripDiagram {
    #[must_use]
    pub fn row(&self, row: StripRow) -> &[StripPiece] {
        match row {
            StripRow::Country => &self.country,
            StripRow::Track => &self.track,
            StripRow::Gauge => &self.gauge,
            StripRow::Grade => &self.grade,
            StripRow::Structures => &self.structures,
        }
    }
}

/// The piece of `pieces` at `chainage_m` (the later one on a boundary).
#[must_use]
pub fn piece_at(pieces: &[StripPiece], chainage_m: f64) -> Option<&StripPiece> {
    let i = pieces.partition_point(|p| p.end_m <= chainage_m);
    pieces
        .get(i)
        .or_else(|| pieces.last().filter(|p| chainage_m <= p.end_m))
}

/// The strip diagram of `ledger`; grades are judged against `max_design_grade_pct`.
#[must_use]
pub fn strip_diagram(ledger: &Ledger, max_design_grade_pct: f64) -> StripDiagram {
    let length_m = ledger.length_m;
    let mut country = Vec::new();
    for p in &ledger.country_pieces {
        push_merged(
            &mut country,
            p.start_m,
            p.end_m,
            StripValue::Country(p.iso_a3.clone()),
        );
    }
    let mut gauge = Vec::new();
    for r in &ledger.gauge_runs {
        push_merged(
            &mut gauge,
            r.start_m,
            r.end_m,
            StripValue::Gauge(r.gauge_mm),
        );
    }
    StripDiagram {
        length_m,
        max_design_grade_pct,
        track: track_row(ledger),
        grade: grade_row(ledger, max_design_grade_pct),
        structures: structures_row(ledger),
        country,
        gauge,
    }
}

/// Existing / under construction where a track run is, else sea where no country is, else
/// new build.
fn track_row(ledger: &Ledger) -> Vec<StripPiece> {
    let mut cuts: Vec<f64> = vec![0.0, ledger.length_m];
    cuts.extend(ledger.track_runs.iter().flat_map(|r| [r.start_m, r.end_m]));
    cuts.extend(
        ledger
            .country_pieces
            .iter()
            .flat_map(|p| [p.start_m, p.end_m]),
    );
    cuts.retain(|c| (0.0..=ledger.length_m).contains(c));
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut row = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mid = f64::midpoint(a, b);
        let run = ledger
            .track_runs
            .iter()
            .find(|r| r.start_m <= mid && mid < r.end_m);
        let at_sea = ledger
            .country_pieces
            .iter()
            .find(|p| p.start_m <= mid && mid < p.end_m)
            .is_some_and(|p| p.iso_a3 == SEA_CODE);
        let class = match run.map(|r| r.status) {
            Some(TrackStatus::Existing) => TrackClass::Existing,
            Some(TrackStatus::UnderConstruction) => TrackClass::UnderConstruction,
            None if at_sea => TrackClass::Sea,
            None => TrackClass::NewBuild,
        };
        push_merged(&mut row, a, b, StripValue::Track(class));
    }
    row
}

/// Tunnels and bridges of the design line, earthworks between them, unknown beyond it.
fn structures_row(ledger: &Ledger) -> Vec<StripPiece> {
    let length_m = ledger.length_m;
    let mut row = Vec::new();
    let design = ledger.engineering.as_ref().and_then(|e| e.design.as_ref());
    let Some((d, first, last)) =
        design.and_then(|d| Some((d, d.points.first()?.chainage_m, d.points.last()?.chainage_m)))
    else {
        push_merged(
            &mut row,
            0.0,
            length_m,
            StripValue::Structure(StructureClass::Unknown),
        );
        return row;
    };
    push_merged(
        &mut row,
        0.0,
        first,
        StripValue::Structure(StructureClass::Unknown),
    );
    let mut at_m = first;
    for s in &d.structures {
        push_merged(
            &mut row,
            at_m,
            s.start_m,
            StripValue::Structure(StructureClass::Earthworks),
        );
        let class = match s.kind {
            StructureKind::Tunnel => StructureClass::Tunnel,
            StructureKind::Bridge => StructureClass::Bridge,
        };
        push_merged(&mut row, s.start_m, s.end_m, StripValue::Structure(class));
        at_m = at_m.max(s.end_m);
    }
    push_merged(
        &mut row,
        at_m,
        last,
        StripValue::Structure(StructureClass::Earthworks),
    );
    push_merged(
        &mut row,
        last,
        length_m,
        StripValue::Structure(StructureClass::Unknown),
    );
    row
}

/// The average grade over [`GRADE_WINDOW_M`] around the middle of each step, classed.
fn grade_row(ledger: &Ledger, max_design_grade_pct: f64) -> Vec<StripPiece> {
    let length_m = ledger.length_m;
    if length_m <= 0.0 {
        return Vec::new();
    }
    let step_m = (length_m / MAX_GRADE_STEPS).max(MIN_GRADE_STEP_M);
    let steps = (length_m / step_m).ceil() as usize;
    let bounds: Vec<(f64, f64)> = (0..steps)
        .map(|k| (k as f64 * step_m, ((k + 1) as f64 * step_m).min(length_m)))
        .collect();
    let centres: Vec<f64> = bounds.iter().map(|&(a, b)| f64::midpoint(a, b)).collect();
    let grades = grades_around_pct(&ledger.profile.points, &centres, GRADE_WINDOW_M);
    let mut row = Vec::new();
    for (&(a, b), grade) in bounds.iter().zip(grades) {
        let class = match grade {
            None => GradeClass::Unknown,
            Some(g) if g < GENTLE_GRADE_PCT => GradeClass::Gentle,
            Some(g) if g <= max_design_grade_pct => GradeClass::Moderate,
            Some(_) => GradeClass::Steep,
        };
        push_merged(&mut row, a, b, StripValue::Grade(class));
    }
    row
}

/// Append a piece, extending the last one instead when it has the same value and touches.
fn push_merged(row: &mut Vec<StripPiece>, start_m: f64, end_m: f64, value: StripValue) {
    if end_m <= start_m {
        return;
    }
    if let Some(last) = row.last_mut()
        && last.value == value
        && (last.end_m - start_m).abs() < 1e-6
    {
        last.end_m = end_m;
        return;
    }
    row.push(StripPiece {
        start_m,
        end_m,
        value,
    });
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::measure::ledger::{CountryPiece, GaugeRun, ProfilePoint, TrackRun};

    const KM: f64 = 1000.0;

    /// 100 km: Afghanistan to 40 km, Pakistan to 90 km, then sea. Existing 1,520 mm track
    /// from 10 to 30 km, a line under construction from 50 to 60 km. Flat at 100 m except a
    /// 5 % climb of 100 m from 70 to 72 km.
    fn ledger() -> Ledger {
        let piece = |code: &str, a: f64, b: f64| CountryPiece {
            iso_a3: code.into(),
            start_m: a * KM,
            end_m: b * KM,
        };
        let run = |a: f64, b: f64, gauge: u32, status| TrackRun {
            start_m: a * KM,
            end_m: b * KM,
            line: "L".into(),
            gauge_mm: Some(gauge),
            status,
        };
        let mut l = Ledger {
            length_m: 100.0 * KM,
            country_pieces: vec![
                piece("AFG", 0.0, 40.0),
                piece("PAK", 40.0, 90.0),
                piece(SEA_CODE, 90.0, 100.0),
            ],
            track_runs: vec![
                run(10.0, 30.0, 1520, TrackStatus::Existing),
                run(50.0, 60.0, 1676, TrackStatus::UnderConstruction),
            ],
            gauge_runs: vec![
                GaugeRun {
                    start_m: 0.0,
                    end_m: 40.0 * KM,
                    gauge_mm: Some(1520),
                },
                GaugeRun {
                    start_m: 40.0 * KM,
                    end_m: 90.0 * KM,
                    gauge_mm: Some(1676),
                },
                GaugeRun {
                    start_m: 90.0 * KM,
                    end_m: 100.0 * KM,
                    gauge_mm: None,
                },
            ],
            ..Ledger::default()
        };
        l.profile.points = (0..=400)
            .map(|i| {
                let chainage_m = f64::from(i) * 250.0;
                let climb = ((chainage_m - 70.0 * KM) / (2.0 * KM)).clamp(0.0, 1.0);
                ProfilePoint {
                    chainage_m,
                    elevation_m: 100.0 + 100.0 * climb,
                }
            })
            .collect();
        l
    }

    fn covers_the_line(row: &[StripPiece], length_m: f64) {
        assert!(!row.is_empty());
        assert!(row[0].start_m.abs() < 1e-9, "{row:?}");
        assert!(
            (row[row.len() - 1].end_m - length_m).abs() < 1e-6,
            "{row:?}"
        );
        for w in row.windows(2) {
            assert!(
                (w[0].end_m - w[1].start_m).abs() < 1e-6,
                "gap or overlap: {row:?}"
            );
            assert_ne!(w[0].value, w[1].value, "unmerged neighbours: {row:?}");
        }
    }

    fn spans(row: &[StripPiece]) -> Vec<(f64, f64)> {
        row.iter().map(|p| (p.start_m / KM, p.end_m / KM)).collect()
    }

    #[test]
    fn every_row_covers_the_line_once() {
        let l = ledger();
        let strip = strip_diagram(&l, 2.5);
        for row in StripRow::ALL {
            covers_the_line(strip.row(row), l.length_m);
        }
    }

    #[test]
    fn track_is_existing_under_construction_new_build_or_sea_where_the_ledger_says() {
        use TrackClass::{Existing, NewBuild, Sea, UnderConstruction};
        let strip = strip_diagram(&ledger(), 2.5);
        let classes: Vec<StripValue> = strip.track.iter().map(|p| p.value.clone()).collect();
        assert_eq!(
            spans(&strip.track),
            vec![
                (0.0, 10.0),
                (10.0, 30.0),
                (30.0, 50.0),
                (50.0, 60.0),
                (60.0, 90.0),
                (90.0, 100.0)
            ]
        );
        assert_eq!(
            classes,
            [
                NewBuild,
                Existing,
                NewBuild,
                UnderConstruction,
                NewBuild,
                Sea
            ]
            .map(StripValue::Track)
        );
        assert_eq!(
            piece_at(&strip.track, 20.0 * KM).map(|p| &p.value),
            Some(&StripValue::Track(Existing))
        );
        assert_eq!(
            piece_at(&strip.track, 100.0 * KM).map(|p| &p.value),
            Some(&StripValue::Track(Sea))
        );
        assert_eq!(
            spans(&strip.country),
            vec![(0.0, 40.0), (40.0, 90.0), (90.0, 100.0)]
        );
        assert_eq!(strip.country[2].value.label(2.5), "sea");
        assert_eq!(strip.gauge[1].value.label(2.5), "1676 mm");
    }

    #[test]
    fn only_the_climb_is_steeper_than_the_design_grade() {
        let strip = strip_diagram(&ledger(), 2.5);
        let steep: Vec<(f64, f64)> = strip
            .grade
            .iter()
            .filter(|p| p.value == StripValue::Grade(GradeClass::Steep))
            .map(|p| (p.start_m / KM, p.end_m / KM))
            .collect();
        // 5 % over 70-72 km; a 1 km window centred within half a window of it sees over
        // 2.5 % from 70.0 to 72.0 km (a window half on the ramp averages exactly 2.5 %).
        assert_eq!(steep.len(), 1, "{steep:?}");
        let (a, b) = steep[0];
        assert!(
            (69.7..=70.3).contains(&a) && (71.7..=72.3).contains(&b),
            "{a}-{b}"
        );
        assert_eq!(
            piece_at(&strip.grade, 20.0 * KM).map(|p| &p.value),
            Some(&StripValue::Grade(GradeClass::Gentle))
        );
        let flat = Ledger {
            length_m: 5.0 * KM,
            ..Ledger::default()
        };
        let strip = strip_diagram(&flat, 2.5);
        assert_eq!(
            strip.grade.iter().map(|p| &p.value).collect::<Vec<_>>(),
            vec![&StripValue::Grade(GradeClass::Unknown)],
            "no profile, no grade"
        );
    }

    #[test]
    fn structures_row_shows_the_design_lines_tunnels_and_bridges() {
        use crate::measure::ledger::{DesignLine, DesignPoint, Engineering, Structure};
        let point = |km: f64| DesignPoint {
            chainage_m: km * KM,
            ground_m: 0.0,
            design_m: 0.0,
        };
        let structure = |kind, a: f64, b: f64| Structure {
            kind,
            start_m: a * KM,
            end_m: b * KM,
            length_m: (b - a) * KM,
            max_depth_m: 50.0,
        };
        let mut l = ledger();
        l.engineering = Some(Engineering {
            design: Some(DesignLine {
                points: vec![point(0.0), point(95.0)],
                structures: vec![
                    structure(StructureKind::Tunnel, 70.0, 72.0),
                    structure(StructureKind::Bridge, 80.0, 81.0),
                ],
                ..DesignLine::default()
            }),
            ..Engineering::default()
        });
        let strip = strip_diagram(&l, 2.5);
        covers_the_line(&strip.structures, l.length_m);
        let pieces: Vec<(f64, f64, StripValue)> = strip
            .structures
            .iter()
            .map(|p| (p.start_m / KM, p.end_m / KM, p.value.clone()))
            .collect();
        let s = StripValue::Structure;
        assert_eq!(
            pieces,
            vec![
                (0.0, 70.0, s(StructureClass::Earthworks)),
                (70.0, 72.0, s(StructureClass::Tunnel)),
                (72.0, 80.0, s(StructureClass::Earthworks)),
                (80.0, 81.0, s(StructureClass::Bridge)),
                (81.0, 95.0, s(StructureClass::Earthworks)),
                (95.0, 100.0, s(StructureClass::Unknown)),
            ]
        );
    }
}
