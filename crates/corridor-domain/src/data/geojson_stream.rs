//! Streaming `GeoJSON` for large files: a FeatureCollection, or GeoJSONSeq (RFC 8142) /
//! newline-delimited features, read block by block with progress and cancel.
//!
//! A byte-level scanner follows the JSON structure (depth, strings, escapes) to find the span
//! of each feature in the top-level `features` array (or of each record of a sequence); each
//! span is parsed with `serde_json::from_slice` into `FastFeature` (module `geojson_fast`),
//! whose geometry reads coordinates straight into `geo` coordinates (no `serde_json::Value`
//! per number). Only the current block and the feature being read are in memory, and every
//! error names its line and column in the whole file: the scanner counts lines and characters
//! as it goes.

use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde_json::{Map, Value};

use crate::data::feature::Feature;
use crate::data::geojson_fast::FastFeature;
use crate::data::geojson_io::{
    GeoJsonError, ParsedGeoJson, explain_at, serde_offset, strip_position,
};
use crate::data::json_checked::CheckedValue;

/// Bytes read from the input at a time.
const BLOCK_BYTES: usize = 1 << 20;

/// Shared with the UI thread: bytes and features so far, and a cancel flag the UI sets.
#[derive(Debug, Default)]
pub struct StreamProgress {
    pub bytes_read: AtomicU64,
    /// Set by the caller (the file size), for a fraction.
    pub bytes_total: AtomicU64,
    pub features: AtomicU64,
    pub cancel: AtomicBool,
}

/// Features parsed since the previous batch, in file order.
#[derive(Debug, Default)]
pub struct Batch {
    pub features: Vec<Feature>,
    /// 0-based position of each feature in the file (null geometries are skipped but counted).
    pub file_index: Vec<usize>,
}

/// What kind of document the input was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StreamFormat {
    #[default]
    FeatureCollection,
    /// GeoJSONSeq (RFC 8142, RS-separated) or newline-delimited features.
    Sequence,
    /// A single Feature or bare geometry.
    Single,
}

/// What a stream read.
#[derive(Debug, Default, Clone)]
pub struct StreamSummary {
    pub format: StreamFormat,
    pub features: usize,
    pub null_geometries: usize,
    pub bytes: u64,
    /// Top-level members other than `type` and `features`, as `parse_features` keeps them.
    pub foreign_members: Map<String, Value>,
}

/// Why a stream stopped.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("cancelled")]
    Cancelled,
    #[error("cannot read: {0}")]
    Io(String),
    #[error(transparent)]
    GeoJson(#[from] GeoJsonError),
}

/// Where the scanner is in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Between top-level values (whitespace, RS, or the next value).
    TopLevel,
    /// Inside the top-level object: expecting a key (or `}`).
    Key,
    /// After a key: expecting `:`.
    Colon,
    /// After `:`: the member's value starts next.
    MemberValue,
    /// After a member's value: `,` or `}`.
    AfterMember,
    /// Inside `features`: an element starts next (or `]`).
    Element,
    /// After an element: `,` or `]`.
    AfterElement,
    /// Capturing a value's bytes (see [`Capture`]).
    Capturing,
    /// After a complete top-level value.
    AfterTop,
}

/// ASCII bytes that change nothing inside an object or array but the column (not quotes,
/// brackets, braces, newlines; bytes of multi-byte characters take the careful path).
const BORING: [bool; 256] = boring(b"\"{}[]\n");
/// The same inside a string: everything but the quote, the backslash and newlines.
const BORING_IN_STRING: [bool; 256] = boring(b"\"\\\n");

const fn boring(special: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = true;
        b += 1;
    }
    let mut k = 0;
    while k < special.len() {
        table[special[k] as usize] = false;
        k += 1;
    }
    table
}

/// What the bytes being captured are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// A string key of the top-level object.
    Key,
    /// A member value of the top-level object.
    Member,
    /// An element of `features`.
    Feature,
    /// A whole top-level value that is not a FeatureCollection being streamed.
    Record,
}

/// A 1-based line and column (in characters) plus a byte offset in the whole input.
#[derive(Clone, Copy, Debug, Default)]
struct Pos {
    line: usize,
    column: usize,
}

