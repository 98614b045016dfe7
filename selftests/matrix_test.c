// SPDX-License-Identifier: GPL-2.0
/*
 * Every operation a user can reach, on every kind of object of mailslotfs,
 * as three users: root; an unprivileged user who is root of a user and
 * network namespace of his own, with an instance of his own; and an
 * unprivileged user on root's instance. Each cell's result (an errno
 * name, or "ok") must be the one matrix.txt records, and
 * Documentation/matrix.rst shows (tools/check compares the two).
 *
 *   matrix_test		run every cell, compare, TAP
 *   matrix_test -p		print the results found, in matrix.txt's form
 *   matrix_test -r FILE	print FILE (matrix.txt) as an RST table
 *
 * Each cell runs in a child of its own, in a fresh instance with remote
 * on (a network namespace of its own), on fresh objects: whatever an
 * operation does cannot change another cell's result.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <net/if.h>
#include <poll.h>
#include <sys/fanotify.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>

#include "kselftest_harness.h"
#include "mailslot.h"

/* the kinds of object */
enum obj {
	O_ROOT,		/* the root directory */
	O_DIR,		/* a pseudo-path directory, "NET" */
	O_SERVER,	/* a slot "S", through its server descriptor */
	O_CLIENT,	/* the same slot, through a client descriptor */
	O_ORPHAN,	/* a slot whose server has closed, through a client */
	O_RDIR,		/* "@127.0.0.1", a remote target directory */
	O_HANDLE,	/* "@127.0.0.1/X", a remote handle */
	O_PROC,		/* /proc/net/mailslot */
	NR_OBJ
};

static const char *const obj_name[NR_OBJ] = {
	"root", "dir", "server", "client", "orphan", "@target", "handle", "proc",
};

/* the users */
enum role { R_ROOT, R_USERNS, R_OTHER, NR_ROLE };

static const char *const role_name[NR_ROLE] = { "root", "userns", "other" };

/* one object, ready for an operation: its path, and a descriptor */
struct obj_at {
	char path[256];
	char dir[128];	/* the mount */
	int fd;
};

#define M_UID	65534	/* the unprivileged user */

/* As M_UID, become root of a new user namespace (mapped to M_UID). */
static int become_userns_root(void)
{
	if (setresgid(M_UID, M_UID, M_UID) || setresuid(M_UID, M_UID, M_UID))
		return -1;
	/* a change of uid made us undumpable: /proc/self would be root's */
	if (prctl(PR_SET_DUMPABLE, 1))
		return -1;
	return msl_userns_root(CLONE_NEWUSER);
}

/* Every cell mounts its own instance here, in a mount namespace of its own. */
#define MNT	"/tmp/msl-matrix"

/*
 * An instance of a new network namespace on MNT; with remote on (and the
 * loopback up, for "@127.0.0.1") when @remote.
 */
static int new_instance(char *dir, size_t len, bool remote)
{
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	snprintf(dir, len, MNT);
	if (remote && msl_lo_up())
		return -1;
	return mount("none", dir, MSL_FSTYPE, 0,
		     remote ? "remote,netbios_name=MATRIX" : NULL);
}

/* Make the object @o in the instance on @a->dir; its path and descriptor. */
static int make_obj(enum obj o, struct obj_at *a)
{
	char p[256];
	int srv, cli;

	snprintf(p, sizeof(p), "%s/NET", a->dir);
	if (mkdir(p, 0755))
		return -1;
	snprintf(p, sizeof(p), "%s/S", a->dir);
	srv = open(p, O_RDONLY | O_CREAT | O_EXCL, 0622);
	cli = open(p, O_WRONLY);
	if (srv < 0 || cli < 0)
		return -1;
	a->fd = -1;
	switch (o) {
	case O_ROOT:
		snprintf(a->path, sizeof(a->path), "%s", a->dir);
		a->fd = open(a->path, O_RDONLY | O_DIRECTORY);
		break;
	case O_DIR:
		snprintf(a->path, sizeof(a->path), "%s/NET", a->dir);
		a->fd = open(a->path, O_RDONLY | O_DIRECTORY);
		break;
	case O_SERVER:
	case O_CLIENT:
		snprintf(a->path, sizeof(a->path), "%s", p);
		a->fd = o == O_SERVER ? dup(srv) : dup(cli);
		break;
	case O_ORPHAN:
		snprintf(a->path, sizeof(a->path), "%s", p);
		a->fd = dup(cli);
		close(srv);
		srv = -1;
		break;
	case O_RDIR:
		snprintf(a->path, sizeof(a->path), "%s/@127.0.0.1", a->dir);
		a->fd = open(a->path, O_RDONLY | O_DIRECTORY);
		break;
	case O_HANDLE:
		snprintf(a->path, sizeof(a->path), "%s/@127.0.0.1/X", a->dir);
		a->fd = open(a->path, O_WRONLY);
		break;
	case O_PROC:
		snprintf(a->path, sizeof(a->path), "/proc/net/mailslot");
		a->fd = open(a->path, O_RDONLY);
		break;
	default:
		return -1;
	}
	/* the server stays open but in O_ORPHAN: the child holds it */
	(void)srv;
	return a->fd < 0 ? -1 : 0;
}

