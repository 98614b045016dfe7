// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot: the command-line tool of mailslotfs. mailslot(1)
 * (Documentation/man/mailslot.1.rst) is its manual; --help says the same
 * in short.
 *
 * Each command is a row of commands[]: its name, the options it takes
 * (a mask of OPT_*), how many arguments, and the function that runs it.
 * Options may stand anywhere on the line (getopt_long permutes them);
 * "--" ends them. A new option is a bit, a row of longopts[] and a case in
 * parse(); a new command, a row of commands[]. A command may have a second
 * form, a row of its own that an option selects (serve --messenger).
 */
#define _GNU_SOURCE	/* memfd_create() */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <mntent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mailslot.h>

#ifndef MSFS_VERSION
#define MSFS_VERSION "unknown"
#endif

/* exit statuses (mailslot(1), EXIT STATUS) */
enum {
	EX_FAIL = 1,		/* any other failure */
	EX_USAGE = 2,		/* bad command line */
	EX_NOTFOUND = 3,	/* no such slot or directory; no mailslotfs */
	EX_REMOTEOFF = 4,	/* remote mailslots are off */
	EX_NETWORK = 5,		/* nobody answers, or the network refused */
	EX_NOTMSFS = 6,		/* the path is not on mailslotfs */
};

enum {
	OPT_JSON = 1 << 0,
	OPT_COUNT = 1 << 1,
	OPT_TIMEOUT = 1 << 2,
	OPT_DELAY = 1 << 3,
	OPT_HEX = 1 << 4,
	OPT_MODE = 1 << 5,
	OPT_NO_REMOTE = 1 << 6,
	OPT_EXEC = 1 << 7,
	OPT_MESSENGER = 1 << 8,
	OPT_FROM = 1 << 9,
	OPT_TO = 1 << 10,
};

#define OPTS_SERVE (OPT_COUNT | OPT_TIMEOUT | OPT_DELAY | OPT_HEX | \
		    OPT_MODE | OPT_NO_REMOTE | OPT_EXEC)
#define OPTS_SERVE_MESSENGER ((OPTS_SERVE & ~OPT_HEX) | OPT_MESSENGER)
#define OPTS_SEND_MESSENGER (OPT_MESSENGER | OPT_FROM | OPT_TO)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* the largest message mailslotfs can hold (max_msg_size's ceiling) */
#define MSL_MSG_MAX (16 << 20)

/*
 * The Messenger service (net send, WinPopup): its slot, \MAILSLOT\MESSNGR,
 * takes from\0to\0text\0 in one message of at most 432 bytes less the
 * name's 7 characters rounded up to 4 (MS-MAIL <2>), which is also the
 * 424 bytes of a broadcast write: mailslotfs sends no more.
 */
#define MESSENGER_SLOT "MESSNGR"
#define MESSENGER_MAX 424

struct opts {
	unsigned int given;	/* OPT_* */
	long count;
	int timeout_ms;
	int delay;
	mode_t mode;
	const char *exec;
	const char *from, *to;
};

struct command {
	const char *name;
	unsigned int form;	/* 0, or the OPT_* that selects this row */
	unsigned int opts;	/* the OPT_* it takes */
	int min_args, max_args;	/* max -1: any number */
	int (*run)(const struct opts *o, char **args, int nargs);
};

static const char help_text[] =
"Usage: mailslot COMMAND [OPTION]... [ARG]...\n"
"Windows mailslots on mailslotfs: see mailslot(1) and mailslotfs(5).\n"
"\n"
"Commands:\n"
"  serve PATH            create the slot PATH and print each message with\n"
"                        its sender, until interrupted\n"
"  serve --messenger [PATH]\n"
"                        the same for the Messenger's slot (default\n"
"                        MOUNT/MESSNGR): each message as FROM -> TO: TEXT\n"
"  send PATH [MESSAGE]...\n"
"                        write each MESSAGE to the slot as one message;\n"
"                        without MESSAGE, or for \"-\", standard input is one\n"
"  send --messenger HOST [TEXT]\n"
"                        send TEXT (\"-\" or none: standard input) to the\n"
"                        Messenger of HOST, through MOUNT/@HOST/MESSNGR\n"
"  info PATH             what GetMailslotInfo says about the slot PATH\n"
"  ls [DIR]              the slots under DIR (default /mailslot) and what\n"
"                        they hold\n"
"  stats                 the counters of remote mailslots (/proc/net/mailslot)\n"
"\n"
"Options of serve:\n"
"  -n, --count=N         stop after N messages\n"
"  -t, --timeout=MS      stop when no message comes for MS milliseconds\n"
"  -d, --delay=SECONDS   wait SECONDS before the first read\n"
"  -x, --hex             print messages in hex\n"
"  -m, --mode=MODE       create the slot with MODE (octal), umask or not\n"
"      --no-remote       keep remote messages out of the slot\n"
"  -e, --exec=CMD        run CMD with sh -c for each message instead of\n"
"                        printing it: the message on its standard input, the\n"
"                        sender in MAILSLOT_* variables\n"
"Options of serve and send:\n"
"      --messenger       messages of the Messenger service (net send,\n"
"                        WinPopup): from\\0to\\0text\\0, at most 424 bytes\n"
"Options of send --messenger:\n"
"      --from=NAME       the sender (default: this host's name, upper case)\n"
"      --to=NAME         the recipient (default: HOST, upper case)\n"
"Options of info, ls and stats:\n"
"  -j, --json            print JSON\n"
"Options of all:\n"
"  -h, --help            print this help and exit\n"
"  -V, --version         print the version and exit\n"
"\n"
"MOUNT is $MAILSLOT_MOUNT, else the first mailslotfs mount, else /mailslot.\n"
"\n"
"Exit status: 0 done, 1 failed, 2 usage, 3 no such slot or directory (or no\n"
"mailslotfs), 4 remote mailslots are off, 5 network (nobody answers for the\n"
"name, or the network refused), 6 not a path on mailslotfs.\n";

