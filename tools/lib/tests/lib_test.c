// SPDX-License-Identifier: GPL-2.0
/*
 * lib_test: what libmailslot adds to the system calls: the mount point
 * found or given, directories made for names with levels, the slot's
 * mode, no SIGPIPE, the last error left alone by success, nothing made
 * where mailslotfs is not, and other hosts' slots (remote off, and on in
 * a network namespace with only the loopback). Needs root and
 * mailslotfs mounted (tests/run.sh); the private instances live in new
 * network and mount namespaces of a child process each.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mailslot_win.h"
#include "tap.h"

/* the first mailslotfs mount, read here without the library */
static bool first_mount(char *dir, size_t len)
{
	char line[1024], mnt[512], type[64];
	FILE *f = fopen("/proc/self/mounts", "r");
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %511s %63s", mnt, type) == 2 &&
			!strcmp(type, "mailslotfs");
	if (f)
		fclose(f);
	if (found)
		snprintf(dir, len, "%s", mnt);
	return found;
}

static void mount_point_is_found(void)
{
	char expect[512], got[PATH_MAX];

	unsetenv("MAILSLOT_MOUNT");
	if (!first_mount(expect, sizeof(expect))) {
		tap_skip("mailslotfs is not mounted");
		return;
	}
	TAP_EQ(0, msl_mount_point(got, sizeof(got)));
	TAP_EXPECT(!strcmp(got, expect), "%s, not %s", got, expect);
}

/* The loopback up, as ip would. */
static int lo_up(void)
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

#define SKIP_STATUS	77

/*
 * In the child: a new network and mount namespace, and a new instance
 * mounted with @opts on @dir. Return: NULL, or the step that failed.
 */
static const char *private_setup(char *dir, const char *opts, bool loopback)
{
	if (unshare(CLONE_NEWNET | CLONE_NEWNS))
		return "unshare";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return "mount --make-rprivate /";
	if (loopback && lo_up())
		return "the loopback up";
	if (!mkdtemp(dir))
		return "mkdtemp";
	if (mount("none", dir, "mailslotfs", 0, opts))
		return "mount -t mailslotfs";
	return NULL;
}

/*
 * Run @fn in a child with a mailslotfs instance of its own (a new network
 * namespace, mounted with @opts on a new directory in a new mount
 * namespace), whose path is in $MAILSLOT_MOUNT. The child's failures are
 * the test's; it is skipped only without the privilege to make them.
 */
static void in_private_instance(const char *opts, bool loopback,
				void (*fn)(const char *dir))
{
	char dir[] = "/tmp/libmsl.XXXXXX";
	const char *failed;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid) {
		failed = private_setup(dir, opts, loopback);
		if (failed && errno == EPERM)
			_exit(SKIP_STATUS);
		TAP_EXPECT(!failed, "%s: %s", failed, strerror(errno));
		if (!failed) {
			setenv("MAILSLOT_MOUNT", dir, 1);
			fn(dir);
		}
		fflush(stdout);
		_exit(tap_failed ? 1 : 0);
	}
	TAP_EXPECT(pid > 0, "fork: %s", strerror(errno));
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return;
	if (WIFEXITED(status) && WEXITSTATUS(status) == SKIP_STATUS)
		tap_skip("no namespaces of its own (needs root)");
	else
		TAP_EXPECT(WIFEXITED(status) && !WEXITSTATUS(status),
			   "the child: status %#x", status);
}

