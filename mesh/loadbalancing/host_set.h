// The data plane's live view of one destination service's endpoints: per host the
// endpoint, requests in flight, whether outlier detection ejected it, and its Peak-EWMA
// latency estimate. Balancers read it; the data plane reports into it. Hosts are
// addressed by HostIndex (position, stable for the set's lifetime: hosts are only added).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "mesh/core/endpoint.h"
#include "mesh/core/time.h"
#include "mesh/loadbalancing/peak_ewma_estimate.h"

namespace meshproof::lb {

using HostIndex = std::uint32_t;

struct HostState {
  Endpoint endpoint;
  int active_requests = 0;  // started and not yet ended (Envoy's rq_active, tower's pending)
  bool ejected = false;     // set by outlier detection; balancers skip ejected hosts
  PeakEwmaEstimate rtt_estimate;
  bool present = true;      // listed by service discovery (EDS); absent hosts are no member at all
};

class HostSet {
 public:
  explicit HostSet(std::vector<Endpoint> endpoints = {}, PeakEwmaSettings ewma = {});

  std::size_t size() const { return hosts_.size(); }
  const HostState& operator[](HostIndex host) const { return hosts_[host]; }
  const std::vector<HostState>& hosts() const { return hosts_; }
  std::optional<HostIndex> find(std::string_view instance) const;  // linear; not for the hot path
  const PeakEwmaSettings& ewmaSettings() const { return ewma_; }

  // Membership: a new endpoint joins (scale-up). Returns its index.
  HostIndex add(Endpoint endpoint);
  // Service discovery lists a host again or stops listing it (Envoy's EDS update):
  // an absent host takes no new requests and counts in no priority's health.
  void setPresent(HostIndex host, bool present);
  // Outlier detection ejects a host or returns it.
  void setEjected(HostIndex host, bool ejected);

  // Request accounting, reported by the data plane per upstream attempt.
  void onRequestStart(HostIndex host, TimeNs now);
  // `rtt`: time from sending the request to the response (or failure); `now`: when it ended.
  void onRequestEnd(HostIndex host, DurationNs rtt, TimeNs now);

  // tower's PeakEwma load: estimate decayed to `now`, times (active requests + 1).
  // Reading commits the decay to the estimate, as tower's load() does.
  double peakEwmaCost(HostIndex host, TimeNs now);

  // Bumped on every change balancers cache against: membership (add, presence) and eligibility
  // (add, presence or ejection change). Request counts and latencies do not bump them.
  std::uint64_t membershipVersion() const { return membership_version_; }
  std::uint64_t eligibilityVersion() const { return eligibility_version_; }

 private:
  std::vector<HostState> hosts_;
  PeakEwmaSettings ewma_;
  std::uint64_t membership_version_ = 1;
  std::uint64_t eligibility_version_ = 1;
};

}  // namespace meshproof::lb
