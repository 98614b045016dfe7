/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: the logic that needs no kernel services (name folding,
 * limits arithmetic). It builds in the kernel and in userspace, so the
 * same code is unit-tested on the host.
 */
#ifndef _MSFS_PURE_H
#define _MSFS_PURE_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
#endif

/* name.c */

/**
 * msfs_fold() - fold one name byte for case-insensitive comparison
 * @c: the byte
 *
 * Windows compares mailslot names without regard to case; only ASCII
 * letters fold (the OEM code page of a remote sender is unknown).
 *
 * Return: @c, upper-cased if it is an ASCII lower-case letter.
 */
static inline unsigned char msfs_fold(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? c - ('a' - 'A') : c;
}

bool msfs_name_eq(const char *a, const char *b, size_t len);
bool msfs_name_reserved(const char *name, size_t len);

/* limits.c */

enum msfs_limit {
	MSFS_MAX_MSG_SIZE,	/* largest message of a new slot */
	MSFS_SLOT_MSGS,		/* messages queued per slot */
	MSFS_SLOT_BYTES,	/* payload bytes queued per slot */
	MSFS_MAX_SLOTS,		/* slots and directories per namespace */
	MSFS_TOTAL_BYTES,	/* memory for queued messages per namespace */
	MSFS_NR_LIMITS
};

/**
 * struct msfs_limit_desc - one limit: its mount option and its range
 * @name: the mount option
 * @min: smallest value accepted
 * @def: value when the option is not given
 * @max: hard ceiling, for every caller
 */
struct msfs_limit_desc {
	const char *name;
	u64 min;
	u64 def;
	u64 max;
};

extern const struct msfs_limit_desc msfs_limit_desc[MSFS_NR_LIMITS];

/*
 * Every queued message is charged against the namespace budget with this
 * much on top of its payload, so that empty messages are not free.
 */
#define MSFS_MSG_OVERHEAD	128

void msfs_limits_default(u64 *lim);
int msfs_parse_size(const char *s, u64 *val);
int msfs_limit_check(enum msfs_limit which, u64 val);
int msfs_limits_check(const u64 *lim);
u64 msfs_max_msg_size(const u64 *lim);

/**
 * msfs_msg_charge() - what one message costs against the namespace budget
 * @len: payload length
 *
 * Return: @len plus the per-message overhead.
 */
static inline u64 msfs_msg_charge(u64 len)
{
	return len + MSFS_MSG_OVERHEAD;
}

#endif /* _MSFS_PURE_H */
