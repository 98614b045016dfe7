// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs under concurrency: many writers and one reader with
 * sequence numbers and checksums, several reader threads sharing the
 * server, the server closing while writers and readers sleep, unlink
 * racing open, servers coming and going under their clients.
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "kselftest_harness.h"
#include "mailslot.h"

#define WRITERS		8
#define PER_WRITER	10000
#define MAX_TAIL	240

struct rec {
	__u32 writer;
	__u32 seq;
	__u32 len;
	__u32 sum;
	unsigned char data[MAX_TAIL];
};

#define HDR	offsetof(struct rec, data)

static __u32 fnv(const void *p, size_t n, __u32 h)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 16777619u;
	return h;
}

static __u32 rec_sum(const struct rec *r)
{
	return fnv(r->data, r->len, fnv(r, 3 * sizeof(__u32), 2166136261u));
}

static void rec_make(struct rec *r, __u32 writer, __u32 seq,
		     unsigned int *seed)
{
	__u32 i;

	r->writer = writer;
	r->seq = seq;
	r->len = rand_r(seed) % (MAX_TAIL + 1);
	for (i = 0; i < r->len; i++)
		r->data[i] = rand_r(seed);
	r->sum = rec_sum(r);
}

/* Check one message against what its writer must have sent next. */
static int rec_check(const struct rec *r, ssize_t n, __u32 *next,
		     __u32 writers)
{
	if (n < (ssize_t)HDR || r->writer >= writers)
		return -1;
	if ((size_t)n != HDR + r->len || r->sum != rec_sum(r))
		return -2;		/* corrupted, split or merged */
	if (next && r->seq != next[r->writer]++)
		return -3;		/* lost, duplicated or reordered */
	return 0;
}

static int run_writer(const char *path, __u32 id, __u32 count)
{
	unsigned int seed = id * 7919 + 1;
	struct rec r;
	__u32 seq;
	int fd = msl_client(path);

	if (fd < 0)
		return 1;
	for (seq = 0; seq < count; seq++) {
		rec_make(&r, id, seq, &seed);
		if (write(fd, &r, HDR + r.len) != (ssize_t)(HDR + r.len))
			return 2;
	}
	close(fd);
	return 0;
}

FIXTURE(ns) {
	char dir[64];
	char path[256];
};

FIXTURE_SETUP(ns)
{
	msl_setup(_metadata, self->dir, sizeof(self->dir), NULL);
	snprintf(self->path, sizeof(self->path), "%s/stress", self->dir);
}

FIXTURE_TEARDOWN(ns)
{
	msl_private_end(self->dir);
}

/*
 * Read @total records from @srv, each checked against what its writer
 * (of @writers) must have sent next; stops at the first bad one.
 * Returns 0, or rec_check()'s verdict on it.
 */
static int read_records(struct __test_metadata *_metadata, int srv,
			__u32 *next, __u32 writers, int total)
{
	struct rec r;
	int i, bad = 0;
	ssize_t n;

	for (i = 0; i < total && !bad; i++) {
		n = read(srv, &r, sizeof(r));
		bad = rec_check(&r, n, next, writers);
		if (bad)
			TH_LOG("message %d: bad %d (%zd bytes)", i, bad, n);
	}
	return bad;
}

/* Each of @writers exited well after sending @each; nothing is left. */
static void expect_all_read(struct __test_metadata *_metadata, int srv,
			    const pid_t *pid, const __u32 *next,
			    __u32 writers, __u32 each)
{
	struct rec r;
	__u32 i;

	for (i = 0; i < writers; i++) {
		EXPECT_EQ(0, msl_wait(pid[i]));
		EXPECT_EQ(each, next[i]);
	}
	ASSERT_EQ(0, msl_set_timeout(srv, 0));
	EXPECT_EQ(-1, read(srv, &r, sizeof(r)));	/* nothing extra */
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F_TIMEOUT(ns, eight_writers_one_reader_lose_nothing, 600)
{
	__u32 next[WRITERS] = { 0 };
	pid_t pid[WRITERS];
	int srv, i;

	srv = msl_create(self->path);
	ASSERT_LE(0, srv);
	for (i = 0; i < WRITERS; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(run_writer(self->path, i, PER_WRITER));
	}
	EXPECT_EQ(0, read_records(_metadata, srv, next, WRITERS,
				  WRITERS * PER_WRITER));
	expect_all_read(_metadata, srv, pid, next, WRITERS, PER_WRITER);
	close(srv);
}

/* A slot that holds one message: every other writer sleeps. */
FIXTURE(one) {
	char dir[64];
	char path[256];
};

FIXTURE_SETUP(one)
{
	msl_setup(_metadata, self->dir, sizeof(self->dir), "slot_msgs=1");
	snprintf(self->path, sizeof(self->path), "%s/one", self->dir);
}

FIXTURE_TEARDOWN(one)
{
	msl_private_end(self->dir);
}

#define MANY		100	/* more than a wake-up walks in one go (64) */
#define MANY_EACH	20

static void on_signal(int sig)
{
}

/* Until killed: SIGUSR1 to each of @n writers, again and again. */
static void signaller(const pid_t *pid, int n)
{
	int i;

	for (;;) {
		for (i = 0; i < n; i++)
			kill(pid[i], SIGUSR1);
		usleep(2000);
	}
}

/*
 * A hundred writers asleep on a full slot, their writes interrupted by
 * signals all along (SA_RESTART: an interrupted write starts again). A
 * write that a read had queued must not be restarted (a duplicate), nor
 * one that was interrupted be lost: every message arrives once, in each
 * writer's order.
 */
TEST_F_TIMEOUT(one, a_hundred_writers_asleep_under_signals_lose_nothing, 600)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	__u32 next[MANY] = { 0 };
	pid_t pid[MANY], sig;
	int srv, i, bad;

	srv = msl_create(self->path);
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));	/* the writers inherit it */
	for (i = 0; i < MANY; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(run_writer(self->path, i, MANY_EACH));
	}
	sig = fork();
	if (sig == 0)
		signaller(pid, MANY);
	bad = read_records(_metadata, srv, next, MANY, MANY * MANY_EACH);
	kill(sig, SIGKILL);
	msl_wait(sig);
	EXPECT_EQ(0, bad);
	expect_all_read(_metadata, srv, pid, next, MANY, MANY_EACH);
	close(srv);
}