/* What is wrong with the command line (@fmt NULL: getopt said it). */
static int usage_error(const char *fmt, const char *arg)
{
	if (fmt) {
		fputs("mailslot: ", stderr);
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	fputs("Try 'mailslot --help' for more information.\n", stderr);
	return EX_USAGE;
}

/* The exit status for an errno, and a hint for the ones that need it. */
static int fail(const char *what, int err)
{
	fprintf(stderr, "mailslot: %s: %s\n", what, strerror(err));
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return EX_NOTFOUND;
	case EPIPE:
		fputs("mailslot: the slot's server has closed it\n", stderr);
		return EX_NOTFOUND;
	case EOPNOTSUPP:
		fputs("mailslot: remote mailslots are off: mount -o remount,remote\n",
		      stderr);
		return EX_REMOTEOFF;
	case ENXIO:
		fputs("mailslot: nobody answers for that NetBIOS name\n", stderr);
		return EX_NETWORK;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
	case EHOSTDOWN:
	case EADDRNOTAVAIL:
	case ECONNREFUSED:
		return EX_NETWORK;
	default:
		return EX_FAIL;
	}
}

/* Is @path on mailslotfs? 0, or the exit status after saying why not. */
static int on_mailslotfs(const char *path)
{
	struct statfs st;

	if (statfs(path, &st))
		return fail(path, errno);
	if (st.f_type != MAILSLOTFS_MAGIC) {
		fprintf(stderr, "mailslot: %s: not on mailslotfs\n", path);
		return EX_NOTMSFS;
	}
	return 0;
}

/* The same for the directory that would hold @path. */
static int parent_on_mailslotfs(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return fail(path, ENAMETOOLONG);
	while ((slash = strrchr(dir, '/')) && slash > dir && !slash[1])
		*slash = '\0';	/* trailing slashes */
	slash = strrchr(dir, '/');
	if (!slash)
		return on_mailslotfs(".");
	slash[slash == dir] = '\0';	/* "/x" -> "/" */
	return on_mailslotfs(dir);
}

/* -- output ------------------------------------------------------------ */

/*
 * The character at @s (@n bytes left) into *@cp: its length in bytes, or
 * 0 when the bytes are not UTF-8 (not the shortest form, a surrogate,
 * beyond U+10FFFF, cut short).
 */
static int utf8_len(const unsigned char *s, size_t n, unsigned int *cp)
{
	static const unsigned int least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned int c;
	int len, i;

	*cp = s[0];
	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if ((size_t)len > n)
		return 0;
	c = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < least[len] || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
		return 0;
	*cp = c;
	return len;
}

/*
 * @str through @put, character by character: its bytes @s, @len of them
 * (0 for a byte that is not UTF-8), and the character @c.
 */
static void put_chars(const char *str,
		      void (*put)(const unsigned char *s, int len, unsigned int c))
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	unsigned int c;
	int len;

	while (n) {
		len = utf8_len(s, n, &c);
		put(s, len, c);
		len = len ?: 1;
		s += len;
		n -= len;
	}
}

static void put_json_char(const unsigned char *s, int len, unsigned int c)
{
	if (*s == '"' || *s == '\\')
		printf("\\%c", *s);
	else if (*s < 0x20 || *s == 0x7f)
		printf("\\u%04x", *s);
	else if (len)
		fwrite(s, 1, len, stdout);
	else
		fputs("\\ufffd", stdout);
}

/* @s as a JSON string: bytes that are not UTF-8 become U+FFFD. */
static void json_str(const char *str)
{
	putchar('"');
	put_chars(str, put_json_char);
	putchar('"');
}

/*
 * Characters a terminal acts on, or that move or reorder what follows:
 * controls (C0, DEL, C1), line and paragraph separators, and the marks,
 * embeddings, overrides and isolates of bidirectional text.
 */
