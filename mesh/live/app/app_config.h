// What `meshproof app` needs to start, read from a live run's directory
// (run_layout.h): DIR/plan.yaml gives the instance's behavior and the seed,
// DIR/run.json the run's t0 and the instance's ports.
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "mesh/app/behavior.h"
#include "mesh/core/time.h"

namespace meshproof::live {

struct AppConfig {
  std::string instance;             // e.g. "payments-v1-0"
  app::Behavior behavior;           // its version's behavior
  std::uint64_t seed = 1;           // the plan's seed, or the one given
  TimeNs t0 = 0;                    // CLOCK_MONOTONIC at the run's start
  std::uint16_t app_port = 0;       // where the sidecar sends requests
  std::uint16_t outbound_port = 0;  // the sidecar's listener for this app's calls
  std::uint16_t admin_port = 0;     // /fault/latency, /fault/abort, /fault/cpu, /ready, /stats
};

// Unusable input: what() names the file, the instance or the field.
class AppConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads run_dir/plan.yaml and run_dir/run.json. Throws AppConfigError when either
// cannot be read or is invalid, when the plan has no instance `instance`, when
// run.json has no node of that name, or when its app or app_admin port is 0.
AppConfig loadAppConfig(const std::string& run_dir, const std::string& instance,
                        std::optional<std::uint64_t> seed = std::nullopt);

}  // namespace meshproof::live
