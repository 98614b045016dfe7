// SPDX-License-Identifier: GPL-2.0
/*
 * test_names: libmailslot's host tests, as TAP. The pure code (Windows
 * names as paths, the mounts line, errno as Win32 errors) case by case
 * and on random names; and what needs no mailslotfs: the handle checks,
 * the mount point, and that no slot is ever made outside a mailslotfs
 * mount. test_windows.c does the same for mailslot_windows.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tests/tap.h"

struct name_case {
	const char *name;
	const char *mount;
	unsigned int flags;
	int ret;
	const char *path;	/* when ret is 0 */
};

#define C	MSL_NAME_CREATE

static const struct name_case name_cases[] = {
	/* local names */
	{ "\\\\.\\mailslot\\foo", "/mailslot", 0, 0, "/mailslot/foo" },
	{ "\\\\.\\mailslot\\foo", "/mailslot", C, 0, "/mailslot/foo" },
	{ "\\\\.\\MAILSLOT\\foo", "/mailslot", C, 0, "/mailslot/foo" },
	{ "\\\\.\\MailSlot\\Foo", "/mailslot", 0, 0, "/mailslot/Foo" },
	{ "\\\\.\\mailslot\\NET\\NETLOGON", "/mailslot", C, 0,
	  "/mailslot/NET/NETLOGON" },
	{ "\\\\.\\mailslot\\a\\b\\c", "/m", 0, 0, "/m/a/b/c" },
	{ "\\\\.\\mailslot\\foo", "/mnt/ms/", 0, 0, "/mnt/ms/foo" },
	{ "\\\\.\\mailslot\\foo", "/mnt//", 0, 0, "/mnt/foo" },
	{ "\\\\.\\mailslot\\foo", "/", 0, 0, "/foo" },
	{ "\\\\.\\mailslot\\foo", "rel", 0, 0, "rel/foo" },
	{ "\\\\.\\mailslot\\foo", NULL, 0, 0, "foo" },
	{ "\\\\.\\mailslot\\foo", "", 0, 0, "foo" },
	{ "\\\\.\\mailslot\\a.b", NULL, 0, 0, "a.b" },
	{ "\\\\.\\mailslot\\...", NULL, 0, 0, "..." },
	{ "\\\\.\\mailslot\\.x\\..y", NULL, 0, 0, ".x/..y" },
	{ "\\\\.\\mailslot\\a@b", NULL, C, 0, "a@b" },
	{ "\\\\.\\mailslot\\dir\\@x", NULL, C, 0, "dir/@x" },
	{ "\\\\.\\mailslot\\a b", NULL, C, 0, "a b" },
	{ "\\\\.\\mailslot\\caf\xc3\xa9", NULL, C, 0, "caf\xc3\xa9" },
	/* other hosts */
	{ "\\\\HOST\\mailslot\\foo", "/mailslot", 0, 0, "/mailslot/@HOST/foo" },
	{ "\\\\host\\MAILSLOT\\foo", "/mailslot", 0, 0, "/mailslot/@host/foo" },
	{ "\\\\*\\mailslot\\BROWSE", "/mailslot", 0, 0, "/mailslot/@*/BROWSE" },
	{ "\\\\WORKGROUP\\mailslot\\NET\\NETLOGON", "/mailslot", 0, 0,
	  "/mailslot/@WORKGROUP/NET/NETLOGON" },
	{ "\\\\192.168.1.20\\mailslot\\alerts", "/mailslot", 0, 0,
	  "/mailslot/@192.168.1.20/alerts" },
	{ "\\\\ABCDEFGHIJKLMNO\\mailslot\\x", NULL, 0, 0, "@ABCDEFGHIJKLMNO/x" },
	{ "\\\\a-b_c\\mailslot\\x", NULL, 0, 0, "@a-b_c/x" },
	{ "\\\\h\\mailslot\\a b", NULL, 0, 0, "@h/a b" },
	/* not mailslot names */
	{ "", NULL, 0, -EINVAL, NULL },
	{ "blah", NULL, C, -EINVAL, NULL },			/* Wine #3-#4 */
	{ "foo", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslotx\\foo", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mail\\foo", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\pipe\\foo", NULL, 0, -EINVAL, NULL },
	{ "\\.\\mailslot\\foo", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\\\mailslot\\foo", NULL, 0, -EINVAL, NULL },
	{ "\\\\.", NULL, 0, -EINVAL, NULL },
	{ "\\\\", NULL, 0, -EINVAL, NULL },
	{ "//./mailslot/foo", NULL, 0, -EINVAL, NULL },
	{ "/mailslot/foo", NULL, 0, -EINVAL, NULL },
	{ "\\??\\mailslot\\foo", NULL, 0, -EINVAL, NULL },
	/* levels that would leave the mount, or are no names */
	{ "\\\\.\\mailslot\\..", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\.", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\..\\x", NULL, C, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\a\\..\\..\\etc\\passwd", NULL, C, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\a\\.\\b", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\a\\..", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\a/b", NULL, C, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\../../etc/passwd", NULL, C, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\/etc/passwd", NULL, C, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\a\\/", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\a\\\\b", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\a\\", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\\\a", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\a\nb", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\a\tb", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\a\x7f", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\@HOST\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\@x", NULL, C, -EINVAL, NULL },
	{ "\\\\.\\mailslot\\@", NULL, C, -EINVAL, NULL },
	{ "\\\\HOST\\mailslot\\..", NULL, 0, -EINVAL, NULL },
	{ "\\\\HOST\\mailslot\\a\\..\\b", NULL, 0, -EINVAL, NULL },
	{ "\\\\HOST\\mailslot\\a/b", NULL, 0, -EINVAL, NULL },
	{ "\\\\HOST\\mailslot\\", NULL, 0, -EINVAL, NULL },
	{ "\\\\HOST\\mailslot\\caf\xc3\xa9", NULL, 0, -EINVAL, NULL },
	/* hosts */
	{ "\\\\\\mailslot\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\..\\mailslot\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\a/b\\mailslot\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\..\\..\\mailslot\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\::1\\mailslot\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\?\\mailslot\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\**\\mailslot\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\a*\\mailslot\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\a|b\\mailslot\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\a\nb\\mailslot\\x", NULL, 0, -EINVAL, NULL },
	{ "\\\\ABCDEFGHIJKLMNOP\\mailslot\\x", NULL, 0, -ENXIO, NULL },
	{ "\\\\server.example.com\\mailslot\\x", NULL, 0, -ENXIO, NULL },
	/* only local names are created */
	{ "\\\\HOST\\mailslot\\x", NULL, C, -EINVAL, NULL },
	{ "\\\\*\\mailslot\\x", NULL, C, -EINVAL, NULL },
	{ "\\\\127.0.0.1\\mailslot\\x", NULL, C, -EINVAL, NULL },
	/* NULL */
	{ NULL, "/mailslot", 0, -EFAULT, NULL },
	{ NULL, "/mailslot", C, -EFAULT, NULL },
};

static void translate_cases(void)
{
	const struct name_case *c;
	char out[PATH_MAX];
	size_t i;
	int ret;

	for (i = 0; i < TAP_COUNT(name_cases); i++) {
		c = &name_cases[i];
		strcpy(out, "untouched");
		ret = msl_translate_name(c->name, c->mount, c->flags, out,
					 sizeof(out));
		TAP_EXPECT(ret == c->ret, "case %zu \"%s\": %d, not %d", i,
			   c->name ? c->name : "(null)", ret, c->ret);
		if (!ret && !c->ret)
			TAP_EXPECT(!strcmp(out, c->path), "case %zu: \"%s\", not \"%s\"",
				   i, out, c->path);
	}
}

/* MSL_NAME_MAX characters (MAX_PATH less the NUL), and one more */
static void translate_lengths(void)
{
	char name[MSL_NAME_MAX + 2], out[PATH_MAX];
	const char *prefix = "\\\\.\\mailslot\\";

	strcpy(name, prefix);
	memset(name + strlen(prefix), 'n', MSL_NAME_MAX - strlen(prefix));
	name[MSL_NAME_MAX] = '\0';
	TAP_EQ(0, msl_translate_name(name, NULL, C, out, sizeof(out)));
	TAP_EQ(MSL_NAME_MAX - strlen(prefix), strlen(out));
	name[MSL_NAME_MAX] = 'n';
	name[MSL_NAME_MAX + 1] = '\0';
	TAP_EQ(-ENAMETOOLONG, msl_translate_name(name, NULL, C, out, sizeof(out)));
}

/* the path fits @out exactly, or is refused whole */
static void translate_buffer_sizes(void)
{
	const char *name = "\\\\HOST\\mailslot\\NET\\NETLOGON";
	const char *path = "/mailslot/@HOST/NET/NETLOGON";
	char out[64];
	size_t len = strlen(path) + 1, i;

	TAP_EQ(0, msl_translate_name(name, "/mailslot", 0, out, len));
	TAP_EXPECT(!strcmp(out, path), "%s", out);
	for (i = 0; i < len; i++)
		TAP_EQ(-ENAMETOOLONG, msl_translate_name(name, "/mailslot", 0,
							 out, i));
	TAP_EQ(-EFAULT, msl_translate_name(name, "/mailslot", 0, NULL, 64));
}

/* a small random generator, the same run after run */
static unsigned int rnd_state = 12345;

static unsigned int rnd(unsigned int n)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return (rnd_state >> 16) % n;
}

/* A random name: a known start, then pieces likely to break things. */
static void random_name(char *name, size_t len)
{
	static const char *const starts[] = {
		"\\\\.\\mailslot\\", "\\\\.\\MAILSLOT\\", "\\\\H\\mailslot\\",
		"\\\\*\\mailslot\\", "\\\\", "\\\\.\\", "",
	};
	static const char *const pieces[] = {
		"\\", "/", ".", "..", "a", "@", "*", "\n", "mailslot", "B",
		"\\..\\", "/../", "\\\\", "\xc3\xa9",
	};
	size_t n = rnd(8);

	snprintf(name, len, "%s", starts[rnd(TAP_COUNT(starts))]);
	while (n--)
		strncat(name, pieces[rnd(TAP_COUNT(pieces))],
			len - strlen(name) - 1);
}

/* Every level of a translated path is a plain name below the mount. */
static bool path_stays_below(const char *path, bool create)
{
	const char *p = path + strlen("/m/"), *end;
	size_t n;

	if (strncmp(path, "/m/", 3))
		return false;
	if (create && p[0] == '@')
		return false;
	for (;;) {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (!n || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!end)
			return true;
		p = end + 1;
	}
}

static void translate_random_names_stay_below(void)
{
	char name[96], out[PATH_MAX];
	unsigned int i, ok = 0;
	bool create;

	for (i = 0; i < 200000; i++) {
		random_name(name, sizeof(name));
		create = rnd(2);
		if (msl_translate_name(name, "/m", create ? C : 0, out,
				       sizeof(out)))
			continue;
		ok++;
		TAP_EXPECT(path_stays_below(out, create), "\"%s\" as \"%s\"",
			   name, out);
		/* a local name never becomes a remote one */
		if (!strncmp(name, "\\\\.\\", 4))
			TAP_EXPECT(out[3] != '@', "\"%s\" as \"%s\"", name, out);
	}
	TAP_EXPECT(ok > 1000, "only %u names translated", ok);
}

struct error_case {
	int err;
	enum msl_op op;
	__u32 code;
};

static const struct error_case error_cases[] = {
	{ 0, MSL_OP_READ, MSL_ERROR_SUCCESS },
	{ ENOENT, MSL_OP_OPEN, MSL_ERROR_FILE_NOT_FOUND },
	{ ENOENT, MSL_OP_CREATE, MSL_ERROR_FILE_NOT_FOUND },
	{ EISDIR, MSL_OP_OPEN, MSL_ERROR_FILE_NOT_FOUND },
	{ ENOTDIR, MSL_OP_CREATE, MSL_ERROR_PATH_NOT_FOUND },
	{ ELOOP, MSL_OP_OPEN, MSL_ERROR_PATH_NOT_FOUND },
	{ ENODEV, MSL_OP_CREATE, MSL_ERROR_PATH_NOT_FOUND },
	{ ENODEV, MSL_OP_OPEN, MSL_ERROR_PATH_NOT_FOUND },
	{ EMFILE, MSL_OP_OPEN, MSL_ERROR_TOO_MANY_OPEN_FILES },
	{ ENFILE, MSL_OP_CREATE, MSL_ERROR_TOO_MANY_OPEN_FILES },
	{ EACCES, MSL_OP_CREATE, MSL_ERROR_ACCESS_DENIED },
	{ EPERM, MSL_OP_OPEN, MSL_ERROR_ACCESS_DENIED },
	{ EBADF, MSL_OP_OTHER, MSL_ERROR_INVALID_HANDLE },
	{ EBADF, MSL_OP_INFO, MSL_ERROR_INVALID_HANDLE },
	{ EBADF, MSL_OP_CLOSE, MSL_ERROR_INVALID_HANDLE },
	{ EBADF, MSL_OP_READ, MSL_ERROR_ACCESS_DENIED },	/* a client */
	{ EBADF, MSL_OP_WRITE, MSL_ERROR_ACCESS_DENIED },	/* the server */
	{ EBADF, MSL_OP_WRITE_REMOTE, MSL_ERROR_ACCESS_DENIED },
	{ EBADF, MSL_OP_SET_INFO, MSL_ERROR_ACCESS_DENIED },
	{ ENOMEM, MSL_OP_WRITE, MSL_ERROR_NOT_ENOUGH_MEMORY },
	{ EROFS, MSL_OP_CREATE, MSL_ERROR_WRITE_PROTECT },
	{ EOPNOTSUPP, MSL_OP_OPEN, MSL_ERROR_NOT_SUPPORTED },
	{ ENXIO, MSL_OP_OPEN, MSL_ERROR_BAD_NETPATH },
	{ EINVAL, MSL_OP_CREATE, MSL_ERROR_INVALID_NAME },
	{ EINVAL, MSL_OP_OPEN, MSL_ERROR_INVALID_NAME },
	{ EINVAL, MSL_OP_SET_INFO, MSL_ERROR_INVALID_PARAMETER },
	{ EINVAL, MSL_OP_READ, MSL_ERROR_INVALID_PARAMETER },
	{ EINVAL, MSL_OP_OTHER, MSL_ERROR_INVALID_PARAMETER },
	{ ENOTTY, MSL_OP_INFO, MSL_ERROR_INVALID_PARAMETER },
	{ ENOTTY, MSL_OP_SET_INFO, MSL_ERROR_INVALID_PARAMETER },
	{ EPIPE, MSL_OP_WRITE, MSL_ERROR_BROKEN_PIPE },
	{ EAGAIN, MSL_OP_READ, MSL_ERROR_SEM_TIMEOUT },
	{ EWOULDBLOCK, MSL_OP_WRITE, MSL_ERROR_SEM_TIMEOUT },
	{ ETIMEDOUT, MSL_OP_READ, MSL_ERROR_SEM_TIMEOUT },
	{ EMSGSIZE, MSL_OP_READ, MSL_ERROR_INSUFFICIENT_BUFFER },
	{ EMSGSIZE, MSL_OP_OTHER, MSL_ERROR_INSUFFICIENT_BUFFER },
	{ EMSGSIZE, MSL_OP_WRITE, MSL_ERROR_INVALID_PARAMETER },
	{ EMSGSIZE, MSL_OP_WRITE_REMOTE, MSL_ERROR_BAD_NETPATH },
	{ EEXIST, MSL_OP_CREATE, MSL_ERROR_ALREADY_EXISTS },
	{ EBUSY, MSL_OP_CREATE, MSL_ERROR_ALREADY_EXISTS },
	{ EBUSY, MSL_OP_OPEN, MSL_ERROR_BUSY },
	{ ENAMETOOLONG, MSL_OP_CREATE, MSL_ERROR_FILENAME_EXCED_RANGE },
	{ ENAMETOOLONG, MSL_OP_OPEN, MSL_ERROR_FILENAME_EXCED_RANGE },
	{ EINTR, MSL_OP_READ, MSL_ERROR_OPERATION_ABORTED },
	{ EINTR, MSL_OP_OPEN, MSL_ERROR_OPERATION_ABORTED },
	{ EFAULT, MSL_OP_CREATE, MSL_ERROR_PATH_NOT_FOUND },	/* Wine #5-#6 */
	{ EFAULT, MSL_OP_OPEN, MSL_ERROR_PATH_NOT_FOUND },
	{ EFAULT, MSL_OP_READ, MSL_ERROR_NOACCESS },
	{ EFAULT, MSL_OP_WRITE, MSL_ERROR_NOACCESS },
	{ EIO, MSL_OP_READ, MSL_ERROR_IO_DEVICE },
	{ ENETUNREACH, MSL_OP_WRITE_REMOTE, MSL_ERROR_NETWORK_UNREACHABLE },
	{ ENETDOWN, MSL_OP_WRITE_REMOTE, MSL_ERROR_NETWORK_UNREACHABLE },
	{ EHOSTUNREACH, MSL_OP_WRITE_REMOTE, MSL_ERROR_HOST_UNREACHABLE },
	{ ENOSPC, MSL_OP_CREATE, MSL_ERROR_NO_SYSTEM_RESOURCES },
	{ ENOBUFS, MSL_OP_WRITE, MSL_ERROR_NO_SYSTEM_RESOURCES },
	{ EDQUOT, MSL_OP_CREATE, MSL_ERROR_NOT_ENOUGH_QUOTA },
	{ EDQUOT, MSL_OP_WRITE, MSL_ERROR_NOT_ENOUGH_QUOTA },
	{ ECHILD, MSL_OP_READ, MSL_ERROR_GEN_FAILURE },
	{ -1, MSL_OP_READ, MSL_ERROR_GEN_FAILURE },
	{ 100000, MSL_OP_OTHER, MSL_ERROR_GEN_FAILURE },
};

static void errors_cases(void)
{
	const struct error_case *c;
	size_t i;

	for (i = 0; i < TAP_COUNT(error_cases); i++) {
		c = &error_cases[i];
		TAP_EXPECT(msl_win32_error(c->err, c->op) == c->code,
			   "errno %d, op %d: %u, not %u", c->err, c->op,
			   msl_win32_error(c->err, c->op), c->code);
	}
}

/* every code the mapping can give has a name, and only those */
static void errors_have_names(void)
{
	enum msl_op op;
	__u32 code;
	int err;

	for (err = 0; err < 200; err++)
		for (op = MSL_OP_OTHER; op <= MSL_OP_CLOSE; op++) {
			code = msl_win32_error(err, op);
			TAP_EXPECT(msl_error_name(code), "errno %d op %d: %u",
				   err, op, code);
		}
	TAP_EXPECT(!strcmp(msl_error_name(121), "ERROR_SEM_TIMEOUT"), "121");
	TAP_EXPECT(!strcmp(msl_error_name(0), "ERROR_SUCCESS"), "0");
	TAP_EXPECT(!strcmp(msl_error_name(MSL_ERROR_INSUFFICIENT_BUFFER),
			   "ERROR_INSUFFICIENT_BUFFER"), "122");
	TAP_EXPECT(!msl_error_name(9999), "9999");
	TAP_EXPECT(!msl_error_name(32), "MSL_ERROR_SHARING_VIOLATION is never set");
}

/* the Win32 numbers, as winerror.h has them */
static void errors_are_windows_numbers(void)
{
	TAP_EQ(2, MSL_ERROR_FILE_NOT_FOUND);
	TAP_EQ(3, MSL_ERROR_PATH_NOT_FOUND);
	TAP_EQ(5, MSL_ERROR_ACCESS_DENIED);
	TAP_EQ(6, MSL_ERROR_INVALID_HANDLE);
	TAP_EQ(50, MSL_ERROR_NOT_SUPPORTED);
	TAP_EQ(53, MSL_ERROR_BAD_NETPATH);
	TAP_EQ(87, MSL_ERROR_INVALID_PARAMETER);
	TAP_EQ(109, MSL_ERROR_BROKEN_PIPE);
	TAP_EQ(121, MSL_ERROR_SEM_TIMEOUT);
	TAP_EQ(122, MSL_ERROR_INSUFFICIENT_BUFFER);
	TAP_EQ(123, MSL_ERROR_INVALID_NAME);
	TAP_EQ(170, MSL_ERROR_BUSY);
	TAP_EQ(183, MSL_ERROR_ALREADY_EXISTS);
	TAP_EQ(206, MSL_ERROR_FILENAME_EXCED_RANGE);
	TAP_EQ(995, MSL_ERROR_OPERATION_ABORTED);
	TAP_EQ(998, MSL_ERROR_NOACCESS);
	TAP_EQ(1450, MSL_ERROR_NO_SYSTEM_RESOURCES);
	TAP_EQ(1816, MSL_ERROR_NOT_ENOUGH_QUOTA);
	TAP_EQ(0xffffffffU, MAILSLOT_NO_MESSAGE);
	TAP_EQ(0xffffffffU, (__u32)MAILSLOT_WAIT_FOREVER);
}

struct mount_case {
	const char *line;
	int ret;
	const char *dir;
};

static const struct mount_case mount_cases[] = {
	{ "none /mailslot mailslotfs rw,relatime 0 0\n", 1, "/mailslot" },
	{ "none /mailslot mailslotfs rw,relatime 0 0", 1, "/mailslot" },
	{ "none /x mailslotfs\n", 1, "/x" },
	{ "none /x mailslotfs", 1, "/x" },
	{ "none /my\\040slots mailslotfs rw 0 0\n", 1, "/my slots" },
	{ "none /a\\134b\\011c\\012d mailslotfs rw 0 0\n", 1, "/a\\b\tc\nd" },
	{ "none /a\\12 mailslotfs rw 0 0\n", 1, "/a\\12" },
	{ "none /a\\9xy mailslotfs rw 0 0\n", 1, "/a\\9xy" },
	{ "none /a\\000b mailslotfs rw 0 0\n", 0, NULL },
	{ "none /a\\777b mailslotfs rw 0 0\n", 0, NULL },
	{ "proc /proc proc rw,nosuid 0 0\n", 0, NULL },
	{ "none /x mailslotfsx rw 0 0\n", 0, NULL },
	{ "none /x mailslot rw 0 0\n", 0, NULL },
	{ "mailslotfs /x tmpfs rw 0 0\n", 0, NULL },
	{ "none mailslotfs /x rw 0 0\n", 0, NULL },
	{ "none /x\n", 0, NULL },
	{ "none\n", 0, NULL },
	{ "", 0, NULL },
	{ "\n", 0, NULL },
};

static void mount_lines(void)
{
	const struct mount_case *c;
	char out[PATH_MAX];
	size_t i;
	int ret;

	for (i = 0; i < TAP_COUNT(mount_cases); i++) {
		c = &mount_cases[i];
		ret = msl_parse_mount_line(c->line, out, sizeof(out));
		TAP_EXPECT(ret == c->ret, "case %zu: %d, not %d", i, ret, c->ret);
		if (ret == 1 && c->ret == 1)
			TAP_EXPECT(!strcmp(out, c->dir), "case %zu: \"%s\"", i, out);
	}
	/* "/mailslot" needs 10 bytes */
	TAP_EQ(1, msl_parse_mount_line(mount_cases[0].line, out, 10));
	TAP_EQ(-ENAMETOOLONG, msl_parse_mount_line(mount_cases[0].line, out, 9));
}

/* $MAILSLOT_MOUNT wins; an empty one counts as unset */
static void mount_point_from_env(void)
{
	char buf[PATH_MAX], unset[PATH_MAX];

	unsetenv("MAILSLOT_MOUNT");
	TAP_EQ(0, msl_mount_point(unset, sizeof(unset)));
	TAP_EXPECT(unset[0] == '/', "%s", unset);
	setenv("MAILSLOT_MOUNT", "/somewhere/else", 1);
	TAP_EQ(0, msl_mount_point(buf, sizeof(buf)));
	TAP_EXPECT(!strcmp(buf, "/somewhere/else"), "%s", buf);
	TAP_FAILS(msl_mount_point(buf, 15), ENAMETOOLONG,
		  MSL_ERROR_FILENAME_EXCED_RANGE);
	TAP_EQ(0, msl_mount_point(buf, 16));
	setenv("MAILSLOT_MOUNT", "", 1);
	TAP_EQ(0, msl_mount_point(buf, sizeof(buf)));
	TAP_EXPECT(!strcmp(buf, unset), "%s, not %s", buf, unset);
	unsetenv("MAILSLOT_MOUNT");
}

/* Every call on a NULL or invalid handle fails before any system call. */
static void handles_invalid(void)
{
	struct msl_handle *bad[] = { NULL, MSL_INVALID_HANDLE };
	struct mailslot_info info;
	__u32 n, v = 7;
	__s32 t = 7;
	char buf[8];
	size_t i;

	for (i = 0; i < TAP_COUNT(bad); i++) {
		n = 0xdeadbeef;
		TAP_FAILS(msl_read(bad[i], buf, sizeof(buf), &n), EBADF,
			  MSL_ERROR_INVALID_HANDLE);
		TAP_EQ(0, n);
		n = 0xdeadbeef;
		TAP_FAILS(msl_write(bad[i], buf, sizeof(buf), &n), EBADF,
			  MSL_ERROR_INVALID_HANDLE);
		TAP_EQ(0, n);
		TAP_FAILS(msl_get_info(bad[i], &v, &v, &v, &t), EBADF,
			  MSL_ERROR_INVALID_HANDLE);
		TAP_EQ(7, v);
		TAP_EQ(7, t);
		TAP_FAILS(msl_query(bad[i], &info), EBADF, MSL_ERROR_INVALID_HANDLE);
		TAP_FAILS(msl_set_info(bad[i], 0), EBADF, MSL_ERROR_INVALID_HANDLE);
		TAP_FAILS(msl_fd(bad[i]), EBADF, MSL_ERROR_INVALID_HANDLE);
		TAP_FAILS(msl_close(bad[i]), EBADF, MSL_ERROR_INVALID_HANDLE);
	}
}

static void *other_thread(void *arg)
{
	*(__u32 *)arg = msl_last_error();
	msl_set_last_error(7);
	return NULL;
}

/* the last error belongs to the thread, as GetLastError's does */
static void last_error_is_per_thread(void)
{
	__u32 seen = 1234;
	pthread_t t;

	msl_set_last_error(42);
	TAP_EQ(0, pthread_create(&t, NULL, other_thread, &seen));
	TAP_EQ(0, pthread_join(t, NULL));
	TAP_EQ(0, seen);
	TAP_EQ(42, msl_last_error());
}

static bool dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return false;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return !n;
}

