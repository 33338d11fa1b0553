#!/bin/sh
# same-seed-same-trace.sh MESHPROOF SCENARIO [same|different]
# Determinism check on trace_sha256 from two --report runs of SCENARIO:
#   same       (default) both runs with the scenario's seed: the hashes must be equal;
#   different  runs with --seed 1 and --seed 2: the hashes must differ (the seed
#              reaches the simulation).
# The exit status of each run (0 or 1) does not matter here; 2 (bad input) fails.
set -u
if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
  echo "usage: $0 MESHPROOF SCENARIO [same|different]" >&2
  exit 2
fi
meshproof=$1
scenario=$2
mode=${3:-same}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

case "$mode" in
  same) seed_a=""; seed_b="" ;;
  different) seed_a="--seed 1"; seed_b="--seed 2" ;;
  *) echo "mode must be same or different, not $mode" >&2; exit 2 ;;
esac

run() {  # run REPORT SEED_ARGS
  # shellcheck disable=SC2086
  "$meshproof" run "$scenario" $2 --quiet --report "$1"
  status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    echo "FAILED: $meshproof run $scenario $2 exited $status" >&2
    exit 1
  fi
}

hash_of() {  # the value of "trace_sha256" in a report
  sed -n 's/.*"trace_sha256"[[:space:]]*:[[:space:]]*"\([0-9a-f]*\)".*/\1/p' "$1" | head -n 1
}

run "$dir/a.json" "$seed_a"
run "$dir/b.json" "$seed_b"
a=$(hash_of "$dir/a.json")
b=$(hash_of "$dir/b.json")
if [ -z "$a" ] || [ -z "$b" ]; then
  echo "FAILED: no trace_sha256 in the reports" >&2
  exit 1
fi
echo "run 1 ${seed_a:-(scenario seed)}: $a"
echo "run 2 ${seed_b:-(scenario seed)}: $b"
if [ "$mode" = same ] && [ "$a" != "$b" ]; then
  echo "FAILED: same seed, different traces" >&2
  exit 1
fi
if [ "$mode" = different ] && [ "$a" = "$b" ]; then
  echo "FAILED: different seeds, same trace" >&2
  exit 1
fi
echo "ok"
