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
 * grace period, its key with it, and queueing to a slot whose server has
 * gone fails cleanly.
 */
#include <linux/dcache.h>
#include <linux/hash.h>
#include <linux/rculist.h>
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
	slot->idx_key = kmemdup(path, len, GFP_KERNEL);
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

/* Queue @msg to @slot, or say why not; under rcu_read_lock(). */
static enum msfs_counter msfs_deliver_to(struct msfs_slot *slot,
					 struct msfs_msg *msg)
{
	enum msfs_counter c;

	if (READ_ONCE(slot->no_remote))
		c = MSFS_DROP_REFUSED;
	else if (msg->len > slot->max_msg_size)
		c = MSFS_DROP_TOO_BIG;
	else
		switch (msfs_enqueue(slot, msg, true)) {
		case 0:
			return MSFS_DELIVERED;
		case -EAGAIN:
			c = MSFS_DROP_SLOT_FULL;
			break;
		case -ENOBUFS:
			c = MSFS_DROP_BUDGET;
			break;
		default:		/* the server has gone */
			return MSFS_DROP_NO_SLOT;
		}
	msfs_slot_dropped(slot);
	return c;
}

/* Who sent a received datagram, as the receive-with-sender ioctl tells. */
static void msfs_sender_remote(struct msfs_msg *msg, const struct nbt_dgram *d,
			       u32 saddr, u16 sport)
{
	msg->origin = MAILSLOT_ORIGIN_REMOTE;
	msg->from.addr = saddr;
	msg->from.port = sport;
	memcpy(msg->from.src_name, d->src.name, NBT_NAME_LEN);
	memcpy(msg->from.dst_name, d->dst.name, NBT_NAME_LEN);
}

/**
 * msfs_deliver() - queue a received mailslot write to the slot it names
 * @sbi: the namespace
 * @d: the parsed datagram; its mailslot name is valid (nbt.c checked it)
 * @saddr: the address it came from (host order)
 * @sport: the port it came from
 *
 * The slot is looked up without regard to case, with '\' as '/'. It
 * must exist, accept remote messages, take a message of this size and
 * have room; the namespace budget must allow it. Nothing waits.
 *
 * Return: %MSFS_DELIVERED, or the counter of the reason for the drop.
 */
enum msfs_counter msfs_deliver(struct msfs_sb_info *sbi,
			       const struct nbt_dgram *d, u32 saddr, u16 sport)
{
	char key[NBT_MAILSLOT_NAME_MAX];
	struct msfs_slot *slot;
	struct msfs_msg *msg;
	enum msfs_counter c;
	size_t i;

	for (i = 0; i < d->mailslot_len; i++)
		key[i] = d->mailslot[i] == '\\' ? '/' : msfs_fold(d->mailslot[i]);
	msg = msfs_msg_alloc(d->data_len);
	if (!msg)
		return MSFS_DROP_NOMEM;
	if (d->data_len)
		memcpy(msg->data, d->data, d->data_len);
	msfs_sender_remote(msg, d, saddr, sport);
	rcu_read_lock();
	slot = msfs_index_find(sbi, key, d->mailslot_len);
	c = slot ? msfs_deliver_to(slot, msg) : MSFS_DROP_NO_SLOT;
	rcu_read_unlock();
	if (c != MSFS_DELIVERED)
		msfs_msg_free(msg);
	return c;
}
