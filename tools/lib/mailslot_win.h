/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmailslot: Windows mailslots on Linux, with the calls of Windows.
 *
 * A small library for porting Windows programs that use mailslots to
 * mailslotfs: CreateMailslot, GetMailslotInfo, SetMailslotInfo, reading
 * and writing, and the names \\.\mailslot\NAME, \\HOST\mailslot\NAME,
 * \\*\mailslot\NAME and \\DOMAIN\mailslot\NAME, with the Win32 error code
 * of each failure beside errno. mailslot_windows.h gives the same calls
 * their Windows names. See Documentation/libmailslot.rst.
 *
 * Every call that fails sets errno and the calling thread's last error
 * (msl_last_error()); calls that succeed leave the last error as it was
 * (errno, as after any library call, may have changed).
 */
#ifndef MAILSLOT_WIN_H
#define MAILSLOT_WIN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/mailslot.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MSL_API __attribute__((visibility("default")))

/*
 * A mailslot handle, as CreateMailslot and CreateFile return: the server
 * of a slot (it reads), or a client (it writes); opaque. msl_close() ends
 * it.
 */
struct msl_handle;

/* what msl_create() and msl_open() return when they fail */
#define MSL_INVALID_HANDLE	((struct msl_handle *)(intptr_t)(-1))

/* Win32 error codes (winerror.h) that the library reports */
#define MSL_ERROR_SUCCESS			0
#define MSL_ERROR_FILE_NOT_FOUND		2
#define MSL_ERROR_PATH_NOT_FOUND		3
#define MSL_ERROR_TOO_MANY_OPEN_FILES		4
#define MSL_ERROR_ACCESS_DENIED			5
#define MSL_ERROR_INVALID_HANDLE		6
#define MSL_ERROR_NOT_ENOUGH_MEMORY		8
#define MSL_ERROR_WRITE_PROTECT			19
#define MSL_ERROR_GEN_FAILURE			31
#define MSL_ERROR_NOT_SUPPORTED			50
#define MSL_ERROR_BAD_NETPATH			53
#define MSL_ERROR_INVALID_PARAMETER		87
#define MSL_ERROR_BROKEN_PIPE			109
#define MSL_ERROR_SEM_TIMEOUT			121
#define MSL_ERROR_INSUFFICIENT_BUFFER		122
#define MSL_ERROR_INVALID_NAME			123
#define MSL_ERROR_BUSY				170
#define MSL_ERROR_ALREADY_EXISTS		183
#define MSL_ERROR_FILENAME_EXCED_RANGE		206
#define MSL_ERROR_OPERATION_ABORTED		995
#define MSL_ERROR_NOACCESS			998
#define MSL_ERROR_IO_DEVICE			1117
#define MSL_ERROR_NETWORK_UNREACHABLE		1231
#define MSL_ERROR_HOST_UNREACHABLE		1232
#define MSL_ERROR_NO_SYSTEM_RESOURCES		1450
#define MSL_ERROR_NOT_ENOUGH_QUOTA		1816

/* the longest Windows name, as MAX_PATH, without the final NUL */
#define MSL_NAME_MAX		259

/* msl_translate_name() flags */
#define MSL_NAME_CREATE		0x1	/* a name to create: local only */

/* what a call did when an errno is mapped to a Win32 error */
enum msl_op {
	MSL_OP_OTHER = 0,
	MSL_OP_CREATE,		/* msl_create(): the name, the slot */
	MSL_OP_OPEN,		/* msl_open(): the name, the slot */
	MSL_OP_READ,		/* msl_read() */
	MSL_OP_WRITE,		/* msl_write() to a slot of this host */
	MSL_OP_WRITE_REMOTE,	/* msl_write() to another host's slot */
	MSL_OP_INFO,		/* msl_get_info(), msl_query() */
	MSL_OP_SET_INFO,	/* msl_set_info() */
	MSL_OP_CLOSE,		/* msl_close() */
};

/*
 * CreateMailslot: create the slot @name (\\.\mailslot\[DIR\]NAME) and
 * return its server. @max_msg_size is the largest message (0: any size
 * the mount allows); @read_timeout_ms how long a read waits for a message
 * (0: not at all, MAILSLOT_WAIT_FOREVER: until one comes). Directories in
 * the name are made as needed. The slot's mode is 0666 less the umask.
 */
