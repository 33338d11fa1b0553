#!/bin/sh
# expect-exit.sh EXPECTED_STATUS COMMAND [ARG...]
# Runs COMMAND and passes when it exits with EXPECTED_STATUS (e.g. 0 for a
# scenario whose expectations hold, 1 for a variant whose expectation must fail).
# On a mismatch, re-runs nothing: prints the status and the command's output.
set -u
if [ "$#" -lt 2 ]; then
  echo "usage: $0 EXPECTED_STATUS COMMAND [ARG...]" >&2
  exit 2
fi
expected=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" >"$out" 2>&1
status=$?
if [ "$status" -ne "$expected" ]; then
  echo "FAILED: expected exit status $expected, got $status: $*" >&2
  cat "$out" >&2
  exit 1
fi
echo "ok: exit status $status: $*"
