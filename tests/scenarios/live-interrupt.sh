#!/usr/bin/env bash
# live-interrupt.sh MESHPROOF SCENARIO DELAY: interrupts a live run (SIGINT, as Ctrl-C
# does) DELAY seconds after its run directory appears (during start-up or during the
# run, depending on DELAY) and checks that it exits 130 and leaves no process
# and no run directory behind.
set -uo pipefail
meshproof=$1 scenario=$2 delay=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work"  # the run directory goes here, apart from other processes' runs
"$meshproof" run "$scenario" --mode live --quiet --report /dev/null &
pid=$!
# Wait for the run directory to appear (the mesh starting), then a little more.
for _ in $(seq 100); do
  compgen -G "$TMPDIR/meshproof-live-*" >/dev/null && break
  sleep 0.1
done
sleep "$delay"
run_dir=$(ls -d "$TMPDIR"/meshproof-live-* 2>/dev/null | head -1)
kill -INT "$pid"
wait "$pid"
status=$?
if [ "$status" -ne 130 ]; then
  echo "FAILED: an interrupted live run exited $status (expected 130)"
  exit 1
fi
sleep 0.5
if [ -n "$run_dir" ] && pgrep -f -- "--run-dir $run_dir" >/dev/null; then
  echo "FAILED: processes of $run_dir still running:"
  pgrep -af -- "--run-dir $run_dir"
  exit 1
fi
if [ -n "$run_dir" ] && [ -e "$run_dir" ]; then
  echo "FAILED: $run_dir left behind"
  exit 1
fi
echo "ok: interrupted, exit 130, nothing left running (run dir was ${run_dir:-not seen})"