struct reader {
	int fd;
	__u32 *seen;		/* times each (writer, seq) was read */
	pthread_mutex_t *lock;
	int got, bad;
};

#define RT_WRITERS	4
#define RT_PER		2000

static void *reader_thread(void *arg)
{
	struct reader *rd = arg;
	struct rec r;
	ssize_t n;

	for (;;) {
		n = read(rd->fd, &r, sizeof(r));
		if (n <= 0)
			break;		/* the end (an empty message), or an error */
		if (rec_check(&r, n, NULL, RT_WRITERS) || r.seq >= RT_PER) {
			rd->bad++;
			continue;
		}
		pthread_mutex_lock(rd->lock);
		rd->seen[r.writer * RT_PER + r.seq]++;
		pthread_mutex_unlock(rd->lock);
		rd->got++;
	}
	return NULL;
}

TEST_F_TIMEOUT(ns, reader_threads_share_the_server_exactly_once, 600)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static __u32 seen[RT_WRITERS * RT_PER];
	struct reader rd[4];
	pthread_t t[4];
	pid_t pid[RT_WRITERS];
	int srv, cli, i, total = 0, once = 0;

	srv = msl_create(self->path);
	ASSERT_LE(0, srv);
	for (i = 0; i < 4; i++) {
		rd[i] = (struct reader){ .fd = srv, .seen = seen, .lock = &lock };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, reader_thread, &rd[i]));
	}
	for (i = 0; i < RT_WRITERS; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(run_writer(self->path, i, RT_PER));
	}
	for (i = 0; i < RT_WRITERS; i++)
		EXPECT_EQ(0, msl_wait(pid[i]));
	/* everything is queued: one empty message ends each reader */
	cli = msl_client(self->path);
	ASSERT_LE(0, cli);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, write(cli, "", 0));
	close(cli);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, rd[i].bad);
		total += rd[i].got;
	}
	EXPECT_EQ(RT_WRITERS * RT_PER, total);
	for (i = 0; i < RT_WRITERS * RT_PER; i++)
		once += seen[i] == 1;
	EXPECT_EQ(RT_WRITERS * RT_PER, once);
	close(srv);
}

/* Writers that fill the slot, then sleep until the server goes. */
static int blocked_writer(const char *path)
{
	int fd;

	signal(SIGPIPE, SIG_IGN);
	fd = msl_client(path);
	if (fd < 0)
		return errno == ENOENT ? 0 : 1;	/* the server went first */
	while (write(fd, "blocked", 7) == 7)
		;
	return errno == EPIPE ? 0 : 2;
}

TEST_F_TIMEOUT(ns, server_close_races_blocked_writers, 600)
{
	char dir[64], path[256];
	pid_t pid[16];
	int round, i, srv, n;
	char buf[16];

	if (!msl_setup(_metadata, dir, sizeof(dir), "slot_msgs=4"))
		return;
	snprintf(path, sizeof(path), "%s/race", dir);
	for (round = 0; round < 20; round++) {
		srv = msl_create(path);
		ASSERT_LE(0, srv);
		for (i = 0; i < 16; i++) {
			pid[i] = fork();
			if (pid[i] == 0) {
				close(srv);
				_exit(blocked_writer(path));
			}
		}
		for (n = round * 3; n > 0; n--)
			read(srv, buf, sizeof(buf));
		close(srv);
		for (i = 0; i < 16; i++)
			EXPECT_EQ(0, msl_wait(pid[i])) TH_LOG("round %d", round);
	}
	msl_private_end(dir);
}

struct blocked_read {
	int fd;
	pid_t tid;		/* the thread's, once it runs */
	ssize_t n;
	char buf[16];
};

