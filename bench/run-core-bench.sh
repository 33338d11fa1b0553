#!/bin/sh
# Runs the core benchmark suite (bench/core) the way its figures are reported: 5
# repetitions, aggregates only (mean, median, stddev, cv), also written as JSON.
# Usage: bench/run-core-bench.sh [build-dir] [extra Google Benchmark flags...]
#   e.g. bench/run-core-bench.sh build --benchmark_filter='Decision|Sidecar'
# Check `uptime` first: the figures mean little on a loaded machine.
set -eu
build_dir=${1:-build}
[ $# -gt 0 ] && shift
exe="$build_dir/bench/mesh_core_bench"
if [ ! -x "$exe" ]; then
  echo "no $exe: build it with: cmake --build $build_dir --target mesh_core_bench" >&2
  exit 1
fi
out="$build_dir/bench/mesh_core_bench.json"
echo "load: $(uptime)" >&2
"$exe" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json "$@"
echo "JSON: $out" >&2
