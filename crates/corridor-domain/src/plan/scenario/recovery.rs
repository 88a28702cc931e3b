//! Crash recovery: a copy of the open scenario, written a few seconds after each change, that
//! the next start offers to restore (what geojson.io users ask QGIS for).
//!
//! Every running instance (window) has its own copy, `recovery-<pid>-<start ms>.geojson`, and
//! beside it a lock file `recovery-<pid>-<start ms>.lock` naming the owning process. An
//! instance writes and deletes only its own copy; at start it offers every copy whose owner
//! is gone (killed, crashed, power cut), so two windows killed together both come back.
//! Opening a file or starting a second window never touches another instance's work.
//!
//! A copy is an ordinary scenario file (so it can be opened by hand if all else fails) with
//! one extra top-level member saying where the work came from and when it was written. It is
//! written atomically, so a crash during the write leaves the previous copy intact.
//!
//! Whether an owner is alive is asked of `/proc/<pid>` (Linux), together with the process's
//! start time from `/proc/<pid>/stat`, so a new process that happens to get a dead owner's pid
//! does not hide its copy. Where there is no `/proc`, every other instance's copy counts as
//! orphaned (offered, never deleted without the user's word).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::io::{self, ScenarioError};
use super::model::Scenario;

/// File name of the copy written by versions before per-instance copies; still offered.
pub const LEGACY_RECOVERY_FILE: &str = "recovery.geojson";

/// Top-level member holding the recovery metadata; removed again when reading.
const META_MEMBER: &str = "corridor_atlas_recovery";

/// Where recovery copies live (the app passes `<data_local_dir>/recovery`), and which of
/// them is this instance's.
#[derive(Clone, Debug)]
pub struct RecoveryStore {
    dir: PathBuf,
    /// `<pid>-<start ms>`: unique per instance even when a pid is reused.
    key: String,
    owner: Owner,
}

/// A recovery copy found at start-up.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovered {
    pub scenario: Scenario,
    /// The file the work was loaded from or last saved to, if any.
    pub source_path: Option<PathBuf>,
    /// When the copy was written.
    pub saved_at: SystemTime,
    /// The copy itself, to discard it once the user has decided.
    pub copy_path: PathBuf,
}

/// What a lock file records: the owner's pid and, on Linux, its start time in clock ticks
/// since boot (field 22 of `/proc/<pid>/stat`), which tells a reused pid apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Owner {
    pid: u32,
    proc_start: Option<u64>,
}

impl Owner {
    fn this_process() -> Self {
        let pid = std::process::id();
        Self {
            pid,
            proc_start: proc_start_ticks(pid),
        }
    }

    fn to_text(self) -> String {
        serde_json::json!({"pid": self.pid, "proc_start": self.proc_start}).to_string()
    }

    fn from_text(text: &str) -> Option<Self> {
        let v: Value = serde_json::from_str(text).ok()?;
        Some(Self {
            pid: u32::try_from(v.get("pid")?.as_u64()?).ok()?,
            proc_start: v.get("proc_start").and_then(Value::as_u64),
        })
    }

    /// Whether the process is still running (see the module documentation).
    fn is_alive(self) -> bool {
        if !Path::new("/proc/self").exists() {
            return false;
        }
        match (self.proc_start, proc_start_ticks(self.pid)) {
            (_, None) => false,
            (Some(recorded), Some(now)) => recorded == now,
            (None, Some(_)) => true,
        }
    }
}

/// The start time of process `pid` in clock ticks since boot, if it exists and `/proc` can
/// tell. The command name (field 2) may hold spaces and parentheses, so fields are counted
/// after its closing parenthesis.
fn proc_start_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    // Fields 3.. follow; the start time is field 22, the 20th after the name.
    after_name.split_whitespace().nth(19)?.parse().ok()
}

