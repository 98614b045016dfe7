// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: a configuration of remote mailslots, and the NetBIOS names
 * it gives this host: those it receives datagrams for, and those the
 * name service answers for.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "internal.h"

#define MSFS_DEFAULT_WORKGROUP	"WORKGROUP"
#define MSFS_DEFAULT_NAME	"MAILSLOTFS"

/**
 * msfs_remote_cfg_default() - the defaults of the remote mount options
 * @cfg: filled in: off, the host name in upper case (its first label, at
 *	most 15 characters; MAILSLOTFS if that makes no NetBIOS name) as
 *	NetBIOS name, WORKGROUP, %MSFS_REMOTE_RATE_DEFAULT datagrams a
 *	second from one source
 *
 * Return: 0.
 */
int msfs_remote_cfg_default(struct msfs_remote_cfg *cfg)
{
	const char *host = utsname()->nodename;
	struct nbt_name n;
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NBT_NAME_LEN - 1 && host[i] && host[i] != '.'; i++)
		cfg->netbios_name[i] = msfs_fold(host[i]);
	/* a host name is any bytes: it must make a name, or this one is used */
	if (nbt_make_name(&n, cfg->netbios_name, i, 0))
		strscpy(cfg->netbios_name, MSFS_DEFAULT_NAME,
			sizeof(cfg->netbios_name));
	strscpy(cfg->workgroup, MSFS_DEFAULT_WORKGROUP, sizeof(cfg->workgroup));
	cfg->rate = MSFS_REMOTE_RATE_DEFAULT;
	return 0;
}

/**
 * msfs_rconf_make() - a configuration, with the names it gives this host
 * @cfg: the options
 *
 * The names, in this order: NAME<00>, NAME<03>, NAME<20>, WORKGROUP<00>
 * (group), which the name service answers for (and wins.c registers);
 * WORKGROUP<1d> and WORKGROUP<1e> (group), which datagrams are also
 * received for. With name servers, their node type (ONT) is H, else B.
 *
 * Return: the configuration (kfree() it a grace period after it was
 * last published), or NULL.
 */
struct msfs_rconf *msfs_rconf_make(const struct msfs_remote_cfg *cfg)
{
	static const struct {
		bool workgroup;
		u8 suffix;
		bool group;
	} spec[MSFS_NAMES] = {
		{ false, NBT_WORKSTATION, false }, { false, NBT_MESSENGER, false },
		{ false, NBT_SERVER, false }, { true, NBT_WORKSTATION, true },
		{ true, NBT_MASTER_BROWSER, false }, { true, NBT_BROWSERS, true },
	};
	struct msfs_rconf *c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	struct nbt_name n;
	const char *text;
	unsigned int i;

	if (!c)
		return NULL;
	c->cfg = *cfg;
	for (i = 0; i < MSFS_NAMES; i++) {
		text = spec[i].workgroup ? cfg->workgroup : cfg->netbios_name;
		nbt_make_name(&n, text, strlen(text), spec[i].suffix);
		memcpy(c->names[i], n.name, NBT_NAME_LEN);
		c->name_flags[i] = NBT_NAME_ACTIVE |
				   (spec[i].group ? NBT_NB_GROUP : 0) |
				   (cfg->nwins ? NBT_NB_ONT_H : 0);
	}
	return c;
}

/**
 * msfs_name_index() - which of this host's names is @n?
 * @c: the configuration
 * @n: a name
 * @answer: look only among the names the name service answers for
 *
 * Return: its index in @c->names, or -1.
 */
int msfs_name_index(const struct msfs_rconf *c, const struct nbt_name *n,
		    bool answer)
{
	unsigned int i, count = answer ? MSFS_NAMES_ANSWERED : MSFS_NAMES;
	struct nbt_name ours = { 0 };

	for (i = 0; i < count; i++) {
		memcpy(ours.name, c->names[i], NBT_NAME_LEN);
		if (nbt_name_eq(&ours, n))
			return i;
	}
	return -1;
}

/**
 * msfs_name_is_ours() - is a datagram to this name for this host?
 * @c: the configuration
 * @n: the destination name
 *
 * Return: true for "*" and for every name this host receives for.
 */
bool msfs_name_is_ours(const struct msfs_rconf *c, const struct nbt_name *n)
{
	return nbt_name_is_star(n) || msfs_name_index(c, n, false) >= 0;
}
