// SPDX-License-Identifier: GPL-2.0
/*
 * klp_cmdline_readers N PERIOD_MS - start N processes that each read
 * /proc/cmdline every PERIOD_MS, a syscall into the function the Rust
 * livepatch replaces, until the process group gets SIGTERM. Prints
 * "ready" once all N are running. They start reading together, once all
 * are forked: forking next to busy siblings is slow under emulation.
 */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void reader(int start, long period_ms)
{
	struct timespec period = {
		.tv_sec = period_ms / 1000,
		.tv_nsec = (period_ms % 1000) * 1000000,
	};
	char buf[4096];
	int fd;

	/* Returns at end of file: when the parent closes its end. */
	if (read(start, buf, 1) < 0)
		_exit(1);
	for (;;) {
		fd = open("/proc/cmdline", O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf)) < 0)
			_exit(1);
		close(fd);
		nanosleep(&period, NULL);
	}
}

int main(int argc, char **argv)
{
	long i, n, period_ms;
	int start[2];
	pid_t pid;

	if (argc != 3) {
		fprintf(stderr, "usage: %s N PERIOD_MS\n", argv[0]);
		return 2;
	}
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
	printf("ready\n");
	fflush(stdout);
	while (wait(NULL) > 0)
		;
	return 0;
}
