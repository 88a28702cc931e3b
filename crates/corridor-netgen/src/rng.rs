//! Random numbers (SplitMix64 streams) and deterministic trigonometry and local geometry: the
//! same bits on every machine.

use std::f64::consts::PI;

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and fully specified, so the same seed
/// gives the same numbers on every machine and every Rust version.
pub(crate) struct Rng(pub(crate) u64);

/// Independent streams of the same seed, so that changing how many numbers one part draws
/// (say, the yard layout) does not reshuffle another (the corridor shapes).
pub(crate) const STREAM_PLAN: u64 = 1;
pub(crate) const STREAM_SHAPE: u64 = 2;
pub(crate) const STREAM_IDS: u64 = 3;
pub(crate) const STREAM_YARD: u64 = 4;
pub(crate) const STREAM_MEANDER: u64 = 5;

impl Rng {
    pub(crate) fn stream(seed: u64, stream: u64, index: u64) -> Self {
        let mut key = Rng(stream.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ index);
        let mixed = key.next_u64();
        Rng(seed ^ mixed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 random bits.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [-1, 1).
    pub(crate) fn symmetric(&mut self) -> f64 {
        2.0 * self.unit() - 1.0
    }

    /// Roughly standard normal: the sum of three uniforms on [-1, 1) has variance 1 (and a
    /// bounded tail, which is what a mapping error has).
    pub(crate) fn about_normal(&mut self) -> f64 {
        self.symmetric() + self.symmetric() + self.symmetric()
    }

    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in 0..n (Lemire's multiply-shift; n = 0 gives 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// `(sin x, cos x)` by Taylor series, for |x| ≤ π/2 (error below 1e-15 there). Only `+` and
/// `*`, so the result is the same on every platform (see the module notes).
pub(crate) fn sin_cos(x: f64) -> (f64, f64) {
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
pub(crate) const M_PER_DEG_LAT: f64 = 110_900.0;
/// Metres per degree of longitude at the equator.
pub(crate) const M_PER_DEG_LON: f64 = 111_320.0;

/// Metres per degree of longitude at `lat`.
pub(crate) fn m_per_deg_lon(lat: f64) -> f64 {
    M_PER_DEG_LON * sin_cos(lat * (PI / 180.0)).1
}

/// A position, lon/lat degrees.
pub(crate) type Pt = [f64; 2];

/// The unit vector (east, north) from `a` towards `b` in local metres, and the distance.
pub(crate) fn toward(a: Pt, b: Pt) -> (f64, f64, f64) {
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
pub(crate) fn advance(p: Pt, ux: f64, uy: f64, m: f64) -> Pt {
    [
        p[0] + ux * m / m_per_deg_lon(p[1]),
        p[1] + uy * m / M_PER_DEG_LAT,
    ]
}

/// `(east, north)` rotated counter-clockwise by `angle` radians (|angle| ≤ π/2) and
/// renormalised, so a heading does not drift off unit length over thousands of small turns.
pub(crate) fn rotate(east: f64, north: f64, angle: f64) -> (f64, f64) {
    let (sin, cos) = sin_cos(angle);
    let (rx, ry) = (east * cos - north * sin, east * sin + north * cos);
    let norm = (rx * rx + ry * ry).sqrt();
    (rx / norm, ry / norm)
}

/// Rough water and off-region masks (Caspian Sea, Persian Gulf and Arabia, Gulf of Oman,
/// Arabian Sea), so that stations stand on land. Lines between them may still cross a bay.
pub(crate) fn is_water(lon: f64, lat: f64) -> bool {
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
