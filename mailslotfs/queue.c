// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: the message queue of a slot.
 *
 * Locking
 * =======
 *
 * slot->lock (a spinlock; everything that takes it runs in process
 * context, remote delivery included, so interrupts stay on) protects
 * the message list and what describes it: head, tail, count, bytes, dead,
 * drops, nread, read_timeout, no_remote, max_msg_size, and the lists of
 * sleeping and parked writers. Each of these is written under the lock,
 * but no_remote, a flag on its own that WRITE_ONCE() sets.
 * The fields that a decision may take a moment out of date are also read
 * without the lock, with READ_ONCE(): dead (open, poll and a client's
 * write test it first, and test it again under the lock before
 * queueing), no_remote (delivery drops early; a message racing the ioctl
 * may still arrive, as it could have just before it), read_timeout (a
 * read takes the value of when it started), max_msg_size (a write checks
 * it first, and again under the lock once it has room) and bytes (stat).
 * Everything else is read under it.
 * Nothing sleeps under it and no lock nests inside it except the wait
 * queue locks (wake_up(), prepare_to_wait(), finish_wait()), what
 * waking a task takes (wake_up_process(), and put_task_struct() when a
 * read lets more writers go than it keeps to wake after the lock) and
 * what arming a delayed work takes (queue_delayed_work()). The
 * limits copied into the slot when it is created (max_msg_cap, max_msgs,
 * quota) never change and need no lock.
 *
 * slot->read_mutex serialises the readers of the server file description
 * (threads and processes that share it). A reader holds it from choosing
 * the head message until it has copied it out and unlinked it, so the copy
 * to user memory, which may fault and sleep, happens outside the spinlock
 * and nobody can take the head from under it.
 *
 * A queued message is not modified but for its link to the next one
 * (@next, written and followed under the lock). It is freed by exactly
 * one of:
 *  - the reader that consumed it (under read_mutex, unlinked under lock);
 *  - msfs_slot_kill() from ->release() of the server file: no reader can
 *    be inside read() or ioctl() then, because they hold a reference to
 *    that very file; the list is spliced out under the lock;
 *  - msfs_slot_kill() from ->evict_inode(), when nothing refers to the slot.
 *
 * Remote messages come from the receive work of net/recv.c, which finds
 * the slot in the name index (index.c) under rcu_read_lock(), takes a
 * reference to its inode (igrab()) and leaves the RCU section, then
 * allocates and queues with msfs_enqueue(..., nonblock): it never sleeps
 * there. A slot is freed only after an RCU grace period (->free_inode),
 * and queueing to a slot whose server has gone fails with EPIPE, as for
 * local writers.
 *
 * Each message's memory is charged when it is queued, against its
 * namespace, its user and its owner (account.c: atomic counters that
 * never pass their limits together), and uncharged by whoever frees it.
 *
 * Above the slots, per namespace (super.c, remote.c, index.c):
 * sb->s_umount serialises mount, remount and kill_sb, so the remote
 * options (sbi->rcfg) and the limits change one remount at a time;
 * sbi->remote_lock serialises publishing sbi->remote and writing rcfg
 * against show_options, which does not take s_umount; sbi->lim_seq gives
 * a new slot a consistent set of limits; sbi->idx_lock protects the name
 * index (nothing nests inside it). Switching remote off waits one RCU
 * grace period (net/remote.c), after which no receive work runs and no
 * delivery can reach a slot of the namespace.
 *
 * Races, and what settles each:
 *  1. A writer finds the slot full and sleeps while the reader frees
 *     room: under slot->lock the writer puts itself on the slot's list of
 *     sleeping writers (wsleepers, in order), marks itself asleep and tests
 *     "room or dead", and the reader, under the same lock, changes the
 *     counters and walks that list: the wake-up cannot fall between the
 *     test and the sleep. The list is the writers' own (no wait queue, and
 *     so no wait queue lock with interrupts off, as mqueue's senders):
 *     pollers wait on wwait, so an EPOLLEXCLUSIVE watcher cannot take a
 *     writer's wake-up. Whoever frees room walks the sleeping writers in
 *     order (msfs_wake_writer()) and queues, for each one whose message
 *     fits, its message there and then, as mqueue's receiver does: the
 *     room goes to the writers that waited for it, not to a newcomer that
 *     runs first. It moves each such writer to the slot's list of parked
 *     writers (wparked) without waking it: its write is done, and it
 *     sleeps on until the slot is at most half full, so that, woken, it
 *     writes half a slot before the slot is full again, where it would
 *     sleep once a message. Parked writers go (msfs_unpark()) when a read
 *     leaves the slot at that low-water mark, when the delayed work that
 *     parking arms runs (MSFS_PARK_MAX: a server that reads one message
 *     and then waits for something else does not keep a writer waiting),
 *     and when the server goes. To let a parked writer go, the waker takes
 *     it off the list, takes a reference to its task, sets its @handed
 *     (last, with release) and wakes it once slot->lock is dropped, as
 *     mqueue's wake_q does. A writer that does not fit is passed over,
 *     not woken; one whose queueing is refused (EMSGSIZE, a charge) is
 *     let go at once with the error. A writer let go sees @handed and
 *     returns without taking slot->lock; one that wakes while parked (a
 *     signal, a stale wake-up) takes the lock, sees @parked, takes itself
 *     off the list and returns with its write done (or EPIPE: race 2);
 *     any other wake-up is a spurious one, which every sleep tolerates.
 *     Room grows only where a message is consumed, and there every
 *     sleeping writer that fits is handed it; so a writer that leaves
 *     without being handed (a signal, the server gone) took no room, and
 *     no room goes unused while a writer that fits sleeps: a writer that
 *     slept has no room to pass on when it leaves. Whoever queues a
 *     message, the writer or a waker, wakes the reader side. A queued
 *     message is the slot's: the writer it was queued for never touches
 *     it again (msfs_enqueue() frees only what it did not queue).
 *     Pollers (wwait) are woken when a message is read, if any poll; the
 *     waitqueue_active() test is under slot->lock, which a poller takes
 *     after putting itself on wwait.
 *  2. The server goes while writers sleep: kill sets dead and wakes every
 *     sleeping and parked writer under the lock (each takes itself off
 *     its list, under the lock, so no reference is needed), then cancels
 *     the parking work, which nothing arms on a dead slot and which lets
 *     nobody go there, and wakes every poller; every writer tests dead
 *     under the lock before queueing, and nothing is handed on a dead
 *     slot, so nothing is queued after the kill spliced the list out.
 *     The work is gone before the slot is freed: evict kills it too. A
 *     writer that was parked, let go or not, fails with EPIPE if it finds
 *     the slot dead as it returns and its message went unread with the
 *     slot, which the count of messages read (nread, which no read
 *     changes once the slot is dead) tells; it returns with its write
 *     done if the server read it.
 *  3. The reader sleeps on rwait while a writer queues: the same pattern
 *     as 1, with rwait and "count > 0"; the reader puts itself on rwait
 *     under slot->lock, a server's poll before it takes slot->lock to
 *     test, so the writer's waitqueue_active() under the lock sees both.
 *  4. Two readers race for one message: the one that gets read_mutex
 *     second finds the list empty (or another head) and waits again with
 *     what is left of its timeout.
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include <linux/mailslot.h>