/*
 * A mount point that is no mailslotfs: nothing is made there, no
 * directory either, and nothing opened (ENODEV, MSL_ERROR_PATH_NOT_FOUND).
 */
static void nothing_outside_mailslotfs(void)
{
	char dir[] = "/tmp/msl-test.XXXXXX", path[PATH_MAX];

	if (!mkdtemp(dir)) {
		tap_skip("no temporary directory");
		return;
	}
	setenv("MAILSLOT_MOUNT", dir, 1);
	TAP_NO_HANDLE(msl_create("\\\\.\\mailslot\\x", 0, 0), ENODEV,
		      MSL_ERROR_PATH_NOT_FOUND);
	TAP_NO_HANDLE(msl_create("\\\\.\\mailslot\\d\\x", 0, 0), ENODEV,
		      MSL_ERROR_PATH_NOT_FOUND);
	TAP_EXPECT(dir_is_empty(dir), "%s has something", dir);
	snprintf(path, sizeof(path), "%s/x", dir);
	TAP_EQ(0, close(open(path, O_WRONLY | O_CREAT, 0600)));
	TAP_NO_HANDLE(msl_open("\\\\.\\mailslot\\x"), ENODEV,
		      MSL_ERROR_PATH_NOT_FOUND);
	TAP_NO_HANDLE(msl_open("\\\\HOST\\mailslot\\x"), ENODEV,
		      MSL_ERROR_PATH_NOT_FOUND);
	unlink(path);
	setenv("MAILSLOT_MOUNT", "/nonexistent/mailslot", 1);
	TAP_NO_HANDLE(msl_create("\\\\.\\mailslot\\x", 0, 0), ENODEV,
		      MSL_ERROR_PATH_NOT_FOUND);
	TAP_NO_HANDLE(msl_open("\\\\.\\mailslot\\x"), ENODEV,
		      MSL_ERROR_PATH_NOT_FOUND);
	/* bad arguments fail before anything is looked at */
	setenv("MAILSLOT_MOUNT", dir, 1);
	TAP_NO_HANDLE(msl_create("\\\\.\\mailslot\\x", 0, -2), EINVAL,
		      MSL_ERROR_INVALID_PARAMETER);
	TAP_NO_HANDLE(msl_create("\\\\.\\mailslot\\..\\x", 0, 0), EINVAL,
		      MSL_ERROR_INVALID_NAME);
	TAP_NO_HANDLE(msl_create("\\\\HOST\\mailslot\\x", 0, 0), EINVAL,
		      MSL_ERROR_INVALID_NAME);
	TAP_NO_HANDLE(msl_open("\\\\ABCDEFGHIJKLMNOP\\mailslot\\x"), ENXIO,
		      MSL_ERROR_BAD_NETPATH);
	TAP_EXPECT(dir_is_empty(dir), "%s has something", dir);
	unsetenv("MAILSLOT_MOUNT");
	rmdir(dir);
}

