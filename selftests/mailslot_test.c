// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: every rule of sections 2-4 of the contract (the namespace,
 * a slot's life, messages), one test per rule, error paths included.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/uio.h>

#include "kselftest_harness.h"
#include "mailslot.h"

/* An instance with @opts on self->dir: false when the test is to stop. */
#define MOUNT(opts) msl_setup(_metadata, self->dir, sizeof(self->dir), opts)

FIXTURE(ns) {
	char dir[64];
	char p[256];
};

FIXTURE_SETUP(ns)
{
	MOUNT(NULL);
}

FIXTURE_TEARDOWN(ns)
{
	msl_private_end(self->dir);
}

#define P(name) msl_path(self->p, sizeof(self->p), self->dir, name)

static const char *const param_dir = "/sys/module/mailslotfs/parameters";

/*
 * For a test that mounts by hand, with options of its own: up to two
 * mounts (dir, dir2), a cgroup and the module's user namespace bounds,
 * all undone by the teardown, which the harness runs after a failed
 * assertion too (not after a timeout: it kills the test): a failed
 * assertion leaves no mount point, cgroup or lowered bound behind.
 */
FIXTURE(mnt) {
	char dir[64];
	char dir2[64];
	char cg[128];
	bool bounds;
};

FIXTURE_SETUP(mnt)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/msl.XXXXXX");
	snprintf(self->dir2, sizeof(self->dir2), "/tmp/msl2.XXXXXX");
}

/* Set the module's bounds on what user namespaces may hold together. */
static int userns_bounds(const char *slots, const char *bytes)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/userns_slots", param_dir);
	if (msl_write_file(p, slots))
		return -1;
	snprintf(p, sizeof(p), "%s/userns_bytes", param_dir);
	return msl_write_file(p, bytes);
}

FIXTURE_TEARDOWN(mnt)
{
	msl_private_end(self->dir2);
	msl_private_end(self->dir);
	if (self->cg[0])
		rmdir(self->cg);
	if (self->bounds)
		userns_bounds("4096", "67108864");
}

/* Slot "s" of @dir, its server and a client. */
static void pair_open(struct __test_metadata *_metadata, const char *dir,
		      int *srv, int *cli)
{
	char p[256];

	*srv = msl_create(msl_path(p, sizeof(p), dir, "s"));
	ASSERT_LE(0, *srv);
	*cli = msl_client(p);
	ASSERT_LE(0, *cli);
}

static void pair_close(const char *dir, int srv, int cli)
{
	close(cli);
	close(srv);
	msl_private_end(dir);
}

/* Pin the caller to CPU @cpu. */
static int pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* A slot "s" of its own, with its server and a client. */
FIXTURE(pair) {
	char dir[64];
	char p[256];
	int srv;
	int cli;
};

FIXTURE_SETUP(pair)
{
	if (MOUNT(NULL))
		pair_open(_metadata, self->dir, &self->srv, &self->cli);
}

FIXTURE_TEARDOWN(pair)
{
	pair_close(self->dir, self->srv, self->cli);
}

/* The same, in a slot of 100 bytes that takes messages up to 60. */
FIXTURE(slot100) {
	char dir[64];
	int srv;
	int cli;
};

FIXTURE_SETUP(slot100)
{
	if (MOUNT("slot_bytes=100,max_msg_size=60"))
		pair_open(_metadata, self->dir, &self->srv, &self->cli);
}

FIXTURE_TEARDOWN(slot100)
{
	pair_close(self->dir, self->srv, self->cli);
}

static char *path2(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

/* Read whole messages into @buf; returns the length or -errno. */
static ssize_t rd(int fd, void *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);

	return n < 0 ? -errno : n;
}

static int dir_has(const char *dir, const char *name)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int found = 0;

	if (!dp)
		return -1;
	while ((d = readdir(dp)))
		if (!strcmp(d->d_name, name))
			found++;
	closedir(dp);
	return found;
}

static int dir_count(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return -1;
	while ((d = readdir(dp)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			n++;
	closedir(dp);
	return n;
}

/* Run @fn in a child with uid/gid @id; returns its exit status. */
static int as_user(uid_t id, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setresgid(id, id, id) || setresuid(id, id, id))
			_exit(99);
		_exit(fn(arg));
	}
	return msl_wait(pid);
}

/* ---- section 2: the namespace ---- */

TEST_F(mnt, mount_reports_magic)
{
	struct statfs sfs;

	if (!MOUNT(NULL))
		return;
	ASSERT_EQ(0, statfs(self->dir, &sfs));
	EXPECT_EQ(MAILSLOTFS_MAGIC, sfs.f_type);
}

TEST_F(ns, root_is_sticky_and_world_writable)
{
	struct stat st;

	ASSERT_EQ(0, stat(self->dir, &st));
	EXPECT_EQ(S_IFDIR | 01777, st.st_mode);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(0, st.st_gid);
}

TEST_F(mnt, mount_options_mode_uid_gid)
{
	struct stat st;

	if (!MOUNT("mode=0750,uid=1000,gid=1001"))
		return;
	ASSERT_EQ(0, stat(self->dir, &st));
	EXPECT_EQ(S_IFDIR | 0750, st.st_mode);
	EXPECT_EQ(1000, st.st_uid);
	EXPECT_EQ(1001, st.st_gid);
}

TEST_F(mnt, two_mounts_in_one_netns_share_slots)
{
	char a[256], b[256];
	struct stat st;
	char buf[8];
	int srv, cli;

	if (!MOUNT(NULL))
		return;
	ASSERT_NE(NULL, mkdtemp(self->dir2));
	ASSERT_EQ(0, mount("none", self->dir2, MSL_FSTYPE, 0, NULL));
	srv = msl_create(path2(a, sizeof(a), self->dir, "shared"));
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, stat(path2(b, sizeof(b), self->dir2, "shared"), &st));
	cli = msl_client(b);
	ASSERT_LE(0, cli);
	ASSERT_EQ(2, write(cli, "hi", 2));
	EXPECT_EQ(2, rd(srv, buf, sizeof(buf)));
	close(srv);
	EXPECT_EQ(-1, stat(b, &st));
	EXPECT_EQ(ENOENT, errno);
	close(cli);
}

TEST_F(mnt, each_netns_has_its_own_slots)
{
	char a[256], b[256];
	struct stat st;
	int srv, srv2;

	if (!MOUNT(NULL))
		return;
	ASSERT_NE(NULL, mkdtemp(self->dir2));
	srv = msl_create(path2(a, sizeof(a), self->dir, "mine"));
	ASSERT_LE(0, srv);
	/* a second network namespace: same name, another slot */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, mount("none", self->dir2, MSL_FSTYPE, 0, NULL));
	path2(b, sizeof(b), self->dir2, "mine");
	EXPECT_EQ(-1, stat(b, &st));
	EXPECT_EQ(ENOENT, errno);
	srv2 = msl_create(b);
	EXPECT_LE(0, srv2);
	EXPECT_EQ(0, stat(a, &st));	/* the first is still there */
	close(srv2);
	close(srv);
}

