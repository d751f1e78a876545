// SPDX-License-Identifier: GPL-2.0

//! Kernel Live Patching Sample Module, in Rust.
//!
//! The Rust counterpart of `samples/livepatch/livepatch-sample.c`. This
//! (dumb) live patch overrides the function that prints the kernel boot
//! cmdline when `/proc/cmdline` is read. Example:
//!
//! ```text
//! $ cat /proc/cmdline
//! <your cmdline>
//! $ insmod rust_livepatch.ko
//! $ cat /proc/cmdline
//! rust_livepatch: this has been live patched
//! $ echo 0 > /sys/kernel/livepatch/rust_livepatch/enabled
//! $ cat /proc/cmdline
//! <your cmdline>
//! $ rmmod rust_livepatch
//! ```

use kernel::{
    prelude::*,
    seq_file::SeqFile,
    seq_print, //
};

#[cfg(not(klp_kernel_livepatch))]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Func,
    Livepatch,
    Object,
    Patch, //
};

livepatch::module_livepatch! {
    type: RustLivepatch,
    name: "rust_livepatch",
    authors: ["rust_livepatch developers"],
    description: "Kernel Live Patching Sample Module in Rust",
    license: "GPL",
}

fn livepatch_cmdline_proc_show(m: &SeqFile) -> Result {
    seq_print!(m, "rust_livepatch: this has been live patched\n");
    Ok(())
}

static FUNCS: [Func; 1] = [
    // SAFETY: `cmdline_proc_show()` (fs/proc/cmdline.c) is a seq_file show
    // function, `int cmdline_proc_show(struct seq_file *m, void *v)`: the
    // prototype `seq_show!` makes.
    unsafe {
        Func::vmlinux(
            c"cmdline_proc_show",
            livepatch::seq_show!(livepatch_cmdline_proc_show),
        )
    },
];
static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS)];

struct RustLivepatch;

impl kernel::Module for RustLivepatch {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(RustLivepatch)
    }
}

impl Livepatch for RustLivepatch {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
