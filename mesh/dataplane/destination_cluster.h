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

// The DestinationRule a sidecar applies to `service` (defaults when none is given;
// locality failover off without outlier detection, as Istio does).
config::DestinationRule effectiveRule(const config::MeshConfig& config, const std::string& service);
// Whether calls to `service` originate mTLS (Istio's auto mTLS from PeerAuthentication).
bool mtlsOriginatedTo(const config::MeshConfig& config, const ServiceInfo& service);
// The router for `service` under `config`; it keeps `config` alive.
std::shared_ptr<const Router> makeRouter(const std::shared_ptr<const config::MeshConfig>& config,
                                         const std::string& service);

class DestinationCluster {
 public:
  // `index` is this cluster's position in its sidecar (it prefixes connection ids);
  // `observer` names the sidecar (its instance).
  DestinationCluster(std::uint32_t index, const ServiceInfo& service,
                     const std::shared_ptr<const config::MeshConfig>& config, const std::string& observer,
                     std::string local_zone, const Rng& sidecar_rng, EventSink& sink, TimeNs now);

  std::uint32_t index() const { return index_; }
  const ServiceInfo& service() const { return service_; }
  const Router& router() const { return *router_; }
  // A request in flight holds the router it was routed by (and so its routes).
  const std::shared_ptr<const Router>& routerPtr() const { return router_; }
  // A new VirtualService (an RDS update): requests in flight keep the old routes.
  void setRouter(std::shared_ptr<const Router> router) { router_ = std::move(router); }
  const config::DestinationRule& rule() const { return rule_; }
  // Service discovery: hosts listed in `listed` (sorted) are present, the others absent;
  // nullptr lists every host.
  void applyEndpoints(const std::vector<std::string>* listed);
  // The cluster was replaced (its DestinationRule or TLS changed, a CDS update): no
  // new requests; its connections close as their requests finish.
  void drain(TimeNs now);
  bool draining() const { return upstream_.pool().draining(); }
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
  std::shared_ptr<const Router> router_;
  std::string local_zone_;
  Rng rng_;
  ObserverSink sink_;
  lb::HostSet hosts_;
  upstream::UpstreamCluster upstream_;
  bool mtls_;
  std::map<std::string, std::unique_ptr<lb::LoadBalancer>> balancers_;
};

}  // namespace meshproof::dataplane
