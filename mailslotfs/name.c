// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: mailslot names. Pure code, also built in userspace.
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

/**
 * msfs_name_reserved() - is this name kept out of the local namespace?
 * @name: a name in the root directory
 * @len: its length
 *
 * Names that start with '@' address remote machines
 * (/mailslot/@HOST/NAME); nobody can create them locally.
 *
 * Return: true when @name may not be created in the root directory.
 */
bool msfs_name_reserved(const char *name, size_t len)
{
	return len > 0 && name[0] == '@';
}
