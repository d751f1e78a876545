// SPDX-License-Identifier: GPL-2.0

//! The job of `klp_job.h` run by a target written in Rust,
//! `klp_job_target_rs`, in the forms of `klp_job_target.c`: a kthread, or
//! one delayed work item per pass on the job's `dwork`, where the
//! livepatch's `job_work!` finds the job. The kernel crate has no kthread
//! abstraction, and its `DelayedWork` is not a C `struct klp_job`'s.
//!
//! Mount it as `mod job_target;` next to `mod job;`.

// Mounted as a private module: its items are `pub` as the API's are.
#![allow(unreachable_pub)]

use crate::job::{
    bindings,
    Job,
    Kthread, //
};
use kernel::{
    ffi,
    prelude::*,
    sync::{
        aref::ARef,
        atomic::{
            Acquire,
            Atomic,
            Relaxed,
            Release, //
        },
        rcu, //
    },
    task::Task, //
};

/// The job of a target written in Rust (`klp_job_target_rs`), for a
/// `static`: the C structure, which the livepatch's adapters get as the C
/// target's, and how it runs.
///
/// # Invariants
///
/// `state` is `IDLE` until [`TargetJob::start`] claims the job
/// (`STARTING`, once ever), then `KTHREAD` or `WORK` once it has written
/// `period_ms` (with a release store), in the latter form also initialised
/// `dwork`, and `STOPPED` (release) once the job is being stopped, or
/// `FAILED` if it could not start. `period_ms` is written only between
/// `STARTING` and the next state.
pub struct TargetJob {
    job: Job,
    state: Atomic<i32>,
}

// SAFETY: `start` writes `period_ms` and `dwork` in the one call that
// claimed the job (`STARTING`), before the release store that lets `job()`
// hand the job out; after that, only the workqueue API writes `dwork`,
// under its own synchronisation. Rust code reads the job's fields only
// (`Job`), and the functions they point to account with atomics and queue
// with the workqueue API, which may be called from any thread.
unsafe impl Sync for TargetJob {}

const IDLE: i32 = 0;
const STARTING: i32 = 1;
const KTHREAD: i32 = 2;
const WORK: i32 = 3;
const STOPPED: i32 = 4;
const FAILED: i32 = 5;

/// How a [`TargetJob`] runs.
pub enum Form {
    /// In a kthread named `name` whose main function is `main` (C:
    /// `int (*)(void *data)`), which gets the job as `data`.
    Kthread {
        /// The main function.
        main: extern "C" fn(*mut ffi::c_void) -> ffi::c_int,
        /// The thread's name.
        name: &'static CStr,
    },
    /// One delayed work item per pass, on `dwork` of the job, with the work
    /// function `work`, which queues the next one ([`Job::requeue`]).
    Work {
        /// The work function.
        work: extern "C" fn(*mut kernel::bindings::work_struct),
    },
}

impl TargetJob {
    /// A job that accounts its passes with `record` and queues its next one
    /// with `requeue` (C: `klp_job.record`, `klp_job.requeue`), not started.
    pub const fn new(
        record: extern "C" fn(*mut bindings::klp_job, ffi::c_uint, ffi::c_uint),
        requeue: extern "C" fn(*mut bindings::klp_job),
    ) -> Self {
        // INVARIANT: `IDLE`.
        Self {
            job: Job::new(record, requeue),
            state: Atomic::new(IDLE),
        }
    }

