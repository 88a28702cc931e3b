//! `corridor-atlas inspect FILE`: load a GeoJSON or GeoJSONSeq file exactly as the map's
//! import does (stream, parse, index, generalise) and report what is in it, how long it took
//! and how much memory it holds — the counterpart of `ogrinfo -so`, and the measurement
//! behind the large-network figures in BENCHMARKS.md.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Instant;

use corridor_domain::atlas::import::{ImportTarget, import_regular_file};
use corridor_domain::data::geojson_stream::StreamProgress;
use corridor_domain::map::layer::Layer;

/// Arguments of `inspect`.
#[derive(clap::Args, Debug)]
pub struct InspectArgs {
    /// A GeoJSON FeatureCollection, or GeoJSONSeq / newline-delimited features.
    pub file: PathBuf,
    /// Print one JSON object instead of text (for scripts and benchmarks).
    #[arg(long)]
    pub json: bool,
}

/// Memory of this process from `/proc/self/status` (kB fields `VmRSS`, `VmHWM`), in bytes.
fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Run `inspect`.
#[must_use]
pub fn run(args: &InspectArgs) -> ExitCode {
    let rss_before = proc_status_bytes("VmRSS:").unwrap_or(0);
    let progress = StreamProgress::default();
    let target = ImportTarget::for_path(&args.file);
    let mut parts: Vec<Layer> = Vec::new();
    let started = Instant::now();
    let result = import_regular_file(&args.file, &target, &progress, |l| parts.push(l));
    let seconds = started.elapsed().as_secs_f64();
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            // If stderr is gone there is nobody left to tell.
            let _ = writeln!(std::io::stderr(), "corridor-atlas inspect: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rss_loaded = proc_status_bytes("VmRSS:").unwrap_or(0);
    let peak = proc_status_bytes("VmHWM:").unwrap_or(0);
    let bytes = progress.bytes_read.load(Ordering::Relaxed).max(1);
    let vertices: usize = parts.iter().map(Layer::vertex_count).sum();
    let segments: usize = parts.iter().map(|l| l.index.segment_count()).sum();
    let runs: usize = parts.iter().map(|l| l.index.run_count()).sum();
    let track = parts.iter().all(|l| l.is_track) && !parts.is_empty();
    // Where the derived memory goes (heap bytes the structures count themselves).
    let sum = |f: &dyn Fn(&Layer) -> usize| parts.iter().map(f).sum::<usize>();
    let lod_full = sum(&|l| l.lod.full().heap_bytes());
    let lod_coarse = sum(&|l| l.lod.heap_bytes()) - lod_full;
    let index_bytes = sum(&|l| l.index.heap_bytes());
    let styles_bytes = sum(&|l| l.derived_heap_bytes()) - lod_full - lod_coarse - index_bytes;
    let mb = bytes as f64 / 1e6;
    let ratio = |b: u64| b.saturating_sub(rss_before) as f64 / bytes as f64;
    let mut text = String::new();
    if args.json {
        let _ = writeln!(
            text,
            "{}",
            serde_json::json!({
                "file": args.file.display().to_string(),
                "format": format!("{:?}", summary.format),
                "bytes": bytes,
                "features": summary.features,
                "parts": summary.parts,
                "vertices": vertices,
                "segments": segments,
                "index_runs": runs,
                "is_track": track,
                "seconds": seconds,
                "mb_per_s": mb / seconds.max(1e-9),
                "rss_before_bytes": rss_before,
                "rss_loaded_bytes": rss_loaded,
                "peak_rss_bytes": peak,
                "loaded_memory_ratio": ratio(rss_loaded),
                "peak_memory_ratio": ratio(peak),
                "lod_full_heap_bytes": lod_full,
                "lod_coarser_levels_heap_bytes": lod_coarse,
                "index_heap_bytes": index_bytes,
                "styles_heap_bytes": styles_bytes,
            })
        );
    } else {
        let _ = writeln!(text, "{}", args.file.display());
        let _ = writeln!(text, "  format:    {:?}", summary.format);
        let _ = writeln!(
            text,
            "  features:  {} in {} parts ({} vertices, {} segments, {} index runs)",
            summary.features, summary.parts, vertices, segments, runs
        );
        let _ = writeln!(
            text,
            "  used as existing track: {}",
            if track { "yes" } else { "no" }
        );
        let _ = writeln!(
            text,
            "  load:      {seconds:.2} s for {mb:.1} MB ({:.0} MB/s): parse, index, generalise",
            mb / seconds.max(1e-9)
        );
        let _ = writeln!(
            text,
            "  memory:    {:.0} MB while loaded ({:.2}x the file), peak {:.0} MB ({:.2}x)",
            rss_loaded.saturating_sub(rss_before) as f64 / 1e6,
            ratio(rss_loaded),
            peak.saturating_sub(rss_before) as f64 / 1e6,
            ratio(peak)
        );
        let _ = writeln!(
            text,
            "  of which: {:.0} MB projected full level, {:.0} MB coarser levels, {:.0} MB R-trees, {:.0} MB styles",
            lod_full as f64 / 1e6,
            lod_coarse as f64 / 1e6,
            index_bytes as f64 / 1e6,
            styles_bytes as f64 / 1e6
        );
    }
    drop(parts);
    super::print_or_fail("inspect", &text)
}
