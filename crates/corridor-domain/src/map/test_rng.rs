//! A seeded xorshift64 for the map's unit tests: the same pseudo-random lines and queries on
//! every machine, without a dependency.

/// Uniform numbers in `[0, 1)` from a fixed seed.
pub(crate) fn uniform() -> impl FnMut() -> f64 {
    seeded(0x9e37_79b9_7f4a_7c15)
}

/// Uniform numbers in `[0, 1)` from `seed` (non-zero).
pub(crate) fn seeded(mut state: u64) -> impl FnMut() -> f64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}