static bool unsafe_char(unsigned int c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x061c ||
	       c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* The C escape of @c, for the few that have one; else NULL. */
static const char *named_escape(unsigned int c)
{
	switch (c) {
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		return NULL;
	}
}

/*
 * Does the terminal take UTF-8? Its locale says (LC_ALL, LC_CTYPE, LANG).
 * Asked once; LC_CTYPE goes back to "C" after, for isprint() and the rest.
 */
static bool term_utf8(void)
{
	static int utf8 = -1;

	if (utf8 < 0) {
		setlocale(LC_CTYPE, "");
		utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
		setlocale(LC_CTYPE, "C");
	}
	return utf8;
}

/*
 * A character from whoever sent it, for one line of a terminal: UTF-8 as
 * it is, but \\, \n, \r and \t, \xXX for the other ASCII controls and for
 * bytes that are not UTF-8, \uXXXX for the other characters unsafe_char()
 * names. A terminal that is not UTF-8 gets \xXX for every byte above
 * 0x7f: there 0x80 to 0x9f, bytes of many a UTF-8 character, are C1
 * controls (0x9b, CSI, starts a command).
 */
static void put_term_char(const unsigned char *s, int len, unsigned int c)
{
	int i;

	if (!len || (c >= 0x80 && !term_utf8())) {
		for (i = 0; i < (len ?: 1); i++)
			printf("\\x%02x", s[i]);
	} else if (named_escape(c)) {
		fputs(named_escape(c), stdout);
	} else if (unsafe_char(c)) {
		printf(c < 0x80 ? "\\x%02x" : "\\u%04x", c);
	} else {
		fwrite(s, 1, len, stdout);
	}
}

/* A NetBIOS name as nmblookup writes it, NAME<xx>, printable only. */
static void nbname(char *out, size_t size, const char *n)
{
	char name[16];
	int end = 15, i;

	while (end > 0 && (n[end - 1] == ' ' || !n[end - 1]))
		end--;
	for (i = 0; i < end; i++)
		name[i] = isprint((unsigned char)n[i]) ? n[i] : '?';
	name[end] = '\0';
	snprintf(out, size, "%s<%02x>", name, (unsigned char)n[15]);
}

/* Who sent a message: a remote sender's address and names, a local pid. */
static void sender(char *out, size_t size, const struct mailslot_recv *r)
{
	struct in_addr a = { .s_addr = r->src_addr };
	char src[24], dst[24];

	if (r->origin != MAILSLOT_ORIGIN_REMOTE) {
		snprintf(out, size, "pid %d uid %u", r->pid, r->uid);
		return;
	}
	nbname(src, sizeof(src), r->src_name);
	nbname(dst, sizeof(dst), r->dst_name);
	snprintf(out, size, "%s:%u %s to %s", inet_ntoa(a), ntohs(r->src_port),
		 src, dst);
}

static void print_message(const struct mailslot_recv *r, const char *buf,
			  bool hex)
{
	time_t t = r->recv_time_ns / 1000000000LL;
	char when[32], who[80];
	unsigned int i, len = r->msg_len;

	strftime(when, sizeof(when), "%H:%M:%S", localtime(&t));
	sender(who, sizeof(who), r);
	printf("[%s] %u bytes from %s", when, r->msg_len, who);
	printf(hex ? ":" : ": \"");
	if (!hex && len && buf[len - 1] == '\n')
		len--;	/* echo's newline */
	for (i = 0; i < len; i++) {
		if (hex)
			printf(" %02x", (unsigned char)buf[i]);
		else
			putchar(isprint((unsigned char)buf[i]) ? buf[i] : '.');
	}
	printf(hex ? "\n" : "\"\n");
	fflush(stdout);
}

/* -- the Messenger -------------------------------------------------------- */

/* A Messenger message: the sender, the recipient and the text. */
struct messenger {
	const char *field[3];
	size_t len[3];
};

static const char *const messenger_field[] = { "sender", "recipient", "text" };

/*
 * Where mailslotfs is, for the commands that name a host rather than a
 * path: $MAILSLOT_MOUNT, else the first mailslotfs mount in
 * /proc/self/mounts, else /mailslot (as libmailslot finds it).
 */
static const char *mount_point(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("MAILSLOT_MOUNT");
	struct mntent *m = NULL;
	FILE *f;

	if (env && *env)
		return env;
	f = setmntent("/proc/self/mounts", "re");
	while (f && (m = getmntent(f)))
		if (!strcmp(m->mnt_type, "mailslotfs"))
			break;
	snprintf(dir, sizeof(dir), "%s", m ? m->mnt_dir : "/mailslot");
	if (f)
		endmntent(f);
	return dir;
}

/* The Messenger's slot: MOUNT/MESSNGR, or @host's, MOUNT/@HOST/MESSNGR. */
static int messenger_path(char *buf, size_t size, const char *host)
{
	int n;

	if (host)
		n = snprintf(buf, size, "%s/@%s/%s", mount_point(), host,
			     MESSENGER_SLOT);
	else
		n = snprintf(buf, size, "%s/%s", mount_point(), MESSENGER_SLOT);
	return n < (int)size ? 0 : -ENAMETOOLONG;
}

/*
 * The fields of the message @buf (@len bytes) into @m: 0, or -1 when the
 * message is not three NUL-terminated fields and nothing more.
 */
static int messenger_decode(const char *buf, size_t len, struct messenger *m)
{
	const char *nul;
	size_t off = 0;
	int i;

	for (i = 0; i < 3; i++) {
		nul = memchr(buf + off, '\0', len - off);
		if (!nul)
			return -1;
		m->field[i] = buf + off;
		m->len[i] = nul - m->field[i];
		off += m->len[i] + 1;
	}
	return off == len ? 0 : -1;
}

/*
 * @m as from\0to\0text\0 into @buf, MESSENGER_MAX bytes: the length, or
 * -(exit status) after saying why not (a NUL in a field, too long).
 */
static int messenger_frame(const struct messenger *m, char *buf)
{
	size_t len = 0;
	int i;

	for (i = 0; i < 3; i++) {
		if (memchr(m->field[i], '\0', m->len[i])) {
			fprintf(stderr, "mailslot: the %s holds a NUL byte, which would end it\n",
				messenger_field[i]);
			return -EX_FAIL;
		}
		len += m->len[i] + 1;
	}
	if (len > MESSENGER_MAX) {
		fprintf(stderr, "mailslot: the message would be %zu bytes framed, over %d\n",
			len, MESSENGER_MAX);
		return -EX_FAIL;
	}
	for (len = 0, i = 0; i < 3; i++) {
		memcpy(buf + len, m->field[i], m->len[i]);
		len += m->len[i];
		buf[len++] = '\0';
	}
	return len;
}

/* -- serve --------------------------------------------------------------- */

static void setenv_fmt(const char *name, const char *fmt, ...)
{
	char val[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	setenv(name, val, 1);
}

/* In the child of --exec: who sent the message, for the command. */
static void sender_env(const char *path, const struct mailslot_recv *r)
{
	struct in_addr a = { .s_addr = r->src_addr };
	char name[24];

	setenv("MAILSLOT_PATH", path, 1);
	setenv_fmt("MAILSLOT_LENGTH", "%u", r->msg_len);
	setenv_fmt("MAILSLOT_TIME", "%lld.%09lld",
		   (long long)r->recv_time_ns / 1000000000LL,
		   (long long)r->recv_time_ns % 1000000000LL);
	if (r->origin != MAILSLOT_ORIGIN_REMOTE) {
		setenv("MAILSLOT_ORIGIN", "local", 1);
		setenv_fmt("MAILSLOT_PID", "%d", r->pid);
		setenv_fmt("MAILSLOT_UID", "%u", r->uid);
		setenv_fmt("MAILSLOT_GID", "%u", r->gid);
		return;
	}
	setenv("MAILSLOT_ORIGIN", "remote", 1);
	setenv("MAILSLOT_SRC_ADDR", inet_ntoa(a), 1);
	setenv_fmt("MAILSLOT_SRC_PORT", "%u", ntohs(r->src_port));
	nbname(name, sizeof(name), r->src_name);
	setenv("MAILSLOT_SRC_NAME", name, 1);
	nbname(name, sizeof(name), r->dst_name);
	setenv("MAILSLOT_DST_NAME", name, 1);
}

/*
 * Run @cmd for one message: @in (@len bytes) on its standard input, the
 * sender in its environment, and the fields of a Messenger message @m
 * (NULL for none).
 */
static int run_exec(const char *cmd, const char *path,
		    const struct mailslot_recv *r, const char *in, size_t len,
		    const struct messenger *m)
{
	int fd = memfd_create("mailslot-message", MFD_CLOEXEC);
	int status;
	pid_t pid;

	if (fd < 0 || write(fd, in, len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET))
		return fail("--exec: the message", errno);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return fail("--exec: fork", errno);
	if (!pid) {
		dup2(fd, STDIN_FILENO);
		sender_env(path, r);
		if (m) {
			setenv("MAILSLOT_FROM", m->field[0], 1);
			setenv("MAILSLOT_TO", m->field[1], 1);
			setenv("MAILSLOT_TEXT", m->field[2], 1);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fd);
	if (waitpid(pid, &status, 0) != pid)
		return fail("--exec: wait", errno);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fprintf(stderr, "mailslot: --exec: %s: %s %d\n", cmd,
			WIFEXITED(status) ? "exit status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

/* A message of the Messenger's slot: printed, or --exec'd; or skipped. */
static int serve_messenger(const struct opts *o, const char *path,
			   const struct mailslot_recv *r, const char *buf)
{
	bool big = r->msg_len > MESSENGER_MAX;
	struct messenger m;
	char who[80];

	if (big || messenger_decode(buf, r->msg_len, &m)) {
		sender(who, sizeof(who), r);
		fprintf(stderr, "mailslot: skipped %u bytes from %s: ",
			r->msg_len, who);
		if (big)
			fprintf(stderr, "over %d\n", MESSENGER_MAX);
		else
			fputs("not from\\0to\\0text\\0\n", stderr);
		return 0;
	}
	if (o->exec)
		return run_exec(o->exec, path, r, m.field[2], m.len[2], &m);
	put_chars(m.field[0], put_term_char);
	fputs(" -> ", stdout);
	put_chars(m.field[1], put_term_char);
	fputs(": ", stdout);
	put_chars(m.field[2], put_term_char);
	putchar('\n');
	fflush(stdout);
	return 0;
}

/* One message into *@buf (grown as needed): 0, -EAGAIN or -errno. */
static int receive(int fd, struct mailslot_recv *r, char **buf, size_t *size)
{
	char *bigger;

	for (;;) {
		memset(r, 0, sizeof(*r));
		r->buf = (unsigned long)*buf;
		r->buf_len = *size;
		if (!ioctl(fd, MAILSLOT_IOC_RECV, r))
			return 0;
		if (errno != EMSGSIZE || r->msg_len <= *size)
			return -errno;
		bigger = realloc(*buf, r->msg_len);
		if (!bigger)
			return -ENOMEM;
		*buf = bigger;
		*size = r->msg_len;
	}
}

/* Read and print (or --exec) messages until done: an exit status. */
static int serve_loop(int fd, const struct opts *o, const char *path)
{
	size_t size = 65536;
	char *buf = malloc(size);
	struct mailslot_recv r;
	int err = 0, ret = 0;
	long n;

	if (!buf)
		return fail("receive", ENOMEM);
	for (n = 0; !ret && (!(o->given & OPT_COUNT) || n < o->count); n++) {
		err = receive(fd, &r, &buf, &size);
		if (err)
			break;
		if (o->given & OPT_MESSENGER)
			ret = serve_messenger(o, path, &r, buf);
		else if (o->exec)
			ret = run_exec(o->exec, path, &r, buf, r.msg_len, NULL);
		else
			print_message(&r, buf, o->given & OPT_HEX);
	}
	free(buf);
	if (err && err != -EAGAIN)	/* EAGAIN: the timeout, the end */
		return fail("receive", -err);
	return ret;
}

/*
 * Create the slot @path: its server descriptor, or -(exit status). The
 * Messenger's slot takes no message over MESSENGER_MAX.
 */
static int create_slot(const char *path, const struct opts *o)
{
	__u32 off = 0, max = MESSENGER_MAX;
	__s32 ms = o->timeout_ms;
	int fd, err;

	err = parent_on_mailslotfs(path);
	if (err)
		return -err;
	if (o->given & OPT_MODE)
		umask(0);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		  o->given & OPT_MODE ? o->mode : 0666);
	if (fd < 0)
		return -fail(path, errno);
	if ((o->given & OPT_NO_REMOTE) && ioctl(fd, MAILSLOT_IOC_SET_REMOTE, &off))
		return -fail("MAILSLOT_IOC_SET_REMOTE", errno);
	if ((o->given & OPT_TIMEOUT) && ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &ms))
		return -fail("MAILSLOT_IOC_SET_TIMEOUT", errno);
	if ((o->given & OPT_MESSENGER) &&
	    ioctl(fd, MAILSLOT_IOC_SET_MAX_SIZE, &max))
		return -fail("MAILSLOT_IOC_SET_MAX_SIZE", errno);
	return fd;
}

static int cmd_serve(const struct opts *o, char **args, int nargs)
{
	char messngr[PATH_MAX];
	const char *path = nargs ? args[0] : messngr;
	int fd, ret;

	if (!nargs && messenger_path(messngr, sizeof(messngr), NULL))
		return fail(MESSENGER_SLOT, ENAMETOOLONG);
	fd = create_slot(path, o);
	if (fd < 0)
		return -fd;
	printf("serving %s\n", path);
	fflush(stdout);
	if (o->delay)
		sleep(o->delay);
	ret = serve_loop(fd, o, path);
	close(fd);
	return ret;
}

/* -- send ---------------------------------------------------------------- */

/*
 * All of standard input, as one message of at most @max bytes: NULL (and
 * errno, EMSGSIZE for more) on failure. It reads no more than @max + 1.
 */
static char *read_stdin(size_t *len, size_t max)
{
	size_t size = 4096, want;
	char *buf = malloc(size), *bigger;
	ssize_t n;

	for (*len = 0; buf; *len += n) {
		if (*len > max) {
			errno = EMSGSIZE;
			break;
		}
		if (*len == size) {
			bigger = realloc(buf, size * 2);
			if (!bigger)
				break;
			buf = bigger;
			size *= 2;
		}
		want = size - *len;
		if (want > max + 1 - *len)
			want = max + 1 - *len;	/* one more tells "too long" */
		n = read(STDIN_FILENO, buf + *len, want);
		if (!n)
			return buf;
		if (n < 0 && errno != EINTR)
			break;
		if (n < 0)
			n = 0;
	}
	free(buf);
	return NULL;
}

static int send_one(int fd, const char *path, const char *msg, size_t len)
{
	if (write(fd, msg, len) != (ssize_t)len)
		return fail(path, errno);
	return 0;
}

/* MESSAGE, or for "-" all of standard input, into the open slot @fd. */
static int send_arg(int fd, const char *path, const char *arg)
{
	size_t len;
	char *msg;
	int err;

	if (strcmp(arg, "-"))
		return send_one(fd, path, arg, strlen(arg));
	msg = read_stdin(&len, MSL_MSG_MAX);
	if (!msg)
		return fail("standard input", errno);
	err = send_one(fd, path, msg, len);
	free(msg);
	return err;
}

/* The slot @path, opened for writing: the descriptor, or -(exit status). */
static int open_client(const char *path)
{
	struct statfs st;
	int fd, err;

	err = on_mailslotfs(path);
	if (err)
		return -err;
	signal(SIGPIPE, SIG_IGN);	/* EPIPE says it */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -fail(path, errno);
	if (fstatfs(fd, &st) || st.f_type != MAILSLOTFS_MAGIC) {
		fprintf(stderr, "mailslot: %s: not on mailslotfs\n", path);
		close(fd);
		return -EX_NOTMSFS;
	}
	return fd;
}

static int cmd_send(const struct opts *o, char **args, int nargs)
{
	const char *path = args[0];
	int fd = open_client(path), i, err = 0;

	if (fd < 0)
		return -fd;
	if (nargs == 1)
		err = send_arg(fd, path, "-");
	for (i = 1; i < nargs && !err; i++)
		err = send_arg(fd, path, args[i]);
	close(fd);
	return err;
}

/* ASCII letters of @s in upper case, as Windows writes NetBIOS names. */
static char *upper(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p -= 'a' - 'A';
	return s;
}

/*
 * The fields of send --messenger HOST TEXT into @m: --from, else this
 * host's name up to its first dot; --to, else HOST; TEXT, or for "-" all
 * of standard input less one final newline. What is to be freed goes to
 * *@to and *@input. Return: 0, or an exit status after saying why.
 */
static int messenger_fields(const struct opts *o, const char *host,
			    const char *text, struct messenger *m, char **to,
			    char **input)
{
	static char name[HOST_NAME_MAX + 1];
	size_t len;

	m->field[0] = o->from;
	if (!o->from) {
		if (gethostname(name, sizeof(name) - 1))
			return fail("gethostname", errno);
		name[strcspn(upper(name), ".")] = '\0';
		m->field[0] = name;
	}
	m->field[1] = o->to;
	if (!o->to) {
		*to = strdup(host);
		if (!*to)
			return fail("send", ENOMEM);
		m->field[1] = upper(*to);
	}
	m->field[2] = text;
	len = strlen(text);
	if (!strcmp(text, "-")) {
		m->field[2] = *input = read_stdin(&len, MESSENGER_MAX);
		if (!*input && errno == EMSGSIZE) {
			fprintf(stderr, "mailslot: standard input: over %d bytes\n",
				MESSENGER_MAX);
			return EX_FAIL;
		}
		if (!*input)
			return fail("standard input", errno);
		if (len && (*input)[len - 1] == '\n')
			len--;	/* echo's newline */
	}
	m->len[0] = strlen(m->field[0]);
	m->len[1] = strlen(m->field[1]);
	m->len[2] = len;
	return 0;
}

/* send --messenger HOST [TEXT]: to MOUNT/@HOST/MESSNGR, framed. */
static int cmd_send_messenger(const struct opts *o, char **args, int nargs)
{
	char path[PATH_MAX], frame[MESSENGER_MAX];
	char *to = NULL, *input = NULL;
	const char *host = args[0];
	struct messenger m;
	int len, fd, err;

	if (!*host || strchr(host, '/'))
		return usage_error("not a host name or address: %s", host);
	len = 0;
	err = messenger_fields(o, host, nargs > 1 ? args[1] : "-", &m, &to,
			       &input);
	if (!err)
		len = messenger_frame(&m, frame);
	free(to);
	free(input);
	if (err || len < 0)
		return err ?: -len;
	if (messenger_path(path, sizeof(path), host))
		return fail(host, ENAMETOOLONG);
	fd = open_client(path);
	if (fd < 0)
		return -fd;
	err = send_one(fd, path, frame, len);
	close(fd);
	return err;
}

/* -- info and ls --------------------------------------------------------- */

/* GET_INFO through a client descriptor of @path: 0 or an errno. */
static int slot_info(const char *path, struct mailslot_info *mi)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK), err = 0;

	if (fd < 0)
		return errno;
	if (ioctl(fd, MAILSLOT_IOC_GET_INFO, mi))
		err = errno;
	close(fd);
	return err;
}

static void print_info_json(const char *path, const struct mailslot_info *mi)
{
	fputs("{\"path\": ", stdout);
	json_str(path);
	printf(", \"messages\": %u, \"bytes\": %llu, \"next_size\": ",
	       mi->msg_count, (unsigned long long)mi->queued_bytes);
	if (mi->next_size == MAILSLOT_NO_MESSAGE)
		fputs("null", stdout);
	else
		printf("%u", mi->next_size);
	printf(", \"max_msg_size\": %u, \"max_msgs\": %u, \"quota_bytes\": %llu",
	       mi->max_msg_size, mi->max_msgs, (unsigned long long)mi->quota_bytes);
	fputs(", \"read_timeout_ms\": ", stdout);
	if (mi->read_timeout == MAILSLOT_WAIT_FOREVER)
		fputs("null", stdout);
	else
		printf("%d", mi->read_timeout);
	printf(", \"remote\": %s, \"remote_drops\": %llu}\n",
	       mi->flags & MAILSLOT_INFO_NO_REMOTE ? "false" : "true",
	       (unsigned long long)mi->drops);
}

static void print_info_text(const char *path, const struct mailslot_info *mi)
{
	printf("%s:\n", path);
	printf("  messages queued  %u (%llu bytes)\n", mi->msg_count,
	       (unsigned long long)mi->queued_bytes);
	if (mi->next_size == MAILSLOT_NO_MESSAGE)
		printf("  next message     none\n");
	else
		printf("  next message     %u bytes\n", mi->next_size);
	printf("  largest message  %u bytes\n", mi->max_msg_size);
	printf("  quota            %u messages, %llu bytes\n", mi->max_msgs,
	       (unsigned long long)mi->quota_bytes);
	if (mi->read_timeout == MAILSLOT_WAIT_FOREVER)
		printf("  read timeout     forever\n");
	else
		printf("  read timeout     %d ms\n", mi->read_timeout);
	printf("  remote messages  %s\n",
	       mi->flags & MAILSLOT_INFO_NO_REMOTE ? "refused" : "accepted");
	printf("  remote drops     %llu\n", (unsigned long long)mi->drops);
}

static int cmd_info(const struct opts *o, char **args, int nargs)
{
	struct mailslot_info mi;
	int err = on_mailslotfs(args[0]);

	if (err)
		return err;
	err = slot_info(args[0], &mi);
	if (err)
		return fail(args[0], err);
	if (o->given & OPT_JSON)
		print_info_json(args[0], &mi);
	else
		print_info_text(args[0], &mi);
	return 0;
}

struct slot {
	char *name;		/* below the directory listed */
	int err;		/* of GET_INFO: then only bytes is known */
	unsigned long long bytes;
	struct mailslot_info mi;
};

struct slots {
	struct slot *v;
	size_t n, size;
};

static int add_slot(struct slots *s, const char *path, const char *name,
		    const struct stat *st)
{
	struct slot *sl;

	if (s->n == s->size) {
		s->size = s->size ? 2 * s->size : 64;
		sl = realloc(s->v, s->size * sizeof(*sl));
		if (!sl)
			return -ENOMEM;
		s->v = sl;
	}
	sl = &s->v[s->n];
	sl->name = strdup(name);
	if (!sl->name)
		return -ENOMEM;
	sl->bytes = st->st_size;
	sl->err = slot_info(path, &sl->mi);
	if (sl->err == ENOENT) {	/* its server went meanwhile */
		free(sl->name);
		return 0;
	}
	if (!sl->err)
		sl->bytes = sl->mi.queued_bytes;
	s->n++;
	return 0;
}

/* Every slot below @dir (@rel: its name below the top), into @s: 0 or -errno. */
static int walk(struct slots *s, const char *dir, const char *rel, dev_t dev)
{
	char path[PATH_MAX], name[PATH_MAX];
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	int err = 0;

	if (!d)
		return -errno;
	while (!err && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(name, sizeof(name), "%s%s", rel, e->d_name);
		if (lstat(path, &st) || st.st_dev != dev)
			continue;	/* gone, or another filesystem */
		if (S_ISREG(st.st_mode)) {
			err = add_slot(s, path, name, &st);
			continue;
		}
		if (!S_ISDIR(st.st_mode))
			continue;
		snprintf(name, sizeof(name), "%s%s/", rel, e->d_name);
		err = walk(s, path, name, dev);
		if (err == -EACCES) {	/* say so, list the rest */
			fprintf(stderr, "mailslot: %s: %s\n", path, strerror(-err));
			err = 0;
		}
	}
	closedir(d);
	return err;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct slot *)a)->name,
		      ((const struct slot *)b)->name);
}

