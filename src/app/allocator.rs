//! glibc's allocator after a large import. An import parses and builds on two threads, and its
//! tiles render on more; glibc gives each thread an arena of its own (up to 8 per core) and
//! keeps what they free for reuse instead of returning it, so after importing a 92 MB network
//! and browsing it the process held ~110 MB of freed memory on top of the data
//! (`scripts/app_memory.sh`: 3.6× the file, where the layer itself is 1.8×). Two calls fix
//! it, the usual ones for long-running programs on glibc: at start, at most [`ARENAS`]
//! arenas; after an import ends or a layer goes, [`give_back_free_memory`].
//!
//! The only `unsafe` in the workspace (its lint is `deny`, allowed here alone, and
//! `scripts/check.sh` fails on `unsafe` anywhere else): two plain libc calls without pointers.
#![allow(unsafe_code)]

/// Arenas glibc may create: two, for the UI thread and one worker at a time; more threads
/// share them (allocation is not where the import spends its time).
pub const ARENAS: i32 = 2;

/// Blocks from this size up get pages of their own, returned to the OS as soon as they are
/// freed: tile images (256 KiB at 256 px) and the import's part buffers. glibc's default
/// starts at 128 KiB but rises with every large block freed (up to 32 MiB), after which such
/// blocks stay in the arenas; a fixed threshold keeps it.
pub const MMAP_THRESHOLD_BYTES: i32 = 128 << 10;

/// Cap glibc's arenas at [`ARENAS`]. Call once at start, before threads are spawned. Does
/// nothing on other platforms and C libraries.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt takes two integers and changes a setting of the allocator; it has no
    // pointer arguments and no caller-side invariants.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
    }
}

/// Return the allocator's free pages to the OS (glibc's `malloc_trim`). It walks and locks
/// each arena, so the app calls it on a worker after an import or a layer removal, not in a
/// frame. Does nothing on other platforms and C libraries.
pub fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes a byte count and has no caller-side invariants.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After a large block is freed, trimming lowers the resident memory (read from
    /// /proc/self/status, not from the allocator). 64 MiB in 1 KiB pieces, below glibc's mmap
    /// threshold, so they come from the heap and stay resident when freed until trimmed.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    #[allow(clippy::expect_used)]
    fn trimming_returns_freed_heap_memory() {
        let rss_kb = || -> i64 {
            let status = std::fs::read_to_string("/proc/self/status").expect("status");
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .expect("VmRSS")
        };
        // Allocated on this thread and freed, with a small live block after them so the
        // freed memory is not at the top of the heap (where free() alone would give it back).
        let pieces: Vec<Box<[u8; 1024]>> = (0..65_536).map(|i| Box::new([i as u8; 1024])).collect();
        let keep = Box::new([1_u8; 1024]);
        let before_free = rss_kb();
        drop(pieces);
        let after_free = rss_kb();
        give_back_free_memory();
        let after_trim = rss_kb();
        assert!(keep[0] == 1);
        assert!(
            before_free - after_free < 32 * 1024,
            "free alone gave back {} kB",
            before_free - after_free
        );
        assert!(
            after_free - after_trim > 32 * 1024,
            "trim gave back {} kB",
            after_free - after_trim
        );
    }
}
