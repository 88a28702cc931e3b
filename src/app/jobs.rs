//! The one way the app runs background work: a named thread whose results come back over a
//! channel, polled once a frame. The UI thread never waits; each result asks for a repaint so
//! the frame that takes it comes soon.

use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

/// Work running on a named thread, sending zero or more messages of type `T`.
pub struct Job<T> {
    rx: Receiver<T>,
    finished: bool,
}

/// What the worker side holds: sends a message and wakes the UI.
pub struct Reporter<T> {
    tx: Sender<T>,
    ctx: egui::Context,
}

impl<T> Reporter<T> {
    /// Send `message` to the UI (dropped silently if the UI no longer waits: app closing or
    /// job abandoned) and request a repaint so it is taken promptly.
    pub fn send(&self, message: T) {
        let _ = self.tx.send(message);
        self.ctx.request_repaint();
    }

    /// Send `message` and ask for a frame within `within`: for a stream of messages the UI
    /// need not see at once (the parts of an import). Messages that come closer together share
    /// one frame, so a worker cannot keep the UI thread painting (with software rendering a
    /// frame takes tens of ms, and a key press waits for the frame in progress).
    pub fn send_soon(&self, message: T, within: std::time::Duration) {
        let _ = self.tx.send(message);
        self.ctx.request_repaint_after(within);
    }
}

/// How soon the UI takes streamed background results (import parts, re-rendered tiles of a
/// large layer): at most this many ms apart, a few frames a second instead of one per result.
pub const STREAM_REPAINT: std::time::Duration = std::time::Duration::from_millis(250);

/// Run the calling (worker) thread, and the threads it starts, below the UI thread's priority
/// (nice +10): an import or a tile render on both cores must not delay the frame that shows
/// the user's drag. The scheduler still gives the workers every cycle the UI leaves idle.
/// Linux only (where a thread's nice value is its own); elsewhere, and if the OS refuses,
/// the thread keeps its priority.
pub fn yield_to_the_ui() {
    #[cfg(target_os = "linux")]
    {
        let tid = rustix::thread::gettid();
        let _ = rustix::process::setpriority_process(Some(tid), BACKGROUND_NICE);
    }
}

/// The nice value of background threads (0 is normal, 19 the lowest priority).
pub const BACKGROUND_NICE: i32 = 10;

/// Run the calling (worker) thread, and the threads it starts, only on cycles no other thread
/// wants (Linux `SCHED_IDLE`): for work that may take both cores for seconds, an import. A
/// nice value is not enough for it: measured with `scripts/latency.sh` (software rendering,
/// where a frame is the UI thread and two rasteriser threads waking each other), an import at
/// nice +10 still took a key press from 57 to 80 ms on screen, because a woken rasteriser
/// thread waits for the import's time slice to end; an idle-policy thread is preempted at
/// once (66 ms). The import still gets every idle cycle, so alone it runs at full speed; but
/// while other programs keep both cores busy it waits for them, so this is for work the user
/// can watch progress on and cancel, not for what a button waits for (the track graph stays at
/// [`yield_to_the_ui`]). Elsewhere, and if the OS refuses, [`yield_to_the_ui`] applies instead.
pub fn run_when_idle() {
    #[cfg(target_os = "linux")]
    {
        use thread_priority::{
            NormalThreadSchedulePolicy, ThreadPriority, ThreadSchedulePolicy,
            set_thread_priority_and_policy, thread_native_id,
        };
        let idle = ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle);
        if set_thread_priority_and_policy(thread_native_id(), ThreadPriority::Min, idle).is_ok() {
            return;
        }
    }
    yield_to_the_ui();
}

