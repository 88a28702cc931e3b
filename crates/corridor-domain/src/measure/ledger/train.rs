//! Running time from a train: a simple train performance calculation along the chainage.
//!
//! The line is cut into equal steps. Tractive effort is the lesser of the adhesion limit and
//! power over speed; resistance is Davis' A + B·v + C·v² plus the grade (m·g·grade); braking
//! is a constant deceleration. Speed limits (line speed, the train's maximum, curves, stops)
//! are met by a backward pass (the fastest speed from which the train can still brake to
//! every later limit) and a forward pass (acceleration from the previous step, capped by the
//! backward pass). Within a step the acceleration is taken as constant, so `v² = v₀² + 2·a·Δx`
//! and the step's time `2·Δx / (v₀ + v)` are exact for a constant force — which is what makes
//! the flat, constant-resistance case agree with its closed form.

use serde::{Deserialize, Serialize};

/// Standard gravity (m/s²).
const G_MPS2: f64 = 9.806_65;
/// A train never crawls slower than this (m/s) when it should be moving: a grade it cannot
/// climb at full power is reported through a long running time, not an endless one.
const CRAWL_MPS: f64 = 1.0;

/// The trains the ledger offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrainPreset {
    #[default]
    HeavyFreight,
    Passenger,
}

impl TrainPreset {
    pub const ALL: [Self; 2] = [Self::HeavyFreight, Self::Passenger];

    /// The train's figures.
    #[must_use]
    pub fn train(self) -> Train {
        match self {
            // Three 4 MW six-axle diesel-electrics (TE33A/2TE25A class) with 4,000 t gross:
            // enough adhesion (~1,200 kN) to start on the 2.5 % ruling grade. Davis figures
            // for loaded bogie wagons, about 1.4 daN/t at rest.
            Self::HeavyFreight => Train {
                name: "heavy freight (4,000 t, 12 MW, 80 km/h)".to_owned(),
                mass_kg: 4.0e6,
                power_w: 12.0e6,
                max_tractive_effort_n: 1.2e6,
                max_speed_kmh: 80.0,
                davis_a_n: 55_000.0,
                davis_b_n_per_mps: 800.0,
                davis_c_n_per_mps2: 95.0,
                braking_mps2: 0.25,
            },
            // A locomotive and 12 coaches, ~600 t, 6 MW, 160 km/h.
            Self::Passenger => Train {
                name: "passenger (600 t, 6 MW, 160 km/h)".to_owned(),
                mass_kg: 6.0e5,
                power_w: 6.0e6,
                max_tractive_effort_n: 300_000.0,
                max_speed_kmh: 160.0,
                davis_a_n: 6_000.0,
                davis_b_n_per_mps: 120.0,
                davis_c_n_per_mps2: 9.0,
                braking_mps2: 0.6,
            },
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::HeavyFreight => "heavy freight",
            Self::Passenger => "passenger",
        }
    }
}

/// A train's performance figures (SI units).
#[derive(Clone, Debug, PartialEq)]
pub struct Train {
    pub name: String,
    pub mass_kg: f64,
    pub power_w: f64,
    /// The adhesion limit of tractive effort (N).
    pub max_tractive_effort_n: f64,
    pub max_speed_kmh: f64,
    /// Davis resistance R = A + B·v + C·v² (N, v in m/s).
    pub davis_a_n: f64,
    pub davis_b_n_per_mps: f64,
    pub davis_c_n_per_mps2: f64,
    /// Service braking deceleration (m/s²).
    pub braking_mps2: f64,
}

impl Train {
    /// Net acceleration (m/s²) at `v_mps` on `grade` (rise over run, up positive).
    fn acceleration(&self, v_mps: f64, grade: f64) -> f64 {
        let traction = if v_mps > 0.0 {
            self.max_tractive_effort_n.min(self.power_w / v_mps)
        } else {
            self.max_tractive_effort_n
        };
        let resistance = self.davis_a_n
            + self.davis_b_n_per_mps * v_mps
            + self.davis_c_n_per_mps2 * v_mps * v_mps
            + self.mass_kg * G_MPS2 * grade;
        (traction - resistance) / self.mass_kg
    }
}

/// The line as the run sees it: `n + 1` equally spaced points `step_m` apart, with the speed
/// limit (m/s) at each point and the grade of each of the `n` steps. A step marked `skip`
/// (a sea leg) takes no running time.
pub struct Track<'a> {
    pub step_m: f64,
    pub limit_mps: &'a [f64],
    pub grade: &'a [f64],
    pub skip: &'a [bool],
}

/// The speed (m/s) at every point of `track`, and the running time (s).
#[must_use]
pub fn run(train: &Train, track: &Track) -> (Vec<f64>, f64) {
    let n = track.limit_mps.len();
    if n < 2 || track.step_m.is_nan() || track.step_m <= 0.0 {
        return (vec![0.0; n], 0.0);
    }
    let dx = track.step_m;
    let v_max = train.max_speed_kmh / 3.6;
    let cap: Vec<f64> = track
        .limit_mps
        .iter()
        .map(|l| l.min(v_max).max(0.0))
        .collect();
    // Backward: the fastest speed from which every later limit can still be met.
    let mut brake = cap.clone();
    let b = train.braking_mps2.max(1e-3);
    for i in (0..n - 1).rev() {
        brake[i] = brake[i].min((brake[i + 1] * brake[i + 1] + 2.0 * b * dx).sqrt());
    }
    // Forward: accelerate from the previous point, capped by the backward pass.
    // The train starts at rest.
    let mut v = vec![0.0; n];
    let mut time_s = 0.0;
    for i in 0..n - 1 {
        let grade = track.grade.get(i).copied().unwrap_or(0.0);
        let a = train.acceleration(v[i], grade);
        let reach = (v[i] * v[i] + 2.0 * a * dx).max(0.0).sqrt();
        let mut next = reach.min(brake[i + 1]);
        if next < CRAWL_MPS && brake[i + 1] >= CRAWL_MPS {
            next = CRAWL_MPS;
        }
        v[i + 1] = next;
        if !track.skip.get(i).copied().unwrap_or(false) {
            let mean = 0.5 * (v[i] + next);
            time_s += if mean > 0.0 { dx / mean } else { 0.0 };
        }
    }
    (v, time_s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_can_start_on_the_default_ruling_grade() {
        for p in TrainPreset::ALL {
            let t = p.train();
            assert!(t.acceleration(0.0, 0.025) > 0.0, "{}", t.name);
        }
    }
}
