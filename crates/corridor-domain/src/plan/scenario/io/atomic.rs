//! Replacing a file atomically: used for scenarios, recovery copies and rendered slides.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::format::{ScenarioError, label};

/// How many symbolic links a save follows before giving up (Linux's own limit, `MAXSYMLINKS`).
const MAX_LINKS: usize = 40;

/// Replace `path` with `bytes` so that readers see the old or the new file, never a mix:
/// write a temporary file beside the target, flush it to disk, rename it over the target,
/// flush the directory. If anything fails the old file is untouched and the temporary file
/// removed.
///
/// A symbolic link is written through, not replaced: the link is followed to the real file
/// (even a dangling link, whose target is then created), the temporary file goes in that
/// file's directory and is renamed over it, so the link keeps pointing at the new content.
/// Anything that exists and is not a regular file (a directory, a FIFO, a device, a socket)
/// is refused, so a save never replaces a pipe or `/dev/...` with a file. The replaced file's
/// permission mode is kept (a group-readable `0640` file stays so).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ScenarioError> {
    /// Distinguishes temporary files of concurrent saves within this process.
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let file = label(path);
    let write_error = |source: io::Error| ScenarioError::Write {
        file: file.clone(),
        source,
    };
    let target = resolve_links(path).map_err(write_error)?;
    let existing = match fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(write_error(e)),
    };
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(ScenarioError::IsDirectory { file });
        }
        if !meta.is_file() {
            return Err(write_error(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "is {}, not a regular file; it is left as it is",
                    kind_of(meta)
                ),
            )));
        }
    }
    let Some(name) = target.file_name() else {
        return Err(write_error(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path has no file name",
        )));
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        // Keep the permissions of the file we replace (a shared, group-writable file stays so).
        if let Some(meta) = &existing {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, &target)
    })();
    if let Err(e) = result {
        // The temporary file may not exist (creation failed); nothing else to clean up.
        let _ = fs::remove_file(&tmp);
        return Err(write_error(e));
    }
    sync_dir(&dir);
    Ok(())
}

/// The file `path` names after following symbolic links (relative links from the link's own
/// directory). Unlike `canonicalize`, a dangling link resolves to where its target would be,
/// so saving through it creates the target as `ln -s` users expect.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("more than {MAX_LINKS} symbolic links in a row (a loop?)"),
    ))
}

/// What kind of non-regular file `meta` describes, in words.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// Flush the directory entry of a rename to disk. Best effort: some file systems (and
/// Windows) cannot open or sync a directory, and the data itself is already safe.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(all(test, unix))]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};

    use super::*;

    #[test]
    fn a_save_through_a_symlink_updates_the_target_and_keeps_the_link() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let real_dir = tmp.path().join("shared");
        fs::create_dir(&real_dir).expect("mkdir");
        let real = real_dir.join("plan.geojson");
        fs::write(&real, "old").expect("write target");
        let link = tmp.path().join("plan-link.geojson");
        symlink("shared/plan.geojson", &link).expect("relative symlink");

        write_atomic(&link, b"new").expect("save through the link");

        let link_meta = fs::symlink_metadata(&link).expect("link still there");
        assert!(link_meta.file_type().is_symlink(), "the link stays a link");
        assert_eq!(
            fs::read_link(&link).expect("read link"),
            Path::new("shared/plan.geojson")
        );
        assert_eq!(fs::read(&real).expect("read target"), b"new");
        let names: Vec<_> = fs::read_dir(tmp.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            names.len(),
            2,
            "no temporary file left beside the link: {names:?}"
        );
    }

    #[test]
    fn a_save_through_a_dangling_symlink_creates_its_target() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let link = tmp.path().join("link.geojson");
        symlink(tmp.path().join("later.geojson"), &link).expect("symlink");
        write_atomic(&link, b"first").expect("save");
        assert!(
            fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read(tmp.path().join("later.geojson")).expect("target"),
            b"first"
        );
    }

    #[test]
    fn a_save_over_a_fifo_is_refused_and_the_fifo_stays() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let fifo = tmp.path().join("pipe.geojson");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("run mkfifo");
        assert!(made.success());
        let err = write_atomic(&fifo, b"data").expect_err("a FIFO is not replaced");
        assert!(err.to_string().contains("FIFO"), "{err}");
        assert!(err.to_string().contains("pipe.geojson"), "{err}");
        let meta = fs::symlink_metadata(&fifo).expect("still there");
        assert!(meta.file_type().is_fifo(), "the FIFO is untouched");
        assert_eq!(fs::read_dir(tmp.path()).expect("list").count(), 1);
    }

    #[test]
    fn a_save_over_a_device_is_refused() {
        let err = write_atomic(Path::new("/dev/null"), b"data").expect_err("refused");
        assert!(err.to_string().contains("a device"), "{err}");
    }

    #[test]
    fn the_permission_mode_of_the_replaced_file_is_kept() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let path = tmp.path().join("team.geojson");
        fs::write(&path, "old").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&path, b"new").expect("save");
        let mode = fs::metadata(&path).expect("meta").permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640);
        assert_eq!(fs::read(&path).expect("read"), b"new");
    }
}