struct Capture {
    role: Role,
    /// Offset in `buf` where it starts.
    start: usize,
    at: Pos,
    depth: u32,
    in_string: bool,
    escape: bool,
    /// A scalar (number, true, false, null) rather than an object, array or string.
    scalar: bool,
}

struct Scanner {
    /// Features parsed and not yet handed over.
    batch: Batch,
    kept: usize,
    nulls: usize,
    state: State,
    capture: Option<Capture>,
    /// The top-level object being read, if it is one: its current key and members.
    key: String,
    /// Keys of the top-level object so far (a handful), to refuse duplicates.
    top_keys: foldhash::HashSet<String>,
    saw_features: bool,
    top_type: Option<String>,
    foreign: Map<String, Value>,
    /// Position of the next byte.
    line: usize,
    column: usize,
    top_values: usize,
    top_start: Pos,
    /// Offset in the buffer where the first top-level object starts, kept until it is known
    /// to be a FeatureCollection (its `features` member seen) or a record.
    top_obj_start: Option<usize>,
    saw_rs: bool,
    records: usize,
    elements: usize,
    /// Byte offset in the file of `buf[0]`.
    base: u64,
}

impl Scanner {
    /// Parse a feature (or record) `n` whose bytes start at `at`.
    fn feature(
        &mut self,
        n: usize,
        at: Pos,
        start: usize,
        bytes: &[u8],
    ) -> Result<(), StreamError> {
        match parse_feature_bytes(bytes, n, at, self.base + start as u64)? {
            Some(f) => {
                self.batch.features.push(f);
                self.batch.file_index.push(n);
                self.kept += 1;
            }
            None => self.nulls += 1,
        }
        Ok(())
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }

    fn err(at: Pos, message: impl Into<String>) -> StreamError {
        StreamError::GeoJson(GeoJsonError {
            line: at.line,
            column: at.column,
            message: message.into(),
        })
    }

    fn start_capture(&mut self, role: Role, start: usize, b: u8) {
        self.capture = Some(Capture {
            role,
            start,
            at: self.pos(),
            depth: 0,
            in_string: false,
            escape: false,
            scalar: !matches!(b, b'{' | b'[' | b'"'),
        });
        self.state = State::Capturing;
    }

