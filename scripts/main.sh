#!/usr/bin/env bash
# Quick start, command one: install what is needed, build, and run the main job.
# (Until the SimGrid driver lands, the main job is the core demonstration: the
# flagship scenario's mesh configuration driving the sans-I/O sidecar core.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/meshproof-core-demo scenarios/flagship.yaml "$@"