/* ---- the operations: each returns 0 or -errno ---- */

#define E(x)	((x) < 0 ? -errno : 0)

static char scratch[4096];

static int op_open(struct obj_at *a, int flags)
{
	int fd = open(a->path, flags | O_NONBLOCK, 0600);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int op_open_rdonly(struct obj_at *a) { return op_open(a, O_RDONLY); }
static int op_open_wronly(struct obj_at *a) { return op_open(a, O_WRONLY); }
static int op_open_rdwr(struct obj_at *a) { return op_open(a, O_RDWR); }
static int op_open_path(struct obj_at *a) { return op_open(a, O_PATH); }
static int op_open_trunc(struct obj_at *a) { return op_open(a, O_WRONLY | O_TRUNC); }
static int op_open_append(struct obj_at *a) { return op_open(a, O_WRONLY | O_APPEND); }
static int op_open_dir(struct obj_at *a) { return op_open(a, O_RDONLY | O_DIRECTORY); }
static int op_open_tmpfile(struct obj_at *a) { return op_open(a, O_TMPFILE | O_RDWR); }
static int op_creat_excl(struct obj_at *a) { return op_open(a, O_RDONLY | O_CREAT | O_EXCL); }

static int op_create_in(struct obj_at *a)
{
	char p[300];
	int fd;

	snprintf(p, sizeof(p), "%s/new", a->path);
	fd = open(p, O_RDONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int op_reopen(struct obj_at *a, int flags)
{
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", a->fd);
	fd = open(p, flags | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int op_reopen_r(struct obj_at *a) { return op_reopen(a, O_RDONLY); }
static int op_reopen_w(struct obj_at *a) { return op_reopen(a, O_WRONLY); }

/* Descriptor operations must not block: the descriptor is non-blocking. */
static int nonblock(struct obj_at *a)
{
	return fcntl(a->fd, F_SETFL, fcntl(a->fd, F_GETFL) | O_NONBLOCK);
}

static int op_read(struct obj_at *a)
{
	nonblock(a);
	return E(read(a->fd, scratch, sizeof(scratch)));
}

static int op_write(struct obj_at *a)
{
	nonblock(a);
	return E(write(a->fd, "x", 1));
}

static int op_pread(struct obj_at *a)
{
	nonblock(a);
	return E(pread(a->fd, scratch, sizeof(scratch), 0));
}

static int op_pwrite(struct obj_at *a)
{
	nonblock(a);
	return E(pwrite(a->fd, "x", 1, 0));
}

static int op_readv(struct obj_at *a)
{
	struct iovec v[2] = { { scratch, 8 }, { scratch + 8, 4000 } };

	nonblock(a);
	return E(readv(a->fd, v, 2));
}

static int op_writev(struct obj_at *a)
{
	struct iovec v[2] = { { "ab", 2 }, { "cd", 2 } };

	nonblock(a);
	return E(writev(a->fd, v, 2));
}

static int op_splice_out(struct obj_at *a)
{
	int p[2], ret;

	if (pipe2(p, O_NONBLOCK))
		return -EMFILE;
	nonblock(a);
	ret = E(splice(a->fd, NULL, p[1], NULL, 4096, SPLICE_F_NONBLOCK));
	close(p[0]);
	close(p[1]);
	return ret;
}

static int op_splice_in(struct obj_at *a)
{
	int p[2], ret;

	if (pipe2(p, O_NONBLOCK) || write(p[1], "spliced", 7) != 7)
		return -EMFILE;
	nonblock(a);
	ret = E(splice(p[0], NULL, a->fd, NULL, 7, SPLICE_F_NONBLOCK));
	close(p[0]);
	close(p[1]);
	return ret;
}

static int op_sendfile(struct obj_at *a)
{
	int p[2], ret;

	if (pipe2(p, O_NONBLOCK))
		return -EMFILE;
	nonblock(a);
	ret = E(sendfile(p[1], a->fd, NULL, 4096));
	close(p[0]);
	close(p[1]);
	return ret;
}

static int op_copy_range(struct obj_at *a)
{
	int t = open("/tmp", O_TMPFILE | O_RDWR, 0600), ret;

	if (t < 0)
		return -EMFILE;
	nonblock(a);
	ret = E(copy_file_range(a->fd, NULL, t, NULL, 4096, 0));
	close(t);
	return ret;
}

static int op_mmap(struct obj_at *a)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, a->fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, 4096);
	return 0;
}

static int op_fallocate(struct obj_at *a) { return E(fallocate(a->fd, 0, 0, 4096)); }
static int op_ftruncate(struct obj_at *a) { return E(ftruncate(a->fd, 0)); }
static int op_truncate(struct obj_at *a) { return E(truncate(a->path, 0)); }

/* every ioctl of the ABI, given junk; and one nobody defines */
static int op_ioctl_info(struct obj_at *a)
{
	return E(ioctl(a->fd, MAILSLOT_IOC_GET_INFO, (void *)8));
}

static int op_ioctl_timeout(struct obj_at *a)
{
	__s32 v = -7;

	return E(ioctl(a->fd, MAILSLOT_IOC_SET_TIMEOUT, &v));
}

static int op_ioctl_recv(struct obj_at *a)
{
	struct mailslot_recv r;

	memset(&r, 0xff, sizeof(r));
	nonblock(a);
	return E(ioctl(a->fd, MAILSLOT_IOC_RECV, &r));
}

static int op_ioctl_remote(struct obj_at *a)
{
	__u32 v = 7;

	return E(ioctl(a->fd, MAILSLOT_IOC_SET_REMOTE, &v));
}

static int op_ioctl_max_size(struct obj_at *a)
{
	return E(ioctl(a->fd, MAILSLOT_IOC_SET_MAX_SIZE, (void *)8));
}

static int op_ioctl_fionread(struct obj_at *a)
{
	int n;

	return E(ioctl(a->fd, FIONREAD, &n));
}

static int op_ioctl_unknown(struct obj_at *a)
{
	return E(ioctl(a->fd, _IOWR(0xB8, 99, long), scratch));
}

static int op_mkdir_in(struct obj_at *a)
{
	char p[300];

	snprintf(p, sizeof(p), "%s/d", a->path);
	return E(mkdir(p, 0755));
}

static int op_mkdir(struct obj_at *a) { return E(mkdir(a->path, 0755)); }
static int op_rmdir(struct obj_at *a) { return E(rmdir(a->path)); }
static int op_unlink(struct obj_at *a) { return E(unlink(a->path)); }

static int op_rename(struct obj_at *a, unsigned int flags)
{
	char to[300];

	snprintf(to, sizeof(to), "%s/renamed", a->dir);
	return E(renameat2(AT_FDCWD, a->path, AT_FDCWD, to, flags));
}

static int op_rename_plain(struct obj_at *a) { return op_rename(a, 0); }
static int op_rename_noreplace(struct obj_at *a) { return op_rename(a, RENAME_NOREPLACE); }
static int op_rename_whiteout(struct obj_at *a) { return op_rename(a, RENAME_WHITEOUT); }

static int op_rename_exchange(struct obj_at *a)
{
	char with[300];

	snprintf(with, sizeof(with), "%s/NET", a->dir);
	return E(renameat2(AT_FDCWD, a->path, AT_FDCWD, with, RENAME_EXCHANGE));
}

static int op_link(struct obj_at *a)
{
	char to[300];

	snprintf(to, sizeof(to), "%s/linked", a->dir);
	return E(link(a->path, to));
}

static int op_symlink_in(struct obj_at *a)
{
	char p[300];

	snprintf(p, sizeof(p), "%s/sym", a->path);
	return E(symlink("S", p));
}

static int op_mknod_in(struct obj_at *a)
{
	char p[300];

	snprintf(p, sizeof(p), "%s/fifo", a->path);
	return E(mknod(p, S_IFIFO | 0600, 0));
}

static int op_chmod(struct obj_at *a) { return E(chmod(a->path, 0700)); }
static int op_chown(struct obj_at *a) { return E(chown(a->path, 0, 0)); }
static int op_utimens(struct obj_at *a) { return E(utimensat(AT_FDCWD, a->path, NULL, 0)); }
static int op_setxattr(struct obj_at *a) { return E(setxattr(a->path, "user.m", "v", 1, 0)); }
static int op_getxattr(struct obj_at *a) { return E(getxattr(a->path, "user.m", scratch, 64)); }
static int op_listxattr(struct obj_at *a) { return E(listxattr(a->path, scratch, 64)); }
static int op_removexattr(struct obj_at *a) { return E(removexattr(a->path, "user.m")); }
static int op_flock(struct obj_at *a) { return E(flock(a->fd, LOCK_EX | LOCK_NB)); }

static int op_fcntl_lock(struct obj_at *a)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };

	return E(fcntl(a->fd, F_SETLK, &fl));
}

static int op_inotify(struct obj_at *a)
{
	int fd = inotify_init1(IN_CLOEXEC), ret;

	ret = E(inotify_add_watch(fd, a->path, IN_ALL_EVENTS));
	close(fd);
	return ret;
}

static int op_fanotify(struct obj_at *a)
{
	int fd = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY), ret;

	if (fd < 0)
		return -errno;
	ret = E(fanotify_mark(fd, FAN_MARK_ADD, FAN_MODIFY | FAN_CLOSE_WRITE,
			      AT_FDCWD, a->path));
	close(fd);
	return ret;
}

