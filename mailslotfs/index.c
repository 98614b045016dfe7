// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: the name index, and the delivery of remote messages.
 *
 * A remote write names its slot as "\MAILSLOT\NET\NETLOGON", in any case;
 * the receive path has no dcache walk to find it by. So every slot that
 * has a name is also in a hash table of its superblock, under its path
 * from the root, ASCII-folded ("NET/NETLOGON"). Changes happen under
 * sbi->idx_lock, where the name changes (create, unlink, the server's
 * close); lookups under RCU: a slot is freed (->free_inode) only after a
 * grace period, its key with it: a delivery takes a reference to the slot
 * it found (igrab()), and queueing to a slot whose server has gone fails
 * cleanly.
 */
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/stringhash.h>

#include "internal.h"
#include "compat.h"

static struct hlist_head *msfs_index_bucket(struct msfs_sb_info *sbi,
					    const char *key, size_t len)
{
	return &sbi->idx[hash_32(full_name_hash(NULL, key, len), MSFS_IDX_BITS)];
}

/**
 * msfs_index_add() - index a new slot under its path
 * @slot: the slot, just created
 * @dentry: its name (the parent is locked: the path cannot change)
 *
 * A path too long for a remote write to name is not indexed.
 */
void msfs_index_add(struct msfs_slot *slot, struct dentry *dentry)
{
	struct msfs_sb_info *sbi = MSFS_SB(slot->vfs_inode.i_sb);
	char buf[NBT_MAILSLOT_NAME_MAX + 2], *path;
	size_t i, len;

	path = dentry_path_raw(dentry, buf, sizeof(buf));
	if (IS_ERR(path))
		return;
	path++;				/* the leading '/' */
	len = strlen(path);
	if (!len || len > NBT_MAILSLOT_NAME_MAX)
		return;
	for (i = 0; i < len; i++)
		path[i] = msfs_fold(path[i]);
	slot->idx_key = kmemdup(path, len, GFP_KERNEL_ACCOUNT);
	if (!slot->idx_key)
		return;			/* then it cannot be reached remotely */
	slot->idx_len = len;
	spin_lock(&sbi->idx_lock);
	hlist_add_head_rcu(&slot->idx_node, msfs_index_bucket(sbi, path, len));
	spin_unlock(&sbi->idx_lock);
}

/**
 * msfs_index_del() - the slot has lost its name
 * @slot: the slot; indexed or not
 */
void msfs_index_del(struct msfs_slot *slot)
{
	struct msfs_sb_info *sbi = MSFS_SB(slot->vfs_inode.i_sb);

	spin_lock(&sbi->idx_lock);
	if (!hlist_unhashed(&slot->idx_node))
		hlist_del_init_rcu(&slot->idx_node);
	spin_unlock(&sbi->idx_lock);
}

/* Under rcu_read_lock(). */
static struct msfs_slot *msfs_index_find(struct msfs_sb_info *sbi,
					 const char *key, size_t len)
{
	struct msfs_slot *slot;

	hlist_for_each_entry_rcu(slot, msfs_index_bucket(sbi, key, len), idx_node)
		if (slot->idx_len == len && !memcmp(slot->idx_key, key, len))
			return slot;
	return NULL;
}

/* Who sent a received datagram, as the receive-with-sender ioctl tells. */
static void msfs_sender_remote(struct msfs_msg *msg, const struct nbt_dgram *d,
			       u32 saddr, u16 sport)
{
	struct msfs_from_remote *from = msfs_msg_remote(msg);

	from->addr = saddr;
	from->port = sport;
	memcpy(from->src_name, d->src.name, NBT_NAME_LEN);
	memcpy(from->dst_name, d->dst.name, NBT_NAME_LEN);
	from->pad = 0;
}

/*
 * The message for @slot, charged to its server: to the memory cgroup the
 * server was in when it made the slot (the receive work is nobody's), and
 * to the user who made it.
 */
static struct msfs_msg *msfs_remote_msg(struct msfs_slot *slot,
					const struct nbt_dgram *d, u32 saddr,
					u16 sport)
{
	struct mem_cgroup *old = set_active_memcg(slot->memcg);
	struct msfs_msg *msg;

	msg = msfs_msg_alloc(d->data_len, true, GFP_KERNEL | __GFP_NOWARN);
	set_active_memcg(old);
	if (!msg)
		return NULL;
	memcpy(msg->data, d->data, d->data_len);
	msfs_sender_remote(msg, d, saddr, sport);
	msg->user = slot->user;
	return msg;
}