#include "internal.h"
#include "compat.h"

/* a message's objects, by size class (pure.h, limits.c) */
static struct kmem_cache *msfs_msg_caches[MSFS_MSG_NCLASSES];

/* What the first object of a message holds, when a page is not enough. */
#define MSFS_MSG_FIRST	(MSFS_MSG_PAGE - MSFS_MSG_HDR - MSFS_MSG_SEG_HDR)
/* ... and each segment after it */
#define MSFS_MSG_SEG	(MSFS_MSG_PAGE - MSFS_MSG_SEG_HDR)

/**
 * struct msfs_seg - a part of a payload longer than a page
 * @next: the next part
 * @data: up to %MSFS_MSG_SEG bytes of it
 */
struct msfs_seg {
	struct msfs_seg *next;
	u8 data[];
};

static void msfs_unpark_work(struct work_struct *work);

/**
 * msfs_slot_init() - give a new slot the limits of its namespace
 * @slot: the slot, fresh from the inode cache
 * @sbi: its namespace
 *
 * The lock, the lists, the wait queues and the mutex were set up by the
 * inode cache's constructor and are back in that state whenever a slot is
 * freed; the work that lets parked writers go is set up here.
 */
void msfs_slot_init(struct msfs_slot *slot, struct msfs_sb_info *sbi)
{
	u64 lim[MSFS_NR_LIMITS];

	msfs_limits_copy(sbi, lim);
	slot->count = 0;
	slot->bytes = 0;
	slot->dead = false;
	slot->drops = 0;
	slot->nread = 0;
	slot->read_timeout = MAILSLOT_WAIT_FOREVER;
	slot->no_remote = false;
	slot->max_msg_cap = msfs_max_msg_size(lim);
	slot->max_msg_size = slot->max_msg_cap;
	slot->max_msgs = lim[MSFS_SLOT_MSGS];
	slot->quota = lim[MSFS_SLOT_BYTES];
	INIT_DELAYED_WORK(&slot->unpark, msfs_unpark_work);
}

static void *msfs_obj_alloc(size_t size, gfp_t gfp)
{
	return kmem_cache_alloc(msfs_msg_caches[msfs_msg_class(size)], gfp);
}

static void msfs_obj_free(void *obj, size_t size)
{
	kmem_cache_free(msfs_msg_caches[msfs_msg_class(size)], obj);
}

/* Where a message longer than its first object keeps its first segment. */
static struct msfs_seg **msfs_msg_segs(const struct msfs_msg *msg)
{
	return (struct msfs_seg **)&msg->data[MSFS_MSG_FIRST];
}

static bool msfs_msg_chained(size_t len)
{
	return MSFS_MSG_HDR + len > MSFS_MSG_PAGE;
}

