// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: IPv4 addresses and CIDR lists as mount options and remote
 * targets write them. Pure code, also built in userspace.
 */
#ifndef __KERNEL__
#include <string.h>
#else
#include <linux/string.h>
#endif

#include "nbt.h"

/* One decimal number of at most @max, and where it ends. */
static int msfs_parse_num(const char *s, size_t len, size_t *i, u32 max, u32 *v)
{
	size_t start = *i;

	*v = 0;
	while (*i < len && s[*i] >= '0' && s[*i] <= '9' && *i - start < 10) {
		*v = *v * 10 + (s[*i] - '0');
		(*i)++;
	}
	/* no digits, a leading zero ("010" is ambiguous), or too large */
	if (*i == start || (s[start] == '0' && *i - start > 1) || *v > max)
		return -EINVAL;
	return 0;
}

/**
 * msfs_parse_ipv4() - a dotted-quad IPv4 address
 * @s: the text, exactly four decimal numbers 0-255 separated by dots
 * @len: its length
 * @addr: the address (host order)
 *
 * Return: 0, or -EINVAL.
 */
int msfs_parse_ipv4(const char *s, size_t len, u32 *addr)
{
	size_t i = 0;
	int part;
	u32 v;

	*addr = 0;
	for (part = 0; part < 4; part++) {
		if (part && (i >= len || s[i++] != '.'))
			return -EINVAL;
		if (msfs_parse_num(s, len, &i, 255, &v))
			return -EINVAL;
		*addr = *addr << 8 | v;
	}
	return i == len ? 0 : -EINVAL;
}

/* One "a.b.c.d" or "a.b.c.d/n", the host bits of which must be zero. */
static int msfs_parse_cidr(const char *s, size_t len, struct msfs_cidr *c)
{
	size_t slash, i;
	u32 bits = 32;

	for (slash = 0; slash < len && s[slash] != '/'; slash++)
		;
	if (msfs_parse_ipv4(s, slash, &c->addr))
		return -EINVAL;
	if (slash < len) {
		i = slash + 1;
		if (msfs_parse_num(s, len, &i, 32, &bits) || i != len)
			return -EINVAL;
	}
	c->mask = bits ? ~0U << (32 - bits) : 0;
	return c->addr & ~c->mask ? -EINVAL : 0;
}

/**
 * msfs_parse_cidrs() - a remote_allow= list
 * @s: "CIDR[,CIDR...]", each "a.b.c.d" or "a.b.c.d/n"; empty: no list
 * @out: the entries
 * @max: room in @out
 *
 * Return: the number of entries, or -EINVAL (a bad entry, host bits set
 * beyond the prefix, more than @max).
 */
int msfs_parse_cidrs(const char *s, struct msfs_cidr *out, unsigned int max)
{
	unsigned int n = 0;
	size_t i = 0, end;

	while (s[i]) {
		for (end = i; s[end] && s[end] != ','; end++)
			;
		if (n == max || msfs_parse_cidr(s + i, end - i, &out[n]))
			return -EINVAL;
		n++;
		i = s[end] ? end + 1 : end;
		if (!s[i] && s[end])
			return -EINVAL;		/* a trailing comma */
	}
	return n;
}

/**
 * msfs_parse_wins() - a wins= list: the NBNS (WINS) servers to use
 * @s: "a.b.c.d[:a.b.c.d...]"; empty: none
 * @out: their addresses (host order), in the order given
 * @max: room in @out
 *
 * Each must be an address one can send to: not 0.0.0.0, nor a group or
 * broadcast address (224.0.0.0 and up); none twice. The rest of @out is
 * zeroed, so that lists compare whole (a wins= given again replaces the
 * list before it).
 *
 * Return: the number of servers, or -EINVAL.
 */
int msfs_parse_wins(const char *s, u32 *out, unsigned int max)
{
	unsigned int n = 0, i;
	size_t start = 0, end;

	memset(out, 0, max * sizeof(*out));
	if (!s[0])
		return 0;
	for (;;) {
		for (end = start; s[end] && s[end] != ':'; end++)
			;
		if (n == max || msfs_parse_ipv4(s + start, end - start, &out[n]) ||
		    !out[n] || out[n] >= 0xe0000000)
			return -EINVAL;
		for (i = 0; i < n; i++)
			if (out[i] == out[n])
				return -EINVAL;
		n++;
		if (!s[end])
			return n;
		start = end + 1;
	}
}

/**
 * msfs_cidrs_match() - is an address in one of the networks?
 * @c: the networks
 * @n: how many
 * @addr: the address (host order)
 *
 * Return: true if it is.
 */
bool msfs_cidrs_match(const struct msfs_cidr *c, unsigned int n, u32 addr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if ((addr & c[i].mask) == c[i].addr)
			return true;
	return false;
}
