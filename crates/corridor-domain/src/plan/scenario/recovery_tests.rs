//! Tests of [`super`]: one copy per instance, orphans offered, live owners left alone.

// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use super::super::model::{Alignment, Vertex};
use super::*;

fn sample(name: &str) -> Scenario {
    let mut s = Scenario::new();
    let id = s.allocate_id();
    let mut a = Alignment::new(id, name);
    a.vertices = vec![Vertex::new(67.0, 24.9), Vertex::new(68.4, 25.4)];
    s.alignments.push(a);
    s.foreign_members
        .insert("author".into(), Value::String("planner".into()));
    s
}

/// A store as another instance would have it: owned by `owner`, keyed `key`.
fn instance(dir: &Path, key: &str, owner: Owner) -> RecoveryStore {
    RecoveryStore {
        dir: dir.to_path_buf(),
        key: key.into(),
        owner,
    }
}

/// A process that has exited (and been reaped): its pid is dead.
fn dead_owner() -> Owner {
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("run true");
    let pid = child.id();
    child.wait().expect("reap");
    Owner {
        pid,
        proc_start: Some(1),
    }
}

/// A running `sleep`, and its owner record as its lock would hold it.
fn live_owner() -> (std::process::Child, Owner) {
    let child = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .expect("run sleep");
    let pid = child.id();
    let owner = Owner {
        pid,
        proc_start: proc_start_ticks(pid),
    };
    (child, owner)
}

fn names(found: &[Recovered]) -> Vec<String> {
    found
        .iter()
        .map(|r| r.scenario.alignments[0].name.clone())
        .collect()
}

#[test]
fn a_written_copy_is_found_with_its_source_and_time() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = RecoveryStore::new(tmp.path().join("recovery"));
    assert!(store.find().is_none(), "nothing written yet");
    let at = UNIX_EPOCH + Duration::from_millis(1_790_000_000_123);
    let source = Path::new("/home/p/ktap.geojson");
    store
        .write_at(&sample("unsaved work"), Some(source), at)
        .expect("write recovery");
    let found = store.find().expect("copy exists");
    assert_eq!(found.scenario, sample("unsaved work"));
    assert_eq!(found.source_path.as_deref(), Some(source));
    assert_eq!(found.saved_at, at);
    assert_eq!(found.copy_path, store.path());
}

#[test]
fn each_instance_writes_its_own_file_named_by_pid() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = RecoveryStore::new(tmp.path());
    store.write(&sample("a"), None).expect("write");
    let name = store
        .path()
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with(&format!("recovery-{}-", std::process::id())),
        "{name}"
    );
    let lock = std::fs::read_to_string(store.path().with_extension("lock")).expect("lock");
    assert_eq!(
        Owner::from_text(&lock).map(|o| o.pid),
        Some(std::process::id())
    );
}

#[test]
fn clear_removes_only_this_instances_copy_and_is_idempotent() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (mut child, other_owner) = live_owner();
    let other = instance(tmp.path(), "other", other_owner);
    other.write(&sample("other window"), None).expect("other");
    let store = RecoveryStore::new(tmp.path());
    store.write(&sample("mine"), None).expect("mine");
    store.clear().expect("clear");
    assert!(store.find().is_none());
    store.clear().expect("clearing twice is fine");
    assert!(other.find().is_some(), "the other window's copy stays");
    assert!(other.path().with_extension("lock").exists());
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_live_instances_copy_is_not_offered_and_a_dead_ones_is() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (mut child, alive) = live_owner();
    let t0 = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    instance(tmp.path(), "alive", alive)
        .write_at(&sample("still open"), None, t0 + Duration::from_secs(1))
        .expect("live copy");
    let dead = instance(tmp.path(), "dead", dead_owner());
    dead.write_at(&sample("killed"), None, t0)
        .expect("dead copy");

    let me = RecoveryStore::new(tmp.path());
    let (found, errors) = me.orphans();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(names(&found), ["killed"]);
    assert_eq!(found[0].copy_path, dead.path());

    let _ = child.kill();
    let _ = child.wait();
    let (found, _) = me.orphans();
    assert_eq!(
        names(&found),
        ["killed", "still open"],
        "once its owner is gone the copy is offered (oldest first)"
    );
}

