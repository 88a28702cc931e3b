//! `corridor-atlas measure FILE... [--format json|csv]`: the geodesic length of every line
//! feature in `GeoJSON` files.
//!
//! What is measured, and how, is decided in [`corridor_domain::measure::geodesic::line_measures`] (WGS84,
//! Karney): `LineStrings` and `MultiLineStrings`, also inside `GeometryCollections`; points and
//! polygons are skipped. This module only reads files, reports problems and formats rows.
//!
//! Files stream through the import's reader (`geojson_stream`), so memory stays flat in the
//! file's size and `GeoJSONSeq` is read as import reads it. Each problem is one line on stderr
//! that starts with the file name (and, where the file's content is at fault, the line and
//! column). A bad file does not stop the others: their rows are still printed, and the exit
//! status is 1 if anything went wrong. Rows are written as they are measured, so a file that
//! breaks part-way has its rows before the break printed (as `ogr2ogr` does).

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use corridor_domain::data::file::{CheckedFile, STREAM_LIMIT_BYTES};
use corridor_domain::data::geojson_io::GeoJsonError;
use corridor_domain::data::geojson_stream::{StreamError, StreamProgress, stream_features};
use corridor_domain::measure::geodesic::{LineMeasure, line_measures};

/// Arguments of `corridor-atlas measure`. The `--help` text is given to clap explicitly (not
/// taken from these doc comments) so it can name `GeoJSON` types without Markdown backticks.
#[derive(Debug, Clone, clap::Args)]
#[command(
    about = "Print the geodesic (WGS84) length of every line feature in GeoJSON files",
    long_about = "Print the geodesic length (WGS84 ellipsoid, Karney's algorithm) of every \
line feature in GeoJSON files.\n\n\
One row per feature with LineString or MultiLineString geometry (also inside a \
GeometryCollection), in file order: file, index (0-based position of the feature in its file, \
counting skipped features), name (the \"name\" property, else \"title\"), length_m and \
segments_m (metres). Elevations are ignored; points and polygons are skipped.\n\n\
Files are read as they stream (memory stays flat however large the file): a \
FeatureCollection, a single Feature or geometry, or GeoJSONSeq (one feature per line).\n\n\
Each problem is one line on stderr naming the file (and the line and column where the text is \
at fault); the other files are still measured. Rows are printed as they are measured, so if a \
file breaks part-way its rows before the break are printed. Exit status 1 if any file could \
not be measured."
)]
pub struct MeasureArgs {
    /// The files to measure.
    #[arg(
        required = true,
        value_name = "FILE",
        help = "GeoJSON files (RFC 7946: FeatureCollection, Feature or bare geometry)"
    )]
    pub files: Vec<PathBuf>,
    /// How rows are printed.
    #[arg(
        long,
        value_enum,
        default_value_t = OutputFormat::Json,
        help = "json: one array of objects; csv: a header row, segments joined by ';'"
    )]
    pub format: OutputFormat,
}

/// How rows are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON array of objects with the keys `file`, `index`, `name`, `length_m`,
    /// `segments_m`.
    #[default]
    Json,
    /// `file,index,name,length_m,segments_m` (RFC 4180 quoting; a missing name is empty).
    Csv,
}

/// One measured feature: one row of output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasuredFeature {
    /// The file as named on the command line.
    pub file: String,
    /// 0-based position of the feature in its file, counting features that were skipped
    /// (null geometry, no lines). A bare geometry or a single Feature is 0.
    pub index: usize,
    /// The `name` property, else `title` (only string values count).
    pub name: Option<String>,
    /// Geodesic length (m), the sum of `segments_m`.
    pub length_m: f64,
    /// Geodesic length (m) of each segment, all parts of a `MultiLineString` in order.
    pub segments_m: Vec<f64>,
}

/// Why one file could not be measured. Every message starts with the file name.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be opened or read (missing, no permission, ...).
    #[error("{file}: cannot read: {source}")]
    Read { file: String, source: io::Error },
    /// A directory was named where a file belongs.
    #[error("{file}: is a directory, not a GeoJSON file")]
    Directory { file: String },
    /// The content is not valid `GeoJSON`; the error carries the line and column.
    #[error("{file}: {source}")]
    GeoJson { file: String, source: GeoJsonError },
}

/// Run the subcommand on the process's stdout and stderr; the exit code is 1 if any file
/// could not be measured or the output could not be written.
#[must_use]
pub fn run(args: &MeasureArgs) -> ExitCode {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr().lock();
    match run_with(args, &mut out, &mut err).and_then(|ok| out.flush().map(|()| ok)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        // A closed pipe (`| head`) or a full disk: one line, exit 1.
        Err(e) => {
            drop(err);
            super::report_write_error("measure", &e);
            ExitCode::FAILURE
        }
    }
}

