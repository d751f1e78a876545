// SPDX-License-Identifier: GPL-2.0

//! What upstream's callback samples and tests print for the object a
//! callback runs for (C: `callback_info()` and its `module_state[]`):
//! `vmlinux`, or `<module> -> <state>`.
//!
//! ```ignore
//! pr_info!("pre_patch_callback: {}\n", Info(obj));
//! ```

// Each module mounts this file, as `mod <file name>;` at its crate root.
#![allow(unreachable_pub)]

use crate::livepatch::{
    ModuleState,
    PatchedObject, //
};
use kernel::fmt;

/// An object, as the C samples print it.
pub struct Info<'a>(pub &'a PatchedObject);

impl fmt::Display for Info<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(module) = self.0.module() else {
            return f.write_str("vmlinux");
        };
        fmt::Display::fmt(module.name(), f)?;
        f.write_str(match module.state() {
            ModuleState::Live => " -> [MODULE_STATE_LIVE] Normal state",
            ModuleState::Coming => " -> [MODULE_STATE_COMING] Full formed, running module_init",
            ModuleState::Going => " -> [MODULE_STATE_GOING] Going away",
            ModuleState::Unformed => " -> [MODULE_STATE_UNFORMED] Still setting it up",
        })
    }
}
