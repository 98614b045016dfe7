/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: the network layer's own types, which the filesystem never
 * sees: the remote state of a namespace, its sockets, its rate limits,
 * its configuration and its cache of resolved names.
 *
 *   remote.c	switching remote on, reconfiguring it, off; the references
 *   names.c	the configuration: the names this host receives and answers for
 *   recv.c	what arrives on UDP 138 and 137
 *   send.c	resolving targets, sending datagrams
 *   sock.c	the kernel sockets, routes and subnets they all use
 *   wins.c	the names at the NetBIOS name servers (wins=)
 */
#ifndef _MSFS_NET_INTERNAL_H
#define _MSFS_NET_INTERNAL_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "remote.h"

struct sk_buff;

#define MSFS_RATE_BUCKETS	256
/* the name service answers at most this many queries a second (bursts of
 * twice as many), whoever asks; as many more to the servers of wins=
 */
#define MSFS_NS_REPLY_RATE	50
/* the names this host receives datagrams for; it answers for the first */
#define MSFS_NAMES		6
#define MSFS_NAMES_ANSWERED	4

/**
 * struct msfs_rsock - one kernel UDP socket and the work that drains it
 * @sock: the socket; NULL when it could not be opened (UDP 137 taken).
 *	Set once, bound (msfs_rsock_open()); the WINS work reads the one of
 *	UDP 137 with smp_load_acquire(), and is stopped before it is closed
 * @work: drains it, in process context
 * @remote: whose socket it is
 * @handle: what is done with each packet
 * @scratch: @handle's buffer, reused from packet to packet (the work of
 *	one socket never runs twice at once)
 * @saved_data_ready: the socket's own callback, put back by
 *	msfs_rsock_unhook()
 */
struct msfs_rsock {
	struct socket *sock;
	struct work_struct work;
	struct msfs_remote *remote;
	void (*handle)(struct msfs_remote *r, struct sk_buff *skb, void *scratch);
	void *scratch;
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
	unsigned int naddrs;	/* an Internet group's members, from WINS */
	u32 addrs[NBT_NS_MAX_ADDRS];
	bool by_addr;		/* a node status answer for @addr */
	unsigned long expires;
};

#define MSFS_NBCACHE	16

/**
 * struct msfs_rconf - a configuration of remote, never changed once made
 * @cfg: the options
 * @names: the names this host receives datagrams for, 16 bytes each
 * @name_flags: their NAME_FLAGS
 */
struct msfs_rconf {
	struct msfs_remote_cfg cfg;
	u8 names[MSFS_NAMES][NBT_NAME_LEN];
	u16 name_flags[MSFS_NAMES];
};

/* the names registered with WINS: NAME<00>, <03>, <20>, WORKGROUP<00> */
#define MSFS_WINS_NAMES		MSFS_NAMES_ANSWERED

/**
 * struct msfs_wins - the WINS client of a namespace (wins.c)
 * @lock: serialises the work, the answers, reconfiguring and stopping
 * @work: sends what is due
 * @stopped: remote is going: nothing more is sent but releases
 * @host: the NetBIOS name, for the log
 * @names: the first %MSFS_WINS_NAMES names of struct msfs_rconf at the
 *	servers (wins_fsm.c: in jiffies)
 */
struct msfs_wins {
	struct mutex lock;	/* see above */
	struct delayed_work work;
	bool stopped;
	char host[NBT_NAME_LEN];
	struct nbt_reg names[MSFS_WINS_NAMES];
};

/**
 * struct msfs_remote - remote mailslots switched on in a namespace
 * @ref: held by the owner while it is on, and by each sender
 * @rcu: frees it a grace period after the last reference went
 * @net: the network namespace
 * @ops: how datagrams go up to the owner
 * @owner: the owner (the filesystem's instance), given to @ops
 * @conf_lock: serialises replacing @conf
 * @conf: the configuration (RCU: a remount replaces it whole)
 * @dgm: UDP 138
 * @ns: UDP 137; no socket when the port is taken
 * @dgm_rate: the rate limit of UDP 138, per source
 * @ns_rate: the rate limit of UDP 137, per source
 * @reply_lock: protects @replies and @server_replies
 * @replies: the name service's budget of answers, for all senders but
 *	the name servers of wins=
 * @server_replies: the budget of answers to those servers (from UDP 137)
 * @dgm_id: the next DGM_ID
 * @cache_lock: protects @cache
 * @cache: resolved names
 * @wins: the names at the NetBIOS name servers
 */
struct msfs_remote {
	struct kref ref;
	struct rcu_head rcu;
	struct net *net;
	const struct msfs_remote_ops *ops;
	void *owner;
	struct mutex conf_lock;	/* see above */
	struct msfs_rconf __rcu *conf;
	struct msfs_rsock dgm;
	struct msfs_rsock ns;
	struct msfs_limiter dgm_rate;
	struct msfs_limiter ns_rate;
	spinlock_t reply_lock;	/* see above */
	struct msfs_bucket replies;
	struct msfs_bucket server_replies;
	atomic_t dgm_id;
	struct mutex cache_lock;	/* see above */
	struct msfs_nbcache cache[MSFS_NBCACHE];
	struct msfs_wins wins;
};

/* names.c */
struct msfs_rconf *msfs_rconf_make(const struct msfs_remote_cfg *cfg);
int msfs_name_index(const struct msfs_rconf *c, const struct nbt_name *n,
		    bool answer);
bool msfs_name_is_ours(const struct msfs_rconf *c, const struct nbt_name *n);

/* recv.c */
void msfs_dgm_handle(struct msfs_remote *r, struct sk_buff *skb, void *scratch);
void msfs_ns_handle(struct msfs_remote *r, struct sk_buff *skb, void *scratch);
size_t msfs_ns_scratch_size(void);
void msfs_limiter_init(struct msfs_limiter *l, u32 rate);

/* sock.c */
struct msfs_subnet {
	u32 local;
	u32 bcast;
};

int msfs_rsock_open(struct msfs_remote *r, struct msfs_rsock *rs, u16 port,
		    void (*handle)(struct msfs_remote *, struct sk_buff *, void *),
		    size_t scratch);
void msfs_rsock_unhook(struct msfs_rsock *rs);
void msfs_rsock_quiesce(struct msfs_rsock *rs);
void msfs_rsock_release(struct msfs_rsock *rs);
int msfs_udp_send(struct socket *sock, u32 addr, u16 port, const u8 *buf,
		  size_t len, int flags);
u32 msfs_source_addr(struct net *net, u32 daddr);
bool msfs_route_unicast(struct net *net, u32 daddr, u32 *saddr);
int msfs_subnets(struct net *net, struct msfs_subnet *s, int max);
int msfs_sock_init(void);
void msfs_sock_exit(void);

/* wins.c */
void msfs_wins_init(struct msfs_remote *r);
void msfs_wins_start(struct msfs_remote *r);
void msfs_wins_reconfigure(struct msfs_remote *r, const struct msfs_rconf *old);
void msfs_wins_stop(struct msfs_remote *r);
void msfs_wins_response(struct msfs_remote *r, const struct nbt_ns *a,
			u32 saddr);

#endif /* _MSFS_NET_INTERNAL_H */