/* The size of a message's first object: header, payload or its first
 * page, and a remote sender.
 */
static size_t msfs_msg_first(size_t len, bool remote)
{
	if (msfs_msg_chained(len))
		return MSFS_MSG_PAGE;
	if (remote)
		return MSFS_MSG_HDR + ALIGN(len, 4) + sizeof(struct msfs_from_remote);
	return MSFS_MSG_HDR + len;
}

/* Free the segments of a chained payload of @len bytes. */
static void msfs_segs_free(struct msfs_seg *seg, size_t len)
{
	struct msfs_seg *next;
	size_t n;

	for (len -= MSFS_MSG_FIRST; seg; seg = next, len -= n) {
		n = min_t(size_t, len, MSFS_MSG_SEG);
		next = seg->next;
		msfs_obj_free(seg, MSFS_MSG_SEG_HDR + n);
	}
}

/* The segments for the rest of a payload of @len bytes, or -ENOMEM. */
static int msfs_segs_alloc(struct msfs_msg *msg, size_t len, gfp_t gfp)
{
	struct msfs_seg **tail = msfs_msg_segs(msg);
	size_t n;

	*tail = NULL;
	for (len -= MSFS_MSG_FIRST; len; len -= n) {
		n = min_t(size_t, len, MSFS_MSG_SEG);
		*tail = msfs_obj_alloc(MSFS_MSG_SEG_HDR + n, gfp);
		if (!*tail)
			return -ENOMEM;
		(*tail)->next = NULL;
		tail = &(*tail)->next;
	}
	return 0;
}

/**
 * msfs_msg_alloc() - allocate a message, charged to a memory cgroup
 * @len: payload length
 * @remote: it came from the network (it holds its sender after the
 *	payload; it fits one object)
 * @gfp: GFP_KERNEL, or GFP_NOWAIT where the caller cannot sleep
 *
 * The memory is charged to the caller's memory cgroup, or to the one
 * set_active_memcg() made active. Header, payload and sender take what
 * msfs_msg_charge() says: the payload is not cleared, every byte of it is
 * written before it is queued.
 *
 * Return: the message with its header zeroed, or NULL.
 */
struct msfs_msg *msfs_msg_alloc(size_t len, bool remote, gfp_t gfp)
{
	struct msfs_msg *msg = msfs_obj_alloc(msfs_msg_first(len, remote), gfp);