static int op_statx(struct obj_at *a)
{
	struct statx sx;

	return E(statx(AT_FDCWD, a->path, 0, STATX_BASIC_STATS, &sx));
}

static int op_getdents(struct obj_at *a)
{
	return E(syscall(SYS_getdents64, a->fd, scratch, sizeof(scratch)));
}

static int op_lseek(struct obj_at *a) { return E(lseek(a->fd, 0, SEEK_SET)); }
static int op_fsync(struct obj_at *a) { return E(fsync(a->fd)); }
static int op_fdatasync(struct obj_at *a) { return E(fdatasync(a->fd)); }

static int op_poll(struct obj_at *a)
{
	struct pollfd p = { .fd = a->fd, .events = POLLIN | POLLOUT };

	return E(poll(&p, 1, 0));
}

struct op {
	const char *name;
	int (*fn)(struct obj_at *a);
};

static const struct op ops[] = {
	{ "open(O_RDONLY)", op_open_rdonly },
	{ "open(O_WRONLY)", op_open_wronly },
	{ "open(O_RDWR)", op_open_rdwr },
	{ "open(O_PATH)", op_open_path },
	{ "open(O_WRONLY|O_TRUNC)", op_open_trunc },
	{ "open(O_WRONLY|O_APPEND)", op_open_append },
	{ "open(O_DIRECTORY)", op_open_dir },
	{ "open(O_TMPFILE)", op_open_tmpfile },
	{ "open(O_CREAT|O_EXCL)", op_creat_excl },
	{ "create a slot in it", op_create_in },
	{ "reopen /proc/self/fd rd", op_reopen_r },
	{ "reopen /proc/self/fd wr", op_reopen_w },
	{ "read", op_read },
	{ "write", op_write },
	{ "pread", op_pread },
	{ "pwrite", op_pwrite },
	{ "readv", op_readv },
	{ "writev", op_writev },
	{ "splice to a pipe", op_splice_out },
	{ "splice from a pipe", op_splice_in },
	{ "sendfile", op_sendfile },
	{ "copy_file_range", op_copy_range },
	{ "mmap", op_mmap },
	{ "fallocate", op_fallocate },
	{ "ftruncate", op_ftruncate },
	{ "truncate", op_truncate },
	{ "ioctl GET_INFO, bad address", op_ioctl_info },
	{ "ioctl SET_TIMEOUT -7", op_ioctl_timeout },
	{ "ioctl RECV, junk", op_ioctl_recv },
	{ "ioctl SET_REMOTE 7", op_ioctl_remote },
	{ "ioctl SET_MAX_SIZE, bad addr", op_ioctl_max_size },
	{ "ioctl FIONREAD", op_ioctl_fionread },
	{ "ioctl unknown", op_ioctl_unknown },
	{ "mkdir in it", op_mkdir_in },
	{ "mkdir", op_mkdir },
	{ "rmdir", op_rmdir },
	{ "unlink", op_unlink },
	{ "rename", op_rename_plain },
	{ "renameat2 NOREPLACE", op_rename_noreplace },
	{ "renameat2 EXCHANGE", op_rename_exchange },
	{ "renameat2 WHITEOUT", op_rename_whiteout },
	{ "link", op_link },
	{ "symlink in it", op_symlink_in },
	{ "mknod in it", op_mknod_in },
	{ "chmod", op_chmod },
	{ "chown", op_chown },
	{ "utimensat", op_utimens },
	{ "setxattr", op_setxattr },
	{ "getxattr", op_getxattr },
	{ "listxattr", op_listxattr },
	{ "removexattr", op_removexattr },
	{ "flock", op_flock },
	{ "fcntl F_SETLK", op_fcntl_lock },
	{ "inotify_add_watch", op_inotify },
	{ "fanotify_mark", op_fanotify },
	{ "statx", op_statx },
	{ "getdents64", op_getdents },
	{ "lseek", op_lseek },
	{ "fsync", op_fsync },
	{ "fdatasync", op_fdatasync },
	{ "poll", op_poll },
};

