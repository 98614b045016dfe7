// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs under injected allocation failures: every path (mount,
 * create, mkdir, open, write, read, ioctls, close, unlink) is run again
 * and again with its 1st, 2nd, 3rd ... allocation failing (failslab and
 * fail_page_alloc through the task's /proc/thread-self/fail-nth, so only
 * this task is hit), until a run goes through with nothing injected. An
 * injected failure must reach the caller as ENOMEM and change nothing: no
 * half-made slot or mount, no message lost that a write reported done,
 * none queued that a write reported failed. Crashes, leaks and stuck tasks
 * show in the kernel log (the debug kernel's KASAN, kmemleak, lockdep).
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and
 * debugfs (the debug kernel of make check-debug); skips otherwise.
 */
#define _GNU_SOURCE
#include <sys/statfs.h>

#include "kselftest_harness.h"
#include "mailslot.h"

#define DBG "/sys/kernel/debug"
#define MAX_NTH 1000

/* Make failslab and fail_page_alloc fail any allocation fail-nth picks. */
static int injection_setup(void)
{
	static const char * const knobs[][2] = {
		{ DBG "/failslab/ignore-gfp-wait", "N" },
		{ DBG "/failslab/verbose", "0" },
		{ DBG "/fail_page_alloc/ignore-gfp-wait", "N" },
		{ DBG "/fail_page_alloc/ignore-gfp-highmem", "N" },
		{ DBG "/fail_page_alloc/min-order", "0" },
		{ DBG "/fail_page_alloc/verbose", "0" },
	};
	unsigned int i;

	if (access("/proc/thread-self/fail-nth", W_OK))
		return -1;
	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (msl_write_file(knobs[i][0], knobs[i][1]))
			return -1;
	return 0;
}

/*
 * The fault injector: arm() makes the nth allocation of this thread fail,
 * fired() says whether it did (and disarms).
 */
struct inject {
	int fd;
};

static void arm(struct inject *in, int nth)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", nth);
	in->fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (in->fd >= 0 && pwrite(in->fd, buf, strlen(buf), 0) < 0) {
		close(in->fd);
		in->fd = -1;
	}
}

static int fired(struct inject *in)
{
	char buf[16] = "";
	int left;

	if (in->fd < 0)
		return -1;
	if (pread(in->fd, buf, sizeof(buf) - 1, 0) <= 0)
		left = -1;
	else
		left = atoi(buf);
	pwrite(in->fd, "0", 1, 0);
	close(in->fd);
	return left == 0;
}

/* An instance on dir, and dir2 for a test's own mount: both undone. */
FIXTURE(fault) {
	char dir[64];
	char dir2[64];
	char p[256];
};

FIXTURE_SETUP(fault)
{
	snprintf(self->dir2, sizeof(self->dir2), "/tmp/msl2.XXXXXX");
	msl_setup(_metadata, self->dir, sizeof(self->dir), NULL);
}

FIXTURE_TEARDOWN(fault)
{
	msl_private_end(self->dir2);
	msl_private_end(self->dir);
}

#define P(name) msl_path(self->p, sizeof(self->p), self->dir, name)

/*
 * Run @prep, then @op with its 1st, 2nd ... allocation failing, until @op
 * runs with nothing injected. @op is 0 or -errno; an injected run must
 * fail with ENOMEM or succeed, and @check must hold after every run.
 */
#define FAULT_LOOP(prep, op, check) do {				\
	struct inject __in;						\
	int __nth, __err, __fired;					\
									\
	for (__nth = 1; __nth < MAX_NTH; __nth++) {			\
		prep;							\
		arm(&__in, __nth);					\
		__err = (op);						\
		__fired = fired(&__in);					\
		ASSERT_LE(0, __fired) TH_LOG("fail-nth unusable");	\
		EXPECT_TRUE(!__err || (__fired && __err == -ENOMEM))	\
			TH_LOG("allocation %d: %s", __nth,		\
			       strerror(-__err));			\
		check;							\
		if (!__fired)						\
			break;						\
	}								\
	EXPECT_LT(__nth, MAX_NTH);					\
	TH_LOG("%d allocations failed in turn", __nth - 1);		\
} while (0)

/* 0 for success, -errno for a failed system call */
static int sys(long ret)
{
	return ret < 0 ? -errno : 0;
}

TEST_F(fault, mount_fails_cleanly)
{
	char path[256];

	/* a network namespace of its own: an instance not yet made */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_NE(NULL, mkdtemp(self->dir2));
	/* unmounted once disarmed: an armed umount could fail and stay */
	FAULT_LOOP((void)0,
		   sys(mount("none", self->dir2, MSL_FSTYPE, 0, "slot_msgs=10")),
		   { if (!__err) EXPECT_EQ(0, umount(self->dir2)); });
	/* and the instance works afterwards */
	ASSERT_EQ(0, mount("none", self->dir2, MSL_FSTYPE, 0, NULL));
	EXPECT_LE(0, msl_create(msl_path(path, sizeof(path), self->dir2, "s")));
}