TEST_F(ns, pseudo_path_directories)
{
	char a[256], buf[16];
	int srv, cli;

	ASSERT_EQ(0, mkdir(P("NET"), 0755));
	srv = msl_create(path2(a, sizeof(a), self->dir, "NET/NETLOGON"));
	ASSERT_LE(0, srv);
	cli = msl_client(a);
	ASSERT_LE(0, cli);
	ASSERT_EQ(5, write(cli, "logon", 5));
	EXPECT_EQ(5, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ(-1, rmdir(P("NET")));
	EXPECT_EQ(ENOTEMPTY, errno);
	close(srv);	/* the slot goes, the directory stays */
	EXPECT_EQ(1, dir_has(self->dir, "NET"));
	EXPECT_EQ(0, rmdir(P("NET")));
	ASSERT_EQ(0, mkdir(P("a"), 0755));
	ASSERT_EQ(0, mkdir(P("a/b"), 0755));
	srv = msl_create(P("a/b/c"));
	EXPECT_LE(0, srv);
	close(srv);
	close(cli);
}

static int create_in(void *path)
{
	int fd = msl_create(path);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

TEST_F(ns, directory_permissions_apply)
{
	char a[256];

	ASSERT_EQ(0, mkdir(P("locked"), 0755));
	EXPECT_EQ(EACCES, as_user(65534, create_in,
				  path2(a, sizeof(a), self->dir, "locked/x")));
	EXPECT_EQ(0, as_user(65534, create_in,
			     path2(a, sizeof(a), self->dir, "open")));
}

TEST_F(ns, names_are_case_insensitive)
{
	char buf[16];
	int srv, c1, c2;

	srv = msl_create(P("MySlot"));
	ASSERT_LE(0, srv);
	c1 = msl_client(P("MYSLOT"));
	ASSERT_LE(0, c1);
	c2 = msl_client(P("myslot"));
	ASSERT_LE(0, c2);
	ASSERT_EQ(1, write(c1, "1", 1));
	ASSERT_EQ(2, write(c2, "22", 2));
	EXPECT_EQ(1, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ(2, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ(-1, msl_create(P("mYsLoT")));
	EXPECT_EQ(EEXIST, errno);
	close(c1);
	close(c2);
	close(srv);
}

TEST_F(ns, names_keep_their_case)
{
	int srv, srv2;

	srv = msl_create(P("MixedCase"));
	ASSERT_LE(0, srv);
	EXPECT_EQ(1, dir_has(self->dir, "MixedCase"));
	/* a failed lookup in another case must not decide the spelling */
	EXPECT_EQ(-1, msl_client(P("MIXEDCASE2")));
	EXPECT_EQ(ENOENT, errno);
	srv2 = msl_create(P("MixedCase2"));
	ASSERT_LE(0, srv2);
	EXPECT_EQ(1, dir_has(self->dir, "MixedCase2"));
	EXPECT_EQ(0, dir_has(self->dir, "MIXEDCASE2"));
	/* directories too */
	ASSERT_EQ(0, mkdir(P("Net"), 0755));
	EXPECT_EQ(-1, mkdir(P("NET"), 0755));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(1, dir_has(self->dir, "Net"));
	EXPECT_EQ(0, dir_has(self->dir, "NET"));
	close(msl_create(P("NET/Slot")));	/* found in "Net" */
	EXPECT_EQ(0, dir_count(P("Net")));	/* closed: gone again */
	close(srv2);
	close(srv);
}

TEST_F(ns, readdir_lists_slots_and_directories)
{
	int a, b;

	a = msl_create(P("a"));
	b = msl_create(P("b"));
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, mkdir(P("d"), 0755));
	EXPECT_EQ(3, dir_count(self->dir));
	EXPECT_EQ(1, dir_has(self->dir, "a"));
	EXPECT_EQ(1, dir_has(self->dir, "b"));
	EXPECT_EQ(1, dir_has(self->dir, "d"));
	close(a);
	EXPECT_EQ(2, dir_count(self->dir));
	close(b);
}

TEST_F(pair, st_size_is_bytes_queued)
{
	struct stat st;
	char buf[16];

	ASSERT_EQ(0, fstat(self->srv, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0, st.st_size);
	ASSERT_EQ(3, write(self->cli, "abc", 3));
	ASSERT_EQ(5, write(self->cli, "defgh", 5));
	ASSERT_EQ(0, stat(P("s"), &st));
	EXPECT_EQ(8, st.st_size);
	ASSERT_EQ(3, rd(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, fstat(self->cli, &st));
	EXPECT_EQ(5, st.st_size);
}

TEST_F(pair, mtime_is_the_last_enqueue)
{
	struct timespec old[2] = { { 1000, 0 }, { 1000, 0 } };
	struct stat st;
	char buf[4];
	time_t t0;

	ASSERT_EQ(0, futimens(self->srv, old));
	ASSERT_EQ(0, fstat(self->srv, &st));
	ASSERT_EQ(1000, st.st_mtime);
	t0 = time(NULL);
	ASSERT_EQ(1, write(self->cli, "x", 1));
	ASSERT_EQ(0, fstat(self->srv, &st));
	EXPECT_GE(st.st_mtime, t0 - 1);
	EXPECT_LE(st.st_mtime, time(NULL) + 1);
	ASSERT_EQ(0, futimens(self->srv, old));
	ASSERT_EQ(1, rd(self->srv, buf, sizeof(buf)));	/* a read is not an enqueue */
	ASSERT_EQ(0, fstat(self->srv, &st));
	EXPECT_EQ(1000, st.st_mtime);
}

/* Next inotify event: its mask, name copied to @name. */
static int next_event(int ifd, char *name, size_t len)
{
	static union {
		struct inotify_event ev;
		char buf[4096];
	} u;
	static ssize_t have, off;
	struct inotify_event *ev;
	struct pollfd pfd = { .fd = ifd, .events = POLLIN };

	if (off >= have) {
		if (poll(&pfd, 1, msl_ms(2000)) != 1)
			return -1;
		have = read(ifd, u.buf, sizeof(u.buf));
		off = 0;
		if (have <= 0)
			return -1;
	}
	ev = (struct inotify_event *)(u.buf + off);
	off += sizeof(*ev) + ev->len;
	snprintf(name, len, "%s", ev->len ? ev->name : "");
	return ev->mask;
}

TEST_F(ns, inotify_sees_create_write_and_vanish)
{
	char name[64];
	int ifd, srv, cli;

	ifd = inotify_init1(IN_NONBLOCK);
	ASSERT_LE(0, ifd);
	ASSERT_LE(0, inotify_add_watch(ifd, self->dir,
				       IN_CREATE | IN_MODIFY | IN_DELETE));
	srv = msl_create(P("watched"));
	ASSERT_LE(0, srv);
	EXPECT_EQ(IN_CREATE, next_event(ifd, name, sizeof(name)));
	EXPECT_STREQ("watched", name);
	cli = msl_client(P("watched"));
	ASSERT_EQ(1, write(cli, "x", 1));
	EXPECT_EQ(IN_MODIFY, next_event(ifd, name, sizeof(name)));
	EXPECT_STREQ("watched", name);
	close(srv);
	EXPECT_EQ(IN_DELETE, next_event(ifd, name, sizeof(name)));
	EXPECT_STREQ("watched", name);
	close(cli);
	close(ifd);
}

TEST_F(ns, at_names_are_reserved_for_remote_targets)
{
	int fd;

	EXPECT_EQ(-1, msl_create(P("@host")));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mkdir(P("@host"), 0755));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, mkdir(P("d"), 0755));
	fd = msl_create(P("d/@fine"));	/* only at the top */
	EXPECT_LE(0, fd);
	close(fd);
}

/* ---- section 3: a slot's life ---- */

TEST_F(ns, creating_open_is_the_server)
{
	struct mailslot_info info;
	char fdinfo[64], buf[256];
	int srv, cli, f;
	ssize_t n;

	srv = msl_create(P("s"));
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(MAILSLOT_INFO_SERVER, info.flags);
	cli = msl_client(P("s"));
	ASSERT_EQ(0, msl_info(cli, &info));
	EXPECT_EQ(0, info.flags);
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", srv);
	f = open(fdinfo, O_RDONLY);
	ASSERT_LE(0, f);
	n = read(f, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = 0;
	EXPECT_NE(NULL, strstr(buf, "role:\tserver"));
	close(f);
	close(cli);
	close(srv);
}

TEST_F(ns, create_of_existing_slot_eexist)
{
	int srv = msl_create(P("s"));

	ASSERT_LE(0, srv);
	EXPECT_EQ(-1, msl_create(P("s")));
	EXPECT_EQ(EEXIST, errno);
	close(srv);
}

TEST_F(ns, create_without_excl_of_existing_slot_ebusy)
{
	int srv = msl_create(P("s"));

	ASSERT_LE(0, srv);
	EXPECT_EQ(-1, open(P("s"), O_RDONLY | O_CREAT, 0666));
	EXPECT_EQ(EBUSY, errno);
	close(srv);
}

TEST_F(ns, write_only_opens_are_clients)
{
	static const int flags[] = { O_WRONLY, O_WRONLY | O_CREAT,
				     O_WRONLY | O_CREAT | O_TRUNC,
				     O_WRONLY | O_TRUNC };
	struct mailslot_info info;
	unsigned int i;
	int srv, cli;

	srv = msl_create(P("s"));
	ASSERT_LE(0, srv);
	for (i = 0; i < 4; i++) {
		cli = open(P("s"), flags[i], 0666);
		ASSERT_LE(0, cli) TH_LOG("flags %#x: %s", flags[i], strerror(errno));
		ASSERT_EQ(1, write(cli, "x", 1));
		close(cli);
	}
	/* O_TRUNC does not throw messages away */
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(4, info.msg_count);
	close(srv);
}

TEST_F(ns, shell_redirection_writes_one_message)
{
	char cmd[512], buf[64];
	int srv;

	srv = msl_create(P("echo"));
	ASSERT_LE(0, srv);
	snprintf(cmd, sizeof(cmd), "echo 'backup at 22:00' > %s", P("echo"));
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(16, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "backup at 22:00\n", 16));
	close(srv);
}

TEST_F(ns, clients_never_create)
{
	struct stat st;

	EXPECT_EQ(-1, open(P("none"), O_WRONLY));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, open(P("none"), O_WRONLY | O_CREAT, 0666));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, open(P("none"), O_WRONLY | O_CREAT | O_EXCL, 0666));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, stat(P("none"), &st));
	EXPECT_EQ(0, dir_count(self->dir));
}

TEST_F(ns, read_write_opens_einval)
{
	int srv;

	EXPECT_EQ(-1, open(P("rw"), O_RDWR | O_CREAT | O_EXCL, 0666));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, dir_count(self->dir));
	srv = msl_create(P("rw"));
	ASSERT_LE(0, srv);
	EXPECT_EQ(-1, open(P("rw"), O_RDWR));
	EXPECT_EQ(EINVAL, errno);
	close(srv);
}

TEST_F(ns, second_reader_ebusy)
{
	int srv = msl_create(P("s"));

	ASSERT_LE(0, srv);
	EXPECT_EQ(-1, open(P("s"), O_RDONLY));
	EXPECT_EQ(EBUSY, errno);
	close(srv);
}

TEST_F(ns, dup_and_fork_share_the_server_role)
{
	struct stat st;
	char buf[8];
	int srv, dup_srv, cli;
	pid_t pid;

	srv = msl_create(P("s"));
	cli = msl_client(P("s"));
	ASSERT_LE(0, cli);
	dup_srv = dup(srv);
	ASSERT_EQ(1, write(cli, "1", 1));
	EXPECT_EQ(1, rd(dup_srv, buf, sizeof(buf)));
	close(srv);		/* the dup still holds the role */
	EXPECT_EQ(0, stat(P("s"), &st));
	ASSERT_EQ(1, write(cli, "2", 1));
	pid = fork();
	if (pid == 0)
		_exit(read(dup_srv, buf, sizeof(buf)) == 1 && buf[0] == '2' ? 0 : 1);
	EXPECT_EQ(0, msl_wait(pid));
	EXPECT_EQ(0, stat(P("s"), &st));	/* the child's exit is not the last close */
	close(dup_srv);
	EXPECT_EQ(-1, stat(P("s"), &st));
	close(cli);
}

TEST_F(ns, scm_rights_passes_the_server_role)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr mh = { 0 };
	struct iovec iov;
	struct stat st;
	char c = 0, buf[8];
	int sv[2], srv, cli;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	iov.iov_base = &c;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	pid = fork();
	if (pid == 0) {
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		srv = msl_create(P("handover"));
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &srv, sizeof(int));
		_exit(sendmsg(sv[0], &mh, 0) == 1 ? 0 : 1);
	}
	ASSERT_EQ(0, msl_wait(pid));
	ASSERT_EQ(1, recvmsg(sv[1], &mh, 0));
	memcpy(&srv, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	EXPECT_EQ(0, stat(P("handover"), &st));	/* the creator is gone */
	cli = msl_client(P("handover"));
	ASSERT_LE(0, cli);
	ASSERT_EQ(3, write(cli, "abc", 3));
	EXPECT_EQ(3, rd(srv, buf, sizeof(buf)));
	close(srv);
	EXPECT_EQ(-1, stat(P("handover"), &st));
	close(cli);
	close(sv[0]);
	close(sv[1]);
}

TEST_F(ns, server_close_removes_the_name_and_the_queue)
{
	struct mailslot_info info;
	struct stat st;
	int srv, cli;

	srv = msl_create(P("s"));
	cli = msl_client(P("s"));
	ASSERT_LE(0, cli);
	ASSERT_EQ(5, write(cli, "hello", 5));
	close(srv);
	EXPECT_EQ(-1, stat(P("s"), &st));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, msl_info(cli, &info));
	EXPECT_EQ(MAILSLOT_INFO_ORPHANED, info.flags);
	EXPECT_EQ(0, info.msg_count);
	EXPECT_EQ(0, info.queued_bytes);
	/* the name is free at once; the new slot starts empty */
	srv = msl_create(P("s"));
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(0, info.msg_count);
	close(srv);
	close(cli);
}

TEST_F(mnt, server_close_wakes_blocked_writers_with_epipe)
{
	char a[256];
	int srv, cli, i, st[3];
	pid_t pid[3];

	if (!MOUNT("slot_msgs=1"))
		return;
	srv = msl_create(path2(a, sizeof(a), self->dir, "full"));
	cli = msl_client(a);
	ASSERT_LE(0, cli);
	ASSERT_EQ(1, write(cli, "x", 1));	/* now full */
	for (i = 0; i < 3; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			close(srv);	/* the parent's close must be the last */
			signal(SIGPIPE, SIG_IGN);
			_exit(write(cli, "y", 1) == -1 && errno == EPIPE ? 0 : 1);
		}
		ASSERT_TRUE(msl_wait_asleep(pid[i]));
	}
	usleep(100000);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, waitpid(pid[i], NULL, WNOHANG));	/* blocked */
	close(srv);
	for (i = 0; i < 3; i++) {
		st[i] = msl_wait(pid[i]);
		EXPECT_EQ(0, st[i]);
	}
	close(cli);
}

static void fan_answer(int fan, int fd, unsigned int verdict)
{
	struct fanotify_response r = { .fd = fd, .response = verdict };

	if (write(fan, &r, sizeof(r)) != sizeof(r))
		_exit(5);	/* the test would hang */
	close(fd);
}

/* A client of the slot @path that the server's open is making: it opens
 * and writes, says so on @done, waits for @go, writes again. 0 when the
 * second write finds the slot gone.
 */
