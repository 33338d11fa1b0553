// Run directory, ports, start-up and readiness of a live mesh.
#include "mesh/live/orchestrator/live_mesh.h"

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "mesh/live/http_call.h"
#include "mesh/live/orchestrator/interruption.h"
#include "mesh/live/live_clock.h"

namespace meshproof::live {
namespace {

namespace fs = std::filesystem;

std::string makeRunDir() {
  std::string pattern = (fs::temp_directory_path() / "meshproof-live-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw LiveStartError("cannot make a run directory in /tmp");
  return pattern;
}

bool waitReady(std::uint16_t port, std::chrono::steady_clock::time_point deadline) {
  while (std::chrono::steady_clock::now() < deadline && !interruptionRequested()) {
    if (httpCallNow(port, "GET", "/ready", {}, std::chrono::milliseconds(200)).status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::optional<nlohmann::json> getJson(std::uint16_t port, const std::string& target) {
  const HttpCallResult r = httpCallNow(port, "GET", target, {}, std::chrono::milliseconds(200));
  if (r.status != 200) return std::nullopt;
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

}  // namespace

// Ready is not yet routable: each instance reports its readiness to the registry,
// which publishes a new endpoints version after its debounce. Settled means the
// control plane's current version lists every instance and every sidecar applied it.
bool LiveMesh::settled() const {
  const auto state = getJson(layout_.control_admin, "/state");
  if (!state || !state->contains("version") || !state->contains("endpoints")) return false;
  std::size_t endpoints = 0, instances = 0;
  for (const auto& [service, list] : (*state)["endpoints"].items()) endpoints += list.size();
  for (const auto& n : nodes_) instances += n.instance != nullptr ? 1 : 0;
  if (endpoints < instances) return false;
  const auto version = (*state)["version"].get<std::uint64_t>();
  for (const auto& n : nodes_) {
    if (!n.sidecar) continue;
    const auto dump = getJson(layout_.nodes.at(n.name).admin, "/config_dump");
    if (!dump || !dump->contains("version") || !(*dump)["version"].is_number() ||
        (*dump)["version"].get<std::uint64_t>() < version)
      return false;
  }
  return true;
}

ProcessSpec LiveMesh::spec(const std::string& role, const std::string& name, std::vector<std::string> extra) const {
  std::vector<std::string> args{role, "--run-dir", layout_.dir, "--seed", seed_};
  args.insert(args.end(), extra.begin(), extra.end());
  return ProcessSpec{role + " " + name, args, layout_.dir + "/" + role + "-" + name + ".log"};
}

LiveMesh::LiveMesh(const scenario::Plan& plan, const std::string& scenario_file, std::uint64_t seed,
                   const std::map<std::string, std::uint16_t>& attached)
    : plan_(plan), nodes_(control::meshNodes(plan)), seed_(std::to_string(seed)) {
  layout_.dir = makeRunDir();
  fs::copy_file(scenario_file, layout_.dir + "/plan.yaml");
  layout_.control_stream = freeLoopbackPort();
  layout_.control_admin = freeLoopbackPort();
  std::size_t processes = 1;
  for (const auto& node : nodes_) {
    NodePorts p;
    if (node.sidecar) {
      if (!node.sidecar->service.empty()) p.inbound = freeLoopbackPort();
      p.outbound = freeLoopbackPort();
      p.admin = freeLoopbackPort();
      ++processes;
    }
    if (node.instance != nullptr && attached.count(node.instance->service)) {
      p.app = attached.at(node.instance->service);
    } else if (node.instance != nullptr) {
      p.app = freeLoopbackPort();
      p.app_admin = freeLoopbackPort();
      ++processes;
    }
    layout_.nodes[node.name] = p;
  }
  // t0: far enough ahead for every process to start, connect and get certified.
  DurationNs budget = 3 * kSecond + static_cast<DurationNs>(processes) * 30 * kMillisecond;
#if defined(__SANITIZE_ADDRESS__)
  budget *= 4;  // instrumented processes start and handshake several times slower
#endif
  layout_.t0 = monotonicNs() + budget;
  layout_.wall_t0 = systemWallNs() + budget;
  layout_.write();

  const auto ready_by = std::chrono::steady_clock::now() + std::chrono::nanoseconds(budget);
  auto failStart = [&](const std::string& what) {
    if (interruptionRequested()) {  // Ctrl-C during start-up: nothing stays behind
      supervisor_.stopAll();
      std::error_code ignored;
      fs::remove_all(layout_.dir, ignored);
      throwIfInterrupted();
    }
    std::string message = what;
    for (const auto& exit : supervisor_.unexpectedExits()) message += "\n  " + exit;
    supervisor_.stopAll();
    keep_ = true;
    throw LiveStartError(message + "\n  run files kept in " + layout_.dir);
  };
  supervisor_.start(spec("control", "control-plane", {}));
  if (!waitReady(layout_.control_admin, ready_by)) failStart("the control plane did not start");
  for (const auto& n : nodes_) {
    if (n.instance && layout_.nodes.at(n.name).app_admin != 0)
      supervisor_.start(spec("app", n.name, {"--instance", n.name}));
    if (n.sidecar) supervisor_.start(spec("proxy", n.name, {"--node", n.name}));
  }
  for (const auto& n : nodes_) {
    const NodePorts& p = layout_.nodes.at(n.name);
    if (n.instance && p.app_admin != 0 && !waitReady(p.app_admin, ready_by)) failStart("the application of " + n.name + " is not ready");
    if (n.sidecar && !waitReady(p.admin, ready_by))
      failStart("the sidecar of " + n.name + " is not ready (no configuration or certificate from the control plane)");
  }
  while (!settled()) {
    if (std::chrono::steady_clock::now() >= ready_by || interruptionRequested())
      failStart("the mesh did not settle: not every sidecar applied the configuration listing every instance");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void LiveMesh::stop() { supervisor_.stopAll(); }

LiveMesh::~LiveMesh() {
  supervisor_.stopAll();
  if (!keep_) {
    std::error_code ignored;
    fs::remove_all(layout_.dir, ignored);
  }
}

}  // namespace meshproof::live
