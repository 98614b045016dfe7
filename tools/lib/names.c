// SPDX-License-Identifier: GPL-2.0
/*
 * libmailslot: Windows mailslot names as paths under the mount, and the
 * mount found in a line of /proc/self/mounts. Pure code: no system calls,
 * no errno, no locale; test_names tests it on the host.
 *
 *   \\.\mailslot\NAME            MOUNT/NAME
 *   \\.\mailslot\DIR\NAME        MOUNT/DIR/NAME
 *   \\HOST\mailslot\NAME         MOUNT/@HOST/NAME
 *   \\*\mailslot\NAME            MOUNT/@STAR/NAME (with '*' for STAR)
 *   \\DOMAIN\mailslot\NAME       MOUNT/@DOMAIN/NAME
 *
 * A name never leaves the mount: every level is checked, "." and ".."
 * and '/' are refused, and so is a local name that would be read as a
 * remote one ('@' first).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "internal.h"

#define MSL_PREFIX	"mailslot"
#define MSL_PREFIX_LEN	(sizeof(MSL_PREFIX) - 1)
/* NetBIOS names: 15 characters and a type byte */
#define MSL_HOST_MAX	15

/* ASCII only, whatever the locale: as mailslotfs folds names */
static char msl_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static bool msl_is_prefix(const char *s)
{
	size_t i;

	for (i = 0; i < MSL_PREFIX_LEN; i++)
		if (msl_lower(s[i]) != MSL_PREFIX[i])
			return false;
	return s[MSL_PREFIX_LEN] == '\\';
}

static bool msl_is_dots(const char *s, size_t len)
{
	return (len == 1 && s[0] == '.') ||
	       (len == 2 && s[0] == '.' && s[1] == '.');
}

static bool msl_is_control(unsigned char c)
{
	return c < ' ' || c == 0x7f;
}

/*
 * A host: "*", an IPv4 address or a NetBIOS name, which Windows computer
 * names allow no \ / : * ? " < > | in. Longer names (DNS names) cannot be
 * reached: -ENXIO, as a name nobody answers for.
 */
static int msl_check_host(const char *host, size_t len)
{
	size_t i;

	if (len == 1 && host[0] == '*')
		return 0;
	if (!len || msl_is_dots(host, len))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (msl_is_control(host[i]) || strchr("/:*?\"<>|", host[i]))
			return -EINVAL;
	return len > MSL_HOST_MAX ? -ENXIO : 0;
}

/*
 * The levels after "\mailslot\": none empty, "." or "..", no '/' and no
 * control character; printable ASCII only for another host (the datagram
 * carries nothing else); a local name's first level does not start with
 * '@', which would make it a remote path.
 */
static int msl_check_levels(const char *s, bool local)
{
	size_t i, start = 0;

	if (local && s[0] == '@')
		return -EINVAL;
	for (i = 0; ; i++) {
		if (s[i] && s[i] != '\\') {
			if (s[i] == '/' || msl_is_control(s[i]) ||
			    (!local && (unsigned char)s[i] > 0x7e))
				return -EINVAL;
			continue;
		}
		if (i == start || msl_is_dots(s + start, i - start))
			return -EINVAL;
		if (!s[i])
			return 0;
		start = i + 1;
	}
}

/* Append @n bytes of @s to @out (@pos of @len used), '\' as '/'. */
static int msl_put(char *out, size_t len, size_t *pos, const char *s,
		   size_t n)
{
	size_t i;

	if (n >= len - *pos)
		return -ENAMETOOLONG;
	for (i = 0; i < n; i++)
		out[(*pos)++] = s[i] == '\\' ? '/' : s[i];
	out[*pos] = '\0';
	return 0;
}

/* "MOUNT/" without a trailing '/' of its own; nothing for no mount */
static int msl_put_mount(char *out, size_t len, size_t *pos,
			 const char *mount)
{
	size_t n;

	if (!mount || !mount[0])
		return 0;
	n = strlen(mount);
	while (n > 0 && mount[n - 1] == '/')
		n--;
	return msl_put(out, len, pos, mount, n) ?: msl_put(out, len, pos, "/", 1);
}

