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

mod livepatch;

use livepatch::{
    seq_show,
    Func,
    Funcs,
    Object,
    Objects,
    Patch, //
};

module! {
    type: RustLivepatch,
    name: "rust_livepatch",
    authors: ["rust_livepatch developers"],
    description: "Kernel Live Patching Sample Module in Rust",
    license: "GPL",
}

livepatch::modinfo_livepatch!();

/// Replaces `cmdline_proc_show()` of `fs/proc/cmdline.c`.
fn livepatch_cmdline_proc_show(m: &SeqFile) -> Result {
    seq_print!(m, "rust_livepatch: this has been live patched\n");
    Ok(())
}

static FUNCS: Funcs<1> = Funcs::new([Func::new(
    c"cmdline_proc_show",
    seq_show!(livepatch_cmdline_proc_show),
)]);
static OBJS: Objects<1> = Objects::new([Object::vmlinux(&FUNCS)]);
static PATCH: Patch = Patch::new(&OBJS);

struct RustLivepatch;

impl kernel::Module for RustLivepatch {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // The core does not log every refusal (EBUSY while another patch
        // is in transition): say why the load fails.
        PATCH
            .enable(module)
            .inspect_err(|e| pr_err!("cannot enable the patch: error {}\n", e.to_errno()))?;
        Ok(RustLivepatch)
    }
}
