/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: private types shared by the VFS side.
 */
#ifndef _MSFS_INTERNAL_H
#define _MSFS_INTERNAL_H

#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mailslot.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "pure.h"
#include "../net/remote.h"

struct iov_iter;
struct mem_cgroup;
struct net;
struct pid;
struct user_namespace;

#define MSFS_IDX_BITS	8	/* the name index: 256 buckets */
#define MSFS_USERS_BITS	4	/* the users of a namespace: 16 buckets */

/**
 * struct msfs_acct - what is charged against one set of limits (account.c)
 * @slots: slots and directories
 * @bytes: memory of queued messages (msfs_msg_charge())
 */
struct msfs_acct {
	atomic64_t slots;
	atomic64_t bytes;
};

/**
 * struct msfs_user - a user's share of a namespace (account.c)
 * @node: in &msfs_sb_info.users
 * @uid: the user
 * @acct: what is charged to it, against user_slots and user_bytes
 */
struct msfs_user {
	struct hlist_node node;
	kuid_t uid;
	struct msfs_acct acct;
};

/**
 * struct msfs_owner - what the namespaces of one user namespace owner hold
 * @node: on the list of owners
 * @uid: the owner
 * @ref: one per namespace of that owner
 * @acct: what is charged, against userns_slots and userns_bytes
 */
struct msfs_owner {
	struct list_head node;
	kuid_t uid;
	refcount_t ref;
	struct msfs_acct acct;
};

/**
 * struct msfs_sb_info - one mailslot namespace (one per network namespace)
 * @net: the network namespace it serves (a counted reference)
 * @lim_seq: makes a copy of @lim consistent (see msfs_limits_copy())
 * @lim: limits, %MSFS_NR_LIMITS values; written under @lim_seq, a single
 *	value read with READ_ONCE()
 * @mode: root directory mode
 * @uid: root directory owner
 * @gid: root directory group
 * @acct: slots and directories, against %MSFS_MAX_SLOTS, and the memory
 *	of queued messages, against %MSFS_TOTAL_BYTES (account.c)
 * @owner: the owner of its network namespace's user namespace, unless
 *	that is the initial one
 * @users_lock: protects changes of @users
 * @users: its users' shares, by uid (RCU; freed with the namespace)
 * @idx_lock: protects changes of @idx
 * @idx: the name index: every named slot, by its folded path, for the
 *	delivery of remote messages (RCU)
 * @remote_lock: serialises publishing and unpublishing @remote, and the
 *	writes of @rcfg against the readers that do not hold sb->s_umount
 * @remote: the remote state while remote is on (RCU)
 * @rcfg: the remote options: written under sb->s_umount (mount, remount)
 *	and @remote_lock; read under either (show_options takes the latter)
 */
struct msfs_sb_info {
	struct net *net;
	seqlock_t lim_seq;
	u64 lim[MSFS_NR_LIMITS];
	umode_t mode;
	kuid_t uid;
	kgid_t gid;
	struct msfs_acct acct;
	struct msfs_owner *owner;
	spinlock_t users_lock;		/* see above */
	struct hlist_head users[1 << MSFS_USERS_BITS];
	spinlock_t idx_lock;		/* see above */
	struct hlist_head idx[1 << MSFS_IDX_BITS];
	struct mutex remote_lock;	/* see above */
	struct msfs_remote __rcu *remote;
	struct msfs_remote_cfg rcfg;
};

