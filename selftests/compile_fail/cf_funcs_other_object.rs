// SPDX-License-Identifier: GPL-2.0

//! What a function's `unsafe` declaration asserts holds in the object it was
//! declared for: listing it in another object does not build. (The issue's
//! example: the same functions in vmlinux and in a module, which with static C
//! structures also put one list node on two of the core's lists, and oopsed at
//! `insmod`.)
//!
//! expect: selftests/compile_fail/cf_funcs_other_object.rs:39: error[E0080]: evaluation panicked: a function listed by an object it was not declared for
//! expect(rustc 1.85): livepatch/mod.rs: error[E0080]: could not evaluate static initializer: the evaluated program panicked at 'a function listed by an object it was not declared for'

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

static FUNCS: [Func; 1] = [
    // SAFETY: `version_proc_show()` of vmlinux (fs/proc/version.c) is a
    // seq_file show function: the prototype `seq_show!` makes.
    unsafe { Func::vmlinux(c"version_proc_show", livepatch::seq_show!(my_show)) },
];
static OBJECTS: [Object; 2] = [
    Object::vmlinux(&FUNCS),
    Object::module(c"klp_job_target", &FUNCS),
];

module! {
    type: CompileFail,
    name: "cf_funcs_other_object",
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
