// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: the names the filesystem keeps to itself. Pure code, also
 * built in userspace.
 */
#include "pure.h"

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
