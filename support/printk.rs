// SPDX-License-Identifier: GPL-2.0

//! The console log level, which upstream's system-state tests change.
//!
//! C header: [`include/linux/printk.h`](srctree/include/linux/printk.h)

// Each test module mounts this file, as `mod <file name>;` at its crate root,
// and uses part of it.
#![allow(dead_code, unreachable_pub, unused_imports, unused_macros)]

use kernel::{
    bindings,
    ffi, //
};

/// Print all messages on the console (C: `CONSOLE_LOGLEVEL_MOTORMOUTH`).
pub const CONSOLE_LOGLEVEL_MOTORMOUTH: i32 = bindings::CONSOLE_LOGLEVEL_MOTORMOUTH as i32;

fn console_loglevel_ptr() -> *mut ffi::c_int {
    // `console_loglevel` is `console_printk[0]`.
    (&raw mut bindings::console_printk).cast()
}

/// The console log level (C: `console_loglevel`).
pub fn console_loglevel() -> i32 {
    // SAFETY: `console_printk[0]` is a valid `int` for the kernel's
    // lifetime; others write it concurrently, so read it once, as C's
    // `READ_ONCE()`.
    unsafe { console_loglevel_ptr().read_volatile() }
}

/// Sets the console log level (C: `console_loglevel = level`).
pub fn set_console_loglevel(level: i32) {
    // SAFETY: as in `console_loglevel`, for one write (C's `WRITE_ONCE()`).
    unsafe { console_loglevel_ptr().write_volatile(level) }
}
