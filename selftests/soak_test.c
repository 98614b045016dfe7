// SPDX-License-Identifier: GPL-2.0
/*
 * The soak: many slots, writers and servers, messages of random sizes
 * (0 to the maximum), writers that come and go, servers that close with
 * messages queued and start again, names unlinked under them, for
 * MSFS_SOAK_SECONDS (default 120). Then every message a write reported
 * done must have been read exactly once, intact, in its writer's order,
 * unless its slot was closed while it was queued (those are counted).
 *
 * Each process logs what it did; the checker matches them. A slot
 * incarnation is known by its inode number (fstat), a writer by its pid
 * (which MAILSLOT_IOC_RECV reports, so that even empty messages are
 * accounted for), and a message's bytes follow from its writer and
 * sequence number. make check-debug runs it on the debug kernel.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mailslot.h"

#define SLOTS		6
#define WRITERS		6
#define MAX_MSG		16384
#define OPTS		"max_msg_size=16k,slot_msgs=64,total_bytes=8M"

/* log records */
struct wrec {			/* a write reported done */
	__u64 ino;
	__u32 seq;
	__u32 len;
};

struct rrec {			/* a message read, or the end of an incarnation */
	__u64 ino;
	__s32 pid;		/* 0: the incarnation ended */
	__u32 len;		/* or, when it ended: 1 if it was drained */
	__u32 sum;
	__u32 pad;
};

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

/* The bytes of message @seq of writer @w, and their sum. */
static __u32 fill(char *buf, __u32 len, int w, __u32 seq)
{
	unsigned int s = w * 1000003u + seq;
	__u32 sum = 2166136261u, i;

	for (i = 0; i < len; i++) {
		buf[i] = rnd(&s);
		sum = (sum ^ (unsigned char)buf[i]) * 16777619u;
	}
	return sum;
}

static __u32 sum_of(const char *buf, __u32 len)
{
	__u32 sum = 2166136261u, i;

	for (i = 0; i < len; i++)
		sum = (sum ^ (unsigned char)buf[i]) * 16777619u;
	return sum;
}

static long long deadline;

static void slot_path(char *buf, size_t len, const char *dir, int i)
{
	snprintf(buf, len, "%s/soak%d", dir, i);
}

static int writer(const char *dir, const char *logdir, int w)
{
	static char buf[MAX_MSG];
	unsigned int s = getpid();
	char path[256];
	struct stat st;
	struct wrec r;
	__u32 seq = 0;
	int fd, n, log;

	signal(SIGPIPE, SIG_IGN);
	snprintf(path, sizeof(path), "%s/w%d", logdir, getpid());
	log = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (log < 0)
		return 1;
	while (msl_now_ms() < deadline) {
		slot_path(path, sizeof(path), dir, rnd(&s) % SLOTS);
		fd = msl_client(path);
		if (fd < 0 || fstat(fd, &st)) {
			if (fd >= 0 || errno != ENOENT)
				return 2;
			usleep(1000);
			continue;
		}
		for (n = rnd(&s) % 50; n >= 0 && msl_now_ms() < deadline; n--) {
			r.ino = st.st_ino;
			r.seq = seq++;
			r.len = rnd(&s) % 8 ? rnd(&s) % 256 : rnd(&s) % (MAX_MSG + 1);
			fill(buf, r.len, getpid(), r.seq);
			if (write(fd, buf, r.len) == (ssize_t)r.len) {
				if (write(log, &r, sizeof(r)) != sizeof(r))
					return 3;
			} else if (errno == EPIPE) {
				break;		/* the server went */
			} else if (errno != ENOBUFS) {
				return 4;
			}
		}
		close(fd);
	}
	return 0;
}

/* set by the parent once the writers are done: drain, then stop */
static int *stop;

static int stopping(void)
{
	return __atomic_load_n(stop, __ATOMIC_ACQUIRE);
}

/*
 * One incarnation: create, read until a random close or the stop. Returns
 * 1 when it stopped drained, 0 after a random close, -1 on an error.
 */