#define NR_OPS	ARRAY_SIZE(ops)

static const char *result_name(int r)
{
	static char buf[16];

	if (!r)
		return "ok";
	if (strerrorname_np(-r))
		return strerrorname_np(-r);
	snprintf(buf, sizeof(buf), "E%d", -r);
	return buf;
}

/*
 * The cell (@role, @o, @op), in a child: its result, or a string that
 * names why the setup failed.
 */
static void run_cell(enum role role, enum obj o, const struct op *op,
		     char *out, size_t len)
{
	struct { int setup, result; } *r;
	struct obj_at a = { .fd = -1 };
	pid_t pid;
	int st;

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	r->setup = -1;
	pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		umask(0);
		if (role == R_USERNS && become_userns_root())
			_exit(1);
		if (new_instance(a.dir, sizeof(a.dir), o == O_RDIR || o == O_HANDLE) ||
		    make_obj(o, &a))
			_exit(2);
		if (role == R_OTHER &&
		    (setresgid(M_UID, M_UID, M_UID) || setresuid(M_UID, M_UID, M_UID)))
			_exit(3);
		r->setup = 0;
		r->result = op->fn(&a);
		_exit(0);
	}
	st = msl_wait(pid);
	if (st || r->setup)
		snprintf(out, len, "setup-%d", st);
	else
		snprintf(out, len, "%s", result_name(r->result));
	munmap(r, sizeof(*r));
}

