// Registration and health of instances, as endpoint events.
#include "mesh/control/registry.h"

#include <algorithm>

namespace meshproof::control {

Registry::Registry(EventSink& sink, DurationNs health_interval, int misses)
    : sink_(sink), timeout_(health_interval * misses) {}

void Registry::bootstrap(const InstanceRecord& record, TimeNs now) {
  Entry& entry = instances_[record.instance];
  entry.record = record;
  entry.healthy = true;
  entry.last_report = now;
  sink_.emit(now, EndpointEvent{record.instance, record.service, record.version, record.zone, "registered",
                                "up before the run"});
}

void Registry::addClient(std::string node, std::string spiffe_id) { clients_[std::move(node)] = std::move(spiffe_id); }

std::string Registry::entitlement(const std::string& node) const {
  if (auto it = instances_.find(node); it != instances_.end()) return it->second.record.spiffe_id;
  if (auto it = clients_.find(node); it != clients_.end()) return it->second;
  return {};
}

const InstanceRecord* Registry::record(const std::string& node) const {
  auto it = instances_.find(node);
  return it == instances_.end() ? nullptr : &it->second.record;
}

bool Registry::setHealth(Entry& entry, bool healthy, TimeNs now, const std::string& reason) {
  if (entry.healthy == healthy) return false;
  entry.healthy = healthy;
  const InstanceRecord& r = entry.record;
  sink_.emit(now, EndpointEvent{r.instance, r.service, r.version, r.zone, healthy ? "healthy" : "unhealthy", reason});
  return true;
}

bool Registry::reported(const std::string& node, bool ready, TimeNs now) {
  auto it = instances_.find(node);
  if (it == instances_.end()) return false;
  it->second.last_report = now;
  return setHealth(it->second, ready, now, ready ? "reported ready" : "reported not ready");
}

bool Registry::streamReset(const std::string& node, TimeNs now) {
  auto it = instances_.find(node);
  if (it == instances_.end()) return false;
  return setHealth(it->second, false, now, "stream reset: the process is gone");
}

bool Registry::sweep(TimeNs now) {
  bool changed = false;
  for (auto& [name, entry] : instances_)
    if (entry.healthy && now - entry.last_report >= timeout_)
      changed |= setHealth(entry, false, now, "no health report for " + std::to_string(timeout_ / kSecond) + " s");
  return changed;
}

void Registry::restartTimers(TimeNs now) {
  for (auto& [name, entry] : instances_) entry.last_report = now;
}

TimeNs Registry::nextDeadline() const {
  TimeNs next = kNever;
  for (const auto& [name, entry] : instances_)
    if (entry.healthy) next = std::min(next, entry.last_report + timeout_);
  return next;
}

dataplane::EndpointTable Registry::endpoints() const {
  dataplane::EndpointTable table;
  for (const auto& [name, entry] : instances_) {
    auto& listed = table[entry.record.service];  // every service appears, even with none healthy
    if (entry.healthy) listed.push_back(name);
  }
  return table;  // std::map order: each list is sorted
}

}  // namespace meshproof::control
