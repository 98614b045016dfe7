// SPDX-License-Identifier: GPL-2.0
/*
 * msfs-bench: names. With N slots (or message queues) in existence, the
 * time to open one of them by name as a writer and close it again
 * ("lookup"), and to create a new one and destroy it ("create/destroy":
 * for a slot, the server's open with O_CREAT | O_EXCL and its close; for
 * a queue, mq_open with O_CREAT | O_EXCL, mq_close and mq_unlink).
 * A namespace holds at most max_slots slots (65536 at most): when N is
 * more, as many as it takes are made, and the output says how many.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "bench.h"

/**
 * struct names - the names of one run
 * @o: the options
 * @mq: POSIX message queues, not slots
 * @fd: each slot's server descriptor
 * @n: names that exist
 * @rnd: xorshift state, to open them in no particular order
 */
struct names {
	const struct bench_opts *o;
	bool mq;
	int *fd;
	long n;
	uint64_t rnd;
};

static void path(const struct names *s, char *buf, size_t len, char kind,
		 long i)
{
	if (s->mq)
		snprintf(buf, len, "/b%c%07ld", kind, i);
	else
		snprintf(buf, len, "%s/b%c%07ld", s->o->dir, kind, i);
}

/* Create name @i of @kind; the server's descriptor, or -1 with errno. */
static int create(struct names *s, char kind, long i)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 64 };
	char p[256];
	int fd;

	path(s, p, sizeof(p), kind, i);
	if (!s->mq)
		return open(p, O_RDONLY | O_CREAT | O_EXCL, 0600);
	fd = mq_open(p, O_RDONLY | O_CREAT | O_EXCL, 0600, &attr);
	if (fd >= 0)
		mq_close(fd);
	return fd;
}

static void destroy(struct names *s, char kind, long i, int fd)
{
	char p[256];

	if (!s->mq) {
		close(fd);
		return;
	}
	path(s, p, sizeof(p), kind, i);
	mq_unlink(p);
}

static long pick(struct names *s)
{
	s->rnd ^= s->rnd << 13;
	s->rnd ^= s->rnd >> 7;
	s->rnd ^= s->rnd << 17;
	return s->rnd % s->n;
}

/* Make up to o->count names; the ns each took on average. */
static double fill(struct names *s)
{
	uint64_t t0 = now_ns();
	long i;
	int fd;

	for (i = 0; i < s->o->count; i++) {
		fd = create(s, 'n', i);
		if (fd < 0 && errno == ENOSPC && !s->mq)
			break;
		if (fd < 0)
			die("%s: creating name %ld: %s", s->o->transport, i,
			    strerror(errno));
		s->fd[i] = fd;
	}
	s->n = i;
	/* at the ceiling: make room for create/destroy */
	if (s->n < s->o->count) {
		s->n--;
		destroy(s, 'n', s->n, s->fd[s->n]);
	}
	return s->n ? (double)(now_ns() - t0) / s->n : 0;
}

static double lookup(struct names *s)
{
	uint64_t t0 = now_ns();
	char p[256];
	long k;
	int fd;

	for (k = 0; k < s->o->ops; k++) {
		path(s, p, sizeof(p), 'n', pick(s));
		fd = s->mq ? mq_open(p, O_WRONLY) : open(p, O_WRONLY);
		if (fd < 0)
			die("%s: opening %s: %s", s->o->transport, p, strerror(errno));
		close(fd);
	}
	return (double)(now_ns() - t0) / s->o->ops;
}

static double create_destroy(struct names *s)
{
	uint64_t t0 = now_ns();
	long k;
	int fd;

	for (k = 0; k < s->o->ops; k++) {
		fd = create(s, 'c', k);
		if (fd < 0)
			die("%s: creating a name among %ld: %s", s->o->transport,
			    s->n, strerror(errno));
		destroy(s, 'c', k, fd);
	}
	return (double)(now_ns() - t0) / s->o->ops;
}

int cmd_names(const struct bench_opts *o)
{
	struct names s = { .o = o, .rnd = 0x9e3779b97f4a7c15ULL };
	double fill_ns, lookup_ns, cd_ns;
	long i;

	s.mq = !strcmp(o->transport, "mq");
	if (!s.mq && strcmp(o->transport, "msfs"))
		die("names: msfs or mq, not %s", o->transport);
	raise_limits(o->count + 1024);
	/* the namespace's ceiling, and one user (root too) may reach it */
	if (!s.mq && mount(NULL, o->dir, NULL, MS_REMOUNT,
			   "max_slots=65536,user_slots=65536"))
		die("remount %s -o max_slots=65536,user_slots=65536: %s", o->dir,
		    strerror(errno));
	s.fd = calloc(o->count, sizeof(*s.fd));
	if (!s.fd)
		die("out of memory");
	fill_ns = fill(&s);
	if (!s.n)
		die("%s: no name could be made", o->transport);
	lookup_ns = lookup(&s);
	cd_ns = create_destroy(&s);
	for (i = 0; i < s.n; i++)
		destroy(&s, 'n', i, s.fd[i]);
	/* type,transport,slots asked,run,slots made,fill ns,lookup ns,create+destroy ns */
	printf("names,%s,%ld,%d,%ld,%.0f,%.0f,%.0f\n", o->transport, o->count,
	       o->run, s.n, fill_ns, lookup_ns, cd_ns);
	return 0;
}