    /// Scan `buf[from..]`. Returns the offset before which `buf` is no longer needed.
    fn scan(&mut self, buf: &[u8], from: usize, eof: bool) -> Result<usize, StreamError> {
        let mut i = from;
        while i < buf.len() {
            let b = buf[i];
            if let Some(c) = self.capture.as_mut() {
                // Fast path: most bytes of a feature are digits, commas and letters that
                // change nothing but the column. Skip runs of them in a tight loop.
                if !c.scalar && !c.escape {
                    let table = if c.in_string {
                        &BORING_IN_STRING
                    } else {
                        &BORING
                    };
                    let run = buf[i..].iter().take_while(|&&x| table[x as usize]).count();
                    if run > 0 {
                        self.column += run;
                        i += run;
                        continue;
                    }
                }
                let mut done_after = false; // the value ends with this byte
                let mut done_before = false; // the value ended before this byte (scalars)
                if c.scalar {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | 0x1e) {
                        done_before = true;
                    }
                } else if c.in_string {
                    if c.escape {
                        c.escape = false;
                    } else if b == b'\\' {
                        c.escape = true;
                    } else if b == b'"' {
                        c.in_string = false;
                        if c.depth == 0 {
                            done_after = true;
                        }
                    }
                } else {
                    match b {
                        b'"' => c.in_string = true,
                        b'{' | b'[' => c.depth += 1,
                        b'}' | b']' => {
                            c.depth = c.depth.saturating_sub(1);
                            if c.depth == 0 {
                                done_after = true;
                            }
                        }
                        _ => {}
                    }
                }
                if done_before || done_after {
                    let end = if done_after { i + 1 } else { i };
                    if done_after {
                        self.advance(b);
                    }
                    let capture = self
                        .capture
                        .take()
                        .ok_or_else(|| Self::err(self.pos(), ""))?;
                    self.finish(&capture, &buf[capture.start..end])?;
                    i = end;
                    continue;
                }
                self.advance(b);
                i += 1;
                continue;
            }
            let at = self.pos();
            let ws = matches!(b, b' ' | b'\t' | b'\n' | b'\r');
            match self.state {
                State::TopLevel | State::AfterTop => {
                    if ws {
                    } else if b == 0x1e {
                        self.saw_rs = true;
                    } else if b == b'{' && self.top_values == 0 && !self.saw_rs {
                        // Maybe a FeatureCollection: read its members one by one.
                        self.top_values += 1;
                        self.top_start = at;
                        self.top_obj_start = Some(i);
                        self.state = State::Key;
                    } else if self.saw_features {
                        return Err(Self::err(at, "unexpected text after the FeatureCollection"));
                    } else {
                        self.top_values += 1;
                        self.start_capture(Role::Record, i, b);
                        continue;
                    }
                }
                // The top-level object closes: a FeatureCollection, or a record.
                State::Key | State::AfterMember if b == b'}' => {
                    self.advance(b);
                    self.end_top_object(buf, i + 1)?;
                    i += 1;
                    continue;
                }
                State::Key => {
                    if ws || b == b',' {
                    } else if b == b'"' {
                        self.start_capture(Role::Key, i, b);
                        continue;
                    } else {
                        return Err(Self::err(at, "expected a member name in double quotes"));
                    }
                }
                State::Colon => {
                    if ws {
                    } else if b == b':' {
                        self.state = State::MemberValue;
                    } else {
                        return Err(Self::err(at, "expected ':' after the member name"));
                    }
                }
                State::MemberValue => {
                    if ws {
                    } else if self.key == "features" && b == b'[' {
                        self.saw_features = true;
                        self.top_obj_start = None;
                        self.state = State::Element;
                    } else {
                        self.start_capture(Role::Member, i, b);
                        continue;
                    }
                }
                State::AfterMember => {
                    if ws {
                    } else if b == b',' {
                        self.state = State::Key;
                    } else {
                        return Err(Self::err(at, "expected ',' or '}' after a member"));
                    }
                }
                State::Element => {
                    if ws {
                    } else if b == b']' && self.elements == 0 {
                        self.state = State::AfterMember;
                    } else if b == b'{' || b == b'n' {
                        self.start_capture(Role::Feature, i, b);
                        continue;
                    } else {
                        return Err(Self::err(
                            at,
                            format!("feature {}: expected a Feature object", self.elements),
                        ));
                    }
                }
                State::AfterElement => {
                    if ws {
                    } else if b == b',' {
                        self.state = State::Element;
                    } else if b == b']' {
                        self.state = State::AfterMember;
                    } else {
                        return Err(Self::err(at, "expected ',' or ']' between features"));
                    }
                }
                State::Capturing => {}
            }
            self.advance(b);
            i += 1;
        }
        if eof {
            if let Some(c) = self.capture.take() {
                if c.scalar {
                    self.finish(&c, &buf[c.start..])?;
                } else {
                    let what = match c.role {
                        Role::Feature => format!("feature {}", self.elements),
                        _ => "a value".to_string(),
                    };
                    return Err(Self::err(
                        self.pos(),
                        format!(
                            "unexpected end of file: {what} starting at line {}, column {} is not closed",
                            c.at.line, c.at.column
                        ),
                    ));
                }
            }
            match self.state {
                State::TopLevel | State::AfterTop => {}
                _ => {
                    let what = match self.top_type.as_deref() {
                        Some("FeatureCollection") => "the FeatureCollection",
                        _ => "the top-level object",
                    };
                    return Err(Self::err(
                        self.pos(),
                        format!("unexpected end of file: {what} is not closed"),
                    ));
                }
            }
        }
        let keep = self.capture.as_ref().map_or(buf.len(), |c| c.start);
        Ok(self.top_obj_start.map_or(keep, |t| t.min(keep)))
    }

    fn advance(&mut self, b: u8) {
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if b & 0xc0 != 0x80 {
            self.column += 1;
        }
    }

    fn finish(&mut self, c: &Capture, bytes: &[u8]) -> Result<(), StreamError> {
        match c.role {
            Role::Key => {
                self.key = serde_json::from_slice::<String>(bytes)
                    .map_err(|e| shifted(c.at, bytes, self.base + c.start as u64, &e, ""))?;
                // As the whole-file reader: two `features` (or `type`) members are refused,
                // not silently merged.
                if self.top_keys.contains(&self.key) {
                    return Err(Self::err(
                        c.at,
                        format!("the member {:?} appears twice in one object", self.key),
                    ));
                }
                self.top_keys.insert(self.key.clone());
                self.state = State::Colon;
            }
            Role::Member => {
                let CheckedValue(value) = serde_json::from_slice(bytes)
                    .map_err(|e| shifted(c.at, bytes, self.base + c.start as u64, &e, ""))?;
                if self.key == "type" {
                    self.top_type = value.as_str().map(str::to_owned);
                } else {
                    self.foreign.insert(std::mem::take(&mut self.key), value);
                }
                self.state = State::AfterMember;
            }
            Role::Feature => {
                let n = self.elements;
                self.elements += 1;
                self.feature(n, c.at, c.start, bytes)?;
                self.state = State::AfterElement;
            }
            Role::Record => {
                let n = self.records;
                self.records += 1;
                self.feature(n, c.at, c.start, bytes)?;
                self.state = State::AfterTop;
            }
        }
        Ok(())
    }

    /// The top-level object closed (its `}` is at `end - 1`): a FeatureCollection, or without
    /// `features` a record (a Feature or geometry; a sequence may follow).
    fn end_top_object(&mut self, buf: &[u8], end: usize) -> Result<(), StreamError> {
        self.state = State::AfterTop;
        if !self.saw_features {
            let start = self.top_obj_start.take().unwrap_or(0);
            self.top_type = None;
            self.foreign.clear();
            let n = self.records;
            self.records += 1;
            return self.feature(n, self.top_start, start, &buf[start..end]);
        }
        match self.top_type.as_deref() {
            Some("FeatureCollection") => Ok(()),
            Some(other) => Err(Self::err(
                self.top_start,
                format!("not GeoJSON: \"type\" is {other:?} but the object has \"features\""),
            )),
            None => Err(Self::err(
                self.top_start,
                "not GeoJSON: the top-level object has no \"type\" member",
            )),
        }
    }
}

