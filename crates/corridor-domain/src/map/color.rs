//! Colours of alternatives that cannot be mistaken for track. Rail is coloured by gauge
//! ([`gauge_color`]): an alternative drawn in the blue of 1,435 mm track reads as standard
//! gauge. Alternatives therefore take their colours from [`ALTERNATIVE_COLORS`], chosen to
//! stay apart from every gauge colour and from each other in normal vision and under
//! simulated deuteranopia and protanopia (the tests hold them to [`MIN_DELTA_E_FROM_GAUGES`]
//! and [`MIN_DELTA_E_BETWEEN_ALTERNATIVES`]). Differences are CIE76 ΔE in CIE L\*a\*b\* (D65):
//! the plain Euclidean distance, where about 2.3 is just noticeable and over 20 reads as a
//! different colour at a glance.

use crate::map::style::Rgba;

/// The alternatives' colours, most distinct first: bluish green, violet, amber, sky blue,
/// aqua and sea green (from the Okabe–Ito and Paul Tol colour-blind-safe sets, minus their
/// reds, oranges and blues, which the gauges use).
pub const ALTERNATIVE_COLORS: [Rgba; 6] = [
    [0, 158, 115, 255],
    [120, 60, 200, 255],
    [230, 190, 0, 255],
    [51, 187, 238, 255],
    [0, 200, 200, 255],
    [68, 170, 153, 255],
];

/// Every alternative colour differs from every gauge colour (and the grey of unknown gauge)
/// by at least this CIE76 ΔE in normal vision.
pub const MIN_DELTA_E_FROM_GAUGES: f64 = 30.0;

/// Every two alternative colours differ by at least this CIE76 ΔE, in normal vision and
/// under simulated deuteranopia and protanopia.
pub const MIN_DELTA_E_BETWEEN_ALTERNATIVES: f64 = 13.0;

/// CIE L\*a\*b\* (D65 white) of an sRGB colour; alpha is ignored.
#[must_use]
pub fn lab(c: Rgba) -> [f64; 3] {
    lab_from_linear(linear_rgb(c))
}

/// The linear-light RGB of an sRGB colour (IEC 61966-2-1 transfer curve).
#[must_use]
pub fn linear_rgb(c: Rgba) -> [f64; 3] {
    let f = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    [f(c[0]), f(c[1]), f(c[2])]
}

