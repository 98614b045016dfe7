// SPDX-License-Identifier: GPL-2.0
/*
 * libmailslot: errno as Win32 error codes. Pure code; the table is in
 * Documentation/libmailslot.rst, and test_names checks every row of it.
 */
#include <errno.h>

#include "internal.h"

/* What an errno means in one operation, where that differs. */
static __u32 msl_win32_error_in(int err, enum msl_op op)
{
	switch (err) {
	case EBADF:	/* a valid handle of the wrong end */
		if (op == MSL_OP_READ || op == MSL_OP_WRITE ||
		    op == MSL_OP_WRITE_REMOTE || op == MSL_OP_SET_INFO)
			return MSL_ERROR_ACCESS_DENIED;
		break;
	case EINVAL:	/* the kernel refused the name */
		if (op == MSL_OP_CREATE || op == MSL_OP_OPEN)
			return MSL_ERROR_INVALID_NAME;
		break;
	case EFAULT:	/* a NULL name, as Windows says it */
		if (op == MSL_OP_CREATE || op == MSL_OP_OPEN)
			return MSL_ERROR_PATH_NOT_FOUND;
		break;
	case EBUSY:	/* the slot exists, and has its reader */
		if (op == MSL_OP_CREATE)
			return MSL_ERROR_ALREADY_EXISTS;
		break;
	case EMSGSIZE:	/* a message over the slot's, or the datagram's, limit */
		if (op == MSL_OP_WRITE)
			return MSL_ERROR_INVALID_PARAMETER;
		if (op == MSL_OP_WRITE_REMOTE)
			return MSL_ERROR_BAD_NETPATH;
		break;
	}
	return 0;
}

/* What an errno means in every other case. */
static __u32 msl_win32_error_any(int err)
{
	switch (err) {
	case 0:
		return MSL_ERROR_SUCCESS;
	case ENOENT:
	case EISDIR:
		return MSL_ERROR_FILE_NOT_FOUND;
	case ENOTDIR:
	case ELOOP:
	case ENODEV:
		return MSL_ERROR_PATH_NOT_FOUND;
	case EMFILE:
	case ENFILE:
		return MSL_ERROR_TOO_MANY_OPEN_FILES;
	case EPERM:
	case EACCES:
		return MSL_ERROR_ACCESS_DENIED;
	case EBADF:
		return MSL_ERROR_INVALID_HANDLE;
	case ENOMEM:
		return MSL_ERROR_NOT_ENOUGH_MEMORY;
	case EROFS:
		return MSL_ERROR_WRITE_PROTECT;
	case EOPNOTSUPP:
		return MSL_ERROR_NOT_SUPPORTED;
	case ENXIO:
		return MSL_ERROR_BAD_NETPATH;
	case EINVAL:
	case ENOTTY:
		return MSL_ERROR_INVALID_PARAMETER;
	case EPIPE:
		return MSL_ERROR_BROKEN_PIPE;
	case EAGAIN:
	case ETIMEDOUT:
		return MSL_ERROR_SEM_TIMEOUT;
	case EMSGSIZE:
		return MSL_ERROR_INSUFFICIENT_BUFFER;
	case EBUSY:
		return MSL_ERROR_BUSY;
	case EEXIST:
		return MSL_ERROR_ALREADY_EXISTS;
	case ENAMETOOLONG:
		return MSL_ERROR_FILENAME_EXCED_RANGE;
	case EINTR:
		return MSL_ERROR_OPERATION_ABORTED;
	case EFAULT:
		return MSL_ERROR_NOACCESS;
	case EIO:
		return MSL_ERROR_IO_DEVICE;
	case ENETUNREACH:
	case ENETDOWN:
		return MSL_ERROR_NETWORK_UNREACHABLE;
	case EHOSTUNREACH:
		return MSL_ERROR_HOST_UNREACHABLE;
	case ENOSPC:
	case ENOBUFS:
		return MSL_ERROR_NO_SYSTEM_RESOURCES;
	case EDQUOT:
		return MSL_ERROR_NOT_ENOUGH_QUOTA;
	}
	return MSL_ERROR_GEN_FAILURE;
}

/**
 * msl_win32_error() - the Win32 error code for an errno
 * @err: the errno (positive; 0 for success)
 * @op: what failed with it
 *
 * Return: the code GetLastError() would give after the Windows call that
 * @op stands for failed as mailslotfs's call did with @err;
 * %MSL_ERROR_GEN_FAILURE for an errno that mailslots never give.
 */
__u32 msl_win32_error(int err, enum msl_op op)
{
	return msl_win32_error_in(err, op) ?: msl_win32_error_any(err);
}

static const struct {
	__u32 code;
	const char *name;
} msl_error_names[] = {
#define MSL_NAME(e) { MSL_##e, #e }
	MSL_NAME(ERROR_SUCCESS),
	MSL_NAME(ERROR_FILE_NOT_FOUND),
	MSL_NAME(ERROR_PATH_NOT_FOUND),
	MSL_NAME(ERROR_TOO_MANY_OPEN_FILES),
	MSL_NAME(ERROR_ACCESS_DENIED),
	MSL_NAME(ERROR_INVALID_HANDLE),
	MSL_NAME(ERROR_NOT_ENOUGH_MEMORY),
	MSL_NAME(ERROR_WRITE_PROTECT),
	MSL_NAME(ERROR_GEN_FAILURE),
	MSL_NAME(ERROR_NOT_SUPPORTED),
	MSL_NAME(ERROR_BAD_NETPATH),
	MSL_NAME(ERROR_INVALID_PARAMETER),
	MSL_NAME(ERROR_BROKEN_PIPE),
	MSL_NAME(ERROR_SEM_TIMEOUT),
	MSL_NAME(ERROR_INSUFFICIENT_BUFFER),
	MSL_NAME(ERROR_INVALID_NAME),
	MSL_NAME(ERROR_BUSY),
	MSL_NAME(ERROR_ALREADY_EXISTS),
	MSL_NAME(ERROR_FILENAME_EXCED_RANGE),
	MSL_NAME(ERROR_OPERATION_ABORTED),
	MSL_NAME(ERROR_NOACCESS),
	MSL_NAME(ERROR_IO_DEVICE),
	MSL_NAME(ERROR_NETWORK_UNREACHABLE),
	MSL_NAME(ERROR_HOST_UNREACHABLE),
	MSL_NAME(ERROR_NO_SYSTEM_RESOURCES),
	MSL_NAME(ERROR_NOT_ENOUGH_QUOTA),
#undef MSL_NAME
};

/**
 * msl_error_name() - the name of a Win32 error code
 * @code: a code
 *
 * Return: "ERROR_SEM_TIMEOUT" for 121, and so on for every code the
 * library sets; NULL for others.
 */
const char *msl_error_name(__u32 code)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(msl_error_names); i++)
		if (msl_error_names[i].code == code)
			return msl_error_names[i].name;
	return NULL;
}
