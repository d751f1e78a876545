// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: a system call replaced with its arguments.
//!
//! Replaces getpriority(2) by a function of its two `int` arguments, whose
//! result says which values arrived where: `1000 + 100 * which + who`.
//!
//! ```text
//! $ klp_syscall_args 7 3
//! -22
//! $ insmod test_klp_syscall_args.ko
//! $ klp_syscall_args 7 3
//! 1703
//! ```

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

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

livepatch::module_livepatch! {
    type: TestKlpSyscallArgs,
    name: "test_klp_syscall_args",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: a system call with arguments",
    license: "GPL",
}

fn lp_getpriority(which: i32, who: i32) -> Result<i64> {
    Ok(1000 + 100 * i64::from(which) + i64::from(who))
}

static FUNCS: [Func; 1] = [
    // SAFETY: kernel/sys.c: `SYSCALL_DEFINE2(getpriority, int, which, int,
    // who)`: its entry has the prototype `syscall!` makes for two `int`s.
    unsafe {
        Func::vmlinux(
            syscall_name!("getpriority"),
            syscall!(lp_getpriority: fn(which: i32, who: i32) -> Result<i64>),
        )
    },
];
static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS)];

struct TestKlpSyscallArgs;

impl kernel::Module for TestKlpSyscallArgs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TestKlpSyscallArgs)
    }
}

impl Livepatch for TestKlpSyscallArgs {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
