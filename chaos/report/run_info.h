// What the report says about the run itself, beside the events: which scenario,
// seed and mode, how long it lasted and the trace's hash.
#pragma once
#include <cstdint>
#include <string>

#include "mesh/core/time.h"

namespace meshproof::chaos {

struct RunInfo {
  std::string scenario;
  std::uint64_t seed = 0;
  std::string mode = "sim";  // sim | live
  DurationNs simulated = 0;  // simulated (sim) or real (live) length of the run
  double wall_s = 0;         // wall-clock seconds the run took (the one figure that varies)
  std::string trace_sha256;  // TraceWriter::sha256()
};

}  // namespace meshproof::chaos
