#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mailslotfs against real peers: Samba's nmbd in network namespace A
# (10.77.0.1, NMBDA, a classic PDC and the local master browser of
# MSLTEST) and a mailslotfs instance with remote on in namespace B
# (10.77.0.2, MSLHOST), joined by a veth pair, with dumpcap recording B's
# side. Then every datagram of the captures in $MSFS_SHARED/interop
# (default: ../shared beside the repository) is replayed at the instance
# (interop.py replay). Needs nmbd, nmblookup, dumpcap and tshark (samba,
# tshark), python3-samba, iproute2 and the shared directory; skips without.
# mailslot(1) ($MSFS_MAILSLOT, else the one in PATH) sends a Messenger
# message to nmbd; that test skips without it.
# About two minutes under TCG, most of it waiting for nmbd's election.

here=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=selftests/tap.sh
. "$here/tap.sh"
# shellcheck source=selftests/peers.sh
. "$here/peers.sh"
shared=${MSFS_SHARED:-$here/../../shared}
py=/usr/bin/python3
pids=
A=msia$$
B=msib$$
W=

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "$W" ] && { umount "$W/m" 2>/dev/null; rm -rf "$W"; }
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
}

in_log() { grep -qF -- "$1" "$W/nmbd.log"; }
has_hex() { grep -q -- "$2" "$W/$1.hex" 2>/dev/null; }

echo "TAP version 13"
[ "$(id -u)" = 0 ] || skip "needs root"
for t in nmbd nmblookup dumpcap tshark ip $py; do
	command -v "$t" >/dev/null || skip "no $t (apt-get install samba tshark iproute2)"
