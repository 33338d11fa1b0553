#!/bin/sh
# expect-error.sh MESHPROOF FILE EXPECTED_SUBSTRING
# Runs `MESHPROOF run FILE --quiet` and passes when it exits 2 (unusable input)
# and its standard error contains EXPECTED_SUBSTRING (e.g. "file.yaml:13:
# destinations[0].outlierDetection.interval", the file:line: field.path form).
set -u
if [ "$#" -ne 3 ]; then
  echo "usage: $0 MESHPROOF FILE EXPECTED_SUBSTRING" >&2
  exit 2
fi
meshproof=$1
file=$2
expected=$3
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$meshproof" run "$file" --quiet >/dev/null 2>"$err"
status=$?
if [ "$status" -ne 2 ]; then
  echo "FAILED: expected exit status 2, got $status: $meshproof run $file" >&2
  cat "$err" >&2
  exit 1
fi
if ! grep -qF -- "$expected" "$err"; then
  echo "FAILED: standard error does not contain: $expected" >&2
  echo "--- standard error:" >&2
  cat "$err" >&2
  exit 1
fi
echo "ok: exit status 2 and: $(cat "$err")"
