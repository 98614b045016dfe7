/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmailslot: what its files share and do not export.
 */
#ifndef MSL_INTERNAL_H
#define MSL_INTERNAL_H

#include "mailslot_win.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* names.c: pure */
int msl_parse_mount_line(const char *line, char *out, size_t len);

/* mailslot.c */
ssize_t msl_write_nosigpipe(int fd, const void *buf, size_t len);

#endif /* MSL_INTERNAL_H */