#[test]
fn two_killed_instances_are_both_offered_and_claimed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let first = instance(tmp.path(), "1-1", dead_owner());
    let second = instance(tmp.path(), "2-2", dead_owner());
    let t0 = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    first
        .write_at(&sample("first window"), None, t0)
        .expect("first");
    second
        .write_at(
            &sample("second window"),
            Some(Path::new("/p/b.geojson")),
            t0 + Duration::from_secs(5),
        )
        .expect("second");

    let me = RecoveryStore::new(tmp.path());
    let (found, errors) = me.orphans();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(names(&found), ["first window", "second window"]);
    assert_eq!(
        found[1].source_path.as_deref(),
        Some(Path::new("/p/b.geojson"))
    );

    // Claimed by this (live) process: another window started now leaves them alone.
    let (mut child, someone) = live_owner();
    let other_window = instance(tmp.path(), "3-3", someone);
    assert!(other_window.orphans().0.is_empty());
    let _ = child.kill();
    let _ = child.wait();

    RecoveryStore::discard(&found[0].copy_path).expect("discard one");
    let (left, _) = me.orphans();
    assert_eq!(names(&left), ["second window"]);
    assert!(!first.path().with_extension("lock").exists());
}

#[test]
fn a_reused_pid_does_not_hide_a_dead_instances_copy() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (mut child, alive) = live_owner();
    let reused = Owner {
        pid: alive.pid,
        proc_start: alive.proc_start.map(|t| t + 1),
    };
    instance(tmp.path(), "old", reused)
        .write(&sample("before the reboot"), None)
        .expect("copy");
    let (found, _) = RecoveryStore::new(tmp.path()).orphans();
    assert_eq!(names(&found), ["before the reboot"]);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_copy_from_before_per_instance_files_is_offered() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let text = io::to_string(&sample("legacy"));
    std::fs::write(tmp.path().join(LEGACY_RECOVERY_FILE), text).expect("write");
    let (found, _) = RecoveryStore::new(tmp.path()).orphans();
    assert_eq!(names(&found), ["legacy"]);
}

#[test]
fn a_corrupt_copy_is_reported_not_treated_as_empty() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = RecoveryStore::new(tmp.path());
    std::fs::write(store.path(), "{\"type\":\"FeatureCollection\",").expect("write junk");
    let err = store.try_find().expect_err("corrupt copy");
    assert!(matches!(err, ScenarioError::Invalid { .. }), "{err}");
    assert!(store.find().is_none());
    let dead = instance(tmp.path(), "dead", dead_owner());
    std::fs::write(dead.path(), "not json").expect("write junk");
    let (found, errors) = store.orphans();
    assert!(found.is_empty());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        dead.path().exists(),
        "an unreadable copy is left for the user"
    );
}

#[test]
fn a_newer_copy_replaces_the_older_one() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = RecoveryStore::new(tmp.path());
    store.write(&Scenario::new(), None).expect("first copy");
    store.write(&sample("unsaved"), None).expect("second copy");
    assert_eq!(store.find().expect("copy").scenario, sample("unsaved"));
    let mut left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("list dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [store.path(), store.path().with_extension("lock")],
        "temporary files left"
    );
}

#[test]
fn the_start_time_is_read_after_a_command_name_with_parentheses() {
    // /proc/self/stat of this process parses, and is stable between two reads.
    let a = proc_start_ticks(std::process::id());
    assert!(a.is_some());
    assert_eq!(a, proc_start_ticks(std::process::id()));
    assert!(Owner::this_process().is_alive());
}
