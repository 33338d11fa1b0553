// The control plane's registry of workload instances (Kubernetes' endpoints, as
// istiod reads them): who is registered and who is ready. Ready instances are the
// endpoints pushed to sidecars. Readiness comes from the instance's node (the kubelet
// sees a container exit at once, and the sidecar's readiness probe), not from the
// control plane's own streams: a sidecar that lost its stream to the control plane,
// or a control plane that is down, changes nobody's readiness. The registry outlives
// the control plane's restarts (it is kept where Kubernetes keeps endpoints).
#pragma once
#include <map>
#include <string>

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
  explicit Registry(EventSink& sink) : sink_(sink) {}

  // An instance registered at `now`: ready when it was up before the run (simulation),
  // not yet when its processes are only starting (live mode).
  void bootstrap(const InstanceRecord& record, TimeNs now, bool ready = true);
  // The same, in a control plane that restarted: what the API server kept, no event.
  void restore(const InstanceRecord& record, bool ready);
  // A node the control plane serves without an endpoint (gateway, client sidecar).
  void addClient(std::string node, std::string spiffe_id);

  // The SPIFFE ID the node may have a certificate for; empty when unknown.
  std::string entitlement(const std::string& node) const;
  // The instance's record; nullptr for a client or an unknown node.
  const InstanceRecord* record(const std::string& node) const;

  // The instance's readiness as its node reports it; true when the endpoints changed.
  bool setReady(const std::string& node, bool ready, TimeNs now, const std::string& reason);

  dataplane::EndpointTable endpoints() const;
  // instance -> ready.
  std::map<std::string, bool> readiness() const;

 private:
  struct Entry {
    InstanceRecord record;
    bool ready = false;
  };

  EventSink& sink_;
  std::map<std::string, Entry> instances_;
  std::map<std::string, std::string> clients_;  // node -> SPIFFE ID
};

}  // namespace meshproof::control
