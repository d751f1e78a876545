// SPDX-License-Identifier: GPL-2.0

//! The Rust livepatch of the per-task tests: user tasks and a kthread.
//!
//! It replaces `cmdline_proc_show()`, as the sample does, for the tests'
//! user tasks that read `/proc/cmdline`, and the job of the test module
//! `klp_job_target`: whenever that module is loaded, its passes run the code
//! below,
//! version [`PATCHED`], instead of the module's own. How soon each task
//! switches to it depends on how the job is driven (`mode=` of the target):
//! a kthread whose main function never returns, a freezable kthread, or
//! one work item per pass. See `klp_job_target.c` and the README. Where the
//! kernel can livepatch Rust functions, it also replaces the same job's
//! functions in the Rust target `klp_job_target_rs`.
//!
//! ```text
//! $ insmod klp_job_target.ko mode=workqueue
//! $ insmod klp_job_patch.ko
//! $ cat /sys/kernel/debug/klp_job_target/status
//! ```

use kernel::{
    prelude::*,
    seq_file::SeqFile,
    seq_print, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;
#[path = "../../support/job.rs"]
mod job;
#[path = "../../support/job_patch.rs"]
mod job_patch;

use job::{
    Job,
    Kthread,
    PATCHED, //
};
use job_patch::{
    job_kthread,
    job_work, //
};
use livepatch::{
    Func,
    Livepatch,
    Object,
    Patch, //
};

livepatch::module_livepatch! {
    type: KlpJobPatch,
    name: "klp_job_patch",
    authors: ["rust_livepatch developers"],
    description: "Livepatch of klp_job_target's job, in Rust",
    license: "GPL",
}

/// Replaces `cmdline_proc_show()` of `fs/proc/cmdline.c`.
fn livepatch_cmdline_proc_show(m: &SeqFile) -> Result {
    seq_print!(m, "klp_job_patch: this has been live patched\n");
    Ok(())
}

/// Replaces `klp_job_format()`: the format a pass uses.
fn livepatch_job_format(_job: &Job) -> u32 {
    PATCHED
}

/// Replaces `klp_job_pass()`: one pass, in the format it is given.
fn livepatch_job_pass(job: &Job, format: u32) {
    job.record(PATCHED, format);
}

/// Replaces `klp_job_kthread()`, the kthread form's main function.
fn livepatch_job_kthread(thread: &Kthread, job: &Job) -> Result {
    while !thread.should_stop() {
        job.record(PATCHED, PATCHED);
        thread.msleep_interruptible(job.period_ms());
    }
    Ok(())
}

/// Replaces `klp_job_user_wait()`, a user task's read of `wait`: blocks as
/// the original does, then says this version ran it (0: a signal).
fn livepatch_job_user_wait(job: &Job) -> u32 {
    match job.wait() {
        Ok(()) => PATCHED,
        Err(_) => 0,
    }
}

/// Replaces `klp_job_work()`, one work item of the workqueue form.
fn livepatch_job_work(job: &Job) {
    livepatch_job_pass(job, livepatch_job_format(job));
    job.requeue();
}

static VMLINUX_FUNCS: [Func; 1] = [
    // SAFETY: `cmdline_proc_show()` (fs/proc/cmdline.c) is a seq_file show
    // function, `int (struct seq_file *m, void *v)`: the prototype
    // `seq_show!` makes.
    unsafe {
        Func::vmlinux(
            c"cmdline_proc_show",
            livepatch::seq_show!(livepatch_cmdline_proc_show),
        )
    },
];

/// The job's functions in the module `$object`: what `klp_job.h` declares,
/// each replaced by a function whose types make its C prototype (see
/// support/job_patch.rs). It calls `Func::module`: use it in an `unsafe` block
/// whose safety comment says where `$object` defines those functions with
/// `klp_job.h`'s names and C prototypes.
macro_rules! job_funcs {
    ($object:expr $(, $more:expr)*) => {
        [
            Func::module(
                $object,
                c"klp_job_format",
                livepatch::new_func!(livepatch_job_format: fn(job: &Job) -> u32),
            ),
            Func::module(
                $object,
                c"klp_job_pass",
                livepatch::new_func!(livepatch_job_pass: fn(job: &Job, format: u32)),
            ),
            Func::module(
                $object,
                c"klp_job_kthread",
                job_kthread!(livepatch_job_kthread),
            ),
            Func::module($object, c"klp_job_work", job_work!(livepatch_job_work)),
            $($more,)*
        ]
    };
}

// SAFETY: klp_job_target.c defines them, including klp_job.h, and
// `unsigned int klp_job_user_wait(struct klp_job *job)`, which user tasks'
// reads of its `wait` file call with its job.
static JOB_FUNCS: [Func; 5] = unsafe {
    job_funcs!(
        c"klp_job_target",
        Func::module(
            c"klp_job_target",
            c"klp_job_user_wait",
            livepatch::new_func!(livepatch_job_user_wait: fn(job: &Job) -> u32),
        )
    )
};

// SAFETY: klp_job_target_rs.rs defines them, `extern "C"` and unmangled,
// with klp_job.h's names and prototypes (a `&Job` for a `struct klp_job *`).
// Only where the kernel can livepatch Rust functions.
#[cfg(CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY)]
static JOB_RS_FUNCS: [Func; 4] = unsafe { job_funcs!(c"klp_job_target_rs") };

#[cfg(not(CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY))]
static OBJECTS: [Object; 2] = [
    Object::vmlinux(&VMLINUX_FUNCS),
    Object::module(c"klp_job_target", &JOB_FUNCS),
];
#[cfg(CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY)]
static OBJECTS: [Object; 3] = [
    Object::vmlinux(&VMLINUX_FUNCS),
    Object::module(c"klp_job_target", &JOB_FUNCS),
    Object::module(c"klp_job_target_rs", &JOB_RS_FUNCS),
];

struct KlpJobPatch;

impl kernel::Module for KlpJobPatch {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(KlpJobPatch)
    }
}

impl Livepatch for KlpJobPatch {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