static int late_client(const char *path, int done, int go)
{
	int fd = msl_client(path);
	char c;

	signal(SIGPIPE, SIG_IGN);
	if (fd < 0 || write(fd, "1", 1) != 1 || write(done, "d", 1) != 1 ||
	    read(go, &c, 1) != 1)
		return 1;
	return write(fd, "2", 1) == -1 && errno == EPIPE ? 0 : 2;
}

/*
 * An open that has created its slot and is then refused (here by a
 * fanotify permission listener, as an LSM could) leaves no slot: a client
 * that opened it meanwhile finds it gone, and nothing can be queued to it.
 */
TEST_F(ns, a_refused_server_open_leaves_no_slot)
{
	struct fanotify_event_metadata ev;
	int fan, go[2], done[2], held = -1;
	struct pollfd pfd[2];
	pid_t srv, cli = -1;
	struct stat st;
	char c;

	fan = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_WRONLY);
	if (fan < 0)
		SKIP(return, "no fanotify permission events: %s", strerror(errno));
	ASSERT_EQ(0, fanotify_mark(fan, FAN_MARK_ADD,
				   FAN_OPEN_PERM | FAN_EVENT_ON_CHILD,
				   AT_FDCWD, self->dir));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	srv = fork();
	if (srv == 0)
		_exit(msl_create(P("s")) < 0 && errno == EPERM ? 0 : 1);
	pfd[0] = (struct pollfd){ .fd = fan, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = done[0], .events = POLLIN };
	/* hold the server's open; let the client in; then refuse the server */
	while (held < 0 || !(pfd[1].revents & POLLIN)) {
		ASSERT_LT(0, poll(pfd, 2, msl_ms(10000)));
		if (!(pfd[0].revents & POLLIN))
			continue;
		ASSERT_EQ(sizeof(ev), read(fan, &ev, sizeof(ev)));
		if (ev.pid != srv || held >= 0) {
			fan_answer(fan, ev.fd, FAN_ALLOW);
			continue;
		}
		held = ev.fd;
		cli = fork();
		if (cli == 0)
			_exit(late_client(P("s"), done[1], go[0]));
	}
	ASSERT_EQ(1, read(done[0], &c, 1));
	fan_answer(fan, held, FAN_DENY);
	EXPECT_EQ(0, msl_wait(srv));
	EXPECT_EQ(-1, stat(P("s"), &st));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(0, msl_wait(cli));
	close(fan);
}

TEST_F(ns, write_after_server_close_epipe_and_sigpipe)
{
	int srv, cli;
	pid_t pid;

	srv = msl_create(P("s"));
	cli = msl_client(P("s"));
	ASSERT_LE(0, cli);
	close(srv);
	pid = fork();
	if (pid == 0) {
		write(cli, "x", 1);
		_exit(0);
	}
	EXPECT_EQ(128 + SIGPIPE, msl_wait(pid));
	signal(SIGPIPE, SIG_IGN);
	EXPECT_EQ(-1, write(cli, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	close(cli);
}

TEST_F(ns, client_poll_after_server_close_errhup)
{
	struct pollfd pfd;
	int srv, cli;

	srv = msl_create(P("s"));
	cli = msl_client(P("s"));
	ASSERT_LE(0, cli);
	pfd.fd = cli;
	pfd.events = POLLOUT;
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT, pfd.revents);
	close(srv);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLERR | POLLHUP, pfd.revents & (POLLERR | POLLHUP | POLLOUT));
	close(cli);
}

TEST_F(ns, reopen_of_orphaned_slot_enoent)
{
	char proc[64];
	int srv, cli;

	srv = msl_create(P("s"));
	cli = msl_client(P("s"));
	ASSERT_LE(0, cli);
	close(srv);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", cli);
	EXPECT_EQ(-1, open(proc, O_WRONLY));
	EXPECT_EQ(ENOENT, errno);
	close(cli);
}

TEST_F(ns, unlink_removes_the_name_not_the_queue)
{
	char buf[8];
	int srv, cli, srv2;

	srv = msl_create(P("s"));
	cli = msl_client(P("s"));
	ASSERT_LE(0, cli);
	ASSERT_EQ(1, write(cli, "1", 1));
	ASSERT_EQ(0, unlink(P("s")));
	EXPECT_EQ(-1, msl_client(P("s")));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(1, write(cli, "2", 1));	/* an open client still reaches it */
	EXPECT_EQ(1, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ('1', buf[0]);
	EXPECT_EQ(1, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ('2', buf[0]);
	srv2 = msl_create(P("s"));	/* the name is free for another */
	ASSERT_LE(0, srv2);
	close(srv);			/* and the old server's close keeps it */
	EXPECT_EQ(1, dir_has(self->dir, "s"));
	close(srv2);
	close(cli);
}

static int create_and_hold(void *path)
{
	int fd = msl_create(path);

	if (fd < 0)
		return 1;
	pause();
	return 0;
}

static int unlink_it(void *path)
{
	return unlink(path) ? errno : 0;
}

TEST_F(ns, unlink_follows_sticky_rules)
{
	char a[256];
	pid_t owner;

	path2(a, sizeof(a), self->dir, "owned");
	owner = fork();
	if (owner == 0) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(99);
		_exit(create_and_hold(a));
	}
	ASSERT_TRUE(msl_wait_asleep(owner));
	EXPECT_EQ(EPERM, as_user(1001, unlink_it, a));
	EXPECT_EQ(0, as_user(1000, unlink_it, a));
	kill(owner, SIGKILL);
	msl_wait(owner);
	owner = fork();
	if (owner == 0) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(99);
		_exit(create_and_hold(a));
	}
	ASSERT_TRUE(msl_wait_asleep(owner));
	EXPECT_EQ(0, unlink(a));	/* root may */
	kill(owner, SIGKILL);
	msl_wait(owner);
}

TEST_F(pair, seek_mmap_truncate_refused)
{
	char buf[4];

	EXPECT_EQ(-1, lseek(self->srv, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, lseek(self->cli, 0, SEEK_CUR));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, pread(self->srv, buf, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, pwrite(self->cli, "x", 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->srv, 0));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ftruncate(self->cli, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, truncate(P("s"), 0));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(ns, rename_link_mknod_refused)
{
	char a[256];
	int srv;

	srv = msl_create(P("s"));
	ASSERT_LE(0, srv);
	EXPECT_EQ(-1, rename(P("s"), path2(a, sizeof(a), self->dir, "t")));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, link(P("s"), a));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, symlink("s", a));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, mknod(a, S_IFIFO | 0600, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, open(self->dir, O_TMPFILE | O_WRONLY, 0600));
	EXPECT_EQ(EOPNOTSUPP, errno);
	close(srv);
}

/* ---- section 4: messages ---- */