static int serve_once(const char *path, int log, unsigned int *s)
{
	static char buf[MAX_MSG];
	struct mailslot_recv r;
	struct rrec rec = { 0 };
	long long until = msl_now_ms() + 100 + rnd(s) % 3000;
	struct stat st;
	int fd, drained = 0;

	fd = msl_create(path);
	if (fd < 0 || fstat(fd, &st) || msl_set_timeout(fd, 50))
		return -1;
	rec.ino = st.st_ino;
	while (!drained) {
		memset(&r, 0, sizeof(r));
		r.buf = (unsigned long)buf;
		r.buf_len = sizeof(buf);
		if (ioctl(fd, MAILSLOT_IOC_RECV, &r) >= 0) {
			rec.pid = r.pid;
			rec.len = r.msg_len;
			rec.sum = sum_of(buf, r.msg_len);
			if (write(log, &rec, sizeof(rec)) != sizeof(rec))
				return -1;
		} else if (errno != EAGAIN && errno != EINTR) {
			return -1;
		} else if (errno == EAGAIN && stopping()) {
			drained = 1;
		}
		if (!drained && !stopping() && msl_now_ms() > until)
			break;			/* a random close, queue or not */
	}
	rec.pid = 0;
	rec.len = drained;
	rec.sum = 0;
	if (write(log, &rec, sizeof(rec)) != sizeof(rec))
		return -1;
	close(fd);
	return drained;
}

static int server(const char *dir, const char *logdir, int i)
{
	unsigned int s = getpid();
	char path[256];
	int log, ret;

	snprintf(path, sizeof(path), "%s/s%d", logdir, i);
	log = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (log < 0)
		return 1;
	slot_path(path, sizeof(path), dir, i);
	do {
		ret = serve_once(path, log, &s);
	} while (ret == 0);
	return ret < 0 ? 1 : 0;
}

static int unlinker(const char *dir)
{
	unsigned int s = getpid();
	char path[256];

	while (msl_now_ms() < deadline) {
		usleep(200000 + rnd(&s) % 1000000);
		slot_path(path, sizeof(path), dir, rnd(&s) % SLOTS);
		if (unlink(path) && errno != ENOENT)
			return 1;
	}
	return 0;
}

/* what the checker has read from the logs */
struct session {		/* the writes of one writer into one incarnation */
	int pid;
	__u64 ino;
	struct wrec *w;
	int nw, cap;
	int nread;		/* messages read so far */
};

#define HASH_SIZE 262144

struct soak {
	struct session *ss;
	int nss, cap;
	int *hash;		/* (pid, ino) -> index in ss, + 1 */
	long long written, read, destroyed, bad;
	int *drained;		/* per incarnation in inos: closed drained? */
	__u64 *inos;
	int ninos;
};

static struct session *session_of(struct soak *k, int pid, __u64 ino)
{
	unsigned int h = (pid * 2654435761u ^ (unsigned int)ino * 40503u) % HASH_SIZE;
	struct session *s;

	if (!k->hash)
		k->hash = calloc(HASH_SIZE, sizeof(*k->hash));
	for (; k->hash[h]; h = (h + 1) % HASH_SIZE) {
		s = &k->ss[k->hash[h] - 1];
		if (s->pid == pid && s->ino == ino)
			return s;
	}
	if (k->nss == k->cap) {
		k->cap = k->cap * 2 + 16;
		k->ss = realloc(k->ss, k->cap * sizeof(*k->ss));
	}
	k->ss[k->nss] = (struct session){ .pid = pid, .ino = ino };
	k->hash[h] = ++k->nss;
	return &k->ss[k->nss - 1];
}

static void load_writer(struct soak *k, const char *file, int pid)
{
	struct session *s;
	struct wrec r;
	FILE *f = fopen(file, "r");

	while (f && fread(&r, sizeof(r), 1, f) == 1) {
		s = session_of(k, pid, r.ino);
		if (s->nw == s->cap) {
			s->cap = s->cap * 2 + 16;
			s->w = realloc(s->w, s->cap * sizeof(*s->w));
		}
		s->w[s->nw++] = r;
		k->written++;
	}
	if (f)
		fclose(f);
}

/* A message read must be the next one its writer wrote into that slot. */
static void match_read(struct soak *k, const struct rrec *r)
{
	static char buf[MAX_MSG];
	struct session *s = session_of(k, r->pid, r->ino);
	const struct wrec *w;

	if (s->nread >= s->nw) {
		k->bad++;	/* read but never reported written */
		return;
	}
	w = &s->w[s->nread++];
	if (w->len != r->len || fill(buf, w->len, r->pid, w->seq) != r->sum)
		k->bad++;	/* corrupted, reordered or duplicated */
	k->read++;
}

