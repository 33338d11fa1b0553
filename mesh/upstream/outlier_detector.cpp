// Outlier detection state machine; the rules follow Envoy's
// source/common/upstream/outlier_detection_impl.cc (DetectorImpl), cited inline.
#include "mesh/upstream/outlier_detector.h"

#include <algorithm>
#include <utility>

namespace meshproof::upstream {

namespace {

std::string_view reasonName(bool gateway) { return gateway ? "consecutiveGateway" : "consecutive5xx"; }

}  // namespace

OutlierDetector::OutlierDetector(std::string service, const std::vector<Endpoint>& hosts,
                                 const config::OutlierDetection& config, EventSink& sink, TimeNs now,
                                 OutlierDetectorOptions options)
    : service_(std::move(service)),
      config_(config),
      options_(options),
      sink_(sink),
      next_sweep_(config.interval > 0 ? now + config.interval : kNever) {
  hosts_.reserve(hosts.size());
  for (const Endpoint& endpoint : hosts) {
    HostState state;
    state.instance = endpoint.instance;
    hosts_.push_back(std::move(state));
  }
  present_count_ = static_cast<int>(hosts_.size());
}

void OutlierDetector::setPresent(HostIndex host, bool present) {
  HostState& state = hosts_[host];
  if (state.present == present) return;
  state.present = present;
  present_count_ += present ? 1 : -1;
}

void OutlierDetector::recordResponse(HostIndex host, int status, TimeNs now) { countStatus(host, status, now); }

void OutlierDetector::recordLocalFailure(HostIndex host, LocalOriginFailure failure, TimeNs now) {
  countStatus(host, outlierStatusFor(failure), now);
}

// DetectorHostMonitorImpl::putHttpResponseCode: a 5xx that is not a gateway error
// (e.g. 500) resets the gateway counter; any non-5xx resets both. Ejection fires
// when a counter *reaches* its threshold (==), so an ejected host's counter can run
// past it without firing again until it is reset.
void OutlierDetector::countStatus(HostIndex host, int status, TimeNs now) {
  HostState& state = hosts_[host];
  if (!is5xx(status)) {
    state.consecutive_5xx = 0;
    state.consecutive_gateway = 0;
    return;
  }
  if (isGatewayError(status)) {
    if (++state.consecutive_gateway == config_.consecutive_gateway_errors && config_.consecutive_gateway_errors > 0)
      onConsecutiveError(host, EjectionType::kConsecutiveGateway, now);
  } else {
    state.consecutive_gateway = 0;
  }
  if (++state.consecutive_5xx == config_.consecutive_5xx_errors && config_.consecutive_5xx_errors > 0)
    onConsecutiveError(host, EjectionType::kConsecutive5xx, now);
}

// DetectorImpl::onConsecutiveErrorWorker: nothing happens for a host already
// ejected (its counter is not reset either); otherwise try to eject, then reset the
// counter that fired whether or not the ejection was allowed.
void OutlierDetector::onConsecutiveError(HostIndex host, EjectionType type, TimeNs now) {
  HostState& state = hosts_[host];
  if (state.ejected) return;
  if (ejectionAllowed()) eject(host, type, now);
  if (type == EjectionType::kConsecutive5xx)
    state.consecutive_5xx = 0;
  else
    state.consecutive_gateway = 0;
}

// DetectorImpl::ejectHost (Envoy >= 1.27, PRs #27624/#27909): the share of hosts
// ejected *after* this ejection must not exceed max_ejection_percent; the old
// "always eject the first host" rule survives only as always_eject_one_host
// (PR #34796, default false). With 4 hosts and 50%: 25% ok, 50% ok, 75% refused.
bool OutlierDetector::ejectionAllowed() const {
  if (present_count_ == 0) return false;
  const double max_percent = std::min(100.0, config_.max_ejection_percent);
  const double ejected_percent = 100.0 * (ejected_count_ + 1) / static_cast<double>(present_count_);
  bool allowed = ejected_percent <= max_percent;
  if (options_.always_eject_one_host) allowed = allowed || ejected_count_ == 0;
  return allowed;
}

DurationNs OutlierDetector::ejectionDuration(HostIndex host) const {
  const HostState& state = hosts_[host];
  return std::min(config_.base_ejection_time * state.ejection_multiplier, config_.max_ejection_time);
}

// The multiplier grows by one per ejection while base x multiplier is below
// max_ejection_time + base, so the capped duration min(base x multiplier, max)
// reaches the cap and stays there (ejectHost).
void OutlierDetector::eject(HostIndex host, EjectionType type, TimeNs now) {
  HostState& state = hosts_[host];
  state.ejected = true;
  ++ejected_count_;
  ++state.times_ejected;
  state.last_ejection = now;
  if (config_.base_ejection_time * state.ejection_multiplier < config_.max_ejection_time + config_.base_ejection_time)
    ++state.ejection_multiplier;
  sink_.emit(now, EjectionEvent{service_, state.instance, true,
                                std::string(reasonName(type == EjectionType::kConsecutiveGateway)),
                                state.times_ejected, ejectionDuration(host), {}});
}

void OutlierDetector::onDeadline(TimeNs now) {
  if (now < next_sweep_) return;
  sweep(now);
  // Envoy re-arms the interval timer when the sweep runs (armIntervalTimer).
  next_sweep_ = now + config_.interval;
}

// DetectorImpl::onIntervalTimer / checkHostForUneject: an ejected host returns once
// its ejection time has passed (counters reset so a couple of errors do not eject it
// again at once). Then every host that is not ejected and returned at least one
// interval ago has its multiplier decreased by one, down to 0: a host that stays
// healthy gets back to base ejection time one interval at a time.
void OutlierDetector::sweep(TimeNs now) {
  for (HostIndex host = 0; host < hosts_.size(); ++host) {
    HostState& state = hosts_[host];
    if (!state.ejected || now - state.last_ejection < ejectionDuration(host)) continue;
    state.ejected = false;
    --ejected_count_;
    state.consecutive_5xx = 0;
    state.consecutive_gateway = 0;
    state.has_returned = true;
    state.last_return = now;
    sink_.emit(now, EjectionEvent{service_, state.instance, false, "expired", state.times_ejected,
                                  ejectionDuration(host), {}});
  }
  for (HostState& state : hosts_) {
    if (state.ejected || !state.has_returned || now - state.last_return < config_.interval) continue;
    if (state.ejection_multiplier > 0) --state.ejection_multiplier;
  }
}

}  // namespace meshproof::upstream