static void print_slot(const struct slot *sl, bool json, bool first)
{
	if (!json) {
		if (sl->err)
			printf("%8s %10llu  %s\n", "-", sl->bytes, sl->name);
		else
			printf("%8u %10llu  %s\n", sl->mi.msg_count, sl->bytes,
			       sl->name);
		return;
	}
	fputs(first ? "\n  {\"name\": " : ",\n  {\"name\": ", stdout);
	json_str(sl->name);
	if (sl->err)
		printf(", \"messages\": null, \"bytes\": %llu}", sl->bytes);
	else
		printf(", \"messages\": %u, \"bytes\": %llu}", sl->mi.msg_count,
		       sl->bytes);
}

static int cmd_ls(const struct opts *o, char **args, int nargs)
{
	const char *dir = nargs ? args[0] : "/mailslot";
	bool json = o->given & OPT_JSON;
	struct slots s = { 0 };
	struct stat st;
	size_t i;
	int err;

	err = on_mailslotfs(dir);
	if (err)
		return err;
	if (stat(dir, &st))
		return fail(dir, errno);
	err = walk(&s, dir, "", st.st_dev);
	if (err)
		return fail(dir, -err);
	qsort(s.v, s.n, sizeof(*s.v), by_name);
	if (json)
		putchar('[');
	else
		printf("%8s %10s  %s\n", "MESSAGES", "BYTES", "NAME");
	for (i = 0; i < s.n; i++) {
		print_slot(&s.v[i], json, !i);
		free(s.v[i].name);
	}
	if (json)
		fputs(s.n ? "\n]\n" : "]\n", stdout);
	free(s.v);
	return 0;
}