static bool exists(const char *dir, const char *name)
{
	char p[2 * PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return !stat(p, &st);
}

/* $MAILSLOT_MOUNT names the instance, whatever /proc/self/mounts says */
static void env_mount(const char *dir)
{
	struct msl_handle *h = msl_create("\\\\.\\mailslot\\envslot", 0, 0);
	char got[PATH_MAX];

	TAP_EXPECT(h != MSL_INVALID_HANDLE, "%u", msl_last_error());
	TAP_EXPECT(exists(dir, "envslot"), "no %s/envslot", dir);
	TAP_EQ(0, msl_mount_point(got, sizeof(got)));
	TAP_EXPECT(!strcmp(got, dir), "%s", got);
	msl_close(h);
	TAP_EXPECT(!exists(dir, "envslot"), "%s/envslot stays", dir);
}

static void mount_point_from_the_environment(void)
{
	in_private_instance(NULL, false, env_mount);
}

/* Windows makes no directories: levels of a name are made as needed */
static void levels(const char *dir)
{
	struct msl_handle *h, *c;
	char buf[8];
	__u32 n;

	h = msl_create("\\\\.\\mailslot\\NET\\sub\\NETLOGON", 0, 0);
	TAP_EXPECT(h != MSL_INVALID_HANDLE, "%u", msl_last_error());
	TAP_EXPECT(exists(dir, "NET/sub/NETLOGON"), "no slot");
	c = msl_open("\\\\.\\MAILSLOT\\net\\SUB\\netlogon");
	TAP_EXPECT(c != MSL_INVALID_HANDLE, "%u", msl_last_error());
	TAP_EQ(0, msl_write(c, "hi", 2, NULL));
	TAP_EQ(0, msl_read(h, buf, sizeof(buf), &n));
	TAP_EQ(2, n);
	msl_close(c);
	/* a second slot in the same directories */
	c = msl_create("\\\\.\\mailslot\\NET\\sub\\OTHER", 0, 0);
	TAP_EXPECT(c != MSL_INVALID_HANDLE, "%u", msl_last_error());
	msl_close(c);
	msl_close(h);
	TAP_EXPECT(exists(dir, "NET/sub"), "the directories stay");
	/* a level that is a slot is no directory */
	h = msl_create("\\\\.\\mailslot\\plain", 0, 0);
	TAP_NO_HANDLE(msl_create("\\\\.\\mailslot\\plain\\x", 0, 0), ENOTDIR,
		      MSL_ERROR_PATH_NOT_FOUND);
	TAP_NO_HANDLE(msl_open("\\\\.\\mailslot\\plain\\x"), ENOTDIR,
		      MSL_ERROR_PATH_NOT_FOUND);
	/* clients make nothing */
	TAP_NO_HANDLE(msl_open("\\\\.\\mailslot\\nodir\\x"), ENOENT,
		      MSL_ERROR_FILE_NOT_FOUND);
	TAP_EXPECT(!exists(dir, "nodir"), "a client made a directory");
	/* a directory is no slot */
	TAP_NO_HANDLE(msl_open("\\\\.\\mailslot\\NET"), EISDIR,
		      MSL_ERROR_FILE_NOT_FOUND);
	TAP_NO_HANDLE(msl_create("\\\\.\\mailslot\\NET", 0, 0), EEXIST,
		      MSL_ERROR_ALREADY_EXISTS);
	msl_close(h);
}

static void names_with_levels_make_directories(void)
{
	in_private_instance(NULL, false, levels);
}

static mode_t mode_of(const char *dir, const char *name)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return stat(p, &st) ? (mode_t)-1 : st.st_mode & 07777;
}

static void modes(const char *dir)
{
	struct msl_handle *a, *b;

	umask(022);
	a = msl_create("\\\\.\\mailslot\\a", 0, 0);
	b = msl_create_mode("\\\\.\\mailslot\\b", 0, 0, 0620);
	TAP_EQ(0644, mode_of(dir, "a"));
	TAP_EQ(0600, mode_of(dir, "b"));
	msl_close(a);
	msl_close(b);
	umask(0);
	a = msl_create_mode("\\\\.\\mailslot\\c", 0, 0, 0622);
	TAP_EQ(0622, mode_of(dir, "c"));
	msl_close(a);
}

static void slots_have_the_mode_asked_less_the_umask(void)
{
	in_private_instance(NULL, false, modes);
}

static int sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	__atomic_fetch_add(&sigpipes, 1, __ATOMIC_RELAXED);
}

