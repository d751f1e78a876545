// SPDX-License-Identifier: GPL-2.0
/*
 * klp_job_target.c - one periodic job in three forms, for livepatch tests
 *
 * The job runs a pass every period_ms; its code is klp_job_format() and
 * klp_job_pass(), or, in the kthread form, inline in the thread's main
 * function. A livepatch replaces that code. The forms differ only in how
 * the job is driven, which decides when a task can switch to new code:
 *
 * mode=kthread    The main function does the job and sleeps in its loop:
 *                 it never returns, so while the job runs, the function
 *                 being patched is always on the thread's stack and the
 *                 thread never switches.
 * mode=freezable  The loop derives the job's format once, then calls the
 *                 helpers and sleeps freezable. The thread switches when
 *                 it sleeps, but the format, derived by the old code,
 *                 lives on in the loop and reaches the new code.
 * mode=workqueue  Each pass is one delayed work item that derives all it
 *                 needs itself: the worker switches between two items
 *                 and nothing crosses that boundary.
 *
 * Whatever the mode, user tasks that read /sys/kernel/debug/klp_job_target/
 * wait block in klp_job_user_wait(), which a livepatch replaces too, until
 * "release" is written: the function is on their stacks all that time, so
 * they can switch only once they have left it. The read returns the version
 * of the code that ran it, and whether the task was still pending (had not
 * switched) when that code returned: where it then switches, on its way
 * back to user space, the reader can see.
 *
 * /sys/kernel/debug/klp_job_target/status counts the passes each version
 * of the code ran, and the stale ones: passes whose format came from the
 * other version. In the workqueue form it also counts the items queued,
 * by the target's own code, whichever version ran the pass: every item
 * queued runs one pass but the last, cancelled when the module goes, so
 * passes lost or counted twice would show. The final counts are logged
 * (pr_debug) when the module goes.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include "klp_job.h"

static char *mode = "workqueue";
module_param(mode, charp, 0400);
MODULE_PARM_DESC(mode, "How the job runs: kthread, freezable or workqueue (default)");

static unsigned int period_ms = 20;
module_param(period_ms, uint, 0400);
MODULE_PARM_DESC(period_ms, "Period of the job in ms, 1 to 10000 (default 20)");

static atomic_long_t passes[KLP_JOB_PATCHED + 1];
static atomic_long_t stale;
static atomic_long_t queued;
static atomic_t last_version;
static struct task_struct *thread;
static struct dentry *debugfs_dir;
static DECLARE_WAIT_QUEUE_HEAD(freezable_wait);
static DECLARE_WAIT_QUEUE_HEAD(user_wait);
static atomic_t user_releases;
static atomic_t user_waiting;

static void klp_job_record(struct klp_job *job, unsigned int version,
			   unsigned int format)
{
	if (WARN_ON_ONCE(version > KLP_JOB_PATCHED))
		return;
	atomic_long_inc(&passes[version]);
	if (format != version)
		atomic_long_inc(&stale);
	atomic_set(&last_version, version);
}

static void klp_job_requeue(struct klp_job *job)
{
	atomic_long_inc(&queued);
	schedule_delayed_work(&job->dwork, msecs_to_jiffies(job->period_ms));
}

static int klp_job_wait(struct klp_job *job)
{
	int releases = atomic_read(&user_releases);
	int ret;

	atomic_inc(&user_waiting);
	ret = wait_event_interruptible(user_wait, atomic_read(&user_releases) != releases);
	atomic_dec(&user_waiting);
	return ret;
}

static struct klp_job job = {
	.record = klp_job_record,
	.requeue = klp_job_requeue,
	.wait = klp_job_wait,
};

/*
 * The job's code. A livepatch replaces these functions: noinline, and
 * __noipa where the compiler has it (gcc), or gcc -O2 (as distribution
 * kernels build) uses the constant klp_job_format() returns in its
 * callers, which never see the new one.
 */

noinline __noipa unsigned int klp_job_format(struct klp_job *job)
{
	return KLP_JOB_ORIGINAL;
}

noinline __noipa void klp_job_pass(struct klp_job *job, unsigned int format)
{
	job->record(job, KLP_JOB_ORIGINAL, format);
}

/* kthread form: the job inline in a main function that never returns. */
noinline int klp_job_kthread(void *data)
{
	struct klp_job *job = data;

	while (!kthread_should_stop()) {
		job->record(job, KLP_JOB_ORIGINAL, KLP_JOB_ORIGINAL);
		msleep_interruptible(job->period_ms);
	}
	return 0;
}

/* freezable form: local state derived once, helpers called in the loop. */
static int klp_job_freezable_kthread(void *data)
{
	struct klp_job *job = data;
	unsigned int format = klp_job_format(job);

	set_freezable();
	while (!kthread_should_stop()) {
		klp_job_pass(job, format);
		wait_event_freezable_timeout(freezable_wait, kthread_should_stop(),
					     msecs_to_jiffies(job->period_ms));
	}
	return 0;
}

