# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# profile.sh: `make bench-profile`, sourced by tools/bench/guest.sh in the
# guest. The cells where mailslotfs falls short (8 writers of 64 bytes,
# 1 writer of 424 bytes and of 64 KiB), and mqueue in the same cells,
# under Debian's perf (linux-perf, the host's /usr/bin/perf, which works
# on the 6.1 guest with software events and tracepoints):
#  - perf record -e cpu-clock -g: where the CPU time goes (flat, by
#    symbol, and the call chains into the top ones);
#  - perf stat of the scheduler tracepoints: wake-ups and context
#    switches per message;
#  - perf record -e sched:sched_wakeup -g: which kernel paths wake whom;
#  - perf lock contention (the lock:contention_* tracepoints);
# and remote delivery into a slot and into a UDP socket, under perf record.
# Each summary goes to the console as lines "PROF <name> <text>", which
# tools/bench/run writes to build/bench/profile-<name>.txt.

bench=${bench:?profile.sh is sourced by tools/bench/guest.sh}
prof_secs=${MSFS_BENCH_PROFILE_SECS:-3}

# emit NAME: stdin to the console, as NAME's lines
emit() {
	sed "s/^/PROF $1 /"
}

# perf_t ARGS...: perf ARGS, given at most 5 minutes (a perf that hung once in
# the guest, mid-profile, must not take the rest with it)
perf_t() {
	timeout -k 10 300 perf "$@" || echo "perf $1: exit $?"
}

# report DATA ARGS...: perf report ARGS of DATA by symbol, as text without
# perf's comments and blank lines
report() {
	local data=$1
	shift
	perf_t report -i "$data" --stdio --sort sym "$@" 2>/dev/null | grep -v '^#' | grep .
}

# cpu_report DATA: where the CPU time recorded in DATA went, by symbol and
# including callees
cpu_report() {
	echo
	echo "== self time by symbol (perf report --no-children --sort sym)"
	report "$1" --no-children -g none --percent-limit 0.5
	echo
	echo "== time including callees, kernel symbols over 2%"
	report "$1" --children -g none --percent-limit 2 | grep '\[k\]'
}

# profile NAME ARGS...: one cell (msfs-bench ARGS) under each tool
profile() {
	local name=$1 data=/tmp/perf-$1.data
	shift
	log "profile: $name"
	{
		echo "== msfs-bench $* under perf record -e cpu-clock -g -a"
		perf_t record -q -e cpu-clock -g -a -o "$data" -- "$bench" "$@" 2>&1
		cpu_report "$data"
		echo
		echo "== call chains into the top symbols (caller order, over 3%)"
		report "$data" --no-children -g caller,3,callee,function,percent \
			--percent-limit 3 | head -n 400
	} | emit "$name-cpu"
	rm -f "$data"
	log "profile: $name: scheduler tracepoints"
	{
		echo "== msfs-bench $* under perf stat (scheduler tracepoints)"
		perf_t stat -x, -e sched:sched_waking,sched:sched_wakeup \
			-e sched:sched_switch,context-switches -a -- "$bench" "$@" 2>&1 |
			tee /tmp/perf-stat.txt
		# per message: the last field of the tput line is all of them
		awk -F, '$1 == "tput" { n = $NF }
			 $3 ~ /^(sched:|context)/ && n { printf "%s per message: %.2f\n", $3, $1 / n }' \
			/tmp/perf-stat.txt
	} | emit "$name-sched"
	log "profile: $name: wake-ups"
	{
		echo "== msfs-bench $* under perf record -e sched:sched_wakeup -g -a"
		perf_t record -q -e sched:sched_wakeup -g -a -o "$data" -- "$bench" "$@" 2>&1
		echo
		echo "== who wakes: call chains of the wake-ups (callee order)"
		report "$data" --no-children -g callee,2,caller,function,percent \
			--percent-limit 1 | head -n 200
	} | emit "$name-wakeups"
	rm -f "$data"
	log "profile: $name: lock contention"
	{
		echo "== msfs-bench $* under perf lock record (contention tracepoints)"
		perf_t lock record -q -a -o "$data" -- "$bench" "$@" 2>&1
		echo
		echo "== perf lock contention (by caller)"
		perf_t lock contention -i "$data" -E 20 2>&1 | head -n 40
	} | emit "$name-lock"
	rm -f "$data"
}

for cell in "8 64" "1 424" "1 65536"; do
	read -r w s <<<"$cell"
	for t in msfs mq; do
		profile "$t-$w-$s" tput -t "$t" -w "$w" -s "$s" -d "$prof_secs"
	done
done

# remote delivery: where a slot's receive path spends what a plain UDP
# socket's reader does not
# shellcheck disable=SC2034 # guest.sh's status
veth_up || { echo "BENCH-FAIL profile: no veth pair"; failed=1; }
for t in msfs udp; do
	log "profile: remote $t"
	data=/tmp/perf-remote-$t.data
	{
		echo "== msfs-bench remote -t $t under perf record -e cpu-clock -g -a"
		perf_t record -q -e cpu-clock -g -a -o "$data" -- "$bench" remote \
			-t "$t" -a bencha -b benchb -i 10.77.0.2 -d "$prof_secs" 2>&1
		cpu_report "$data"
	} | emit "remote-$t-cpu"
	rm -f "$data"
done
veth_down