/* The counter of a remote message that msfs_enqueue() refused with @err. */
static enum msfs_counter msfs_refused(int err)
{
	switch (err) {
	case -EAGAIN:
		return MSFS_DROP_SLOT_FULL;
	case -ENOBUFS:
		return MSFS_DROP_BUDGET;
	case -EDQUOT:
		return MSFS_DROP_QUOTA;
	case -EMSGSIZE:
		return MSFS_DROP_TOO_BIG;
	}
	return MSFS_DROP_NO_SLOT;	/* -EPIPE: the server has gone */
}

/* Queue a message for @d to @slot, or say why not. */
static enum msfs_counter msfs_deliver_to(struct msfs_slot *slot,
					 const struct nbt_dgram *d, u32 saddr,
					 u16 sport)
{
	struct msfs_msg *msg;
	enum msfs_counter c;
	int err;

	if (READ_ONCE(slot->no_remote)) {
		c = MSFS_DROP_REFUSED;
	} else if (d->data_len > READ_ONCE(slot->max_msg_size)) {
		c = MSFS_DROP_TOO_BIG;
	} else {
		msg = msfs_remote_msg(slot, d, saddr, sport);
		if (!msg)
			return MSFS_DROP_NOMEM;
		err = msfs_enqueue(slot, msg, true);	/* frees it if not */
		if (!err)
			return MSFS_DELIVERED;
		c = msfs_refused(err);
		if (c == MSFS_DROP_NO_SLOT)
			return c;
	}
	msfs_slot_dropped(slot);
	return c;
}

/* May @who do @mask (MAY_WRITE, MAY_EXEC) to @inode, as it could locally? */
static bool msfs_may(struct inode *inode, enum msfs_sender who, int mask)
{
	BUILD_BUG_ON(MAY_WRITE != 0002 || MAY_EXEC != 0001);
	if (who == MSFS_SENDER_WRITER)
		return !inode_permission(MSFS_NOP_IDMAP, inode, mask);
	/* a user we do not know: what any user may (MAY_* are the other bits) */
	return (inode->i_mode & mask) == mask;
}

/*
 * A datagram from this host must not get into a slot that its writer
 * could not have opened: write permission on the slot, search permission
 * on every directory above it. (The directories cannot be renamed, and
 * each dentry holds its parent: the walk needs no lock.)
 */
static bool msfs_sender_may_write(struct msfs_slot *slot, enum msfs_sender who)
{
	struct dentry *d, *p;
	bool ok;

	if (who == MSFS_SENDER_NET)
		return true;
	d = d_find_alias(&slot->vfs_inode);
	if (!d)
		return false;
	ok = msfs_may(d_inode(d), who, MAY_WRITE);
	for (p = d; ok && !IS_ROOT(p); ) {
		p = p->d_parent;
		ok = msfs_may(d_inode(p), who, MAY_EXEC);
	}
	dput(d);
	return ok;
}

/**
 * msfs_deliver() - queue a received mailslot write to the slot it names
 * @sbi: the namespace
 * @d: the parsed datagram; its mailslot name is valid (nbt.c checked it)
 * @saddr: the address it came from (host order)
 * @sport: the port it came from
 * @who: who may be said to have written it: another host, a local socket
 *	(only slots that any user could write), or the current task (only
 *	slots it could write)
 *
 * The slot is looked up without regard to case, with '\\' as '/'. It
 * must exist, accept remote messages, take a message of this size and
 * have room; the namespace budget and the share of the slot's maker must
 * allow it. Nothing waits for room.
 *
 * Return: %MSFS_DELIVERED, or the counter of the reason for the drop.
 */
enum msfs_counter msfs_deliver(struct msfs_sb_info *sbi,
			       const struct nbt_dgram *d, u32 saddr, u16 sport,
			       enum msfs_sender who)
{
	char key[NBT_MAILSLOT_NAME_MAX];
	struct msfs_slot *slot;
	enum msfs_counter c;
	size_t i;

	for (i = 0; i < d->mailslot_len; i++)
		key[i] = d->mailslot[i] == '\\' ? '/' : msfs_fold(d->mailslot[i]);
	rcu_read_lock();
	slot = msfs_index_find(sbi, key, d->mailslot_len);
	/* freed only after a grace period: igrab() may look at it */
	if (slot && !igrab(&slot->vfs_inode))
		slot = NULL;
	rcu_read_unlock();
	if (!slot)
		return MSFS_DROP_NO_SLOT;
	if (msfs_sender_may_write(slot, who)) {
		c = msfs_deliver_to(slot, d, saddr, sport);
	} else {
		c = MSFS_DROP_LOCAL_SENDER;
		msfs_slot_dropped(slot);
	}
	iput(&slot->vfs_inode);
	return c;
}
