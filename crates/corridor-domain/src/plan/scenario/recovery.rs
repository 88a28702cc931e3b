//! Crash recovery: a copy of the open scenario, written a few seconds after each change, that
//! the next start offers to restore (what geojson.io users ask QGIS for).
//!
//! The copy is an ordinary scenario file (so it can be opened by hand if all else fails) with
//! one extra top-level member saying where the work came from and when it was written. It is
//! written atomically, so a crash during the write leaves the previous copy intact.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::io::{self, ScenarioError};
use super::model::Scenario;

/// File name of the recovery copy inside the store's directory.
pub const RECOVERY_FILE: &str = "recovery.geojson";

/// Top-level member holding the recovery metadata; removed again when reading.
const META_MEMBER: &str = "corridor_atlas_recovery";

/// Where recovery copies live (the app passes `<data_local_dir>/recovery`).
#[derive(Clone, Debug)]
pub struct RecoveryStore {
    dir: PathBuf,
}

/// A recovery copy found at start-up.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovered {
    pub scenario: Scenario,
    /// The file the work was loaded from or last saved to, if any.
    pub source_path: Option<PathBuf>,
    /// When the copy was written.
    pub saved_at: SystemTime,
}

impl RecoveryStore {
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The recovery file's path.
    #[must_use]
    pub fn path(&self) -> PathBuf {
        self.dir.join(RECOVERY_FILE)
    }

    /// Write a recovery copy of `scenario` (creating the directory if needed).
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

    /// The recovery copy, if there is a readable one. An unreadable copy is treated as none
    /// here; use [`RecoveryStore::try_find`] to tell the user about it instead.
    #[must_use]
    pub fn find(&self) -> Option<Recovered> {
        self.try_find().ok().flatten()
    }

    /// The recovery copy: `Ok(None)` if there is none, an error if it exists but cannot be
    /// read (never silently treated as empty).
    pub fn try_find(&self) -> Result<Option<Recovered>, ScenarioError> {
        let mut scenario = match io::load(&self.path()) {
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
        }))
    }

    /// Remove the recovery copy (after a save, a clean exit, or when the user declines it).
    pub fn clear(&self) -> Result<(), ScenarioError> {
        match std::fs::remove_file(self.path()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(ScenarioError::Write {
                file: self.path().display().to_string(),
                source,
            }),
        }
    }
}

#[cfg(test)]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use super::super::model::{Alignment, Vertex};
    use super::*;

    fn sample() -> Scenario {
        let mut s = Scenario::new();
        let id = s.allocate_id();
        let mut a = Alignment::new(id, "unsaved work");
        a.vertices = vec![Vertex::new(67.0, 24.9), Vertex::new(68.4, 25.4)];
        s.alignments.push(a);
        s.foreign_members
            .insert("author".into(), Value::String("planner".into()));
        s
    }

    #[test]
    fn a_written_copy_is_found_with_its_source_and_time() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let store = RecoveryStore::new(tmp.path().join("recovery"));
        assert!(store.find().is_none(), "nothing written yet");
        let at = UNIX_EPOCH + Duration::from_millis(1_790_000_000_123);
        let source = Path::new("/home/p/ktap.geojson");
        store
            .write_at(&sample(), Some(source), at)
            .expect("write recovery");
        let found = store.find().expect("copy exists");
        assert_eq!(found.scenario, sample());
        assert_eq!(found.source_path.as_deref(), Some(source));
        assert_eq!(found.saved_at, at);
    }

    #[test]
    fn a_copy_of_a_never_saved_scenario_has_no_source() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let store = RecoveryStore::new(tmp.path());
        store.write(&sample(), None).expect("write recovery");
        let found = store.find().expect("copy exists");
        assert_eq!(found.source_path, None);
        assert!(found.saved_at > UNIX_EPOCH);
    }

    #[test]
    fn clear_removes_the_copy_and_is_idempotent() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let store = RecoveryStore::new(tmp.path());
        store.write(&sample(), None).expect("write recovery");
        store.clear().expect("clear");
        assert!(store.find().is_none());
        store.clear().expect("clearing twice is fine");
    }

    #[test]
    fn a_corrupt_copy_is_reported_not_treated_as_empty() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let store = RecoveryStore::new(tmp.path());
        std::fs::write(store.path(), "{\"type\":\"FeatureCollection\",").expect("write junk");
        let err = store.try_find().expect_err("corrupt copy");
        assert!(matches!(err, ScenarioError::Invalid { .. }), "{err}");
        assert!(store.find().is_none());
    }

    #[test]
    fn a_newer_copy_replaces_the_older_one() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let store = RecoveryStore::new(tmp.path());
        store.write(&Scenario::new(), None).expect("first copy");
        store.write(&sample(), None).expect("second copy");
        assert_eq!(store.find().expect("copy").scenario, sample());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("list dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name() != RECOVERY_FILE)
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }
}
