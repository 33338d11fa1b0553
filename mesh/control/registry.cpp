// Registration and readiness of instances, as endpoint events.
#include "mesh/control/registry.h"

namespace meshproof::control {

void Registry::bootstrap(const InstanceRecord& record, TimeNs now, bool ready) {
  Entry& entry = instances_[record.instance];
  entry.record = record;
  entry.ready = ready;
  sink_.emit(now, EndpointEvent{record.instance, record.service, record.version, record.zone, "registered",
                                ready ? "up before the run" : "starting"});
}

void Registry::restore(const InstanceRecord& record, bool ready) {
  Entry& entry = instances_[record.instance];
  entry.record = record;
  entry.ready = ready;
}

std::map<std::string, bool> Registry::readiness() const {
  std::map<std::string, bool> out;
  for (const auto& [name, entry] : instances_) out[name] = entry.ready;
  return out;
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

bool Registry::setReady(const std::string& node, bool ready, TimeNs now, const std::string& reason) {
  auto it = instances_.find(node);
  if (it == instances_.end() || it->second.ready == ready) return false;
  it->second.ready = ready;
  const InstanceRecord& r = it->second.record;
  sink_.emit(now, EndpointEvent{r.instance, r.service, r.version, r.zone, ready ? "healthy" : "unhealthy", reason});
  return true;
}

dataplane::EndpointTable Registry::endpoints() const {
  dataplane::EndpointTable table;
  for (const auto& [name, entry] : instances_) {
    auto& listed = table[entry.record.service];  // every service appears, even with none ready
    if (entry.ready) listed.push_back(name);
  }
  return table;  // std::map order: each list is sorted
}

}  // namespace meshproof::control