static int msl_build(const char *mount, const char *host, size_t hlen,
		     const char *slot, char *out, size_t len)
{
	size_t pos = 0;
	int err;

	if (!len)
		return -ENAMETOOLONG;
	out[0] = '\0';
	err = msl_put_mount(out, len, &pos, mount);
	if (!err && host)
		err = msl_put(out, len, &pos, "@", 1) ?:
		      msl_put(out, len, &pos, host, hlen) ?:
		      msl_put(out, len, &pos, "/", 1);
	return err ?: msl_put(out, len, &pos, slot, strlen(slot));
}

/**
 * msl_translate_name() - the path of a Windows mailslot name
 * @name: \\.\mailslot\NAME, \\HOST\mailslot\NAME, \\*\mailslot\NAME or
 *	\\DOMAIN\mailslot\NAME; NAME may have levels (DIR\NAME)
 * @mount: where mailslotfs is mounted; NULL or "" for a relative path
 * @flags: %MSL_NAME_CREATE for a name to create: local names only
 * @out: the path
 * @len: the size of @out
 *
 * The prefix's "mailslot" is matched without case; the rest is kept as
 * written (mailslotfs compares names without case itself).
 *
 * Return: 0; -EFAULT for a NULL @name or @out; -ENAMETOOLONG for a name
 * of more than %MSL_NAME_MAX characters or a path longer than @len allows;
 * -ENXIO for a host name longer than a NetBIOS name; -EINVAL for anything
 * else that is no mailslot name, or no name to create.
 */
int msl_translate_name(const char *name, const char *mount,
		       unsigned int flags, char *out, size_t len)
{
	const char *host, *slot;
	size_t hlen;
	bool local;
	int err;

	if (!name || !out)
		return -EFAULT;
	if (strnlen(name, MSL_NAME_MAX + 1) > MSL_NAME_MAX)
		return -ENAMETOOLONG;
	if (name[0] != '\\' || name[1] != '\\')
		return -EINVAL;
	host = name + 2;
	hlen = strcspn(host, "\\");
	if (!host[hlen] || !msl_is_prefix(host + hlen + 1))
		return -EINVAL;
	slot = host + hlen + 1 + MSL_PREFIX_LEN + 1;
	local = hlen == 1 && host[0] == '.';
	if (!local && (flags & MSL_NAME_CREATE))
		return -EINVAL;		/* Windows creates local slots only */
	err = local ? 0 : msl_check_host(host, hlen);
	err = err ?: msl_check_levels(slot, local);
	return err ?: msl_build(mount, local ? NULL : host, hlen, slot, out, len);
}

/* One octal digit, or -1 */
static int msl_octal(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/*
 * Copy one field of a mounts line (up to a space or the end), undoing
 * the kernel's \ooo escapes (of space, tab, newline and backslash).
 * Return: the bytes of @line used; -EINVAL for a NUL byte, -ENAMETOOLONG
 * when it does not fit.
 */
static int msl_unescape_field(const char *line, char *out, size_t len)
{
	size_t i = 0, o = 0;
	int c;

	while (line[i] && line[i] != ' ' && line[i] != '\n') {
		c = (unsigned char)line[i++];
		if (c == '\\' && msl_octal(line[i]) >= 0 &&
		    msl_octal(line[i + 1]) >= 0 && msl_octal(line[i + 2]) >= 0) {
			c = msl_octal(line[i]) * 64 + msl_octal(line[i + 1]) * 8 +
			    msl_octal(line[i + 2]);
			i += 3;
		}
		if (!c || c > 0xff)
			return -EINVAL;
		if (o + 1 >= len)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return i;
}

/**
 * msl_parse_mount_line() - the mount point of a mailslotfs line
 * @line: one line of /proc/self/mounts: "DEVICE DIR TYPE OPTIONS 0 0"
 * @out: DIR, unescaped, when TYPE is mailslotfs
 * @len: the size of @out
 *
 * Return: 1 for a mailslotfs mount (@out set), 0 for any other line,
 * -ENAMETOOLONG when DIR does not fit @out.
 */
int msl_parse_mount_line(const char *line, char *out, size_t len)
{
	const char *dir, *type;
	size_t tlen;
	int n;

	dir = strchr(line, ' ');
	if (!dir)
		return 0;
	type = strchr(++dir, ' ');
	if (!type)
		return 0;
	type++;
	tlen = strcspn(type, "\n ");
	if (tlen != strlen("mailslotfs") || strncmp(type, "mailslotfs", tlen))
		return 0;
	n = msl_unescape_field(dir, out, len);
	if (n == -EINVAL || n == 0)
		return 0;
	return n < 0 ? n : 1;
}
