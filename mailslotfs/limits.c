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
	/* a quarter of the namespace's each, by default */
	[MSFS_USER_SLOTS] = { "user_slots", 1, 256, 65536 },
	[MSFS_USER_BYTES] = { "user_bytes", 4 * KIB, 16 * MIB, 1 * GIB },
};

/* The object sizes of queued messages: 16-byte steps from 48 up to 512
 * (at most 15 bytes wasted: a datagram's largest payload, 424 bytes,
 * fits 464 exactly), then four steps per doubling (at most a quarter
 * wasted), up to a page.
 */
const u32 msfs_msg_classes[MSFS_MSG_NCLASSES] = {
	48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256,
	272, 288, 304, 320, 336, 352, 368, 384, 400, 416, 432, 448, 464, 480,
	496, 512,
	640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096,
};

/**
 * msfs_msg_class() - the size class an object of @size bytes takes
 * @size: the object's size
 *
 * Return: the index of the smallest class of at least @size bytes, or -1
 * above a page.
 */
int msfs_msg_class(u64 size)
{
	int i;

	for (i = 0; i < MSFS_MSG_NCLASSES; i++)
		if (size <= msfs_msg_classes[i])
			return i;
	return -1;
}

/**
 * msfs_msg_charge() - the memory one queued message takes
 * @len: its payload length, at most the hard ceiling of max_msg_size
 * @remote: it came from the network, and carries its sender
 *
 * The sum of the objects queue.c makes it of (see pure.h): what it is
 * charged against total_bytes and user_bytes.
 *
 * Return: the size in bytes.
 */
u64 msfs_msg_charge(u64 len, bool remote)
{
	u64 first = MSFS_MSG_HDR + len, charge, chunk;

	if (remote)
		first = MSFS_MSG_HDR + ((len + 3) & ~3ULL) + MSFS_MSG_REMOTE;
	if (first <= MSFS_MSG_PAGE)
		return msfs_msg_classes[msfs_msg_class(first)];
	/* a full first page, then segments */
	charge = MSFS_MSG_PAGE;
	len -= MSFS_MSG_PAGE - MSFS_MSG_HDR - MSFS_MSG_SEG_HDR;
	while (len) {
		chunk = len < MSFS_MSG_PAGE - MSFS_MSG_SEG_HDR ?
			len : MSFS_MSG_PAGE - MSFS_MSG_SEG_HDR;
		charge += msfs_msg_classes[msfs_msg_class(MSFS_MSG_SEG_HDR + chunk)];
		len -= chunk;
	}
	return charge;
}

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
 * empty namespace, and within what one user may queue, or its writer
 * would wait for ever. (A user's share larger than the namespace's is
 * no error: the namespace's binds first.) A maximum of 0 (Windows' "any
 * size") always fits: see msfs_max_msg_size().
 *
 * Return: 0, or -EINVAL.
 */
int msfs_limits_check(const u64 *lim)
{
	u64 max = lim[MSFS_MAX_MSG_SIZE];

	if (max > lim[MSFS_SLOT_BYTES])
		return -EINVAL;
	if (max && (msfs_msg_charge(max, false) > lim[MSFS_TOTAL_BYTES] ||
		    msfs_msg_charge(max, false) > lim[MSFS_USER_BYTES]))
		return -EINVAL;
	return 0;
}

/**
 * msfs_max_msg_size() - the largest message a new slot accepts
 * @lim: array of %MSFS_NR_LIMITS values that passed msfs_limits_check()
 *
 * max_msg_size=0 means, as nMaxMessageSize 0 does on Windows, any size:
 * as large as an empty slot, an empty namespace and one user's share can
 * hold, and never above the hard ceiling.
 *
 * Return: the limit in bytes.
 */
u64 msfs_max_msg_size(const u64 *lim)
{
	u64 budget = lim[MSFS_USER_BYTES], lo = 0, hi, mid;

	if (budget > lim[MSFS_TOTAL_BYTES])
		budget = lim[MSFS_TOTAL_BYTES];
	if (lim[MSFS_MAX_MSG_SIZE])
		return lim[MSFS_MAX_MSG_SIZE];
	hi = msfs_limit_desc[MSFS_MAX_MSG_SIZE].max;
	if (hi > lim[MSFS_SLOT_BYTES])
		hi = lim[MSFS_SLOT_BYTES];
	/* the charge grows with the length: the largest that fits */
	while (lo < hi) {
		mid = hi - (hi - lo) / 2;
		if (msfs_msg_charge(mid, false) <= budget)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}
