//! A deterministic, synthetic railway network in `GeoJSON`, shaped like an OpenStreetMap rail
//! extract of Kazakhstan, Central Asia, Iran and Pakistan.
//!
//! Benchmarks and tests of large-file import need a file the size of a real extract (~100k
//! ways, ~3M vertices, ~90 MB) that anyone can rebuild bit for bit, without shipping 90 MB or
//! depending on a download. [`write_network`] makes one from a [`NetworkSpec`].
//!
//! # Shape
//!
//! A few hundred *stations* (random points on land in lon 46..80, lat 23..55) are joined to
//! their two to four nearest neighbours by *corridors*. Each corridor is laid out as railways
//! are: straight tangents and circular arcs, a random walk on the heading steered towards the
//! far station and landing on it exactly; its vertices are dense on curves and sparse on
//! tangents (about 10 to 250 m apart). It is split into ways of ~10 to 60 vertices that share
//! their endpoints exactly, as OSM's split ways do, and corridors meet exactly at stations.
//! Some main lines are double track: a second line 4.8 m to the left that converges on the
//! first at both stations. Beside the main lines run station yards (a ladder of tracks
//! diverging from main-line vertices near a station, some rejoining it, a few loose sidings
//! that touch nothing) and passing loops along the lines; they take ~18% of the ways. The
//! properties are OSM's: `@id`, `railway`, `usage`, `service`, `gauge` (by region, see
//! [`gauge_at`]), `electrified`, `maxspeed` and, on about a third of the ways, `name`; about
//! 40% of the features also carry a top-level `id`.
//!
//! The default spec (100k ways, 3M vertices) is 92.5 MB and takes about half a second in a
//! release build, streaming: memory stays at a few MB whatever the size.
//!
//! # Counts
//!
//! The feature count is exactly [`NetworkSpec::features`] and the vertex count (summed over
//! features, shared endpoints counted once per way) exactly [`NetworkSpec::vertices`], raised
//! to two per feature if it is lower (a `LineString` needs two positions).
//!
//! # Determinism
//!
//! Same spec, same bytes, on every machine: the random numbers come from SplitMix64 written
//! here, and the geometry uses only `+ - * /`, `sqrt`, `floor` and `round`, which IEEE 754
//! rounds the same everywhere. `sin`/`cos` are Taylor polynomials below, because `f64::cos`
//! calls the platform's libm, whose last bit differs between systems, and a random walk would
//! carry that difference along.

use std::f64::consts::{FRAC_PI_3, PI};
use std::io::{self, Write};

/// West, east, south and north edges of the region (degrees). Every coordinate is inside.
pub const REGION: [f64; 4] = [46.0, 80.0, 23.0, 55.0];

/// What to generate.
#[derive(Clone, Debug)]
pub struct NetworkSpec {
    /// Number of features (ways), exactly.
    pub features: usize,
    /// Number of vertices summed over all features (at least two per feature).
    pub vertices: usize,
    /// Seed of every random choice: a different seed gives a different network.
    pub seed: u64,
    /// `FeatureCollection` or `GeoJSONSeq`.
    pub format: NetFormat,
}

impl Default for NetworkSpec {
    /// The size of a real OSM rail extract of the region: 100k ways, 3M vertices, ~90 MB.
    fn default() -> Self {
        Self {
            features: 100_000,
            vertices: 3_000_000,
            seed: 1,
            format: NetFormat::FeatureCollection,
        }
    }
}

impl NetworkSpec {
    /// The default shape at a smaller size: `features` ways of 30 vertices on average.
    #[must_use]
    pub fn small(features: usize) -> Self {
        Self {
            features,
            vertices: features.saturating_mul(30),
            ..Self::default()
        }
    }
}

/// The container format of the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetFormat {
    /// One `FeatureCollection`, one feature per line (so a line number names a feature).
    FeatureCollection,
    /// RFC 8142 `GeoJSONSeq`: each feature is `0x1E`, the feature's JSON, `\n`.
    Sequence,
}

/// What [`write_network`] wrote.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NetworkStats {
    /// Features written.
    pub features: usize,
    /// Positions written, summed over features.
    pub vertices: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Write the network described by `spec` to `out`, and flush it.
///
/// The text is assembled in an internal buffer and handed to `out` in chunks of about
/// 256 KiB, so an unbuffered `File` is as fast as a `BufWriter`. The only errors are `out`'s.
pub fn write_network(spec: &NetworkSpec, mut out: impl Write) -> io::Result<NetworkStats> {
    let plan = Plan::new(spec);
    let mut sink = Sink {
        out: &mut out,
        buf: Vec::with_capacity(SINK_CHUNK + 64 * 1024),
        format: spec.format,
        stats: NetworkStats::default(),
        ids: Rng::stream(spec.seed, STREAM_IDS, 0),
        next_id: 0,
    };
    sink.next_id = 4_000_000 + sink.ids.below(1_000_000);
    sink.begin();
    plan.emit(spec.seed, &mut sink)?;
    sink.finish()?;
    sink.out.flush()?;
    Ok(sink.stats)
}

