#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""interop.py: the helpers of interop_test.sh.

  serve PATH SECONDS       create the slot PATH (and the directories above
                           it) and print each message as a line of hex
                           until SECONDS have passed
  host-announcement NAME   print a [MS-BRWS] HostAnnouncement of server NAME
  pdc-query NAME REPLY     print a NETLOGON LOGON_PRIMARY_QUERY of computer
                           NAME that asks for the answer in mailslot REPLY
  query-flood NAME ADDR RATE SECONDS
                           send name queries for NAME<00> to ADDR:137, RATE
                           a second, until SECONDS have passed
  replay OPTIONS CAPTURE...
                           replay every datagram to UDP 138 in the captures
                           at a mailslotfs instance, and check what became
                           of each against what tshark makes of it

replay: for each capture, the instance takes the identity the capture
suggests (its workgroup: the commonest <1D>/<1E> name; its NetBIOS name:
the commonest name that unique datagrams are sent to), and gets a slot for
every mailslot the capture writes to. Each datagram is then sent from this
network namespace, one at a time, and the instance's counters tell what
it did with it, which must be what tshark predicts:
  - no well-formed, whole mailslot write in tshark's dissection (no
    mailslot layer, a malformed mark, another datagram type, a fragment):
    dropped as malformed, a fragment, or not a mailslot write;
  - a mailslot write to a name the instance has (NAME<00>, <03>, <20>,
    WORKGROUP<00>, <1D>, <1E>, *<00>): delivered, and the slot holds the
    message byte for byte (the DataCount bytes at DataOffset of the SMB);
  - a mailslot write to another name: dropped as not for us.
Prints TAP lines "ok N replay CAPTURE ..." (numbered from --first).
"""
import argparse
import collections
import os
import select
import socket
import struct
import subprocess
import sys
import time

REJECTED = ("dropped_malformed", "dropped_fragment", "dropped_not_mailslot")
NOT_VERDICTS = ("received", "sent", "send_errors", "name_queries_answered")
FIELDS = ("frame.number", "nbdgm.type", "nbdgm.first", "nbdgm.next",
          "nbdgm.destination_name", "mailslot.name", "smb.data_offset",
          "smb.dc", "_ws.malformed", "udp.payload")


def make_slot(path):
    """Create the slot @path, and the directories above it: its server."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL | os.O_NONBLOCK,
                   0o600)


def serve(path, seconds):
    fd = make_slot(path)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if select.select([fd], [], [], 0.5)[0]:
            print(os.read(fd, 1 << 16).hex(), flush=True)


def host_announcement(name):
    """HostAnnouncement (MS-BRWS 2.2.1): opcode 1, update count, period."""
    server = name.encode().ljust(16, b"\0")[:16]
    return (bytes([1, 0]) + struct.pack("<I", 720000) + server +
            bytes([6, 1]) + struct.pack("<I", 0x00011003) + bytes([15, 1]) +
            struct.pack("<H", 0xaa55) + b"written through mailslotfs\0")


def pdc_query(name, reply):
    """LOGON_PRIMARY_QUERY (MS-ADTS 6.3.1.3): NtVersion 1, both tokens."""
    return (b"\x07\x00" + name.encode() + b"\0" + reply.encode() + b"\0" +
            name.encode("utf-16-le") + b"\0\0" +
            struct.pack("<IHH", 1, 0xffff, 0xffff))


def query_flood(name, addr, rate, seconds):
    """NAME QUERY REQUESTs (RFC 1002 4.2.12), unicast, RD set."""
    raw = name.upper().encode().ljust(15)[:15] + b"\0"
    enc = bytes(0x41 + (c >> n & 15) for c in raw for n in (4, 0))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    start = time.monotonic()
    sent = 0
    while time.monotonic() < start + seconds:
        sock.sendto(struct.pack(">6H", sent & 0xffff, 0x0100, 1, 0, 0, 0) +
                    b"\x20" + enc + b"\0" + struct.pack(">HH", 0x20, 1),
                    (addr, 137))
        sent += 1
        time.sleep(max(0, start + sent / rate - time.monotonic()))


def tshark(capture):
    out = subprocess.run(
        ["tshark", "-n", "-r", capture, "-Y", "udp.dstport == 138",
         "-T", "fields", "-E", "occurrence=f"] +
        [a for f in FIELDS for a in ("-e", f)],
        check=True, capture_output=True, text=True).stdout
    return [dict(zip(FIELDS, line.split("\t")))
            for line in out.splitlines() if line]


def split_name(text):
    """'MSLTEST<1d>' -> ('MSLTEST', 0x1d); tshark shows '*' as '*<00>...'"""
    base, _, suffix = text.rpartition("<")
    while base.endswith("<00>"):
        base = base[:-4]
    return base.rstrip().upper(), int(suffix.rstrip(">"), 16)


def identity(frames):
    groups, uniques = collections.Counter(), collections.Counter()
    for f in frames:
        if not f["nbdgm.destination_name"]:
            continue
        name, suffix = split_name(f["nbdgm.destination_name"])
        if suffix in (0x1d, 0x1e):
            groups[name] += 1
        elif f["nbdgm.type"] == "16" and suffix in (0, 3, 0x20) and name != "*":
            uniques[name] += 1
    wg = groups.most_common(1)[0][0] if groups else "WORKGROUP"
    uniques.pop(wg, None)
    nb = uniques.most_common(1)[0][0] if uniques else "PEERB"
    return nb, wg