impl<T: Send + 'static> Job<T> {
    /// Run `work` on a thread called `name`; it reports through the [`Reporter`]. The error is
    /// the OS refusing a thread, for the status bar.
    pub fn spawn(
        ctx: &egui::Context,
        name: &str,
        work: impl FnOnce(&Reporter<T>) + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, rx) = channel();
        let reporter = Reporter {
            tx,
            ctx: ctx.clone(),
        };
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                yield_to_the_ui();
                work(&reporter);
            })?;
        Ok(Self {
            rx,
            finished: false,
        })
    }

    /// Run `work` on a thread called `name` and send its one result.
    pub fn run(
        ctx: &egui::Context,
        name: &str,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> std::io::Result<Self> {
        Self::spawn(ctx, name, move |r| r.send(work()))
    }

    /// The next message, if one has arrived.
    pub fn poll(&mut self) -> Option<T> {
        match self.rx.try_recv() {
            Ok(message) => Some(message),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.finished = true;
                None
            }
        }
    }

    /// False once the worker has ended and every message was taken (a worker that ended
    /// without a result, e.g. a panic, also ends here).
    #[must_use]
    pub fn is_running(&self) -> bool {
        !self.finished
    }

    /// Block until the next message (tests and benchmarks; the app never waits). `None` if the
    /// worker ended without sending one.
    pub fn wait(&mut self) -> Option<T> {
        let r = self.rx.recv().ok();
        if r.is_none() {
            self.finished = true;
        }
        r
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    /// The worker (and a thread it starts, as an import starts its parser and builder) runs
    /// below the UI's priority; the calling thread keeps its own.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_job_and_its_threads_run_below_the_ui() {
        let nice = || {
            rustix::process::getpriority_process(Some(rustix::thread::gettid()))
                .expect("getpriority")
        };
        let ui_before = nice();
        let ctx = egui::Context::default();
        let mut job = Job::run(&ctx, "test-nice", move || {
            let own = nice();
            let child = std::thread::spawn(nice).join().expect("child thread");
            (own, child)
        })
        .expect("thread starts");
        let (own, child) = job.wait().expect("a result");
        assert!(own >= BACKGROUND_NICE, "worker nice {own}");
        assert!(child >= BACKGROUND_NICE, "its thread's nice {child}");
        assert_eq!(nice(), ui_before, "the calling thread is untouched");
    }

    /// The scheduling policy of the calling thread, from `/proc/thread-self/stat` (field 41;
    /// 5 is `SCHED_IDLE`, 0 `SCHED_OTHER`): read independently of the crate that sets it.
    #[cfg(target_os = "linux")]
    fn policy() -> u32 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("stat");
        // Fields after the command name, which is in parentheses and may hold spaces.
        let rest = &stat[stat.rfind(')').expect("comm") + 2..];
        rest.split(' ')
            .nth(41 - 3)
            .expect("field 41")
            .parse()
            .expect("a number")
    }

    /// An import's worker and the threads it starts (parser, builder) run under the idle
    /// policy; the UI thread stays as it was.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_idle_job_and_its_threads_get_only_idle_cycles() {
        const SCHED_IDLE: u32 = 5;
        let ui_before = policy();
        assert_ne!(ui_before, SCHED_IDLE);
        let ctx = egui::Context::default();
        let mut job = Job::run(&ctx, "test-idle", move || {
            run_when_idle();
            let own = policy();
            let child = std::thread::spawn(policy).join().expect("child thread");
            (own, child)
        })
        .expect("thread starts");
        let (own, child) = job.wait().expect("a result");
        assert_eq!(own, SCHED_IDLE, "worker policy");
        assert_eq!(child, SCHED_IDLE, "its thread's policy");
        assert_eq!(policy(), ui_before, "the calling thread is untouched");
    }

    #[test]
    fn a_job_delivers_its_messages_in_order_then_ends() {
        let ctx = egui::Context::default();
        let mut job = Job::spawn(&ctx, "test-job", |r| {
            r.send(1);
            r.send(2);
        })
        .expect("thread starts");
        assert_eq!(job.wait(), Some(1));
        assert_eq!(job.wait(), Some(2));
        assert_eq!(job.wait(), None, "the worker is gone");
        assert!(!job.is_running());
    }

    #[test]
    fn a_job_that_panics_ends_without_a_result() {
        let ctx = egui::Context::default();
        let mut job: Job<u8> =
            Job::run(&ctx, "test-panic", || panic!("worker fails")).expect("thread starts");
        assert_eq!(job.wait(), None);
        assert!(!job.is_running());
        assert_eq!(job.poll(), None);
    }
}
