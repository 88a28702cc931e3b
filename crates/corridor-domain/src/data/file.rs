//! Opening files from the outside world, bounded: every reader of user files goes through here.
//!
//! A path a user hands us can be a FIFO, `/dev/zero`, a directory, a 200 MB file of NUL bytes
//! or a UTF-16 export. Reading such a thing "as a file" hangs, eats memory or produces a
//! baffling JSON error far into the file. So, before any byte is parsed:
//! - only regular files are opened (a FIFO, a device, a socket or a directory is refused by
//!   its kind, without reading from it);
//! - the size is capped ([`STREAM_LIMIT_BYTES`] for streamed imports, [`WHOLE_LIMIT_BYTES`]
//!   for files read whole into memory), both from the metadata and while reading, since a
//!   file can grow or lie about its size;
//! - the first bytes are sniffed ([`sniff`]): UTF-16 and UTF-32 are named, and a first
//!   character that cannot start JSON is refused before the rest is read;
//! - a NUL byte anywhere stops the read at once (JSON never contains one, not even in a
//!   string), so a binary file costs one block, not its whole size.
//!
//! Errors are `io::Error`s (kind `InvalidData` or `InvalidInput`) whose message is the whole
//! sentence for the user, so callers that already turn `io::Error` into their own error keep
//! working unchanged.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest file a streamed import reads: 4 GiB. An OpenStreetMap rail extract of a large
/// region is ~100 MB; anything forty times that is not a railway network we can show.
pub const STREAM_LIMIT_BYTES: u64 = 4 << 30;

/// The largest file read whole into memory (scenarios, `measure`, `compare`): 256 MiB. These
/// are hand-made planning files of kilobytes to a few megabytes; the whole text is held (and
/// parsed into values) at once, so the bound is lower than for streamed imports.
pub const WHOLE_LIMIT_BYTES: u64 = 256 << 20;

/// Bytes read up front to sniff the encoding and the first character.
const SNIFF_BYTES: u64 = 4096;

/// Why the first bytes of a file cannot be JSON, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// Check the start of a file that should be UTF-8 JSON (or a JSON text sequence).
///
/// `head` is the first bytes of the file (any length; a few KiB is plenty). Refuses UTF-16
/// and UTF-32 (with or without a byte-order mark, detected as RFC 4627 §3 does from the
/// pattern of zero bytes), NaN/Infinity (which JSON does not allow) and any first
/// non-whitespace byte that cannot start a JSON value. A head that is empty or only
/// whitespace passes: the parser says "the file is empty" with more context.
pub fn sniff(head: &[u8]) -> Result<(), Refusal> {
    if let Some(encoding) = utf16_or_32(head) {
        return Err(Refusal {
            line: 1,
            column: 1,
            message: format!("the file is {encoding}; save it as UTF-8"),
        });
    }
    let body = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let mut line = 1;
    let mut column = if body.len() < head.len() { 2 } else { 1 };
    for (i, &b) in body.iter().enumerate() {
        match b {
            b'\n' => {
                line += 1;
                column = 1;
            }
            // 0x1E is the record separator of GeoJSONSeq (RFC 8142).
            b' ' | b'\t' | b'\r' | 0x1e => column += 1,
            b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                let rest = &body[i..];
                if rest.starts_with(b"-Infinity") || rest.starts_with(b"-NaN") {
                    return Err(non_number(line, column, rest));
                }
                return Ok(());
            }
            b'N' | b'I' if rest_is_non_number(&body[i..]) => {
                return Err(non_number(line, column, &body[i..]));
            }
            _ => {
                return Err(Refusal {
                    line,
                    column,
                    message: format!("not JSON: the file starts with {}", describe_byte(b)),
                });
            }
        }
    }
    Ok(())
}

fn rest_is_non_number(rest: &[u8]) -> bool {
    rest.starts_with(b"NaN") || rest.starts_with(b"Infinity")
}

fn non_number(line: usize, column: usize, rest: &[u8]) -> Refusal {
    Refusal {
        line,
        column,
        message: non_number_message(rest).unwrap_or_default(),
    }
}

/// "NaN is not a number JSON allows" when `rest` starts with NaN or (-)Infinity: `serde_json`
/// says only "expected value" there. Shared by every reader's error messages.
#[must_use]
pub fn non_number_message(rest: &[u8]) -> Option<String> {
    let word = ["NaN", "-NaN", "Infinity", "-Infinity"]
        .into_iter()
        .rev()
        .find(|w| rest.starts_with(w.as_bytes()))?;
    Some(format!(
        "{word} is not a number JSON allows (write null, or leave the value out)"
    ))
}

