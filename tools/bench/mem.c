// SPDX-License-Identifier: GPL-2.0
/*
 * msfs-bench: kernel memory per queued message. One process, in a memory
 * cgroup of its own, queues N messages of one size (nobody reads them)
 * and compares the slab caches before and after: the sum over
 * /proc/slabinfo of active objects times object size (the guest boots
 * with slab_nomerge, so each cache is its own), and the cgroup's
 * memory.stat slab and memory.current. Then it takes them all back.
 *
 * The slab delta counts what the messages cost wherever it is charged;
 * the cgroup delta what was charged to the writer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define MAX_CACHES	1024
#define CGROUP		"/sys/fs/cgroup/msfs-bench-mem"

/**
 * struct slab_snap - the slab caches at one moment
 * @n: caches
 * @name: their names
 * @bytes: active objects times object size, of each
 * @total: the sum
 */
struct slab_snap {
	int n;
	char name[MAX_CACHES][64];
	long long bytes[MAX_CACHES];
	long long total;
};

static void slab_read(struct slab_snap *s)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	char line[512];
	long long active, num, objsize;

	if (!f)
		die("/proc/slabinfo: %s", strerror(errno));
	s->n = 0;
	s->total = 0;
	while (fgets(line, sizeof(line), f) && s->n < MAX_CACHES) {
		if (sscanf(line, "%63s %lld %lld %lld", s->name[s->n], &active,
			   &num, &objsize) != 4)
			continue;
		s->bytes[s->n] = active * objsize;
		s->total += s->bytes[s->n];
		s->n++;
	}
	fclose(f);
}

/* A field of the cgroup's memory.stat, or memory.current for NULL. */
static long long cg_read(const char *field)
{
	char line[256], key[64];
	long long v, found = -1;
	FILE *f = fopen(field ? CGROUP "/memory.stat" : CGROUP "/memory.current", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!field)
			found = strtoll(line, NULL, 10);
		else if (field && sscanf(line, "%63s %lld", key, &v) == 2 &&
			 !strcmp(key, field))
			found = v;
	}
	fclose(f);
	return found;
}

static void cg_enter(void)
{
	FILE *f = fopen("/sys/fs/cgroup/cgroup.subtree_control", "w");

	if (f) {
		fputs("+memory", f);
		fclose(f);
	}
	if (mkdir(CGROUP, 0755) && errno != EEXIST)
		die("%s: %s", CGROUP, strerror(errno));
	f = fopen(CGROUP "/cgroup.procs", "w");
	if (!f || fprintf(f, "0\n") < 0 || fclose(f))
		die("%s: cannot enter: %s", CGROUP, strerror(errno));
}

/* The caches that grew most, as "name:bytes/msg;..." */
static void top_caches(const struct slab_snap *a, const struct slab_snap *b,
		       long n, char *out, size_t len)
{
	int i, j, best, shown;
	long long d, bestd;
	bool used[MAX_CACHES] = { false };
	size_t off = 0;

	out[0] = '\0';
	for (shown = 0; shown < 4; shown++) {
		best = -1;
		bestd = n / 2;	/* half a byte a message: noise */
		for (i = 0; i < b->n; i++) {
			for (j = 0; j < a->n && strcmp(a->name[j], b->name[i]); j++)
				;
			d = b->bytes[i] - (j < a->n ? a->bytes[j] : 0);
			if (!used[i] && d > bestd) {
				best = i;
				bestd = d;
			}
		}
		if (best < 0)
			break;
		used[best] = true;
		off += snprintf(out + off, len - off, "%s%s:%.0f", off ? ";" : "",
				b->name[best], (double)bestd / n);
		if (off >= len)
			break;
	}
}

int cmd_mem(const struct bench_opts *o)
{
	static struct slab_snap a, b;
	struct bench_opts d = *o;
	long long cg_slab, cg_cur;
	char *buf, top[512];
	struct queue q;
	long i;

	d.depth = o->count;
	d.writers = 1;
	raise_limits(1024);
	cg_enter();
	buf = calloc(1, BENCH_MAX_MSG + 64);
	if (!buf || queue_create(&q, &d) || q.t->writer_open(&q))
		die("%s: cannot make a queue of %ld messages: %s", o->transport,
		    o->count, strerror(errno));
	/* one message there and back: what the first one sets up is not theirs */
	if (q.t->send(&q, buf, o->size) != (ssize_t)o->size ||
	    q.t->recv(&q, buf, BENCH_MAX_MSG + 64) != (ssize_t)o->size)
		die("%s: first message: %s", o->transport, strerror(errno));
	sleep(1);
	slab_read(&a);
	cg_slab = cg_read("slab");
	cg_cur = cg_read(NULL);
	for (i = 0; i < o->count; i++)
		if (q.t->send(&q, buf, o->size) != (ssize_t)o->size)
			die("%s: message %ld: %s", o->transport, i, strerror(errno));
	slab_read(&b);
	cg_slab = cg_read("slab") - cg_slab;
	cg_cur = cg_read(NULL) - cg_cur;
	top_caches(&a, &b, o->count, top, sizeof(top));
	for (i = 0; i < o->count; i++)
		if (q.t->recv(&q, buf, BENCH_MAX_MSG + 64) != (ssize_t)o->size)
			die("%s: taking message %ld back: %s", o->transport, i,
			    strerror(errno));
	q.t->destroy(&q);
	/* type,transport,size,run,n,slab/msg,cgroup slab/msg,cgroup/msg,caches */
	printf("mem,%s,%zu,%d,%ld,%.1f,%.1f,%.1f,%s\n", o->transport, o->size,
	       o->run, o->count, (double)(b.total - a.total) / o->count,
	       (double)cg_slab / o->count, (double)cg_cur / o->count, top);
	return 0;
}
