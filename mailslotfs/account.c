// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: who is charged for what.
 *
 * Every slot and directory, and the memory of every queued message, is
 * counted three times, against three limits:
 *  - the namespace's: max_slots and total_bytes (sbi->acct);
 *  - its user's in the namespace: user_slots and user_bytes. A node
 *    counts for the user who made it, a local message for its writer (its
 *    effective uid), a remote one for the user who made its slot;
 *  - for a namespace whose network namespace belongs to a user namespace
 *    other than the initial one, its owner's: userns_slots and
 *    userns_bytes (module parameters), summed over every such namespace
 *    that user owns, however many user and network namespaces he makes.
 * So one user cannot take a namespace's slots or memory from the others,
 * and what an unprivileged user can make the kernel hold is bounded; the
 * memory itself is also charged to a memory cgroup (queue.c).
 *
 * The counters are atomics: a charge adds, and takes back what it added
 * if that went over the limit, so concurrent charges never pass it
 * together. A user's entry lives as long as its namespace (users are
 * few: those that made something or wrote), so that it can be looked up
 * under RCU and pointed to without a reference; an owner's entry lives as
 * long as a namespace of that owner.
 */
#include <linux/hash.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "internal.h"

static unsigned long msfs_userns_slots = 4096;
module_param_named(userns_slots, msfs_userns_slots, ulong, 0644);
MODULE_PARM_DESC(userns_slots,
		 "slots and directories the namespaces one user owns in non-initial user namespaces may have together (default 4096)");

static unsigned long msfs_userns_bytes = 64UL << 20;
module_param_named(userns_bytes, msfs_userns_bytes, ulong, 0644);
MODULE_PARM_DESC(userns_bytes,
		 "bytes of queued messages the namespaces one user owns in non-initial user namespaces may hold together (default 64 MiB)");

/* Take @n of @c, whose limit is @limit; false (and nothing taken) if over. */
static bool msfs_take(atomic64_t *c, u64 n, u64 limit)
{
	if (atomic64_add_return(n, c) <= limit)
		return true;
	atomic64_sub(n, c);
	return false;
}

static u64 msfs_user_limit(struct msfs_sb_info *sbi, bool bytes)
{
	return msfs_limit(sbi, bytes ? MSFS_USER_BYTES : MSFS_USER_SLOTS);
}

/*
 * Charge @n slots (@bytes false) or bytes to the namespace, user @u and
 * the namespace's owner. Return: 0, -ENOSPC or -ENOBUFS (the namespace's
 * limit), -EDQUOT (the user's or the owner's).
 */
static int msfs_charge(struct msfs_sb_info *sbi, struct msfs_user *u,
		       bool bytes, u64 n)
{
	struct msfs_owner *o = sbi->owner;
	atomic64_t *ns = bytes ? &sbi->acct.bytes : &sbi->acct.slots;
	atomic64_t *us = bytes ? &u->acct.bytes : &u->acct.slots;
	atomic64_t *os = o ? (bytes ? &o->acct.bytes : &o->acct.slots) : NULL;

	if (!msfs_take(ns, n, msfs_limit(sbi, bytes ? MSFS_TOTAL_BYTES :
					      MSFS_MAX_SLOTS)))
		return bytes ? -ENOBUFS : -ENOSPC;
	if (!msfs_take(us, n, msfs_user_limit(sbi, bytes)))
		goto out_ns;
	if (os && !msfs_take(os, n, bytes ? READ_ONCE(msfs_userns_bytes) :
					      READ_ONCE(msfs_userns_slots)))
		goto out_user;
	return 0;

out_user:
	atomic64_sub(n, us);
out_ns:
	atomic64_sub(n, ns);
	return -EDQUOT;
}

static void msfs_uncharge(struct msfs_sb_info *sbi, struct msfs_user *u,
			  bool bytes, u64 n)
{
	struct msfs_owner *o = sbi->owner;

	atomic64_sub(n, bytes ? &sbi->acct.bytes : &sbi->acct.slots);
	atomic64_sub(n, bytes ? &u->acct.bytes : &u->acct.slots);
	if (o)
		atomic64_sub(n, bytes ? &o->acct.bytes : &o->acct.slots);
}

/**
 * msfs_charge_node() - charge a new slot or directory
 * @sbi: the namespace
 * @u: the user who makes it
 *
 * Return: 0, -ENOSPC (max_slots), or -EDQUOT (user_slots, userns_slots).
 */
int msfs_charge_node(struct msfs_sb_info *sbi, struct msfs_user *u)
{
	return msfs_charge(sbi, u, false, 1);
}

