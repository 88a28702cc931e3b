//! Replacing a file atomically: used for scenarios, recovery copies and rendered slides.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::format::{ScenarioError, label};

/// Replace `path` with `bytes` so that readers see the old or the new file, never a mix:
/// write a temporary file beside it, flush it to disk, rename it over the target, flush the
/// directory. If anything fails the old file is untouched and the temporary file removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ScenarioError> {
    /// Distinguishes temporary files of concurrent saves within this process.
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let file = label(path);
    let write_error = |source: io::Error| ScenarioError::Write {
        file: file.clone(),
        source,
    };
    if path.is_dir() {
        return Err(ScenarioError::IsDirectory { file });
    }
    let Some(name) = path.file_name() else {
        return Err(write_error(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path has no file name",
        )));
    };
    let dir = match path.parent() {
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
        if let Ok(meta) = fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        // The temporary file may not exist (creation failed); nothing else to clean up.
        let _ = fs::remove_file(&tmp);
        return Err(write_error(e));
    }
    sync_dir(&dir);
    Ok(())
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
