#!/usr/bin/env bash
# live-run.sh MESHPROOF SCENARIO [EXPECTED_STATUS [TRACE_PATTERN]]: runs SCENARIO in
# live mode (real processes on loopback) and checks its exit status (0 by default:
# every expectation held; 1 for a variant whose expectation must fail), that the
# verdicts agree with the simulation of the same scenario and seed (report.json's
# versus_sim), that the trace has a line matching TRACE_PATTERN (an extended regular
# expression) when one is given, and that no process or run directory of the run is
# left behind.
set -uo pipefail
meshproof=$1 scenario=$2 expected=${3:-0} pattern=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The run directory goes into a temporary directory of this test's own, so that runs
# of other processes on the machine cannot look like something this one left behind.
mkdir "$work/tmp"
export TMPDIR="$work/tmp"
"$meshproof" run "$scenario" --mode live --quiet --report "$work/report.json" --trace "$work/trace.jsonl"
status=$?
if [ "$status" -ne "$expected" ]; then
  echo "FAILED: meshproof run --mode live exited $status (expected $expected)"
  [ -s "$work/report.json" ] && python3 -c '
import json, sys
for e in json.load(open(sys.argv[1]))["expectations"]:
    if not e.get("passed"): print("  failed:", e.get("name"), e.get("observed"), e.get("reason", ""))
' "$work/report.json"
  exit 1
fi
agree=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["versus_sim"]["verdicts_agree"])' "$work/report.json")
if [ "$agree" != "True" ]; then
  echo "FAILED: live and sim verdicts disagree:"
  python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["versus_sim"]["verdicts"], indent=1))' "$work/report.json"
  exit 1
fi
if [ -n "$pattern" ] && ! grep -Eq "$pattern" "$work/trace.jsonl"; then
  echo "FAILED: no trace line matches $pattern"
  exit 1
fi
left=$(ls -d "$TMPDIR"/meshproof-live-* 2>/dev/null)
if [ -n "$left" ]; then
  echo "FAILED: run directories left behind: $left"
  exit 1
fi
echo "ok: live run exited $status and agrees with the simulation"
