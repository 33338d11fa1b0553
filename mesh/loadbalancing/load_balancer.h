// The load balancer the data plane calls per upstream attempt, for one destination
// service and subset (Istio makes one Envoy cluster per subset). It composes:
//   (a) subset filter, (b) skipping ejected hosts, (c) locality priority with Envoy's
//   health spill (PriorityLevels), (d) the configured policy's pick (HostPicker), and
//   (f) Istio's retry host predicate `previous_hosts` with host_selection_retry_max_attempts
//   5: when the pick was already tried by this request, pick again, up to 5 more times,
//   then use the last pick anyway (Envoy LoadBalancerBase::chooseHost).
// (e) request start/end reports go to the HostSet, which the balancers read.
// Cached views are rebuilt lazily when the HostSet's versions change, so choose() does not
// allocate in steady state.
#pragma once
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "mesh/config/model.h"
#include "mesh/core/http.h"
#include "mesh/core/rng.h"
#include "mesh/loadbalancing/host_picker.h"
#include "mesh/loadbalancing/host_set.h"
#include "mesh/loadbalancing/priority_levels.h"

namespace meshproof::lb {

inline constexpr int kIstioHostSelectionRetryMaxAttempts = 5;

struct BalancerSettings {
  config::LbPolicy policy = config::LbPolicy::kLeastRequest;  // Istio's default since 1.14
  config::ConsistentHash consistent_hash;  // RING_HASH only
  config::LocalityLbSetting locality;
  std::string subset;      // empty: every host of the service
  std::string local_zone;  // the caller's zone (priority 0 when locality is enabled)
  int host_selection_retry_max_attempts = kIstioHostSelectionRetryMaxAttempts;
  std::uint32_t overprovisioning_percent = kDefaultOverprovisioningPercent;

  // From a DestinationRule (nullptr: none, model defaults) for one subset and caller zone.
  static BalancerSettings forDestination(const config::DestinationRule* rule, std::string subset,
                                         std::string local_zone);
};

struct PickRequest {
  TimeNs now = 0;                               // EWMA decays to this time
  const Headers* headers = nullptr;             // RING_HASH reads consistent_hash.http_header_name
  std::span<const HostIndex> previous_hosts{};  // hosts earlier attempts of this request used
};

// The picker for a policy; `rng` seeds policy state (round robin's start offset).
std::unique_ptr<HostPicker> makeHostPicker(config::LbPolicy policy, const config::ConsistentHash& consistent_hash,
                                           Rng& rng);

class LoadBalancer {
 public:
  // `hosts` must outlive the balancer. `rng`: a stream of its own (e.g. fork("<caller>/<svc>/<subset>/lb")).
  LoadBalancer(HostSet& hosts, BalancerSettings settings, Rng rng);

  // A host for this attempt, or nullopt when no eligible host exists (503, flag UH).
  std::optional<HostIndex> choose(const PickRequest& request);

  // The current priority levels (refreshed first); for tests, traces and the visualizer.
  const PriorityLevels& priorities();
  const BalancerSettings& settings() const { return settings_; }

 private:
  void refreshIfStale();
  std::size_t choosePriority(std::uint64_t draw) const;

  HostSet& hosts_;
  BalancerSettings settings_;
  Rng rng_;
  std::unique_ptr<HostPicker> picker_;
  PriorityLevels levels_;
  std::uint64_t seen_membership_version_ = 0;
  std::uint64_t seen_eligibility_version_ = 0;
};

}  // namespace meshproof::lb
