// SPDX-License-Identifier: GPL-2.0

//! The C interface of the test target `klp_job_target`.
//!
//! C header: `selftests/test_modules/klp_job.h`
//!
//! The job's state ([`Job`]), what a replacement of the job's C functions
//! takes for their arguments (`&Job` for a `struct klp_job *`), and adapter
//! macros for the two functions that get the job indirectly, the kthread's
//! main function and the work function.
//!
//! Mount it as `mod job;` at the crate root: its macros refer to `$crate::job`.

// Each test module mounts this file, as `mod <file name>;` at its crate root,
// and uses part of it.
#![allow(dead_code, unreachable_pub, unused_imports, unused_macros)]

use crate::livepatch;
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

/// C `struct klp_job *`, for the target's job, during a pass.
impl livepatch::CType for &Job {
    type C = *mut bindings::klp_job;
    const KIND: &'static str = "ptr struct klp_job";
}

// SAFETY: the target calls the functions replaced with `&Job`
// (`klp_job_format()`, `klp_job_pass()`) with its job, during a pass, and
// frees the job only after the job has stopped; `Job` wraps a `klp_job`
// transparently.
unsafe impl<'call> livepatch::Arg<'call> for &'call Job {
    unsafe fn from_c(c: *mut bindings::klp_job, _call: &'call livepatch::Call) -> Self {
        // SAFETY: by the implementation's contract above.
        unsafe { &*c.cast::<Job>() }
    }
}

/// The `void *data` of the kthread main function `klp_job_kthread()`: the
/// job it runs.
pub struct ThreadJob<'a>(&'a Job);

impl<'a> ThreadJob<'a> {
    /// The job.
    pub fn job(&self) -> &'a Job {
        self.0
    }
}

impl livepatch::CType for ThreadJob<'_> {
    type C = *mut ffi::c_void;
    const KIND: &'static str = "ptr void";
}

// SAFETY: the target starts `klp_job_kthread()` with its job as `data`, and
// stops the thread before freeing the job.
unsafe impl<'call> livepatch::Arg<'call> for ThreadJob<'call> {
    unsafe fn from_c(c: *mut ffi::c_void, _call: &'call livepatch::Call) -> Self {
        // SAFETY: by the implementation's contract above.
        ThreadJob(unsafe { &*c.cast::<Job>() })
    }
}

/// The `struct work_struct *work` of the work function `klp_job_work()`: the
/// job whose delayed work it is.
pub struct WorkJob<'a>(&'a Job);

impl<'a> WorkJob<'a> {
    /// The job.
    pub fn job(&self) -> &'a Job {
        self.0
    }
}

impl livepatch::CType for WorkJob<'_> {
    type C = *mut kernel::bindings::work_struct;
    const KIND: &'static str = "ptr struct work_struct";
}

// SAFETY: the target queues only its job's `dwork` with `klp_job_work()`,
// and cancels it before freeing the job.
unsafe impl<'call> livepatch::Arg<'call> for WorkJob<'call> {
    unsafe fn from_c(c: *mut kernel::bindings::work_struct, _call: &'call livepatch::Call) -> Self {
        // SAFETY: by the implementation's contract above, `c` is
        // `job.dwork.work` of a job.
        let job = unsafe { kernel::container_of!(c, bindings::klp_job, dwork.work) };
        // SAFETY: as above.
        WorkJob(unsafe { &*job.cast::<Job>() })
    }
}

/// Makes a [`NewFunc`](crate::livepatch::NewFunc) that replaces the kthread
/// main function `int klp_job_kthread(void *data)` by
/// `f: fn(&Kthread, &Job) -> Result`.
macro_rules! job_kthread {
    ($f:tt) => {{
        fn __klp_kthread(data: $crate::job::ThreadJob<'_>) -> ::kernel::error::Result {
            const __KLP_F: fn(&$crate::job::Kthread, &$crate::job::Job) -> ::kernel::error::Result =
                $f;
            let thread = $crate::job::Kthread::current().ok_or(::kernel::error::code::EINVAL)?;
            __KLP_F(&thread, data.job())
        }
        $crate::livepatch::new_func!(
            __klp_kthread: fn(data: $crate::job::ThreadJob<'_>) -> ::kernel::error::Result
        )
    }};
}
pub(crate) use job_kthread;

/// Makes a [`NewFunc`](crate::livepatch::NewFunc) that replaces the work
/// function `void klp_job_work(struct work_struct *work)` by `f: fn(&Job)`.
macro_rules! job_work {
    ($f:tt) => {{
        fn __klp_work(work: $crate::job::WorkJob<'_>) {
            const __KLP_F: fn(&$crate::job::Job) = $f;
            __KLP_F(work.job())
        }
        $crate::livepatch::new_func!(__klp_work: fn(work: $crate::job::WorkJob<'_>))
    }};
}
pub(crate) use job_work;
