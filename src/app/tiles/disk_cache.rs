//! A size-bounded cache of downloaded tiles on disk (least recently used goes first).
//!
//! One directory per source under the user's cache dir; a file per tile, written to a
//! temporary name and renamed so a crash never leaves half a tile. Reads refresh the file's
//! modification time, which is what eviction sorts by, so the bound survives restarts
//! without a separate index file.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

/// Default bound: enough for a region at street level, small next to a disk.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Default)]
struct Index {
    files: HashMap<PathBuf, (u64, SystemTime)>,
    total: u64,
}

/// See the module documentation.
pub struct DiskCache {
    root: PathBuf,
    max_bytes: u64,
    /// Built on first use by walking `root` (on a worker thread, not at startup).
    index: Mutex<Option<Index>>,
}

impl DiskCache {
    #[must_use]
    pub fn new(root: impl Into<PathBuf>, max_bytes: u64) -> Self {
        Self {
            root: root.into(),
            max_bytes,
            index: Mutex::new(None),
        }
    }

    /// `<user cache dir>/corridor-atlas/tiles` (e.g. `~/.cache/corridor-atlas/tiles`), if the
    /// platform has one.
    #[must_use]
    pub fn default_root() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "corridor-atlas")
            .map(|d| d.cache_dir().join("tiles"))
    }

    /// Where the cache lives.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The bytes stored under `rel` (a relative path such as `osm/5/22/13`), refreshing its
    /// age.
    pub fn get(&self, rel: &str) -> Option<Vec<u8>> {
        let path = self.root.join(rel);
        let bytes = fs::read(&path).ok()?;
        let now = SystemTime::now();
        if let Ok(f) = fs::File::options().write(true).open(&path) {
            let _ = f.set_modified(now); // only affects eviction order
        }
        let mut guard = self.index();
        if let Some(entry) = guard.as_mut().and_then(|i| i.files.get_mut(&path)) {
            entry.1 = now;
        }
        Some(bytes)
    }

    /// Store `bytes` under `rel`, then evict the least recently used files while the total
    /// exceeds the bound.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("part");
        fs::write(&tmp, bytes)?;
        fs::rename(&tmp, &path)?;
        let mut guard = self.index();
        let index = guard.get_or_insert_with(Index::default);
        let size = bytes.len() as u64;
        if let Some((old, _)) = index.files.insert(path, (size, SystemTime::now())) {
            index.total -= old;
        }
        index.total += size;
        if index.total > self.max_bytes {
            evict(index, self.max_bytes / 10 * 9);
        }
        Ok(())
    }

    /// Remove `rel` (a stored tile that turned out not to decode).
    pub fn remove(&self, rel: &str) {
        let path = self.root.join(rel);
        let _ = fs::remove_file(&path); // already gone is fine
        let mut guard = self.index();
        if let Some(index) = guard.as_mut()
            && let Some((size, _)) = index.files.remove(&path)
        {
            index.total -= size;
        }
    }

    /// Bytes currently stored.
    #[must_use]
    pub fn total_bytes(&self) -> u64 {
        self.index().as_ref().map_or(0, |i| i.total)
    }

    fn index(&self) -> std::sync::MutexGuard<'_, Option<Index>> {
        let mut guard = self.index.lock().unwrap_or_else(PoisonError::into_inner);
        if guard.is_none() {
            let mut index = Index::default();
            scan(&self.root, &mut index);
            *guard = Some(index);
        }
        guard
    }
}

fn scan(dir: &Path, index: &mut Index) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            scan(&path, index);
        } else if path.extension().is_some_and(|e| e == "part") {
            let _ = fs::remove_file(&path); // left by a crash mid-write
        } else {
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            index.total += meta.len();
            index.files.insert(path, (meta.len(), modified));
        }
    }
}

fn evict(index: &mut Index, target: u64) {
    let mut by_age: Vec<(PathBuf, u64, SystemTime)> = index
        .files
        .iter()
        .map(|(p, (s, t))| (p.clone(), *s, *t))
        .collect();
    by_age.sort_by_key(|(_, _, t)| *t);
    for (path, size, _) in by_age {
        if index.total <= target {
            break;
        }
        let _ = fs::remove_file(&path); // a file someone else removed is gone either way
        index.files.remove(&path);
        index.total -= size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_stays_under_its_bound_and_drops_the_oldest() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let cache = DiskCache::new(dir.path(), 10_000);
        for i in 0..30 {
            cache.put(&format!("src/5/{i}/0"), &[7u8; 1000])?;
            // Distinct modification times even on coarse file systems.
            let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + i);
            fs::File::options()
                .write(true)
                .open(dir.path().join(format!("src/5/{i}/0")))?
                .set_modified(t)?;
            if let Some(index) = cache.index().as_mut()
                && let Some(e) = index
                    .files
                    .get_mut(&dir.path().join(format!("src/5/{i}/0")))
            {
                e.1 = t;
            }
        }
        assert!(cache.total_bytes() <= 10_000, "{}", cache.total_bytes());
        assert!(
            cache.get("src/5/0/0").is_none(),
            "the oldest tile was evicted"
        );
        assert_eq!(cache.get("src/5/29/0"), Some(vec![7u8; 1000]));
        // A new cache over the same directory sees the same total.
        let again = DiskCache::new(dir.path(), 10_000);
        assert_eq!(again.total_bytes(), cache.total_bytes());
        Ok(())
    }
}
