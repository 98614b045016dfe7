/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: remote mailslots, the NetBIOS datagram transport. What the
 * VFS side (mailslotfs/) and the network side (net/) give each other.
 */
#ifndef _MSFS_REMOTE_H
#define _MSFS_REMOTE_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "nbt.h"

struct msfs_sb_info;
struct msfs_slot;
struct sk_buff;

/* the counters of a network namespace, in /proc/net/mailslot */
enum msfs_counter {
	MSFS_RECEIVED,
	MSFS_DELIVERED,
	MSFS_DROP_MALFORMED,
	MSFS_DROP_FRAGMENT,
	MSFS_DROP_NOT_MAILSLOT,
	MSFS_DROP_NOT_FOR_US,
	MSFS_DROP_NO_SLOT,
	MSFS_DROP_REFUSED,
	MSFS_DROP_NOT_ALLOWED,
	MSFS_DROP_TOO_BIG,
	MSFS_DROP_SLOT_FULL,
	MSFS_DROP_BUDGET,
	MSFS_DROP_RATE_LIMIT,
	MSFS_DROP_NOMEM,
	MSFS_SENT,
	MSFS_SEND_ERRORS,
	MSFS_NS_ANSWERED,
	MSFS_NS_PACKETS,
	MSFS_NS_REFUSED,
	MSFS_NS_LIMITED,
	MSFS_NS_IGNORED,
	MSFS_DROP_QUOTA,	/* new counters go last: the file is an ABI */
	MSFS_DROP_LOCAL_SENDER,
	MSFS_LOOPED_BACK,
	MSFS_NR_COUNTERS
};

void msfs_count(struct net *net, enum msfs_counter c);
int msfs_netns_init(void);
void msfs_netns_exit(void);

#define MSFS_ALLOW_MAX		16
#define MSFS_RATE_BUCKETS	256
/* the name service answers at most this many queries a second (bursts of
 * twice as many), whoever asks
 */
#define MSFS_NS_REPLY_RATE	50

/**
 * struct msfs_remote_cfg - the remote mount options of a namespace
 * @on: remote is on
 * @netbios_name: this host's NetBIOS name (upper case, NUL-terminated)
 * @workgroup: its workgroup (upper case, NUL-terminated)
 * @nallow: entries in @allow; 0: any sender
 * @allow: remote_allow=, the networks senders may come from
 * @rate: remote_rate=, datagrams a second from one source; 0: no limit
 */
struct msfs_remote_cfg {
	bool on;
	char netbios_name[NBT_NAME_LEN];
	char workgroup[NBT_NAME_LEN];
	unsigned int nallow;
	struct msfs_cidr allow[MSFS_ALLOW_MAX];
	u32 rate;
};

/* one kernel UDP socket and the work that drains it */
struct msfs_rsock {
	struct socket *sock;
	struct work_struct work;
	struct msfs_remote *remote;
	void (*handle)(struct msfs_remote *r, struct sk_buff *skb);
	void (*saved_data_ready)(struct sock *sk);
};

/* a token bucket: tokens left, and when it was last filled */
struct msfs_bucket {
	u32 tokens;
	unsigned long stamp;
};

/**
 * struct msfs_limiter - a rate limit per source address
 * @lock: protects @buckets
 * @seed: keys the hash, so that nobody can choose whose bucket he shares
 * @buckets: a token bucket per hash of the source; sources that share one
 *	share its tokens (none ever gets a fresh bucket by colliding)
 */
struct msfs_limiter {
	spinlock_t lock;	/* see above */
	u32 seed;
	struct msfs_bucket buckets[MSFS_RATE_BUCKETS];
};

/* a resolved NetBIOS name, or an address's name */
struct msfs_nbcache {
	struct nbt_name name;
	u32 addr;		/* host order; 0: not found */
	bool group;
	bool by_addr;		/* a node status answer for @addr */
	unsigned long expires;
};

#define MSFS_NBCACHE	16

