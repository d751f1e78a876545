// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: syscall transition, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_syscall.c`: replaces the
//! getpid system call. A task whose pid is in `klp_pids` is counted off
//! `/sys/kernel/test_klp_syscall/npids` when it first calls the patched
//! getpid, which proves it transitioned while in a busy syscall loop:
//!
//! ```text
//! # insmod test_klp_syscall.ko klp_pids=$pid1,$pid2
//! # cat /sys/kernel/test_klp_syscall/npids
//! 0
//! ```

use core::fmt::Write;
use kernel::{
    bindings::CONFIG_NR_CPUS,
    current,
    prelude::*,
    str::Formatter,
    sync::atomic::{
        Atomic,
        Relaxed, //
    }, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;
#[path = "../../support/param.rs"]
mod param;
#[path = "../../support/sysfs.rs"]
mod sysfs;

use livepatch::{
    syscall::{
        syscall,
        syscall_name, //
    },
    Func,
    Livepatch,
    Object,
    Patch, //
};
use param::{
    module_param_array,
    IntArray, //
};
use sysfs::{
    sysfs_show,
    Attribute,
    KernelDir, //
};

livepatch::module_livepatch! {
    type: TestKlpSyscall,
    name: "test_klp_syscall",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: syscall transition",
    license: "GPL",
}

// `test-syscall.sh` starts one getpid caller per CPU.
static KLP_PIDS: IntArray<{ CONFIG_NR_CPUS as usize }> = IntArray::new();
module_param_array! {
    name: klp_pids,
    array: KLP_PIDS,
    description: "Array of pids to be transitioned to livepatched state.",
}

/// How many pids of `KLP_PIDS` have not called the patched getpid yet.
static NPIDS_PENDING: Atomic<usize> = Atomic::new(0);

fn npids_show(f: &mut Formatter<'_>) -> Result {
    writeln!(f, "{}", NPIDS_PENDING.load(Relaxed))?;
    Ok(())
}

static NPIDS: Attribute = Attribute::read_only(c"npids", sysfs_show!(npids_show));

fn lp_sys_getpid() -> Result<i32> {
    let task = current!();
    let pid = task.pid();

    // Only the task with this pid clears its entries, each once: the count
    // cannot go below zero. A task in a syscall never has pid 0.
    if NPIDS_PENDING.load(Relaxed) > 0
        && KLP_PIDS
            .values()
            .iter()
            .any(|p| p.cmpxchg(pid, 0, Relaxed).is_ok())
    {
        NPIDS_PENDING.fetch_sub(1, Relaxed);
    }

    // C: `task_tgid_vnr(current)`.
    Ok(task.tgid_nr_ns(None))
}

static FUNCS: [Func; 1] = [
    // SAFETY: getpid takes no arguments (kernel/sys.c: `SYSCALL_DEFINE0(getpid)`),
    // so its entry has the prototype `syscall!` makes for none.
    unsafe {
        Func::vmlinux(
            syscall_name!("getpid"),
            syscall!(lp_sys_getpid: fn() -> Result<i32>),
        )
    },
];
static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS)];

struct TestKlpSyscall {
    _dir: KernelDir,
}

impl kernel::Module for TestKlpSyscall {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // Before the file shows it and the patched getpid decrements it.
        NPIDS_PENDING.store(KLP_PIDS.values().len(), Relaxed);

        // Dropped, and so removed, if enabling the patch fails.
        let dir = KernelDir::new(c"test_klp_syscall")?;
        dir.create_file(&NPIDS)?;
        Ok(TestKlpSyscall { _dir: dir })
    }
}

impl Livepatch for TestKlpSyscall {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