/* matrix.txt: "role<TAB>op<TAB>result per object, space-separated". */
static int expected(const char *file, enum role role, const struct op *op,
		    char res[NR_OBJ][16])
{
	char line[512], *f[3], *p, *save;
	FILE *fp = fopen(file, "r");
	int found = -1, i;

	while (fp && fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = 0;
		f[0] = strtok_r(line, "\t", &save);
		f[1] = strtok_r(NULL, "\t", &save);
		f[2] = strtok_r(NULL, "\t", &save);
		if (!f[2] || line[0] == '#' || strcmp(f[0], role_name[role]) ||
		    strcmp(f[1], op->name))
			continue;
		for (i = 0, p = strtok_r(f[2], " ", &save); p && i < NR_OBJ;
		     p = strtok_r(NULL, " ", &save), i++)
			snprintf(res[i], 16, "%s", p);
		found = i == NR_OBJ ? 0 : -1;
	}
	if (fp)
		fclose(fp);
	return found;
}

static const char *matrix_file(void)
{
	static char path[512];
	const char *dir = getenv("MSFS_MATRIX");

	if (dir)
		return dir;
	snprintf(path, sizeof(path), "%s", "matrix.txt");
	return path;
}

FIXTURE(matrix) {
	int dummy;
};

FIXTURE_VARIANT(matrix) {
	enum role role;
};

FIXTURE_VARIANT_ADD(matrix, root) { .role = R_ROOT };
FIXTURE_VARIANT_ADD(matrix, userns) { .role = R_USERNS };
FIXTURE_VARIANT_ADD(matrix, other) { .role = R_OTHER };

