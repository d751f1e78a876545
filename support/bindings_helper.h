/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C interface of the test target klp_job_target, for support/job.rs.
 * bindgen reads this at build time with the kernel's own flags; see Kbuild.
 */
#include "../selftests/test_modules/klp_job.h"