/// A serde error inside a span that starts at `at`, shifted to the whole file. `serde_json`
/// counts columns in bytes; reports count characters, so the error goes through its byte
/// offset in the span and the position is walked forward from `at`.
/// `span_offset` is the span's byte offset in the file, for invalid UTF-8 (which `serde_json`
/// reports only as "invalid unicode code point").
fn shifted(
    at: Pos,
    span: &[u8],
    span_offset: u64,
    e: &serde_json::Error,
    prefix: &str,
) -> StreamError {
    let (offset, message) = if let Err(bad) = std::str::from_utf8(span) {
        (
            bad.valid_up_to(),
            format!(
                "invalid UTF-8 at byte offset {}; GeoJSON must be UTF-8",
                span_offset + bad.valid_up_to() as u64
            ),
        )
    } else {
        let offset = serde_offset(span, e);
        (
            offset,
            explain_at(span, offset, strip_position(&e.to_string())),
        )
    };
    let pos = pos_after(at, &span[..offset]);
    StreamError::GeoJson(GeoJsonError {
        line: pos.line,
        column: pos.column,
        message: format!("{prefix}{message}"),
    })
}

/// The position reached from `at` after `bytes` (lines, and characters: continuation bytes
/// of UTF-8 sequences do not count).
fn pos_after(at: Pos, bytes: &[u8]) -> Pos {
    let mut pos = at;
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(nl) => {
            pos.line += bytes.split(|&b| b == b'\n').count() - 1;
            pos.column = 1 + count_chars(&bytes[nl + 1..]);
        }
        None => pos.column += count_chars(bytes),
    }
    pos
}

fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xc0 != 0x80).count()
}