/* -- stats --------------------------------------------------------------- */

static int cmd_stats(const struct opts *o, char **args, int nargs)
{
	static const char file[] = "/proc/net/mailslot";
	bool json = o->given & OPT_JSON;
	unsigned long long val;
	char name[64];
	int n = 0;
	FILE *f;

	f = fopen(file, "r");
	if (!f) {
		if (errno == ENOENT)
			fprintf(stderr, "mailslot: %s: no such file: is mailslotfs loaded?\n",
				file);
		return errno == ENOENT ? EX_NOTFOUND : fail(file, errno);
	}
	if (json)
		putchar('{');
	while (fscanf(f, "%63s %llu", name, &val) == 2) {
		if (json) {
			fputs(n ? ",\n  " : "\n  ", stdout);
			json_str(name);
			printf(": %llu", val);
		} else {
			printf("%-32s %llu\n", name, val);
		}
		n++;
	}
	fclose(f);
	if (json)
		fputs(n ? "\n}\n" : "}\n", stdout);
	return 0;
}

/* -- the command line ---------------------------------------------------- */

static const struct command commands[] = {
	{ "serve", 0, OPTS_SERVE, 1, 1, cmd_serve },
	{ "serve", OPT_MESSENGER, OPTS_SERVE_MESSENGER, 0, 1, cmd_serve },
	{ "send", 0, 0, 1, -1, cmd_send },
	{ "send", OPT_MESSENGER, OPTS_SEND_MESSENGER, 1, 2, cmd_send_messenger },
	{ "info", 0, OPT_JSON, 1, 1, cmd_info },
	{ "ls", 0, OPT_JSON, 0, 1, cmd_ls },
	{ "stats", 0, OPT_JSON, 0, 0, cmd_stats },
};