/**
 * struct msfs_remote - remote mailslots switched on in a namespace
 * @ref: held by the superblock while it is on, and by each user
 * @sbi: the namespace
 * @net: its network namespace
 * @cfg: the options it was started with (fixed: a remount that changes
 *	them starts a new one)
 * @dgm: UDP 138
 * @ns: UDP 137; no socket when the port is taken
 * @names: the names this host answers for, 16 bytes each
 * @name_flags: their NAME_FLAGS
 * @nnames: how many
 * @dgm_rate: the rate limit of UDP 138, per source
 * @ns_rate: the rate limit of UDP 137, per source
 * @reply_lock: protects @replies
 * @replies: the name service's budget of answers, for all senders
 * @dgm_id: the next DGM_ID
 * @cache_lock: protects @cache
 * @cache: resolved names
 */
struct msfs_remote {
	struct kref ref;
	struct msfs_sb_info *sbi;
	struct net *net;
	struct msfs_remote_cfg cfg;
	struct msfs_rsock dgm;
	struct msfs_rsock ns;
	u8 names[6][NBT_NAME_LEN];
	u16 name_flags[6];
	unsigned int nnames;
	struct msfs_limiter dgm_rate;
	struct msfs_limiter ns_rate;
	spinlock_t reply_lock;	/* see above */
	struct msfs_bucket replies;
	atomic_t dgm_id;
	struct mutex cache_lock;	/* see above */
	struct msfs_nbcache cache[MSFS_NBCACHE];
};

/* net/remote.c */
int msfs_remote_start(struct msfs_sb_info *sbi, const struct msfs_remote_cfg *cfg);
void msfs_remote_stop(struct msfs_sb_info *sbi);
struct msfs_remote *msfs_remote_get(struct msfs_sb_info *sbi);
void msfs_remote_put(struct msfs_remote *r);
int msfs_remote_cfg_default(struct msfs_remote_cfg *cfg);
bool msfs_name_is_ours(const struct msfs_remote *r, const struct nbt_name *n);
int msfs_remote_init(void);
void msfs_remote_exit(void);

/**
 * struct msfs_target - where the writes of a remote handle go
 * @group: a group write, sent to each local subnet's broadcast address
 * @addr: the destination address of a unique write (host order)
 * @dst: the destination name
 * @mailslot: the name after "\MAILSLOT\", levels separated by '\'
 * @mailslot_len: its length
 * @max_msg: the largest message
 */
struct msfs_target {
	bool group;
	u32 addr;
	struct nbt_name dst;
	char mailslot[NBT_MAILSLOT_NAME_MAX];
	size_t mailslot_len;
	size_t max_msg;
};

/* net/send.c */
int msfs_target_resolve(struct msfs_remote *r, const char *target, size_t len,
			struct msfs_target *t);
int msfs_remote_send(struct msfs_remote *r, const struct msfs_target *t,
		     const u8 *data, size_t len);
int msfs_send_to(struct msfs_rsock *rs, u32 addr, u16 port, const u8 *buf,
		 size_t len, int flags);
bool msfs_route_unicast(struct net *net, u32 daddr, u32 *saddr);

/**
 * enum msfs_sender - who may be said to have written a datagram
 * @MSFS_SENDER_NET: another host: any slot that takes remote messages
 * @MSFS_SENDER_LOCAL: a socket of this namespace, whose user is unknown:
 *	only a slot that any user could write locally
 * @MSFS_SENDER_WRITER: the current task, sending to this host through a
 *	remote path: only a slot that it could write locally
 */
enum msfs_sender {
	MSFS_SENDER_NET,
	MSFS_SENDER_LOCAL,
	MSFS_SENDER_WRITER,
};

/* mailslotfs/index.c: a received write, to the slot of its name */
enum msfs_counter msfs_deliver(struct msfs_sb_info *sbi,
			       const struct nbt_dgram *d, u32 saddr, u16 sport,
			       enum msfs_sender who);

#endif /* _MSFS_REMOTE_H */
