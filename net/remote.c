// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: remote mailslots switched on in a namespace: one kernel UDP
 * socket on port 138 (datagrams) and one on 137 (the name service of a B
 * node), what they receive going up to the owner through its operations.
 *
 * Lifetime: msfs_remote_start() gives the owner (the filesystem) the
 * first reference; senders take more with msfs_remote_tryget(), under
 * RCU, from wherever the owner publishes it. msfs_remote_stop(), after
 * the owner unpublished it, unhooks both sockets, waits one grace period
 * (after which no callback can queue their work), waits for the work and
 * drops the owner's reference. The sockets are closed with the last
 * reference, and the structure freed a grace period after that.
 *
 * The configuration is a struct msfs_rconf under RCU: a remount that
 * changes remote options swaps it whole (msfs_remote_reconfigure()),
 * keeping the sockets, so that remote never goes off in between.
 */
#include <linux/random.h>
#include <linux/slab.h>

#include "internal.h"

static void msfs_remote_release(struct kref *ref)
{
	struct msfs_remote *r = container_of(ref, struct msfs_remote, ref);

	msfs_rsock_release(&r->dgm);
	msfs_rsock_release(&r->ns);
	kfree(rcu_dereference_protected(r->conf, true));
	kfree_rcu(r, rcu);
}

/**
 * msfs_remote_put() - drop a reference to a remote state
 * @r: the state
 */
void msfs_remote_put(struct msfs_remote *r)
{
	kref_put(&r->ref, msfs_remote_release);
}

/**
 * msfs_remote_tryget() - take a reference, unless the last one has gone
 * @r: a remote state found under rcu_read_lock()
 *
 * Return: true when the caller now holds a reference.
 */
bool msfs_remote_tryget(struct msfs_remote *r)
{
	return kref_get_unless_zero(&r->ref);
}

static struct msfs_remote *msfs_remote_alloc(struct net *net,
					     const struct msfs_remote_cfg *cfg)
{
	struct msfs_remote *r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	struct msfs_rconf *c = msfs_rconf_make(cfg);

	if (!r || !c) {
		kfree(c);
		kfree(r);
		return NULL;
	}
	kref_init(&r->ref);
	r->net = net;
	mutex_init(&r->conf_lock);
	RCU_INIT_POINTER(r->conf, c);
	msfs_limiter_init(&r->dgm_rate, cfg->rate);
	msfs_limiter_init(&r->ns_rate, cfg->rate);
	spin_lock_init(&r->reply_lock);
	r->replies = (struct msfs_bucket){ 2 * MSFS_NS_REPLY_RATE, jiffies };
	r->server_replies = r->replies;
	mutex_init(&r->cache_lock);
	atomic_set(&r->dgm_id, get_random_u32());
	msfs_wins_init(r);
	return r;
}

/**
 * msfs_remote_start() - switch remote mailslots on in a namespace
 * @net: the network namespace
 * @cfg: the options
 * @ops: how received writes go up to @owner
 * @owner: given to @ops
 *
 * Binds UDP 138 (required) and 137 (if free: else this host does not
 * answer name queries, and a log line says so).
 *
 * Return: the remote state, with one reference for the caller; or
 * ERR_PTR(-EADDRINUSE) when port 138 is taken (a log line says so), or
 * another error of socket creation.
 */