def expected(f, nb, wg):
    """What tshark's dissection says the instance must do, and the data."""
    whole = f["nbdgm.first"] in ("1", "True") and f["nbdgm.next"] in ("0", "False")
    if (f["nbdgm.type"] not in ("16", "17", "18") or not whole or
            not f["mailslot.name"] or f["_ws.malformed"]):
        return "rejected", None
    name, suffix = split_name(f["nbdgm.destination_name"])
    ours = {(nb, 0), (nb, 3), (nb, 0x20), (wg, 0), (wg, 0x1d), (wg, 0x1e),
            ("*", 0)}
    if (name, suffix) not in ours:
        return "not_for_us", None
    payload = bytes.fromhex(f["udp.payload"])
    start = payload.find(b"\xffSMB", 14) + int(f["smb.data_offset"])
    return "delivered", payload[start:start + int(f["smb.dc"])]


def counters(path):
    with open(path) as fh:
        return {k: int(v) for k, v in (line.split() for line in fh)}


def verdicts(c):
    """How many datagrams the instance has decided about."""
    return sum(v for k, v in c.items() if k not in NOT_VERDICTS)


def verdict(before, after):
    changed = [k for k in after
               if k not in NOT_VERDICTS and after[k] != before[k]]
    if len(changed) != 1:
        return "+".join(changed) or "nothing"
    if changed[0] in REJECTED:
        return "rejected"
    return changed[0].replace("dropped_", "")


def send_one(sock, args, payload):
    """Send @payload; the instance's counters once it has decided."""
    before = counters(args.counters)
    sock.sendto(payload, (args.to, 138))
    end = time.monotonic() + 10 * float(os.environ.get("MSFS_TIME_SCALE", 1))
    while time.monotonic() < end:
        after = counters(args.counters)
        if verdicts(after) > verdicts(before):
            return before, after
        time.sleep(0.005)
    return before, counters(args.counters)


def slot_path(mount, mailslot):
    """'\\MAILSLOT\\NET\\NETLOGON' -> MOUNT/NET/NETLOGON"""
    return os.path.join(mount, *mailslot.split("\\")[2:])


def replay_frame(sock, args, f, slots, nb, wg):
    """Send one frame; None if it went as tshark says, else the problem."""
    want, data = expected(f, nb, wg)
    before, after = send_one(sock, args, bytes.fromhex(f["udp.payload"]))
    got = verdict(before, after)
    if got != want:
        return "frame %s: %s, tshark says %s" % (f["frame.number"], got, want)
    if want != "delivered":
        return None
    fd = slots[f["mailslot.name"].upper()]
    msg = os.read(fd, 1 << 16)
    if msg != data:
        return "frame %s: delivered %s, tshark says %s" % (
            f["frame.number"], msg.hex(), data.hex())
    return None


def replay_capture(sock, args, capture):
    frames = tshark(capture)
    nb, wg = identity(frames)
    subprocess.run(["mount", "-o", "remount,netbios_name=%s,workgroup=%s" %
                    (nb, wg), args.mount], check=True)
    slots, problems = {}, []
    for f in frames:
        name = f["mailslot.name"].upper()
        if name.startswith("\\MAILSLOT\\") and name not in slots:
            slots[name] = make_slot(slot_path(args.mount, f["mailslot.name"]))
    tally = collections.Counter()
    for f in frames:
        problem = replay_frame(sock, args, f, slots, nb, wg)
        if problem:
            problems.append(problem)
        else:
            tally[expected(f, nb, wg)[0]] += 1
    for name, fd in slots.items():
        try:
            os.read(fd, 1 << 16)
            problems.append("%s holds a message too many" % name)
        except BlockingIOError:
            pass
        os.close(fd)
    return nb, wg, tally, problems


def replay(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    failed = 0
    for i, capture in enumerate(args.captures):
        nb, wg, tally, problems = replay_capture(sock, args, capture)
        what = ", ".join("%d %s" % (n, k) for k, n in sorted(tally.items()))
        for p in problems:
            print("# " + p)
        print("%s %d replay %s as %s in %s: %s" % (
            "not ok" if problems else "ok", args.first + i,
            os.path.basename(capture), nb, wg, what or "nothing"), flush=True)
        failed += bool(problems)
    return 1 if failed else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("path")
    s.add_argument("seconds", type=float)
    h = sub.add_parser("host-announcement")
    h.add_argument("name")
    q = sub.add_parser("pdc-query")
    q.add_argument("name")
    q.add_argument("reply")
    f = sub.add_parser("query-flood")
    f.add_argument("name")
    f.add_argument("addr")
    f.add_argument("rate", type=float)
    f.add_argument("seconds", type=float)
    r = sub.add_parser("replay")
    r.add_argument("--mount", required=True, help="the instance's mount")
    r.add_argument("--counters", required=True,
                   help="its namespace's counters (/proc/PID/net/mailslot)")
    r.add_argument("--to", required=True, help="its address")
    r.add_argument("--first", type=int, default=1, help="first TAP number")
    r.add_argument("captures", nargs="+")
    args = p.parse_args()
    if args.cmd == "serve":
        serve(args.path, args.seconds)
    elif args.cmd == "host-announcement":
        sys.stdout.buffer.write(host_announcement(args.name))
    elif args.cmd == "pdc-query":
        sys.stdout.buffer.write(pdc_query(args.name, args.reply))
    elif args.cmd == "query-flood":
        query_flood(args.name, args.addr, args.rate, args.seconds)
    else:
        return replay(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
