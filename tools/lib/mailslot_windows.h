/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmailslot under the names of Windows, for porting code that uses
 * mailslots: CreateMailslotA, GetMailslotInfo, SetMailslotInfo,
 * CreateFileA (of a mailslot), ReadFile, WriteFile, CloseHandle,
 * GetLastError, SetLastError, with the types and constants they take.
 * Each is a thin inline over mailslot_win.h.
 *
 * Define MSL_NO_WIN32_TYPES before including it when the program has its
 * own HANDLE, DWORD, BOOL ... (they must be compatible), and
 * MSL_NO_WIN32_FILE_API when it has its own ReadFile, WriteFile,
 * CloseHandle, CreateFileA, GetLastError and SetLastError.
 *
 * Differences from Windows: overlapped I/O is not supported (an
 * OVERLAPPED gives ERROR_NOT_SUPPORTED); security attributes, share modes
 * and flags are ignored; CreateFileA opens mailslots only.
 */
#ifndef MAILSLOT_WINDOWS_H
#define MAILSLOT_WINDOWS_H

#include <errno.h>
#include <limits.h>

#include "mailslot_win.h"

#ifndef MSL_NO_WIN32_TYPES
typedef struct msl_handle *HANDLE;
typedef __u32 DWORD;
typedef __u32 *LPDWORD;
typedef int BOOL;
typedef const char *LPCSTR;
typedef void *LPVOID;
typedef const void *LPCVOID;
typedef struct _SECURITY_ATTRIBUTES *LPSECURITY_ATTRIBUTES;
typedef struct _OVERLAPPED *LPOVERLAPPED;
#endif

#ifndef TRUE
#define TRUE	1
#endif
#ifndef FALSE
#define FALSE	0
#endif
#ifndef INVALID_HANDLE_VALUE
#define INVALID_HANDLE_VALUE	MSL_INVALID_HANDLE
#endif
/* MAILSLOT_WAIT_FOREVER and MAILSLOT_NO_MESSAGE: <linux/mailslot.h> */

#ifndef GENERIC_READ
#define GENERIC_READ		0x80000000U
#define GENERIC_WRITE		0x40000000U
#define FILE_SHARE_READ		0x00000001U
#define FILE_SHARE_WRITE	0x00000002U
#define CREATE_NEW		1
#define CREATE_ALWAYS		2
#define OPEN_EXISTING		3
#define OPEN_ALWAYS		4
#define TRUNCATE_EXISTING	5
#define FILE_ATTRIBUTE_NORMAL	0x00000080U
#endif

#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS			MSL_ERROR_SUCCESS
#endif
#ifndef ERROR_FILE_NOT_FOUND
#define ERROR_FILE_NOT_FOUND		MSL_ERROR_FILE_NOT_FOUND
#define ERROR_PATH_NOT_FOUND		MSL_ERROR_PATH_NOT_FOUND
#define ERROR_TOO_MANY_OPEN_FILES	MSL_ERROR_TOO_MANY_OPEN_FILES
#define ERROR_ACCESS_DENIED		MSL_ERROR_ACCESS_DENIED
#define ERROR_INVALID_HANDLE		MSL_ERROR_INVALID_HANDLE
#define ERROR_NOT_ENOUGH_MEMORY		MSL_ERROR_NOT_ENOUGH_MEMORY
#define ERROR_WRITE_PROTECT		MSL_ERROR_WRITE_PROTECT
#define ERROR_GEN_FAILURE		MSL_ERROR_GEN_FAILURE
#define ERROR_NOT_SUPPORTED		MSL_ERROR_NOT_SUPPORTED
#define ERROR_BAD_NETPATH		MSL_ERROR_BAD_NETPATH
#define ERROR_INVALID_PARAMETER		MSL_ERROR_INVALID_PARAMETER
#define ERROR_BROKEN_PIPE		MSL_ERROR_BROKEN_PIPE
#define ERROR_SEM_TIMEOUT		MSL_ERROR_SEM_TIMEOUT
#define ERROR_INSUFFICIENT_BUFFER	MSL_ERROR_INSUFFICIENT_BUFFER
#define ERROR_INVALID_NAME		MSL_ERROR_INVALID_NAME
#define ERROR_BUSY			MSL_ERROR_BUSY
#define ERROR_ALREADY_EXISTS		MSL_ERROR_ALREADY_EXISTS
#define ERROR_FILENAME_EXCED_RANGE	MSL_ERROR_FILENAME_EXCED_RANGE
#define ERROR_OPERATION_ABORTED		MSL_ERROR_OPERATION_ABORTED
#define ERROR_NOACCESS			MSL_ERROR_NOACCESS
#define ERROR_IO_DEVICE			MSL_ERROR_IO_DEVICE
#define ERROR_NETWORK_UNREACHABLE	MSL_ERROR_NETWORK_UNREACHABLE
#define ERROR_HOST_UNREACHABLE		MSL_ERROR_HOST_UNREACHABLE
#define ERROR_NO_SYSTEM_RESOURCES	MSL_ERROR_NO_SYSTEM_RESOURCES
#define ERROR_NOT_ENOUGH_QUOTA		MSL_ERROR_NOT_ENOUGH_QUOTA
#endif