static void load_server(struct soak *k, const char *file)
{
	struct rrec r;
	FILE *f = fopen(file, "r");

	while (f && fread(&r, sizeof(r), 1, f) == 1) {
		if (r.pid) {
			match_read(k, &r);
			continue;
		}
		k->inos = realloc(k->inos, (k->ninos + 1) * sizeof(*k->inos));
		k->drained = realloc(k->drained, (k->ninos + 1) * sizeof(int));
		k->inos[k->ninos] = r.ino;
		k->drained[k->ninos++] = r.len;
	}
	if (f)
		fclose(f);
}

/* Unread messages are allowed only in incarnations closed with a queue. */
static void account_losses(struct soak *k)
{
	int i, j, drained;

	for (i = 0; i < k->nss; i++) {
		struct session *s = &k->ss[i];

		if (s->nread == s->nw)
			continue;
		drained = -1;
		for (j = 0; j < k->ninos; j++)
			if (k->inos[j] == s->ino)
				drained = k->drained[j];
		if (drained)
			k->bad += s->nw - s->nread;	/* lost from a drained slot */
		else
			k->destroyed += s->nw - s->nread;
	}
}

static int soak_seconds(void)
{
	const char *env = getenv("MSFS_SOAK_SECONDS");

	return env && atoi(env) > 0 ? atoi(env) : 120;
}

FIXTURE(soak) {
	char dir[64];
	char logs[64];
};

FIXTURE_SETUP(soak)
{
	if (!msl_setup(_metadata, self->dir, sizeof(self->dir), OPTS))
		return;
	snprintf(self->logs, sizeof(self->logs), "/tmp/msl-soak.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->logs));
}

FIXTURE_TEARDOWN(soak)
{
	msl_private_end(self->dir);
}

static void run_all(struct __test_metadata *_metadata, const char *dir,
		    const char *logs)
{
	pid_t srv[SLOTS], wr[WRITERS], unl;
	int i;

	stop = mmap(NULL, sizeof(*stop), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, stop);
	deadline = msl_now_ms() + soak_seconds() * 1000LL;
	for (i = 0; i < SLOTS; i++) {
		srv[i] = fork();
		if (srv[i] == 0)
			_exit(server(dir, logs, i));
	}
	usleep(100000);
	for (i = 0; i < WRITERS; i++) {
		wr[i] = fork();
		if (wr[i] == 0)
			_exit(writer(dir, logs, i));
	}
	unl = fork();
	if (unl == 0)
		_exit(unlinker(dir));
	for (i = 0; i < WRITERS; i++)
		EXPECT_EQ(0, msl_wait(wr[i])) TH_LOG("writer %d", i);
	EXPECT_EQ(0, msl_wait(unl));
	__atomic_store_n(stop, 1, __ATOMIC_RELEASE);	/* drain, then stop */
	for (i = 0; i < SLOTS; i++)
		EXPECT_EQ(0, msl_wait(srv[i])) TH_LOG("server %d", i);
}

TEST_F_TIMEOUT(soak, every_reported_write_is_read_once_or_destroyed, 3600)
{
	struct soak k = { 0 };
	char path[512];
	struct dirent *d;
	DIR *dp;

	run_all(_metadata, self->dir, self->logs);
	dp = opendir(self->logs);
	ASSERT_NE(NULL, dp);
	while ((d = readdir(dp))) {
		snprintf(path, sizeof(path), "%s/%s", self->logs, d->d_name);
		if (d->d_name[0] == 'w')
			load_writer(&k, path, atoi(d->d_name + 1));
	}
	rewinddir(dp);
	while ((d = readdir(dp))) {
		snprintf(path, sizeof(path), "%s/%s", self->logs, d->d_name);
		if (d->d_name[0] == 's')
			load_server(&k, path);
		unlink(path);
	}
	closedir(dp);
	rmdir(self->logs);
	account_losses(&k);
	TH_LOG("%lld written, %lld read, %lld destroyed with their slot, %d incarnations",
	       k.written, k.read, k.destroyed, k.ninos);
	EXPECT_EQ(0, k.bad);
	EXPECT_EQ(k.written, k.read + k.destroyed);
	EXPECT_LT(0, k.read);
	EXPECT_LT(SLOTS, k.ninos);	/* servers did restart */
}

MSL_HARNESS_MAIN