/// The same network as a `String` (for tests and small sizes; it is all ASCII).
#[must_use]
pub fn network_string(spec: &NetworkSpec) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_network(spec, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// The track gauge (mm) OSM records at a place, by the rule the generator follows: 1520
/// (Russian gauge) north of 37.5°N, i.e. Kazakhstan, Central Asia and the Caucasus; 1435 in
/// Iran (west of 61.5°E, south of 37.5°N); 1676 (Indian gauge) in Pakistan (east of 61.5°E,
/// south of 35.5°N); in the Afghan band between (35.5..37.5°N, east of 61.5°E) 1520 north of
/// 36.5°N, where the lines from Termez and Turkmenistan arrive, and 1435 south of it.
///
/// Each way takes the gauge of its first vertex; narrow-gauge ways are the exception (750,
/// 762 or 1000).
#[must_use]
pub fn gauge_at(lon: f64, lat: f64) -> &'static str {
    if lat >= 37.5 {
        "1520"
    } else if lon < 61.5 {
        "1435"
    } else if lat < 35.5 {
        "1676"
    } else if lat >= 36.5 {
        "1520"
    } else {
        "1435"
    }
}

// ---------------------------------------------------------------------------------------------
// Random numbers and deterministic trigonometry

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and fully specified, so the same seed
/// gives the same numbers on every machine and every Rust version.
struct Rng(u64);

/// Independent streams of the same seed, so that changing how many numbers one part draws
/// (say, the yard layout) does not reshuffle another (the corridor shapes).
const STREAM_PLAN: u64 = 1;
const STREAM_SHAPE: u64 = 2;
const STREAM_IDS: u64 = 3;
const STREAM_YARD: u64 = 4;