/*
 * A DWORD timeout as the kernel takes it: MAILSLOT_WAIT_FOREVER stays,
 * others are milliseconds, and those beyond INT32_MAX (24.8 days) wait
 * that long.
 */
static inline __s32 msl_win32_timeout(DWORD ms)
{
	if (ms == (DWORD)MAILSLOT_WAIT_FOREVER)
		return MAILSLOT_WAIT_FOREVER;
	return ms > INT32_MAX ? INT32_MAX : (__s32)ms;
}

static inline HANDLE CreateMailslotA(LPCSTR lpName, DWORD nMaxMessageSize,
				     DWORD lReadTimeout,
				     LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
	(void)lpSecurityAttributes;
	return msl_create(lpName, nMaxMessageSize,
			  msl_win32_timeout(lReadTimeout));
}

#ifndef CreateMailslot
#define CreateMailslot	CreateMailslotA
#endif

static inline BOOL GetMailslotInfo(HANDLE hMailslot, LPDWORD lpMaxMessageSize,
				   LPDWORD lpNextSize, LPDWORD lpMessageCount,
				   LPDWORD lpReadTimeout)
{
	__s32 timeout;

	if (msl_get_info(hMailslot, lpMaxMessageSize, lpNextSize,
			 lpMessageCount, &timeout))
		return FALSE;
	if (lpReadTimeout)
		*lpReadTimeout = (DWORD)timeout;
	return TRUE;
}

static inline BOOL SetMailslotInfo(HANDLE hMailslot, DWORD lReadTimeout)
{
	return msl_set_info(hMailslot, msl_win32_timeout(lReadTimeout)) ?
	       FALSE : TRUE;
}

#ifndef MSL_NO_WIN32_FILE_API

static inline DWORD GetLastError(void)
{
	return msl_last_error();
}

static inline void SetLastError(DWORD dwErrCode)
{
	msl_set_last_error(dwErrCode);
}

/*
 * A client of a mailslot: the name is all that counts (OPEN_EXISTING is
 * what Windows programs pass); a name that is no mailslot name fails with
 * ERROR_INVALID_NAME.
 */
static inline HANDLE CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess,
				 DWORD dwShareMode,
				 LPSECURITY_ATTRIBUTES lpSecurityAttributes,
				 DWORD dwCreationDisposition,
				 DWORD dwFlagsAndAttributes,
				 HANDLE hTemplateFile)
{
	(void)dwDesiredAccess;
	(void)dwShareMode;
	(void)lpSecurityAttributes;
	(void)dwCreationDisposition;
	(void)dwFlagsAndAttributes;
	(void)hTemplateFile;
	return msl_open(lpFileName);
}

#ifndef CreateFile
#define CreateFile	CreateFileA
#endif

/* Overlapped I/O: not supported; the count is 0, as after any failure */
static inline BOOL msl_win32_overlapped(LPDWORD lpNumberOfBytes)
{
	if (lpNumberOfBytes)
		*lpNumberOfBytes = 0;
	msl_set_last_error(ERROR_NOT_SUPPORTED);
	errno = EOPNOTSUPP;
	return FALSE;
}

static inline BOOL ReadFile(HANDLE hFile, LPVOID lpBuffer,
			    DWORD nNumberOfBytesToRead,
			    LPDWORD lpNumberOfBytesRead,
			    LPOVERLAPPED lpOverlapped)
{
	if (lpOverlapped)
		return msl_win32_overlapped(lpNumberOfBytesRead);
	return msl_read(hFile, lpBuffer, nNumberOfBytesToRead,
			lpNumberOfBytesRead) ? FALSE : TRUE;
}

static inline BOOL WriteFile(HANDLE hFile, LPCVOID lpBuffer,
			     DWORD nNumberOfBytesToWrite,
			     LPDWORD lpNumberOfBytesWritten,
			     LPOVERLAPPED lpOverlapped)
{
	if (lpOverlapped)
		return msl_win32_overlapped(lpNumberOfBytesWritten);
	return msl_write(hFile, lpBuffer, nNumberOfBytesToWrite,
			 lpNumberOfBytesWritten) ? FALSE : TRUE;
}

static inline BOOL CloseHandle(HANDLE hObject)
{
	return msl_close(hObject) ? FALSE : TRUE;
}

#endif /* MSL_NO_WIN32_FILE_API */

#endif /* MAILSLOT_WINDOWS_H */