FIXTURE_SETUP(matrix)
{
	if (getuid())
		SKIP(return, "needs root");
	mkdir(MNT, 0777);
	ASSERT_EQ(0, chmod(MNT, 0777));
}

FIXTURE_TEARDOWN(matrix)
{
}

/* Did every cell of a row find the operation missing from this kernel? */
static bool row_missing(char got[NR_OBJ][32])
{
	unsigned int o;

	for (o = 0; o < NR_OBJ; o++)
		if (strcmp(got[o], "ENOSYS"))
			return false;
	return true;
}

/*
 * Every operation on every object, as the variant's user. A row whose
 * system call this kernel does not have (ENOSYS in every cell: fanotify
 * on a kernel built without it) is said and not compared.
 */
TEST_F_TIMEOUT(matrix, every_cell_as_recorded, 600)
{
	char want[NR_OBJ][16], got[NR_OBJ][32];
	unsigned int i, o, bad = 0;

	for (i = 0; i < NR_OPS; i++) {
		ASSERT_EQ(0, expected(matrix_file(), variant->role, &ops[i], want))
			TH_LOG("no line for %s %s", role_name[variant->role],
			       ops[i].name);
		for (o = 0; o < NR_OBJ; o++)
			run_cell(variant->role, o, &ops[i], got[o], sizeof(got[o]));
		if (row_missing(got)) {
			TH_LOG("%s: not in this kernel, not compared", ops[i].name);
			continue;
		}
		for (o = 0; o < NR_OBJ; o++) {
			if (!strcmp(got[o], want[o]))
				continue;
			TH_LOG("%s, %s on %s: %s, recorded %s",
			       role_name[variant->role], ops[i].name,
			       obj_name[o], got[o], want[o]);
			bad++;
		}
	}
	EXPECT_EQ(0, bad);
}

/* -p: the results found, as matrix.txt records them. */
static int print_found(void)
{
	char got[32];
	unsigned int r, i, o;

	printf("# role\toperation\t%s", obj_name[0]);
	for (o = 1; o < NR_OBJ; o++)
		printf(" %s", obj_name[o]);
	printf("\n");
	for (r = 0; r < NR_ROLE; r++)
		for (i = 0; i < NR_OPS; i++) {
			printf("%s\t%s\t", role_name[r], ops[i].name);
			for (o = 0; o < NR_OBJ; o++) {
				run_cell(r, o, &ops[i], got, sizeof(got));
				printf("%s%s", o ? " " : "", got);
			}
			printf("\n");
			fflush(stdout);
		}
	return 0;
}

/* One row of an RST table: the first column, and a cell per object. */
static void rst_row(const char *first, const char *cells[NR_OBJ])
{
	char line[512];
	int n, o;

	n = snprintf(line, sizeof(line), "%-29s", first);
	for (o = 0; o < NR_OBJ; o++)
		n += snprintf(line + n, sizeof(line) - n, " %-12s", cells[o]);
	while (n && line[n - 1] == ' ')
		line[--n] = 0;
	printf("%s\n", line);
}

/* -r FILE: matrix.txt as RST tables, one per user. */
static int print_rst(const char *file)
{
	static const char *const rule[NR_OBJ] = {
		[0 ... NR_OBJ - 1] = "============",
	};
	char res[NR_OBJ][16];
	const char *cells[NR_OBJ];
	unsigned int r, i, o;

	for (r = 0; r < NR_ROLE; r++) {
		printf("As ``%s``:\n\n", role_name[r]);
		rst_row("=============================", (const char **)rule);
		rst_row("operation", (const char **)obj_name);
		rst_row("=============================", (const char **)rule);
		for (i = 0; i < NR_OPS; i++) {
			if (expected(file, r, &ops[i], res))
				return 1;
			for (o = 0; o < NR_OBJ; o++)
				cells[o] = res[o];
			rst_row(ops[i].name, cells);
		}
		rst_row("=============================", (const char **)rule);
		printf("\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "-p")) {
		mkdir(MNT, 0777);
		chmod(MNT, 0777);
		return print_found();
	}
	if (argc > 2 && !strcmp(argv[1], "-r"))
		return print_rst(argv[2]);
	exit(msl_main(argc, argv));
}
