/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: the filesystem's logic that needs no kernel services
 * (reserved names, limits arithmetic, what a message takes in memory).
 * It builds in the kernel and in userspace, so the same code is
 * unit-tested on the host; what net/ shares is in common/pure.h.
 */
#ifndef _MSFS_PURE_H
#define _MSFS_PURE_H

#include "../common/pure.h"

/* name.c */

bool msfs_name_reserved(const char *name, size_t len);

/* limits.c */

enum msfs_limit {
	MSFS_MAX_MSG_SIZE,	/* largest message of a new slot */
	MSFS_SLOT_MSGS,		/* messages queued per slot */
	MSFS_SLOT_BYTES,	/* payload bytes queued per slot */
	MSFS_MAX_SLOTS,		/* slots and directories per namespace */
	MSFS_TOTAL_BYTES,	/* memory for queued messages per namespace */
	MSFS_USER_SLOTS,	/* slots and directories one user makes */
	MSFS_USER_BYTES,	/* memory one user's queued messages take */
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

void msfs_limits_default(u64 *lim);
int msfs_parse_size(const char *s, u64 *val);
int msfs_limit_check(enum msfs_limit which, u64 val);
int msfs_limits_check(const u64 *lim);
u64 msfs_max_msg_size(const u64 *lim);

/*
 * How a queued message is laid out in memory (queue.c), so that what it
 * is charged is what it takes. Its header and payload are one object of
 * a size class; a remote message's sender follows its payload (aligned to
 * 4 bytes); a payload too large for one page goes on in page-sized
 * segments, each with a pointer to the next, the first page ending in a
 * pointer to the first segment.
 */
#define MSFS_MSG_HDR		40	/* sizeof(struct msfs_msg) */
#define MSFS_MSG_REMOTE		40	/* sizeof(struct msfs_from_remote) */
#define MSFS_MSG_PAGE		4096	/* the largest object */
#define MSFS_MSG_SEG_HDR	8	/* a segment's pointer to the next */
#define MSFS_MSG_NCLASSES	42

extern const u32 msfs_msg_classes[MSFS_MSG_NCLASSES];

int msfs_msg_class(u64 size);
u64 msfs_msg_charge(u64 len, bool remote);

#endif /* _MSFS_PURE_H */