/// A byte in words: a printable character in quotes, anything else by its value.
fn describe_byte(b: u8) -> String {
    match b {
        0 => "a NUL byte (0x00): this is a binary file, not GeoJSON text".into(),
        0x21..=0x7e => format!("{:?}, which cannot start a JSON value", b as char),
        _ => format!("the byte 0x{b:02X}, which cannot start a JSON value"),
    }
}

/// The name of a UTF-16/UTF-32 encoding if `head` is in one, from a byte-order mark or, for
/// files without one, from where the zero bytes of the first (ASCII) characters fall.
fn utf16_or_32(head: &[u8]) -> Option<&'static str> {
    // UTF-32 LE's mark starts with UTF-16 LE's: test the longer ones first.
    if head.starts_with(&[0xff, 0xfe, 0, 0]) {
        return Some("UTF-32 (LE)");
    }
    if head.starts_with(&[0, 0, 0xfe, 0xff]) {
        return Some("UTF-32 (BE)");
    }
    if head.starts_with(&[0xff, 0xfe]) {
        return Some("UTF-16 (LE)");
    }
    if head.starts_with(&[0xfe, 0xff]) {
        return Some("UTF-16 (BE)");
    }
    match head {
        [0, 0, 0, a, ..] if *a != 0 => Some("UTF-32 (BE)"),
        [a, 0, 0, 0, ..] if *a != 0 => Some("UTF-32 (LE)"),
        [0, a, ..] if *a != 0 => Some("UTF-16 (BE)"),
        [a, 0, ..] if *a != 0 => Some("UTF-16 (LE)"),
        _ => None,
    }
}

/// Whether `meta` describes a named pipe (FIFO); always false off Unix. The app's drop and
/// open paths ask the same question.
#[must_use]
pub fn is_fifo(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        meta.file_type().is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// What kind of non-regular file `meta` describes, in words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// An open regular file, capped at a size, that stops at the first NUL byte. Reads past the
/// cap or into a NUL fail with `InvalidData` and a message for the user.
#[derive(Debug)]
pub struct CheckedFile {
    head: io::Cursor<Vec<u8>>,
    rest: io::Take<File>,
    limit_bytes: u64,
    read_bytes: u64,
    /// The size the metadata gave when the file was opened (for progress).
    pub len_bytes: u64,
}

impl CheckedFile {
    /// Open the regular file `path` for reading at most `limit_bytes`; see the module
    /// documentation. The command line opens every file this way.
    pub fn open(path: &Path, limit_bytes: u64) -> io::Result<Self> {
        Self::open_with(path, limit_bytes, false)
    }

    /// As [`CheckedFile::open`], but a FIFO is read too: the app's import streams a file
    /// still being written (`mkfifo`, or a shell's `<(gunzip -c net.geojson.gz)`) on a worker
    /// thread that the user can cancel. The caps and the NUL stop apply as for files; devices,
    /// sockets and directories are still refused.
    pub fn open_stream(path: &Path, limit_bytes: u64) -> io::Result<Self> {
        Self::open_with(path, limit_bytes, true)
    }

    fn open_with(path: &Path, limit_bytes: u64, allow_fifo: bool) -> io::Result<Self> {
        // `metadata` follows symlinks, so a link to a FIFO is refused too; it never opens
        // the file, so a FIFO with no writer cannot block us.
        let meta = std::fs::metadata(path)?;
        if !(meta.is_file() || allow_fifo && is_fifo(&meta)) {
            let kind = kind_of(&meta);
            let kind_error = if meta.is_dir() {
                io::ErrorKind::IsADirectory
            } else {
                io::ErrorKind::InvalidInput
            };
            return Err(io::Error::new(
                kind_error,
                format!("is {kind}, not a regular file"),
            ));
        }
        if meta.len() > limit_bytes {
            return Err(too_large(meta.len(), limit_bytes));
        }
        let mut file = File::open(path)?;
        let mut head = Vec::new();
        (&mut file).take(SNIFF_BYTES).read_to_end(&mut head)?;
        sniff(&head).map_err(|r| io::Error::new(io::ErrorKind::InvalidData, r.to_string()))?;
        check_no_nul(&head, 0)?;
        let read_bytes = head.len() as u64;
        Ok(Self {
            head: io::Cursor::new(head),
            // One byte more than allowed, so that going over is seen rather than cut off.
            rest: file.take((limit_bytes + 1).saturating_sub(read_bytes)),
            limit_bytes,
            read_bytes: 0,
            len_bytes: meta.len(),
        })
    }
}

impl Read for CheckedFile {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = match self.head.read(out)? {
            0 => self.rest.read(out)?,
            n => n,
        };
        let got = out.get(..n).unwrap_or_default();
        check_no_nul(got, self.read_bytes)?;
        self.read_bytes += n as u64;
        if self.read_bytes > self.limit_bytes {
            return Err(too_large(self.read_bytes, self.limit_bytes));
        }
        Ok(n)
    }
}

