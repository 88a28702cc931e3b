//! `corridor-atlas generate-network -o FILE`: write the synthetic OSM-like railway network of
//! [`corridor_netgen`] to a file, for benchmarks and large-file import tests.
//!
//! The network itself is decided in the domain; this module checks the arguments, writes the
//! file and prints one summary line. Any problem is one line on stderr and exit status 1.

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::builder::RangedU64ValueParser;
use corridor_netgen::{NetFormat, NetShape, NetworkSpec, NetworkStats, write_network};

/// The most vertices `generate-network` writes: 50 million, ~1.5 GB of GeoJSON and 16
/// times the size of a real OSM rail extract of the region. Sizes are checked by clap while
/// the arguments are parsed, so a bad size never overflows an allocation (`2^63` vertices)
/// and never creates or truncates the output file.
pub const MAX_VERTICES: u64 = 50_000_000;

/// Arguments of `corridor-atlas generate-network`. The help text of the subcommand is the doc
/// comment of its variant in `main.rs`.
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// Number of ways (features), exactly: 1 to 25 million.
    #[arg(long, default_value_t = NetworkSpec::default().features, value_name = "N",
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=MAX_VERTICES / 2))]
    pub features: usize,
    /// Number of vertices summed over all ways, exactly (at least 2 per way): at most 50
    /// million.
    #[arg(long, default_value_t = NetworkSpec::default().vertices, value_name = "M",
          value_parser = RangedU64ValueParser::<usize>::new().range(2..=MAX_VERTICES))]
    pub vertices: usize,
    /// Seed: the same seed and sizes give the same bytes on every machine.
    #[arg(long, default_value_t = NetworkSpec::default().seed, value_name = "S")]
    pub seed: u64,
    /// Write GeoJSONSeq (RFC 8142: one 0x1E-prefixed feature per line) instead of a
    /// FeatureCollection.
    #[arg(long)]
    pub seq: bool,
    /// `smooth`: every vertex on the designed tangents and arcs (simplifies to almost
    /// nothing); `realistic`: the same alignments with the sideways meander of ways mapped
    /// from imagery, which keep their vertices when simplified, as real OSM ways do.
    #[arg(long, value_enum, default_value_t = ShapeArg::Smooth)]
    pub shape: ShapeArg,
    /// The file to write (replaced if it exists).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: PathBuf,
}

/// `--shape`: see [`NetShape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShapeArg {
    Smooth,
    Realistic,
}

impl GenerateArgs {
    /// The network these arguments ask for.
    #[must_use]
    pub fn spec(&self) -> NetworkSpec {
        NetworkSpec {
            features: self.features,
            vertices: self.vertices,
            seed: self.seed,
            format: if self.seq {
                NetFormat::Sequence
            } else {
                NetFormat::FeatureCollection
            },
            shape: match self.shape {
                ShapeArg::Smooth => NetShape::Smooth,
                ShapeArg::Realistic => NetShape::Realistic,
            },
        }
    }
}

/// Run the subcommand: write the file, print `features, vertices, MB, seconds` on stdout.
#[must_use]
pub fn run(args: &GenerateArgs) -> ExitCode {
    let started = Instant::now();
    match generate(args) {
        Ok(stats) => {
            let line = format!(
                "{}: {} features, {} vertices, {:.1} MB in {:.2} s",
                args.out.display(),
                stats.features,
                stats.vertices,
                stats.bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            // The file is written, but a summary that could not be printed is still a failure
            // to report (as every subcommand does for a closed pipe or a full disk).
            super::print_or_fail("generate-network", &format!("{line}\n"))
        }
        Err(message) => {
            // If stderr is gone there is nobody left to tell.
            let _ = writeln!(
                io::stderr().lock(),
                "corridor-atlas generate-network: {message}"
            );
            ExitCode::FAILURE
        }
    }
}

/// Check the arguments and write the file; the error is the message for the user.
fn generate(args: &GenerateArgs) -> Result<NetworkStats, String> {
    let spec = args.spec();
    // Asking for fewer is almost certainly a slip (e.g. swapped numbers): say so rather than
    // quietly writing more vertices than requested.
    if spec.vertices < spec.features.saturating_mul(2) {
        return Err(format!(
            "--vertices must be at least 2 per feature ({} for {} features), got {}",
            spec.features.saturating_mul(2),
            spec.features,
            spec.vertices
        ));
    }
    let path = args.out.display();
    if args.out.is_dir() {
        return Err(format!("{path}: is a directory"));
    }
    let file = File::create(&args.out).map_err(|e| format!("{path}: cannot create: {e}"))?;
    // write_network buffers internally and flushes; a write error (disk full) is reported
    // with the file name.
    write_network(&spec, file).map_err(|e| format!("{path}: cannot write: {e}"))
}