enum { LONG_NO_REMOTE = 256, LONG_MESSENGER, LONG_FROM, LONG_TO };

/* the options, and in the same order their OPT_* bits */
static const struct option longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "count", required_argument, NULL, 'n' },
	{ "timeout", required_argument, NULL, 't' },
	{ "delay", required_argument, NULL, 'd' },
	{ "hex", no_argument, NULL, 'x' },
	{ "mode", required_argument, NULL, 'm' },
	{ "no-remote", no_argument, NULL, LONG_NO_REMOTE },
	{ "exec", required_argument, NULL, 'e' },
	{ "messenger", no_argument, NULL, LONG_MESSENGER },
	{ "from", required_argument, NULL, LONG_FROM },
	{ "to", required_argument, NULL, LONG_TO },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ }
};

static const unsigned int opt_bits[] = {
	OPT_JSON, OPT_COUNT, OPT_TIMEOUT, OPT_DELAY, OPT_HEX, OPT_MODE,
	OPT_NO_REMOTE, OPT_EXEC, OPT_MESSENGER, OPT_FROM, OPT_TO,
};

/* @s as a whole number in [@min, @max] (base 0: 0x.., 0..); else -1. */
static long number(const char *s, int base, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, base);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	return v;
}

/* The OPT_* bit of an option (getopt_long's value), 0 for none. */
static unsigned int opt_bit(int c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(longopts); i++)
		if (longopts[i].val == c && i < ARRAY_SIZE(opt_bits))
			return opt_bits[i];
	return 0;
}