static int sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	__atomic_fetch_add(&sigpipes, 1, __ATOMIC_RELAXED);
}

static bool sigpipe_pending(void)
{
	sigset_t s;

	sigpending(&s);
	return sigismember(&s, SIGPIPE);
}

/* A pipe with no reader, as a slot whose server has gone: EPIPE only. */
static void writes_raise_no_sigpipe(void)
{
	sigset_t pipe_set, old;
	int p[2];

	TAP_EQ(0, pipe(p));
	close(p[0]);
	signal(SIGPIPE, SIG_DFL);	/* it would end this process */
	errno = 0;
	TAP_EQ(-1, msl_write_nosigpipe(p[1], "x", 1));
	TAP_EQ(EPIPE, errno);
	TAP_EXPECT(!sigpipe_pending(), "a SIGPIPE left pending");
	signal(SIGPIPE, on_sigpipe);
	TAP_EQ(-1, msl_write_nosigpipe(p[1], "x", 1));
	TAP_EQ(0, __atomic_load_n(&sigpipes, __ATOMIC_RELAXED));
	/* one pending before stays pending, and the mask as it was */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	raise(SIGPIPE);
	TAP_EQ(-1, msl_write_nosigpipe(p[1], "x", 1));
	TAP_EXPECT(sigpipe_pending(), "the pending SIGPIPE was taken");
	sigprocmask(SIG_SETMASK, &old, NULL);
	TAP_EQ(1, __atomic_load_n(&sigpipes, __ATOMIC_RELAXED));
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
}

static const struct tap_test tests[] = {
	TAP_TEST(translate_cases),
	TAP_TEST(translate_lengths),
	TAP_TEST(translate_buffer_sizes),
	TAP_TEST(translate_random_names_stay_below),
	TAP_TEST(errors_cases),
	TAP_TEST(errors_have_names),
	TAP_TEST(errors_are_windows_numbers),
	TAP_TEST(mount_lines),
	TAP_TEST(mount_point_from_env),
	TAP_TEST(handles_invalid),
	TAP_TEST(last_error_is_per_thread),
	TAP_TEST(writes_raise_no_sigpipe),
	TAP_TEST(nothing_outside_mailslotfs),
};

int main(void)
{
	return tap_run(tests, TAP_COUNT(tests));
}
