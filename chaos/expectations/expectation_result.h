// The verdict on one expectation of a scenario, as report.json, the JUnit file, the
// summary table and the visualizer show it.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "mesh/core/time.h"

namespace meshproof::chaos {

struct Verdict {
  bool passed = false;
  // What was measured, in a fixed key order (camelCase, units last: latencyP99_ms).
  // Figures are rounded to 3 decimals, instants given in seconds to 6.
  nlohmann::ordered_json observed = nlohmann::ordered_json::object();
  std::string reason;  // why it failed, for a person; empty when it passed
  std::string note;    // a remark on how it was decided (e.g. passed vacuously); often empty
  // The simulated instant the verdict was reached: the first violating event, the
  // signal that satisfied it, or the end of its window. nullopt when no instant
  // makes sense (canary, not simulated yet).
  std::optional<TimeNs> decided_at;
};

struct ExpectationResult {
  std::string name;
  std::string type;  // the scenario's `type:` spelling
  Verdict verdict;
};

}  // namespace meshproof::chaos
