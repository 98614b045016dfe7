# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# What tools/check and tools/check-debug share: counted steps, guest runs
# whose TAP is counted test by test, and the summary line.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
pass=0 fail=0 skip=0

# begin NAME: logs go to build/NAME/
begin() {
	logs=build/$1
	rm -rf "$logs"
	mkdir -p "$logs"
}

# failed WHAT: remember a failure, for the list at the end
failed() {
	echo "# failed: $*" >>"$logs/failed"
}

# step NAME COMMAND...: one check, counted and timed, its output in a log
step() {
	local name=$1 log start=$SECONDS
	shift
	log=$logs/$(echo "$name" | tr -c 'A-Za-z0-9.\n' '-').log
	if "$@" >"$log" 2>&1; then
		echo "ok - $name ($((SECONDS - start)) s)"
		pass=$((pass + 1))
	else
		echo "not ok - $name ($((SECONDS - start)) s, log: $log)"
		tail -n 25 "$log" | sed 's/^/#   /'
		failed "$name"
		fail=$((fail + 1))
	fi
}

# tap NAME LOG: count the tests of a TAP log (tools/tap-count)
tap() {
	local name=$1 log=$2 counts p s f
	counts=$(tools/tap-count "$log")
	grep '^FAILED' <<<"$counts" | sed "s/^FAILED: /$name: /" |
		while read -r t; do echo "# $t" >&2; failed "$t"; done
	counts=$(tail -n 1 <<<"$counts")
	read -r p s f <<<"$counts"
	pass=$((pass + p)) skip=$((skip + s)) fail=$((fail + f))
	echo "# $name: $p passed, $f failed, $s skipped"
	[ "$f" = 0 ]
}

# guest NAME KERNEL COMMAND...: run COMMAND in a guest (tools/vm-run) and
# count the tests it reports; a guest that fails with no failed test (a
# kernel splat, a module that does not unload, a crash) counts as a failure
guest() {
	local name=$1 kernel=$2 log status=0 start=$SECONDS
	shift 2
	log=$logs/guest-$name.log
	echo "# $name: running in a guest"
	tools/vm-run --kernel "$kernel" --log "$logs/dmesg-$name.log" -- "$@" \
		>"$log" 2>&1 || status=$?
	# each program's result and time (tools/ksft-run)
	grep -E '^(not )?ok [0-9]+ selftests|^# time: ' "$log" | sed "s/^/# $name: /"
	echo "# $name: the guest ran $((SECONDS - start)) s"
	if tap "$name" "$log" && [ "$status" != 0 ]; then
		echo "not ok - $name: vm-run exit $status (kernel splat, module unload or crash)"
		failed "$name: vm-run exit $status"
		{ grep -E '^vm-guest' "$log"
		  sed -n '/^vm-run/,$p' "$log" | head -n 40; } | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
}

# finish: what failed, if anything, and the summary line, both saved for
# .ci/run; the status
finish() {
	local summary="$pass passed, $fail failed"

	[ ! -s "$logs/failed" ] || cat "$logs/failed"
	[ "$skip" = 0 ] || summary="$summary, $skip skipped"
	echo "$pass $fail $skip" >"$logs/summary"
	echo "$summary"
	[ "$fail" = 0 ]
}
