//! The plan: every count and attribute, decided before any geometry.

use crate::parts::{LineAttrs, TRACK_SPACING_M, YardTrack};
use crate::rng::{
    Pt, Rng, STREAM_MEANDER, STREAM_PLAN, STREAM_SHAPE, STREAM_YARD, is_water, toward,
};
use crate::shape::{corridor_line, meander, second_track, yard_line};
use crate::sink::{Sink, WayProps};
use crate::spec::{NetShape, NetworkSpec};
use std::io::{self, Write};

/// A place with extra tracks beside a corridor's main line: a station's yard at one end of
/// the corridor, or a passing loop along it.
#[derive(Debug)]
pub(crate) struct Site {
    /// The guide is the main line read backwards from station `b`.
    pub(crate) from_b: bool,
    /// The vertex of the main line the guide starts at (0 for a station yard).
    pub(crate) vertex: usize,
    pub(crate) tracks: Vec<YardTrack>,
}

/// One corridor: two stations, its attributes, the vertex counts of the ways of its main
/// track and (if double) its second track, and its yards and loops.
#[derive(Debug)]
pub(crate) struct Corridor {
    pub(crate) a: usize,
    pub(crate) b: usize,
    pub(crate) attrs: LineAttrs,
    pub(crate) main: Vec<usize>,
    pub(crate) second: Vec<usize>,
    pub(crate) sites: Vec<Site>,
}

impl Corridor {
    /// Vertices of the whole main track (its ways share their endpoints).
    pub(crate) fn main_vertices(&self) -> usize {
        chained_vertices(&self.main)
    }
}

/// Vertices of a chain of ways with these vertex counts, consecutive ways sharing one.
pub(crate) fn chained_vertices(counts: &[usize]) -> usize {
    (counts.iter().sum::<usize>() + 1).saturating_sub(counts.len())
}

/// Everything but coordinates.
pub(crate) struct Plan {
    pub(crate) stations: Vec<Pt>,
    pub(crate) corridors: Vec<Corridor>,
}

/// Fraction of the features that are yard, siding and loop ways.
pub(crate) const YARD_SHARE: f64 = 0.18;
/// Of those, the fraction in station yards (the rest are passing loops along the lines).
pub(crate) const STATION_YARD_SHARE: f64 = 0.35;
/// At most this many ways in one station's yard (about 8 tracks each side).
pub(crate) const MAX_STATION_YARD_WAYS: usize = 24;
/// Yard ways are shorter than line ways by about this factor.
pub(crate) const YARD_LENGTH: f64 = 0.5;
/// Distance between neighbouring yard tracks (m).
pub(crate) const YARD_SPACING_M: f64 = 5.0;

impl Plan {
    pub(crate) fn new(spec: &NetworkSpec) -> Self {
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
    pub(crate) fn emit(
        &self,
        seed: u64,
        shape: NetShape,
        sink: &mut Sink<'_, impl Write>,
    ) -> io::Result<()> {
        for (i, c) in self.corridors.iter().enumerate() {
            let mut rng = Rng::stream(seed, STREAM_SHAPE, i as u64);
            let mut line = corridor_line(
                self.stations[c.a],
                self.stations[c.b],
                c.main_vertices(),
                &mut rng,
            );
            if shape == NetShape::Realistic {
                meander(&mut line, &mut Rng::stream(seed, STREAM_MEANDER, i as u64));
            }
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
pub(crate) fn apportion(total: usize, weights: &[f64], min: usize) -> Vec<usize> {
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
pub(crate) fn place_stations(rng: &mut Rng, count: usize) -> Vec<Pt> {
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
pub(crate) fn nearest_edges(stations: &[Pt], rng: &mut Rng) -> Vec<(usize, usize)> {
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
pub(crate) fn line_attrs(rng: &mut Rng, index: usize) -> LineAttrs {
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
pub(crate) fn station_tracks(
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
pub(crate) fn loop_sites(
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
