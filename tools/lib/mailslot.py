# SPDX-License-Identifier: GPL-2.0
"""Windows mailslots on mailslotfs, from Python: libmailslot through ctypes.

    from mailslot import Mailslot, MAILSLOT_WAIT_FOREVER

    with Mailslot.create(r"\\\\.\\mailslot\\alerts", timeout=1000) as slot:
        with Mailslot.open(r"\\\\.\\mailslot\\alerts") as client:
            client.write(b"disk almost full")
        print(slot.read())

Failures raise MailslotError, an OSError whose errno is the system's and
whose winerror is the Win32 error code (ERROR_SEM_TIMEOUT for a read that
timed out, ...). The library is found as $MAILSLOT_LIB, else in the
source tree's build/lib/, else as the installed libmailslot.so.1. See
Documentation/libmailslot.rst.
"""

import collections
import ctypes
import ctypes.util
import errno
import os

__all__ = [
    "Mailslot", "MailslotError", "MailslotInfo", "translate_name",
    "win32_error", "error_name", "mount_point",
    "MAILSLOT_WAIT_FOREVER", "MAILSLOT_NO_MESSAGE",
]

MAILSLOT_WAIT_FOREVER = -1
MAILSLOT_NO_MESSAGE = 0xFFFFFFFF

# Win32 error codes the library sets (mailslot_win.h)
ERROR_SUCCESS = 0
ERROR_FILE_NOT_FOUND = 2
ERROR_PATH_NOT_FOUND = 3
ERROR_TOO_MANY_OPEN_FILES = 4
ERROR_ACCESS_DENIED = 5
ERROR_INVALID_HANDLE = 6
ERROR_NOT_ENOUGH_MEMORY = 8
ERROR_WRITE_PROTECT = 19
ERROR_GEN_FAILURE = 31
ERROR_NOT_SUPPORTED = 50
ERROR_BAD_NETPATH = 53
ERROR_INVALID_PARAMETER = 87
ERROR_BROKEN_PIPE = 109
ERROR_SEM_TIMEOUT = 121
ERROR_INSUFFICIENT_BUFFER = 122
ERROR_INVALID_NAME = 123
ERROR_BUSY = 170
ERROR_ALREADY_EXISTS = 183
ERROR_FILENAME_EXCED_RANGE = 206
ERROR_OPERATION_ABORTED = 995
ERROR_NOACCESS = 998
ERROR_IO_DEVICE = 1117
ERROR_NETWORK_UNREACHABLE = 1231
ERROR_HOST_UNREACHABLE = 1232
ERROR_NO_SYSTEM_RESOURCES = 1450
ERROR_NOT_ENOUGH_QUOTA = 1816

# enum msl_op
OP_OTHER, OP_CREATE, OP_OPEN, OP_READ, OP_WRITE, OP_WRITE_REMOTE, \
    OP_INFO, OP_SET_INFO, OP_CLOSE = range(9)

NAME_CREATE = 0x1
_PATH_MAX = 4096

MailslotInfo = collections.namedtuple(
    "MailslotInfo", "max_size next_size count timeout")


