/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: remote mailslots, the NetBIOS datagram transport: what the
 * network layer (net/) offers the filesystem above it. The remote state
 * itself is opaque here (net/internal.h); received writes go up through
 * the operations the filesystem hands in when it switches remote on, as
 * a UDP tunnel's encap_rcv does.
 */
#ifndef _MSFS_REMOTE_H
#define _MSFS_REMOTE_H

#include "nbt.h"

struct msfs_remote;
struct net;

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
	MSFS_WINS_REGISTRATIONS,
	MSFS_WINS_REFRESHES,
	MSFS_WINS_CONFLICTS,
	MSFS_WINS_QUERIES,
	MSFS_WINS_ANSWERS,
	MSFS_NR_COUNTERS
};

void msfs_count(struct net *net, enum msfs_counter c);
int msfs_netns_init(void);
void msfs_netns_exit(void);

#define MSFS_ALLOW_MAX		16
#define MSFS_WINS_MAX		2	/* wins=: a primary and a secondary */
/* remote_rate='s default: datagrams a second from one source */
#define MSFS_REMOTE_RATE_DEFAULT	100

/**
 * struct msfs_remote_cfg - the remote mount options of a namespace
 * @on: remote is on
 * @netbios_name: this host's NetBIOS name (upper case, NUL-terminated)
 * @workgroup: its workgroup (upper case, NUL-terminated)
 * @nallow: entries in @allow; 0: any sender
 * @allow: remote_allow=, the networks senders may come from
 * @rate: remote_rate=, datagrams a second from one source; 0: no limit
 * @nwins: entries in @wins; 0: a B node (broadcast only)
 * @wins: wins=, the NBNS servers (host order), the first tried first
 */
struct msfs_remote_cfg {
	bool on;
	char netbios_name[NBT_NAME_LEN];
	char workgroup[NBT_NAME_LEN];
	unsigned int nallow;
	struct msfs_cidr allow[MSFS_ALLOW_MAX];
	u32 rate;
	unsigned int nwins;
	u32 wins[MSFS_WINS_MAX];
};

/**
 * struct msfs_target - where the writes of a remote handle go
 * @group: a group write, sent to each local subnet's broadcast address,
 *	or to each of @addrs
 * @addr: the destination address of a unique write (host order)
 * @naddrs: a group a name server listed the members of (an Internet
 *	group, DOMAIN<1c>): how many; 0: a group of the local subnets
 * @addrs: their addresses (host order)
 * @dst: the destination name
 * @mailslot: the name after "\MAILSLOT\", levels separated by '\'
 * @mailslot_len: its length
 * @max_msg: the largest message
 */
struct msfs_target {
	bool group;
	u32 addr;
	unsigned int naddrs;
	u32 addrs[NBT_NS_MAX_ADDRS];
	struct nbt_name dst;
	char mailslot[NBT_MAILSLOT_NAME_MAX];
	size_t mailslot_len;
	size_t max_msg;
};

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

/**
 * struct msfs_remote_ops - what the owner of a remote state does for it
 * @deliver: a write received for this host (from another host, from a
 *	local socket, or sent here by a writer), to the slot it names;
 *	called in process context: by the receive work, never after
 *	msfs_remote_stop() returned, or by msfs_remote_send(), whose caller
 *	keeps the owner alive. Returns %MSFS_DELIVERED or the drop reason.
 */
struct msfs_remote_ops {
	enum msfs_counter (*deliver)(void *owner, const struct nbt_dgram *d,
				     u32 saddr, u16 sport, enum msfs_sender who);
};

/* net/names.c */
int msfs_remote_cfg_default(struct msfs_remote_cfg *cfg);

/* net/remote.c */
struct msfs_remote *msfs_remote_start(struct net *net,
				      const struct msfs_remote_cfg *cfg,
				      const struct msfs_remote_ops *ops,
				      void *owner);
int msfs_remote_reconfigure(struct msfs_remote *r,
			    const struct msfs_remote_cfg *cfg);
void msfs_remote_stop(struct msfs_remote *r);
bool msfs_remote_tryget(struct msfs_remote *r);
void msfs_remote_put(struct msfs_remote *r);
int msfs_remote_init(void);
void msfs_remote_exit(void);

/* net/send.c */
int msfs_target_resolve(struct msfs_remote *r, const char *target, size_t len,
			struct msfs_target *t);
int msfs_remote_send(struct msfs_remote *r, const struct msfs_target *t,
		     const u8 *data, size_t len);

#endif /* _MSFS_REMOTE_H */
