// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: system state modification, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_state.c`: a cumulative
//! patch declaring version 1 of the state "console_loglevel changed". Its
//! callbacks save the console log level in the state's data, raise it, and
//! restore it when the patch is disabled.

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;
#[path = "../../support/callback_info.rs"]
mod callback_info;
#[path = "../../support/printk.rs"]
mod printk;

use callback_info::Info;
use livepatch::{
    Callbacks,
    Func,
    Livepatch,
    Object,
    Patch,
    PatchedObject,
    State,
    StateData,
    StateDecl, //
};
use printk::{
    console_loglevel,
    set_console_loglevel,
    CONSOLE_LOGLEVEL_MOTORMOUTH, //
};

livepatch::module_livepatch! {
    type: TestKlpState,
    name: "test_klp_state",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: system state modification",
    license: "GPL",
}

const CONSOLE_LOGLEVEL_STATE: kernel::ffi::c_ulong = 1;
// Version 1 does not support migration.
const CONSOLE_LOGLEVEL_STATE_VERSION: u32 = 1;

// SAFETY: every patch that declares this state keeps the saved console log
// level, an `int`, in its data (upstream's test_klp_state*.c, and their Rust
// counterparts here).
static LOGLEVEL_STATE: State<i32> =
    unsafe { State::new(CONSOLE_LOGLEVEL_STATE, CONSOLE_LOGLEVEL_STATE_VERSION) };
static STATES: [&StateDecl; 1] = [LOGLEVEL_STATE.decl()];

fn loglevel_state(obj: &PatchedObject) -> Result<StateData<'_, i32>> {
    LOGLEVEL_STATE.get(obj).ok_or(EINVAL)
}

fn allocate_loglevel_state(obj: &PatchedObject) -> Result {
    loglevel_state(obj)?.alloc(0)?;
    pr_info!("allocate_loglevel_state: allocating space to store console_loglevel\n");
    Ok(())
}

fn fix_console_loglevel(obj: &PatchedObject) -> Result {
    let state = loglevel_state(obj)?;
    pr_info!("fix_console_loglevel: fixing console_loglevel\n");
    state.set(console_loglevel())?;
    set_console_loglevel(CONSOLE_LOGLEVEL_MOTORMOUTH);
    Ok(())
}

fn restore_console_loglevel(obj: &PatchedObject) -> Result {
    let state = loglevel_state(obj)?;
    pr_info!("restore_console_loglevel: restoring console_loglevel\n");
    set_console_loglevel(state.get().ok_or(EINVAL)?);
    Ok(())
}

fn free_loglevel_state(obj: &PatchedObject) -> Result {
    let state = loglevel_state(obj)?;
    pr_info!("free_loglevel_state: freeing space for the stored console_loglevel\n");
    state.free();
    Ok(())
}

struct LoglevelFix;

#[vtable]
impl Callbacks for LoglevelFix {
    fn pre_patch(obj: &PatchedObject) -> Result {
        pr_info!("pre_patch_callback: {}\n", Info(obj));
        allocate_loglevel_state(obj)
    }

    // The other callbacks cannot fail: like C, they skip what cannot be done.
    fn post_patch(obj: &PatchedObject) {
        pr_info!("post_patch_callback: {}\n", Info(obj));
        let _ = fix_console_loglevel(obj);
    }

    fn pre_unpatch(obj: &PatchedObject) {
        pr_info!("pre_unpatch_callback: {}\n", Info(obj));
        let _ = restore_console_loglevel(obj);
    }

    fn post_unpatch(obj: &PatchedObject) {
        pr_info!("post_unpatch_callback: {}\n", Info(obj));
        let _ = free_loglevel_state(obj);
    }
}

static NO_FUNCS: [Func; 0] = [];
static OBJECTS: [Object; 1] = [Object::vmlinux(&NO_FUNCS).with_callbacks::<LoglevelFix>()];

struct TestKlpState;

impl kernel::Module for TestKlpState {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TestKlpState)
    }
}

impl Livepatch for TestKlpState {
    const PATCH: Patch = Patch::new(&OBJECTS).states(|| &STATES).replace(true);
}
