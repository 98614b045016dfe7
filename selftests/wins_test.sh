#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mailslotfs as an H node (wins=) across a router, with Samba's nmbd as
# the WINS server. Three network namespaces:
#
#   H1 10.78.1.1 ---- 10.78.1.254 R 10.78.2.254 ---- 10.78.2.1 H2
#   MSLONE       nmbd: WINS server, PDC of MSLWINS;  MSLTWO
#                ip_forward
#
# H1 and H2 each mount a mailslotfs instance with remote,wins=10.78.1.254;
# no broadcast crosses R, so they find each other only through the server.
# Checks: both register their names (nmblookup -U WINS --recursion, the
# -R of older Samba, finds them, and a Samba client on each subnet
# resolves the other host); a write to @OTHER crosses the router and
# arrives; a write to @MSLWINS#1c reaches the PDC (an Internet group the
# server lists); a name another host has is a conflict, counted, not fought,
# even while its owner is flooded with name queries;
# the names are refreshed before their TTL (120 s here) runs out, and
# released at a remount without servers and at umount; and without wins=
# nothing goes to the server. Needs nmbd, nmblookup, dumpcap and tshark
# (samba, tshark) and iproute2; skips without.

here=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=selftests/tap.sh
. "$here/tap.sh"
# shellcheck source=selftests/peers.sh
. "$here/peers.sh"
py=/usr/bin/python3
pids=
R=mswr$$
H1=mswa$$
H2=mswb$$
WINS=10.78.1.254
W=

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ -n "$W" ]; then
		umount "$W/m1" 2>/dev/null
		umount "$W/m2" 2>/dev/null
		rm -rf "$W"
	fi
	ip netns del "$R" 2>/dev/null
	ip netns del "$H1" 2>/dev/null
	ip netns del "$H2" 2>/dev/null
}


# counter NS NAME: a counter of /proc/net/mailslot in namespace NS
counter() {
	ip netns exec "$1" cat /proc/net/mailslot |
		awk -v c="$2" '$1 == c { print $2; f = 1 } END { if (!f) print -1 }'
}
counter_ge() { [ "$(counter "$1" "$2")" -ge "$3" ]; }

# lookup NS NAME ADDR: a Samba client in NS asks the WINS server for NAME
# and gets ADDR
lookup() {
	ip netns exec "$1" nmblookup -s "$W/client.conf" -U $WINS --recursion "$2" \
		>"$W/lookup.out" 2>&1 && grep -q "^$3 $2<00>" "$W/lookup.out"
}
# gone NS NAME: the server no longer knows NAME
gone() { ! lookup "$1" "$2" '[0-9.]*'; }
arrived() { grep -q "^$(hex "$2")" "$W/$1.hex" 2>/dev/null; }

echo "TAP version 13"
[ "$(id -u)" = 0 ] || skip "needs root"
for t in nmbd nmblookup dumpcap tshark ip nsenter $py; do
	command -v "$t" >/dev/null || skip "no $t (apt-get install samba tshark iproute2)"
done
grep -qw mailslotfs /proc/filesystems || modprobe mailslotfs 2>/dev/null
grep -qw mailslotfs /proc/filesystems || skip "no mailslotfs"
echo "1..17"
trap cleanup EXIT

# the network: two subnets, R between them
W=$(mktemp -d /tmp/msl-wins.XXXXXX)
mkdir -p "$W"/r/{lock,state,cache,pid,private,log,ncalrpc} \
	"$W"/c/{lock,state,cache,pid,private} "$W/m1" "$W/m2" \
	/run/samba /var/lib/samba /var/cache/samba /var/log/samba
ip netns add $R && ip netns add $H1 && ip netns add $H2 &&
ip link add r1$$ netns $R type veth peer name a$$ netns $H1 &&
ip link add r2$$ netns $R type veth peer name b$$ netns $H2 &&
ip -n $R addr add $WINS/24 brd + dev r1$$ &&
ip -n $R addr add 10.78.2.254/24 brd + dev r2$$ &&
ip -n $H1 addr add 10.78.1.1/24 brd + dev a$$ &&
ip -n $H2 addr add 10.78.2.1/24 brd + dev b$$ &&
for ns in $R $H1 $H2; do ip -n "$ns" link set lo up || exit 1; done &&
ip -n $R link set r1$$ up && ip -n $R link set r2$$ up &&
ip -n $H1 link set a$$ up && ip -n $H2 link set b$$ up &&
ip -n $H1 route add default via $WINS &&
ip -n $H2 route add default via 10.78.2.254 &&
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1 || exit 1

