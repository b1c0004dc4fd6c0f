//! Ctrl-C handling without extra crates: the first SIGINT sets a flag that
//! the LLM backends check before every request (answers already received are
//! kept: each is appended to the cache as soon as it arrives); a second
//! SIGINT ends the process at once (exit code 130).
//!
//! Unix only (the C library's `signal`, `write` and `_exit`, which std already
//! links). Elsewhere Ctrl-C ends the process as usual; cached answers survive
//! that too.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Has Ctrl-C been pressed since [`install`]?
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

#[cfg(unix)]
mod imp {
    use super::INTERRUPTED;
    use std::os::raw::c_int;
    use std::sync::atomic::Ordering;

    const SIGINT: c_int = 2;

    extern "C" {
        fn signal(signum: c_int, handler: usize) -> usize;
        fn write(fd: c_int, buf: *const u8, count: usize) -> isize;
        fn _exit(status: c_int) -> !;
    }

    extern "C" fn on_sigint(_: c_int) {
        // Only async-signal-safe calls here.
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            unsafe { _exit(130) }
        }
        let msg = b"\ninterrupted: no further LLM requests; finishing with the answers already received (Ctrl-C again to quit now)\n";
        unsafe {
            write(2, msg.as_ptr(), msg.len());
        }
    }

    pub fn install() {
        let handler: extern "C" fn(c_int) = on_sigint;
        unsafe {
            signal(SIGINT, handler as usize);
        }
    }
}

/// Installs the handler once per process.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[cfg(unix)]
        imp::install();
    });
}
