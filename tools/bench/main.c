// SPDX-License-Identifier: GPL-2.0
/*
 * msfs-bench: the measuring half of `make bench`, run in the guest by
 * tools/bench/guest.sh. Each command prints one CSV line on stdout (see
 * tools/bench/report for the columns) and exits 0, or prints why on
 * stderr and exits 1: a lost, duplicated, reordered or damaged message
 * fails the command.
 *
 *   msfs-bench tput  -t T -s SIZE -w W [-d SECONDS] [-q DEPTH]
 *	W writer processes send SIZE-byte messages to one reader for
 *	SECONDS; every message is checked (length, writer, sequence)
 *   msfs-bench lat   -t T -s SIZE -w W [-n SAMPLES]
 *	one-way latency: each writer sends a message and waits until the
 *	reader has it, SAMPLES times
 *   msfs-bench mem   -t T -s SIZE -n N
 *	kernel memory of N queued messages (slab and memory cgroup)
 *   msfs-bench names -t msfs|mq -n SLOTS [-k OPS]
 *	the cost of opening an existing name, and of creating and
 *	destroying one, among SLOTS names
 *   msfs-bench remote -t msfs|udp -a NS_A -b NS_B -i ADDR_B [-d SECONDS]
 *	a sender in NS_A floods ADDR_B (in NS_B) with NetBIOS datagrams
 *	carrying 424-byte mailslot writes; a reader in NS_B takes them
 *	from a slot (msfs) or from a UDP socket on port 138 (udp)
 *
 * Transports T: msfs (mailslotfs at -m DIR, default /mailslot), mq
 * (POSIX message queue), dgram and seqpacket (AF_UNIX), pipe. -r RUN is
 * copied to the output. tput and lat -p pin the reader to the first CPU
 * and the writers to the second (a diagnostic: make bench lets the
 * scheduler place them). tput -x lose|dup|swap tests the checks: its
 * first writer's stream skips, repeats or swaps a message, and the run
 * must fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Sleep while *@addr is @val (shared between processes). */
void futex_wait(uint32_t *addr, uint32_t val)
{
	while (__atomic_load_n(addr, __ATOMIC_ACQUIRE) == val)
		syscall(SYS_futex, addr, FUTEX_WAIT, val, NULL, NULL, 0);
}

void futex_wake(uint32_t *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0);
}

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "msfs-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* Zeroed memory that forked processes share. */
void *shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	return p;
}

/*
 * Room for @fds descriptors and for message queues of any size, as far
 * as we may (root in the guest may; what cannot be had fails later).
 */
void raise_limits(long fds)
{
	struct rlimit nofile = { fds, fds };
	struct rlimit mq = { RLIM_INFINITY, RLIM_INFINITY };

	if (setrlimit(RLIMIT_NOFILE, &nofile) &&
	    !getrlimit(RLIMIT_NOFILE, &nofile)) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	setrlimit(RLIMIT_MSGQUEUE, &mq);
}

/* Run on CPU @cpu (modulo the CPUs there are) from now on. */
void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % sysconf(_SC_NPROCESSORS_ONLN), &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity: %s", strerror(errno));
}

static int bad_usage(void)
{
	fprintf(stderr,
		"usage: msfs-bench tput|lat|mem|names|remote -t TRANSPORT [-m DIR]\n"
		"       [-s SIZE] [-w WRITERS] [-d SECONDS] [-n COUNT] [-k OPS]\n"
		"       [-q DEPTH] [-a NS_A] [-b NS_B] [-i ADDR_B] [-r RUN]\n"
		"       [-x lose|dup|swap] [-p]\n");
	return 2;
}

static long parse_number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (*s == '\0' || *end != '\0' || v < 0)
		die("not a number: %s", s);
	return v;
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "t:m:s:w:d:n:k:q:a:b:i:r:x:p")) != -1) {
		switch (c) {
		case 't':
			o->transport = optarg;
			break;
		case 'm':
			o->dir = optarg;
			break;
		case 's':
			o->size = parse_number(optarg);
			break;
		case 'w':
			o->writers = parse_number(optarg);
			break;
		case 'd':
			o->seconds = atof(optarg);
			break;
		case 'n':
			o->count = parse_number(optarg);
			break;
		case 'k':
			o->ops = parse_number(optarg);
			break;
		case 'q':
			o->depth = parse_number(optarg);
			break;
		case 'a':
			o->ns_a = optarg;
			break;
		case 'b':
			o->ns_b = optarg;
			break;
		case 'i':
			o->addr_b = optarg;
			break;
		case 'r':
			o->run = parse_number(optarg);
			break;
		case 'x':
			o->inject = optarg;
			break;
		case 'p':
			o->pin = true;
			break;
		default: return -1;
		}
	}
	if (!o->transport || optind != argc || o->size > BENCH_MAX_MSG ||
	    o->writers < 1 || o->writers > BENCH_MAX_WRITERS ||
	    o->seconds <= 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(const struct bench_opts *o);
	} cmds[] = {
		{ "tput", cmd_tput }, { "lat", cmd_lat }, { "mem", cmd_mem },
		{ "names", cmd_names }, { "remote", cmd_remote },
	};
	struct bench_opts o = {
		.dir = "/mailslot", .size = 64, .writers = 1, .seconds = 1,
		.count = 1000, .ops = 2000,
	};
	size_t i;

	if (argc < 2)
		return bad_usage();
	if (parse(argc - 1, argv + 1, &o))
		return bad_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(&o);
	return bad_usage();
}
