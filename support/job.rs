// SPDX-License-Identifier: GPL-2.0

//! The C interface of the test target `klp_job_target`.
//!
//! C header: `selftests/test_modules/klp_job.h`
//!
//! The job's state ([`Job`]) and the kthread it may run in ([`Kthread`]),
//! for the target written in Rust and for the livepatch; what the
//! livepatch's replacements take for arguments is in `job_patch.rs`.
//!
//! Mount it as `mod job;` at the crate root.

// Each test module mounts this file, as `mod <file name>;` at its crate root,
// and uses part of it.
#![allow(dead_code, unreachable_pub, unused_imports)]

use kernel::{
    error::to_result,
    ffi,
    prelude::*,
    task::Task,
    types::{
        NotThreadSafe,
        Opaque, //
    },
};

/// bindgen's output for `klp_job.h`, generated at build time (see `Kbuild`).
#[allow(
    clippy::all,
    clippy::undocumented_unsafe_blocks,
    dead_code,
    missing_docs,
    non_camel_case_types,
    non_upper_case_globals,
    unreachable_pub
)]
pub mod bindings {
    use kernel::bindings::*;
    use kernel::ffi;
    use pin_init::MaybeZeroable;

    include!("bindings_generated.rs");
}

/// Version of the target's own code.
pub const ORIGINAL: u32 = bindings::KLP_JOB_ORIGINAL;
/// Version of a livepatch's code.
pub const PATCHED: u32 = bindings::KLP_JOB_PATCHED;

/// The job's state (C: `struct klp_job`), owned by the target module.
///
/// # Invariants
///
/// Wraps a `struct klp_job` that the target initialised before it started
/// the job and keeps until the job has stopped.
#[repr(transparent)]
pub struct Job(Opaque<bindings::klp_job>);

impl Job {
    /// A job, for a target's `static`, that accounts its passes with `record`
    /// and queues its next one with `requeue` (C: `klp_job.record`,
    /// `klp_job.requeue`); the target sets the period and `dwork` before it
    /// starts the job (see `job_target.rs`).
    pub const fn new(
        record: extern "C" fn(*mut bindings::klp_job, ffi::c_uint, ffi::c_uint),
        requeue: extern "C" fn(*mut bindings::klp_job),
    ) -> Self {
        // INVARIANT: not started: the target writes `period_ms` and
        // initialises `dwork` before it starts the job.
        Self(Opaque::new(bindings::klp_job {
            period_ms: 0,
            record: Some(record),
            requeue: Some(requeue),
            // No user task waits on a Rust target.
            wait: None,
            // SAFETY: all-zero is a valid `delayed_work` for C, unused until
            // the target initialises it.
            dwork: unsafe { core::mem::zeroed() },
        }))
    }

    /// The C structure.
    pub fn as_raw(&self) -> *mut bindings::klp_job {
        self.0.get()
    }

    /// The period of the job, in milliseconds.
    pub fn period_ms(&self) -> u32 {
        // SAFETY: the job is valid (type invariant); the target writes
        // `period_ms` before starting the job only.
        unsafe { (*self.0.get()).period_ms }
    }

    /// Accounts one pass run by code of `version` with a format that code of
    /// version `format` derived.
    pub fn record(&self, version: u32, format: u32) {
        let job = self.0.get();
        // SAFETY: as in `period_ms`, for `record`.
        if let Some(record) = unsafe { (*job).record } {
            // SAFETY: `record` is the target's accounting function, which
            // takes the job it is a member of and any version.
            unsafe { record(job, version, format) };
        }
    }

    /// Blocks the calling user task until the test releases the waiting
    /// tasks (C: `klp_job.wait`); `ERESTARTSYS` for a signal, `EINVAL` for a
    /// target without waiting tasks.
    pub fn wait(&self) -> Result {
        let job = self.0.get();
        // SAFETY: as in `period_ms`, for `wait`.
        let Some(wait) = (unsafe { (*job).wait }) else {
            return Err(EINVAL);
        };
        // SAFETY: `wait` is the target's function that blocks a user task on
        // its wait queue, which takes the job it is a member of; the
        // replacements that call it run in user tasks' reads.
        to_result(unsafe { wait(job) })
    }

    /// Queues the next pass (workqueue form).
    pub fn requeue(&self) {
        let job = self.0.get();
        // SAFETY: as in `period_ms`, for `requeue`.
        if let Some(requeue) = unsafe { (*job).requeue } {
            // SAFETY: `requeue` is the target's function that queues the
            // job's delayed work, which it initialised.
            unsafe { requeue(job) };
        }
    }
}

/// The kthread the caller runs in.
///
/// # Invariants
///
/// Made in a task that is a kthread (`PF_KTHREAD`), and used in that task
/// only: it is neither `Send` nor `Sync`.
pub struct Kthread(NotThreadSafe);

impl Kthread {
    /// The current task, if it is a kthread.
    pub fn current() -> Option<Self> {
        // SAFETY: `current_raw()` is the running task, valid while it runs;
        // only the task itself changes `PF_KTHREAD` in its `flags`.
        let flags = unsafe { (*Task::current_raw()).flags };
        // INVARIANT: checked here; `NotThreadSafe` keeps it in this task.
        (flags & kernel::bindings::PF_KTHREAD != 0).then_some(Self(NotThreadSafe))
    }

    /// Whether `kthread_stop()` was called for this thread.
    pub fn should_stop(&self) -> bool {
        // SAFETY: the current task is a kthread (type invariant), which
        // `kthread_should_stop()` needs.
        unsafe { kernel::bindings::kthread_should_stop() }
    }

    /// Sleeps for `ms` milliseconds, or less if a signal is pending.
    pub fn msleep_interruptible(&self, ms: u32) {
        // SAFETY: `msleep_interruptible()` has no precondition; a kthread's
        // main function, which this is for, may sleep.
        unsafe { kernel::bindings::msleep_interruptible(ms) };
    }
}
