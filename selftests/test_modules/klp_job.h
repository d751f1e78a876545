/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klp_job.h - what klp_job_target shares with the livepatches of its job
 *
 * The functions a livepatch replaces take a struct klp_job; the Rust
 * livepatch gets its layout from this header through bindgen.
 */
#ifndef _KLP_JOB_H
#define _KLP_JOB_H

#include <linux/workqueue.h>

/*
 * Versions of the job's code. A pass is recorded with the version of the
 * code that ran it and the version of the code that derived its format;
 * they differ when state outlived a switch between old and new code.
 */
#define KLP_JOB_ORIGINAL	1
#define KLP_JOB_PATCHED		2

struct klp_job {
	unsigned int period_ms;
	/* Accounts one pass (not patched: both versions call it). */
	void (*record)(struct klp_job *job, unsigned int version,
		       unsigned int format);
	/* Queues the next pass (workqueue form). */
	void (*requeue)(struct klp_job *job);
	/*
	 * Blocks the calling user task until the test releases the tasks that
	 * wait (the "release" file); 0, or -ERESTARTSYS for a signal.
	 */
	int (*wait)(struct klp_job *job);
	struct delayed_work dwork;
};

/* The job's code, which a livepatch replaces. */
unsigned int klp_job_format(struct klp_job *job);
void klp_job_pass(struct klp_job *job, unsigned int format);
int klp_job_kthread(void *data);
void klp_job_work(struct work_struct *work);
/*
 * A user task's read of the "wait" file: blocks in job->wait(), then
 * returns the version of the code that ran it, or 0 for a signal. A task
 * blocked there has this function on its stack.
 */
unsigned int klp_job_user_wait(struct klp_job *job);

#endif /* _KLP_JOB_H */
