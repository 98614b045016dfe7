# SPDX-License-Identifier: GPL-2.0
"""mailslot.py on mailslotfs: create, write, read, timeouts, info, a
buffer too small, no server, the wrong end, signals. Needs mailslotfs
mounted where the library finds it (tests/run.sh); prints TAP.

    python3 tools/lib/tests/test_mailslot.py
"""

import errno
import os
import select
import signal
import sys
import threading
import time
import traceback
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import mailslot  # noqa: E402
from mailslot import Mailslot, MailslotError, MAILSLOT_NO_MESSAGE, \
    MAILSLOT_WAIT_FOREVER  # noqa: E402


def name(tag):
    return "\\\\.\\mailslot\\libmsl_py_" + tag


class Base(unittest.TestCase):
    def assertFails(self, call, err, winerror):
        with self.assertRaises(MailslotError) as cm:
            call()
        self.assertEqual(cm.exception.errno, err)
        self.assertEqual(cm.exception.winerror, winerror)
        return cm.exception


class Messages(Base):
    def test_create_write_read(self):
        with Mailslot.create(name("rw"), timeout=0) as srv, \
                Mailslot.open(name("rw")) as cli:
            self.assertEqual(cli.write(b"hello"), 5)
            self.assertEqual(cli.write(b""), 0)
            self.assertEqual(cli.write(bytearray(b"third")), 5)
            self.assertEqual(srv.read(), b"hello")
            self.assertEqual(srv.read(16), b"")
            self.assertEqual(srv.read(5), b"third")
        self.assertTrue(srv.closed)
        # the slot went with its server
        self.assertFails(lambda: Mailslot.open(name("rw")), errno.ENOENT,
                         mailslot.ERROR_FILE_NOT_FOUND)

    def test_names_fold_case_and_have_levels(self):
        with Mailslot.create(name("dir") + "\\Sub\\Slot", timeout=0) as srv:
            with Mailslot.open(name("DIR") + "\\sub\\SLOT") as cli:
                cli.write(b"x")
            self.assertEqual(srv.read(), b"x")
        os.rmdir(os.path.join(mailslot.mount_point(), "libmsl_py_dir", "Sub"))
        os.rmdir(os.path.join(mailslot.mount_point(), "libmsl_py_dir"))

    def test_fifo_from_many_writers(self):
        with Mailslot.create(name("fifo"), timeout=0) as srv:
            writers = [Mailslot.open(name("fifo")) for _ in range(3)]
            for i, w in enumerate(writers):
                w.write(b"%d" % i)
            for w in writers:
                w.close()
            self.assertEqual([srv.read() for _ in range(3)], [b"0", b"1", b"2"])


class Info(Base):
    def test_info_and_query(self):
        with Mailslot.create(name("info"), max_size=1000, timeout=250) as srv:
            self.assertEqual(srv.info(), (1000, MAILSLOT_NO_MESSAGE, 0, 250))
            with Mailslot.open(name("info")) as cli:
                cli.write(b"ab")
                cli.write(b"cde")
                info = srv.info()
                self.assertEqual((info.next_size, info.count), (2, 2))
                self.assertEqual(cli.info(), info)
                self.assertEqual(srv.query().flags, 1)    # MAILSLOT_INFO_SERVER
                self.assertEqual(cli.query().flags, 0)
                self.assertEqual(srv.query().queued_bytes, 5)

    def test_any_size(self):
        with Mailslot.create(name("any")) as srv:
            self.assertGreater(srv.info().max_size, 1000)
            self.assertEqual(srv.info().timeout, MAILSLOT_WAIT_FOREVER)

    def test_max_size_is_enforced(self):
        with Mailslot.create(name("max"), max_size=4, timeout=0) as srv, \
                Mailslot.open(name("max")) as cli:
            self.assertFails(lambda: cli.write(b"12345"), errno.EMSGSIZE,
                             mailslot.ERROR_INVALID_PARAMETER)
            cli.write(b"1234")
            self.assertEqual(srv.read(), b"1234")

    def test_set_timeout(self):
        with Mailslot.create(name("settimeout")) as srv:
            srv.set_timeout(0)
            self.assertEqual(srv.info().timeout, 0)
            self.assertFails(srv.read, errno.EAGAIN, mailslot.ERROR_SEM_TIMEOUT)
            self.assertFails(lambda: srv.set_timeout(-2), errno.EINVAL,
                             mailslot.ERROR_INVALID_PARAMETER)
            with Mailslot.open(name("settimeout")) as cli:
                self.assertFails(lambda: cli.set_timeout(0), errno.EBADF,
                                 mailslot.ERROR_ACCESS_DENIED)