/* workqueue form: one pass per item, everything derived inside it. */
noinline void klp_job_work(struct work_struct *work)
{
	struct klp_job *job = container_of(to_delayed_work(work),
					   struct klp_job, dwork);

	klp_job_pass(job, klp_job_format(job));
	job->requeue(job);
}

/*
 * User tasks' reads of "wait". __noipa, as above: gcc -O2 otherwise knows
 * it returns 0 or KLP_JOB_ORIGINAL, and wait_read() prints the constant.
 */
noinline __noipa unsigned int klp_job_user_wait(struct klp_job *job)
{
	return job->wait(job) ? 0 : KLP_JOB_ORIGINAL;
}

static ssize_t wait_read(struct file *file, char __user *buf, size_t len, loff_t *pos)
{
	unsigned int version = klp_job_user_wait(&job);
	bool pending = klp_patch_pending(current);
	char line[32];
	int n;

	if (!version)
		return -ERESTARTSYS;
	n = snprintf(line, sizeof(line), "%u %s\n", version,
		     pending ? "pending" : "switched");
	return simple_read_from_buffer(buf, len, pos, line, n);
}

static const struct file_operations wait_fops = {
	.owner = THIS_MODULE,
	.read = wait_read,
};

static ssize_t release_write(struct file *file, const char __user *buf, size_t len,
			     loff_t *pos)
{
	atomic_inc(&user_releases);
	wake_up_all(&user_wait);
	return len;
}

static const struct file_operations release_fops = {
	.owner = THIS_MODULE,
	.write = release_write,
};

static int status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "mode: %s\n", mode);
	seq_printf(m, "original: %ld\n", atomic_long_read(&passes[KLP_JOB_ORIGINAL]));
	seq_printf(m, "patched: %ld\n", atomic_long_read(&passes[KLP_JOB_PATCHED]));
	seq_printf(m, "stale: %ld\n", atomic_long_read(&stale));
	seq_printf(m, "queued: %ld\n", atomic_long_read(&queued));
	seq_printf(m, "last: %d\n", atomic_read(&last_version));
	seq_printf(m, "pid: %d\n", thread ? task_pid_nr(thread) : -1);
	seq_printf(m, "waiting: %d\n", atomic_read(&user_waiting));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static int klp_job_target_init(void)
{
	int (*threadfn)(void *) = NULL;

	if (period_ms < 1 || period_ms > 10000) {
		pr_err("period_ms=%u out of range 1..10000\n", period_ms);
		return -EINVAL;
	}
	job.period_ms = period_ms;

	if (!strcmp(mode, "kthread")) {
		threadfn = klp_job_kthread;
	} else if (!strcmp(mode, "freezable")) {
		threadfn = klp_job_freezable_kthread;
	} else if (strcmp(mode, "workqueue")) {
		pr_err("mode=%s unknown: use kthread, freezable or workqueue\n", mode);
		return -EINVAL;
	}

	debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("status", 0444, debugfs_dir, NULL, &status_fops);
	debugfs_create_file("wait", 0444, debugfs_dir, NULL, &wait_fops);
	debugfs_create_file("release", 0200, debugfs_dir, NULL, &release_fops);

	if (threadfn) {
		thread = kthread_run(threadfn, &job, "klp_job_%s", mode);
		if (IS_ERR(thread)) {
			int ret = PTR_ERR(thread);

			thread = NULL;
			debugfs_remove_recursive(debugfs_dir);
			return ret;
		}
	} else {
		INIT_DELAYED_WORK(&job.dwork, klp_job_work);
		klp_job_requeue(&job);
	}
	pr_info("%s: running the job every %u ms\n", mode, period_ms);
	return 0;
}

static void klp_job_target_exit(void)
{
	if (thread)
		kthread_stop(thread);
	else
		cancel_delayed_work_sync(&job.dwork);
	/* Tasks still in a read of "wait" return: their calls end the removal. */
	atomic_inc(&user_releases);
	wake_up_all(&user_wait);
	debugfs_remove_recursive(debugfs_dir);
	/* Final counts, for the stress run: the job cannot change them now. */
	pr_debug("%s: passes: original %ld patched %ld stale %ld, queued %ld\n", mode,
		 atomic_long_read(&passes[KLP_JOB_ORIGINAL]),
		 atomic_long_read(&passes[KLP_JOB_PATCHED]),
		 atomic_long_read(&stale), atomic_long_read(&queued));
	pr_info("%s: stopped\n", mode);
}

module_init(klp_job_target_init);
module_exit(klp_job_target_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch test target: a periodic job as kthread, freezable kthread or work items");