/* One option into @o: 0, -1 for --help and --version, or EX_USAGE. */
static int option(int c, struct opts *o)
{
	long v;

	o->given |= opt_bit(c);
	switch (c) {
	case 'h':
		fputs(help_text, stdout);
		return -1;
	case 'V':
		printf("mailslot %s\n", MSFS_VERSION);
		return -1;
	case 'n':
		o->count = number(optarg, 10, 1, LONG_MAX);
		return o->count < 0 ? usage_error("bad count: %s", optarg) : 0;
	case 't':
		o->timeout_ms = number(optarg, 10, 0, INT_MAX);
		return o->timeout_ms < 0 ? usage_error("bad timeout: %s", optarg) : 0;
	case 'd':
		o->delay = number(optarg, 10, 0, 86400);
		return o->delay < 0 ? usage_error("bad delay: %s", optarg) : 0;
	case 'm':
		v = number(optarg, 8, 0, 07777);
		o->mode = v;
		return v < 0 ? usage_error("bad mode: %s", optarg) : 0;
	case 'e':
		o->exec = optarg;
		return 0;
	case LONG_FROM:
		o->from = optarg;
		return 0;
	case LONG_TO:
		o->to = optarg;
		return 0;
	case 'j': case 'x': case LONG_NO_REMOTE: case LONG_MESSENGER:
		return 0;
	default:	/* getopt_long has said what is wrong */
		return usage_error(NULL, NULL);
	}
}

