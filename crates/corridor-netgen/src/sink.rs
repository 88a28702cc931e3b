//! Output: GeoJSON (or GeoJSONSeq) text assembled in a buffer and written in chunks.

use crate::parts::{LineAttrs, YardTrack};
use crate::rng::{Pt, Rng};
use crate::spec::{NetFormat, NetworkStats, REGION, gauge_at};
use std::io::{self, Write};

/// Properties of the ways of one track, written in OSM's order; `@id` and `maxspeed` vary
/// per way and are added by [`Sink::ways`].
pub(crate) struct WayProps {
    pub(crate) railway: &'static str,
    pub(crate) usage: Option<&'static str>,
    pub(crate) service: Option<&'static str>,
    pub(crate) narrow: bool,
    pub(crate) electrified: Option<bool>,
    pub(crate) maxspeed: Option<u32>,
    pub(crate) name: Option<usize>,
}

impl WayProps {
    pub(crate) fn line(attrs: &LineAttrs) -> Self {
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

    pub(crate) fn yard(attrs: &LineAttrs, track: &YardTrack, rng: &mut Rng) -> Self {
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
pub(crate) const SINK_CHUNK: usize = 256 * 1024;

/// Formats features into a buffer, counts them, and passes full chunks on.
pub(crate) struct Sink<'a, W: Write> {
    pub(crate) out: &'a mut W,
    pub(crate) buf: Vec<u8>,
    pub(crate) format: NetFormat,
    pub(crate) stats: NetworkStats,
    pub(crate) ids: Rng,
    pub(crate) next_id: u64,
}

impl<W: Write> Sink<'_, W> {
    pub(crate) fn begin(&mut self) {
        if self.format == NetFormat::FeatureCollection {
            self.buf
                .extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[\n");
        }
    }

    pub(crate) fn finish(&mut self) -> io::Result<()> {
        if self.format == NetFormat::FeatureCollection {
            self.buf.extend_from_slice(b"\n]}\n");
        }
        self.drain()
    }

    pub(crate) fn drain(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.stats.bytes += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Split `line` into ways of `counts` vertices, consecutive ways sharing their endpoint,
    /// and write them.
    pub(crate) fn ways(
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

    pub(crate) fn feature(
        &mut self,
        way: &[Pt],
        props: &WayProps,
        maxspeed: Option<u32>,
    ) -> io::Result<()> {
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
pub(crate) fn clamp_to_region(p: Pt) -> Pt {
    [
        p[0].clamp(REGION[0], REGION[1]),
        p[1].clamp(REGION[2], REGION[3]),
    ]
}

pub(crate) fn push_str_prop(b: &mut Vec<u8>, key: &str, value: &str) {
    b.extend_from_slice(b",\"");
    b.extend_from_slice(key.as_bytes());
    b.extend_from_slice(b"\":\"");
    b.extend_from_slice(value.as_bytes());
    b.push(b'"');
}

pub(crate) fn push_u64(b: &mut Vec<u8>, mut v: u64) {
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
pub(crate) fn push_fixed7(b: &mut Vec<u8>, v: f64) {
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
