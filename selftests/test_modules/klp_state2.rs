// SPDX-License-Identifier: GPL-2.0

// The body of `test_klp_state2` and `test_klp_state3`, which differ only in
// their names (upstream's `test_klp_state3.c` includes `test_klp_state2.c`):
// a cumulative patch declaring version 2 of the state "console_loglevel
// changed", which takes over the change from an earlier patch that made it.

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

const CONSOLE_LOGLEVEL_STATE: kernel::ffi::c_ulong = 1;
// Version 2 supports migration.
const CONSOLE_LOGLEVEL_STATE_VERSION: u32 = 2;

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
    let state = loglevel_state(obj)?;
    if LOGLEVEL_STATE.prev(obj).is_some() {
        pr_info!("allocate_loglevel_state: space to store console_loglevel already allocated\n");
        return Ok(());
    }
    state.alloc(0)?;
    pr_info!("allocate_loglevel_state: allocating space to store console_loglevel\n");
    Ok(())
}

fn fix_console_loglevel(obj: &PatchedObject) -> Result {
    let state = loglevel_state(obj)?;
    if let Some(prev) = LOGLEVEL_STATE.prev(obj) {
        pr_info!("fix_console_loglevel: taking over the console_loglevel change\n");
        state.take_over(&prev);
        return Ok(());
    }
    pr_info!("fix_console_loglevel: fixing console_loglevel\n");
    state.set(console_loglevel())?;
    set_console_loglevel(CONSOLE_LOGLEVEL_MOTORMOUTH);
    Ok(())
}

fn restore_console_loglevel(obj: &PatchedObject) -> Result {
    let state = loglevel_state(obj)?;
    if LOGLEVEL_STATE.prev(obj).is_some() {
        pr_info!(
            "restore_console_loglevel: passing the console_loglevel change back to the old livepatch\n"
        );
        return Ok(());
    }
    pr_info!("restore_console_loglevel: restoring console_loglevel\n");
    set_console_loglevel(state.get().ok_or(EINVAL)?);
    Ok(())
}

fn free_loglevel_state(obj: &PatchedObject) -> Result {
    let state = loglevel_state(obj)?;
    if LOGLEVEL_STATE.prev(obj).is_some() {
        pr_info!("free_loglevel_state: keeping space to store console_loglevel\n");
        return Ok(());
    }
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

struct TestKlpState2;

impl kernel::Module for TestKlpState2 {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TestKlpState2)
    }
}

impl Livepatch for TestKlpState2 {
    const PATCH: Patch = Patch::new(&OBJECTS).states(|| &STATES).replace(true);
}
