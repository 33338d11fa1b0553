// Per-destination state of a sidecar, and the bridge between outlier detection and
// the balancers' host set.
#include "mesh/dataplane/destination_cluster.h"

#include <algorithm>

#include "mesh/security/peer_authentication.h"

namespace meshproof::dataplane {

config::DestinationRule effectiveRule(const config::MeshConfig& config, const std::string& service) {
  if (const config::DestinationRule* rule = config.destinationRule(service)) {
    config::DestinationRule copy = *rule;
    // Istio applies locality failover only when outlier detection is configured: without
    // it no host ever leaves a priority, so failover could never happen.
    if (!copy.outlier_detection) copy.locality_lb.enabled = false;
    return copy;
  }
  config::DestinationRule defaults;
  defaults.service = service;
  return defaults;
}

bool mtlsOriginatedTo(const config::MeshConfig& config, const ServiceInfo& service) {
  return security::clientOriginatesMtls(
      security::resolveMtlsMode(config.mesh, config.security.peer_authentication, service.namespace_, service.name));
}

std::shared_ptr<const Router> makeRouter(const std::shared_ptr<const config::MeshConfig>& config,
                                         const std::string& service) {
  return std::make_shared<const Router>(config->virtualService(service), config);
}

void ObserverSink::emit(TimeNs t, const Event& event) {
  if (const auto* breaker = std::get_if<BreakerEvent>(&event)) {
    BreakerEvent stamped = *breaker;
    stamped.observer = observer_;
    next_.emit(t, Event(std::move(stamped)));
  } else if (const auto* ejection = std::get_if<EjectionEvent>(&event)) {
    EjectionEvent stamped = *ejection;
    stamped.observer = observer_;
    next_.emit(t, Event(std::move(stamped)));
  } else {
    next_.emit(t, event);
  }
}

DestinationCluster::DestinationCluster(std::uint32_t index, const ServiceInfo& service,
                                       const std::shared_ptr<const config::MeshConfig>& config,
                                       const std::string& observer, std::string local_zone, const Rng& sidecar_rng,
                                       EventSink& sink, TimeNs now)
    : index_(index),
      service_(service),
      rule_(effectiveRule(*config, service.name)),
      router_(makeRouter(config, service.name)),
      local_zone_(std::move(local_zone)),
      rng_(sidecar_rng.fork(service.name)),
      sink_(observer, sink),
      hosts_(service.endpoints),
      upstream_(rule_, service.endpoints, sink_, now),
      mtls_(mtlsOriginatedTo(*config, service)) {}

void DestinationCluster::applyEndpoints(const std::vector<std::string>* listed) {
  for (lb::HostIndex h = 0; h < hosts_.size(); ++h) {
    const std::string& instance = hosts_[h].endpoint.instance;
    const bool present = listed == nullptr || std::binary_search(listed->begin(), listed->end(), instance);
    hosts_.setPresent(h, present);
    upstream_.setPresent(h, present);
  }
}

void DestinationCluster::drain(TimeNs now) { upstream_.pool().drain(now); }

lb::LoadBalancer& DestinationCluster::balancer(const std::string& subset) {
  auto it = balancers_.find(subset);
  if (it == balancers_.end()) {
    auto settings = lb::BalancerSettings::forDestination(&rule_, subset, local_zone_);
    auto balancer = std::make_unique<lb::LoadBalancer>(hosts_, std::move(settings), rng_.fork(subset + "/lb"));
    it = balancers_.emplace(subset, std::move(balancer)).first;
  }
  return *it->second;
}

void DestinationCluster::syncEjection(lb::HostIndex host) {
  const bool ejected = upstream_.isEjected(host);
  if (hosts_[host].ejected != ejected) hosts_.setEjected(host, ejected);
}

void DestinationCluster::recordResponse(lb::HostIndex host, int status, TimeNs now) {
  upstream_.recordResponse(host, status, now);
  syncEjection(host);
}

void DestinationCluster::recordLocalFailure(lb::HostIndex host, upstream::LocalOriginFailure failure, TimeNs now) {
  upstream_.recordLocalFailure(host, failure, now);
  syncEjection(host);
}

void DestinationCluster::onDeadline(TimeNs now) {
  upstream_.onDeadline(now);
  // A sweep may return any host; sweeps are rare (once per interval), so check all.
  for (lb::HostIndex h = 0; h < hosts_.size(); ++h) syncEjection(h);
}

}  // namespace meshproof::dataplane
