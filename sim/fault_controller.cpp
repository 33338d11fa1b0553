// Fault injection in simulation, and the end of the run.
#include "sim/fault_controller.h"

#include "mesh/scenario/fault_timeline.h"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace meshproof::sim {
namespace sg4 = simgrid::s4u;

namespace {

double seconds(TimeNs t) { return static_cast<double>(t) / kSecond; }

}  // namespace

FaultController::FaultController(const scenario::Plan& plan, const Platform& platform, SimNetwork& network,
                                 std::vector<std::unique_ptr<MeshNode>>& nodes, ControlPlaneNode& control_plane,
                                 EventSink& sink)
    : plan_(plan), platform_(platform), network_(network), nodes_(nodes), control_plane_(control_plane), sink_(sink) {}

std::vector<std::uint32_t> FaultController::nodesOf(const scenario::Target& target) const {
  std::set<std::uint32_t> out;
  for (const auto& instance : target.instances) out.insert(network_.nodeIndex(instance));
  // A zone is every host in it: clients and gateways too.
  if (!target.spec.zone.empty())
    for (const auto& host : platform_.hostsInZone(target.spec.zone))
      if (network_.hasNode(host)) out.insert(network_.nodeIndex(host));
  return {out.begin(), out.end()};
}

void FaultController::emit(const scenario::Fault& fault, bool start) {
  const auto now = static_cast<TimeNs>(std::llround(sg4::Engine::get_clock() * 1e9));
  sink_.emit(now, scenario::faultEvent(fault, start));
}

void FaultController::apply(const scenario::Fault& fault, std::size_t index, bool start) {
  std::visit(
      [&](const auto& f) {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, scenario::LatencyFault>) {
          for (auto n : nodesOf(f.target))
            node(n).setLatencyFault(start ? std::optional(std::pair(f.delay, f.jitter)) : std::nullopt);
        } else if constexpr (std::is_same_v<F, scenario::AbortFault>) {
          for (auto n : nodesOf(f.target))
            node(n).setAbortFault(start ? std::optional(std::pair(f.http_status, f.percentage)) : std::nullopt);
        } else if constexpr (std::is_same_v<F, scenario::CpuFault>) {
          for (auto n : nodesOf(f.target)) node(n).setCpuFactor(start ? f.factor : 1.0);
        } else if constexpr (std::is_same_v<F, scenario::CrashFault>) {
          // Scheduled on the node itself (see scheduleOnNodes).
        } else if constexpr (std::is_same_v<F, scenario::PartitionFault>) {
          if (start) {
            const auto a = nodesOf(f.side_a);
            const auto b = nodesOf(f.side_b);
            partitions_[index] = network_.addPartition({a.begin(), a.end()}, {b.begin(), b.end()});
          } else {
            network_.removePartition(partitions_[index]);
          }
        } else if constexpr (std::is_same_v<F, scenario::LossFault>) {
          for (auto n : nodesOf(f.target)) {
            if (start) {
              network_.setLoss(n, f.percentage);
            } else {
              network_.clearLoss(n);
            }
          }
        } else if constexpr (std::is_same_v<F, scenario::ClockSkewFault> ||
                             std::is_same_v<F, scenario::ControlPlaneDownFault>) {
          // Scheduled on the node itself (see scheduleOnNodes).
        } else if constexpr (std::is_same_v<F, scenario::RevokeCaFault>) {
          if (start) {
            control_plane_.controlPlane().ca().revoke();
          } else {
            control_plane_.controlPlane().ca().restore();
          }
        } else if constexpr (std::is_same_v<F, scenario::BandwidthFault>) {
          for (auto n : nodesOf(f.target)) {
            const std::string& host = network_.nodeName(n);
            sg4::Link* link = platform_.hostLink(host);
            if (link == nullptr) continue;
            if (start) {
              original_bandwidth_.emplace(host, link->get_bandwidth());
              link->set_bandwidth(static_cast<double>(f.rate_bps) / 8);
            } else if (auto it = original_bandwidth_.find(host); it != original_bandwidth_.end()) {
              link->set_bandwidth(it->second);
              original_bandwidth_.erase(it);
            }
          }
        }
      },
      fault.spec);
}

// Faults that act on a process (crash and restart, clock-skew, control-plane-down)
// run on the target node's own actor at their times: their messages then leave from
// that host and the node's next deadline follows.
void FaultController::scheduleOnNodes() {
  for (const auto& fault : plan_.faults) {
    // As in run(): nothing starts or stops after the run's end (the drain).
    const TimeNs end = plan_.duration;
    const TimeNs until = fault.duration && fault.at + *fault.duration < end ? fault.at + *fault.duration : kNever;
    if (const auto* crash = std::get_if<scenario::CrashFault>(&fault.spec)) {
      for (auto n : nodesOf(crash->target)) {
        MeshNode* target = &node(n);
        target->schedule(fault.at, [target] { target->crash(); });
        if (crash->restart_after && fault.at + *crash->restart_after < end)
          target->schedule(fault.at + *crash->restart_after, [target] { target->restart(); });
      }
    } else if (const auto* skew = std::get_if<scenario::ClockSkewFault>(&fault.spec)) {
      for (auto n : nodesOf(skew->target)) {
        MeshNode* target = &node(n);
        const DurationNs offset = skew->offset;
        target->schedule(fault.at, [target, offset] { target->skewClock(offset); });
        if (until != kNever) target->schedule(until, [target, offset] { target->skewClock(-offset); });
      }
    } else if (std::holds_alternative<scenario::ControlPlaneDownFault>(fault.spec)) {
      control_plane_.scheduleOutage(fault.at, until);
    }
  }
}

void FaultController::run(DurationNs drain_limit) {
  const std::vector<scenario::FaultStep> steps = scenario::faultTimeline(plan_);
  for (const scenario::FaultStep& step : steps) {
    sg4::this_actor::sleep_until(seconds(step.at));
    apply(plan_.faults[step.fault], step.fault, step.start);
    emit(plan_.faults[step.fault], step.start);
  }
  sg4::this_actor::sleep_until(seconds(plan_.duration));
  // Let what is in flight finish, polling in simulated time, then call the rest lost.
  const TimeNs give_up = plan_.duration + drain_limit;
  auto outstanding = [&] {
    std::size_t n = 0;
    for (const auto& node : nodes_) n += node->outstandingClientRequests();
    return n;
  };
  while (outstanding() > 0 && sg4::Engine::get_clock() < seconds(give_up))
    sg4::this_actor::sleep_for(0.01);
  for (auto& node : nodes_) node->finishGenerators();
}

}  // namespace meshproof::sim
