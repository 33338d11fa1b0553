// Implementation of HostSet: membership, ejection and request accounting per host.
#include "mesh/loadbalancing/host_set.h"

#include <utility>

namespace meshproof::lb {

HostSet::HostSet(std::vector<Endpoint> endpoints, PeakEwmaSettings ewma) : ewma_(ewma) {
  hosts_.reserve(endpoints.size());
  for (auto& endpoint : endpoints) add(std::move(endpoint));
}

std::optional<HostIndex> HostSet::find(std::string_view instance) const {
  for (std::size_t i = 0; i < hosts_.size(); ++i)
    if (hosts_[i].endpoint.instance == instance) return static_cast<HostIndex>(i);
  return std::nullopt;
}

HostIndex HostSet::add(Endpoint endpoint) {
  hosts_.push_back(HostState{std::move(endpoint), 0, false, PeakEwmaEstimate(ewma_.default_rtt)});
  ++membership_version_;
  ++eligibility_version_;
  return static_cast<HostIndex>(hosts_.size() - 1);
}

void HostSet::setPresent(HostIndex host, bool present) {
  if (hosts_[host].present == present) return;
  hosts_[host].present = present;
  ++membership_version_;
  ++eligibility_version_;
}

void HostSet::setEjected(HostIndex host, bool ejected) {
  if (hosts_[host].ejected == ejected) return;
  hosts_[host].ejected = ejected;
  ++eligibility_version_;
}

void HostSet::onRequestStart(HostIndex host, TimeNs now) {
  ++hosts_[host].active_requests;
  hosts_[host].rtt_estimate.anchor(now);
}

void HostSet::onRequestEnd(HostIndex host, DurationNs rtt, TimeNs now) {
  HostState& state = hosts_[host];
  if (state.active_requests > 0) --state.active_requests;
  state.rtt_estimate.observe(rtt, now, ewma_.decay);
}

double HostSet::peakEwmaCost(HostIndex host, TimeNs now) {
  HostState& state = hosts_[host];
  const double estimate_ns = state.rtt_estimate.decayTo(now, ewma_.decay);
  return estimate_ns * static_cast<double>(state.active_requests + 1);
}

}  // namespace meshproof::lb
