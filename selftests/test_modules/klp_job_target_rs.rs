// SPDX-License-Identifier: GPL-2.0

//! Livepatch test target, in Rust: `klp_job_target.c`'s periodic job, in
//! the same three forms, with the same messages and status file, and the
//! same parameters, which here are not in sysfs.
//!
//! Built where Rust functions can be livepatched (the kernel calls
//! `__fentry__` from Rust code: RLP_KERNEL=rust-ftrace). Its job's
//! functions, `klp_job_format()`, `klp_job_pass()`, `klp_job_kthread()`
//! and `klp_job_work()`, have the names and C prototypes of `klp_job.h`,
//! so `klp_job_patch` replaces them as it replaces the C target's.

use kernel::{
    debugfs,
    ffi,
    fmt,
    prelude::*,
    sync::atomic::{
        Atomic,
        Relaxed, //
    }, //
};

#[path = "../../support/job.rs"]
mod job;
#[path = "../../support/job_target.rs"]
mod job_target;
#[path = "../../support/param.rs"]
mod param;

use job::{
    bindings::klp_job,
    Job,
    Kthread,
    ORIGINAL,
    PATCHED, //
};
use job_target::{
    Form,
    Runner,
    TargetJob, //
};
use param::{
    module_param_string,
    StrParam, //
};

module! {
    type: KlpJobTargetRs,
    name: "klp_job_target_rs",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test target in Rust: a periodic job as kthread, freezable kthread or work items",
    license: "GPL",
    params: {
        period_ms: u32 {
            default: 20,
            description: "Period of the job in ms, 1 to 10000 (default 20)",
        },
    },
}

static MODE: StrParam<16> = StrParam::new("workqueue");
module_param_string! {
    name: mode,
    string: MODE,
    description: "How the job runs: kthread, freezable or workqueue (default)",
}

/// Passes per version of the code that ran them, stale passes, items
/// queued, the version of the last pass, the kthread's pid.
static PASSES: [Atomic<i64>; PATCHED as usize + 1] = [const { Atomic::new(0) }; 3];
static STALE: Atomic<i64> = Atomic::new(0);
static QUEUED: Atomic<i64> = Atomic::new(0);
static LAST: Atomic<i32> = Atomic::new(0);
static PID: Atomic<i32> = Atomic::new(-1);

static JOB: TargetJob = TargetJob::new(record, requeue);

/// Accounts one pass (not patched: both versions call it).
extern "C" fn record(_job: *mut klp_job, version: ffi::c_uint, format: ffi::c_uint) {
    let Some(passes) = PASSES.get(version as usize) else {
        return;
    };
    passes.add(1, Relaxed);
    if format != version {
        STALE.add(1, Relaxed);
    }
    LAST.store(version as i32, Relaxed);
}

/// Queues the next pass (workqueue form).
extern "C" fn requeue(_job: *mut klp_job) {
    QUEUED.add(1, Relaxed);
    JOB.queue();
}

// The job's code, which a livepatch replaces: named and typed as in
// klp_job.h (a `&Job` is passed as C's `struct klp_job *`), and never
// inlined, as `noinline` in C. Not inlining is not enough: LLVM sees that a
// function returns a constant and has no side effects, and then drops its
// calls and uses the constant, which the livepatch cannot redirect.

/// The format a pass uses.
#[no_mangle]
#[inline(never)]
pub extern "C" fn klp_job_format(_job: &Job) -> ffi::c_uint {
    // Opaque to the optimiser: callers must call this function.
    core::hint::black_box(ORIGINAL)
}

/// One pass, in the format it is given.
#[no_mangle]
#[inline(never)]
pub extern "C" fn klp_job_pass(job: &Job, format: ffi::c_uint) {
    job.record(ORIGINAL, format);
}

/// kthread form: the job inline in a main function that never returns.
#[no_mangle]
#[inline(never)]
pub extern "C" fn klp_job_kthread(_data: *mut ffi::c_void) -> ffi::c_int {
    let (Some(thread), Some(job)) = (Kthread::current(), JOB.job()) else {
        return EINVAL.to_errno();
    };
    while !thread.should_stop() {
        job.record(ORIGINAL, ORIGINAL);
        thread.msleep_interruptible(job.period_ms());
    }
    0
}