    /// The job, as the livepatch's adapters see it, once it was started.
    pub fn job(&'static self) -> Option<&'static Job> {
        matches!(self.state.load(Acquire), KTHREAD | WORK | STOPPED).then_some(&self.job)
    }

    /// Runs the job every `period_ms` in `form`, until the [`Runner`] is
    /// dropped. A job is started once: then, or after a failed start,
    /// `EBUSY`.
    pub fn start(&'static self, period_ms: u32, form: Form) -> Result<Runner> {
        if self.state.cmpxchg(IDLE, STARTING, Relaxed).is_err() {
            return Err(EBUSY);
        }
        let job = self.job.as_raw();
        // SAFETY: `STARTING`, set here once ever: nothing else writes the
        // job, and `job()` hands it out only after the release store below.
        unsafe { (*job).period_ms = period_ms };
        match form {
            Form::Kthread { main, name } => {
                // SAFETY: `main` has the C prototype of a kthread function;
                // `job` lives as long as the module (`'static`), longer than
                // the thread, which `Runner` stops; `name` is the one
                // argument of the format.
                let task = unsafe {
                    kernel::bindings::kthread_create_on_node(
                        Some(main),
                        job.cast(),
                        kernel::bindings::NUMA_NO_NODE,
                        c"%s".as_char_ptr(),
                        name.as_char_ptr(),
                    )
                };
                let task = match kernel::error::from_err_ptr(task) {
                    Ok(task) => task,
                    Err(e) => {
                        // INVARIANT: nothing was started, and nothing will be.
                        self.state.store(FAILED, Relaxed);
                        return Err(e);
                    }
                };
                // SAFETY: `kthread_create_on_node()` returned a valid task,
                // which lives until `kthread_stop()` (`Runner::drop`), after
                // the reference taken here.
                let thread: ARef<Task> = unsafe { &*task.cast::<Task>() }.into();
                // INVARIANT: `period_ms` is written; the thread, which gets
                // the job from `job()`, runs after this.
                self.state.store(KTHREAD, Release);
                thread.wake_up();
                Ok(Runner {
                    job: self,
                    thread: Some(thread),
                })
            }
            Form::Work { work } => {
                // SAFETY: `dwork` is not in use (`STARTING`); `work` has the
                // prototype of a work function; the names and keys are
                // static.
                unsafe {
                    kernel::bindings::init_work_with_key(
                        &raw mut (*job).dwork.work,
                        Some(work),
                        false,
                        c"klp_job.dwork".as_char_ptr(),
                        kernel::static_lock_class!().as_ptr(),
                    );
                    kernel::bindings::timer_init_key(
                        &raw mut (*job).dwork.timer,
                        Some(kernel::bindings::delayed_work_timer_fn),
                        kernel::bindings::TIMER_IRQSAFE,
                        c"klp_job.dwork.timer".as_char_ptr(),
                        kernel::static_lock_class!().as_ptr(),
                    );
                }
                // INVARIANT: `period_ms` is written, `dwork` initialised.
                self.state.store(WORK, Release);
                self.queue();
                Ok(Runner {
                    job: self,
                    thread: None,
                })
            }
        }
    }

    /// Queues the next pass, in `period_ms`, if the job runs as work items.
    pub fn queue(&self) {
        // `Runner::drop` waits for this section before it cancels the work.
        let _rcu = rcu::read_lock();
        if self.state.load(Acquire) != WORK {
            return;
        }
        let job = self.job.as_raw();
        // SAFETY: `dwork` is initialised (`WORK`, type invariant) and stays
        // so. A `Runner` sets `STOPPED`, then waits for the RCU readers that
        // may have seen `WORK` before it cancels the work, so what is queued
        // here is cancelled before the module goes.
        unsafe {
            kernel::bindings::queue_delayed_work_on(
                kernel::bindings::wq_misc_consts_WORK_CPU_UNBOUND as ffi::c_int,
                // What C's `schedule_delayed_work()` uses.
                kernel::bindings::system_percpu_wq,
                &raw mut (*job).dwork,
                kernel::time::msecs_to_jiffies((*job).period_ms),
            )
        };
    }
}

/// A started [`TargetJob`]: dropping it stops the job.
///
/// The module keeps it until its exit and drops it there: the job runs the
/// module's code, and a `Runner` that is leaked (`mem::forget`) leaves it
/// running after the module is gone, as a `kernel::workqueue` item still
/// queued at the module's exit would.
///
/// # Invariants
///
/// `thread` is the kthread `start` created, with a reference to its task,
/// if the job runs in one (`KTHREAD`); `None` if it runs as work items
/// (`WORK`: `dwork` is initialised).
#[must_use]
pub struct Runner {
    job: &'static TargetJob,
    thread: Option<ARef<Task>>,
}

impl Runner {
    /// The job's kthread, if it runs in one.
    pub fn thread(&self) -> Option<&Task> {
        self.thread.as_deref()
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        // INVARIANT: `queue` no longer uses `dwork` once the callers that
        // saw `WORK` are done; `job()` still hands the job out.
        self.job.state.store(STOPPED, Release);
        rcu::synchronize_rcu();
        match &self.thread {
            // SAFETY: the kthread was created by `start` and not stopped
            // yet; `thread` holds a reference to its task (type invariant).
            Some(thread) => unsafe {
                kernel::bindings::kthread_stop(thread.as_ptr());
            },
            // SAFETY: without a thread the job ran as work items, so `dwork`
            // is initialised (type invariant); the work requeues itself,
            // which `cancel_delayed_work_sync()` allows for.
            None => unsafe {
                kernel::bindings::cancel_delayed_work_sync(&raw mut (*self.job.job.as_raw()).dwork);
            },
        };
    }
}

impl Kthread {
    /// Lets the freezer freeze this kthread (C: `set_freezable()`).
    pub fn set_freezable(&self) {
        // SAFETY: the current task is a kthread (type invariant).
        unsafe { kernel::bindings::set_freezable() };
    }

    /// Whether `kthread_stop()` was called for this thread, after freezing
    /// it if the freezer asks (C: `kthread_freezable_should_stop()`).
    pub fn freezable_should_stop(&self) -> bool {
        // SAFETY: the current task is a kthread (type invariant); a null
        // `was_frozen` is allowed.
        unsafe { kernel::bindings::kthread_freezable_should_stop(core::ptr::null_mut()) }
    }
}