TEST_F(fault, create_fails_cleanly)
{
	struct stat st;
	int srv = -1;

	FAULT_LOOP((void)0, sys(srv = msl_create(P("s"))), {
		/* a failed create leaves nothing half-made */
		EXPECT_TRUE(!__err || stat(P("s"), &st));
		close(srv);
		EXPECT_EQ(-1, stat(P("s"), &st));	/* the server went */
	});
}

TEST_F(fault, mkdir_fails_cleanly)
{
	struct stat st;

	FAULT_LOOP((void)0, sys(mkdir(P("d"), 0755)), {
		EXPECT_EQ(!__err, !stat(P("d"), &st));
		rmdir(P("d"));
	});
}

TEST_F(fault, client_open_fails_cleanly)
{
	int srv = msl_create(P("s")), cli = -1;

	ASSERT_LE(0, srv);
	FAULT_LOOP((void)0, sys(cli = msl_client(P("s"))), close(cli));
	close(srv);
}

TEST_F(fault, write_is_queued_exactly_when_reported)
{
	struct mailslot_info info;
	unsigned int queued = 0;
	static char msg[40000];
	int srv, cli;

	srv = msl_create(P("s"));
	cli = msl_client(P("s"));
	ASSERT_LE(0, cli);
	FAULT_LOOP((void)0, sys(write(cli, msg, sizeof(msg))), {
		queued += !__err;
		ASSERT_EQ(0, msl_info(srv, &info));
		EXPECT_EQ(queued, info.msg_count);
	});
	/* every message reported written is there, whole */
	for (; queued; queued--)
		EXPECT_EQ(sizeof(msg), read(srv, msg, sizeof(msg)));
	close(cli);
	close(srv);
}

TEST_F(fault, read_and_recv_lose_nothing)
{
	struct mailslot_recv r = { 0 };
	struct mailslot_info info;
	static char buf[4096];
	int srv, cli, i, got = 0;

	srv = msl_create(P("s"));
	cli = msl_client(P("s"));
	ASSERT_LE(0, cli);
	for (i = 0; i < 64; i++)
		ASSERT_EQ(100, write(cli, buf, 100));
	FAULT_LOOP((void)0, sys(read(srv, buf, sizeof(buf))), {
		got += !__err;
		ASSERT_EQ(0, msl_info(srv, &info));
		EXPECT_EQ(64 - got, info.msg_count);
	});
	r.buf = (unsigned long)buf;
	r.buf_len = sizeof(buf);
	FAULT_LOOP((void)0, sys(ioctl(srv, MAILSLOT_IOC_RECV, &r)), {
		got += !__err;
		ASSERT_EQ(0, msl_info(srv, &info));
		EXPECT_EQ(64 - got, info.msg_count);
	});
	close(cli);
	close(srv);
}

TEST_F(fault, ioctls_and_stat_fail_cleanly)
{
	struct mailslot_info info;
	struct stat st;
	int srv = msl_create(P("s"));

	ASSERT_LE(0, srv);
	FAULT_LOOP((void)0, sys(msl_info(srv, &info)), (void)0);
	FAULT_LOOP((void)0, sys(msl_set_timeout(srv, 5)), (void)0);
	FAULT_LOOP((void)0, sys(stat(P("s"), &st)), (void)0);
	close(srv);
}

/* A server with a client and queued messages, for the close below. */
static int server_with_queue(const char *path)
{
	int srv = msl_create(path), cli = msl_client(path), i;

	for (i = 0; i < 8; i++)
		write(cli, "queued", 6);
	close(cli);
	return srv;
}

TEST_F(fault, server_close_and_unlink_fail_cleanly)
{
	struct stat st;
	int srv = -1;

	/*
	 * only the last close of the server runs with the fault armed: it
	 * cannot fail, and the name always goes
	 */
	FAULT_LOOP(srv = server_with_queue(P("c")), sys(close(srv)),
		   EXPECT_EQ(-1, stat(P("c"), &st)));
	FAULT_LOOP(srv = msl_create(P("u")), sys(unlink(P("u"))), {
		/* a failed unlink leaves the name, a done one removes it */
		EXPECT_EQ(!__err, stat(P("u"), &st) == -1);
		close(srv);
	});
}

/* Every test needs the injector: without it, the program is skipped. */
int main(int argc, char **argv)
{
	if (injection_setup()) {
		ksft_print_header();
		ksft_exit_skip("no fault injection (CONFIG_FAULT_INJECTION, debugfs)\n");
	}
	exit(msl_main(argc, argv));
}
