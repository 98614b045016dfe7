#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Syscall fuzzing with trinity (Debian's package), as an unprivileged user,
# on a mailslotfs instance with remote on: its victim directory is the
# instance, seeded with every kind of object that a directory walk finds
# (directories, nested ones, slots whose servers are held open, slots that
# only root may write, a slot with messages queued), and it calls only the
# system calls that reach a filesystem, for MSFS_TRINITY_SECONDS (default
# 60: a budget, not a limit, so not scaled). Trinity never tries "@"
# paths (a walk does not find them): matrix_test covers those. A splat
# fails the run (the guest runner reads the kernel log); so does trinity
# not starting.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/tap.sh
. "$here/tap.sh"
seconds=${MSFS_TRINITY_SECONDS:-60}
victim=/tmp/msl-trinity
holders=

echo "TAP version 13"
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root"; exit $ksft_skip; }
command -v trinity >/dev/null || { echo "1..0 # SKIP no trinity (apt-get install trinity)"; exit $ksft_skip; }
command -v setpriv >/dev/null || { echo "1..0 # SKIP no setpriv"; exit $ksft_skip; }
require_module
echo "1..1"

cleanup() {
	for p in $holders; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	umount -l "$victim" 2>/dev/null
}
trap cleanup EXIT

# a network namespace of its own, for an instance of its own with remote on
if [ -z "${MSFS_TRINITY_NETNS:-}" ]; then
	MSFS_TRINITY_NETNS=1 exec unshare -n -- "$0" "$@"
fi
ip link set lo up
mkdir -p "$victim"
mount -t mailslotfs -o remote,remote_rate=0,mode=1777 none "$victim" || exit 1
mkdir -m 0777 "$victim/NET" "$victim/NET/SUB"
mkdir -m 0700 "$victim/ROOTONLY"
hold() {	# hold a slot's server: MODE PATH
	(umask 0; exec "$here/msl_hold" "$2" "$1" >/dev/null 2>&1) &
	holders="$holders $!"
}
hold 0666 "$victim/OPEN"
hold 0622 "$victim/NET/NETLOGON"
hold 0666 "$victim/NET/SUB/DEEP"
hold 0600 "$victim/PRIVATE"
hold 0666 "$victim/ROOTONLY/HIDDEN"
for i in $(seq 50); do
	[ -e "$victim/ROOTONLY/HIDDEN" ] && [ -e "$victim/OPEN" ] && break
	sleep 0.1
done
for i in 1 2 3; do echo "queued $i" >"$victim/OPEN"; done

calls="open openat openat2 creat close dup dup2 dup3 read write pread64 pwrite64
       readv writev preadv pwritev preadv2 pwritev2 splice tee vmsplice sendfile
       copy_file_range mmap munmap fallocate ftruncate truncate ioctl fcntl flock
       mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2 link linkat
       symlink symlinkat mknod mknodat chmod fchmod fchmodat chown fchown fchownat
       lchown utime utimes utimensat futimesat setxattr lsetxattr fsetxattr
       getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr removexattr
       lremovexattr fremovexattr newstat newlstat newfstat fstatat64 statx statfs fstatfs
       access faccessat faccessat2 readlink readlinkat getdents getdents64 lseek
       fsync fdatasync sync_file_range syncfs poll ppoll select pselect6
       inotify_add_watch name_to_handle_at fadvise64 readahead"
args=()
for c in $calls; do args+=(-c "$c"); done

cd /tmp || exit 1
# -T: loading an out-of-tree module taints the kernel already; stop only
# on a new oops, warning or bad page. However it ends, what it leaves
# running as uid 65534 is killed after (it would keep the runner's pipe
# open).
timeout --signal=INT --kill-after=30 "$seconds" \
	setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	trinity -V "$victim" -q -l off -C 2 -T DIE,WARN,BAD_PAGE \
	--disable-fds=sockets,perf,drm,pseudo "${args[@]}" >/tmp/trinity.log 2>&1
st=$?
pkill -KILL -u 65534 2>/dev/null
# Debian's trinity (1.9) can loop at shutdown on a child that is gone,
# printing "pid N has disappeared. Reaping." until killed: its own
# bookkeeping (newer trinity reaps such a child with waitpid() first). A
# child the kernel held would still exist, and a hung task splats; so
# the run is counted as ended, and says so.
if [ $st = 137 ] && tail -n 3 /tmp/trinity.log | grep -q "has disappeared. Reaping"; then
	echo "# trinity looped at shutdown on a child that was gone; killed after the run"
	st=124
fi
grep -E "iterations|syscalls|Bailing|tainted" /tmp/trinity.log | tail -n 5 | sed 's/^/# /'
# 124: timeout's INT ended it, which is how a run ends; anything else
# that is not a clean exit is trinity failing to run (or the kernel)
[ $st = 124 ] || [ $st = 0 ] || tail -n 40 /tmp/trinity.log | sed 's/^/# /'
[ $st = 124 ] || [ $st = 0 ]
result $? "trinity ran $seconds s as nobody on an instance with remote on (exit $st)"
echo "# Totals: pass:$((n - fails)) fail:$fails xfail:0 xpass:0 skip:0 error:0"
[ $fails = 0 ]
