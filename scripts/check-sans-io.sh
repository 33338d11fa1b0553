#!/usr/bin/env bash
# Ban-list check for the sans-I/O core (DESIGN.md): files under the given mesh/
# folder, outside live/, must not read a clock, start threads, use atomics or
# mutexes, open sockets, include asio or SimGrid, or draw unseeded randomness.
# Exit 0 when clean; 1 with the offending lines otherwise.
set -euo pipefail
root=${1:?usage: check-sans-io.sh MESH_DIR}
pattern='std::chrono::(steady|system|high_resolution)_clock|random_device|#include *<(thread|atomic|mutex|condition_variable|future|sys/socket\.h|netinet/[a-z_]+\.h|arpa/inet\.h|boost/asio[^>]*|simgrid/[^>]*|ctime|random)>|uniform_(int|real)_distribution|std::(rand|srand|time)\(|[^_a-zA-Z:.](rand|srand|time|clock_gettime|gettimeofday|socket)\('
hits=$(grep -rnE --include='*.h' --include='*.hpp' --include='*.cpp' --include='*.cc' "$pattern" "$root" \
        | grep -v "^$root/live/" || true)
if [ -n "$hits" ]; then
  echo "sans-I/O violation under $root (outside live/):"
  echo "$hits"
  exit 1
fi
echo "sans-I/O check: $root is clean"