MSL_API struct msl_handle *msl_create(const char *name, __u32 max_msg_size,
				      __s32 read_timeout_ms);
/* msl_create() with the slot's mode (less the umask) */
MSL_API struct msl_handle *msl_create_mode(const char *name,
					   __u32 max_msg_size,
					   __s32 read_timeout_ms, mode_t mode);
/*
 * CreateFile(OPEN_EXISTING) of a mailslot: a client, to write to the slot
 * @name, here (\\.\mailslot\NAME) or on other hosts (\\HOST\, \\*\,
 * \\DOMAIN\mailslot\NAME).
 */
MSL_API struct msl_handle *msl_open(const char *name);
/* CloseHandle: a server's close ends its slot and what is queued in it */
MSL_API int msl_close(struct msl_handle *h);

/*
 * GetMailslotInfo: the largest message, the size of the next one
 * (MAILSLOT_NO_MESSAGE when none), the number queued, the read timeout.
 * Each output may be NULL. Returns 0, or -1 on failure.
 */
MSL_API int msl_get_info(struct msl_handle *h, __u32 *max_msg_size,
			 __u32 *next_size, __u32 *msg_count,
			 __s32 *read_timeout_ms);
/* All that mailslotfs tells about the slot (MAILSLOT_IOC_GET_INFO). */
MSL_API int msl_query(struct msl_handle *h, struct mailslot_info *info);
/* SetMailslotInfo: the server's read timeout. Returns 0, or -1. */
MSL_API int msl_set_info(struct msl_handle *h, __s32 read_timeout_ms);

/*
 * ReadFile on the server: one whole message into @buf, its length into
 * *@nread (may be NULL; 0 on failure). A buffer too small fails with
 * MSL_ERROR_INSUFFICIENT_BUFFER (EMSGSIZE) and the message stays queued;
 * no message within the read timeout, with MSL_ERROR_SEM_TIMEOUT (EAGAIN).
 * Returns 0, or -1 on failure.
 */
MSL_API int msl_read(struct msl_handle *h, void *buf, __u32 len,
		     __u32 *nread);
/*
 * WriteFile on a client: @buf is one message. *@nwritten (may be NULL) is
 * @len, or 0 on failure. Never raises SIGPIPE: a write after the server
 * has gone fails with MSL_ERROR_BROKEN_PIPE (EPIPE). Returns 0, or -1.
 */
MSL_API int msl_write(struct msl_handle *h, const void *buf, __u32 len,
		      __u32 *nwritten);

/* The file descriptor of @h (for poll, epoll, fcntl), or -1. */
MSL_API int msl_fd(struct msl_handle *h);

/* GetLastError: the calling thread's last failure, a Win32 error code. */
MSL_API __u32 msl_last_error(void);
/* SetLastError */
MSL_API void msl_set_last_error(__u32 code);

/*
 * The directory mailslotfs is mounted on: $MAILSLOT_MOUNT when set, else
 * the first mailslotfs mount in /proc/self/mounts, else "/mailslot".
 * Returns 0, or -1 (ENAMETOOLONG) when it does not fit @len bytes.
 */
MSL_API int msl_mount_point(char *buf, size_t len);

/*
 * Pure functions: no system calls, no errno, no last error.
 *
 * msl_translate_name(): the path of the Windows mailslot name @name under
 * @mount ("MOUNT/NAME", "MOUNT/@HOST/NAME"), or relative to it when @mount
 * is NULL. @flags: MSL_NAME_CREATE for a name to create (local names
 * only). Returns 0, or -EINVAL (not a mailslot name, a bad level),
 * -EFAULT (NULL), -ENAMETOOLONG (too long, or @len too small) or -ENXIO
 * (a host name that is no NetBIOS name).
 */
MSL_API int msl_translate_name(const char *name, const char *mount,
			       unsigned int flags, char *out, size_t len);
/* The Win32 error code for errno @err in an operation @op. */
MSL_API __u32 msl_win32_error(int err, enum msl_op op);
/* "ERROR_SEM_TIMEOUT" for 121, ...; NULL for a code the library never sets */
MSL_API const char *msl_error_name(__u32 code);

#ifdef __cplusplus
}
#endif

#endif /* MAILSLOT_WIN_H */
