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

mod parts;
mod plan;
mod rng;
mod shape;
mod sink;
mod spec;

pub use spec::{NetFormat, NetShape, NetworkSpec, NetworkStats, REGION, gauge_at};

use std::io::{self, Write};

use plan::Plan;
use rng::{Rng, STREAM_IDS};
use sink::{SINK_CHUNK, Sink};

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
    plan.emit(spec.seed, spec.shape, &mut sink)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::*;
    use crate::rng::*;
    use crate::sink::*;

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
