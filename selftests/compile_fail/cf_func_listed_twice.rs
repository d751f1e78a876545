// SPDX-License-Identifier: GPL-2.0

//! The core names a function's sysfs directory after its name and position,
//! and refuses a second one, with a stack trace: a function listed twice by
//! one object does not build.
//!
//! expect: selftests/compile_fail/cf_func_listed_twice.rs:36: error[E0080]: evaluation panicked: a function listed twice by one object
//! expect(rustc 1.85): livepatch/mod.rs: error[E0080]: could not evaluate static initializer: the evaluated program panicked at 'a function listed twice by one object'
use kernel::{
    prelude::*,
    seq_file::SeqFile, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Func,
    Object, //
};

fn my_show(_m: &SeqFile) -> Result {
    Ok(())
}

static FUNCS: [Func; 2] = [
    // SAFETY: `version_proc_show()` (fs/proc/version.c) is a seq_file show
    // function: the prototype `seq_show!` makes.
    unsafe { Func::vmlinux(c"version_proc_show", livepatch::seq_show!(my_show)) },
    // SAFETY: as above; the first of its name, as position 0 means.
    unsafe { Func::vmlinux(c"version_proc_show", livepatch::seq_show!(my_show)).sympos(1) },
];
static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS)];

module! {
    type: CompileFail,
    name: "cf_func_listed_twice",
    authors: ["rust_livepatch developers"],
    description: "must not build",
    license: "GPL",
}

struct CompileFail;

impl kernel::Module for CompileFail {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(CompileFail)
    }
}
