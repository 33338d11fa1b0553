// How long a configuration change takes, in simulated time, to reach every sidecar
// of a large mesh: 1,000 instances (100 services x 10 replicas over two zones, the
// control plane in the first), a VirtualService change applied at 5 s. The time from
// `at` to each sidecar's ACK is istiod's debounce (100 ms) plus the push across the
// network, where 1,000 snapshots leave the control plane's one link at once and share
// its bandwidth. Prints the quantiles of the per-sidecar delay, and the wall time of
// the run. One simulation in this process (SimGrid allows one per process).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "mesh/scenario/scenario_loader.h"
#include "sim/simulation.h"

using namespace meshproof;

namespace {

std::string propagationScenario(int services, int replicas) {
  std::ostringstream y;
  y << "name: config-propagation\nduration: 8s\n"
    << "network:\n  zones: [{name: a, latency: 200us, bandwidth: 10Gbps}, {name: b, latency: 200us, bandwidth: "
       "10Gbps}]\n  interZone: {latency: 2ms, bandwidth: 10Gbps}\nservices:\n";
  for (int s = 0; s < services; ++s)
    y << "  - {name: s" << s << ", versions: [{name: v1, replicas: " << replicas
      << ", zones: [a, b], behavior: {serviceTime: {fixed: 1ms}}}]}\n";
  y << "changes:\n  - {name: timeout, at: 5s, traffic: [{service: s0, http: [{route: [{subset: v1}], timeout: "
       "2s}]}]}\n"
    << "workload:\n  - {name: users, target: s0, rate: 50}\n";
  return y.str();
}

class ApplySink final : public EventSink {
 public:
  void emit(TimeNs t, const Event& event) override {
    const auto* config = std::get_if<ConfigEvent>(&event);
    if (config == nullptr || config->version < 2) return;
    if (config->state == "published" && published == 0) published = t;
    if (config->state == "applied" && config->version == 2) applied.push_back(t);
  }
  TimeNs published = 0;
  std::vector<TimeNs> applied;
};

double ms(DurationNs d) { return static_cast<double>(d) / 1e6; }

}  // namespace

int main() {
  const int services = 100, replicas = 10;
  const scenario::Plan plan = scenario::loadScenarioText(propagationScenario(services, replicas), "config-propagation.yaml");
  ApplySink sink;
  sim::SimulationOptions options;
  options.seed = 1;
  const auto start = std::chrono::steady_clock::now();
  sim::simulate(plan, options, sink);
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<DurationNs> delays;
  for (TimeNs t : sink.applied) delays.push_back(t - 5 * kSecond);
  std::sort(delays.begin(), delays.end());
  if (delays.empty()) {
    std::printf("no sidecar applied the change\n");
    return 1;
  }
  auto at = [&](double q) { return delays[std::min(delays.size() - 1, static_cast<std::size_t>(q * delays.size()))]; };
  std::printf("configuration change to %zu sidecars (%d instances + gateway), simulated time from `at`\n",
              delays.size(), services * replicas);
  std::printf("  published (debounce)  %8.3f ms\n", ms(sink.published - 5 * kSecond));
  std::printf("  first sidecar         %8.3f ms\n", ms(delays.front()));
  std::printf("  median                %8.3f ms\n", ms(at(0.5)));
  std::printf("  p99                   %8.3f ms\n", ms(at(0.99)));
  std::printf("  last sidecar          %8.3f ms\n", ms(delays.back()));
  std::printf("wall time of the 8 s run: %.2f s\n", wall_s);
  return delays.size() == static_cast<std::size_t>(services * replicas + 1) ? 0 : 1;
}