/// Read GeoJSON from `reader` and hand features to `on_batch` roughly every `batch_bytes` of
/// input (see the module documentation).
pub fn stream_features(
    mut reader: impl Read,
    progress: &StreamProgress,
    batch_bytes: usize,
    mut on_batch: impl FnMut(Batch) -> Result<(), StreamError>,
) -> Result<StreamSummary, StreamError> {
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK_BYTES * 2);
    // Reads land here and are appended to `buf`: growing `buf` by a zeroed block before each
    // read would cost a block of writes per read, and pipes hand out 64 KiB at a time.
    let mut block = vec![0_u8; BLOCK_BYTES];
    let mut batch_start = 0_u64;
    let mut read_total = 0_u64;
    let mut scanner = Scanner {
        batch: Batch::default(),
        kept: 0,
        nulls: 0,
        state: State::TopLevel,
        capture: None,
        key: String::new(),
        top_keys: foldhash::HashSet::default(),
        saw_features: false,
        top_type: None,
        foreign: Map::new(),
        line: 1,
        column: 1,
        top_values: 0,
        top_start: Pos::default(),
        top_obj_start: None,
        saw_rs: false,
        records: 0,
        elements: 0,
        base: 0,
    };
    let mut scanned = 0;
    let mut bom_checked = false;
    loop {
        if progress.cancel.load(Ordering::Relaxed) {
            return Err(StreamError::Cancelled);
        }
        let n = loop {
            match reader.read(&mut block) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(StreamError::Io(e.to_string())),
            }
        };
        buf.extend_from_slice(block.get(..n).unwrap_or_default());
        let eof = n == 0;
        read_total += n as u64;
        if !bom_checked {
            // Wait for three bytes (a reader may hand out fewer) to see a byte order mark.
            if buf.len() < 3 && !eof {
                continue;
            }
            bom_checked = true;
            // UTF-16/32, NUL bytes or text that is not JSON: refuse before reading on.
            crate::data::file::sniff(buf.get(..4096).unwrap_or(&buf)).map_err(|r| {
                StreamError::GeoJson(GeoJsonError {
                    line: r.line,
                    column: r.column,
                    message: r.message,
                })
            })?;
            if buf.starts_with(b"\xef\xbb\xbf") {
                scanned = 3;
                scanner.column += 1; // the BOM is a character of line 1, as parse_features counts
            }
        }
        let from = scanned;
        if eof && read_total == 0 {
            return Err(empty_file());
        }
        let keep_from = match scanner.scan(&buf, from, eof) {
            Ok(keep_from) => keep_from,
            Err(e) => {
                // The features read before the break go out first: a caller that writes as
                // it reads (`measure`) keeps them; an import drops every part on the error.
                if !scanner.batch.features.is_empty() {
                    on_batch(std::mem::take(&mut scanner.batch))?;
                }
                return Err(e);
            }
        };
        let consumed = keep_from.min(buf.len());
        if consumed > 0 {
            buf.drain(..consumed);
            scanner.base += consumed as u64;
            if let Some(c) = scanner.capture.as_mut() {
                c.start -= consumed;
            }
            if let Some(t) = scanner.top_obj_start.as_mut() {
                *t -= consumed;
            }
        }
        scanned = buf.len();
        progress.bytes_read.store(read_total, Ordering::Relaxed);
        progress
            .features
            .store(scanner.kept as u64, Ordering::Relaxed);
        if !scanner.batch.features.is_empty()
            && (read_total - batch_start >= batch_bytes as u64 || eof)
        {
            if progress.cancel.load(Ordering::Relaxed) {
                return Err(StreamError::Cancelled);
            }
            batch_start = read_total;
            on_batch(std::mem::take(&mut scanner.batch))?;
        }
        if eof {
            break;
        }
    }
    if !scanner.saw_features && scanner.records == 0 {
        return Err(empty_file());
    }
    let format = if scanner.saw_features {
        StreamFormat::FeatureCollection
    } else if scanner.records > 1 || scanner.saw_rs {
        StreamFormat::Sequence
    } else {
        StreamFormat::Single
    };
    Ok(StreamSummary {
        format,
        features: scanner.kept,
        null_geometries: scanner.nulls,
        bytes: read_total,
        foreign_members: scanner.foreign,
    })
}

fn empty_file() -> StreamError {
    StreamError::GeoJson(GeoJsonError {
        line: 1,
        column: 1,
        message: "the file is empty".into(),
    })
}

/// Stream a whole byte slice into one [`ParsedGeoJson`] (tests, small files).
pub fn parse_all(bytes: &[u8]) -> Result<ParsedGeoJson, StreamError> {
    let progress = StreamProgress::default();
    let mut out = ParsedGeoJson::default();
    let summary = stream_features(bytes, &progress, usize::MAX, |b| {
        out.features.extend(b.features);
        out.file_index.extend(b.file_index);
        Ok(())
    })?;
    out.foreign_members = summary.foreign_members;
    Ok(out)
}