/// freezable form: local state derived once, helpers called in the loop.
extern "C" fn freezable_kthread(_data: *mut ffi::c_void) -> ffi::c_int {
    let (Some(thread), Some(job)) = (Kthread::current(), JOB.job()) else {
        return EINVAL.to_errno();
    };
    let format = klp_job_format(job);
    thread.set_freezable();
    while !thread.freezable_should_stop() {
        klp_job_pass(job, format);
        thread.msleep_interruptible(job.period_ms());
    }
    0
}

/// workqueue form: one pass per item, everything derived inside it.
#[no_mangle]
#[inline(never)]
pub extern "C" fn klp_job_work(_work: *mut kernel::bindings::work_struct) {
    let Some(job) = JOB.job() else {
        return;
    };
    klp_job_pass(job, klp_job_format(job));
    job.requeue();
}

/// `/sys/kernel/debug/klp_job_target_rs/status`, as the C target's.
struct Status;

impl fmt::Debug for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = core::str::from_utf8(MODE.get()).unwrap_or("?");
        writeln!(f, "mode: {mode}")?;
        writeln!(f, "original: {}", PASSES[ORIGINAL as usize].load(Relaxed))?;
        writeln!(f, "patched: {}", PASSES[PATCHED as usize].load(Relaxed))?;
        writeln!(f, "stale: {}", STALE.load(Relaxed))?;
        writeln!(f, "queued: {}", QUEUED.load(Relaxed))?;
        writeln!(f, "last: {}", LAST.load(Relaxed))?;
        write!(f, "pid: {}", PID.load(Relaxed))
    }
}

struct KlpJobTargetRs {
    mode: &'static str,
    runner: Option<Runner>,
    _status: Pin<KBox<debugfs::File<Status>>>,
    _dir: debugfs::Dir,
}

impl kernel::Module for KlpJobTargetRs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let period_ms = module_parameters::period_ms.value();
        if !(1..=10000).contains(&period_ms) {
            pr_err!("period_ms={period_ms} out of range 1..10000\n");
            return Err(EINVAL);
        }
        let (mode, form) = match MODE.get() {
            b"kthread" => (
                "kthread",
                Form::Kthread {
                    main: klp_job_kthread,
                    name: c"klp_job_kthread",
                },
            ),
            b"freezable" => (
                "freezable",
                Form::Kthread {
                    main: freezable_kthread,
                    name: c"klp_job_freezable",
                },
            ),
            b"workqueue" => ("workqueue", Form::Work { work: klp_job_work }),
            other => {
                let other = core::str::from_utf8(other).unwrap_or("?");
                pr_err!("mode={other} unknown: use kthread, freezable or workqueue\n");
                return Err(EINVAL);
            }
        };

        let dir = debugfs::Dir::new(c"klp_job_target_rs");
        let status = KBox::pin_init(dir.read_only_file(c"status", Status), GFP_KERNEL)?;
        let runner = JOB.start(period_ms, form)?;
        if let Some(thread) = runner.thread() {
            PID.store(thread.pid(), Relaxed);
        }
        pr_info!("{mode}: running the job every {period_ms} ms\n");
        Ok(Self {
            mode,
            runner: Some(runner),
            _status: status,
            _dir: dir,
        })
    }
}

impl Drop for KlpJobTargetRs {
    fn drop(&mut self) {
        // The job stops first, as in C; then the status file goes.
        drop(self.runner.take());
        pr_info!("{}: stopped\n", self.mode);
        // Final counts, as the C target logs them (there with pr_debug, for
        // dyndbg=+p; Rust's pr_debug! is not dynamic debug): the job cannot
        // change them now.
        pr_info!(
            "{}: passes: original {} patched {} stale {}, queued {}\n",
            self.mode,
            PASSES[ORIGINAL as usize].load(Relaxed),
            PASSES[PATCHED as usize].load(Relaxed),
            STALE.load(Relaxed),
            QUEUED.load(Relaxed)
        );
    }
}
