// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: what each network namespace keeps whether or not it has a
 * mailslotfs mount: the counters of the remote transport, shown in
 * /proc/net/mailslot. Creating a network namespace never fails because
 * of them: the file is only missing if it could not be made.
 */
#include <linux/atomic.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "remote.h"

struct msfs_net {
	atomic64_t cnt[MSFS_NR_COUNTERS];
};

static unsigned int msfs_net_id __read_mostly;

static const char * const msfs_counter_names[MSFS_NR_COUNTERS] = {
	[MSFS_RECEIVED]		= "received",
	[MSFS_DELIVERED]	= "delivered",
	[MSFS_DROP_MALFORMED]	= "dropped_malformed",
	[MSFS_DROP_FRAGMENT]	= "dropped_fragment",
	[MSFS_DROP_NOT_MAILSLOT] = "dropped_not_mailslot",
	[MSFS_DROP_NOT_FOR_US]	= "dropped_not_for_us",
	[MSFS_DROP_NO_SLOT]	= "dropped_no_slot",
	[MSFS_DROP_REFUSED]	= "dropped_slot_refuses_remote",
	[MSFS_DROP_NOT_ALLOWED]	= "dropped_sender_not_allowed",
	[MSFS_DROP_TOO_BIG]	= "dropped_too_big",
	[MSFS_DROP_SLOT_FULL]	= "dropped_slot_full",
	[MSFS_DROP_BUDGET]	= "dropped_namespace_budget",
	[MSFS_DROP_RATE_LIMIT]	= "dropped_rate_limit",
	[MSFS_DROP_NOMEM]	= "dropped_no_memory",
	[MSFS_SENT]		= "sent",
	[MSFS_SEND_ERRORS]	= "send_errors",
	[MSFS_NS_ANSWERED]	= "name_queries_answered",
	[MSFS_NS_PACKETS]	= "name_packets",
	[MSFS_NS_REFUSED]	= "name_queries_refused",
	[MSFS_NS_LIMITED]	= "name_replies_limited",
	[MSFS_NS_IGNORED]	= "name_packets_ignored",
	[MSFS_DROP_QUOTA]	= "dropped_user_quota",
	[MSFS_DROP_LOCAL_SENDER] = "dropped_local_sender",
	[MSFS_LOOPED_BACK]	= "looped_back",
	[MSFS_WINS_REGISTRATIONS] = "wins_registrations",
	[MSFS_WINS_REFRESHES]	= "wins_refreshes",
	[MSFS_WINS_CONFLICTS]	= "wins_conflicts",
	[MSFS_WINS_QUERIES]	= "wins_queries",
	[MSFS_WINS_ANSWERS]	= "wins_answers",
};

/**
 * msfs_count() - count one event of a network namespace
 * @net: the namespace
 * @c: the counter
 */
void msfs_count(struct net *net, enum msfs_counter c)
{
	struct msfs_net *mn = net_generic(net, msfs_net_id);

	atomic64_inc(&mn->cnt[c]);
}

static int msfs_counters_show(struct seq_file *m, void *v)
{
	struct msfs_net *mn = net_generic(seq_file_single_net(m), msfs_net_id);
	int i;

	for (i = 0; i < MSFS_NR_COUNTERS; i++)
		seq_printf(m, "%s %lld\n", msfs_counter_names[i],
			   (long long)atomic64_read(&mn->cnt[i]));
	return 0;
}

static int __net_init msfs_net_init(struct net *net)
{
	if (!proc_create_net_single("mailslot", 0444, net->proc_net,
				    msfs_counters_show, NULL))
		pr_warn_once("mailslotfs: cannot create /proc/net/mailslot\n");
	return 0;
}

static void __net_exit msfs_net_exit(struct net *net)
{
	remove_proc_entry("mailslot", net->proc_net);
}

static struct pernet_operations msfs_net_ops = {
	.init = msfs_net_init,
	.exit = msfs_net_exit,
	.id = &msfs_net_id,
	.size = sizeof(struct msfs_net),
};

int msfs_netns_init(void)
{
	return register_pernet_subsys(&msfs_net_ops);
}

void msfs_netns_exit(void)
{
	unregister_pernet_subsys(&msfs_net_ops);
}