struct msfs_remote *msfs_remote_start(struct net *net,
				      const struct msfs_remote_cfg *cfg,
				      const struct msfs_remote_ops *ops,
				      void *owner)
{
	struct msfs_remote *r = msfs_remote_alloc(net, cfg);
	int err;

	if (!r)
		return ERR_PTR(-ENOMEM);
	r->ops = ops;
	r->owner = owner;
	err = msfs_rsock_open(r, &r->dgm, NBT_DGM_PORT, msfs_dgm_handle, 0);
	if (err)
		goto fail;
	err = msfs_rsock_open(r, &r->ns, NBT_NS_PORT, msfs_ns_handle,
			      msfs_ns_scratch_size());
	if (err == -EADDRINUSE)
		pr_info_ratelimited("mailslotfs: UDP port 137 is taken in this network namespace: not answering name queries for %s\n",
				    cfg->netbios_name);
	else if (err)
		pr_info_ratelimited("mailslotfs: not answering name queries (error %d)\n",
				    err);
	msfs_wins_start(r);
	return r;
fail:
	if (err == -EADDRINUSE)
		pr_warn_ratelimited("mailslotfs: UDP port 138 is taken in this network namespace (by Samba's nmbd?); remote mailslots need it\n");
	msfs_remote_put(r);
	return ERR_PTR(err);
}

/* UDP 137, if it could not be had before (nmbd had it, say): try again. */
static void msfs_remote_ns_retry(struct msfs_remote *r)
{
	if (!r->ns.sock)
		msfs_rsock_open(r, &r->ns, NBT_NS_PORT, msfs_ns_handle,
				msfs_ns_scratch_size());
}

/* What was resolved under other names may be this host's, or no more. */
static void msfs_cache_flush(struct msfs_remote *r)
{
	mutex_lock(&r->cache_lock);
	memset(r->cache, 0, sizeof(r->cache));
	mutex_unlock(&r->cache_lock);
}

/**
 * msfs_remote_reconfigure() - new options for a running remote state
 * @r: the state, under its owner's serialisation of start, stop and this
 * @cfg: the options (@cfg->on: remote stays on)
 *
 * Receiving and sending go on with the same sockets; each packet and
 * each write sees either the old options or the new ones, whole. A new
 * name, workgroup or name servers empty the cache of resolved names (one
 * of them may have been this host's old name, or a server's answer); UDP
 * 137 is bound now if it could not be at the start; new name servers or
 * names are registered anew (wins.c). The old options are freed a grace
 * period later, waited for here: a remount is slow anyway, and a storm of
 * them holds no memory.
 *
 * Return: 0, or -ENOMEM (the old options stay).
 */
int msfs_remote_reconfigure(struct msfs_remote *r,
			    const struct msfs_remote_cfg *cfg)
{
	struct msfs_rconf *c = msfs_rconf_make(cfg), *old;
	bool renamed;

	if (!c)
		return -ENOMEM;
	mutex_lock(&r->conf_lock);
	old = rcu_replace_pointer(r->conf, c, lockdep_is_held(&r->conf_lock));
	mutex_unlock(&r->conf_lock);
	renamed = strcmp(old->cfg.netbios_name, cfg->netbios_name) ||
		  strcmp(old->cfg.workgroup, cfg->workgroup) ||
		  old->cfg.nwins != cfg->nwins ||
		  memcmp(old->cfg.wins, cfg->wins, sizeof(cfg->wins));
	synchronize_rcu();
	if (renamed)
		msfs_cache_flush(r);
	msfs_remote_ns_retry(r);
	msfs_wins_reconfigure(r, old);
	kfree(old);
	return 0;
}

/**
 * msfs_remote_stop() - switch remote mailslots off
 * @r: the state, which its owner no longer publishes
 *
 * Nothing is received, and the owner's deliver() is not called by the
 * receive work, once this returns; the names registered with WINS are
 * released (one packet each, not waited for); the sockets go with the
 * last sender.
 */
void msfs_remote_stop(struct msfs_remote *r)
{
	msfs_rsock_unhook(&r->dgm);
	msfs_rsock_unhook(&r->ns);
	synchronize_rcu();	/* no msfs_data_ready() queues work now */
	msfs_rsock_quiesce(&r->dgm);
	msfs_rsock_quiesce(&r->ns);
	msfs_wins_stop(r);
	msfs_remote_put(r);
}

int msfs_remote_init(void)
{
	return msfs_sock_init();
}

void msfs_remote_exit(void)
{
	msfs_sock_exit();
}