impl Rng {
    fn stream(seed: u64, stream: u64, index: u64) -> Self {
        let mut key = Rng(stream.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ index);
        let mixed = key.next_u64();
        Rng(seed ^ mixed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 random bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [-1, 1).
    fn symmetric(&mut self) -> f64 {
        2.0 * self.unit() - 1.0
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in 0..n (Lemire's multiply-shift; n = 0 gives 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// `(sin x, cos x)` by Taylor series, for |x| ≤ π/2 (error below 1e-15 there). Only `+` and
/// `*`, so the result is the same on every platform (see the module notes).
fn sin_cos(x: f64) -> (f64, f64) {
    let x2 = x * x;
    let (mut s, mut st) = (x, x);
    let (mut c, mut ct) = (1.0, 1.0);
    for k in 1..12 {
        let k = f64::from(k);
        ct *= -x2 / ((2.0 * k - 1.0) * (2.0 * k));
        st *= -x2 / ((2.0 * k) * (2.0 * k + 1.0));
        c += ct;
        s += st;
    }
    (s, c)
}

/// Metres per degree of latitude (WGS84, mid-latitudes; the exact figure does not matter,
/// only that it is the same everywhere).
const M_PER_DEG_LAT: f64 = 110_900.0;
/// Metres per degree of longitude at the equator.
const M_PER_DEG_LON: f64 = 111_320.0;

/// Metres per degree of longitude at `lat`.
fn m_per_deg_lon(lat: f64) -> f64 {
    M_PER_DEG_LON * sin_cos(lat * (PI / 180.0)).1
}

/// A position, lon/lat degrees.
type Pt = [f64; 2];

/// The unit vector (east, north) from `a` towards `b` in local metres, and the distance.
fn toward(a: Pt, b: Pt) -> (f64, f64, f64) {
    let kx = m_per_deg_lon(0.5 * (a[1] + b[1]));
    let dx = (b[0] - a[0]) * kx;
    let dy = (b[1] - a[1]) * M_PER_DEG_LAT;
    let d = (dx * dx + dy * dy).sqrt();
    if d > 0.0 {
        (dx / d, dy / d, d)
    } else {
        (1.0, 0.0, 0.0)
    }
}

/// `p` moved `m` metres along the unit vector (east, north) `(ux, uy)`.
fn advance(p: Pt, ux: f64, uy: f64, m: f64) -> Pt {
    [
        p[0] + ux * m / m_per_deg_lon(p[1]),
        p[1] + uy * m / M_PER_DEG_LAT,
    ]
}

/// `(east, north)` rotated counter-clockwise by `angle` radians (|angle| ≤ π/2) and
/// renormalised, so a heading does not drift off unit length over thousands of small turns.
fn rotate(east: f64, north: f64, angle: f64) -> (f64, f64) {
    let (sin, cos) = sin_cos(angle);
    let (rx, ry) = (east * cos - north * sin, east * sin + north * cos);
    let norm = (rx * rx + ry * ry).sqrt();
    (rx / norm, ry / norm)
}

/// Rough water and off-region masks (Caspian Sea, Persian Gulf and Arabia, Gulf of Oman,
/// Arabian Sea), so that stations stand on land. Lines between them may still cross a bay.
fn is_water(lon: f64, lat: f64) -> bool {
    let inside = |w: f64, e: f64, s: f64, n: f64| (w..=e).contains(&lon) && (s..=n).contains(&lat);
    inside(46.9, 53.2, 44.5, 47.0)      // northern Caspian
        || inside(47.6, 52.6, 40.6, 44.5) // middle Caspian
        || inside(49.3, 53.9, 37.0, 40.6) // southern Caspian
        || inside(52.8, 54.6, 40.7, 42.0) // Kara-Bogaz-Gol
        || (lon < 56.5 && lat < 27.5)     // the Gulf, Arabia
        || (lon < 48.5 && lat < 30.5)     // head of the Gulf
        || inside(48.5, 51.0, 27.5, 29.8) // the Gulf off Bushehr
        || inside(56.5, 66.6, 22.0, 25.3) // Gulf of Oman, Arabian Sea
        || inside(66.6, 68.2, 22.0, 24.3) // off Karachi
}

// ---------------------------------------------------------------------------------------------
// The plan: every count and attribute, decided before any geometry

/// Attributes shared by the ways of one corridor track.
#[derive(Clone, Copy, Debug)]
struct LineAttrs {
    railway: &'static str,
    usage: &'static str,
    electrified: bool,
    maxspeed: u32,
    /// `Line {n}` if the line is named.
    name: Option<usize>,
}

/// One yard or siding track: a chain of ways beside the main line.
#[derive(Debug)]
struct YardTrack {
    /// The vertex of the site's guide (the main line from the site on) where it starts.
    start: usize,
    /// Starts on the main line, diverging from one of its vertices; else a loose siding that
    /// starts already beside it.
    joined: bool,
    /// Ends back on a main-line vertex (a loop); else a stub.
    rejoins: bool,
    /// Signed offset from the main line, metres (positive: left of the guide).
    offset_m: f64,
    service: &'static str,
    industrial: bool,
    ways: Vec<usize>,
}

/// A place with extra tracks beside a corridor's main line: a station's yard at one end of
/// the corridor, or a passing loop along it.
#[derive(Debug)]
struct Site {
    /// The guide is the main line read backwards from station `b`.
    from_b: bool,
    /// The vertex of the main line the guide starts at (0 for a station yard).
    vertex: usize,
    tracks: Vec<YardTrack>,
}

/// One corridor: two stations, its attributes, the vertex counts of the ways of its main
/// track and (if double) its second track, and its yards and loops.
#[derive(Debug)]
struct Corridor {
    a: usize,
    b: usize,
    attrs: LineAttrs,
    main: Vec<usize>,
    second: Vec<usize>,
    sites: Vec<Site>,
}

impl Corridor {
    /// Vertices of the whole main track (its ways share their endpoints).
    fn main_vertices(&self) -> usize {
        chained_vertices(&self.main)
    }
}

/// Vertices of a chain of ways with these vertex counts, consecutive ways sharing one.
fn chained_vertices(counts: &[usize]) -> usize {
    (counts.iter().sum::<usize>() + 1).saturating_sub(counts.len())
}

/// Everything but coordinates.
struct Plan {
    stations: Vec<Pt>,
    corridors: Vec<Corridor>,
}

/// Fraction of the features that are yard, siding and loop ways.
const YARD_SHARE: f64 = 0.18;
/// Of those, the fraction in station yards (the rest are passing loops along the lines).
const STATION_YARD_SHARE: f64 = 0.35;
/// At most this many ways in one station's yard (about 8 tracks each side).
const MAX_STATION_YARD_WAYS: usize = 24;
/// Yard ways are shorter than line ways by about this factor.
const YARD_LENGTH: f64 = 0.5;
/// Distance between the two tracks of a double-track line (m).
const TRACK_SPACING_M: f64 = 4.8;
/// Distance between neighbouring yard tracks (m).
const YARD_SPACING_M: f64 = 5.0;

impl Plan {
    fn new(spec: &NetworkSpec) -> Self {
        let features = spec.features;
        let vertices = spec.vertices.max(features.saturating_mul(2));
        let mut rng = Rng::stream(spec.seed, STREAM_PLAN, 0);
        if features == 0 {
            return Self {
                stations: Vec::new(),
                corridors: Vec::new(),
            };
        }

        let stations = place_stations(&mut rng, (features / 330).clamp(2, 300));
        let edges = nearest_edges(&stations, &mut rng);

        // Line attributes, and which lines are double track.
        let mut corridors: Vec<Corridor> = Vec::new();
        let mut tracks = 0;
        for (i, &(a, b)) in edges.iter().enumerate() {
            let attrs = line_attrs(&mut rng, i);
            let double = attrs.railway == "rail" && attrs.usage == "main" && rng.chance(0.6);
            tracks += 1 + usize::from(double);
            corridors.push(Corridor {
                a,
                b,
                attrs,
                main: vec![0],
                second: if double { vec![0] } else { Vec::new() },
                sites: Vec::new(),
            });
        }

        // Features: each track needs a way; yards take their share of what is left.
        let mut yard_features = (features as f64 * YARD_SHARE).round() as usize;
        if features - yard_features < tracks {
            yard_features = features.saturating_sub(tracks);
        }
        let line_features = features - yard_features;
        while tracks > line_features {
            // Too few features for every corridor: drop second tracks, then corridors.
            if let Some(c) = corridors.iter_mut().rev().find(|c| !c.second.is_empty()) {
                c.second.clear();
            } else {
                corridors.pop();
            }
            tracks -= 1;
        }

        // Ways per track, in proportion to the track's length.
        let corridor_lengths: Vec<f64> = corridors
            .iter()
            .map(|c| toward(stations[c.a], stations[c.b]).2)
            .collect();
        let track_lengths: Vec<f64> = corridors
            .iter()
            .zip(&corridor_lengths)
            .flat_map(|(c, &d)| std::iter::repeat_n(d, 1 + usize::from(!c.second.is_empty())))
            .collect();
        let ways_per_track = apportion(line_features, &track_lengths, 1);

        // Vertices: yard ways are shorter; every way gets a random share around the mean.
        let yard_weight = yard_features as f64 * YARD_LENGTH;
        let mut yard_vertices =
            (vertices as f64 * yard_weight / (yard_weight + line_features as f64)).round() as usize;
        yard_vertices = yard_vertices
            .max(2 * yard_features)
            .min(vertices - 2 * line_features);
        let line_vertices = vertices - yard_vertices;
        // Skewed towards short ways with a tail of long ones, as OSM's: 0.65..2.0 of the mean.
        let line_weights: Vec<f64> = (0..line_features)
            .map(|_| 0.65 + 1.35 * rng.unit() * rng.unit())
            .collect();
        let mut line_counts = apportion(line_vertices, &line_weights, 2).into_iter();
        let mut per_track = ways_per_track.into_iter();
        for c in &mut corridors {
            let double = !c.second.is_empty();
            let n = per_track.next().unwrap_or(1);
            c.main = line_counts.by_ref().take(n).collect();
            if double {
                let n = per_track.next().unwrap_or(1);
                c.second = line_counts.by_ref().take(n).collect();
            }
        }

        // Station yards, bigger where more lines meet, at stations some corridor reaches;
        // the rest are passing loops, more on longer lines.
        let mut degree = vec![0usize; stations.len()];
        for c in &corridors {
            degree[c.a] += 1;
            degree[c.b] += 1;
        }
        let station_weights: Vec<f64> = degree
            .iter()
            .map(|&d| rng.range(0.2, 1.8) * d as f64)
            .collect();
        let station_features = (yard_features as f64 * STATION_YARD_SHARE).round() as usize;
        let mut station_ways = apportion(station_features, &station_weights, 0);
        let mut loop_features = yard_features - station_features;
        for ways in &mut station_ways {
            loop_features += ways.saturating_sub(MAX_STATION_YARD_WAYS);
            *ways = (*ways).min(MAX_STATION_YARD_WAYS);
        }
        let loop_ways = apportion(loop_features, &corridor_lengths, 0);

        let yard_weights: Vec<f64> = (0..yard_features).map(|_| rng.range(0.4, 1.6)).collect();
        let mut yard_counts = apportion(yard_vertices, &yard_weights, 2).into_iter();
        let mut yard_placed = vec![false; stations.len()];
        for (c, &loops) in corridors.iter_mut().zip(&loop_ways) {
            for (station, from_b) in [(c.a, false), (c.b, true)] {
                if !yard_placed[station] && station_ways[station] > 0 {
                    yard_placed[station] = true;
                    let tracks = station_tracks(&mut rng, station_ways[station], &mut yard_counts);
                    c.sites.push(Site {
                        from_b,
                        vertex: 0,
                        tracks,
                    });
                }
            }
            let double = !c.second.is_empty();
            let n = c.main_vertices();
            c.sites
                .extend(loop_sites(&mut rng, loops, n, double, &mut yard_counts));
        }

        Self {
            stations,
            corridors,
        }
    }

    /// Generate the geometry corridor by corridor and write every way; a corridor's yards and
    /// loops follow its tracks.
    fn emit(&self, seed: u64, sink: &mut Sink<'_, impl Write>) -> io::Result<()> {
        for (i, c) in self.corridors.iter().enumerate() {
            let mut rng = Rng::stream(seed, STREAM_SHAPE, i as u64);
            let line = corridor_line(
                self.stations[c.a],
                self.stations[c.b],
                c.main_vertices(),
                &mut rng,
            );
            let props = WayProps::line(&c.attrs);
            sink.ways(&line, &c.main, &props, &mut rng)?;
            if !c.second.is_empty() {
                let second = second_track(&line, chained_vertices(&c.second));
                sink.ways(&second, &c.second, &props, &mut rng)?;
            }
            let mut rng = Rng::stream(seed, STREAM_YARD, i as u64);
            for site in &c.sites {
                let reversed: Vec<Pt>;
                let guide: &[Pt] = if site.from_b {
                    reversed = line.iter().rev().copied().collect();
                    &reversed
                } else {
                    &line[site.vertex.min(line.len() - 2)..]
                };
                for track in &site.tracks {
                    let points = yard_line(guide, track, chained_vertices(&track.ways));
                    let props = WayProps::yard(&c.attrs, track, &mut rng);
                    sink.ways(&points, &track.ways, &props, &mut rng)?;
                }
            }
        }
        Ok(())
    }
}

/// Split `total` into `weights.len()` parts of at least `min`, the rest in proportion to the
/// weights (largest remainders, ties to the earlier part), so the parts add up exactly.
/// With no weight at all the parts are equal. The caller ensures `total >= min * len`.
fn apportion(total: usize, weights: &[f64], min: usize) -> Vec<usize> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let extra = total.saturating_sub(min * n);
    let sum: f64 = weights.iter().sum();
    let quota = |w: f64| {
        if sum > 0.0 {
            extra as f64 * w / sum
        } else {
            extra as f64 / n as f64
        }
    };
    let mut parts: Vec<usize> = Vec::with_capacity(n);
    let mut remainders: Vec<(f64, usize)> = Vec::with_capacity(n);
    for (i, &w) in weights.iter().enumerate() {
        let q = quota(w);
        let whole = q.floor();
        parts.push(min + whole as usize);
        remainders.push((q - whole, i));
    }
    let given: usize = parts.iter().sum::<usize>() - min * n;
    let mut left = extra.saturating_sub(given);
    // A part with no weight gets nothing (a station no line reaches has no yard).
    if sum > 0.0 {
        remainders.retain(|&(_, i)| weights[i] > 0.0);
    }
    remainders.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let rounds = remainders.len() * (left / remainders.len().max(1) + 1);
    for &(_, i) in remainders.iter().cycle().take(rounds) {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    // Rounding can only overshoot by a unit or two; take it back from the largest parts.
    let mut over = given.saturating_sub(extra);
    while over > 0 {
        let Some(i) = (0..n).max_by_key(|&i| (parts[i], std::cmp::Reverse(i))) else {
            break;
        };
        if parts[i] <= min {
            break;
        }
        parts[i] -= 1;
        over -= 1;
    }
    parts
}

/// `count` stations on land, spread out (at least ~25 km apart where that is possible).
fn place_stations(rng: &mut Rng, count: usize) -> Vec<Pt> {
    let mut stations: Vec<Pt> = Vec::with_capacity(count);
    let mut attempts = 0;
    while stations.len() < count {
        attempts += 1;
        let p = [rng.range(46.6, 79.4), rng.range(23.6, 54.4)];
        if is_water(p[0], p[1]) {
            continue;
        }
        let crowded = stations.iter().any(|&s| toward(s, p).2 < 25_000.0);
        if crowded && attempts < 50 * count {
            continue;
        }
        stations.push(p);
    }
    stations
}

/// Corridors: each station to its two to four nearest neighbours, each pair once, sorted.
fn nearest_edges(stations: &[Pt], rng: &mut Rng) -> Vec<(usize, usize)> {
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (i, &s) in stations.iter().enumerate() {
        let mut others: Vec<(f64, usize)> = stations
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(j, &t)| (toward(s, t).2, j))
            .collect();
        others.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let k = 2 + rng.below(3) as usize;
        edges.extend(others.iter().take(k).map(|&(_, j)| (i.min(j), i.max(j))));
    }
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// Attributes of corridor `index`: mostly working rail; main lines fast and often electric.
fn line_attrs(rng: &mut Rng, index: usize) -> LineAttrs {
    let railway = match rng.below(1000) {
        0..=24 => "abandoned",
        25..=49 => "disused",
        50..=69 => "construction",
        70..=79 => "narrow_gauge",
        _ => "rail",
    };
    let usage = match rng.below(100) {
        0..=49 => "main",
        50..=87 => "branch",
        _ => "industrial",
    };
    let (maxspeed, electric_share) = match usage {
        "main" => (rng.pick(&[100, 120, 120, 140, 160]), 0.55),
        "branch" => (rng.pick(&[60, 80, 80, 100]), 0.2),
        _ => (rng.pick(&[25, 40, 60]), 0.05),
    };
    LineAttrs {
        railway,
        usage,
        electrified: railway == "rail" && rng.chance(electric_share),
        maxspeed,
        // Named lines: 42% of the corridors, so about a third of all ways (yards have none).
        name: rng.chance(0.42).then_some(index + 1),
    }
}

/// The tracks of one station's yard, using `ways` yard ways whose vertex counts come from
/// `counts`: a ladder of tracks alternating right and left of the main line (leaving room
/// on the left for a second main track), each a chain of one to three ways. The innermost
/// tracks diverge at the station point itself, outer ones a vertex further along each; some
/// rejoin the main line at their end, a few are loose sidings that touch nothing.
fn station_tracks(
    rng: &mut Rng,
    ways: usize,
    counts: &mut impl Iterator<Item = usize>,
) -> Vec<YardTrack> {
    let mut tracks = Vec::new();
    let mut left = ways;
    let mut k: usize = 0;
    while left > 0 {
        k += 1;
        let chain = (1 + rng.below(3) as usize).min(left);
        left -= chain;
        let rank = k.div_ceil(2);
        let offset_m = if k % 2 == 1 {
            -YARD_SPACING_M * rank as f64
        } else {
            TRACK_SPACING_M + YARD_SPACING_M * rank as f64
        };
        let ways: Vec<usize> = counts.by_ref().take(chain).collect();
        let joined = rng.chance(0.85);
        tracks.push(YardTrack {
            start: if joined { rank - 1 } else { rank + 2 },
            joined,
            rejoins: rng.chance(0.35) && chained_vertices(&ways) >= 6,
            offset_m,
            service: if rng.chance(0.7) { "yard" } else { "siding" },
            industrial: rng.chance(0.12),
            ways,
        });
    }
    tracks
}

/// `ways` yard ways as passing loops (and a few industrial stubs) spread evenly along a main
/// line of `n` vertices: one or two tracks per site, on the right of a double line.
fn loop_sites(
    rng: &mut Rng,
    ways: usize,
    n: usize,
    double: bool,
    counts: &mut impl Iterator<Item = usize>,
) -> Vec<Site> {
    let mut groups: Vec<Vec<Vec<usize>>> = Vec::new();
    let mut left = ways;
    while left > 0 {
        let mut site = Vec::new();
        for _ in 0..=rng.below(2) {
            let chain = (1 + rng.below(2) as usize).min(left);
            left -= chain;
            site.push(counts.by_ref().take(chain).collect());
            if left == 0 {
                break;
            }
        }
        groups.push(site);
    }
    let sites = groups.len();
    groups
        .into_iter()
        .enumerate()
        .map(|(m, group)| {
            let side = if double || rng.chance(0.5) { -1.0 } else { 1.0 };
            let longest = group.iter().map(|w| chained_vertices(w)).max().unwrap_or(2);
            // Evenly spaced, and the loop fits before the far station where it can.
            let vertex = (n * (m + 1) / (sites + 1))
                .min(n.saturating_sub(longest + 2))
                .clamp(1.min(n - 2), n - 2);
            let tracks = group
                .into_iter()
                .enumerate()
                .map(|(t, ways)| {
                    let stub = rng.chance(0.2);
                    YardTrack {
                        start: t,
                        joined: true,
                        rejoins: !stub && chained_vertices(&ways) >= 6,
                        offset_m: side * YARD_SPACING_M * (t + 1) as f64,
                        service: "siding",
                        industrial: stub,
                        ways,
                    }
                })
                .collect();
            Site {
                from_b: false,
                vertex,
                tracks,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Geometry

/// Step of the dense centreline that corridor shapes are traced on (m).
const TRACE_STEP_M: f64 = 25.0;

/// A corridor's centreline from `a` to `b` (both exact), as `n` vertices.
///
/// The alignment is laid out as railways are built: straight tangents (0.5 to 12.5 km) joined
/// by circular arcs (radius 1.2 to 7.2 km, turning 2 to 25°), most arcs turning back towards
/// `b`, the heading never more than 60° off it, homing in on it over the last few km. That
/// is a random walk on the heading with gentle curvature, not noise on the positions. It is
/// traced in 25 m steps, then resampled to `n` vertices placed as OSM mappers place them:
/// densely on curves, sparsely on tangents (how sparsely varies from tangent to tangent).
fn corridor_line(a: Pt, b: Pt, n: usize, rng: &mut Rng) -> Vec<Pt> {
    let (dense, weights) = trace(a, b, rng);
    resample(&dense, &weights, n)
}

/// The dense centreline from `a` to `b` (see [`corridor_line`]) and, for each of its
/// segments, its length times the vertex density wanted there.
fn trace(a: Pt, b: Pt, rng: &mut Rng) -> (Vec<Pt>, Vec<f64>) {
    let (ux, uy, total) = toward(a, b);
    let capacity = (total / TRACE_STEP_M * 1.2) as usize + 2;
    let mut points = Vec::with_capacity(capacity);
    let mut weights = Vec::with_capacity(capacity);
    points.push(a);
    let (mut hx, mut hy) = rotate(ux, uy, 0.3 * rng.symmetric());
    let mut curvature = 0.0; // signed, 1/m; positive turns left
    let mut element_left = 0.0; // metres left of the current tangent or arc
    let mut on_tangent = false;
    let mut density = 1.0;
    let mut p = a;
    // Every step gets at least half a step closer to `b` (the 60° limit), so this bound is
    // never reached; it only makes the loop's end obvious.
    let max_steps = (total / TRACE_STEP_M * 2.5) as usize + 16;
    for _ in 0..max_steps {
        let (ux, uy, dist) = toward(p, b);
        if dist <= TRACE_STEP_M {
            break;
        }
        let cross = hx * uy - hy * ux;
        if element_left <= 0.0 {
            on_tangent = !on_tangent;
            if on_tangent {
                element_left = 500.0 + 12_000.0 * rng.unit() * rng.unit();
                curvature = 0.0;
                let u = rng.unit();
                density = 1.0 / (1.0 + 5.0 * u * u * u);
            } else {
                let radius = rng.range(1200.0, 7200.0);
                let angle = rng.range(2.0, 25.0) * (PI / 180.0);
                let back = rng.chance(if cross.abs() > 0.1 { 0.8 } else { 0.5 });
                curvature = if back == (cross >= 0.0) { 1.0 } else { -1.0 } / radius;
                element_left = radius * angle;
                density = 1.0 + 2500.0 / radius;
            }
        }
        // A pseudo-angle from the heading to the target, monotonic in [-2, 2].
        let dot = hx * ux + hy * uy;
        let off = if dot >= 0.0 {
            cross
        } else {
            cross.signum() * (2.0 - cross.abs())
        };
        // A faint pull towards `b`, becoming pursuit over the last few km.
        let pursuit = off * (1.0 / 40_000.0 + 1.5 / dist);
        let turn = ((curvature + pursuit) * TRACE_STEP_M).clamp(-0.2, 0.2);
        (hx, hy) = rotate(hx, hy, turn);
        if hx * ux + hy * uy < 0.5 {
            // More than 60° off: hold it at 60°, on the side it is on.
            let side = (hx * uy - hy * ux).signum();
            (hx, hy) = rotate(ux, uy, -side * FRAC_PI_3);
        }
        p = advance(p, hx, hy, TRACE_STEP_M);
        points.push(p);
        weights.push(TRACE_STEP_M * density);
        element_left -= TRACE_STEP_M;
    }
    weights.push(toward(p, b).2 * density);
    points.push(b);
    (points, weights)
}

/// `count` vertices along `dense` (count >= 2), its first and last exactly, the others at
/// equal steps of the cumulative `weights` (one per segment), interpolated linearly.
fn resample(dense: &[Pt], weights: &[f64], count: usize) -> Vec<Pt> {
    let last = dense.len() - 1;
    let total: f64 = weights.iter().sum();
    let mut out = Vec::with_capacity(count);
    out.push(dense[0]);
    // Segment `seg` starts at cumulative weight `below`.
    let (mut seg, mut below) = (0, 0.0);
    for k in 1..count - 1 {
        let target = total * k as f64 / (count - 1) as f64;
        while seg + 1 < last && below + weights[seg] <= target {
            below += weights[seg];
            seg += 1;
        }
        let frac = if weights[seg] > 0.0 {
            ((target - below) / weights[seg]).clamp(0.0, 1.0)
        } else {
            0.0
        };
        out.push(lerp(dense[seg], dense[seg + 1], frac));
    }
    out.push(dense[last]);
    out
}

/// The unit normal (east, north) to the left of a line running from `from` to `to`.
fn left_normal(from: Pt, to: Pt) -> (f64, f64) {
    let (ux, uy, d) = toward(from, to);
    if d > 0.0 { (-uy, ux) } else { (0.0, 0.0) }
}

/// `p` moved `m` metres along the unit normal `(nx, ny)`; exactly `p` when `m` is 0.
fn offset(p: Pt, (nx, ny): (f64, f64), m: f64) -> Pt {
    if m == 0.0 { p } else { advance(p, nx, ny, m) }
}

/// The second track of a double line: `count` vertices beside `main`, 4.8 m to its left,
/// converging on it over three vertices at each end, so both tracks meet exactly at the
/// stations (where the switches are).
fn second_track(main: &[Pt], count: usize) -> Vec<Pt> {
    let last = main.len() - 1;
    let span = (count - 1) as f64;
    (0..count)
        .map(|i| {
            if i == 0 {
                return main[0];
            }
            if i == count - 1 {
                return main[last];
            }
            // The same fraction of the way along, counted in main-line vertices.
            let pos = i as f64 * last as f64 / span;
            let seg = (pos.floor() as usize).min(last - 1);
            let (from, to) = (main[seg], main[seg + 1]);
            let at = lerp(from, to, pos - seg as f64);
            let taper = (i as f64 / 3.0).min((span - i as f64) / 3.0).min(1.0);
            offset(at, left_normal(from, to), TRACK_SPACING_M * taper)
        })
        .collect()
}

/// The point `frac` of the way from `from` to `to`; exactly `from` when `frac` is 0.
fn lerp(from: Pt, to: Pt, frac: f64) -> Pt {
    [
        from[0] + (to[0] - from[0]) * frac,
        from[1] + (to[1] - from[1]) * frac,
    ]
}

/// Vertex `j` of `guide`, continued in a straight line past its end.
fn guide_at(guide: &[Pt], j: usize) -> Pt {
    let last = guide.len() - 1;
    if j <= last {
        return guide[j];
    }
    let (p, q) = (guide[last.saturating_sub(1)], guide[last]);
    let t = (j - last) as f64;
    [q[0] + (q[0] - p[0]) * t, q[1] + (q[1] - p[1]) * t]
}

/// A yard track of `count` vertices beside `guide` (the main line from the site on), from its
/// vertex `track.start`. Where it joins the main line it starts (or ends) exactly on a
/// main-line vertex and reaches its offset at about 1 in 6.
fn yard_line(guide: &[Pt], track: &YardTrack, count: usize) -> Vec<Pt> {
    let ramp = (track.offset_m.abs() / 6.0)
        .ceil()
        .clamp(1.0, ((count - 1) / 2).max(1) as f64);
    (0..count)
        .map(|i| {
            let at = track.start + i;
            let normal = left_normal(
                guide_at(guide, at.saturating_sub(1)),
                guide_at(guide, at + 1),
            );
            let mut share: f64 = 1.0;
            if track.joined {
                share = share.min(i as f64 / ramp);
            }
            if track.rejoins {
                share = share.min((count - 1 - i) as f64 / ramp);
            }
            offset(guide_at(guide, at), normal, track.offset_m * share)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Output

/// Properties of the ways of one track, written in OSM's order; `@id` and `maxspeed` vary
/// per way and are added by [`Sink::ways`].
struct WayProps {
    railway: &'static str,
    usage: Option<&'static str>,
    service: Option<&'static str>,
    narrow: bool,
    electrified: Option<bool>,
    maxspeed: Option<u32>,
    name: Option<usize>,
}

impl WayProps {
    fn line(attrs: &LineAttrs) -> Self {
        let working = matches!(attrs.railway, "rail" | "narrow_gauge");
        Self {
            railway: attrs.railway,
            usage: Some(attrs.usage),
            service: None,
            narrow: attrs.railway == "narrow_gauge",
            electrified: working.then_some(attrs.electrified),
            maxspeed: working.then_some(attrs.maxspeed),
            name: attrs.name,
        }
    }

    fn yard(attrs: &LineAttrs, track: &YardTrack, rng: &mut Rng) -> Self {
        let railway = if rng.chance(0.95) { "rail" } else { "disused" };
        Self {
            railway,
            usage: track.industrial.then_some("industrial"),
            service: Some(track.service),
            narrow: false,
            electrified: (railway == "rail").then_some(attrs.electrified && rng.chance(0.7)),
            maxspeed: (railway == "rail").then_some(if track.service == "yard" { 25 } else { 40 }),
            name: None,
        }
    }
}

/// Target size of the chunks handed to the writer.
const SINK_CHUNK: usize = 256 * 1024;

/// Formats features into a buffer, counts them, and passes full chunks on.
struct Sink<'a, W: Write> {
    out: &'a mut W,
    buf: Vec<u8>,
    format: NetFormat,
    stats: NetworkStats,
    ids: Rng,
    next_id: u64,
}

impl<W: Write> Sink<'_, W> {
    fn begin(&mut self) {
        if self.format == NetFormat::FeatureCollection {
            self.buf
                .extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[\n");
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.format == NetFormat::FeatureCollection {
            self.buf.extend_from_slice(b"\n]}\n");
        }
        self.drain()
    }

    fn drain(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.stats.bytes += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Split `line` into ways of `counts` vertices, consecutive ways sharing their endpoint,
    /// and write them.
    fn ways(
        &mut self,
        line: &[Pt],
        counts: &[usize],
        props: &WayProps,
        rng: &mut Rng,
    ) -> io::Result<()> {
        let mut start = 0;
        for &count in counts {
            let way = &line[start..start + count];
            start += count - 1;
            // Now and then a way is slower (a curve, a bridge, a town).
            let maxspeed = props.maxspeed.map(|v| {
                if rng.chance(0.15) {
                    (v * 6 / 100).max(1) * 10
                } else {
                    v
                }
            });
            self.feature(way, props, maxspeed)?;
        }
        Ok(())
    }

    fn feature(&mut self, way: &[Pt], props: &WayProps, maxspeed: Option<u32>) -> io::Result<()> {
        let id = self.next_id;
        self.next_id += 1 + self.ids.below(19_000);
        let with_id = self.ids.chance(0.4);

        let b = &mut self.buf;
        match (self.format, self.stats.features) {
            (NetFormat::FeatureCollection, 0) => {}
            (NetFormat::FeatureCollection, _) => b.extend_from_slice(b",\n"),
            (NetFormat::Sequence, _) => b.push(0x1E),
        }
        b.extend_from_slice(b"{\"type\":\"Feature\",");
        if with_id {
            b.extend_from_slice(b"\"id\":");
            push_u64(b, id);
            b.push(b',');
        }
        b.extend_from_slice(b"\"properties\":{\"@id\":\"way/");
        push_u64(b, id);
        b.extend_from_slice(b"\",\"railway\":\"");
        b.extend_from_slice(props.railway.as_bytes());
        b.push(b'"');
        if let Some(usage) = props.usage {
            push_str_prop(b, "usage", usage);
        }
        if let Some(service) = props.service {
            push_str_prop(b, "service", service);
        }
        let first = clamp_to_region(way[0]);
        let gauge = if props.narrow {
            match gauge_at(first[0], first[1]) {
                "1520" => "750",
                "1676" => "762",
                _ => "1000",
            }
        } else {
            gauge_at(first[0], first[1])
        };
        push_str_prop(b, "gauge", gauge);
        if let Some(electrified) = props.electrified {
            push_str_prop(
                b,
                "electrified",
                if electrified { "contact_line" } else { "no" },
            );
        }
        if let Some(v) = maxspeed {
            b.extend_from_slice(b",\"maxspeed\":\"");
            push_u64(b, u64::from(v));
            b.push(b'"');
        }
        if let Some(n) = props.name {
            b.extend_from_slice(b",\"name\":\"Line ");
            push_u64(b, n as u64);
            b.push(b'"');
        }
        b.extend_from_slice(b"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[");
        for (i, &p) in way.iter().enumerate() {
            if i > 0 {
                b.push(b',');
            }
            let p = clamp_to_region(p);
            b.push(b'[');
            push_fixed7(b, p[0]);
            b.push(b',');
            push_fixed7(b, p[1]);
            b.push(b']');
        }
        b.extend_from_slice(b"]}}");
        if self.format == NetFormat::Sequence {
            b.push(b'\n');
        }
        self.stats.features += 1;
        self.stats.vertices += way.len();
        if self.buf.len() >= SINK_CHUNK {
            self.drain()?;
        }
        Ok(())
    }
}

/// A safety net: the walk stays well inside, but a coordinate outside [`REGION`] would break
/// the promise tests rely on.
fn clamp_to_region(p: Pt) -> Pt {
    [
        p[0].clamp(REGION[0], REGION[1]),
        p[1].clamp(REGION[2], REGION[3]),
    ]
}

fn push_str_prop(b: &mut Vec<u8>, key: &str, value: &str) {
    b.extend_from_slice(b",\"");
    b.extend_from_slice(key.as_bytes());
    b.extend_from_slice(b"\":\"");
    b.extend_from_slice(value.as_bytes());
    b.push(b'"');
}

fn push_u64(b: &mut Vec<u8>, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    b.extend_from_slice(&digits[i..]);
}

/// `v` with exactly 7 decimals (OSM's precision), rounded half away from zero. Much faster
/// than `format!("{v:.7}")`, and the same text for the same `f64` everywhere.
fn push_fixed7(b: &mut Vec<u8>, v: f64) {
    let scaled = (v * 1e7).round() as i64;
    if scaled < 0 {
        b.push(b'-');
    }
    let a = scaled.unsigned_abs();
    push_u64(b, a / 10_000_000);
    b.push(b'.');
    let mut frac = a % 10_000_000;
    let mut digits = [b'0'; 7];
    for d in digits.iter_mut().rev() {
        *d = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    b.extend_from_slice(&digits);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigonometry_matches_std_closely() {
        for i in -150..=150 {
            let x = f64::from(i) * 0.01;
            let (s, c) = sin_cos(x);
            assert!((s - x.sin()).abs() < 1e-14, "sin {x}");
            assert!((c - x.cos()).abs() < 1e-14, "cos {x}");
        }
    }

    #[test]
    fn fixed7_formats_like_format() {
        let mut b = Vec::new();
        for v in [69.123_456_74, 0.0, -12.5, 41.000_000_06, 79.999_999_99] {
            b.clear();
            push_fixed7(&mut b, v);
            assert_eq!(String::from_utf8_lossy(&b), format!("{v:.7}"));
        }
    }

    #[test]
    fn apportion_adds_up_and_respects_the_minimum() {
        let w = [1.0, 2.0, 3.0, 0.5, 0.0];
        for total in [10, 11, 97, 1000] {
            let parts = apportion(total, &w, 2);
            assert_eq!(parts.iter().sum::<usize>(), total);
            assert!(parts.iter().all(|&p| p >= 2));
        }
        assert_eq!(apportion(6, &[0.0, 0.0, 0.0], 0), vec![2, 2, 2]);
    }

    #[test]
    fn tiny_specs_still_count_exactly() {
        for features in [0, 1, 2, 3, 5, 17, 40] {
            let spec = NetworkSpec::small(features);
            let stats = write_network(&spec, io::sink()).unwrap_or_default();
            assert_eq!(stats.features, features);
            assert_eq!(stats.vertices, features * 30);
        }
    }
}