/**
 * msfs_uncharge_node() - a slot or directory has gone
 * @sbi: the namespace
 * @u: the user it was charged to
 */
void msfs_uncharge_node(struct msfs_sb_info *sbi, struct msfs_user *u)
{
	msfs_uncharge(sbi, u, false, 1);
}

/**
 * msfs_charge_bytes() - charge the memory of a message to be queued
 * @sbi: the namespace
 * @u: the user it counts for
 * @n: its size (msfs_msg_charge())
 *
 * Return: 0, -ENOBUFS (total_bytes), or -EDQUOT (user_bytes,
 * userns_bytes).
 */
int msfs_charge_bytes(struct msfs_sb_info *sbi, struct msfs_user *u, u64 n)
{
	return msfs_charge(sbi, u, true, n);
}

/**
 * msfs_uncharge_bytes() - a queued message has gone
 * @sbi: the namespace
 * @u: the user it was charged to
 * @n: what it was charged
 */
void msfs_uncharge_bytes(struct msfs_sb_info *sbi, struct msfs_user *u, u64 n)
{
	msfs_uncharge(sbi, u, true, n);
}

static struct hlist_head *msfs_user_bucket(struct msfs_sb_info *sbi, kuid_t uid)
{
	return &sbi->users[hash_32(__kuid_val(uid), MSFS_USERS_BITS)];
}

/* Under rcu_read_lock() or sbi->users_lock. */
static struct msfs_user *msfs_user_find(struct msfs_sb_info *sbi, kuid_t uid)
{
	struct msfs_user *u;

	hlist_for_each_entry_rcu(u, msfs_user_bucket(sbi, uid), node,
				 lockdep_is_held(&sbi->users_lock))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/**
 * msfs_user_get() - the entry of user @uid in a namespace
 * @sbi: the namespace
 * @uid: the user
 *
 * Made the first time (its memory charged to the caller's memory cgroup);
 * it lasts as long as the namespace.
 *
 * Return: the entry, or NULL when there is no memory for it.
 */
struct msfs_user *msfs_user_get(struct msfs_sb_info *sbi, kuid_t uid)
{
	struct msfs_user *u, *new;

	rcu_read_lock();
	u = msfs_user_find(sbi, uid);
	rcu_read_unlock();
	if (u)
		return u;
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return NULL;
	new->uid = uid;
	spin_lock(&sbi->users_lock);
	u = msfs_user_find(sbi, uid);
	if (!u) {
		hlist_add_head_rcu(&new->node, msfs_user_bucket(sbi, uid));
		u = new;
		new = NULL;
	}
	spin_unlock(&sbi->users_lock);
	kfree(new);
	return u;
}

/**
 * msfs_users_free() - free a namespace's user entries
 * @sbi: the namespace, which has no slot and no message left
 */
void msfs_users_free(struct msfs_sb_info *sbi)
{
	struct hlist_node *next;
	struct msfs_user *u;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sbi->users); i++)
		hlist_for_each_entry_safe(u, next, &sbi->users[i], node)
			kfree(u);
}

static DEFINE_MUTEX(msfs_owners_lock);
static LIST_HEAD(msfs_owners);

/**
 * msfs_owner_get() - the entry of the owner of a user namespace
 * @ns: the user namespace of a namespace's network namespace
 *
 * Return: NULL for the initial user namespace (no owner's limits apply
 * there); else the entry of @ns's owner (refcounted: msfs_owner_put() it),
 * or ERR_PTR(-ENOMEM).
 */
struct msfs_owner *msfs_owner_get(struct user_namespace *ns)
{
	struct msfs_owner *o;

	if (ns == &init_user_ns)
		return NULL;
	mutex_lock(&msfs_owners_lock);
	list_for_each_entry(o, &msfs_owners, node)
		if (uid_eq(o->uid, ns->owner)) {
			refcount_inc(&o->ref);
			goto out;
		}
	o = kzalloc(sizeof(*o), GFP_KERNEL_ACCOUNT);
	if (!o) {
		o = ERR_PTR(-ENOMEM);
		goto out;
	}
	o->uid = ns->owner;
	refcount_set(&o->ref, 1);
	list_add(&o->node, &msfs_owners);
out:
	mutex_unlock(&msfs_owners_lock);
	return o;
}

/**
 * msfs_owner_put() - a namespace of an owner has gone
 * @o: the owner's entry, or NULL
 */
void msfs_owner_put(struct msfs_owner *o)
{
	if (!o || !refcount_dec_and_mutex_lock(&o->ref, &msfs_owners_lock))
		return;
	list_del(&o->node);
	mutex_unlock(&msfs_owners_lock);
	kfree(o);
}
