/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C interfaces the safe layer in livepatch/ wraps. bindgen reads this
 * at build time with the kernel's own flags; see Kbuild.
 */
#include <linux/livepatch.h>