/// Parse one feature (or bare geometry, in a sequence) from its bytes. `None`: a null
/// geometry (skipped, still counted).
fn parse_feature_bytes(
    bytes: &[u8],
    n: usize,
    at: Pos,
    offset: u64,
) -> Result<Option<Feature>, StreamError> {
    let prefix = format!("feature {n}: ");
    let located = |message: String| {
        StreamError::GeoJson(GeoJsonError {
            line: at.line,
            column: at.column,
            message: format!("{prefix}{message}"),
        })
    };
    if bytes == b"null" {
        return Err(located(
            "null is not a Feature (a Feature object is needed)".into(),
        ));
    }
    if bytes.first() != Some(&b'{') {
        // Only records at the top level get here (the scanner checks the elements of
        // `features` itself): no "feature N" for what is not a feature at all.
        return Err(StreamError::GeoJson(GeoJsonError {
            line: at.line,
            column: at.column,
            message: "not GeoJSON: the top level must be an object (a FeatureCollection, a Feature or a geometry)".into(),
        }));
    }
    let raw: FastFeature =
        serde_json::from_slice(bytes).map_err(|e| shifted(at, bytes, offset, &e, &prefix))?;
    raw.into_feature().map_err(located)
}

#[cfg(test)]
#[allow(clippy::expect_used)] // A test states what it expects.
mod tests {
    use super::*;
    use crate::data::geojson_io::parse_features;
    use std::fmt::Write as _;