/* The command line's options into @o: 0, -1 (done: exit 0), EX_USAGE. */
static int parse(int argc, char **argv, struct opts *o)
{
	int c, err;

	while ((c = getopt_long(argc, argv, "hVjn:t:d:xm:e:", longopts, NULL)) != -1) {
		err = option(c, o);
		if (err)
			return err;
	}
	return 0;
}

/* The row of command @name in the form the options @given select. */
static const struct command *find_command(const char *name, unsigned int given)
{
	const struct command *found = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(commands[i].name, name))
			continue;
		if (commands[i].form && (given & commands[i].form))
			return &commands[i];
		if (!commands[i].form && !found)
			found = &commands[i];
	}
	return found;
}

/* The long name of the option whose OPT_* is @bit. */
static const char *opt_name(unsigned int bit)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(opt_bits); i++)
		if (opt_bits[i] == bit)
			return longopts[i].name;
	return "?";
}

/* An option @cmd does not take: EX_USAGE, after saying which. */
static int refuse_option(const struct command *cmd, unsigned int bit)
{
	unsigned int form = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, cmd->name) && (commands[i].opts & bit))
			form = commands[i].form;
	fprintf(stderr, "mailslot: %s%s%s takes no --%s", cmd->name,
		cmd->form ? " --" : "", cmd->form ? opt_name(cmd->form) : "",
		opt_name(bit));
	if (form && form != cmd->form)
		fprintf(stderr, " without --%s", opt_name(form));
	fputc('\n', stderr);
	return usage_error(NULL, NULL);
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct opts o = { 0 };
	int err, nargs;
	size_t i;

	err = parse(argc, argv, &o);
	if (err)
		return err < 0 ? 0 : err;
	if (optind == argc)
		return usage_error("%s", "no command");
	cmd = find_command(argv[optind], o.given);
	if (!cmd)
		return usage_error("unknown command: %s", argv[optind]);
	for (i = 0; i < ARRAY_SIZE(opt_bits); i++)
		if (o.given & opt_bits[i] & ~cmd->opts)
			return refuse_option(cmd, opt_bits[i]);
	nargs = argc - optind - 1;
	if (nargs < cmd->min_args || (cmd->max_args >= 0 && nargs > cmd->max_args))
		return usage_error("wrong number of arguments for %s", cmd->name);
	return cmd->run(&o, argv + optind + 1, nargs);
}
