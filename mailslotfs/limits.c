// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: limits, their defaults and their hard ceilings. Pure code,
 * also built in userspace.
 */
#include "pure.h"

#define KIB	1024ULL
#define MIB	(1024 * KIB)
#define GIB	(1024 * MIB)

const struct msfs_limit_desc msfs_limit_desc[MSFS_NR_LIMITS] = {
	[MSFS_MAX_MSG_SIZE] = { "max_msg_size", 0, 64 * KIB, 16 * MIB },
	[MSFS_SLOT_MSGS] = { "slot_msgs", 1, 1024, 65536 },
	[MSFS_SLOT_BYTES] = { "slot_bytes", 1, 1 * MIB, 256 * MIB },
	[MSFS_MAX_SLOTS] = { "max_slots", 1, 1024, 65536 },
	[MSFS_TOTAL_BYTES] = { "total_bytes", 4 * KIB, 64 * MIB, 1 * GIB },
};

/**
 * msfs_limits_default() - fill a limits array with the defaults
 * @lim: array of %MSFS_NR_LIMITS values
 */
void msfs_limits_default(u64 *lim)
{
	int i;

	for (i = 0; i < MSFS_NR_LIMITS; i++)
		lim[i] = msfs_limit_desc[i].def;
}

static int msfs_size_shift(char suffix)
{
	switch (suffix) {
	case 'k': case 'K':
		return 10;
	case 'm': case 'M':
		return 20;
	case 'g': case 'G':
		return 30;
	}
	return -1;
}

/**
 * msfs_parse_size() - parse a size such as "4096", "64k" or "1M"
 * @s: the text: decimal digits, then at most one of k, m, g (any case)
 * @val: where the value goes
 *
 * Return: 0, -EINVAL when @s is not such a text, -ERANGE on overflow.
 */
int msfs_parse_size(const char *s, u64 *val)
{
	u64 v = 0;
	int shift = 0;
	unsigned int d;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		d = *s - '0';
		if (v > (~0ULL - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (*s) {
		shift = msfs_size_shift(*s++);
		if (shift < 0 || *s)
			return -EINVAL;
		if (v > (~0ULL >> shift))
			return -ERANGE;
	}
	*val = v << shift;
	return 0;
}

/**
 * msfs_limit_check() - is this value allowed for this limit?
 * @which: the limit
 * @val: the value
 *
 * Return: 0, or -ERANGE outside [min, hard ceiling].
 */
int msfs_limit_check(enum msfs_limit which, u64 val)
{
	const struct msfs_limit_desc *d = &msfs_limit_desc[which];

	return (val < d->min || val > d->max) ? -ERANGE : 0;
}

/**
 * msfs_limits_check() - do the limits make sense together?
 * @lim: array of %MSFS_NR_LIMITS values, each within its range
 *
 * A message of the maximum size must fit in an empty slot and in an
 * empty namespace, or its writer would wait for ever. A maximum of 0
 * (Windows' "any size") always fits: see msfs_max_msg_size().
 *
 * Return: 0, or -EINVAL.
 */
int msfs_limits_check(const u64 *lim)
{
	if (lim[MSFS_MAX_MSG_SIZE] > lim[MSFS_SLOT_BYTES])
		return -EINVAL;
	if (lim[MSFS_MAX_MSG_SIZE] &&
	    msfs_msg_charge(lim[MSFS_MAX_MSG_SIZE]) > lim[MSFS_TOTAL_BYTES])
		return -EINVAL;
	return 0;
}

/**
 * msfs_max_msg_size() - the largest message a new slot accepts
 * @lim: array of %MSFS_NR_LIMITS values that passed msfs_limits_check()
 *
 * max_msg_size=0 means, as nMaxMessageSize 0 does on Windows, any size:
 * as large as an empty slot and an empty namespace can hold, and never
 * above the hard ceiling.
 *
 * Return: the limit in bytes.
 */
u64 msfs_max_msg_size(const u64 *lim)
{
	u64 max = lim[MSFS_MAX_MSG_SIZE];

	if (max)
		return max;
	max = msfs_limit_desc[MSFS_MAX_MSG_SIZE].max;
	if (max > lim[MSFS_SLOT_BYTES])
		max = lim[MSFS_SLOT_BYTES];
	if (max > lim[MSFS_TOTAL_BYTES] - MSFS_MSG_OVERHEAD)
		max = lim[MSFS_TOTAL_BYTES] - MSFS_MSG_OVERHEAD;
	return max;
}
