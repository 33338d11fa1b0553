#!/usr/bin/env bash
# live-interrupt.sh MESHPROOF SCENARIO WHEN: interrupts a live run (SIGINT, as Ctrl-C
# does) and checks that it exits 130 and leaves no process and no run directory
# behind. WHEN is a number of seconds after the run directory appears (during
# start-up), or run+N: N seconds after the scenario's clock started (t0_ns in the
# run's run.json, on the same monotonic clock), so the interruption lands inside the
# run however long the start-up took on a loaded machine.
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
run_dir=$(ls -d "$TMPDIR"/meshproof-live-* 2>/dev/null | head -1)
if [[ $delay == run+* ]]; then
  for _ in $(seq 100); do
    [ -n "$run_dir" ] && [ -s "$run_dir/run.json" ] && break
    sleep 0.1
  done
  python3 -c '
import json, sys, time
t0 = json.load(open(sys.argv[1]))["t0_ns"]
time.sleep(max(0.0, (t0 - time.monotonic_ns()) / 1e9 + float(sys.argv[2])))
' "$run_dir/run.json" "${delay#run+}" || { echo "FAILED: no run.json in ${run_dir:-the run directory}"; kill -INT "$pid"; exit 1; }
else
  sleep "$delay"
fi
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