static inline struct msfs_sb_info *MSFS_SB(const struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline u64 msfs_limit(const struct msfs_sb_info *sbi,
			     enum msfs_limit which)
{
	return READ_ONCE(sbi->lim[which]);
}

/**
 * struct msfs_msg - one queued message (queue.c has its layout)
 * @next: the next newer message of the slot (&msfs_slot.head)
 * @stamp: CLOCK_REALTIME when it was queued
 * @user: whom its memory is charged to; a local writer's effective uid
 *	is @user->uid
 * @pid: a local writer: the process (thread group), counted
 * @len: payload length
 * @remote: it came from the network (%MAILSLOT_ORIGIN_REMOTE)
 * @gid: a local writer's effective gid
 * @data: the payload (or its first part), then for a remote message its
 *	sender (struct msfs_from_remote)
 *
 * The header is 40 bytes, so that a message of up to 8 bytes fits the
 * 48-byte class and one of 64 the 112-byte class (limits.c).
 */
struct msfs_msg {
	struct msfs_msg *next;
	ktime_t stamp;
	struct msfs_user *user;
	struct pid *pid;
	u32 len : 31;
	u32 remote : 1;
	kgid_t gid;
	u8 data[];
};

/**
 * struct msfs_from_remote - who sent a remote message
 * @addr: its IPv4 address (host order)
 * @port: its UDP port
 * @src_name: the NetBIOS name it claims (16 bytes)
 * @dst_name: the NetBIOS name it sent to
 * @pad: zero
 */
struct msfs_from_remote {
	u32 addr;
	u16 port;
	u8 src_name[NBT_NAME_LEN];
	u8 dst_name[NBT_NAME_LEN];
	u16 pad;
};

/**
 * struct msfs_slot - a mailslot, or a directory (only @vfs_inode used)
 * @lock: protects the fields below up to @read_timeout; see queue.c
 * @head: the oldest queued message, NULL when none; each links to the
 *	next newer one
 * @tail: where the next message is linked: &@head, or the newest's @next
 * @count: number of queued messages
 * @bytes: payload bytes queued
 * @dead: the server has gone; writers get EPIPE
 * @drops: remote datagrams dropped for this slot
 * @nread: messages read from it so far
 * @read_timeout: milliseconds, or %MAILSLOT_WAIT_FOREVER
 * @no_remote: the server refuses remote messages
 * @max_msg_size: largest message: @max_msg_cap, or less if the server
 *	set it so (under @lock; READ_ONCE() elsewhere)
 * @max_msg_cap: the largest it may be, fixed when the slot is created
 * @max_msgs: message cap, fixed when the slot is created
 * @quota: byte quota, fixed when the slot is created
 * @rwait: the server waits here for messages
 * @wwait: clients that poll wait here for room, or for the server to go
 * @wsleepers: the writers asleep for room or for the server to go, in
 *	order (struct msfs_wsleep, under @lock; see queue.c)
 * @wparked: the writers asleep whose messages a read queued, until the
 *	slot is half empty (under @lock; see queue.c)
 * @unpark: lets @wparked go when the reader does not get the slot there
 * @read_mutex: serialises readers of the server descriptor
 * @idx_node: in the name index, while the slot has its name
 * @idx_key: its folded path there ("NET/NETLOGON"); freed with the slot
 * @idx_len: the length of @idx_key
 * @user: the user who made it (NULL for the root)
 * @memcg: the memory cgroup of the server, that remote messages are
 *	charged to (a reference; NULL for a directory)
 * @vfs_inode: the inode
 */
struct msfs_slot {
	spinlock_t lock;		/* see queue.c */
	struct msfs_msg *head;
	struct msfs_msg **tail;
	u32 count;
	u64 bytes;
	bool dead;
	u64 drops;
	u64 nread;
	s32 read_timeout;
	bool no_remote;
	u32 max_msg_size;
	u32 max_msg_cap;
	u32 max_msgs;
	u64 quota;
	wait_queue_head_t rwait;
	wait_queue_head_t wwait;
	struct list_head wsleepers;
	struct list_head wparked;
	struct delayed_work unpark;
	struct mutex read_mutex;	/* see queue.c */
	struct hlist_node idx_node;
	char *idx_key;
	size_t idx_len;
	struct msfs_user *user;
	struct mem_cgroup *memcg;
	struct inode vfs_inode;
};

static inline struct msfs_slot *MSFS_SLOT(const struct inode *inode)
{
	return container_of(inode, struct msfs_slot, vfs_inode);
}

/* super.c */
extern const struct super_operations msfs_super_ops;
void msfs_limits_copy(struct msfs_sb_info *sbi, u64 *lim);

/* inode.c */
extern const struct dentry_operations msfs_dentry_ops;
extern const struct file_operations msfs_root_fops;
bool msfs_is_slot(const struct inode *inode);
struct inode *msfs_get_inode(struct super_block *sb, const struct inode *dir,
			     umode_t mode);
void msfs_remove_name(struct dentry *dentry);
struct inode *msfs_alloc_inode(struct super_block *sb);
void msfs_free_inode(struct inode *inode);
void msfs_evict_inode(struct inode *inode);
int msfs_inode_cache_init(void);
void msfs_inode_cache_exit(void);

/* index.c */
void msfs_index_add(struct msfs_slot *slot, struct dentry *dentry);
void msfs_index_del(struct msfs_slot *slot);
enum msfs_counter msfs_deliver(struct msfs_sb_info *sbi,
			       const struct nbt_dgram *d, u32 saddr, u16 sport,
			       enum msfs_sender who);

/* ropts.c: the remote mount options */
enum msfs_ropt {
	MSFS_RO_REMOTE,
	MSFS_RO_ALLOW,
	MSFS_RO_NBNAME,
	MSFS_RO_WORKGROUP,
	MSFS_RO_RATE,
	MSFS_RO_WINS,
};

/**
 * struct msfs_ropts - the remote options of one mount or remount
 * @cfg: their values (the defaults where not given)
 * @given: BIT(enum msfs_ropt) for each one given
 */
struct msfs_ropts {
	struct msfs_remote_cfg cfg;
	unsigned int given;
};

struct fs_context;
struct fs_parameter;
struct fs_parse_result;
struct seq_file;
void msfs_ropts_init(struct msfs_ropts *o);
int msfs_ropts_parse(struct fs_context *fc, struct msfs_ropts *o,
		     enum msfs_ropt opt, struct fs_parameter *param,
		     const struct fs_parse_result *result);
void msfs_ropts_merge(const struct msfs_ropts *o,
		      const struct msfs_remote_cfg *old,
		      struct msfs_remote_cfg *cfg);
bool msfs_ropts_eq(const struct msfs_remote_cfg *a,
		   const struct msfs_remote_cfg *b);
int msfs_ropts_apply(struct fs_context *fc, struct msfs_sb_info *sbi,
		     const struct msfs_remote_cfg *cfg);
void msfs_ropts_show(struct seq_file *m, const struct msfs_remote_cfg *c);

/* remote.c */
struct msfs_remote *msfs_sb_remote(struct msfs_sb_info *sbi);
int msfs_remote_apply(struct msfs_sb_info *sbi,
		      const struct msfs_remote_cfg *cfg);
void msfs_remote_off(struct msfs_sb_info *sbi);
struct dentry *msfs_remote_lookup(struct inode *dir, struct dentry *dentry);
bool msfs_is_remote(const struct inode *inode);
void msfs_remote_evict(struct inode *inode);

/* file.c */
extern const struct file_operations msfs_slot_fops;

/* account.c */
int msfs_charge_node(struct msfs_sb_info *sbi, struct msfs_user *u);
void msfs_uncharge_node(struct msfs_sb_info *sbi, struct msfs_user *u);
int msfs_charge_bytes(struct msfs_sb_info *sbi, struct msfs_user *u, u64 n);
void msfs_uncharge_bytes(struct msfs_sb_info *sbi, struct msfs_user *u, u64 n);
struct msfs_user *msfs_user_get(struct msfs_sb_info *sbi, kuid_t uid);
void msfs_users_free(struct msfs_sb_info *sbi);
struct msfs_owner *msfs_owner_get(struct user_namespace *ns);
void msfs_owner_put(struct msfs_owner *o);

/* queue.c */
void msfs_slot_init(struct msfs_slot *slot, struct msfs_sb_info *sbi);
struct msfs_msg *msfs_msg_alloc(size_t len, bool remote, gfp_t gfp);
void msfs_msg_free(struct msfs_msg *msg);
struct msfs_from_remote *msfs_msg_remote(const struct msfs_msg *msg);
int msfs_msg_copy_in(struct msfs_msg *msg, struct iov_iter *from);
int msfs_msg_copy_out(const struct msfs_msg *msg, struct iov_iter *to);
int msfs_msg_copy_to_user(const struct msfs_msg *msg, void __user *buf);
int msfs_enqueue(struct msfs_slot *slot, struct msfs_msg *msg, bool nonblock);

/**
 * struct msfs_rx - a reader's request for one message
 * @buf_len: room the reader has
 * @msg_len: out: length of the message offered
 * @peek: leave the message queued
 * @nonblock: fail with EAGAIN instead of waiting
 * @copy: copies @msg out; returns 0 or a negative errno
 * @arg: for @copy
 */
struct msfs_rx {
	size_t buf_len;
	size_t msg_len;
	bool peek;
	bool nonblock;
	int (*copy)(const struct msfs_msg *msg, void *arg);
	void *arg;
};

ssize_t msfs_dequeue(struct msfs_slot *slot, struct msfs_rx *rx);
void msfs_slot_kill(struct msfs_slot *slot);
void msfs_slot_info(struct msfs_slot *slot, struct mailslot_info *info);
int msfs_set_read_timeout(struct msfs_slot *slot, s32 ms);
void msfs_set_max_msg_size(struct msfs_slot *slot, u32 size);
void msfs_slot_dropped(struct msfs_slot *slot);
__poll_t msfs_slot_poll(struct msfs_slot *slot, bool server, size_t len);
int msfs_queue_cache_init(void);
void msfs_queue_cache_exit(void);

#endif /* _MSFS_INTERNAL_H */