TEST_F(pair, each_write_is_one_message)
{
	char buf[64];

	ASSERT_EQ(3, write(self->cli, "abc", 3));
	ASSERT_EQ(4, write(self->cli, "defg", 4));
	ASSERT_EQ(3, rd(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	ASSERT_EQ(4, rd(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "defg", 4));
}

TEST_F(pair, writev_gathers_one_message_readv_scatters_it)
{
	struct iovec w[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };
	char r1[2], r2[8];
	struct iovec r[2] = { { r1, 2 }, { r2, 8 } };
	struct mailslot_info info;

	ASSERT_EQ(5, writev(self->cli, w, 3));
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(1, info.msg_count);
	ASSERT_EQ(5, readv(self->srv, r, 2));
	EXPECT_EQ(0, memcmp(r1, "ab", 2));
	EXPECT_EQ(0, memcmp(r2, "cde", 3));
}

TEST_F(ns, fifo_across_writers)
{
	char buf[8], want[8];
	int srv, cli[3], i;

	srv = msl_create(P("s"));
	for (i = 0; i < 3; i++) {
		cli[i] = msl_client(P("s"));
		ASSERT_LE(0, cli[i]);
	}
	for (i = 0; i < 9; i++) {
		snprintf(buf, sizeof(buf), "m%d", i);
		ASSERT_EQ(2, write(cli[(i * 2) % 3], buf, 2));
	}
	for (i = 0; i < 9; i++) {
		snprintf(want, sizeof(want), "m%d", i);
		ASSERT_EQ(2, rd(srv, buf, sizeof(buf)));
		EXPECT_EQ(0, memcmp(buf, want, 2));
	}
	for (i = 0; i < 3; i++)
		close(cli[i]);
	close(srv);
}

TEST_F(pair, zero_length_messages_are_messages)
{
	struct mailslot_info info;
	struct pollfd pfd;
	char buf[4];

	ASSERT_EQ(0, write(self->cli, buf, 0));
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(1, info.msg_count);
	EXPECT_EQ(0, info.next_size);
	pfd.fd = self->srv;
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(0, rd(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(0, info.msg_count);
	EXPECT_EQ(MAILSLOT_NO_MESSAGE, info.next_size);
}

TEST_F(pair, short_buffer_emsgsize_keeps_the_message)
{
	struct mailslot_info info;
	char buf[16];

	ASSERT_EQ(10, write(self->cli, "0123456789", 10));
	EXPECT_EQ(-EMSGSIZE, rd(self->srv, buf, 9));
	EXPECT_EQ(-EMSGSIZE, rd(self->srv, buf, 0));
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(1, info.msg_count);
	EXPECT_EQ(10, info.next_size);
	ASSERT_EQ(10, rd(self->srv, buf, 10));
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
}

TEST_F(mnt, oversize_message_emsgsize)
{
	char *big;
	struct mailslot_info info;
	int srv, cli;

	if (!MOUNT("max_msg_size=100"))
		return;
	pair_open(_metadata, self->dir, &srv, &cli);
	big = calloc(1, 101);
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(100, info.max_msg_size);
	EXPECT_EQ(-1, write(cli, big, 101));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(100, write(cli, big, 100));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(1, info.msg_count);
	free(big);
	close(cli);
	close(srv);
}

/*
 * Each slot may have its own largest message (CreateMailslot's
 * nMaxMessageSize), set by its server, at most what the instance gave it:
 * 0, or more than that, is that maximum. Writers are held to it; what is
 * queued stays.
 */
TEST_F(pair, a_slot_has_its_own_max_size)
{
	static char big[65536];
	struct mailslot_info info;
	char buf[128];

	ASSERT_EQ(100, write(self->cli, big, 100));
	ASSERT_EQ(0, msl_set_max_size(self->srv, 64));
	ASSERT_EQ(0, msl_info(self->cli, &info));	/* every descriptor sees it */
	EXPECT_EQ(64, info.max_msg_size);
	EXPECT_EQ(-1, write(self->cli, big, 65));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(64, write(self->cli, big, 64));
	EXPECT_EQ(-1, msl_set_max_size(self->cli, 32));	/* the server's */
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ioctl(self->srv, MAILSLOT_IOC_SET_MAX_SIZE, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(64, info.max_msg_size);
	/* the message queued before is read whole */
	EXPECT_EQ(100, rd(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(64, rd(self->srv, buf, sizeof(buf)));
	/* 0, or more than the instance allows: any size it allows */
	ASSERT_EQ(0, msl_set_max_size(self->srv, 0));
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(65536, info.max_msg_size);
	EXPECT_EQ(65536, write(self->cli, big, 65536));
	ASSERT_EQ(0, msl_set_max_size(self->srv, 1));
	ASSERT_EQ(0, msl_set_max_size(self->srv, 0xffffffff));
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(65536, info.max_msg_size);
	ASSERT_EQ(0, msl_set_max_size(self->srv, 1));
	EXPECT_EQ(1, write(self->cli, big, 1));
	EXPECT_EQ(-1, write(self->cli, big, 2));
	EXPECT_EQ(EMSGSIZE, errno);
}

/* A writer waiting for room whose message the server's new maximum
 * refuses gets EMSGSIZE, not a place in the queue.
 */
TEST_F(mnt, a_lowered_max_size_refuses_a_waiting_writer)
{
	char buf[128] = { 0 };
	struct mailslot_info info;
	int srv, cli;
	pid_t pid;

	if (!MOUNT("slot_msgs=1"))
		return;
	pair_open(_metadata, self->dir, &srv, &cli);
	ASSERT_EQ(1, write(cli, buf, 1));		/* full */
	pid = fork();
	if (pid == 0)
		_exit(write(cli, buf, 100) == -1 && errno == EMSGSIZE ? 0 : 1);
	ASSERT_TRUE(msl_wait_asleep(pid));
	ASSERT_EQ(0, msl_set_max_size(srv, 64));
	ASSERT_EQ(1, rd(srv, buf, sizeof(buf)));	/* room: it wakes */
	EXPECT_EQ(0, msl_wait(pid));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(0, info.msg_count);
	/* and one that fits still goes in */
	EXPECT_EQ(64, write(cli, buf, 64));
	close(cli);
	close(srv);
}

/* Fork a writer of @len bytes into @cli, and wait until it sleeps. */
static pid_t blocked_writer(int cli, size_t len)
{
	static char buf[64];
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(write(cli, buf, len) == (ssize_t)len ? 0 : 1);
	if (pid > 0 && !msl_wait_asleep(pid)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* Whether writer @pid wrote and exited, within 10 s (scaled). */
static bool writer_done(pid_t pid)
{
	int st = 0;

	if (!msl_until(waitpid(pid, &st, WNOHANG) == pid, 10000)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return false;
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Whether writer @pid still sleeps, as it should, 100 ms (scaled) on. */
static bool writer_sleeps(pid_t pid)
{
	usleep(msl_ms(100) * 1000);
	return waitpid(pid, NULL, WNOHANG) == 0 && msl_proc_sleeping(pid);
}

/*
 * A read wakes the writer whose message fits: with 40 + 60 of 100 bytes
 * queued and writers of 60 and then 10 bytes asleep, reading the 40 lets
 * the 10-byte writer in, though the 60-byte one waits ahead of it.
 */
TEST_F(slot100, a_read_wakes_the_writer_that_fits)
{
	char buf[64] = { 0 };
	pid_t big, small;

	ASSERT_EQ(40, write(self->cli, buf, 40));
	ASSERT_EQ(60, write(self->cli, buf, 60));
	big = blocked_writer(self->cli, 60);
	ASSERT_LT(0, big);
	small = blocked_writer(self->cli, 10);
	ASSERT_LT(0, small);
	ASSERT_EQ(40, rd(self->srv, buf, sizeof(buf)));
	EXPECT_TRUE(writer_done(small));
	EXPECT_TRUE(writer_sleeps(big));
	ASSERT_EQ(60, rd(self->srv, buf, sizeof(buf)));
	EXPECT_TRUE(writer_done(big));
}

/*
 * The room one read frees goes to as many sleeping writers as it holds:
 * 60 bytes freed, three writers of 20 asleep, all three get in.
 */
TEST_F(slot100, the_room_of_one_read_goes_to_every_writer_it_holds)
{
	char buf[64] = { 0 };
	pid_t w[3];
	int i;

	ASSERT_EQ(60, write(self->cli, buf, 60));
	ASSERT_EQ(40, write(self->cli, buf, 40));
	for (i = 0; i < 3; i++) {
		w[i] = blocked_writer(self->cli, 20);
		ASSERT_LT(0, w[i]);
	}
	ASSERT_EQ(60, rd(self->srv, buf, sizeof(buf)));
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(writer_done(w[i]));
}

/*
 * A woken writer that leaves without queueing passes the room on: the
 * first writer (50 bytes) is refused with EMSGSIZE once the server has
 * lowered its maximum to 40, and the writer of 30 behind it gets in.
 */
TEST_F(slot100, a_writer_that_gives_up_passes_the_room_on)
{
	char buf[64] = { 0 };
	int st;
	pid_t big, small;

	ASSERT_EQ(60, write(self->cli, buf, 60));
	ASSERT_EQ(40, write(self->cli, buf, 40));
	big = fork();
	if (big == 0)
		_exit(write(self->cli, buf, 50) == -1 && errno == EMSGSIZE ?
		      0 : 1);
	ASSERT_TRUE(msl_wait_asleep(big));
	small = blocked_writer(self->cli, 30);
	ASSERT_LT(0, small);
	ASSERT_EQ(0, msl_set_max_size(self->srv, 40));
	ASSERT_EQ(60, rd(self->srv, buf, sizeof(buf)));
	EXPECT_TRUE(writer_done(small));
	ASSERT_EQ(big, waitpid(big, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/*
 * The room of a read goes to the writers asleep for it, not to whoever
 * runs first: with 60 + 40 of 100 bytes queued and writers of 50 and then
 * 10 asleep, reading the 60 queues both their messages, before they run
 * (they share a CPU with this test, which runs at SCHED_FIFO meanwhile):
 * a nonblocking write of 45 then finds the slot full. Before the read
 * queued a sleeping writer's message itself, the 45 took the room and the
 * 50-byte writer slept on.
 */
TEST_F(slot100, the_room_of_a_read_goes_to_the_writers_asleep_for_it)
{
	struct sched_param fifo = { .sched_priority = 1 }, other = { 0 };
	char p[256], buf[64] = { 0 };
	pid_t big, small;
	int nb;

	ASSERT_EQ(0, pin_cpu(0));
	nb = open(msl_path(p, sizeof(p), self->dir, "s"),
		  O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, nb);
	ASSERT_EQ(60, write(self->cli, buf, 60));
	ASSERT_EQ(40, write(self->cli, buf, 40));
	big = blocked_writer(self->cli, 50);
	ASSERT_LT(0, big);
	small = blocked_writer(self->cli, 10);
	ASSERT_LT(0, small);
	ASSERT_EQ(0, sched_setscheduler(0, SCHED_FIFO, &fifo));
	ASSERT_EQ(60, rd(self->srv, buf, sizeof(buf)));	/* queues 50, 10 */
	EXPECT_EQ(-1, write(nb, buf, 45));		/* before they run */
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, sched_setscheduler(0, SCHED_OTHER, &other));
	EXPECT_TRUE(writer_done(big));
	EXPECT_TRUE(writer_done(small));
	ASSERT_EQ(40, rd(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(50, rd(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(10, rd(self->srv, buf, sizeof(buf)));
	close(nb);
}

/*
 * One read can hand its room to more sleeping writers than the waker
 * keeps to wake after it drops the lock (8): 20 writers of 3 bytes fill
 * the 60 bytes it frees, their messages queued by the read itself, before
 * any of them runs, and every one of them is woken.
 */
TEST_F(slot100, one_read_hands_its_room_to_twenty_writers)
{
	struct sched_param fifo = { .sched_priority = 1 }, other = { 0 };
	struct mailslot_info info;
	char buf[64] = { 0 };
	pid_t pid[20];
	int i;

	ASSERT_EQ(0, pin_cpu(0));
	ASSERT_EQ(60, write(self->cli, buf, 60));
	ASSERT_EQ(40, write(self->cli, buf, 40));	/* full */
	for (i = 0; i < 20; i++) {
		pid[i] = blocked_writer(self->cli, 3);
		ASSERT_LT(0, pid[i]);
	}
	ASSERT_EQ(0, sched_setscheduler(0, SCHED_FIFO, &fifo));
	ASSERT_EQ(60, rd(self->srv, buf, sizeof(buf)));	/* room for all */
	ASSERT_EQ(0, msl_info(self->srv, &info));	/* before they run */
	ASSERT_EQ(0, sched_setscheduler(0, SCHED_OTHER, &other));
	EXPECT_EQ(21, info.msg_count);
	for (i = 0; i < 20; i++)
		EXPECT_TRUE(writer_done(pid[i])) TH_LOG("writer %d", i);
	ASSERT_EQ(40, rd(self->srv, buf, sizeof(buf)));
	for (i = 0; i < 20; i++)
		EXPECT_EQ(3, rd(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, msl_set_timeout(self->srv, 0));
	EXPECT_EQ(-EAGAIN, rd(self->srv, buf, sizeof(buf)));
}

FIXTURE(slot8) {
	char dir[64];
	int srv;
	int cli;
};

FIXTURE_SETUP(slot8)
{
	if (MOUNT("slot_msgs=8"))
		pair_open(_metadata, self->dir, &self->srv, &self->cli);
}

FIXTURE_TEARDOWN(slot8)
{
	pair_close(self->dir, self->srv, self->cli);
}

static void on_signal(int sig)
{
}

/* A writer's exit code for its errno: 2 EPIPE, 3 EINTR, 1 any other. */
static int errno_code(void)
{
	return errno == EPIPE ? 2 : errno == EINTR ? 3 : 1;
}

/*
 * A writer of @len bytes asleep on the full slot, which does not hold the
 * server open and which SIGUSR1 interrupts: its pid. It exits with 0
 * when it wrote, or errno_code().
 */
static pid_t lone_writer(struct __test_metadata *_metadata, int srv, int cli,
			 size_t len)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char buf[8] = { 0 };
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		close(srv);	/* the parent's close must be the last */
		sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
		signal(SIGPIPE, SIG_IGN);
		_exit(write(cli, buf, len) == (ssize_t)len ? 0 : errno_code());
	}
	ASSERT_LT(0, pid);
	ASSERT_TRUE(msl_wait_asleep(pid));
	return pid;
}

/* Fill the slot of 8, and put a lone_writer() of 2 bytes to sleep on it. */
static pid_t full_and_a_writer(struct __test_metadata *_metadata,
			       int srv, int cli)
{
	int i;

	for (i = 0; i < 8; i++)
		ASSERT_EQ(1, write(cli, "x", 1));
	return lone_writer(_metadata, srv, cli, 2);
}

/*
 * A read queues a sleeping writer's message at once, but the writer
 * stays asleep until the slot is half empty. A server that reads one
 * message and then waits for something else does not keep it there:
 * it goes within a bound (10 ms) though nobody reads on.
 */
TEST_F(slot8, a_writer_handed_room_goes_though_nobody_reads_on)
{
	struct mailslot_info info;
	char buf[8];
	pid_t pid;

	pid = full_and_a_writer(_metadata, self->srv, self->cli);
	ASSERT_EQ(1, rd(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(8, info.msg_count);		/* its message: queued */
	EXPECT_TRUE(writer_done(pid));
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(8, info.msg_count);
	EXPECT_EQ(9, info.queued_bytes);
}

/*
 * In a new slot of 8 (@dir/@name), a writer W of 2 bytes and then eight
 * of 1 byte fall asleep. The first read queues W's message, and each of
 * the seven after it one of the others', so the slot stays full and W
 * sleeps on, parked. Read those eight messages, and W's too when
 * @read_its_own, then close the server. Return W's exit code (0 wrote,
 * 2 EPIPE), or -1 when W was no longer asleep just before the close:
 * the work let it go first, which proves nothing.
 */
static int parked_at_close(struct __test_metadata *_metadata,
			   const char *dir, const char *name, bool read_its_own)
{
	int i, srv, cli, st, asleep;
	char a[256], buf[8];
	pid_t pid, more[8];

	srv = msl_create(path2(a, sizeof(a), dir, name));
	cli = msl_client(a);
	EXPECT_LE(0, cli);
	pid = full_and_a_writer(_metadata, srv, cli);
	for (i = 0; i < 8; i++)
		more[i] = lone_writer(_metadata, srv, cli, 1);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(1, rd(srv, buf, sizeof(buf)));
	if (read_its_own)
		EXPECT_EQ(2, rd(srv, buf, sizeof(buf)));
	asleep = msl_proc_sleeping(pid);
	EXPECT_EQ(0, close(srv));
	st = msl_wait(pid);
	for (i = 0; i < 8; i++) {	/* written, or EPIPE: either is right */
		int s = msl_wait(more[i]);

		EXPECT_TRUE(s == 0 || s == 2) TH_LOG("writer %d: %d", i, s);
	}
	close(cli);
	return asleep ? st : -1;
}

/* Up to three slots of parked_at_close(): W's exit code, -1 if never. */
static int parked_at_close3(struct __test_metadata *_metadata,
			    const char *dir, bool read_its_own)
{
	char name[8];
	int i, st = -1;

	for (i = 0; i < 3 && st == -1; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		st = parked_at_close(_metadata, dir, name, read_its_own);
	}
	return st;
}

/*
 * The server closes while a writer whose message a read queued sleeps on,
 * its message next to be read: the message goes unread with the slot,
 * and the writer fails with EPIPE, as every writer still waiting does.
 */
TEST_F(mnt, a_parked_writer_whose_message_went_unread_gets_epipe)
{
	if (!MOUNT("slot_msgs=8"))
		return;
	EXPECT_EQ(2, parked_at_close3(_metadata, self->dir, false));
}

/*
 * With more writers asleep than the slot holds, a writer's message can
 * be read while it is still parked: when the server then goes, that
 * writer has written, and does not get EPIPE.
 */
TEST_F(mnt, a_parked_writer_whose_message_was_read_has_written)
{
	if (!MOUNT("slot_msgs=8"))
		return;
	EXPECT_EQ(0, parked_at_close3(_metadata, self->dir, true));
}

/*
 * A writer that a read let go at the low-water mark, but which has not
 * run yet when the server closes, its message unread: it fails with
 * EPIPE too. (It shares CPU 0 with the test, which runs SCHED_FIFO until
 * the close.)
 */
TEST_F(slot8, a_writer_let_go_but_not_back_when_the_server_goes_gets_epipe)
{
	struct sched_param fifo = { .sched_priority = 1 }, other = { 0 };
	char buf[8];
	pid_t pid;
	int i;

	ASSERT_EQ(0, pin_cpu(0));
	pid = full_and_a_writer(_metadata, self->srv, self->cli);
	ASSERT_EQ(0, sched_setscheduler(0, SCHED_FIFO, &fifo));
	for (i = 0; i < 5; i++)		/* 4 left: it is let go */
		ASSERT_EQ(1, rd(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, close(self->srv));
	self->srv = -1;
	ASSERT_EQ(0, sched_setscheduler(0, SCHED_OTHER, &other));
	EXPECT_EQ(2, msl_wait(pid));
}

/*
 * A signal that reaches a writer whose message a read queued, while it
 * sleeps on until the slot is half empty, ends its wait with the write
 * done: not EINTR (nor a restart, which would queue the message twice).
 */
TEST_F(slot8, a_writer_handed_room_and_signalled_has_written)
{
	struct mailslot_info info;
	int i, tries, asleep = 0;
	char buf[8];
	pid_t pid;

	for (tries = 0; tries < 3 && !asleep; tries++) {
		pid = full_and_a_writer(_metadata, self->srv, self->cli);
		ASSERT_EQ(1, rd(self->srv, buf, sizeof(buf)));
		asleep = msl_proc_sleeping(pid);	/* else the work ran */
		ASSERT_EQ(0, kill(pid, SIGUSR1));
		EXPECT_EQ(0, msl_wait(pid));
		ASSERT_EQ(0, msl_info(self->srv, &info));
		EXPECT_EQ(8, info.msg_count);
		for (i = 0; i < 7; i++)
			EXPECT_EQ(1, rd(self->srv, buf, sizeof(buf)));
		EXPECT_EQ(2, rd(self->srv, buf, sizeof(buf)));
	}
	EXPECT_TRUE(asleep);
}

/* Spin for @us microseconds: a reader that works on what it reads. */
static void busy_us(long us)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000 +
	       (t.tv_nsec - t0.tv_nsec) / 1000 < us);
}

/*
 * A writer faster than its reader keeps the slot full. Woken each time a
 * read freed one message's room, it would sleep once a message; it is
 * woken when the slot is half empty, and then writes half a slot before
 * it sleeps again (as a socket's writer is woken when half of its send
 * buffer is free).
 */
TEST_F(slot8, a_writer_kept_waiting_sleeps_once_per_half_slot)
{
	const long n = 800;
	long long t0;
	int fds[2], st;
	long i, sleeps = -1;
	char buf[8] = { 0 };
	pid_t pid;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "one CPU");
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, pin_cpu(1));	/* the writer's */
	pid = fork();
	if (pid == 0) {
		struct rusage ru;

		for (i = 0; i < n; i++)
			if (write(self->cli, buf, 4) != 4)
				_exit(1);
		getrusage(RUSAGE_SELF, &ru);
		_exit(write(fds[1], &ru.ru_nvcsw, sizeof(long)) > 0 ? 0 : 1);
	}
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, pin_cpu(0));
	t0 = msl_now_ms();
	for (i = 0; i < n; i++) {
		ASSERT_EQ(4, rd(self->srv, buf, sizeof(buf)));
		busy_us(100);
	}
	t0 = msl_now_ms() - t0;
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_EQ(0, st);
	ASSERT_EQ(sizeof(long), read(fds[0], &sleeps, sizeof(long)));
	TH_LOG("%ld sleeps for %ld messages in %lld ms", sleeps, n, t0);
	if (sleeps < n / 50)
		SKIP(return, "the writer never outran the reader");
	EXPECT_GT(n / 2, sleeps);
	/* nor did the reader wait for the work to let the writer go */
	EXPECT_GT(msl_ms(500), t0);
	close(fds[0]);
	close(fds[1]);
}

/*
 * An EPOLLEXCLUSIVE watcher of EPOLLOUT, which any user may set, asleep in
 * epoll_wait() before the writer, does not take the wake-up that the
 * sleeping writer needs.
 */
TEST_F(mnt, an_exclusive_poller_does_not_starve_a_writer)
{
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLEXCLUSIVE };
	char a[256], buf[8] = { 0 };
	int srv, cli, watched, ep;
	pid_t w, poller;

	if (!MOUNT("slot_msgs=1"))
		return;
	srv = msl_create(path2(a, sizeof(a), self->dir, "s"));
	cli = msl_client(a);
	watched = msl_client(a);
	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, watched, &ev));
	ASSERT_EQ(1, write(cli, buf, 1));		/* full */
	poller = fork();
	if (poller == 0)
		_exit(epoll_wait(ep, &ev, 1, msl_ms(20000)) == 1 ? 0 : 1);
	ASSERT_TRUE(msl_wait_asleep(poller));
	w = blocked_writer(cli, 1);
	ASSERT_LT(0, w);
	ASSERT_EQ(1, rd(srv, buf, sizeof(buf)));
	EXPECT_TRUE(writer_done(w));
	ASSERT_EQ(1, rd(srv, buf, sizeof(buf)));	/* room for it now */
	EXPECT_TRUE(writer_done(poller));
	close(ep);
	close(watched);
	close(cli);
	close(srv);
}

/*
 * An edge-triggered poller of the server hears of every message queued:
 * of a sleeping writer's too, which the read that made room queued.
 */
TEST_F(mnt, an_edge_triggered_reader_hears_of_a_handed_message)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	char buf[8];
	int srv, cli, ep;
	pid_t pid;

	if (!MOUNT("slot_msgs=1"))
		return;
	pair_open(_metadata, self->dir, &srv, &cli);
	ep = epoll_create1(0);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev));
	ASSERT_EQ(1, write(cli, "1", 1));		/* full */
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));	/* one edge, once */
	pid = fork();
	if (pid == 0)
		_exit(write(cli, "2", 1) == 1 ? 0 : 1);
	ASSERT_TRUE(msl_wait_asleep(pid));
	ASSERT_EQ(1, rd(srv, buf, sizeof(buf)));	/* room: "2" goes in */
	EXPECT_EQ(0, msl_wait(pid));
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 0));	/* a new edge */
	ASSERT_EQ(1, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ('2', buf[0]);
	close(ep);
	close(cli);
	close(srv);
}

TEST_F(pair, default_max_message_is_64k)
{
	struct mailslot_info info;
	static char big[65537];

	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(65536, info.max_msg_size);
	EXPECT_EQ(-1, write(self->cli, big, 65537));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(65536, write(self->cli, big, 65536));
}

TEST_F(pair, empty_read_blocks_until_a_write)
{
	char buf[8];
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		ssize_t n = read(self->srv, buf, sizeof(buf));

		_exit(n == 4 && !memcmp(buf, "data", 4) ? 0 : 1);
	}
	ASSERT_TRUE(msl_wait_asleep(pid));
	usleep(200000);
	EXPECT_EQ(0, waitpid(pid, NULL, WNOHANG));
	ASSERT_EQ(4, write(self->cli, "data", 4));
	EXPECT_EQ(0, msl_wait(pid));
}

TEST_F(ns, empty_read_nonblocking_eagain)
{
	char buf[8];
	int srv;

	srv = open(P("s"), O_RDONLY | O_CREAT | O_EXCL | O_NONBLOCK, 0666);
	ASSERT_LE(0, srv);
	EXPECT_EQ(-EAGAIN, rd(srv, buf, sizeof(buf)));
	close(srv);
}

TEST_F(ns, read_timeout_expires_with_eagain)
{
	long long t0, dt;
	char buf[8];
	int srv;

	srv = msl_create(P("s"));
	ASSERT_EQ(0, msl_set_timeout(srv, 300));
	t0 = msl_now_ms();
	EXPECT_EQ(-EAGAIN, rd(srv, buf, sizeof(buf)));
	dt = msl_now_ms() - t0;
	EXPECT_GE(dt, 290);
	EXPECT_LT(dt, msl_ms(10000));
	ASSERT_EQ(0, msl_set_timeout(srv, 0));
	t0 = msl_now_ms();
	EXPECT_EQ(-EAGAIN, rd(srv, buf, sizeof(buf)));
	EXPECT_LT(msl_now_ms() - t0, msl_ms(200));
	close(srv);
}

TEST_F(pair, set_timeout_checks_its_argument)
{
	struct mailslot_info info;

	EXPECT_EQ(-1, msl_set_timeout(self->srv, -2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, msl_set_timeout(self->cli, 10));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ioctl(self->srv, MAILSLOT_IOC_SET_TIMEOUT, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, msl_set_timeout(self->srv, MAILSLOT_WAIT_FOREVER));
	ASSERT_EQ(0, msl_info(self->cli, &info));
	EXPECT_EQ(MAILSLOT_WAIT_FOREVER, info.read_timeout);
}

static int alarm_pipe[2];

/* SIGALRM: tell alarm_when_asleep()'s child that it has been handled. */
static void on_alarm(int sig)
{
	(void)sig;
	if (write(alarm_pipe[1], "a", 1) != 1)
		_exit(3);
}

/*
 * A child that sends SIGALRM to this process once it sleeps, and waits
 * until the signal was handled; with @msg, it then writes @msg to @cli
 * once this process sleeps again.
 */
static pid_t alarm_when_asleep(int cli, const char *msg)
{
	pid_t parent = getpid(), pid = fork();
	size_t len = msg ? strlen(msg) : 0;
	char c;

	if (pid)
		return pid;
	if (!msl_wait_asleep(parent) || kill(parent, SIGALRM))
		_exit(1);
	if (read(alarm_pipe[0], &c, 1) != 1)
		_exit(2);
	if (!msg)
		_exit(0);
	if (!msl_wait_asleep(parent))
		_exit(2);
	_exit(write(cli, msg, len) == (ssize_t)len ? 0 : 4);
}

TEST_F(pair, signals_interrupt_blocked_reads)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char buf[8];
	pid_t pid;

	ASSERT_EQ(0, pipe(alarm_pipe));
	/* no SA_RESTART: EINTR */
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	pid = alarm_when_asleep(self->cli, NULL);
	EXPECT_EQ(-EINTR, rd(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, msl_wait(pid));
	/* SA_RESTART and no timeout: the read restarts and gets the message */
	sa.sa_flags = SA_RESTART;
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	pid = alarm_when_asleep(self->cli, "late");
	EXPECT_EQ(4, rd(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, msl_wait(pid));
	/* SA_RESTART with a timeout: EINTR, as for sockets */
	ASSERT_EQ(0, msl_set_timeout(self->srv, msl_ms(5000)));
	pid = alarm_when_asleep(self->cli, NULL);
	EXPECT_EQ(-EINTR, rd(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, msl_wait(pid));
}

TEST_F(mnt, full_slot_by_count_blocks_or_eagain)
{
	char buf[8];
	int srv, cli;
	pid_t pid;

	if (!MOUNT("slot_msgs=2"))
		return;
	pair_open(_metadata, self->dir, &srv, &cli);
	ASSERT_EQ(1, write(cli, "1", 1));
	ASSERT_EQ(0, write(cli, "", 0));
	ASSERT_EQ(0, fcntl(cli, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, write(cli, "3", 1));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(cli, F_SETFL, 0));
	pid = fork();
	if (pid == 0)
		_exit(write(cli, "3", 1) == 1 ? 0 : 1);
	ASSERT_TRUE(msl_wait_asleep(pid));
	usleep(100000);
	EXPECT_EQ(0, waitpid(pid, NULL, WNOHANG));	/* still blocked */
	ASSERT_EQ(1, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ(0, msl_wait(pid));
	EXPECT_EQ(0, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ(1, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ('3', buf[0]);
	close(cli);
	close(srv);
}

TEST_F(mnt, full_slot_by_bytes_blocks_or_eagain)
{
	char a[256], buf[64] = { 0 };
	struct mailslot_info info;
	int srv, cli;
	pid_t pid;

	if (!MOUNT("slot_bytes=100,max_msg_size=60"))
		return;
	srv = msl_create(path2(a, sizeof(a), self->dir, "s"));
	cli = open(a, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(100, info.quota_bytes);
	ASSERT_EQ(60, write(cli, buf, 60));
	EXPECT_EQ(-1, write(cli, buf, 41));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(40, write(cli, buf, 40));	/* exactly full */
	pid = fork();
	if (pid == 0) {
		fcntl(cli, F_SETFL, 0);
		_exit(write(cli, buf, 50) == 50 ? 0 : 1);
	}
	ASSERT_TRUE(msl_wait_asleep(pid));
	ASSERT_EQ(60, rd(srv, buf, sizeof(buf)));
	EXPECT_EQ(0, msl_wait(pid));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(90, info.queued_bytes);
	close(cli);
	close(srv);
}

TEST_F(mnt, namespace_budget_enobufs)
{
	char a[256], buf[4096] = { 0 };
	int s1, s2, c1, c2;

	/* each message costs what it takes in memory (pure.h, limits.c) */
	if (!MOUNT("max_msg_size=4096,total_bytes=8416"))
		return;
	s1 = msl_create(path2(a, sizeof(a), self->dir, "one"));
	c1 = msl_client(a);
	s2 = msl_create(path2(a, sizeof(a), self->dir, "two"));
	c2 = msl_client(a);
	ASSERT_LE(0, c2);
	ASSERT_EQ(4096, write(c1, buf, 4096));
	ASSERT_EQ(4000, write(c2, buf, 4000));
	/* 4160 and 4096 are charged: 160 bytes are left */
	EXPECT_EQ(-1, write(c2, buf, 121));	/* takes 176 */
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(120, write(c2, buf, 120));	/* takes 160 */
	EXPECT_EQ(-1, write(c1, buf, 0));	/* takes 48 */
	EXPECT_EQ(ENOBUFS, errno);
	ASSERT_EQ(4096, rd(s1, buf, sizeof(buf)));
	EXPECT_EQ(4096, write(c1, buf, 4096));	/* room again */
	close(c1);
	close(c2);
	close(s1);
	close(s2);
}

static long long cg_read(const char *cg, const char *file)
{
	char path[256], buf[64];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = atoll(buf);
	fclose(f);
	return v;
}

static int cg_write(const char *cg, const char *file, const char *val)
{
	char path[256];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

TEST_F(mnt, message_memory_is_charged_to_the_writers_memcg)
{
	char pidbuf[32];
	static char buf[60000];
	long long before, full, after;
	int srv, cli, i;
	pid_t pid;

	if (cg_write("/sys/fs/cgroup", "cgroup.subtree_control", "+memory"))
		SKIP(return, "no cgroup2 memory controller");
	snprintf(self->cg, sizeof(self->cg), "/sys/fs/cgroup/msl-%d", getpid());
	ASSERT_EQ(0, mkdir(self->cg, 0755));
	if (!MOUNT("slot_bytes=8M,total_bytes=16M"))
		return;
	pair_open(_metadata, self->dir, &srv, &cli);
	before = cg_read(self->cg, "memory.current");
	pid = fork();
	if (pid == 0) {
		snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
		if (cg_write(self->cg, "cgroup.procs", pidbuf))
			_exit(2);
		for (i = 0; i < 64; i++)
			if (write(cli, buf, sizeof(buf)) != sizeof(buf))
				_exit(1);
		_exit(0);
	}
	ASSERT_EQ(0, msl_wait(pid));
	full = cg_read(self->cg, "memory.current");
	EXPECT_GE(full - before, 64LL * 60000 * 9 / 10)
		TH_LOG("charged %lld", full - before);
	for (i = 0; i < 64; i++)
		ASSERT_EQ(60000, rd(srv, buf, sizeof(buf)));
	after = cg_read(self->cg, "memory.current");
	EXPECT_GE(full - after, 64LL * 60000 * 9 / 10)
		TH_LOG("uncharged %lld", full - after);
	close(cli);
	close(srv);
}

TEST_F(pair, server_poll_readable_while_queued)
{
	struct pollfd pfd;
	char buf[4];

	pfd.fd = self->srv;
	pfd.events = POLLIN | POLLOUT;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(1, write(self->cli, "x", 1));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN, pfd.revents);
	ASSERT_EQ(1, rd(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
}

TEST_F(mnt, client_poll_writable_while_room)
{
	char buf[4];
	struct pollfd pfd;
	int srv, cli;

	if (!MOUNT("slot_msgs=1"))
		return;
	pair_open(_metadata, self->dir, &srv, &cli);
	pfd.fd = cli;
	pfd.events = POLLIN | POLLOUT;
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT, pfd.revents);
	ASSERT_EQ(1, write(cli, "x", 1));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(1, rd(srv, buf, sizeof(buf)));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT, pfd.revents);
	close(cli);
	close(srv);
}

/*
 * A client is writable when its last write would fit: a level-triggered
 * poll must not report room that the write it waits for cannot use.
 */
TEST_F(mnt, client_poll_waits_for_room_for_its_last_write)
{
	char a[256], buf[64] = { 0 };
	struct pollfd pfd;
	int srv, cli;

	if (!MOUNT("slot_bytes=100,max_msg_size=60"))
		return;
	srv = msl_create(path2(a, sizeof(a), self->dir, "s"));
	cli = open(a, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, cli);
	pfd.fd = cli;
	pfd.events = POLLOUT;
	ASSERT_EQ(1, poll(&pfd, 1, 0));		/* empty */
	ASSERT_EQ(60, write(cli, buf, 60));
	EXPECT_EQ(0, poll(&pfd, 1, 0));		/* 40 bytes left: not a 60 */
	EXPECT_EQ(-1, write(cli, buf, 41));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, poll(&pfd, 1, 0));		/* nor the 41 it tried */
	ASSERT_EQ(40, write(cli, buf, 40));
	EXPECT_EQ(0, poll(&pfd, 1, 0));		/* full */
	ASSERT_EQ(60, rd(srv, buf, sizeof(buf)));
	ASSERT_EQ(1, poll(&pfd, 1, 0));		/* room for a 40 */
	EXPECT_EQ(POLLOUT, pfd.revents);
	EXPECT_EQ(40, write(cli, buf, 40));
	close(cli);
	close(srv);
}

TEST_F(pair, epoll_wakes_the_server)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep;
	pid_t pid;

	ep = epoll_create1(0);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->srv, &ev));
	pid = fork();
	if (pid == 0) {
		/* once the server sleeps in epoll_wait() */
		msl_wait_asleep(getppid());
		_exit(write(self->cli, "x", 1) == 1 ? 0 : 1);
	}
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, msl_ms(5000)));
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(0, msl_wait(pid));
	close(ep);
}

TEST_F(pair, fionread_is_the_next_message_size)
{
	char buf[16];

	EXPECT_EQ(0, msl_nread(self->srv));
	ASSERT_EQ(7, write(self->cli, "1234567", 7));
	ASSERT_EQ(3, write(self->cli, "123", 3));
	EXPECT_EQ(7, msl_nread(self->srv));
	EXPECT_EQ(7, msl_nread(self->cli));
	ASSERT_EQ(7, rd(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(3, msl_nread(self->srv));
}

TEST_F(pair, get_info_reports_the_slot)
{
	struct mailslot_info info;
	int i;

	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(65536, info.max_msg_size);
	EXPECT_EQ(MAILSLOT_NO_MESSAGE, info.next_size);
	EXPECT_EQ(0, info.msg_count);
	EXPECT_EQ(MAILSLOT_WAIT_FOREVER, info.read_timeout);
	EXPECT_EQ(0, info.queued_bytes);
	EXPECT_EQ(1 << 20, info.quota_bytes);
	EXPECT_EQ(1024, info.max_msgs);
	EXPECT_EQ(MAILSLOT_INFO_SERVER, info.flags);
	EXPECT_EQ(0, info.drops);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, info.__reserved[i]);
	ASSERT_EQ(2, write(self->cli, "ab", 2));
	ASSERT_EQ(3, write(self->cli, "cde", 3));
	ASSERT_EQ(0, msl_info(self->cli, &info));
	EXPECT_EQ(2, info.next_size);
	EXPECT_EQ(2, info.msg_count);
	EXPECT_EQ(5, info.queued_bytes);
	EXPECT_EQ(0, info.flags);
	EXPECT_EQ(-1, ioctl(self->srv, MAILSLOT_IOC_GET_INFO, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

static ssize_t recv_msg(int fd, struct mailslot_recv *r, void *buf,
			size_t len, unsigned int flags)
{
	/* the outputs hold junk, that the call must replace */
	memset(r, 0x5a, sizeof(*r));
	r->buf = (unsigned long)buf;
	r->buf_len = len;
	r->flags = flags;
	r->__pad = 0;
	memset(r->__reserved, 0, sizeof(r->__reserved));
	return ioctl(fd, MAILSLOT_IOC_RECV, r);
}

static int write_hello(void *path)
{
	int fd = msl_client(path);

	return fd >= 0 && write(fd, "hello", 5) == 5 ? 0 : 1;
}

TEST_F(ns, recv_returns_the_sender)
{
	struct mailslot_recv r;
	struct timespec t0, t1;
	char a[256], buf[16];
	long long ns0, ns1;
	int srv;
	pid_t pid;

	srv = open(path2(a, sizeof(a), self->dir, "s"),
		   O_RDONLY | O_CREAT | O_EXCL, 0622);
	ASSERT_LE(0, srv);
	clock_gettime(CLOCK_REALTIME, &t0);
	pid = fork();
	if (pid == 0) {
		if (setresgid(4321, 4321, 4321) || setresuid(1234, 1234, 1234))
			_exit(99);
		_exit(write_hello(a));
	}
	ASSERT_EQ(0, msl_wait(pid));
	clock_gettime(CLOCK_REALTIME, &t1);
	ASSERT_EQ(5, recv_msg(srv, &r, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(5, r.msg_len);
	EXPECT_EQ(MAILSLOT_ORIGIN_LOCAL, r.origin);
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(1234, r.uid);
	EXPECT_EQ(4321, r.gid);
	ns0 = t0.tv_sec * 1000000000LL + t0.tv_nsec;
	ns1 = t1.tv_sec * 1000000000LL + t1.tv_nsec;
	EXPECT_GE(r.recv_time_ns, ns0);
	EXPECT_LE(r.recv_time_ns, ns1);
	EXPECT_EQ(0, r.src_addr);
	EXPECT_EQ(0, r.src_port);
	EXPECT_EQ(0, r.src_name[0]);
	EXPECT_EQ(0, r.dst_name[0]);
	EXPECT_EQ(0, r.__reserved[0]);
	EXPECT_EQ(sizeof(buf), r.buf_len);
	close(srv);
}

TEST_F(pair, recv_short_buffer_reports_the_length)
{
	struct mailslot_recv r;
	struct mailslot_info info;
	char buf[16];

	ASSERT_EQ(10, write(self->cli, "0123456789", 10));
	EXPECT_EQ(-1, recv_msg(self->srv, &r, buf, 2, 0));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(10, r.msg_len);
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(1, info.msg_count);
}

TEST_F(pair, recv_peek_leaves_the_message)
{
	struct mailslot_recv r;
	struct mailslot_info info;
	char buf[16];

	ASSERT_EQ(4, write(self->cli, "peek", 4));
	ASSERT_EQ(4, recv_msg(self->srv, &r, buf, sizeof(buf), MAILSLOT_RECV_PEEK));
	EXPECT_EQ(0, memcmp(buf, "peek", 4));
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(1, info.msg_count);
	ASSERT_EQ(4, recv_msg(self->srv, &r, buf, sizeof(buf), 0));
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(0, info.msg_count);
	EXPECT_EQ(-1, recv_msg(self->srv, &r, buf, sizeof(buf), 0x80));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(pair, bad_buffers_efault_and_lose_nothing)
{
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	struct mailslot_recv r;
	struct mailslot_info info;
	char buf[16];

	ASSERT_NE(MAP_FAILED, bad);
	EXPECT_EQ(-1, write(self->cli, bad, 4));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(0, info.msg_count);
	ASSERT_EQ(4, write(self->cli, "keep", 4));
	EXPECT_EQ(-EFAULT, rd(self->srv, bad, 16));
	EXPECT_EQ(-1, recv_msg(self->srv, &r, bad, 16, 0));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->srv, MAILSLOT_IOC_RECV, bad));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, msl_info(self->srv, &info));
	EXPECT_EQ(1, info.msg_count);
	ASSERT_EQ(4, rd(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "keep", 4));
}

TEST_F(pair, recv_refuses_nonzero_reserved_fields)
{
	struct mailslot_recv r;
	char buf[16];
	unsigned int i;

	ASSERT_EQ(4, write(self->cli, "keep", 4));
	recv_msg(self->srv, &r, buf, sizeof(buf), 0);	/* sets the fields */
	ASSERT_EQ(4, write(self->cli, "kept", 4));
	memset(&r, 0, sizeof(r));
	r.buf = (unsigned long)buf;
	r.buf_len = sizeof(buf);
	r.__pad = 1;
	EXPECT_EQ(-1, ioctl(self->srv, MAILSLOT_IOC_RECV, &r));
	EXPECT_EQ(EINVAL, errno);
	r.__pad = 0;
	for (i = 0; i < ARRAY_SIZE(r.__reserved); i++) {
		r.__reserved[i] = 0x80000000u >> i;
		EXPECT_EQ(-1, ioctl(self->srv, MAILSLOT_IOC_RECV, &r));
		EXPECT_EQ(EINVAL, errno);
		r.__reserved[i] = 0;
	}
	/* nothing was taken */
	EXPECT_EQ(4, rd(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "kept", 4));
}

TEST_F(pair, server_only_ioctls_ebadf_on_clients)
{
	struct mailslot_recv r;
	char buf[8];

	ASSERT_EQ(1, write(self->cli, "x", 1));
	EXPECT_EQ(-1, recv_msg(self->cli, &r, buf, sizeof(buf), 0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ioctl(self->srv, _IO(MAILSLOT_IOC_MAGIC, 99)));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(mnt, max_slots_enospc)
{
	char a[256];
	int s1, s2, s3;

	if (!MOUNT("max_slots=3"))
		return;
	s1 = msl_create(path2(a, sizeof(a), self->dir, "1"));
	s2 = msl_create(path2(a, sizeof(a), self->dir, "2"));
	ASSERT_EQ(0, mkdir(path2(a, sizeof(a), self->dir, "d"), 0755));
	ASSERT_LE(0, s2);
	EXPECT_EQ(-1, msl_create(path2(a, sizeof(a), self->dir, "3")));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(-1, mkdir(path2(a, sizeof(a), self->dir, "e"), 0755));
	EXPECT_EQ(ENOSPC, errno);
	close(s1);
	s3 = msl_create(path2(a, sizeof(a), self->dir, "3"));
	EXPECT_LE(0, s3);
	close(s3);
	close(s2);
}

/*
 * A child that, as user @uid, makes up to @n slots "@tag0", "@tag1" ... in
 * @dir and holds them until it is killed; *@made says how many it made,
 * *@err why it stopped (0: it made them all). Its pid, or -1.
 */
static pid_t slot_hog(const char *dir, const char *tag, int n, uid_t uid,
		      int *made, int *err)
{
	int p[2], r[2] = { 0, 0 };
	char path[256];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
			_exit(99);
		for (r[0] = 0; r[0] < n; r[0]++) {
			snprintf(path, sizeof(path), "%s/%s%d", dir, tag, r[0]);
			if (msl_create(path) < 0) {
				r[1] = errno;
				break;
			}
		}
		if (write(p[1], r, sizeof(r)) != sizeof(r))
			_exit(98);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], r, sizeof(r)) != sizeof(r)) {
		r[0] = -1;
		r[1] = -1;
	}
	close(p[0]);
	*made = r[0];
	*err = r[1];
	return pid;
}

/* As a user: write 1000-byte messages to @path until one fails; its errno. */
static int fill(void *path)
{
	static char buf[1000];
	int fd = open(path, O_WRONLY | O_NONBLOCK), i;

	if (fd < 0)
		return 100;
	for (i = 0; i < 100; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			return errno;
	return 0;
}

/*
 * One user cannot take a namespace from the others: the slots and
 * directories a user makes, and the memory of the messages a user
 * writes, count against user_slots and user_bytes (EDQUOT).
 */
TEST_F(mnt, one_user_cannot_take_every_slot_or_byte)
{
	char a[256];
	struct mailslot_info info;
	int made, err, srv;
	pid_t hog1, hog2;

	if (!MOUNT("max_slots=8,user_slots=3,user_bytes=8k,max_msg_size=2k"))
		return;
	/* users 1000 and 1001 get three slots each, and root the rest */
	hog1 = slot_hog(self->dir, "a", 6, 1000, &made, &err);
	EXPECT_EQ(3, made);
	EXPECT_EQ(EDQUOT, err);
	hog2 = slot_hog(self->dir, "b", 6, 1001, &made, &err);
	EXPECT_EQ(3, made);
	EXPECT_EQ(EDQUOT, err);
	EXPECT_EQ(0, mkdir(path2(a, sizeof(a), self->dir, "d1"), 0755));
	EXPECT_EQ(0, mkdir(path2(a, sizeof(a), self->dir, "d2"), 0755));
	EXPECT_EQ(-1, mkdir(path2(a, sizeof(a), self->dir, "d3"), 0755));
	EXPECT_EQ(ENOSPC, errno);		/* the namespace's eight */
	kill(hog1, SIGKILL);
	kill(hog2, SIGKILL);
	msl_wait(hog1);
	msl_wait(hog2);
	/* 1000-byte messages take 1280 (pure.h): six fit 8k, each user's */
	srv = msl_create(path2(a, sizeof(a), self->dir, "q"));
	ASSERT_LE(0, srv);
	EXPECT_EQ(EDQUOT, as_user(1000, fill, a));
	EXPECT_EQ(EDQUOT, as_user(1001, fill, a));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(12, info.msg_count);
	close(srv);
}

/*
 * In a network namespace of its own: mount an instance on @dir, make a
 * slot there and as many more as it can (@r[0] of them), and write
 * 1000-byte messages to the first until it cannot (@r[1]); the errno
 * that stopped each in @r[2], @r[3].
 */
static int fill_instance(const char *dir, int *r)
{
	static char buf[1000];
	char p[256];
	int fd;

	if (unshare(CLONE_NEWNET) || mount("none", dir, MSL_FSTYPE, 0, NULL))
		return -1;
	for (r[0] = 0;; r[0]++) {
		snprintf(p, sizeof(p), "%s/s%d", dir, r[0]);
		if (msl_create(p) < 0)
			break;
	}
	r[2] = errno;
	if (!r[0])
		return 0;
	snprintf(p, sizeof(p), "%s/s0", dir);
	fd = open(p, O_WRONLY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	for (r[1] = 0; write(fd, buf, sizeof(buf)) == sizeof(buf); r[1]++)
		;
	r[3] = errno;
	return 0;
}

/*
 * What an unprivileged user can make the kernel hold is bounded: the
 * namespaces he mounts in his user namespaces count together against
 * the module's userns_slots and userns_bytes, however many he makes.
 */
TEST_F(mnt, unprivileged_namespaces_share_one_bound)
{
	int *r, st;
	pid_t pid;

	r = mmap(NULL, 8 * sizeof(int), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r);
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_NE(NULL, mkdtemp(self->dir2));
	ASSERT_EQ(0, chmod(self->dir, 0777));
	ASSERT_EQ(0, chmod(self->dir2, 0777));
	self->bounds = true;
	ASSERT_EQ(0, userns_bounds("3", "16384"));
	pid = fork();
	if (pid == 0) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(99);
		if (msl_userns_root(CLONE_NEWUSER | CLONE_NEWNS))
			_exit(4);
		_exit(fill_instance(self->dir, r) ||
		      fill_instance(self->dir2, r + 4) ? 1 : 0);
	}
	st = msl_wait(pid);
	if (st == 4)
		SKIP(return, "unprivileged user namespaces are disabled");
	ASSERT_EQ(0, st);
	/* 3 slots, 12 messages of 1280 bytes in 16k: all in the first */
	EXPECT_EQ(3, r[0]);
	EXPECT_EQ(EDQUOT, r[2]);
	EXPECT_EQ(12, r[1]);
	EXPECT_EQ(EDQUOT, r[3]);
	EXPECT_EQ(0, r[4]);		/* none left for the second */
	EXPECT_EQ(EDQUOT, r[6]);
}

/*
 * Each limit has a range and the hard ceilings hold for root too; a
 * largest message must fit an empty slot, the namespace and a user's
 * share; numbers and names are parsed whole.
 */
FIXTURE(option) {
	char dir[64];
};

FIXTURE_VARIANT(option) {
	const char *opts;
	int err;
};

FIXTURE_VARIANT_ADD(option, largest_sizes) {
	.opts = "max_msg_size=16M,slot_bytes=16M,total_bytes=32M,user_bytes=32M",
	.err = 0,
};

FIXTURE_VARIANT_ADD(option, message_over_16m) {
	.opts = "max_msg_size=16777217,slot_bytes=32M,total_bytes=64M",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, slot_bytes_257m) {
	.opts = "slot_bytes=257M",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, total_bytes_2g) {
	.opts = "total_bytes=2G",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, slot_msgs_65537) {
	.opts = "slot_msgs=65537",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, max_slots_65537) {
	.opts = "max_slots=65537",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, slot_msgs_0) {
	.opts = "slot_msgs=0",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, max_slots_0) {
	.opts = "max_slots=0",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, user_slots_65537) {
	.opts = "user_slots=65537",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, user_bytes_2g) {
	.opts = "user_bytes=2G",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, user_bytes_4095) {
	.opts = "user_bytes=4095",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, message_over_a_slot) {
	.opts = "max_msg_size=2M",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, message_over_the_namespace) {
	.opts = "max_msg_size=8192,total_bytes=8192",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, message_over_a_users_share) {
	.opts = "max_msg_size=16M,slot_bytes=16M,total_bytes=32M",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, user_bytes_under_a_message) {
	.opts = "user_bytes=32k",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, slot_msgs_12q) {
	.opts = "slot_msgs=12q",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, slot_msgs_empty) {
	.opts = "slot_msgs=",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, slot_msgs_overflow) {
	.opts = "slot_msgs=99999999999999999999999",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, nosuchoption) {
	.opts = "nosuchoption",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, mode_9) {
	.opts = "mode=9",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, uid_4294967295) {
	.opts = "uid=4294967295",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(option, suffixes) {
	.opts = "max_msg_size=64k,slot_bytes=1m,total_bytes=1G",
	.err = 0,
};

FIXTURE_SETUP(option)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/msl.XXXXXX");
}

FIXTURE_TEARDOWN(option)
{
	msl_private_end(self->dir);
}

TEST_F(option, is_taken_or_einval)
{
	int err = msl_private(self->dir, sizeof(self->dir), variant->opts);

	EXPECT_EQ(variant->err, err) TH_LOG("%s", strerror(-err));
}

TEST_F(mnt, options_show_in_proc_mounts)
{
	char opts[1024];

	if (!MOUNT("max_msg_size=4k,slot_msgs=10,mode=0700"))
		return;
	ASSERT_EQ(0, msl_mount_opts(self->dir, opts, sizeof(opts)));
	EXPECT_NE(NULL, strstr(opts, "max_msg_size=4096"));
	EXPECT_NE(NULL, strstr(opts, "slot_msgs=10"));
	EXPECT_NE(NULL, strstr(opts, "mode=700"));
	EXPECT_EQ(NULL, strstr(opts, "slot_bytes"));	/* defaults are not shown */
}

/* The NetBIOS name remote takes from host name @host, as mounts show it. */
static int netbios_name_of(const char *dir, const char *host, char *out,
			   size_t len)
{
	char opts[1024], *p, *end;
	int ret = -1;

	if (sethostname(host, strlen(host)) ||
	    mount("none", dir, MSL_FSTYPE, 0, "remote"))
		return -1;
	if (!msl_mount_opts(dir, opts, sizeof(opts))) {
		p = strstr(opts, "netbios_name=");
		end = p ? strchr(p, ',') : NULL;
		if (end)
			*end = 0;
		if (p)
			ret = snprintf(out, len, "%s", p + 13) < 0;
	}
	umount(dir);
	return ret;
}

/*
 * The default NetBIOS name is the host name's first label, upper-cased:
 * one that is no valid NetBIOS name gives MAILSLOTFS, and whatever the
 * name holds shows in /proc/mounts so that the options still parse.
 */
TEST_F(mnt, host_names_give_valid_netbios_names)
{
	char name[64];

	if (!MOUNT(NULL))
		return;
	umount(self->dir);
	ASSERT_EQ(0, unshare(CLONE_NEWUTS));
	ASSERT_EQ(0, netbios_name_of(self->dir, "files.example", name, sizeof(name)));
	EXPECT_STREQ("FILES", name);
	ASSERT_EQ(0, netbios_name_of(self->dir, "bad*host", name, sizeof(name)));
	EXPECT_STREQ("MAILSLOTFS", name);
	ASSERT_EQ(0, netbios_name_of(self->dir, "tab\there", name, sizeof(name)));
	EXPECT_STREQ("MAILSLOTFS", name);
	ASSERT_EQ(0, netbios_name_of(self->dir, "a,b=c d.example", name, sizeof(name)));
	EXPECT_STREQ("A\\054B=C\\040D", name);
}

/* How many lines of the kernel log hold @text. */
static int klog_count(const char *text)
{
	static char buf[1 << 20];
	int n = klogctl(3, buf, sizeof(buf) - 1), count = 0;	/* READ_ALL */
	char *p = buf;

	if (n < 0)
		return -1;
	buf[n] = 0;
	while ((p = strstr(p, text))) {
		count++;
		p++;
	}
	return count;
}

/* In a network namespace of its own, with UDP 138 taken: EADDRINUSE. */
static int remote_on_where_138_is_taken(void *dir)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(138) };
	int s;

	if (unshare(CLONE_NEWNET))
		return 1;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sin, sizeof(sin)))
		return 2;
	if (mount("none", dir, MSL_FSTYPE, 0, "remote") == 0 || errno != EADDRINUSE)
		return 3;
	return 0;
}

/* Kernel log lines that any user can cause are rate-limited. */
TEST_F(mnt, log_lines_a_user_causes_are_rate_limited)
{
	const char *text = "UDP port 138 is taken";
	long long t0, ms;
	int before, i, most;

	if (!MOUNT(NULL))
		return;
	umount(self->dir);
	before = klog_count(text);
	ASSERT_LE(0, before);
	t0 = msl_now_ms();
	for (i = 0; i < 100; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(remote_on_where_138_is_taken(self->dir));
		ASSERT_EQ(0, msl_wait(pid));
	}
	ms = msl_now_ms() - t0;
	/* printk_ratelimited(): 10 lines every 5 s */
	most = 10 * (ms / 5000 + 1);
	EXPECT_GE(most, klog_count(text) - before) TH_LOG("in %lld ms", ms);
}

TEST_F(mnt, remount_changes_the_options_given)
{
	char a[256], opts[1024];
	static char big[4057];	/* takes 4144 bytes (pure.h) */
	struct mailslot_info info;
	struct stat st;
	int s1, s2, c1;

	if (!MOUNT("slot_msgs=10"))
		return;
	s1 = msl_create(path2(a, sizeof(a), self->dir, "before"));
	c1 = msl_client(a);
	ASSERT_LE(0, c1);
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_REMOUNT, "max_msg_size=100,mode=0700"));
	ASSERT_EQ(0, msl_info(s1, &info));
	EXPECT_EQ(65536, info.max_msg_size);	/* fixed at creation */
	s2 = msl_create(path2(a, sizeof(a), self->dir, "after"));
	ASSERT_EQ(0, msl_info(s2, &info));
	EXPECT_EQ(100, info.max_msg_size);
	EXPECT_EQ(10, info.max_msgs);		/* not given: unchanged */
	ASSERT_EQ(0, stat(self->dir, &st));
	EXPECT_EQ(S_IFDIR | 0700, st.st_mode);
	/* namespace-wide limits apply at once */
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_REMOUNT, "total_bytes=4k,max_msg_size=1k"));
	EXPECT_EQ(-1, write(c1, big, sizeof(big)));
	EXPECT_EQ(ENOBUFS, errno);
	/* a bad combination is refused and changes nothing */
	EXPECT_EQ(-1, mount(NULL, self->dir, NULL, MS_REMOUNT, "max_msg_size=8k"));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, msl_mount_opts(self->dir, opts, sizeof(opts)));
	EXPECT_NE(NULL, strstr(opts, "max_msg_size=1024"));
	close(c1);
	close(s1);
	close(s2);
}

