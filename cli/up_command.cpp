// `meshproof up SCENARIO [--attach SERVICE=PORT]... [--seed N]`: a scenario's mesh on
// loopback, kept up until SIGINT/SIGTERM, without running its workload or faults:
// for trying requests by hand (curl), for load tools (wrk) and for putting a real
// HTTP service behind a sidecar (--attach: the service's sidecars forward to
// 127.0.0.1:PORT and no stand-in application starts). Prints `ready RUN_DIR` once
// every process is ready; RUN_DIR/run.json names every listener's port.
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "cli/live_commands.h"
#include "mesh/config/config_error.h"
#include "mesh/live/orchestrator/interruption.h"
#include "mesh/live/orchestrator/live_mesh.h"
#include "mesh/scenario/scenario_loader.h"

namespace meshproof::cli {
namespace {

constexpr const char* kUpUsage = "usage: meshproof up SCENARIO [--attach SERVICE=PORT]... [--seed N]\n";

bool parsePort(const std::string& text, std::uint16_t& port) {
  try {
    std::size_t used = 0;
    const unsigned long value = std::stoul(text, &used);
    if (used != text.size() || value == 0 || value > 65535) return false;
    port = static_cast<std::uint16_t>(value);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int upCommand(const std::vector<std::string>& args) {
  std::string file;
  std::map<std::string, std::uint16_t> attached;
  std::optional<std::uint64_t> seed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--attach" && has_value) {
      const std::string spec = args[++i];
      const auto eq = spec.find('=');
      std::uint16_t port = 0;
      if (eq == std::string::npos || eq == 0 || !parsePort(spec.substr(eq + 1), port)) {
        std::cerr << "meshproof up: --attach wants SERVICE=PORT, got '" << spec << "'\n" << kUpUsage;
        return 2;
      }
      attached[spec.substr(0, eq)] = port;
    } else if (a == "--seed" && has_value) {
      try {
        seed = std::stoull(args[++i]);
      } catch (const std::exception&) {
        std::cerr << "meshproof up: --seed wants a number, got '" << args[i] << "'\n" << kUpUsage;
        return 2;
      }
    } else if (!a.empty() && a[0] != '-' && file.empty()) {
      file = a;
    } else {
      std::cerr << "meshproof up: unexpected argument '" << a << "'\n" << kUpUsage;
      return 2;
    }
  }
  if (file.empty()) {
    std::cerr << kUpUsage;
    return 2;
  }
  scenario::Plan plan;
  try {
    plan = scenario::loadScenarioFile(file);
  } catch (const config::ConfigError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  for (const auto& [service, port] : attached) {
    if (plan.service(service) == nullptr) {
      std::cerr << file << ": --attach " << service << "=" << port << ": the scenario has no service '" << service
                << "'\n";
      return 2;
    }
  }
  // Handlers, not a blocked mask: the children (exec'd) get default dispositions back.
  live::catchInterruptions();
  try {
    live::LiveMesh mesh(plan, file, seed.value_or(plan.seed), attached);
    std::cout << "ready " << mesh.layout().dir << std::endl;
    while (!live::interruptionRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::cerr << "meshproof up: stopping\n";
  } catch (const live::LiveRunInterrupted&) {
    std::cerr << "meshproof up: interrupted while starting; every process was stopped\n";
    return 130;
  } catch (const live::LiveStartError& e) {
    std::cerr << file << ": the live mesh could not start: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace meshproof::cli