/// CIE L\*a\*b\* of a linear-light sRGB triple (D65).
#[must_use]
pub fn lab_from_linear([red, green, blue]: [f64; 3]) -> [f64; 3] {
    // sRGB → XYZ (D65), then XYZ → L*a*b* relative to the D65 white point.
    let x = 0.412_456_4 * red + 0.357_576_1 * green + 0.180_437_5 * blue;
    let y = 0.212_672_9 * red + 0.715_152_2 * green + 0.072_175_0 * blue;
    let z = 0.019_333_9 * red + 0.119_192_0 * green + 0.950_304_1 * blue;
    let f = |t: f64| {
        const D: f64 = 6.0 / 29.0;
        if t > D * D * D {
            t.cbrt()
        } else {
            t / (3.0 * D * D) + 4.0 / 29.0
        }
    };
    let (fx, fy, fz) = (f(x / 0.950_47), f(y), f(z / 1.088_83));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// CIE76 colour difference: the distance between two colours in L\*a\*b\*.
#[must_use]
pub fn delta_e76(a: Rgba, b: Rgba) -> f64 {
    let (a, b) = (lab(a), lab(b));
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// The colour for a new alternative: the palette colour farthest (largest smallest ΔE) from
/// the colours the scenario's alternatives already use, the first of the palette on a tie.
/// An unused palette colour always wins over a used one; past six alternatives colours
/// repeat, the least crowded first.
#[must_use]
pub fn pick_alternative_color(used: &[Rgba]) -> Rgba {
    let distance = |c: Rgba| {
        used.iter()
            .map(|&u| delta_e76(c, u))
            .fold(f64::INFINITY, f64::min)
    };
    let mut best = ALTERNATIVE_COLORS[0];
    let mut best_d = f64::NEG_INFINITY;
    for c in ALTERNATIVE_COLORS {
        let d = distance(c);
        if d > best_d {
            (best, best_d) = (c, d);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::style::gauge_color;

    /// Gauge colours: 1,520, 1,435 and 1,676 mm, and the grey of an unknown gauge.
    fn gauge_colors() -> [Rgba; 4] {
        [
            gauge_color(Some(1520.0)),
            gauge_color(Some(1435.0)),
            gauge_color(Some(1676.0)),
            gauge_color(None),
        ]
    }

    /// Machado, Oliveira & Fernandes (2009) simulation matrices at severity 1.0, applied to
    /// linear RGB: deuteranopia, protanopia.
    const DEUTERANOPIA: [[f64; 3]; 3] = [
        [0.367_322, 0.860_646, -0.227_968],
        [0.280_085, 0.672_501, 0.047_413],
        [-0.011_820, 0.042_940, 0.968_881],
    ];
    const PROTANOPIA: [[f64; 3]; 3] = [
        [0.152_286, 1.052_583, -0.204_868],
        [0.114_503, 0.786_281, 0.099_216],
        [-0.003_882, -0.048_116, 1.051_998],
    ];

    fn simulated_lab(c: Rgba, m: &[[f64; 3]; 3]) -> [f64; 3] {
        let l = linear_rgb(c);
        let row = |i: usize| (m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]).clamp(0.0, 1.0);
        lab_from_linear([row(0), row(1), row(2)])
    }

    fn dist(a: [f64; 3], b: [f64; 3]) -> f64 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    #[test]
    fn lab_matches_published_values() {
        // Reference L*a*b* (D65) from Bruce Lindbloom's calculator / colormine.org.
        let close = |a: [f64; 3], b: [f64; 3]| dist(a, b) < 0.02;
        assert!(close(lab([255, 255, 255, 255]), [100.0, 0.0, 0.0]));
        assert!(close(lab([0, 0, 0, 255]), [0.0, 0.0, 0.0]));
        assert!(
            close(lab([255, 0, 0, 255]), [53.2408, 80.0925, 67.2032]),
            "{:?}",
            lab([255, 0, 0, 255])
        );
        assert!(
            close(lab([0, 0, 255, 255]), [32.2970, 79.1875, -107.8602]),
            "{:?}",
            lab([0, 0, 255, 255])
        );
        // Mid grey (128): L* 53.585, neutral.
        assert!(close(lab([128, 128, 128, 255]), [53.5850, 0.0, 0.0]));
        // Red to blue: the worked CIE76 example, ≈ 176.3.
        assert!((delta_e76([255, 0, 0, 255], [0, 0, 255, 255]) - 176.314).abs() < 0.05);
    }

    #[test]
    fn every_alternative_colour_is_far_from_every_gauge_colour() {
        for a in ALTERNATIVE_COLORS {
            for g in gauge_colors() {
                let d = delta_e76(a, g);
                assert!(
                    d >= MIN_DELTA_E_FROM_GAUGES,
                    "{a:?} vs gauge {g:?}: ΔE {d:.1}"
                );
            }
        }
    }

    #[test]
    fn alternatives_differ_from_each_other_and_from_gauges_under_colour_blindness() {
        for m in [&DEUTERANOPIA, &PROTANOPIA] {
            for (i, a) in ALTERNATIVE_COLORS.iter().enumerate() {
                for b in &ALTERNATIVE_COLORS[i + 1..] {
                    let d = dist(simulated_lab(*a, m), simulated_lab(*b, m));
                    assert!(
                        d >= MIN_DELTA_E_BETWEEN_ALTERNATIVES,
                        "{a:?} vs {b:?}: {d:.1}"
                    );
                }
                for g in gauge_colors() {
                    let d = dist(simulated_lab(*a, m), simulated_lab(g, m));
                    assert!(d >= 15.0, "{a:?} vs gauge {g:?} simulated: {d:.1}");
                }
            }
        }
        for (i, a) in ALTERNATIVE_COLORS.iter().enumerate() {
            for b in &ALTERNATIVE_COLORS[i + 1..] {
                assert!(delta_e76(*a, *b) >= MIN_DELTA_E_BETWEEN_ALTERNATIVES);
            }
        }
    }

    #[test]
    fn a_new_alternative_takes_the_most_distant_free_colour() {
        assert_eq!(pick_alternative_color(&[]), ALTERNATIVE_COLORS[0]);
        // Six alternatives in a row get six different colours.
        let mut used = Vec::new();
        for _ in 0..ALTERNATIVE_COLORS.len() {
            let c = pick_alternative_color(&used);
            assert!(!used.contains(&c), "{c:?} repeated in {used:?}");
            used.push(c);
        }
        // Next to the bluish green alone, the farthest palette colour is the violet (ΔE ≈ 126
        // against ≤ 84 for the rest, computed separately with the same published formulas).
        assert_eq!(
            pick_alternative_color(&[ALTERNATIVE_COLORS[0]]),
            ALTERNATIVE_COLORS[1]
        );
        // A scenario whose alternatives use foreign colours still gets a palette colour.
        assert!(ALTERNATIVE_COLORS.contains(&pick_alternative_color(&[[255, 0, 0, 255]])));
    }
}
