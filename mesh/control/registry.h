// The control plane's registry of workload instances: who is registered and who is
// healthy. Healthy instances are the endpoints pushed to sidecars. An instance is
// healthy while it reports ready; it turns unhealthy at once when its stream is reset
// (its process died: Kubernetes sees the container exit) or when it misses its health
// reports for `misses` intervals (a hang or a partition). Registration outlives the
// control plane's own restarts (it is kept where Kubernetes keeps endpoints); health
// timers restart with it.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mesh/core/events.h"
#include "mesh/dataplane/service_directory.h"

namespace meshproof::control {

struct InstanceRecord {
  std::string instance;
  std::string service;
  std::string version;
  std::string zone;
  std::string spiffe_id;  // what the CA may sign for it
};

class Registry {
 public:
  Registry(EventSink& sink, DurationNs health_interval, int misses);

  // An instance that was up before the run (registered and healthy at `now`).
  void bootstrap(const InstanceRecord& record, TimeNs now);
  // A node the control plane serves without an endpoint (gateway, client sidecar).
  void addClient(std::string node, std::string spiffe_id);

  // The SPIFFE ID the node may have a certificate for; empty when unknown.
  std::string entitlement(const std::string& node) const;
  // The instance's record; nullptr for a client or an unknown node.
  const InstanceRecord* record(const std::string& node) const;

  // Each returns true when the set of healthy endpoints changed.
  bool reported(const std::string& node, bool ready, TimeNs now);
  bool streamReset(const std::string& node, TimeNs now);
  bool sweep(TimeNs now);
  // The control plane restarted: every registered instance gets a full health timeout.
  void restartTimers(TimeNs now);

  TimeNs nextDeadline() const;
  dataplane::EndpointTable endpoints() const;

 private:
  struct Entry {
    InstanceRecord record;
    bool healthy = false;
    TimeNs last_report = 0;
  };
  bool setHealth(Entry& entry, bool healthy, TimeNs now, const std::string& reason);

  EventSink& sink_;
  DurationNs timeout_;
  std::map<std::string, Entry> instances_;
  std::map<std::string, std::string> clients_;  // node -> SPIFFE ID
};

}  // namespace meshproof::control
