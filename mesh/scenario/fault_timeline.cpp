// Fault steps and their events.
#include "mesh/scenario/fault_timeline.h"

#include <algorithm>

namespace meshproof::scenario {
namespace {

std::string describe(const TargetSpec& t) {
  if (!t.zone.empty()) return "zone " + t.zone;
  std::string out = t.service;
  if (t.version) out += " " + *t.version;
  if (t.instance) out += " #" + std::to_string(*t.instance);
  return out;
}

const Target* targetOf(const FaultSpec& spec) {
  return std::visit(
      [](const auto& f) -> const Target* {
        if constexpr (requires { f.target; }) {
          return &f.target;
        } else {
          return nullptr;
        }
      },
      spec);
}

}  // namespace

std::vector<FaultStep> faultTimeline(const Plan& plan) {
  std::vector<FaultStep> steps;
  for (std::size_t i = 0; i < plan.faults.size(); ++i) {
    const auto& f = plan.faults[i];
    if (f.at < plan.duration) steps.push_back({f.at, i, true});
    TimeNs stop = kNever;
    if (const auto* crash = std::get_if<CrashFault>(&f.spec)) {
      if (crash->restart_after) stop = f.at + *crash->restart_after;
    } else if (f.duration) {
      stop = f.at + *f.duration;
    }
    if (stop < plan.duration) steps.push_back({stop, i, false});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const FaultStep& a, const FaultStep& b) { return a.at < b.at; });
  return steps;
}

FaultEvent faultEvent(const Fault& fault, bool started) {
  FaultEvent ev;
  ev.type = faultTypeName(fault.spec);
  ev.started = started;
  if (const auto* p = std::get_if<PartitionFault>(&fault.spec)) {
    ev.description = describe(p->side_a.spec) + " <-> " + describe(p->side_b.spec);
    ev.targets = p->side_a.instances;
    ev.targets.insert(ev.targets.end(), p->side_b.instances.begin(), p->side_b.instances.end());
  } else if (const Target* t = targetOf(fault.spec)) {
    ev.description = describe(t->spec);
    ev.targets = t->instances;
  }
  return ev;
}

}  // namespace meshproof::scenario
