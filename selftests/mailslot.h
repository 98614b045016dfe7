/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the mailslotfs selftests; include it after
 * kselftest_harness.h.
 *
 * Most tests run in a mailslot namespace of their own: the harness forks
 * a child per test, and msl_private() moves it to a new network namespace
 * (so a new mailslotfs instance) and a new mount namespace to mount that
 * instance in.
 */
#ifndef MAILSLOT_SELFTEST_H
#define MAILSLOT_SELFTEST_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mailslot.h>

#define MSL_FSTYPE "mailslotfs"

/*
 * Mount a fresh instance with @opts in a new netns + mount ns, and clear
 * the umask so that slots are as writable as the tests create them.
 * Returns 0 or -errno.
 */
static inline int msl_private(char *dir, size_t len, const char *opts)
{
	umask(0);
	if (unshare(CLONE_NEWNET | CLONE_NEWNS))
		return -errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -errno;
	snprintf(dir, len, "/tmp/msl.XXXXXX");
	if (!mkdtemp(dir))
		return -errno;
	if (mount("none", dir, MSL_FSTYPE, 0, opts))
		return -errno;
	return 0;
}

/*
 * In a harness test: a private instance mounted on @dir. Returns false
 * when the test is to stop: skipped without root, or failed.
 */
static inline bool msl_setup(struct __test_metadata *_metadata, char *dir,
			     size_t len, const char *opts)
{
	int err = msl_private(dir, len, opts);

	if (err == -EPERM)
		SKIP(return false, "needs root");
	EXPECT_EQ(0, err) TH_LOG("mount -o %s: %s", opts ? opts : "",
				 strerror(-err));
	return !err;
}

static inline void msl_private_end(const char *dir)
{
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

/* "dir/name" in a static buffer per call site is too clever: use this. */
static inline const char *msl_path(char *buf, size_t len, const char *dir,
				   const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

/* Create a slot: the returned descriptor is its server. */
static inline int msl_create(const char *path)
{
	return open(path, O_RDONLY | O_CREAT | O_EXCL, 0666);
}

static inline int msl_client(const char *path)
{
	return open(path, O_WRONLY);
}

static inline int msl_info(int fd, struct mailslot_info *info)
{
	memset(info, 0xa5, sizeof(*info));
	return ioctl(fd, MAILSLOT_IOC_GET_INFO, info);
}

static inline int msl_set_timeout(int fd, int ms)
{
	__s32 v = ms;

	return ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &v);
}

/* CreateMailslot's nMaxMessageSize: the slot's largest message */
static inline int msl_set_max_size(int fd, unsigned int size)
{
	__u32 v = size;

	return ioctl(fd, MAILSLOT_IOC_SET_MAX_SIZE, &v);
}

static inline int msl_nread(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

static inline long long msl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait for a child and return its exit status, or 128 + signal. */
static inline int msl_wait(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * Time limits. Every limit of a test (a harness test's timeout, a
 * deadline for an event, a read timeout that waits for a message) is a
 * base value for Debian's kernels times one scale, MSFS_TIME_SCALE, which
 * tools/vm-run sets per kernel (the debug kernel runs several times
 * slower) and which is 1 when unset. A limit is how long to wait for
 * something that normally takes far less: nothing may depend on it
 * expiring, but for the tests of timeouts themselves.
 */
static inline double msl_time_scale(void)
{
	const char *s = getenv("MSFS_TIME_SCALE");
	double v = s ? strtod(s, NULL) : 1;

	return v >= 1 ? v : 1;
}

/* @ms milliseconds, scaled. */
static inline int msl_ms(int ms)
{
	return ms * msl_time_scale();
}

/*
 * Evaluate @cond every 10 ms until it holds or msl_ms(@ms) have passed;
 * its last value.
 */
#define msl_until(cond, ms) ({						\
	long long __end = msl_now_ms() + msl_ms(ms);			\
	bool __ok;							\
									\
	while (!(__ok = (cond)) && msl_now_ms() < __end)		\
		usleep(10000);						\
	__ok;								\
})

/* Write @text to the file @path, whole: 0, or -1 with errno set. */
static inline int msl_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * unshare(@flags), which has CLONE_NEWUSER, and be root of the new user
 * namespace, mapped to the uid and gid we had: 0 or -1.
 */
static inline int msl_userns_root(int flags)
{
	char uid[32], gid[32];

	snprintf(uid, sizeof(uid), "0 %u 1", getuid());
	snprintf(gid, sizeof(gid), "0 %u 1", getgid());
	if (unshare(flags) || msl_write_file("/proc/self/uid_map", uid) ||
	    msl_write_file("/proc/self/setgroups", "deny"))
		return -1;
	return msl_write_file("/proc/self/gid_map", gid);
}

/* The loopback of this network namespace up (without starting ip). */
static inline int msl_lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int s = socket(AF_INET, SOCK_DGRAM, 0), err;

	if (s < 0)
		return -1;
	err = ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	err = err ?: ioctl(s, SIOCSIFFLAGS, &ifr);
	close(s);
	return err;
}