/// Measure every file in `args` in order, writing rows to `out` as they are measured and one
/// line per problem to `err`. Returns whether every file was measured; `Err` only if writing
/// failed.
pub fn run_with(args: &MeasureArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<bool> {
    let mut writer = RecordWriter::new(args.format, out)?;
    let mut all_ok = true;
    for path in &args.files {
        match measure_file(path, &mut |row| writer.write(row)) {
            Ok(()) => {}
            Err(Failure::File(problem)) => {
                all_ok = false;
                writeln!(err, "{problem}")?;
            }
            Err(Failure::Output(e)) => return Err(e),
        }
    }
    writer.finish()?;
    Ok(all_ok)
}

/// Why measuring stopped: the input's fault, or the output's (a closed pipe, a full disk).
#[derive(Debug)]
pub enum Failure {
    File(FileError),
    Output(io::Error),
}

/// Bytes of input parsed per batch of rows: memory stays flat in the file's size.
const BATCH_BYTES: usize = 1 << 20;

/// Measure one file as it streams (the import's reader: `FeatureCollection`, a single
/// feature or geometry, or `GeoJSONSeq`), handing each row to `on_row` in file order. Memory
/// does not grow with the file. If the file breaks part-way, the rows before the break have
/// been handed out and the error says where it broke.
pub fn measure_file(
    path: &Path,
    on_row: &mut dyn FnMut(&MeasuredFeature) -> io::Result<()>,
) -> Result<(), Failure> {
    let file = path.display().to_string();
    // Reading a directory fails with a cryptic "Is a directory (os error 21)" on Linux and
    // differently elsewhere: say it plainly.
    if path.is_dir() {
        return Err(Failure::File(FileError::Directory { file }));
    }
    let reader = CheckedFile::open(path, STREAM_LIMIT_BYTES).map_err(|source| {
        Failure::File(FileError::Read {
            file: file.clone(),
            source,
        })
    })?;
    measure_reader(&file, reader, on_row)
}

/// Measure the line features of one `GeoJSON` text, labelling rows with `file`.
pub fn measure_bytes(file: &str, bytes: &[u8]) -> Result<Vec<MeasuredFeature>, FileError> {
    let mut rows = Vec::new();
    match measure_reader(file, bytes, &mut |row| {
        rows.push(row.clone());
        Ok(())
    }) {
        Ok(()) => Ok(rows),
        Err(Failure::File(e)) => Err(e),
        // Pushing to a Vec cannot fail.
        Err(Failure::Output(source)) => Err(FileError::Read {
            file: file.to_owned(),
            source,
        }),
    }
}

fn measure_reader(
    file: &str,
    reader: impl io::Read,
    on_row: &mut dyn FnMut(&MeasuredFeature) -> io::Result<()>,
) -> Result<(), Failure> {
    let progress = StreamProgress::default();
    let mut output_error = None;
    let streamed = stream_features(reader, &progress, BATCH_BYTES, |batch| {
        for (feature, &index) in batch.features.iter().zip(&batch.file_index) {
            let Some(LineMeasure {
                length_m,
                segments_m,
            }) = line_measures(&feature.geometry)
            else {
                continue;
            };
            let row = MeasuredFeature {
                file: file.to_owned(),
                index,
                name: feature.name().map(str::to_owned),
                length_m,
                segments_m,
            };
            if let Err(e) = on_row(&row) {
                output_error = Some(e);
                return Err(StreamError::Cancelled);
            }
        }
        Ok(())
    });
    if let Some(e) = output_error {
        return Err(Failure::Output(e));
    }
    let file = file.to_owned();
    match streamed {
        Ok(_) => Ok(()),
        Err(StreamError::GeoJson(source)) => {
            Err(Failure::File(FileError::GeoJson { file, source }))
        }
        Err(StreamError::Io(message)) => Err(Failure::File(FileError::Read {
            file,
            source: io::Error::new(io::ErrorKind::InvalidData, message),
        })),
        Err(StreamError::Cancelled) => Err(Failure::File(FileError::Read {
            file,
            source: io::Error::other("stopped"),
        })),
    }
}

/// Writes rows as they come, so memory does not grow with the number of files.
pub struct RecordWriter<'a> {
    sink: Sink<'a>,
    rows: usize,
    /// The segments field, reused row to row.
    segments: String,
}

