// The faults in force on each instance's processes, kept by the fault driver in the
// run directory as RUN_DIR/<instance>.faults.json, by process and admin route, with
// the body the route was PUT:
//   {"proxy": {"/fault/loss": {"percentage": 20}}, "app": {"/fault/latency": {"delay_ms": 100, "jitter_ms": 0}}}
// A process started again while a fault lasts (crash with restartAfter) puts its
// part's faults through its own admin routes before it serves: a restarted host in
// simulation keeps them too (the network's faults and its node's outlive the process).
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mesh/live/http/admin_server.h"
#include "mesh/live/run_layout.h"

namespace meshproof::live {

std::string faultStateFile(const std::string& run_dir, const std::string& instance);
std::string faultStateFile(const RunLayout& layout, const std::string& instance);

class FaultState {
 public:
  // `process`: "proxy" or "app"; `route`: its admin route, e.g. "/fault/loss".
  void put(const std::string& instance, const std::string& process, const std::string& route, nlohmann::json body);
  void remove(const std::string& instance, const std::string& process, const std::string& route);
  // The body in force on that route; null when none.
  const nlohmann::json* find(const std::string& instance, const std::string& process, const std::string& route) const;
  // Writes the instance's file whole ({} when nothing is in force). Throws
  // std::runtime_error naming the file.
  void save(const RunLayout& layout, const std::string& instance) const;

 private:
  std::map<std::string, nlohmann::json> by_instance_;
};

// Puts each fault that `file` holds for `process` through `admin`'s PUT routes. A
// missing file holds none. Returns what went wrong, one line each (an unreadable
// file, a route that did not answer 200 and what it said); empty when all went in.
std::vector<std::string> applySavedFaults(const std::string& file, const std::string& process,
                                          const http::AdminServer& admin);

}  // namespace meshproof::live