    /// A reader that hands out at most `n` bytes per read: features and strings cross block
    /// boundaries everywhere.
    struct Trickle<'a> {
        data: &'a [u8],
        n: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let k = self.n.min(out.len()).min(self.data.len());
            out[..k].copy_from_slice(&self.data[..k]);
            self.data = &self.data[k..];
            Ok(k)
        }
    }

    fn collect(text: &str, trickle: usize) -> Result<ParsedGeoJson, StreamError> {
        let progress = StreamProgress::default();
        let mut out = ParsedGeoJson::default();
        let reader = Trickle {
            data: text.as_bytes(),
            n: trickle,
        };
        let summary = stream_features(reader, &progress, 64, |b| {
            out.features.extend(b.features);
            out.file_index.extend(b.file_index);
            Ok(())
        })?;
        out.foreign_members = summary.foreign_members;
        assert_eq!(
            progress.bytes_read.load(Ordering::Relaxed),
            text.len() as u64
        );
        assert_eq!(
            progress.features.load(Ordering::Relaxed),
            out.features.len() as u64
        );
        Ok(out)
    }

    const MIXED: &str = r#"{"name":"before","type":"FeatureCollection","features":[
{"type":"Feature","id":7,"properties":{"name":"A ] } \" \\ \u00e9","nested":{"a":[1,{"b":"]"}]}},"geometry":{"type":"Point","coordinates":[69.2,34.5,1200]}},
{"type":"Feature","properties":null,"geometry":null},
{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[60,30],[61,31],[62,30.5]]}},
{"type":"Feature","properties":{"k":1},"geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]}},
{"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[[[1,1],[2,2]],[[3,3],[4,4],[5,5]]]}},
{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}},
{"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}},
{"type":"Feature","properties":{"id":"kept"},"id":"dropped","geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[1,2],[3,4]]}]}}
],"bbox":[0,0,70,35],"crs":null}"#;

    #[test]
    fn every_geometry_type_and_tricky_strings_equal_a_plain_parse_at_any_block_size() {
        let plain = parse_features(MIXED).expect("valid");
        for trickle in [1, 2, 3, 7, 64, 1 << 20] {
            let streamed = collect(MIXED, trickle).expect("streams");
            assert_eq!(streamed.features, plain.features, "block {trickle}");
            assert_eq!(streamed.file_index, plain.file_index);
            assert_eq!(streamed.foreign_members, plain.foreign_members);
        }
    }

    #[test]
    fn sequences_and_single_documents_read_like_the_collection() {
        let plain = parse_features(MIXED).expect("valid");
        let lines: Vec<&str> = MIXED
            .lines()
            .skip(1)
            .filter(|l| l.starts_with('{'))
            .collect();
        let records: Vec<String> = lines
            .iter()
            .map(|l| l.trim_end_matches(',').to_owned())
            .collect();
        let rs: String = records
            .iter()
            .map(|r| ["\u{1e}", r, "\n"].concat())
            .collect();
        let nd: String = records.iter().map(|r| [r, "\r\n\r\n"].concat()).collect();
        for (text, name) in [(rs, "RS"), (nd, "newline")] {
            let got = collect(&text, 5).expect(name);
            assert_eq!(got.features, plain.features, "{name}");
            assert_eq!(got.file_index, plain.file_index, "{name}");
        }
        let single = r#"{"type":"Feature","properties":{"n":1},"geometry":{"type":"Point","coordinates":[1,2]}}"#;
        assert_eq!(
            collect(single, 3).expect("one feature").features,
            parse_features(single).expect("valid").features
        );
        let bare = "\u{feff}{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}";
        assert_eq!(collect(bare, 4).expect("bare geometry").features.len(), 1);
    }

    #[test]
    fn errors_name_their_line_and_column_in_the_whole_file() {
        let mut text = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
        for i in 0..500 {
            let _ = writeln!(
                text,
                "{}  {{\"type\":\"Feature\",\"properties\":{{}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{},{}]}}}}",
                if i == 0 { "" } else { "," },
                60 + i % 10,
                if i == 420 { 95 } else { 30 }
            );
        }
        text.push_str("]}");
        let err = collect(&text, 1000).expect_err("latitude 95");
        let StreamError::GeoJson(e) = err else {
            panic!("not a GeoJSON error")
        };
        // Line 1 is the header, feature n is on line n + 2, after ",  ".
        let col = text
            .lines()
            .nth(421)
            .expect("line")
            .find('{')
            .expect("brace")
            + 1;
        assert_eq!((e.line, e.column), (422, col), "{e}");
        assert_eq!(col, 4);
        assert!(
            e.message.contains("feature 420") && e.message.contains("latitude 95"),
            "{e}"
        );
        // Broken JSON inside a feature: the position where it breaks.
        let broken = text.replacen("\"coordinates\":[69,30]", "\"coordinates\" [69,30]", 1);
        let line = broken[..broken.find("\"coordinates\" [").expect("marker")]
            .matches('\n')
            .count()
            + 1;
        let StreamError::GeoJson(e) = collect(&broken, 333).expect_err("broken") else {
            panic!("not a GeoJSON error")
        };
        assert_eq!(e.line, line, "{e}");
        assert!(e.message.starts_with("feature 9: "), "{e}");
        let col = broken
            .lines()
            .nth(line - 1)
            .expect("line")
            .find("\"coordinates\" [")
            .expect("col")
            + 14;
        assert_eq!(e.column, col + 1, "{e}");
    }

    #[test]
    fn bad_documents_are_errors_not_panics() {
        for bad in [
            "",
            "   \n ",
            "[1,2]",
            "{\"type\":\"Banana\"}",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":null}",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":null},]}",
            "{\"type\":\"FeatureCollection\",\"features\":[]} {}",
            "{\"features\":[]}",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1,2]]}}]}",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[[1,2]]}}]}",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,\"a\"]}}]}",
        ] {
            assert!(collect(bad, 3).is_err(), "{bad:?} must be an error");
        }
        let deep = format!(
            "{{\"type\":\"LineString\",\"coordinates\":{}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(collect(&deep, 4096).is_err());
        let truncated = "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\"";
        let StreamError::GeoJson(e) = collect(truncated, 9).expect_err("truncated") else {
            panic!("not a GeoJSON error")
        };
        assert!(e.message.contains("line 2, column 1 is not closed"), "{e}");
        assert!(matches!(
            collect("", 1),
            Err(StreamError::GeoJson(GeoJsonError { ref message, .. })) if message.contains("empty")
        ));
    }

    #[test]
    fn a_cancel_stops_at_the_next_batch() {
        let mut text = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
        for i in 0..2000 {
            let _ = write!(
                text,
                "{}{{\"type\":\"Feature\",\"properties\":{{}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[1,{}]}}}}",
                if i == 0 { "" } else { "," },
                i % 80
            );
        }
        text.push_str("]}");
        let progress = StreamProgress::default();
        let mut calls = 0;
        let reader = Trickle {
            data: text.as_bytes(),
            n: 4096,
        };
        let result = stream_features(reader, &progress, 1, |_| {
            calls += 1;
            progress.cancel.store(true, Ordering::Relaxed);
            Ok(())
        });
        assert!(matches!(result, Err(StreamError::Cancelled)), "{result:?}");
        assert_eq!(calls, 1);
    }
}
