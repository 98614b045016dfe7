// SPDX-License-Identifier: GPL-2.0
/*
 * msl_hold PATH [MODE]: create the slot PATH (with MODE, octal, less the
 * umask; default 0666), print "ready" and hold it (its server descriptor
 * open) until killed. A helper of module_test.sh and trinity_test.sh.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: msl_hold PATH [MODE]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CREAT | O_EXCL,
		  argc == 3 ? (int)strtol(argv[2], NULL, 8) : 0666);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