class Timeouts(Base):
    def test_read_times_out(self):
        with Mailslot.create(name("timeout"), timeout=300) as srv:
            t0 = time.monotonic()
            e = self.assertFails(srv.read, errno.EAGAIN, mailslot.ERROR_SEM_TIMEOUT)
            self.assertGreaterEqual(time.monotonic() - t0, 0.27)
            self.assertIn("ERROR_SEM_TIMEOUT", str(e))

    def test_zero_timeout_fails_at_once(self):
        with Mailslot.create(name("zero"), timeout=0) as srv:
            t0 = time.monotonic()
            self.assertFails(lambda: srv.read(0), errno.EAGAIN, mailslot.ERROR_SEM_TIMEOUT)
            self.assertLess(time.monotonic() - t0, 1)

    def test_pending_read_completes_on_write(self):
        got = []
        with Mailslot.create(name("pending")) as srv:
            t = threading.Thread(target=lambda: got.append(srv.read(16)))
            t.start()
            time.sleep(0.3)
            self.assertEqual(got, [])
            self.assertEqual(select.select([srv], [], [], 0)[0], [])
            with Mailslot.open(name("pending")) as cli:
                cli.write(b"data")
            t.join(10)
            self.assertEqual(got, [b"data"])


class Errors(Base):
    def test_buffer_too_small_keeps_the_message(self):
        with Mailslot.create(name("small"), timeout=0) as srv, \
                Mailslot.open(name("small")) as cli:
            cli.write(b"xy")
            self.assertFails(lambda: srv.read(1), errno.EMSGSIZE,
                             mailslot.ERROR_INSUFFICIENT_BUFFER)
            self.assertEqual(srv.info().next_size, 2)
            self.assertEqual(srv.read(), b"xy")

    def test_no_server(self):
        self.assertFails(lambda: Mailslot.open(name("nobody")), errno.ENOENT,
                         mailslot.ERROR_FILE_NOT_FOUND)
        srv = Mailslot.create(name("gone"))
        cli = Mailslot.open(name("gone"))
        srv.close()
        self.assertFails(lambda: cli.write(b"x"), errno.EPIPE, mailslot.ERROR_BROKEN_PIPE)
        cli.close()

    def test_wrong_ends(self):
        with Mailslot.create(name("ends"), timeout=0) as srv, \
                Mailslot.open(name("ends")) as cli:
            self.assertFails(lambda: srv.write(b"x"), errno.EBADF,
                             mailslot.ERROR_ACCESS_DENIED)
            self.assertFails(lambda: cli.read(4), errno.EBADF,
                             mailslot.ERROR_ACCESS_DENIED)
            self.assertFails(lambda: Mailslot.create(name("ends")), errno.EEXIST,
                             mailslot.ERROR_ALREADY_EXISTS)

    def test_closed_handle(self):
        srv = Mailslot.create(name("closed"))
        srv.close()
        srv.close()
        self.assertFails(srv.info, errno.EBADF, mailslot.ERROR_INVALID_HANDLE)
        self.assertFails(lambda: srv.read(4), errno.EBADF, mailslot.ERROR_INVALID_HANDLE)

    def test_bad_names(self):
        self.assertFails(lambda: Mailslot.create("blah"), errno.EINVAL,
                         mailslot.ERROR_INVALID_NAME)
        self.assertFails(lambda: Mailslot.create(r"\\.\mailslot\..\x"), errno.EINVAL,
                         mailslot.ERROR_INVALID_NAME)
        self.assertFails(lambda: Mailslot.create(r"\\HOST\mailslot\x"), errno.EINVAL,
                         mailslot.ERROR_INVALID_NAME)


class Interrupted(Exception):
    pass


class Signals(Base):
    """A signal during a wait: the call goes on after a handler that
    returns (PEP 475), and ends with what a handler raises."""

    def wait_with_alarm(self, handler, delay):
        old = signal.signal(signal.SIGALRM, handler)
        try:
            with Mailslot.create(name("signal")) as srv:
                cli = Mailslot.open(name("signal"))
                writer = threading.Timer(delay, lambda: cli.write(b"late"))
                writer.start()
                signal.setitimer(signal.ITIMER_REAL, 0.1)
                try:
                    return srv.read(16)
                finally:
                    writer.join()
                    cli.close()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)

    def test_handler_that_returns(self):
        seen = []
        self.assertEqual(self.wait_with_alarm(lambda *a: seen.append(1), 0.5), b"late")
        self.assertEqual(seen, [1])

    def test_handler_that_raises(self):
        def stop(*a):
            raise Interrupted()
        with self.assertRaises(Interrupted):
            self.wait_with_alarm(stop, 0.5)


class TapResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.n = 0

    def report(self, test, ok, note="", details=None):
        self.n += 1
        if details:
            for line in details.rstrip().splitlines():
                print("# " + line)
        print("%sok %d %s%s" % ("" if ok else "not ", self.n, test.id(), note))
        sys.stdout.flush()

    def addSuccess(self, test):
        super().addSuccess(test)
        self.report(test, True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.report(test, False, details="".join(traceback.format_exception(*err)))

    def addError(self, test, err):
        super().addError(test, err)
        self.report(test, False, details="".join(traceback.format_exception(*err)))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.report(test, True, " # SKIP " + reason)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    print("TAP version 13")
    print("1..%d" % suite.countTestCases())
    result = TapResult()
    suite.run(result)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