/*
 * A write after the server went: EPIPE, and no SIGPIPE, caught or not
 * (test_names checks a SIGPIPE pending before stays pending).
 */
static void gone_server(const char *dir)
{
	struct msl_handle *h, *c;

	(void)dir;
	h = msl_create("\\\\.\\mailslot\\gone", 0, 0);
	c = msl_open("\\\\.\\mailslot\\gone");
	TAP_EQ(0, msl_close(h));
	signal(SIGPIPE, SIG_DFL);	/* it would end this process */
	TAP_FAILS(msl_write(c, "x", 1, NULL), EPIPE, MSL_ERROR_BROKEN_PIPE);
	signal(SIGPIPE, on_sigpipe);
	TAP_FAILS(msl_write(c, "x", 1, NULL), EPIPE, MSL_ERROR_BROKEN_PIPE);
	TAP_EQ(0, __atomic_load_n(&sigpipes, __ATOMIC_RELAXED));
	/* the name went with the server */
	TAP_NO_HANDLE(msl_open("\\\\.\\mailslot\\gone"), ENOENT,
		      MSL_ERROR_FILE_NOT_FOUND);
	msl_close(c);
}

static void write_after_the_server_went_is_epipe_without_sigpipe(void)
{
	in_private_instance(NULL, false, gone_server);
}

/* success leaves the last error alone, as most Windows calls do */
static void success_keeps_the_last_error(void)
{
	struct msl_handle *h, *c;
	char buf[4];

	msl_set_last_error(42);
	h = msl_create("\\\\.\\mailslot\\libmsl_keep", 0, 0);
	c = msl_open("\\\\.\\mailslot\\libmsl_keep");
	TAP_EXPECT(c != MSL_INVALID_HANDLE, "%u", msl_last_error());
	TAP_EQ(0, msl_write(c, "x", 1, NULL));
	TAP_EQ(0, msl_read(h, buf, sizeof(buf), NULL));
	TAP_EQ(0, msl_get_info(h, NULL, NULL, NULL, NULL));
	TAP_EQ(0, msl_close(c));
	TAP_EQ(0, msl_close(h));
	TAP_EQ(42, msl_last_error());
}

/* the descriptor polls like the slot it is */
static void fd_polls(void)
{
	struct msl_handle *h = msl_create("\\\\.\\mailslot\\libmsl_poll", 0, 0);
	struct msl_handle *c = msl_open("\\\\.\\mailslot\\libmsl_poll");
	struct pollfd pfd = { .fd = msl_fd(h), .events = POLLIN };

	TAP_EXPECT(pfd.fd >= 0, "%d", pfd.fd);
	TAP_EQ(0, poll(&pfd, 1, 0));
	TAP_EQ(0, msl_write(c, "x", 1, NULL));
	TAP_EQ(1, poll(&pfd, 1, 1000));
	TAP_EQ(POLLIN, pfd.revents & POLLIN);
	TAP_EXPECT(fcntl(msl_fd(h), F_GETFD) & FD_CLOEXEC, "close-on-exec");
	msl_close(c);
	msl_close(h);
}

/* a filesystem mounted below the mount is not entered */
static void mounted_below(const char *dir)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/under", dir);
	if (mkdir(p, 0777) || mount("none", p, "tmpfs", 0, NULL)) {
		tap_skip("no tmpfs on a mailslotfs directory");
		return;
	}
	TAP_NO_HANDLE(msl_create("\\\\.\\mailslot\\under\\x", 0, 0), ENODEV,
		      MSL_ERROR_PATH_NOT_FOUND);
	TAP_NO_HANDLE(msl_create("\\\\.\\mailslot\\under\\d\\x", 0, 0), ENODEV,
		      MSL_ERROR_PATH_NOT_FOUND);
	TAP_EXPECT(!exists(p, "x") && !exists(p, "d"), "made in tmpfs");
	snprintf(p, sizeof(p), "%s/under/file", dir);
	fd = open(p, O_WRONLY | O_CREAT, 0666);
	close(fd);
	TAP_NO_HANDLE(msl_open("\\\\.\\mailslot\\under\\file"), ENODEV,
		      MSL_ERROR_PATH_NOT_FOUND);
	snprintf(p, sizeof(p), "%s/under", dir);
	umount(p);
}

