//! The headless command line: subcommands for scripts and CI that print results instead of
//! opening a window.
//!
//! Each subcommand is a thin layer of argument handling and output formatting over
//! [`crate::domain`], the same functions the GUI calls, so both always agree. Nothing here
//! depends on the `gui` feature.

pub mod compare;
pub mod export;
pub mod generate;
pub mod inspect;
pub mod measure;
pub mod render;
pub mod suggest;

use std::io::{self, Write};
use std::process::ExitCode;

/// Write `text` to stdout and flush it. A closed pipe (`| head`, `| true`) or a full disk
/// (`> /dev/full`) is one line on stderr and exit status 1, never a panic: `println!` panics
/// on a write error, and Rust ignores SIGPIPE, so every subcommand prints through here or
/// through a `Write` whose errors it reports.
#[must_use]
pub fn print_or_fail(command: &str, text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report_write_error(command, &e);
            ExitCode::FAILURE
        }
    }
}

/// The one line for an output that could not be written.
pub fn report_write_error(command: &str, e: &io::Error) {
    // If stderr is gone too there is nobody left to tell.
    let _ = writeln!(
        io::stderr().lock(),
        "corridor-atlas {command}: cannot write the output: {e}"
    );
}
