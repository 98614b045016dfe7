// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: names compared as Windows compares them, by the filesystem
 * and by the NetBIOS parsers alike. Pure code, also built in userspace.
 */
#include "pure.h"

/**
 * msfs_name_eq() - compare two names of the same length, ignoring case
 * @a: first name
 * @b: second name
 * @len: length of both
 *
 * Return: true when the names are equal after ASCII case folding.
 */
bool msfs_name_eq(const char *a, const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (msfs_fold(a[i]) != msfs_fold(b[i]))
			return false;
	return true;
}
