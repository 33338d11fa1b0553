// A live run's directory, shared by the orchestrator and every process it starts:
//   <dir>/plan.yaml            the scenario (each process loads it the same way)
//   <dir>/run.json             t0, the ports of every listener, the control plane's address
//   <dir>/ca.pem               the mesh CA's root (written by the control plane)
//   <dir>/ca-key.pem           its key (mode 0600), and
//   <dir>/control-plane.state.json  what the control plane carries on from when its
//                              process restarts (mesh/live/control/control_state_file.h)
//   <dir>/registry/<instance>.json  the instance's readiness, as its node reports it
//   <dir>/<process>.events     trace lines of that process's events (t from t0)
//   <dir>/<process>.log        its standard error
// Ports are chosen by the orchestrator (the kernel picks free ones) and written
// before any process starts. Every listener is on 127.0.0.1.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "mesh/core/time.h"

namespace meshproof::live {

struct NodePorts {
  std::uint16_t inbound = 0;    // the sidecar's mTLS (or plaintext) listener for peers; 0: none (a gateway)
  std::uint16_t outbound = 0;   // the sidecar's plaintext listener for its own app's calls
  std::uint16_t admin = 0;      // the sidecar's /stats, /config_dump, /ready, /fault
  std::uint16_t app = 0;        // the application's HTTP listener; 0: no application
  std::uint16_t app_admin = 0;  // the application's /fault
};

struct RunLayout {
  std::string dir;
  TimeNs t0 = 0;        // CLOCK_MONOTONIC at the run's start
  TimeNs wall_t0 = 0;   // the wall clock then
  std::uint16_t control_stream = 0;  // sidecars' streams to the control plane
  std::uint16_t control_admin = 0;   // registry and CA faults
  std::map<std::string, NodePorts> nodes;  // instances, the ingress gateway, client sidecars

  std::string path(const std::string& file) const { return dir + "/" + file; }
  const NodePorts* node(const std::string& name) const;

  // run.json; throws std::runtime_error naming the file on a missing or bad field.
  void write() const;
  static RunLayout read(const std::string& dir);
};

// Writes `text` to `file` through a temporary file renamed over it, so that a reader
// sees the old content or the new, whole; `mode` is the file's permission bits.
// Throws std::runtime_error naming the file.
void writeFileWhole(const std::string& file, const std::string& text, unsigned mode = 0644);

// A free TCP port on 127.0.0.1 for a listener another process will bind: below the
// kernel's ephemeral range, so that no outgoing connection takes it meanwhile.
std::uint16_t freeLoopbackPort();

}  // namespace meshproof::live
