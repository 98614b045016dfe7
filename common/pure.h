/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: what both layers share, below them both (net/ under
 * mailslotfs/): the types that let pure code build in the kernel and in
 * userspace, and the folding and comparison of names, which the
 * filesystem's lookups and the NetBIOS parsers must agree on.
 */
#ifndef _MSFS_COMMON_PURE_H
#define _MSFS_COMMON_PURE_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
#endif

/* name.c */

/**
 * msfs_fold() - fold one name byte for case-insensitive comparison
 * @c: the byte
 *
 * Windows compares mailslot names without regard to case; only ASCII
 * letters fold (the OEM code page of a remote sender is unknown).
 *
 * Return: @c, upper-cased if it is an ASCII lower-case letter.
 */
static inline unsigned char msfs_fold(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? c - ('a' - 'A') : c;
}

bool msfs_name_eq(const char *a, const char *b, size_t len);

#endif /* _MSFS_COMMON_PURE_H */