impl RecoveryStore {
    /// This process's store in `dir`.
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let owner = Owner::this_process();
        let started_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        Self {
            dir: dir.into(),
            key: format!("{}-{started_ms}", owner.pid),
            owner,
        }
    }

    /// This instance's recovery copy.
    #[must_use]
    pub fn path(&self) -> PathBuf {
        self.dir.join(format!("recovery-{}.geojson", self.key))
    }

    /// The lock file beside a copy.
    fn lock_of(copy: &Path) -> PathBuf {
        copy.with_extension("lock")
    }

    /// Write this instance's recovery copy of `scenario` (creating the directory and the
    /// lock if needed).
    pub fn write(
        &self,
        scenario: &Scenario,
        source_path: Option<&Path>,
    ) -> Result<(), ScenarioError> {
        self.write_at(scenario, source_path, SystemTime::now())
    }

    fn write_at(
        &self,
        scenario: &Scenario,
        source_path: Option<&Path>,
        saved_at: SystemTime,
    ) -> Result<(), ScenarioError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| ScenarioError::Write {
            file: self.dir.display().to_string(),
            source,
        })?;
        let lock = Self::lock_of(&self.path());
        if !lock.exists() {
            io::write_atomic(&lock, self.owner.to_text().as_bytes())?;
        }
        let mut value = io::to_value(scenario);
        let saved_at_ms = saved_at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let meta = serde_json::json!({
            "source_path": source_path.map(|p| p.to_string_lossy().into_owned()),
            "saved_at_unix_ms": saved_at_ms,
        });
        if let Value::Object(top) = &mut value {
            top.insert(META_MEMBER.into(), meta);
        }
        io::write_atomic(&self.path(), io::text_from_value(&value).as_bytes())
    }

    /// This instance's copy, if there is a readable one. An unreadable copy is treated as
    /// none here; use [`RecoveryStore::try_find`] to tell the user about it instead.
    #[must_use]
    pub fn find(&self) -> Option<Recovered> {
        self.try_find().ok().flatten()
    }

    /// This instance's copy: `Ok(None)` if there is none, an error if it exists but cannot
    /// be read (never silently treated as empty).
    pub fn try_find(&self) -> Result<Option<Recovered>, ScenarioError> {
        read_copy(&self.path())
    }

    /// Every copy left by an instance that is no longer running, oldest first, and an error
    /// for each copy that exists but cannot be read (left on disk for the user to look at).
    /// The copies found are claimed: their locks now name this process, so another window
    /// started meanwhile does not offer them too, and if this one dies before the user has
    /// decided they are offered again.
    #[must_use]
    pub fn orphans(&self) -> (Vec<Recovered>, Vec<ScenarioError>) {
        let mut found = Vec::new();
        let mut errors = Vec::new();
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return (found, errors);
        };
        let own = self.path();
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| *p != own)
            .collect();
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !name.starts_with("recovery") {
                continue;
            }
            let lock = Self::lock_of(&path);
            let owner_alive = std::fs::read_to_string(&lock)
                .ok()
                .and_then(|t| Owner::from_text(&t))
                .is_some_and(|o| o != self.owner && o.is_alive());
            if owner_alive {
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str());
            if ext == Some("lock") {
                // A lock whose owner is gone and which has no copy: the owner exited with
                // nothing unsaved. Tidy it away.
                let copy = path.with_extension("geojson");
                if !copy.exists() {
                    let _ = std::fs::remove_file(&path);
                }
                continue;
            }
            if ext != Some("geojson") {
                continue;
            }
            match read_copy(&path) {
                Ok(Some(r)) => {
                    let _ = io::write_atomic(&lock, self.owner.to_text().as_bytes());
                    found.push(r);
                }
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
        }
        found.sort_by_key(|r| r.saved_at);
        (found, errors)
    }

    /// Remove this instance's copy and lock (after a save, a clean exit, or when the work
    /// it held was discarded).
    pub fn clear(&self) -> Result<(), ScenarioError> {
        Self::discard(&self.path())
    }

    /// Remove the recovery copy `copy` (an orphan the user recovered or declined) and its
    /// lock.
    pub fn discard(copy: &Path) -> Result<(), ScenarioError> {
        for path in [copy.to_path_buf(), Self::lock_of(copy)] {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(ScenarioError::Write {
                        file: path.display().to_string(),
                        source,
                    });
                }
            }
        }
        Ok(())
    }
}

/// The copy at `path`: `Ok(None)` if there is none.
fn read_copy(path: &Path) -> Result<Option<Recovered>, ScenarioError> {
    let mut scenario = match io::load(path) {
        Ok(s) => s,
        Err(ScenarioError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let meta = scenario.foreign_members.remove(META_MEMBER);
    let source_path = meta
        .as_ref()
        .and_then(|m| m.get("source_path"))
        .and_then(Value::as_str)
        .map(PathBuf::from);
    let saved_at = meta
        .as_ref()
        .and_then(|m| m.get("saved_at_unix_ms"))
        .and_then(Value::as_u64)
        .map_or(UNIX_EPOCH, |ms| UNIX_EPOCH + Duration::from_millis(ms));
    Ok(Some(Recovered {
        scenario,
        source_path,
        saved_at,
        copy_path: path.to_path_buf(),
    }))
}

#[cfg(test)]
#[path = "recovery_tests.rs"]
mod tests;