static void *blocked_read(void *arg)
{
	struct blocked_read *b = arg;

	__atomic_store_n(&b->tid, gettid(), __ATOMIC_SEQ_CST);
	b->n = read(b->fd, b->buf, sizeof(b->buf));
	return NULL;
}

TEST_F(ns, server_close_races_a_blocked_reader_thread)
{
	struct blocked_read b = { .n = -2 };
	struct stat st;
	pthread_t t;
	int cli;

	b.fd = msl_create(self->path);
	cli = msl_client(self->path);
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, pthread_create(&t, NULL, blocked_read, &b));
	ASSERT_TRUE(msl_until(__atomic_load_n(&b.tid, __ATOMIC_SEQ_CST), 10000));
	ASSERT_TRUE(msl_wait_asleep(b.tid));
	/* the reader holds the file: closing the descriptor is not the last close */
	close(b.fd);
	EXPECT_EQ(0, stat(self->path, &st));
	ASSERT_EQ(4, write(cli, "wake", 4));
	pthread_join(t, NULL);
	EXPECT_EQ(4, b.n);
	EXPECT_EQ(-1, stat(self->path, &st));	/* now it was */
	close(cli);
}

TEST_F(ns, server_close_races_a_blocked_reader_process)
{
	struct stat st;
	int srv, cli;
	pid_t pid;
	char buf[8];

	srv = msl_create(self->path);
	cli = msl_client(self->path);
	ASSERT_LE(0, cli);
	pid = fork();
	if (pid == 0)
		_exit(read(srv, buf, sizeof(buf)) == 1 ? 0 : 1);
	ASSERT_TRUE(msl_wait_asleep(pid));
	close(srv);		/* the child is the server now */
	EXPECT_EQ(0, stat(self->path, &st));
	ASSERT_EQ(1, write(cli, "x", 1));
	EXPECT_EQ(0, msl_wait(pid));
	EXPECT_EQ(-1, stat(self->path, &st));
	signal(SIGPIPE, SIG_IGN);
	EXPECT_EQ(-1, write(cli, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	close(cli);
}

struct race {
	const char *path;
	pthread_barrier_t *go;
	int rounds, opened, written, bad;
};

static void *unlinker(void *arg)
{
	struct race *r = arg;
	int i;

	for (i = 0; i < r->rounds; i++) {
		pthread_barrier_wait(r->go);
		if (unlink(r->path) && errno != ENOENT)
			r->bad++;
		pthread_barrier_wait(r->go);
	}
	return NULL;
}

TEST_F_TIMEOUT(ns, unlink_races_open, 600)
{
	pthread_barrier_t go;
	struct race r = { .path = self->path, .go = &go, .rounds = 2000 };
	pthread_t t;
	char buf[8];
	int i, srv, cli, got;

	ASSERT_EQ(0, pthread_barrier_init(&go, NULL, 2));
	ASSERT_EQ(0, pthread_create(&t, NULL, unlinker, &r));
	for (i = 0; i < r.rounds; i++) {
		srv = msl_create(self->path);
		ASSERT_LE(0, srv);
		ASSERT_EQ(0, msl_set_timeout(srv, 0));
		pthread_barrier_wait(&go);
		cli = msl_client(self->path);
		if (cli >= 0) {
			r.opened++;
			/* the server lives: the write must land */
			if (write(cli, "x", 1) == 1)
				r.written++;
			close(cli);
		} else if (errno != ENOENT) {
			r.bad++;
		}
		pthread_barrier_wait(&go);
		for (got = 0; read(srv, buf, sizeof(buf)) == 1; got++)
			;
		if (got != !!(cli >= 0))
			r.bad++;
		close(srv);
	}
	pthread_join(t, NULL);
	EXPECT_EQ(0, r.bad);
	EXPECT_EQ(r.opened, r.written);
	TH_LOG("%d of %d opens won the race", r.opened, r.rounds);
}

static int churn_client(const char *path, long long until)
{
	int fd, bad = 0;

	signal(SIGPIPE, SIG_IGN);
	while (msl_now_ms() < until) {
		fd = msl_client(path);
		if (fd < 0) {
			bad += errno != ENOENT;
			continue;
		}
		if (write(fd, "churn", 5) != 5)
			bad += errno != EPIPE;
		close(fd);
	}
	return bad ? 1 : 0;
}

TEST_F_TIMEOUT(ns, servers_come_and_go_under_their_clients, 600)
{
	long long until = msl_now_ms() + 3000;
	pid_t pid[4];
	char buf[8];
	int i, srv, rounds = 0;

	for (i = 0; i < 4; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(churn_client(self->path, until));
	}
	while (msl_now_ms() < until) {
		srv = msl_create(self->path);	/* the last close freed the name */
		ASSERT_LE(0, srv) TH_LOG("round %d: %s", rounds, strerror(errno));
		ASSERT_EQ(0, msl_set_timeout(srv, 0));
		for (i = 0; i < rounds % 5; i++)
			read(srv, buf, sizeof(buf));
		close(srv);
		rounds++;
	}
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, msl_wait(pid[i]));
	TH_LOG("%d server lifetimes", rounds);
}

MSL_HARNESS_MAIN