cat >"$W/r/smb.conf" <<EOF
[global]
   workgroup = MSLWINS
   netbios name = WINSSRV
   interfaces = $WINS/24
   bind interfaces only = yes
   wins support = yes
   min wins ttl = 60
   max wins ttl = 120
   server role = classic primary domain controller
   domain logons = yes
   dns proxy = no
   lock directory = $W/r/lock
   state directory = $W/r/state
   cache directory = $W/r/cache
   pid directory = $W/r/pid
   private dir = $W/r/private
   ncalrpc dir = $W/r/ncalrpc
   log file = $W/r/log/log.%m
EOF
cat >"$W/client.conf" <<EOF
[global]
   workgroup = MSLWINS
   lock directory = $W/c/lock
   state directory = $W/c/state
   cache directory = $W/c/cache
   pid directory = $W/c/pid
   private dir = $W/c/private
EOF
bg ip netns exec $R nmbd -F --debug-stdout -d 3 -s "$W/r/smb.conf" >"$W/nmbd.log" 2>&1
wait_for 60 lookup $H1 WINSSRV $WINS ||
	echo "# nmbd does not answer for its own name yet; going on"

mount_host() {	# NS MOUNTPOINT NAME
	nsenter --net=/run/netns/"$1" mount -t mailslotfs \
		-o remote,netbios_name="$3",workgroup=MSLWINS,wins=$WINS none "$2"
}
remount() {	# NS MOUNTPOINT OPTIONS
	nsenter --net=/run/netns/"$1" mount -o remount,"$3" none "$2"
}
mount_host $H1 "$W/m1" MSLONE && mount_host $H2 "$W/m2" MSLTWO || exit 1
M1=$W/m1
M2=$W/m2

grep -q " $M1 mailslotfs .*,wins=$WINS" /proc/mounts
result $? "/proc/mounts shows wins=$WINS"

# NAME<00>, <03>, <20> and WORKGROUP<00>, each
wait_for 60 counter_ge $H1 wins_registrations 4
result $? "H1 registers its 4 names with the WINS server"
wait_for 60 counter_ge $H2 wins_registrations 4
result $? "H2, past the router, registers its 4 names too"

lookup $H2 MSLONE 10.78.1.1
result $? "nmblookup -U $WINS --recursion MSLONE, from subnet 2, finds 10.78.1.1"
lookup $H1 MSLTWO 10.78.2.1
result $? "nmblookup -U $WINS --recursion MSLTWO, from subnet 1, finds 10.78.2.1"
[ $fails = 0 ] || sed 's/^/# /' "$W/lookup.out"

# registered names are answered for as an H node's
ip netns exec $H2 nmblookup -s "$W/client.conf" -A 10.78.1.1 >"$W/status.out" 2>&1
grep -Eq "MSLONE +<00> +- +H +<ACTIVE>" "$W/status.out"
result $? "H1's node status, across the router, says H node"