done
$py -c 'import samba.ndr' 2>/dev/null || skip "no python3-samba"
[ -r "$shared/interop/tools/ndr_mailslot.py" ] || skip "no $shared/interop"
grep -qw mailslotfs /proc/filesystems || modprobe mailslotfs 2>/dev/null
grep -qw mailslotfs /proc/filesystems || skip "no mailslotfs"
captures=("$shared"/interop/captures/*.pcap)
echo "1..$((9 + ${#captures[@]}))"
trap cleanup EXIT

# the two hosts
W=$(mktemp -d /tmp/msl-interop.XXXXXX)
mkdir -p "$W"/a/{lock,state,cache,pid,private,log,ncalrpc} "$W/m" \
	/run/samba /var/lib/samba /var/cache/samba /var/log/samba
ip netns add $A && ip netns add $B &&
ip link add va$$ netns $A type veth peer name vb$$ netns $B &&
ip -n $A addr add 10.77.0.1/24 brd + dev va$$ &&
ip -n $B addr add 10.77.0.2/24 brd + dev vb$$ &&
ip -n $A link set va$$ up && ip -n $B link set vb$$ up &&
ip -n $A link set lo up && ip -n $B link set lo up || exit 1
cat >"$W/a/smb.conf" <<EOF
[global]
   workgroup = MSLTEST
   netbios name = NMBDA
   interfaces = 10.77.0.1/24
   bind interfaces only = yes
   server role = classic primary domain controller
   domain master = yes
   local master = yes
   preferred master = yes
   os level = 65
   wins support = no
   dns proxy = no
   lock directory = $W/a/lock
   state directory = $W/a/state
   cache directory = $W/a/cache
   pid directory = $W/a/pid
   private dir = $W/a/private
   ncalrpc dir = $W/a/ncalrpc
   log file = $W/a/log/log.%m
EOF
bg ip netns exec $B dumpcap -q -i vb$$ -f "udp port 137 or udp port 138" \
	-w "$W/b.pcapng" 2>"$W/dumpcap.log"
wait_for 30 grep -q "Capturing on" "$W/dumpcap.log" || exit 1
nsenter --net=/run/netns/$B mount -t mailslotfs \
	-o remote,netbios_name=MSLHOST,workgroup=MSLTEST,remote_rate=0 none "$W/m" ||
	exit 1
M=$W/m
bg $py "$here/interop.py" serve "$M/BROWSE" 600 >"$W/browse.hex"
bg $py "$here/interop.py" serve "$M/NET/GETDC42" 600 >"$W/getdc.hex"

# B answers Samba's name service, by name and by address
out=$(ip netns exec $A nmblookup -s "$W/a/smb.conf" -U 10.77.0.2 MSLHOST 2>&1)
echo "$out" | grep -q "^10.77.0.2 MSLHOST<00>"
result $? "nmblookup finds MSLHOST<00> at 10.77.0.2"
out=$(ip netns exec $A nmblookup -s "$W/a/smb.conf" -A 10.77.0.2 2>&1)
echo "$out" | grep -Eq "MSLHOST +<20> +- +B +<ACTIVE>" &&
	echo "$out" | grep -Eq "MSLTEST +<00> +- +<GROUP> +B +<ACTIVE>"
result $? "nmblookup -A 10.77.0.2 lists B's names"
[ $fails = 0 ] || printf '# %s\n' "${out//$'\n'/$'\n# '}"

bg ip netns exec $A nmbd -F --debug-stdout -d 4 -s "$W/a/smb.conf" >"$W/nmbd.log" 2>&1

# nmbd announces itself at once: its HostAnnouncement (opcode 1) arrives
wait_for 60 has_hex browse "^01.*$(hex NMBDA)"
result $? "nmbd's HostAnnouncement arrives in /mailslot/BROWSE"

# a write to @NMBDA resolves NMBDA through nmbd's name service
sent() {
	echo "hello nmbd" 2>/dev/null >"$M/@NMBDA/MSLTEST" &&
		wait_for 5 in_log 'datagram from MSLHOST<00> to NMBDA<00> IP 10.77.0.2 for \MAILSLOT\MSLTEST'
}
wait_for 60 sent
result $? "/mailslot/@NMBDA/MSLTEST reaches nmbd, which takes it"

# mailslot(1)'s Messenger message to NMBDA; its capture is checked below
mailslot=${MSFS_MAILSLOT:-$(command -v mailslot)}
[ -x "$mailslot" ] &&
	MAILSLOT_MOUNT=$M "$mailslot" send --messenger --from MSLHOST NMBDA "hello nmbd" &&
	wait_for 10 in_log 'datagram from MSLHOST<00> to NMBDA<00> IP 10.77.0.2 for \MAILSLOT\MESSNGR'
messenger=$?

# NETLOGON: nmbd as PDC answers into B's NET/GETDC42
wait_for 90 in_log "is now a logon server" &&
	$py "$here/interop.py" pdc-query MSLHOST '\MAILSLOT\NET\GETDC42' \
		>"$M/@NMBDA/NET/NETLOGON" &&
	wait_for 10 has_hex getdc "^0c00$(hex NMBDA)00"
result $? "a NETLOGON query to nmbd is answered into /mailslot/NET/GETDC42"

# B's HostAnnouncement, through @10.77.0.1, enters the master's browse list
listed() { grep -q '"MSLSERVER"' "$W/a/cache/browse.dat" 2>/dev/null; }
wait_for 150 in_log "now a local master browser" &&
	$py "$here/interop.py" host-announcement MSLSERVER >"$M/@10.77.0.1/BROWSE" &&
	wait_for 60 listed
result $? "a HostAnnouncement through /mailslot/@10.77.0.1/BROWSE enters nmbd's browse list"

kill_nmbd_and_dumpcap() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	pids=
}
kill_nmbd_and_dumpcap

# everything B sent is well formed, to tshark and to Samba's own NDR
ours="ip.src == 10.77.0.2 && nbdgm"
bad="$ours && (!mailslot || _ws.malformed || _ws.expert.severity >= 0x00600000 ||
	nbdgm.src.ip != ip.src || nbdgm.src.port != udp.srcport)"
bad_ns="ip.src == 10.77.0.2 && nbns && (_ws.malformed || _ws.expert.severity >= 0x00600000)"
total=$(tshark -n -r "$W/b.pcapng" -Y "$ours" 2>/dev/null | wc -l)
nbad=$(tshark -n -r "$W/b.pcapng" -Y "$bad || $bad_ns" 2>/dev/null | wc -l)
echo "# B sent $total datagrams; tshark finds fault with $nbad (with its name answers)"
[ "$total" -ge 3 ] && [ "$nbad" = 0 ]
result $? "tshark dissects B's datagrams as NBDS, SMB, Mailslot with no error"
tshark -n -r "$W/b.pcapng" -Y "$ours" -T fields -e udp.payload 2>/dev/null |
	$py "$shared/interop/tools/ndr_mailslot.py" decode --strict >"$W/ndr.log" 2>&1
st=$?
sed 's/^/# /' "$W/ndr.log"
[ $st = 0 ] && [ -s "$W/ndr.log" ]
result $? "Samba's NDR decodes B's datagrams (ndr_mailslot.py decode --strict)"
data=$(tshark -n -r "$W/b.pcapng" -Y 'mailslot.name == "\\MAILSLOT\\MESSNGR"' \
	-T fields -e data.data 2>/dev/null)
if [ -x "$mailslot" ]; then
	[ $messenger = 0 ] && [ "$data" = "$(hex MSLHOST)00$(hex NMBDA)00$(hex 'hello nmbd')00" ]
	result $? "mailslot send --messenger NMBDA: nmbd takes it; tshark reads from\\0to\\0text\\0"
else
	n=$((n + 1))
	echo "ok $n mailslot send --messenger # SKIP no mailslot(1): set MSFS_MAILSLOT"
fi
[ $fails = 0 ] || grep -E "process_dgram|ignoring|logon" "$W/nmbd.log" | tail -n 20 | sed 's/^/# /'

# the captures, replayed at B from A
bg ip netns exec $B sleep 600
bg_ns_pid=${pids##* }
ip netns exec $A $py "$here/interop.py" replay --mount "$M" --to 10.77.0.2 \
	--counters "/proc/$bg_ns_pid/net/mailslot" --first $((n + 1)) "${captures[@]}" |
	tee "$W/replay.tap"
fails=$((fails + $(grep -c '^not ok' "$W/replay.tap")))
n=$((n + $(grep -c '^\(not \)\?ok' "$W/replay.tap")))
[ $fails = 0 ]