static void nothing_is_made_below_another_mount(void)
{
	in_private_instance(NULL, false, mounted_below);
}

/* remote off: another host's slot is not supported */
static void remote_off(const char *dir)
{
	(void)dir;
	TAP_NO_HANDLE(msl_open("\\\\HOST\\mailslot\\x"), EOPNOTSUPP,
		      MSL_ERROR_NOT_SUPPORTED);
	TAP_NO_HANDLE(msl_open("\\\\*\\mailslot\\x"), EOPNOTSUPP,
		      MSL_ERROR_NOT_SUPPORTED);
}

static void other_hosts_need_remote_on(void)
{
	in_private_instance(NULL, false, remote_off);
}

/*
 * remote on, with the loopback only: a unique write to this host's own
 * address reaches its slot; a group write finds no subnet; a name
 * nobody answers for; a message larger than a datagram.
 */
static void remote_on(const char *dir)
{
	struct msl_handle *h, *c;
	static char big[1000];
	char buf[16];
	__u32 n = 0;

	(void)dir;
	h = msl_create("\\\\.\\mailslot\\r", 0, 5000);
	c = msl_open("\\\\127.0.0.1\\mailslot\\r");
	TAP_EXPECT(c != MSL_INVALID_HANDLE, "%u", msl_last_error());
	TAP_EQ(0, msl_write(c, "hello", 5, &n));
	TAP_EQ(5, n);
	TAP_EQ(0, msl_read(h, buf, sizeof(buf), &n));
	TAP_EQ(5, n);
	TAP_EXPECT(!memcmp(buf, "hello", 5), "%.5s", buf);
	TAP_FAILS(msl_write(c, big, sizeof(big), &n), EMSGSIZE,
		  MSL_ERROR_BAD_NETPATH);
	TAP_FAILS(msl_read(c, buf, sizeof(buf), NULL), EBADF,
		  MSL_ERROR_ACCESS_DENIED);
	TAP_FAILS(msl_get_info(c, NULL, NULL, NULL, NULL), ENOTTY,
		  MSL_ERROR_INVALID_PARAMETER);
	msl_close(c);
	c = msl_open("\\\\*\\mailslot\\r");
	TAP_EXPECT(c != MSL_INVALID_HANDLE, "%u", msl_last_error());
	TAP_FAILS(msl_write(c, "x", 1, NULL), ENETUNREACH,
		  MSL_ERROR_NETWORK_UNREACHABLE);
	msl_close(c);
	TAP_NO_HANDLE(msl_open("\\\\NOSUCHHOST\\mailslot\\r"), ENXIO,
		      MSL_ERROR_BAD_NETPATH);
	msl_close(h);
}

static void other_hosts_with_remote_on(void)
{
	in_private_instance("remote,netbios_name=LIBMSL", true, remote_on);
}

static const struct tap_test tests[] = {
	TAP_TEST(mount_point_is_found),
	TAP_TEST(mount_point_from_the_environment),
	TAP_TEST(names_with_levels_make_directories),
	TAP_TEST(slots_have_the_mode_asked_less_the_umask),
	TAP_TEST(write_after_the_server_went_is_epipe_without_sigpipe),
	TAP_TEST(success_keeps_the_last_error),
	TAP_TEST(fd_polls),
	TAP_TEST(nothing_is_made_below_another_mount),
	TAP_TEST(other_hosts_need_remote_on),
	TAP_TEST(other_hosts_with_remote_on),
};

int main(void)
{
	unsetenv("MAILSLOT_MOUNT");
	return tap_run(tests, TAP_COUNT(tests));
}