TEST_F(mnt, a_second_mount_takes_the_same_options_or_ebusy)
{
	char a[256];
	struct mailslot_info info;
	int srv;

	if (!MOUNT("slot_msgs=5"))
		return;
	ASSERT_NE(NULL, mkdtemp(self->dir2));
	/* other options are never ignored: use remount to change them */
	EXPECT_EQ(-1, mount("none", self->dir2, MSL_FSTYPE, 0, "slot_msgs=7"));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, mount("none", self->dir2, MSL_FSTYPE, 0, "mode=0700"));
	EXPECT_EQ(EBUSY, errno);
	/* the options it has, or none, share the instance */
	ASSERT_EQ(0, mount("none", self->dir2, MSL_FSTYPE, 0, "slot_msgs=5"));
	umount(self->dir2);
	ASSERT_EQ(0, mount("none", self->dir2, MSL_FSTYPE, 0, NULL));
	srv = msl_create(path2(a, sizeof(a), self->dir2, "s"));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(5, info.max_msgs);
	close(srv);
}

TEST_F(mnt, owner_of_a_user_namespace_can_mount)
{
	pid_t pid;

	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0777));
	pid = fork();
	if (pid == 0) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(99);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS))
			_exit(errno == EPERM ? 4 : 98);
		if (mount("none", self->dir, MSL_FSTYPE, 0, NULL))
			_exit(1);
		if (mount("none", self->dir, MSL_FSTYPE, 0, "slot_bytes=2G") == 0)
			_exit(2);	/* ceilings hold there too */
		_exit(0);
	}
	switch (msl_wait(pid)) {
	case 4:
		SKIP(return, "unprivileged user namespaces are disabled");
	case 0:
		break;
	default:
		ASSERT_TRUE(0);
	}
}

MSL_HARNESS_MAIN
