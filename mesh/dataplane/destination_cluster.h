// Everything one sidecar keeps per destination service (an Envoy cluster, with one
// load balancer per subset as Istio's per-subset clusters): the route table, the live
// host set, the connection pool with its circuit breakers, outlier detection, and the
// balancers. Outlier ejections are mirrored into the host set the balancers read.
#pragma once
#include <map>
#include <memory>
#include <string>

#include "mesh/config/model.h"
#include "mesh/core/events.h"
#include "mesh/core/rng.h"
#include "mesh/dataplane/router.h"
#include "mesh/dataplane/service_directory.h"
#include "mesh/loadbalancing/host_set.h"
#include "mesh/loadbalancing/load_balancer.h"
#include "mesh/upstream/upstream_cluster.h"

namespace meshproof::dataplane {

// Stamps breaker and ejection events with the sidecar that saw them: every caller
// keeps its own circuit breakers and outlier detector (as every Envoy does).
class ObserverSink final : public EventSink {
 public:
  ObserverSink(std::string observer, EventSink& next) : observer_(std::move(observer)), next_(next) {}
  void emit(TimeNs t, const Event& event) override;

 private:
  std::string observer_;
  EventSink& next_;
};

class DestinationCluster {
 public:
  // `index` is this cluster's position in its sidecar (it prefixes connection ids);
  // `observer` names the sidecar (its instance).
  DestinationCluster(std::uint32_t index, const ServiceInfo& service, const config::MeshConfig& config,
                     const std::string& observer, std::string local_zone, const Rng& sidecar_rng, EventSink& sink,
                     TimeNs now);

  std::uint32_t index() const { return index_; }
  const ServiceInfo& service() const { return service_; }
  const Router& router() const { return router_; }
  lb::HostSet& hosts() { return hosts_; }
  upstream::UpstreamCluster& upstream() { return upstream_; }
  bool originatesMtls() const { return mtls_; }

  // The balancer of one subset ("" = every host), created on first use.
  lb::LoadBalancer& balancer(const std::string& subset);

  // Outcome reporting for outlier detection; keeps the host set's ejections in step.
  void recordResponse(lb::HostIndex host, int status, TimeNs now);
  void recordLocalFailure(lb::HostIndex host, upstream::LocalOriginFailure failure, TimeNs now);
  // Timers of the pool and of outlier detection.
  TimeNs nextDeadline() const { return upstream_.nextDeadline(); }
  void onDeadline(TimeNs now);

 private:
  void syncEjection(lb::HostIndex host);

  std::uint32_t index_;
  const ServiceInfo& service_;
  config::DestinationRule rule_;
  Router router_;
  std::string local_zone_;
  Rng rng_;
  ObserverSink sink_;
  lb::HostSet hosts_;
  upstream::UpstreamCluster upstream_;
  bool mtls_;
  std::map<std::string, std::unique_ptr<lb::LoadBalancer>> balancers_;
};

}  // namespace meshproof::dataplane
