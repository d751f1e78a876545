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
//! one work item per pass. See `klp_job_target.c` and the README.
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

#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[path = "../../support/job.rs"]
mod job;

use job::{
    job_format,
    job_kthread,
    job_pass,
    job_work,
    Job,
    Kthread,
    PATCHED, //
};
use livepatch::{
    seq_show,
    Func,
    Funcs,
    Object,
    Objects,
    Patch, //
};

module! {
    type: KlpJobPatch,
    name: "klp_job_patch",
    authors: ["rust_livepatch developers"],
    description: "Livepatch of klp_job_target's job, in Rust",
    license: "GPL",
}

livepatch::modinfo_livepatch!();

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

/// Replaces `klp_job_work()`, one work item of the workqueue form.
fn livepatch_job_work(job: &Job) {
    livepatch_job_pass(job, livepatch_job_format(job));
    job.requeue();
}

static VMLINUX_FUNCS: Funcs<1> = Funcs::new([Func::new(
    c"cmdline_proc_show",
    seq_show!(livepatch_cmdline_proc_show),
)]);

static JOB_FUNCS: Funcs<4> = Funcs::new([
    Func::new(c"klp_job_format", job_format!(livepatch_job_format)),
    Func::new(c"klp_job_pass", job_pass!(livepatch_job_pass)),
    Func::new(c"klp_job_kthread", job_kthread!(livepatch_job_kthread)),
    Func::new(c"klp_job_work", job_work!(livepatch_job_work)),
]);
static OBJS: Objects<2> = Objects::new([
    Object::vmlinux(&VMLINUX_FUNCS),
    Object::module(c"klp_job_target", &JOB_FUNCS),
]);
static PATCH: Patch = Patch::new(&OBJS);

struct KlpJobPatch;

impl kernel::Module for KlpJobPatch {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // The core does not log every refusal (EBUSY while another patch
        // is in transition): say why the load fails.
        PATCH
            .enable(module)
            .inspect_err(|e| pr_err!("cannot enable the patch: error {}\n", e.to_errno()))?;
        Ok(KlpJobPatch)
    }
}
