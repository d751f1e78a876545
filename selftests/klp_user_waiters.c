// SPDX-License-Identifier: GPL-2.0
/*
 * klp_user_waiters N FILE - start N processes that each read FILE again
 * and again, a read that blocks in the kernel until the test releases it
 * (klp_job_target's "wait"), and print one line per read that returned:
 * "read: <pid> <what it read> <patch state>", the patch state being the
 * process's own (/proc/self/patch_state), read first thing back in user
 * space. Each prints "waiting: <pid>" before its first read. SIGTERM
 * interrupts the reads: the processes exit, and this program exits 0 if
 * every one of them exited 0.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_sigterm(int sig)
{
	stop = 1;
}

/* One write per line: lines of many processes do not interleave. */
static void say(const char *what, const char *text)
{
	char line[64];
	int len = snprintf(line, sizeof(line), "%s: %d%s%s\n", what, getpid(),
			   *text ? " " : "", text);

	if (write(STDOUT_FILENO, line, len) != len)
		_exit(1);
}

static void waiter(const char *file)
{
	char buf[32], state[8], line[48];
	ssize_t len, slen;
	int fd, sfd;

	say("waiting", "");
	while (!stop) {
		fd = open(file, O_RDONLY);
		sfd = open("/proc/self/patch_state", O_RDONLY);
		if (fd < 0 || sfd < 0)
			_exit(1);
		len = read(fd, buf, sizeof(buf) - 1);
		/* First thing after the read: where did this process switch? */
		slen = read(sfd, state, sizeof(state) - 1);
		close(sfd);
		close(fd);
		if (len < 0)
			_exit(stop && errno == EINTR ? 0 : 1);
		if (slen <= 0)
			_exit(1);
		buf[len] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		state[slen] = '\0';
		state[strcspn(state, "\n")] = '\0';
		snprintf(line, sizeof(line), "%s %s", buf, state);
		say("read", line);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigterm };
	int status, failed = 0;
	long i, n;
	pid_t pid;

	if (argc != 3) {
		fprintf(stderr, "usage: %s N FILE\n", argv[0]);
		return 2;
	}
	/* No SA_RESTART: a read interrupted by SIGTERM fails with EINTR. */
	sigaction(SIGTERM, &sa, NULL);
	n = atol(argv[1]);
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0) {
			perror("fork");
			kill(0, SIGTERM);
			return 1;
		}
		if (pid == 0)
			waiter(argv[2]);
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	if (failed)
		fprintf(stderr, "%d of %ld waiters failed\n", failed, n);
	return failed ? 1 : 0;
}
