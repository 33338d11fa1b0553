#!/usr/bin/env bash
# Quick start, command one: install what is needed, build, and run the main job:
# the flagship scenario (scenarios/flagship.yaml) in simulation, printing its summary
# and writing its report, JUnit and trace under out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p out
exec build/meshproof run scenarios/flagship.yaml \
  --report out/flagship-report.json --junit out/flagship-junit.xml --trace out/flagship-trace.jsonl "$@"
