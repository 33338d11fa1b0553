// Outlier detection for one cluster (destination service), with Envoy's semantics
// under Istio's field names: consecutive 5xx and consecutive gateway errors eject a
// host inline, within maxEjectionPercent; ejected hosts come back only at the
// interval sweep, after baseEjectionTime x the host's ejection multiplier.
#pragma once
#include <string>
#include <vector>

#include "mesh/config/model.h"
#include "mesh/core/endpoint.h"
#include "mesh/core/events.h"
#include "mesh/core/time.h"
#include "mesh/upstream/ids.h"
#include "mesh/upstream/upstream_result.h"

namespace meshproof::upstream {

// Envoy settings Istio does not expose; defaults are Envoy's.
struct OutlierDetectorOptions {
  // Envoy's always_eject_one_host (default false): eject one host even when that
  // alone exceeds maxEjectionPercent (e.g. 10% of fewer than 10 hosts).
  bool always_eject_one_host = false;
};

class OutlierDetector {
 public:
  // `hosts` are indexed 0..n-1 as the data plane keeps them; the first sweep is at
  // now + interval (Envoy arms its interval timer when the detector starts).
  OutlierDetector(std::string service, const std::vector<Endpoint>& hosts, const config::OutlierDetection& config,
                  EventSink& sink, TimeNs now, OutlierDetectorOptions options = {});

  // One finished attempt to `host`: the response status it returned...
  void recordResponse(HostIndex host, int status, TimeNs now);
  // ...or a failure that originated locally (counted as 503 / 504, see upstream_result.h).
  void recordLocalFailure(HostIndex host, LocalOriginFailure failure, TimeNs now);

  // Service discovery stopped (or resumed) listing the host: an absent host does not
  // count in maxEjectionPercent's share.
  void setPresent(HostIndex host, bool present);

  bool isEjected(HostIndex host) const { return hosts_[host].ejected; }
  int ejectedCount() const { return ejected_count_; }
  int hostCount() const { return static_cast<int>(hosts_.size()); }
  // Envoy's num_ejections: how many times the host has been ejected in all.
  int timesEjected(HostIndex host) const { return hosts_[host].times_ejected; }
  // Envoy's eject_time_backoff: the ejection time is base x this (capped).
  int ejectionMultiplier(HostIndex host) const { return hosts_[host].ejection_multiplier; }
  // The length of the host's current (or last) ejection.
  DurationNs ejectionDuration(HostIndex host) const;
  int consecutive5xx(HostIndex host) const { return hosts_[host].consecutive_5xx; }
  int consecutiveGatewayErrors(HostIndex host) const { return hosts_[host].consecutive_gateway; }

  // The next interval sweep. Never kNever: the sweep timer always runs.
  TimeNs nextDeadline() const { return next_sweep_; }
  // Runs the sweep when `now` has reached it; earlier calls do nothing.
  void onDeadline(TimeNs now);

 private:
  enum class EjectionType { kConsecutive5xx, kConsecutiveGateway };

  struct HostState {
    std::string instance;
    int consecutive_5xx = 0;
    int consecutive_gateway = 0;
    bool ejected = false;
    int times_ejected = 0;
    int ejection_multiplier = 0;
    TimeNs last_ejection = 0;
    bool has_returned = false;  // Envoy's lastUnejectionTime().has_value()
    TimeNs last_return = 0;
    bool present = true;
  };

  void countStatus(HostIndex host, int status, TimeNs now);
  void onConsecutiveError(HostIndex host, EjectionType type, TimeNs now);
  bool ejectionAllowed() const;
  void eject(HostIndex host, EjectionType type, TimeNs now);
  void sweep(TimeNs now);

  std::string service_;
  config::OutlierDetection config_;
  OutlierDetectorOptions options_;
  EventSink& sink_;
  std::vector<HostState> hosts_;
  int ejected_count_ = 0;
  int present_count_ = 0;
  TimeNs next_sweep_;
};

}  // namespace meshproof::upstream
