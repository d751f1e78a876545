// SPDX-License-Identifier: GPL-2.0

//! What a livepatch's replacements of the job's C functions take for their
//! arguments (`&Job` for a `struct klp_job *`), and adapter macros for the
//! two functions that get the job indirectly, the kthread's main function
//! and the work function.
//!
//! Mount it as `mod job_patch;` at the crate root, beside `mod job;`: its
//! macros refer to `$crate::job` and `$crate::job_patch`.

// Mounted by klp_job_patch.rs, whose crate does not reach these `pub`s.
#![allow(unreachable_pub)]

use crate::{
    job::{
        bindings,
        Job, //
    },
    livepatch,
};
use kernel::ffi;

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
    // SAFETY: `Arg::from_c`'s contract, unchanged: `c` is an argument of
    // `call`, a call of the replaced function by callers that keep the
    // implementation's contract above.
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
    // SAFETY: `Arg::from_c`'s contract, unchanged: `c` is an argument of
    // `call`, a call of the replaced function by callers that keep the
    // implementation's contract above.
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
    // SAFETY: `Arg::from_c`'s contract, unchanged: `c` is an argument of
    // `call`, a call of the replaced function by callers that keep the
    // implementation's contract above.
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
        fn __klp_kthread(data: $crate::job_patch::ThreadJob<'_>) -> ::kernel::error::Result {
            const __KLP_F: fn(&$crate::job::Kthread, &$crate::job::Job) -> ::kernel::error::Result =
                $f;
            let thread = $crate::job::Kthread::current().ok_or(::kernel::error::code::EINVAL)?;
            __KLP_F(&thread, data.job())
        }
        $crate::livepatch::new_func!(
            __klp_kthread: fn(data: $crate::job_patch::ThreadJob<'_>) -> ::kernel::error::Result
        )
    }};
}
pub(crate) use job_kthread;

/// Makes a [`NewFunc`](crate::livepatch::NewFunc) that replaces the work
/// function `void klp_job_work(struct work_struct *work)` by `f: fn(&Job)`.
macro_rules! job_work {
    ($f:tt) => {{
        fn __klp_work(work: $crate::job_patch::WorkJob<'_>) {
            const __KLP_F: fn(&$crate::job::Job) = $f;
            __KLP_F(work.job())
        }
        $crate::livepatch::new_func!(__klp_work: fn(work: $crate::job_patch::WorkJob<'_>))
    }};
}
pub(crate) use job_work;