class _Info(ctypes.Structure):
    """struct mailslot_info of <linux/mailslot.h>"""
    _fields_ = [
        ("max_msg_size", ctypes.c_uint32),
        ("next_size", ctypes.c_uint32),
        ("msg_count", ctypes.c_uint32),
        ("read_timeout", ctypes.c_int32),
        ("queued_bytes", ctypes.c_uint64),
        ("quota_bytes", ctypes.c_uint64),
        ("max_msgs", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("drops", ctypes.c_uint64),
        ("_reserved", ctypes.c_uint64 * 4),
    ]


def _find_library():
    env = os.environ.get("MAILSLOT_LIB")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    built = os.path.join(here, "..", "..", "build", "lib", "libmailslot.so.1")
    if os.path.exists(built):
        return built
    return ctypes.util.find_library("mailslot") or "libmailslot.so.1"


def _load(path):
    lib = ctypes.CDLL(path, use_errno=True)
    handle = ctypes.c_void_p
    u32, s32, u32p = ctypes.c_uint32, ctypes.c_int32, ctypes.POINTER(ctypes.c_uint32)
    for name, res, args in (
            ("msl_create_mode", handle, [ctypes.c_char_p, u32, s32, ctypes.c_uint]),
            ("msl_open", handle, [ctypes.c_char_p]),
            ("msl_close", ctypes.c_int, [handle]),
            ("msl_query", ctypes.c_int, [handle, ctypes.POINTER(_Info)]),
            ("msl_set_info", ctypes.c_int, [handle, s32]),
            ("msl_read", ctypes.c_int, [handle, ctypes.c_void_p, u32, u32p]),
            ("msl_write", ctypes.c_int, [handle, ctypes.c_char_p, u32, u32p]),
            ("msl_fd", ctypes.c_int, [handle]),
            ("msl_last_error", u32, []),
            ("msl_mount_point", ctypes.c_int, [ctypes.c_char_p, ctypes.c_size_t]),
            ("msl_translate_name", ctypes.c_int,
             [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint, ctypes.c_char_p,
              ctypes.c_size_t]),
            ("msl_win32_error", u32, [ctypes.c_int, ctypes.c_int]),
            ("msl_error_name", ctypes.c_char_p, [u32])):
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


_lib = _load(_find_library())
_INVALID = ctypes.c_void_p(-1).value


class MailslotError(OSError):
    """A failed call: errno as the system gave it, and winerror, the Win32
    error code Windows would have given (GetLastError)."""

    def __init__(self, err, winerror, filename=None):
        name = error_name(winerror) or str(winerror)
        super().__init__(err, "%s (%s)" % (os.strerror(err), name), filename)
        self.winerror = winerror


def _encode(name):
    if name is None or isinstance(name, bytes):
        return name
    return os.fsencode(name)


def _raise(filename=None):
    raise MailslotError(ctypes.get_errno(), _lib.msl_last_error(), filename)


def translate_name(name, mount=None, create=False):
    """The path of the Windows mailslot name (r"\\\\.\\mailslot\\NAME",
    r"\\\\HOST\\mailslot\\NAME" ...) under mount, or relative to it when mount
    is None. Pure: raises MailslotError for a bad name."""
    out = ctypes.create_string_buffer(_PATH_MAX)
    ret = _lib.msl_translate_name(_encode(name), _encode(mount),
                                  NAME_CREATE if create else 0, out, len(out))
    if ret:
        raise MailslotError(-ret, win32_error(-ret, OP_CREATE if create else OP_OPEN),
                            name)
    return os.fsdecode(out.value)


def win32_error(err, op=OP_OTHER):
    """The Win32 error code for errno err in an operation op (OP_READ ...)."""
    return _lib.msl_win32_error(err, op)


def error_name(code):
    """"ERROR_SEM_TIMEOUT" for 121 ...; None for codes the library never sets."""
    name = _lib.msl_error_name(code)
    return name.decode() if name is not None else None


def mount_point():
    """Where the library looks for mailslotfs: $MAILSLOT_MOUNT, else the
    first mailslotfs mount, else /mailslot."""
    out = ctypes.create_string_buffer(_PATH_MAX)
    if _lib.msl_mount_point(out, len(out)):
        _raise()
    return os.fsdecode(out.value)


def _retry(call):
    """Call again when a signal interrupted the call (PEP 475): a handler
    that raises ends the wait, as it does for Python's own calls."""
    while True:
        ret = call()
        if ret == 0 or ctypes.get_errno() != errno.EINTR:
            return ret


class Mailslot:
    """A mailslot handle: the server of a slot (create), or a client
    (open). A context manager; closed when it is collected, too."""

    def __init__(self, handle, name):
        self._h = handle
        self.name = name

    @classmethod
    def create(cls, name, max_size=0, timeout=MAILSLOT_WAIT_FOREVER, mode=0o666):
        """CreateMailslot: the server of a new slot. max_size 0 is any size;
        timeout in ms, 0 or MAILSLOT_WAIT_FOREVER; mode less the umask."""
        h = _lib.msl_create_mode(_encode(name), max_size, timeout, mode)
        if h is None or h == _INVALID:
            _raise(name)
        return cls(h, name)

    @classmethod
    def open(cls, name):
        """CreateFile(OPEN_EXISTING): a client, to write to the slot."""
        h = None
        while h is None or h == _INVALID:
            h = _lib.msl_open(_encode(name))
            if (h is None or h == _INVALID) and ctypes.get_errno() != errno.EINTR:
                _raise(name)
        return cls(h, name)

    def _handle(self):
        if self._h is None:
            raise MailslotError(errno.EBADF, ERROR_INVALID_HANDLE, self.name)
        return self._h

    def read(self, size=None):
        """ReadFile: one whole message, as bytes. Without size, a buffer of
        the next message's size, or the slot's largest when none is queued."""
        h = self._handle()
        while True:
            n = size
            if n is None:
                info = self.info()
                n = info.max_size if info.next_size == MAILSLOT_NO_MESSAGE \
                    else info.next_size
            buf = ctypes.create_string_buffer(max(n, 1))
            got = ctypes.c_uint32()
            if _retry(lambda: _lib.msl_read(h, buf, n, ctypes.byref(got))) == 0:
                return buf.raw[:got.value]
            # a larger message came first: take its size, unless told one
            if size is not None or _lib.msl_last_error() != ERROR_INSUFFICIENT_BUFFER:
                _raise(self.name)

    def write(self, data):
        """WriteFile: data is one message. Returns its length."""
        h = self._handle()
        data = bytes(data)
        done = ctypes.c_uint32()
        if _retry(lambda: _lib.msl_write(h, data, len(data), ctypes.byref(done))):
            _raise(self.name)
        return done.value

    def info(self):
        """GetMailslotInfo: MailslotInfo(max_size, next_size, count,
        timeout); next_size is MAILSLOT_NO_MESSAGE when none is queued."""
        i = self.query()
        return MailslotInfo(i.max_msg_size, i.next_size, i.msg_count, i.read_timeout)

    def query(self):
        """Everything mailslotfs tells about the slot (struct mailslot_info)."""
        i = _Info()
        if _lib.msl_query(self._handle(), ctypes.byref(i)):
            _raise(self.name)
        return i

    def set_timeout(self, timeout):
        """SetMailslotInfo: the read timeout, ms, 0 or MAILSLOT_WAIT_FOREVER."""
        if _lib.msl_set_info(self._handle(), timeout):
            _raise(self.name)

    def fileno(self):
        """The descriptor, for select, poll and selectors."""
        return _lib.msl_fd(self._handle())

    def close(self):
        """CloseHandle; a server's close ends the slot. Closing twice is no
        error."""
        h, self._h = self._h, None
        if h is not None and _lib.msl_close(h):
            _raise(self.name)

    @property
    def closed(self):
        return self._h is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_h", None) is not None:
            _lib.msl_close(self._h)
            self._h = None

    def __repr__(self):
        return "<Mailslot %r%s>" % (self.name, " closed" if self.closed else "")
