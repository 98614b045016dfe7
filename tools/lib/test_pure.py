# SPDX-License-Identifier: GPL-2.0
"""Host tests of mailslot.py through libmailslot.so: the pure calls (name
translation, error codes) and the failures that need no mailslotfs.

    MAILSLOT_LIB=build/lib/libmailslot.so.1 python3 -m unittest test_pure
"""

import errno
import os
import tempfile
import unittest

import mailslot
from mailslot import Mailslot, MailslotError


class TranslateName(unittest.TestCase):
    def test_local(self):
        self.assertEqual(mailslot.translate_name(r"\\.\mailslot\foo", "/mailslot"),
                         "/mailslot/foo")
        self.assertEqual(mailslot.translate_name(r"\\.\MAILSLOT\NET\NETLOGON",
                                                 "/mailslot", create=True),
                         "/mailslot/NET/NETLOGON")
        self.assertEqual(mailslot.translate_name(r"\\.\mailslot\a\b"), "a/b")
        self.assertEqual(mailslot.translate_name(b"\\\\.\\mailslot\\x", b"/m/"), "/m/x")

    def test_remote(self):
        cases = {
            r"\\HOST\mailslot\foo": "/mailslot/@HOST/foo",
            r"\\*\mailslot\BROWSE": "/mailslot/@*/BROWSE",
            r"\\WORKGROUP\mailslot\NET\NETLOGON": "/mailslot/@WORKGROUP/NET/NETLOGON",
            r"\\10.0.0.7\mailslot\MESSNGR": "/mailslot/@10.0.0.7/MESSNGR",
        }
        for name, path in cases.items():
            self.assertEqual(mailslot.translate_name(name, "/mailslot"), path)

    def check_error(self, name, err, winerror, create=False):
        with self.assertRaises(MailslotError) as cm:
            mailslot.translate_name(name, "/mailslot", create)
        self.assertEqual(cm.exception.errno, err, name)
        self.assertEqual(cm.exception.winerror, winerror, name)
        self.assertIsInstance(cm.exception, OSError)

    def test_bad_names(self):
        for name in ("blah", "", r"\\.\mailslot", r"\\.\mailslot" "\\",
                     r"\\.\pipe\x", r"\\.\mailslot\..", r"\\.\mailslot\a\..\..\etc",
                     r"\\.\mailslot\a/b", r"\\.\mailslot\../../etc/passwd",
                     r"\\.\mailslot\a\\b", r"\\.\mailslot\@HOST\x",
                     r"\\..\mailslot\x", r"\\a/b\mailslot\x", "//./mailslot/x"):
            self.check_error(name, errno.EINVAL, mailslot.ERROR_INVALID_NAME)

    def test_only_local_names_are_created(self):
        self.check_error(r"\\HOST\mailslot\x", errno.EINVAL,
                         mailslot.ERROR_INVALID_NAME, create=True)
        self.assertEqual(mailslot.translate_name(r"\\HOST\mailslot\x"), "@HOST/x")

    def test_lengths(self):
        prefix = r"\\.\mailslot" "\\"
        name = prefix + "n" * (259 - len(prefix))
        self.assertEqual(mailslot.translate_name(name), "n" * (259 - len(prefix)))
        self.check_error(name + "n", errno.ENAMETOOLONG,
                         mailslot.ERROR_FILENAME_EXCED_RANGE)
        self.check_error(r"\\server.example.com\mailslot\x", errno.ENXIO,
                         mailslot.ERROR_BAD_NETPATH)

    def test_none(self):
        self.check_error(None, errno.EFAULT, mailslot.ERROR_PATH_NOT_FOUND)


