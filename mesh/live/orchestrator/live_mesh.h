// A scenario's mesh running as real processes on loopback, ready to take traffic:
// the run directory (/tmp/meshproof-live-*), the ports the kernel handed out, the
// control plane, every instance's application and sidecar, the ingress gateway and
// in-mesh client sidecars, all started and ready before t0 (when the scenario's time
// starts). Used by `meshproof run --mode live`, by the security tests and by the
// benchmarks. Destroying it stops every process and removes the directory (unless
// kept); the processes die with this one anyway (PR_SET_PDEATHSIG).
#pragma once
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "mesh/control/mesh_nodes.h"
#include "mesh/live/orchestrator/process_supervisor.h"
#include "mesh/live/run_layout.h"
#include "mesh/scenario/plan.h"

namespace meshproof::live {

// The mesh could not be started (a port, a process that died at once, not ready in time).
class LiveStartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class LiveMesh {
 public:
  // Starts everything from `scenario_file` (copied into the run directory); returns
  // once every process is ready, before t0. Throws LiveStartError. The services in
  // `attached` (name -> a loopback port) are the user's own HTTP servers, already
  // listening there: their sidecars forward to that port and no stand-in app starts.
  LiveMesh(const scenario::Plan& plan, const std::string& scenario_file, std::uint64_t seed,
           const std::map<std::string, std::uint16_t>& attached = {});
  ~LiveMesh();
  LiveMesh(const LiveMesh&) = delete;
  LiveMesh& operator=(const LiveMesh&) = delete;

  const RunLayout& layout() const { return layout_; }
  const std::vector<control::MeshNodeSpec>& nodes() const { return nodes_; }
  ProcessSupervisor& processes() { return supervisor_; }
  // Stops every process (SIGTERM, then SIGKILL after a grace period).
  void stop();
  void keepRunDir() { keep_ = true; }

 private:
  bool settled() const;
  ProcessSpec spec(const std::string& role, const std::string& name, std::vector<std::string> extra) const;

  const scenario::Plan& plan_;
  std::vector<control::MeshNodeSpec> nodes_;
  RunLayout layout_;
  std::string seed_;
  ProcessSupervisor supervisor_;
  bool keep_ = false;
};

}  // namespace meshproof::live
