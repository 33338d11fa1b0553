// Implementation of LoadBalancer: subset, ejection, locality priority, policy pick and
// retry-host avoidance (see load_balancer.h).
#include "mesh/loadbalancing/load_balancer.h"

#include <algorithm>
#include <utility>

#include "mesh/loadbalancing/least_request.h"
#include "mesh/loadbalancing/peak_ewma.h"
#include "mesh/loadbalancing/ring_hash.h"
#include "mesh/loadbalancing/round_robin.h"
#include "mesh/loadbalancing/uniform_random.h"

namespace meshproof::lb {

BalancerSettings BalancerSettings::forDestination(const config::DestinationRule* rule, std::string subset,
                                                  std::string local_zone) {
  BalancerSettings settings;
  if (rule != nullptr) {
    settings.policy = rule->load_balancer;
    settings.consistent_hash = rule->consistent_hash;
    settings.locality = rule->locality_lb;
  }
  settings.subset = std::move(subset);
  settings.local_zone = std::move(local_zone);
  return settings;
}

std::unique_ptr<HostPicker> makeHostPicker(config::LbPolicy policy, const config::ConsistentHash& consistent_hash,
                                           Rng& rng) {
  switch (policy) {
    case config::LbPolicy::kRoundRobin:
      return std::make_unique<RoundRobinPicker>(rng.next());
    case config::LbPolicy::kLeastRequest:
      return std::make_unique<LeastRequestPicker>();
    case config::LbPolicy::kRandom:
      return std::make_unique<UniformRandomPicker>();
    case config::LbPolicy::kRingHash:
      return std::make_unique<RingHashPicker>(
          static_cast<std::uint64_t>(std::max(1, consistent_hash.minimum_ring_size)));
    case config::LbPolicy::kEwma:
      return std::make_unique<PeakEwmaPicker>();
  }
  return std::make_unique<RoundRobinPicker>(rng.next());
}

LoadBalancer::LoadBalancer(HostSet& hosts, BalancerSettings settings, Rng rng)
    : hosts_(hosts),
      settings_(std::move(settings)),
      rng_(rng),
      picker_(makeHostPicker(settings_.policy, settings_.consistent_hash, rng_)),
      levels_(PriorityLevels::Settings{settings_.subset, settings_.local_zone, settings_.locality,
                                       settings_.overprovisioning_percent}) {}

void LoadBalancer::refreshIfStale() {
  if (seen_eligibility_version_ == hosts_.eligibilityVersion() &&
      seen_membership_version_ == hosts_.membershipVersion())
    return;
  const bool membership_changed = seen_membership_version_ != hosts_.membershipVersion();
  levels_.rebuild(hosts_);
  picker_->onLevelsRebuilt(hosts_, levels_, membership_changed);
  seen_membership_version_ = hosts_.membershipVersion();
  seen_eligibility_version_ = hosts_.eligibilityVersion();
}

const PriorityLevels& LoadBalancer::priorities() {
  refreshIfStale();
  return levels_;
}

std::size_t LoadBalancer::choosePriority(std::uint64_t draw) const {
  return levels_.size() == 1 ? 0 : levels_.choose(draw);
}

std::optional<HostIndex> LoadBalancer::choose(const PickRequest& request) {
  refreshIfStale();
  if (levels_.empty()) return std::nullopt;

  PickInput input;
  input.now = request.now;
  const bool hash_based = picker_->usesRequestHash();
  std::size_t priority = 0;
  if (hash_based) {
    // Envoy: the hash policy's key when the header is present, else a random value; the
    // priority is chosen once from that hash (ThreadAwareLoadBalancerBase::chooseHost).
    const std::string* key = nullptr;
    if (request.headers != nullptr && !settings_.consistent_hash.http_header_name.empty())
      key = request.headers->find(settings_.consistent_hash.http_header_name);
    input.request_hash = key != nullptr ? stableHash(*key) : rng_.next();
    priority = choosePriority(input.request_hash);
  }

  const auto already_tried = [&request](HostIndex host) {
    return std::find(request.previous_hosts.begin(), request.previous_hosts.end(), host) !=
           request.previous_hosts.end();
  };
  const int max_attempts =
      request.previous_hosts.empty() ? 1 : 1 + std::max(0, settings_.host_selection_retry_max_attempts);

  std::optional<HostIndex> host;
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    if (!hash_based) priority = choosePriority(rng_.next());  // Envoy: chooseHostOnce per attempt
    input.attempt = static_cast<std::uint32_t>(attempt);
    host = picker_->pick(hosts_, levels_, priority, input, rng_);
    if (!host || !already_tried(*host)) return host;
  }
  return host;  // every reselection hit a tried host: Envoy routes to the last pick
}

}  // namespace meshproof::lb
