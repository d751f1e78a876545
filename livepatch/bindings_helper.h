/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C API the safe layer in livepatch/mod.rs wraps. bindgen reads this
 * at build time with the kernel's own flags; see Kbuild.
 */
#include <linux/livepatch.h>