/* The options /proc/self/mounts shows for the mailslotfs mount @dir. */
static inline int msl_mount_opts(const char *dir, char *out, size_t len)
{
	char line[2048], mnt[512], type[64], opts[1024];
	FILE *f = fopen("/proc/self/mounts", "r");
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %511s %63s %1023s", mnt, type, opts) == 3 &&
		    !strcmp(mnt, dir) && !strcmp(type, MSL_FSTYPE)) {
			snprintf(out, len, "%s", opts);
			found = 0;
		}
	fclose(f);
	return found;
}

/* Is mailslotfs registered (/proc/filesystems)? */
static inline bool msl_fs_registered(void)
{
	char line[128];
	bool found = false;
	FILE *f = fopen("/proc/filesystems", "r");

	while (f && !found && fgets(line, sizeof(line), f))
		found = !strcmp(line, "nodev\tmailslotfs\n");
	if (f)
		fclose(f);
	return found;
}

/*
 * Before the first test (msl_main()): without the module, after modprobe
 * has tried to load it, every test of the program is skipped
 * (kselftest's exit code 4) instead of failing.
 */
static inline void msl_require_module(void)
{
	if (msl_fs_registered())
		return;
	if (!system("modprobe -q mailslotfs 2>/dev/null") && msl_fs_registered())
		return;
	ksft_print_header();
	ksft_exit_skip("mailslotfs is not loaded and modprobe cannot load it\n");
}

/*
 * Every test mounts an instance: as another user than root, the whole
 * program is skipped. (A SKIP() in a fixture's setup would not do: the
 * harness of 6.1 runs the test after it all the same.)
 */
static inline void msl_require_root(void)
{
	if (!geteuid())
		return;
	ksft_print_header();
	ksft_exit_skip("mailslotfs tests need root\n");
}

/* seconds every test is given beyond its scaled timeout: a budget */
static int msl_extra_seconds;

/*
 * test_harness_run(), but every test's timeout (its TEST_F_TIMEOUT, or
 * the harness's default) is scaled first, and msl_extra_seconds added;
 * not as root or without the module, a skip (msl_require_root(),
 * msl_require_module()).
 * MSL_HARNESS_MAIN is the TEST_HARNESS_MAIN that calls it.
 */
static inline int msl_main(int argc, char **argv)
{
	struct __fixture_metadata *f;
	struct __test_metadata *t;

	msl_require_root();
	msl_require_module();
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout = t->timeout * msl_time_scale() +
				     msl_extra_seconds;
	return test_harness_run(argc, argv);
}

/*
 * A fuzzer's or a race's budget: how many seconds it runs, from the
 * environment variable @env, or @dflt. A budget is what the run is asked
 * to spend, not a limit: it is not scaled.
 */
static inline int msl_budget(const char *env, int dflt)
{
	const char *v = getenv(env);

	return v && atoi(v) > 0 ? atoi(v) : dflt;
}

#define MSL_HARNESS_MAIN						\
int main(int argc, char **argv)						\
{									\
	exit(msl_main(argc, argv));					\
}

/* Is process (or thread) @pid asleep (state S)? */
static inline int msl_proc_sleeping(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		ret = p && p[1] == ' ' && p[2] == 'S';
	}
	fclose(f);
	return ret;
}

/* Wait (10 s, scaled) for process @pid to go to sleep in the kernel. */
static inline int msl_wait_asleep(pid_t pid)
{
	return msl_until(msl_proc_sleeping(pid), 10000);
}

#endif /* MAILSLOT_SELFTEST_H */