	if (!msg)
		return NULL;
	memset(msg, 0, sizeof(*msg));
	msg->len = len;
	msg->remote = remote;
	if (msfs_msg_chained(len) && msfs_segs_alloc(msg, len, gfp)) {
		msfs_msg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * msfs_msg_free() - free a message and what it holds
 * @msg: the message, not on any list
 */
void msfs_msg_free(struct msfs_msg *msg)
{
	put_pid(msg->pid);
	if (msfs_msg_chained(msg->len))
		msfs_segs_free(*msfs_msg_segs(msg), msg->len);
	msfs_obj_free(msg, msfs_msg_first(msg->len, msg->remote));
}

/**
 * msfs_msg_remote() - the sender of a remote message
 * @msg: a message allocated with @remote
 *
 * Return: where its sender is kept, after the payload.
 */
struct msfs_from_remote *msfs_msg_remote(const struct msfs_msg *msg)
{
	u32 len = msg->len;

	return (struct msfs_from_remote *)&msg->data[ALIGN(len, 4)];
}

/*
 * Call @fn on each part of @msg's payload, in order, until it fails: the
 * first part in its header's object, the others in segments.
 */
static int msfs_msg_walk(const struct msfs_msg *msg,
			 int (*fn)(u8 *p, size_t n, void *arg), void *arg)
{
	size_t left = msg->len, n = min_t(size_t, left, MSFS_MSG_PAGE - MSFS_MSG_HDR);
	struct msfs_seg *seg = NULL;
	u8 *p = (u8 *)msg->data;
	int err;

	if (msfs_msg_chained(left)) {
		n = MSFS_MSG_FIRST;
		seg = *msfs_msg_segs(msg);
	}
	for (;;) {
		err = n ? fn(p, n, arg) : 0;
		left -= n;
		if (err || !left)
			return err;
		p = seg->data;
		n = min_t(size_t, left, MSFS_MSG_SEG);
		seg = seg->next;
	}
}

static int msfs_part_from_iter(u8 *p, size_t n, void *from)
{
	return copy_from_iter(p, n, from) == n ? 0 : -EFAULT;
}

static int msfs_part_to_iter(u8 *p, size_t n, void *to)
{
	return copy_to_iter(p, n, to) == n ? 0 : -EFAULT;
}

static int msfs_part_to_user(u8 *p, size_t n, void *arg)
{
	u8 __user **buf = arg;

	if (copy_to_user(*buf, p, n))
		return -EFAULT;
	*buf += n;
	return 0;
}

/**
 * msfs_msg_copy_in() - fill a message's payload
 * @msg: the message
 * @from: its @msg->len bytes
 *
 * Return: 0, or -EFAULT.
 */
int msfs_msg_copy_in(struct msfs_msg *msg, struct iov_iter *from)
{
	return msfs_msg_walk(msg, msfs_part_from_iter, from);
}

/**
 * msfs_msg_copy_out() - copy a message's payload out
 * @msg: the message
 * @to: room for @msg->len bytes
 *
 * Return: 0, or -EFAULT.
 */
int msfs_msg_copy_out(const struct msfs_msg *msg, struct iov_iter *to)
{
	return msfs_msg_walk(msg, msfs_part_to_iter, to);
}

/**
 * msfs_msg_copy_to_user() - copy a message's payload to user memory
 * @msg: the message
 * @buf: room for @msg->len bytes
 *
 * Return: 0, or -EFAULT.
 */
int msfs_msg_copy_to_user(const struct msfs_msg *msg, void __user *buf)
{
	return msfs_msg_walk(msg, msfs_part_to_user, &buf);
}

static struct msfs_sb_info *msfs_slot_sbi(const struct msfs_slot *slot)
{
	return MSFS_SB(slot->vfs_inode.i_sb);
}

/* What @msg is charged (account.c). */
static u64 msfs_msg_cost(const struct msfs_msg *msg)
{
	return msfs_msg_charge(msg->len, msg->remote);
}

/*
 * The VFS answers FIONREAD on a regular file itself, with i_size - f_pos,
 * and f_pos of a slot file stays 0: so i_size holds the length of the next
 * message (0 when none), and getattr reports the bytes queued as st_size.
 * Called with slot->lock held, after the list changed.
 */
static void msfs_update_next_size(struct msfs_slot *slot)
{
	i_size_write(&slot->vfs_inode, slot->head ? slot->head->len : 0);
}

/* Called with slot->lock held. */
static bool msfs_room(const struct msfs_slot *slot, size_t len)
{
	return slot->count < slot->max_msgs && slot->bytes + len <= slot->quota;
}

/* Put @msg at the tail, charged. Called with slot->lock held. */
static int msfs_queue_tail(struct msfs_slot *slot, struct msfs_msg *msg)
{
	int err;

	/* the server may have lowered the largest message while it waited */
	if (msg->len > slot->max_msg_size)
		return -EMSGSIZE;
	err = msfs_charge_bytes(msfs_slot_sbi(slot), msg->user,
				msfs_msg_cost(msg));
	if (err)
		return err;
	msg->next = NULL;
	*slot->tail = msg;
	slot->tail = &msg->next;
	slot->count++;
	slot->bytes += msg->len;
	if (slot->count == 1)
		msfs_update_next_size(slot);
	msfs_touch_mtime(&slot->vfs_inode);
	return 0;
}

/**
 * struct msfs_wsleep - a writer asleep on slot->wsleepers
 * @node: its place in the list, under slot->lock
 * @task: the writer
 * @msg: its message
 * @handed: the waker queued @msg for it, or tried to: see @err; set
 *	last, with release, and read first, with acquire
 * @parked: the waker queued @msg and left the writer asleep on
 *	slot->wparked, under slot->lock
 * @seq: when parked, the slot's @nread once @msg has been read
 * @err: what msfs_queue_tail() said, once @handed
 */
struct msfs_wsleep {
	struct list_head node;
	struct task_struct *task;
	struct msfs_msg *msg;
	bool handed;
	bool parked;
	u64 seq;
	int err;
};

/* The writers to wake once slot->lock is dropped, as a wake_q holds them. */
#define MSFS_WAKES	8
struct msfs_wakes {
	struct task_struct *task[MSFS_WAKES];
	unsigned int n;
};

/* Wake @task now or after the unlock; we hold a reference to it. */
static void msfs_wakes_add(struct msfs_wakes *wk, struct task_struct *task)
{
	if (wk->n < MSFS_WAKES) {
		wk->task[wk->n++] = task;
		return;
	}
	wake_up_process(task);
	put_task_struct(task);
}

/* Wake the writers collected under slot->lock, which is dropped now. */
static void msfs_wakes_run(struct msfs_wakes *wk)
{
	unsigned int i;

	for (i = 0; i < wk->n; i++) {
		wake_up_process(wk->task[i]);
		put_task_struct(wk->task[i]);
	}
}

/* Let @w go with its write done (or refused): it may leave at once. */
static void msfs_release(struct msfs_wsleep *w, struct msfs_wakes *wk)
{
	struct task_struct *task = w->task;

	list_del(&w->node);
	get_task_struct(task);
	/* pairs with msfs_sleep_room(): @w may vanish once it sees this */
	smp_store_release(&w->handed, true);
	msfs_wakes_add(wk, task);
}

/* Let every parked writer go. Lock held. */
static void msfs_unpark(struct msfs_slot *slot, struct msfs_wakes *wk)
{
	struct msfs_wsleep *w, *next;

	list_for_each_entry_safe(w, next, &slot->wparked, node)
		msfs_release(w, wk);
}

/*
 * A writer parked on slot->wparked goes when the slot is at most half
 * full (as a socket's writer is woken when half of its send buffer is
 * free: then it writes half a slot before it sleeps again, where it would
 * sleep once a message), or at the latest this long after it parked.
 */
#define MSFS_PARK_MAX	msecs_to_jiffies(10)

/* Whether parked writers go now. Lock held. */
static bool msfs_low_water(const struct msfs_slot *slot)
{
	return slot->count <= slot->max_msgs / 2 &&
	       slot->bytes <= slot->quota / 2;
}

/*
 * Queue the message of the sleeping writer @w, which fits, and park it:
 * its write is done, and it stays asleep until the slot is half empty.
 * A refusal lets it go at once. Lock held. Return: whether it parked.
 */
static bool msfs_hand(struct msfs_slot *slot, struct msfs_wsleep *w,
		      struct msfs_wakes *wk)
{
	w->msg->stamp = ktime_get_real();
	w->err = msfs_queue_tail(slot, w->msg);
	if (w->err) {
		msfs_release(w, wk);
		return false;
	}
	w->parked = true;
	w->seq = slot->nread + slot->count;	/* read when nread gets there */
	list_move_tail(&w->node, &slot->wparked);
	return true;
}

/*
 * Hand the room to the sleeping writers whose messages fit, in the order
 * they went to sleep, as mqueue's receiver completes a waiting sender's
 * send: the room goes to the writers that waited for it, not to whoever
 * runs first. Each is parked with its message queued, or woken with the
 * refusal (a charge, EMSGSIZE); the parked ones go at the low-water mark,
 * or when the work that parking arms runs. Lock held; @wk are woken after
 * it is dropped. Return: whether it queued a message.
 */
static bool msfs_wake_writer(struct msfs_slot *slot, struct msfs_wakes *wk)
{
	struct msfs_wsleep *w, *next;
	unsigned int count = slot->count;
	bool parked = false;

	if (slot->dead)		/* the kill woke them all */
		return false;
	list_for_each_entry_safe(w, next, &slot->wsleepers, node)
		if (msfs_room(slot, w->msg->len))
			parked |= msfs_hand(slot, w, wk);
	if (msfs_low_water(slot))
		msfs_unpark(slot, wk);
	else if (parked)
		queue_delayed_work(system_unbound_wq, &slot->unpark,
				   MSFS_PARK_MAX);
	return slot->count != count;
}

/* A reader that stopped short of half empty lets parked writers go. */
static void msfs_unpark_work(struct work_struct *work)
{
	struct msfs_slot *slot = container_of(to_delayed_work(work),
					      struct msfs_slot, unpark);
	struct msfs_wakes wk = { .n = 0 };

	spin_lock(&slot->lock);
	if (!slot->dead)	/* the kill woke them: they leave themselves */
		msfs_unpark(slot, &wk);
	spin_unlock(&slot->lock);
	msfs_wakes_run(&wk);
}

/* Drop slot->lock, and wake the reader when @queued and it waits: race 3. */
static void msfs_unlock_queued(struct msfs_slot *slot, bool queued)
	__releases(&slot->lock)
{
	/* the reader is on rwait under slot->lock, a poller before: race 3 */
	bool reader = queued && waitqueue_active(&slot->rwait);

	spin_unlock(&slot->lock);
	if (reader)
		wake_up_interruptible_poll(&slot->rwait, EPOLLIN | EPOLLRDNORM);
}

/*
 * A parked writer woke (a signal, the server gone, a stale wake-up): it
 * takes itself off the list, its write done. Lock held.
 */
static void msfs_leave_parked(struct msfs_wsleep *w)
{
	list_del(&w->node);
	w->handed = true;	/* its own: nobody else sees @w now */
}

/*
 * Whether the server went without reading the message that a waker
 * queued for @w while it slept (@parked), before the writer returned:
 * then it fails with EPIPE, as every writer still waiting does. Nothing
 * is read once the slot is dead, so the answer does not change.
 */
static bool msfs_parked_lost(struct msfs_slot *slot,
			     const struct msfs_wsleep *w)
{
	bool lost;

	if (!w->parked || !READ_ONCE(slot->dead))
		return false;
	spin_lock(&slot->lock);
	lost = slot->nread < w->seq;
	spin_unlock(&slot->lock);
	return lost;
}

/*
 * Sleep until @msg is queued by a waker, it fits, or the server goes;
 * once a waker queued @msg, sleep on parked until let go (race 1).
 * Called with slot->lock held; returns with it dropped. A writer that a
 * waker let go returns without taking the lock again: the waker took it
 * off the list first and set @handed last. One that wakes parked takes
 * itself off the list.
 *
 * Return: 1 (a waker queued @msg: it is the slot's now), 2 (the same,
 * but the server went without reading it), 0 (the server went, or room
 * came that no waker handed it, which race 1 rules out: look again), or
 * an error: the waker's refusal, -ERESTARTSYS.
 */
static int msfs_sleep_room(struct msfs_slot *slot, struct msfs_msg *msg)
	__releases(&slot->lock)
{
	struct msfs_wsleep w = { .task = current, .msg = msg };
	int ret = 0;

	list_add_tail(&w.node, &slot->wsleepers);
	for (;;) {
		/* the waker acts under slot->lock: no wake-up falls between */
		__set_current_state(TASK_INTERRUPTIBLE);
		if (slot->dead || msfs_room(slot, msg->len))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		spin_unlock(&slot->lock);
		schedule();
		/* pairs with msfs_hand(): w.err and the queueing first */
		if (smp_load_acquire(&w.handed))
			goto handed;
		spin_lock(&slot->lock);
		if (w.parked && !w.handed)
			msfs_leave_parked(&w);
		if (w.handed) {
			spin_unlock(&slot->lock);
			goto handed;
		}
	}
	__set_current_state(TASK_RUNNING);
	list_del(&w.node);
	spin_unlock(&slot->lock);
	return ret;
handed:
	__set_current_state(TASK_RUNNING);
	if (msfs_parked_lost(slot, &w))
		return 2;
	return w.err ? w.err : 1;
}

/* Queue @msg if it fits. Lock held. 0, -EPIPE, -EAGAIN (no room) or a refusal. */
static int msfs_try_queue(struct msfs_slot *slot, struct msfs_msg *msg)
{
	if (slot->dead)
		return -EPIPE;
	if (!msfs_room(slot, msg->len))
		return -EAGAIN;
	return msfs_queue_tail(slot, msg);
}

/**
 * msfs_enqueue() - queue a message at the tail of a slot
 * @slot: the slot
 * @msg: the message: the slot's once queued, freed here when not
 * @nonblock: fail with EAGAIN rather than wait for room
 *
 * Waits (interruptibly) while the slot is full. A writer that waited
 * may fail with EPIPE after its message was queued: the server went
 * without reading it, and the message went with the slot.
 *
 * Return: 0; -EPIPE when the server has gone; -EAGAIN when full and
 * @nonblock; -EMSGSIZE when the server lowered the slot's largest
 * message below it meanwhile; -ENOBUFS when the namespace budget is
 * spent; -EDQUOT when the share of the user it counts for (@msg->user)
 * is; -ERESTARTSYS.
 */
int msfs_enqueue(struct msfs_slot *slot, struct msfs_msg *msg, bool nonblock)
{
	int err;

	/* read the clock (a slow one, maybe) before, not under, the lock */
	msg->stamp = ktime_get_real();
	spin_lock(&slot->lock);
	for (;;) {
		err = msfs_try_queue(slot, msg);
		if (err != -EAGAIN || nonblock)
			break;
		err = msfs_sleep_room(slot, msg);	/* drops slot->lock */
		/* > 0: a reader queued it (@msg may be gone already) */
		if (err > 0)
			return err == 1 ? 0 : -EPIPE;
		if (err)
			goto free;
		msg->stamp = ktime_get_real();	/* queued now, not before */
		spin_lock(&slot->lock);
	}
	msfs_unlock_queued(slot, !err);
	if (!err)
		return 0;
free:
	msfs_msg_free(msg);
	return err;
}

/* How long a reader may wait, in jiffies. */
static long msfs_read_timeout(struct msfs_slot *slot, bool nonblock)
{
	s32 ms = READ_ONCE(slot->read_timeout);

	if (nonblock)
		return 0;
	if (ms == MAILSLOT_WAIT_FOREVER)
		return MAX_SCHEDULE_TIMEOUT;
	return msecs_to_jiffies(ms);
}

/*
 * Sleep until a message is queued, for at most @timeout jiffies. Called
 * with slot->lock held, which is dropped while asleep.
 *
 * Return: what is left of @timeout, at least 1, once there is a message;
 * 0 when the time ran out first; -ERESTARTSYS on a signal.
 */
static long msfs_sleep_msg(struct msfs_slot *slot, long timeout)
{
	DEFINE_WAIT(w);

	for (;;) {
		prepare_to_wait(&slot->rwait, &w, TASK_INTERRUPTIBLE);
		if (slot->count || !timeout || signal_pending(current))
			break;
		spin_unlock(&slot->lock);
		timeout = schedule_timeout(timeout);
		spin_lock(&slot->lock);
	}
	finish_wait(&slot->rwait, &w);
	if (slot->count)
		return max(timeout, 1L);
	return timeout ? -ERESTARTSYS : 0;
}

/*
 * Wait until a message is queued; *@timeout is what is left of the wait,
 * and stays as it is when a message is already there.
 */
static int msfs_wait_msg(struct msfs_slot *slot, long *timeout)
{
	long left;

	spin_lock(&slot->lock);
	if (slot->count) {
		spin_unlock(&slot->lock);
		return 0;
	}
	left = *timeout ? msfs_sleep_msg(slot, *timeout) : 0;
	spin_unlock(&slot->lock);
	if (left < 0)	/* a signal; sockets restart only untimed waits */
		return *timeout == MAX_SCHEDULE_TIMEOUT ? -ERESTARTSYS : -EINTR;
	if (!left)
		return -EAGAIN;
	if (*timeout != MAX_SCHEDULE_TIMEOUT)
		*timeout = left;
	return 0;
}

/*
 * Unlink and free the head message, which the caller has copied out. The
 * room it leaves goes to the sleeping writers whose messages fit, and is
 * told to every client that polls; what that queued is told to the
 * reader side.
 */
static void msfs_consume(struct msfs_slot *slot, struct msfs_msg *msg)
{
	struct msfs_wakes wk = { .n = 0 };
	bool pollers, queued;

	spin_lock(&slot->lock);
	slot->head = msg->next;	/* @msg is the head: see msfs_take_head() */
	if (!slot->head)
		slot->tail = &slot->head;
	slot->count--;
	slot->bytes -= msg->len;
	slot->nread++;
	msfs_update_next_size(slot);
	msfs_uncharge_bytes(msfs_slot_sbi(slot), msg->user, msfs_msg_cost(msg));
	queued = msfs_wake_writer(slot, &wk);
	/* pollers are on wwait before they take slot->lock: race 1 */
	pollers = waitqueue_active(&slot->wwait);
	msfs_unlock_queued(slot, queued);
	msfs_wakes_run(&wk);
	if (pollers)
		wake_up_interruptible_poll(&slot->wwait, EPOLLOUT | EPOLLWRNORM);
	msfs_msg_free(msg);
}

/* Called with read_mutex held. -ENOMSG: nothing is queued. */
static ssize_t msfs_take_head(struct msfs_slot *slot, struct msfs_rx *rx)
{
	struct msfs_msg *msg;
	ssize_t len;
	int err;

	spin_lock(&slot->lock);
	msg = slot->head;
	spin_unlock(&slot->lock);
	if (!msg)
		return -ENOMSG;
	len = msg->len;
	rx->msg_len = len;
	if (len > rx->buf_len)
		return -EMSGSIZE;
	err = rx->copy(msg, rx->arg);
	if (err)
		return err;
	if (!rx->peek)
		msfs_consume(slot, msg);
	return len;
}

/**
 * msfs_dequeue() - hand the next message to a reader
 * @slot: the slot
 * @rx: the reader's buffer size, flags and copy function
 *
 * Waits for a message as the slot's read timeout and @rx->nonblock say.
 * A message is consumed only once @rx->copy succeeded; a buffer that is
 * too small, or a failed copy, leaves it queued.
 *
 * Return: the message length; -EAGAIN (nothing queued and no time left to
 * wait); -EMSGSIZE (@rx->msg_len says how much room it needs); the error of
 * @rx->copy; -EINTR or -ERESTARTSYS.
 */
ssize_t msfs_dequeue(struct msfs_slot *slot, struct msfs_rx *rx)
{
	long timeout = msfs_read_timeout(slot, rx->nonblock);
	ssize_t ret;

	/* a busy slot has a message: take it first, and wait only if not */
	for (;;) {
		if (mutex_lock_interruptible(&slot->read_mutex))
			return -ERESTARTSYS;
		ret = msfs_take_head(slot, rx);
		mutex_unlock(&slot->read_mutex);
		if (ret != -ENOMSG)
			return ret;
		ret = msfs_wait_msg(slot, &timeout);
		if (ret)
			return ret;
	}
}

/**
 * msfs_slot_kill() - the server has gone: empty the slot for good
 * @slot: the slot
 *
 * Frees every queued message, makes later and sleeping writers fail with
 * EPIPE, as parked ones whose messages it frees unread (race 2), and
 * tells pollers. See the locking comment for why no reader can be
 * running.
 */
void msfs_slot_kill(struct msfs_slot *slot)
{
	struct msfs_sb_info *sbi = msfs_slot_sbi(slot);
	struct msfs_msg *msg, *next;
	struct msfs_wsleep *w;

	spin_lock(&slot->lock);
	slot->dead = true;
	msg = slot->head;
	slot->head = NULL;
	slot->tail = &slot->head;
	slot->count = 0;
	slot->bytes = 0;
	msfs_update_next_size(slot);
	/* they leave the list themselves, under the lock: no reference */
	list_for_each_entry(w, &slot->wsleepers, node)
		wake_up_process(w->task);
	list_for_each_entry(w, &slot->wparked, node)
		wake_up_process(w->task);
	spin_unlock(&slot->lock);
	cancel_delayed_work_sync(&slot->unpark);
	wake_up_interruptible_poll(&slot->wwait, EPOLLERR | EPOLLHUP);
	for (; msg; msg = next) {
		next = msg->next;
		msfs_uncharge_bytes(sbi, msg->user, msfs_msg_cost(msg));
		msfs_msg_free(msg);
	}
}

/**
 * msfs_slot_info() - a consistent snapshot of a slot's state
 * @slot: the slot
 * @info: filled in; the caller sets the flags that depend on its file
 */
void msfs_slot_info(struct msfs_slot *slot, struct mailslot_info *info)
{
	memset(info, 0, sizeof(*info));
	spin_lock(&slot->lock);
	info->next_size = slot->head ? slot->head->len : MAILSLOT_NO_MESSAGE;
	info->msg_count = slot->count;
	info->queued_bytes = slot->bytes;
	info->read_timeout = slot->read_timeout;
	info->drops = slot->drops;
	if (slot->dead)
		info->flags |= MAILSLOT_INFO_ORPHANED;
	if (slot->no_remote)
		info->flags |= MAILSLOT_INFO_NO_REMOTE;
	info->max_msg_size = slot->max_msg_size;
	spin_unlock(&slot->lock);
	info->max_msgs = slot->max_msgs;
	info->quota_bytes = slot->quota;
}

/**
 * msfs_set_read_timeout() - SetMailslotInfo
 * @slot: the slot
 * @ms: milliseconds, 0, or %MAILSLOT_WAIT_FOREVER
 *
 * Applies to reads that start afterwards.
 *
 * Return: 0, or -EINVAL for another negative value.
 */
int msfs_set_read_timeout(struct msfs_slot *slot, s32 ms)
{
	if (ms < MAILSLOT_WAIT_FOREVER)
		return -EINVAL;
	spin_lock(&slot->lock);
	slot->read_timeout = ms;
	spin_unlock(&slot->lock);
	return 0;
}

/**
 * msfs_set_max_msg_size() - CreateMailslot's nMaxMessageSize
 * @slot: the slot
 * @size: the largest message; 0, or more than the slot was made with,
 *	is that maximum ("any size", as Windows' 0)
 *
 * Applies to writes and deliveries that check the size afterwards; the
 * messages queued stay, whatever their size.
 */
void msfs_set_max_msg_size(struct msfs_slot *slot, u32 size)
{
	if (!size || size > slot->max_msg_cap)
		size = slot->max_msg_cap;
	spin_lock(&slot->lock);
	WRITE_ONCE(slot->max_msg_size, size);
	spin_unlock(&slot->lock);
}

/**
 * msfs_slot_dropped() - count a remote datagram dropped for a slot
 * @slot: the slot
 */
void msfs_slot_dropped(struct msfs_slot *slot)
{
	spin_lock(&slot->lock);
	slot->drops++;
	spin_unlock(&slot->lock);
}

/**
 * msfs_slot_poll() - poll events of a slot, for the server or a client
 * @slot: the slot
 * @server: whether the asking file is the server
 * @len: for a client, the size of its last write (0 before the first)
 *
 * A client is told it may write when a message of @len bytes would be
 * queued now: so that a level-triggered poll of a writer whose message
 * did not fit does not report room it cannot use.
 *
 * Return: %EPOLLIN for the server while a message is queued; for a client
 * %EPOLLOUT while a message of @len bytes fits, %EPOLLERR | %EPOLLHUP
 * once the server has gone.
 */
__poll_t msfs_slot_poll(struct msfs_slot *slot, bool server, size_t len)
{
	__poll_t mask = 0;

	spin_lock(&slot->lock);
	if (server) {
		if (slot->count)
			mask = EPOLLIN | EPOLLRDNORM;
	} else if (slot->dead) {
		mask = EPOLLERR | EPOLLHUP;
	} else if (msfs_room(slot, len)) {
		mask = EPOLLOUT | EPOLLWRNORM;
	}
	spin_unlock(&slot->lock);
	return mask;
}

/**
 * msfs_queue_cache_init() - make the caches of messages' objects
 *
 * One per size class, accounted to memory cgroups.
 *
 * Return: 0, or -ENOMEM.
 */
int msfs_queue_cache_init(void)
{
	char name[32];
	int i;

	BUILD_BUG_ON(sizeof(struct msfs_msg) != MSFS_MSG_HDR);
	BUILD_BUG_ON(sizeof(struct msfs_from_remote) != MSFS_MSG_REMOTE);
	BUILD_BUG_ON(sizeof(struct msfs_seg) != MSFS_MSG_SEG_HDR);
	BUILD_BUG_ON(MSFS_MSG_HDR + NBT_DGM_MAX + MSFS_MSG_REMOTE > MSFS_MSG_PAGE);
	for (i = 0; i < MSFS_MSG_NCLASSES; i++) {
		snprintf(name, sizeof(name), "mailslotfs_msg_%u",
			 msfs_msg_classes[i]);
		/* user data lands anywhere past the header: all of it */
		msfs_msg_caches[i] =
			kmem_cache_create_usercopy(name, msfs_msg_classes[i], 0,
						   SLAB_ACCOUNT, 0,
						   msfs_msg_classes[i], NULL);
		if (!msfs_msg_caches[i]) {
			msfs_queue_cache_exit();
			return -ENOMEM;
		}
	}
	return 0;
}

void msfs_queue_cache_exit(void)
{
	int i;

	for (i = 0; i < MSFS_MSG_NCLASSES; i++)
		kmem_cache_destroy(msfs_msg_caches[i]);
}
