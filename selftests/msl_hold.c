// SPDX-License-Identifier: GPL-2.0
/*
 * msl_hold PATH: create the slot PATH, print "ready" and hold it (its
 * server descriptor open) until killed. A helper of module_test.sh.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: msl_hold PATH\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