enum Sink<'a> {
    Json(&'a mut dyn Write),
    /// RFC 4180 by the `csv` crate, with its `\r\n` line ending (as the ledger's comparison
    /// table, `corridor_domain::measure::ledger::to_csv`).
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
}

/// The CSV header, in column order.
const CSV_COLUMNS: [&str; 5] = ["file", "index", "name", "length_m", "segments_m"];

impl<'a> RecordWriter<'a> {
    /// Starts the output (the CSV header; JSON waits for the first row).
    pub fn new(format: OutputFormat, out: &'a mut dyn Write) -> io::Result<Self> {
        let sink = match format {
            OutputFormat::Json => Sink::Json(out),
            OutputFormat::Csv => {
                let mut csv = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(out);
                csv.write_record(CSV_COLUMNS)?;
                Sink::Csv(Box::new(csv))
            }
        };
        Ok(Self {
            sink,
            rows: 0,
            segments: String::new(),
        })
    }

    /// Writes one row. Numbers use Rust's shortest round-trip formatting (never an exponent),
    /// so full precision survives without surprising a spreadsheet; segments are joined by
    /// `;` in one field.
    pub fn write(&mut self, row: &MeasuredFeature) -> io::Result<()> {
        match &mut self.sink {
            Sink::Json(out) => {
                out.write_all(if self.rows == 0 { b"[\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut **out, row)?;
            }
            Sink::Csv(csv) => {
                self.segments.clear();
                for (i, segment_m) in row.segments_m.iter().enumerate() {
                    if i > 0 {
                        self.segments.push(';');
                    }
                    // Writing to a String cannot fail.
                    let _ = write!(self.segments, "{segment_m}");
                }
                csv.write_record([
                    row.file.as_str(),
                    &row.index.to_string(),
                    row.name.as_deref().unwrap_or(""),
                    &row.length_m.to_string(),
                    &self.segments,
                ])?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Ends the output (closes the JSON array, `[]` if there were no rows; flushes the CSV).
    pub fn finish(self) -> io::Result<()> {
        match (self.sink, self.rows) {
            (Sink::Json(out), 0) => out.write_all(b"[]\n"),
            (Sink::Json(out), _) => out.write_all(b"\n]\n"),
            (Sink::Csv(mut csv), _) => csv.flush(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)] // A test states what it expects; the message is the point.
mod tests {
    use super::*;

    fn row(name: Option<&str>) -> MeasuredFeature {
        MeasuredFeature {
            file: "a,b.geojson".into(),
            index: 3,
            name: name.map(str::to_owned),
            length_m: 0.1 + 0.2,
            segments_m: vec![0.1, 1e-7],
        }
    }

    fn write_all(format: OutputFormat, rows: &[MeasuredFeature]) -> String {
        let mut buffer = Vec::new();
        let mut writer = RecordWriter::new(format, &mut buffer).expect("in memory");
        for r in rows {
            writer.write(r).expect("in memory");
        }
        writer.finish().expect("in memory");
        String::from_utf8(buffer).expect("UTF-8")
    }

    #[test]
    fn csv_quotes_commas_quotes_and_newlines_and_keeps_full_precision() {
        let text = write_all(
            OutputFormat::Csv,
            &[row(Some("Line \"A\",\nnorth")), row(None)],
        );
        assert_eq!(
            text,
            "file,index,name,length_m,segments_m\r\n\
             \"a,b.geojson\",3,\"Line \"\"A\"\",\nnorth\",0.30000000000000004,0.1;0.0000001\r\n\
             \"a,b.geojson\",3,,0.30000000000000004,0.1;0.0000001\r\n"
        );
    }

    #[test]
    fn json_is_one_array_even_when_empty() {
        assert_eq!(write_all(OutputFormat::Json, &[]), "[]\n");
        let text = write_all(OutputFormat::Json, &[row(None), row(Some("x"))]);
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(value.as_array().map(Vec::len), Some(2));
        assert_eq!(value[0]["length_m"], 0.1 + 0.2);
        assert_eq!(value[0]["name"], serde_json::Value::Null);
    }

    #[test]
    fn rows_keep_file_positions_across_skipped_features() {
        let text = br#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"gap"},"geometry":null},
            {"type":"Feature","properties":{"title":"T"},"geometry":{"type":"Point","coordinates":[1,2]}},
            {"type":"Feature","properties":{"title":"T"},"geometry":{"type":"LineString","coordinates":[[0,0],[0,1,250]]}}
        ]}"#;
        let rows = measure_bytes("f", text).expect("valid");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].index, 2);
        assert_eq!(rows[0].name.as_deref(), Some("T"));
        assert!((rows[0].length_m - 110_574.388_557).abs() < 1e-3);
    }
}