# writes by name, across the router: resolved through the server
bg $py "$here/interop.py" serve "$M1/WINSTEST" 600 >"$W/one.hex"
one_pid=${pids##* }
bg $py "$here/interop.py" serve "$M2/WINSTEST" 600 >"$W/two.hex"
wait_for 20 test -e "$M1/WINSTEST" && wait_for 20 test -e "$M2/WINSTEST"
queries=$(counter $H2 wins_queries)
echo "hi from two" >"$M2/@MSLONE/WINSTEST" && wait_for 10 arrived one "hi from two"
result $? "echo > $M2/@MSLONE/WINSTEST arrives in H1's slot"
counter_ge $H2 wins_queries $((queries + 1)) && counter_ge $H2 wins_answers 1
result $? "H2 asked the WINS server, which answered"
echo "hi from one" >"$M1/@MSLTWO/WINSTEST" && wait_for 10 arrived two "hi from one"
result $? "echo > $M1/@MSLTWO/WINSTEST arrives in H2's slot"

# an Internet group: nmbd, as PDC, registers MSLWINS<1c> with itself; a
# NETLOGON query to it by that name crosses the router, and its answer
# comes back into H2's NET/GETDC42
bg $py "$here/interop.py" serve "$M2/NET/GETDC42" 600 >"$W/getdc.hex"
pdc_answers() {
	$py "$here/interop.py" pdc-query MSLTWO '\MAILSLOT\NET\GETDC42' \
		>"$M2/@MSLWINS#1c/NET/NETLOGON" &&
		wait_for 5 grep -q "^0c00$(hex WINSSRV)00" "$W/getdc.hex"
}
wait_for 90 pdc_answers
result $? "a NETLOGON query to @MSLWINS#1c (the PDC, found through WINS) is answered"

# H2 takes H1's name: the server checks with H1, which still has it
remount $H2 "$M2" netbios_name=MSLONE &&
	wait_for 60 counter_ge $H2 wins_conflicts 1 && lookup $H2 MSLONE 10.78.1.1
result $? "H2 asking for H1's name is a conflict, counted; H1 keeps it"
remount $H2 "$M2" netbios_name=MSLTWO && wait_for 60 lookup $H1 MSLTWO 10.78.2.1
result $? "H2 under its own name again is registered anew"

# again, H1 flooded by H2 with name queries, 20 times its answer budget
# (remote_rate=0 lets them all in): the server's check has its own budget
limited=$(counter $H1 name_replies_limited)
conflicts=$(counter $H2 wins_conflicts)
remount $H1 "$M1" remote_rate=0 || exit 1
bg ip netns exec $H2 $py "$here/interop.py" query-flood MSLONE 10.78.1.1 1000 600
wait_for 30 counter_ge $H1 name_replies_limited $((limited + 100)) &&
	remount $H2 "$M2" netbios_name=MSLONE &&
	wait_for 60 counter_ge $H2 wins_conflicts $((conflicts + 1)) &&
	lookup $H2 MSLONE 10.78.1.1
result $? "H1, flooded with name queries, still answers the server and keeps its name"
kill "${pids##* }" && wait "${pids##* }" 2>/dev/null
pids=${pids% *}
remount $H1 "$M1" remote_rate=100 && remount $H2 "$M2" netbios_name=MSLTWO &&
	wait_for 60 lookup $H1 MSLTWO 10.78.2.1 || exit 1

# without servers, H2 releases its names and is a B node again
remount $H2 "$M2" wins= && wait_for 30 gone $H1 MSLTWO
result $? "a remount with wins= alone releases H2's names"
bg ip netns exec $R dumpcap -q -i r2$$ -f "udp port 137 and dst host $WINS" \
	-w "$W/r2.pcapng" 2>"$W/dumpcap.log"
wait_for 30 grep -q "Capturing on" "$W/dumpcap.log" || exit 1
queries=$(counter $H2 wins_queries)
if (echo "hi again" >"$M2/@MSLONE/WINSTEST") 2>/dev/null; then st=1; else st=0; fi
sleep 2
kill "${pids##* }" && wait "${pids##* }" 2>/dev/null
pids=${pids% *}
sent=$(tshark -n -r "$W/r2.pcapng" 2>/dev/null | wc -l)
echo "# without wins=: $sent packets to the server's port 137"
[ $st = 0 ] && [ "$sent" = 0 ] && [ "$(counter $H2 wins_queries)" = "$queries" ]
result $? "without wins= nothing goes to the server, and @MSLONE is not found"

# the server gives 120 s (max wins ttl): H1 refreshes at half of it
wait_for 100 counter_ge $H1 wins_refreshes 4 && lookup $H2 MSLONE 10.78.1.1
result $? "H1 refreshes its 4 names before their TTL (120 s) runs out"

# umount releases H1's names (its slot's server goes first)
kill "$one_pid" && wait "$one_pid" 2>/dev/null
pids=${pids/ $one_pid/}
umount "$M1"
wait_for 30 gone $H2 MSLONE
result $? "umount releases H1's names"

[ $fails = 0 ] || grep -Ei "wins|regist|release|conflict" "$W/nmbd.log" | tail -n 30 | sed 's/^/# /'
[ $fails = 0 ]
