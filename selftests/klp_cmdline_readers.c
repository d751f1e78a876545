// SPDX-License-Identifier: GPL-2.0
/*
 * klp_cmdline_readers N PERIOD_MS [PATCHED] - start N processes that each
 * read /proc/cmdline every PERIOD_MS, a syscall into the function the Rust
 * livepatch replaces, until the process group gets SIGTERM. Each reader
 * prints "running: <pid>" after its first read. They start reading
 * together, once all are forked: forking next to busy siblings is slow
 * under emulation.
 *
 * With PATCHED, the line the livepatch prints, each reader counts the reads
 * that returned /proc/cmdline as it read at the start (the original), the
 * patched text, or anything else, prints "patched: <pid>" at its first
 * patched read, and prints its counts when terminated:
 * "counts: original N patched N other N".
 */

#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static char original[4096];
static char *patched;

static void on_sigterm(int sig)
{
	stop = 1;
}

/* One write per line: lines of many readers do not interleave. */
static void announce(const char *what)
{
	char line[32];
	int len = snprintf(line, sizeof(line), "%s: %d\n", what, getpid());

	if (write(STDOUT_FILENO, line, len) != len)
		_exit(1);
}

/* /proc/cmdline into buf, NUL-terminated; its length, or -1. */
static ssize_t read_cmdline(char *buf, size_t size)
{
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len >= 0)
		buf[len] = '\0';
	return len;
}

static void reader(int start, long period_ms)
{
	struct timespec period = {
		.tv_sec = period_ms / 1000,
		.tv_nsec = (period_ms % 1000) * 1000000,
	};
	long n_original = 0, n_patched = 0, n_other = 0;
	char buf[4096];
	ssize_t len;

	/* Returns at end of file: when the parent closes its end. */
	if (read(start, buf, 1) < 0)
		_exit(1);
	while (!stop) {
		if (read_cmdline(buf, sizeof(buf)) < 0)
			_exit(1);
		if (!strcmp(buf, original)) {
			n_original++;
		} else if (patched && !strcmp(buf, patched)) {
			if (!n_patched++)
				announce("patched");
		} else {
			n_other++;
		}
		if (n_original + n_patched + n_other == 1)
			announce("running");
		nanosleep(&period, NULL);
	}
	if (patched) {
		/* One write: lines of many readers do not interleave. */
		len = snprintf(buf, sizeof(buf), "counts: original %ld patched %ld other %ld\n",
			       n_original, n_patched, n_other);
		if (write(STDOUT_FILENO, buf, len) != len)
			_exit(1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long i, n, period_ms;
	int start[2];
	pid_t pid;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: %s N PERIOD_MS [PATCHED]\n", argv[0]);
		return 2;
	}
	if (argc == 4) {
		if (read_cmdline(original, sizeof(original)) < 0) {
			perror("/proc/cmdline");
			return 1;
		}
		if (asprintf(&patched, "%s\n", argv[3]) < 0) {
			perror("asprintf");
			return 1;
		}
	}
	signal(SIGTERM, on_sigterm);
	n = atol(argv[1]);
	period_ms = atol(argv[2]);
	if (pipe(start)) {
		perror("pipe");
		return 1;
	}

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0) {
			perror("fork");
			kill(0, SIGTERM);
			return 1;
		}
		if (pid == 0) {
			close(start[1]);
			reader(start[0], period_ms);
		}
	}
	close(start[1]);
	while (wait(NULL) > 0)
		;
	return 0;
}