class Errors(unittest.TestCase):
    def test_mapping(self):
        w = mailslot.win32_error
        self.assertEqual(w(errno.ENOENT, mailslot.OP_OPEN), mailslot.ERROR_FILE_NOT_FOUND)
        self.assertEqual(w(errno.EAGAIN, mailslot.OP_READ), mailslot.ERROR_SEM_TIMEOUT)
        self.assertEqual(w(errno.EMSGSIZE, mailslot.OP_READ),
                         mailslot.ERROR_INSUFFICIENT_BUFFER)
        self.assertEqual(w(errno.EMSGSIZE, mailslot.OP_WRITE),
                         mailslot.ERROR_INVALID_PARAMETER)
        self.assertEqual(w(errno.EMSGSIZE, mailslot.OP_WRITE_REMOTE),
                         mailslot.ERROR_BAD_NETPATH)
        self.assertEqual(w(errno.EBADF, mailslot.OP_READ), mailslot.ERROR_ACCESS_DENIED)
        self.assertEqual(w(errno.EBADF), mailslot.ERROR_INVALID_HANDLE)
        self.assertEqual(w(errno.EEXIST, mailslot.OP_CREATE), mailslot.ERROR_ALREADY_EXISTS)
        self.assertEqual(w(errno.EOPNOTSUPP, mailslot.OP_OPEN), mailslot.ERROR_NOT_SUPPORTED)
        self.assertEqual(w(errno.ENXIO, mailslot.OP_OPEN), mailslot.ERROR_BAD_NETPATH)
        self.assertEqual(w(errno.EPIPE, mailslot.OP_WRITE), mailslot.ERROR_BROKEN_PIPE)
        self.assertEqual(w(0), mailslot.ERROR_SUCCESS)
        self.assertEqual(w(errno.ECHILD), mailslot.ERROR_GEN_FAILURE)

    def test_names(self):
        self.assertEqual(mailslot.error_name(121), "ERROR_SEM_TIMEOUT")
        self.assertIsNone(mailslot.error_name(9999))
        # the module's constants are the library's
        for name in dir(mailslot):
            if name.startswith("ERROR_"):
                self.assertEqual(mailslot.error_name(getattr(mailslot, name)), name)

    def test_the_exception(self):
        e = MailslotError(errno.EAGAIN, mailslot.ERROR_SEM_TIMEOUT, "x")
        self.assertEqual(e.errno, errno.EAGAIN)
        self.assertEqual(e.winerror, 121)
        self.assertEqual(e.filename, "x")
        self.assertIn("ERROR_SEM_TIMEOUT", str(e))


class WithoutMailslotfs(unittest.TestCase):
    """Nothing is made where mailslotfs is not mounted."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="msl-py.")
        self.old = os.environ.get("MAILSLOT_MOUNT")
        os.environ["MAILSLOT_MOUNT"] = self.dir

    def tearDown(self):
        os.rmdir(self.dir)
        if self.old is None:
            del os.environ["MAILSLOT_MOUNT"]
        else:
            os.environ["MAILSLOT_MOUNT"] = self.old

    def test_create_and_open_refused(self):
        for call in (lambda: Mailslot.create(r"\\.\mailslot\x"),
                     lambda: Mailslot.create(r"\\.\mailslot\d\x"),
                     lambda: Mailslot.open(r"\\.\mailslot\x")):
            with self.assertRaises(MailslotError) as cm:
                call()
            self.assertEqual(cm.exception.errno, errno.ENODEV)
            self.assertEqual(cm.exception.winerror, mailslot.ERROR_PATH_NOT_FOUND)
        self.assertEqual(os.listdir(self.dir), [])

    def test_mount_point(self):
        self.assertEqual(mailslot.mount_point(), self.dir)

    def test_bad_arguments_first(self):
        with self.assertRaises(MailslotError) as cm:
            Mailslot.create(r"\\.\mailslot\x", timeout=-2)
        self.assertEqual(cm.exception.winerror, mailslot.ERROR_INVALID_PARAMETER)
        with self.assertRaises(MailslotError) as cm:
            Mailslot.create("blah")
        self.assertEqual(cm.exception.winerror, mailslot.ERROR_INVALID_NAME)


if __name__ == "__main__":
    unittest.main()