fn check_no_nul(bytes: &[u8], base: u64) -> io::Result<()> {
    match bytes.iter().position(|&b| b == 0) {
        None => Ok(()),
        Some(i) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "a NUL byte (0x00) at byte offset {}: this is a binary file, not GeoJSON text",
                base + i as u64
            ),
        )),
    }
}

fn too_large(size: u64, limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "the file is larger than {} MiB ({} MiB or more); that is not a file we can read",
            limit >> 20,
            size >> 20
        ),
    )
}

/// Read a whole file (at most `limit_bytes`) through [`CheckedFile`].
pub fn read_checked(path: &Path, limit_bytes: u64) -> io::Result<Vec<u8>> {
    let mut file = CheckedFile::open(path, limit_bytes)?;
    let mut bytes = Vec::with_capacity(usize::try_from(file.len_bytes).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn refused(head: &[u8]) -> String {
        sniff(head).expect_err("refused").message
    }

    #[test]
    fn utf16_and_utf32_are_named_with_or_without_a_mark() {
        let text = "{\"type\":1}";
        let le16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be16: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let le32: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let be32: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        for (bytes, mark, name) in [
            (le16, &[0xff, 0xfe][..], "UTF-16 (LE)"),
            (be16, &[0xfe, 0xff][..], "UTF-16 (BE)"),
            (le32, &[0xff, 0xfe, 0, 0][..], "UTF-32 (LE)"),
            (be32, &[0, 0, 0xfe, 0xff][..], "UTF-32 (BE)"),
        ] {
            assert_eq!(
                refused(&bytes),
                format!("the file is {name}; save it as UTF-8")
            );
            let marked = [mark, &bytes].concat();
            assert!(refused(&marked).contains(name), "{name} with a mark");
        }
    }

    #[test]
    fn the_first_character_must_be_able_to_start_json() {
        assert!(sniff(b"  \n {\"type\"").is_ok());
        assert!(sniff(b"\xef\xbb\xbf[1]").is_ok());
        assert!(sniff(b"\x1e{").is_ok());
        assert!(sniff(b"").is_ok());
        assert!(sniff(b"null").is_ok());
        let nul = sniff(b"\n  \0\0").expect_err("NUL");
        assert_eq!((nul.line, nul.column), (2, 3));
        assert!(nul.message.contains("NUL"), "{nul}");
        assert!(refused(b"<?xml").contains("'<'"));
        assert!(refused(b"\xff\xd8\xff").contains("0xFF"));
        assert_eq!(
            refused(b"NaN"),
            "NaN is not a number JSON allows (write null, or leave the value out)"
        );
        assert!(refused(b"-Infinity").starts_with("-Infinity is not"));
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_directories_are_refused_without_reading() {
        let err = CheckedFile::open(Path::new("/dev/zero"), 10).expect_err("device");
        assert_eq!(err.to_string(), "is a character device, not a regular file");
        let dir = tempfile::tempdir().expect("tmp");
        let err = CheckedFile::open(dir.path(), 10).expect_err("dir");
        assert!(
            err.to_string()
                .ends_with("is a directory, not a regular file")
        );
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // No writer: opening it for reading would block forever.
            let err = CheckedFile::open(&fifo, 10).expect_err("fifo");
            assert!(
                err.to_string().ends_with("is a FIFO, not a regular file"),
                "{err}"
            );
        }
    }

    #[test]
    fn size_and_nul_bytes_stop_the_read() {
        let dir = tempfile::tempdir().expect("tmp");
        let big = dir.path().join("big.json");
        std::fs::write(&big, "[1, 2, 3, 4, 5]").expect("write");
        let err = read_checked(&big, 10).expect_err("15 bytes > 10");
        assert!(err.to_string().contains("larger than"), "{err}");
        assert_eq!(
            read_checked(&big, 15).expect("15 bytes fit"),
            b"[1, 2, 3, 4, 5]"
        );
        let nul = dir.path().join("nul.json");
        let mut bytes = b"[1,".to_vec();
        bytes.resize(10_000, b' ');
        bytes.push(0);
        std::fs::write(&nul, &bytes).expect("write");
        let err = read_checked(&nul, 1 << 20).expect_err("NUL");
        assert!(err.to_string().contains("byte offset 10000"), "{err}");
    }
}
