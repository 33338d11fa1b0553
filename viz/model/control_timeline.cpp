// Time-sorted event lists and "state at t" by binary search (see control_timeline.h).
#include "viz/model/control_timeline.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "chaos/text/fixed_decimal.h"

namespace meshproof::viz {
namespace {

// Appends in time order; a late arrival (a live stream may reorder slightly) goes
// after every entry of the same or an earlier time.
template <typename T>
void insertSorted(std::vector<Timed<T>>& list, TimeNs t, T value) {
  if (list.empty() || list.back().t <= t) {
    list.push_back({t, std::move(value)});
    return;
  }
  const auto at = std::upper_bound(list.begin(), list.end(), t, [](TimeNs x, const Timed<T>& e) { return x < e.t; });
  list.insert(at, {t, std::move(value)});
}

template <typename T>
const Timed<T>* lastAtOrBefore(const std::vector<Timed<T>>& list, TimeNs t) {
  const auto it = std::upper_bound(list.begin(), list.end(), t, [](TimeNs x, const Timed<T>& e) { return x < e.t; });
  return it == list.begin() ? nullptr : &*std::prev(it);
}

// Seconds with millisecond precision, e.g. "30.000 s".
std::string seconds(DurationNs d) { return chaos::formatScaled(d / kMillisecond, 3) + " s"; }

}  // namespace

void ControlTimeline::mark(TimeNs t, MarkerKind kind, std::string label) {
  Marker m{t, kind, std::move(label)};
  if (markers_.empty() || markers_.back().t <= t) {
    markers_.push_back(std::move(m));
  } else {
    const auto at = std::upper_bound(markers_.begin(), markers_.end(), t,
                                     [](TimeNs x, const Marker& e) { return x < e.t; });
    markers_.insert(at, std::move(m));
  }
}

void ControlTimeline::nameInstance(const std::string& instance) {
  if (!instance.empty()) instance_names_.insert(instance);
}

void ControlTimeline::addBreaker(TimeNs t, const BreakerEvent& e) {
  BreakerHistory& history = breakers_[e.service];
  insertSorted(history.by_observer_threshold[{e.observer, e.threshold}], t, e.open);
  if (!e.open) return;
  if (history.trips.empty() || history.trips.back() <= t) history.trips.push_back(t);
  else history.trips.insert(std::upper_bound(history.trips.begin(), history.trips.end(), t), t);
  mark(t, MarkerKind::kBreakerTrip,
       "circuit breaker " + e.service + " " + e.threshold + (e.observer.empty() ? "" : " (caller " + e.observer + ")"));
}

void ControlTimeline::addEjection(TimeNs t, const EjectionEvent& e) {
  nameInstance(e.instance);
  insertSorted(histories_[e.instance].ejections[e.observer], t, e.ejected);
  mark(t, MarkerKind::kEjection,
       e.ejected ? "ejected " + e.instance + " (" + e.reason + ", " + seconds(e.duration) + ")"
                 : "returned " + e.instance);
}

void ControlTimeline::addFault(TimeNs t, const FaultEvent& e) {
  for (const std::string& target : e.targets) nameInstance(target);
  const std::pair<std::string, std::string> key{e.type, e.description};
  if (e.started) {
    open_faults_[key] = faults_.size();
    faults_.push_back({e.type, e.description, e.targets, t, kNever});
  } else if (const auto it = open_faults_.find(key); it != open_faults_.end()) {
    faults_[it->second].stop = t;
    open_faults_.erase(it);
  }
  mark(t, e.started ? MarkerKind::kFaultStart : MarkerKind::kFaultStop,
       "fault " + e.type + (e.started ? " start: " : " stop: ") + e.description);
}

void ControlTimeline::addEndpoint(TimeNs t, const EndpointEvent& e) {
  nameInstance(e.instance);
  insertSorted(histories_[e.instance].endpoint, t, e.state);
}

void ControlTimeline::addConfig(TimeNs t, const ConfigEvent& e) {
  if (e.state == "published") {
    insertSorted(published_, t, e);
    mark(t, MarkerKind::kConfig, "config v" + std::to_string(e.version) + " published: " + e.cause);
    return;
  }
  insertSorted(histories_[e.node].configs, t, e);
  if (e.state == "rejected")
    mark(t, MarkerKind::kConfig, "config v" + std::to_string(e.version) + " rejected by " + e.node + ": " + e.reason);
}

void ControlTimeline::addCert(TimeNs t, const CertEvent& e) {
  nameInstance(e.instance);
  if (e.state == "rejected") {
    insertSorted(cert_rejections_, t, e);
    mark(t, MarkerKind::kCert, "certificate of " + (e.peer.empty() ? e.spiffe_id : e.peer) + " rejected by " +
                                   e.instance + ": " + e.reason);
    return;
  }
  insertSorted(histories_[e.instance].certs, t, e);
  if (e.state == "denied") mark(t, MarkerKind::kCert, "certificate denied to " + e.instance + ": " + e.reason);
  if (e.state == "expired") mark(t, MarkerKind::kCert, "certificate of " + e.instance + " expired");
}

void ControlTimeline::addCanary(TimeNs t, const CanaryEvent& e) {
  insertSorted(canaries_[e.service], t, e);
  mark(t, MarkerKind::kCanary,
       "canary " + e.service + " " + e.canary + ": " + e.verdict + ", weight " + std::to_string(e.weight) + "%" +
           (e.reason.empty() ? "" : " (" + e.reason + ")"));
}

void ControlTimeline::addFailedExpectation(TimeNs t, const VerdictEvent& e) {
  mark(t, MarkerKind::kExpectationFailed, "expectation failed: " + e.name + (e.reason.empty() ? "" : ": " + e.reason));
}

BreakerStatus ControlTimeline::breakerAt(std::string_view service, TimeNs t, DurationNs window) const {
  BreakerStatus status;
  const auto it = breakers_.find(service);
  if (it == breakers_.end()) return status;
  std::set<std::string> open;
  for (const auto& [key, states] : it->second.by_observer_threshold) {
    const Timed<bool>* last = lastAtOrBefore(states, t);
    if (last && last->value) open.insert(key.second);
  }
  status.open = !open.empty();
  status.thresholds.assign(open.begin(), open.end());
  const auto& trips = it->second.trips;
  status.trips = static_cast<int>(std::upper_bound(trips.begin(), trips.end(), t) -
                                  std::upper_bound(trips.begin(), trips.end(), t - window));
  return status;
}

const InstanceHistory* ControlTimeline::history(std::string_view instance) const {
  const auto it = histories_.find(instance);
  return it == histories_.end() ? nullptr : &it->second;
}

bool ControlTimeline::ejectedAt(const InstanceHistory* h, TimeNs t) {
  if (!h) return false;
  for (const auto& [observer, states] : h->ejections) {
    const Timed<bool>* last = lastAtOrBefore(states, t);
    if (last && last->value) return true;
  }
  return false;
}

std::vector<const FaultInterval*> ControlTimeline::faultsAt(TimeNs t) const {
  std::vector<const FaultInterval*> active;
  for (const FaultInterval& f : faults_)
    if (f.start <= t && t < f.stop) active.push_back(&f);
  return active;
}

const std::string* ControlTimeline::endpointStateAt(const InstanceHistory* h, TimeNs t) {
  if (!h) return nullptr;
  const Timed<std::string>* last = lastAtOrBefore(h->endpoint, t);
  return last ? &last->value : nullptr;
}

std::optional<Timed<CanaryEvent>> ControlTimeline::canaryAt(std::string_view service, TimeNs t) const {
  const auto it = canaries_.find(service);
  if (it == canaries_.end()) return std::nullopt;
  const Timed<CanaryEvent>* last = lastAtOrBefore(it->second, t);
  if (!last) return std::nullopt;
  return *last;
}

NodeConfigStatus ControlTimeline::configAt(const InstanceHistory* h, TimeNs t) {
  NodeConfigStatus status;
  if (!h) return status;
  const auto& list = h->configs;
  const auto end = std::upper_bound(list.begin(), list.end(), t,
                                    [](TimeNs x, const Timed<ConfigEvent>& e) { return x < e.t; });
  for (auto e = end; e != list.begin();) {
    --e;
    if (e->value.state == "applied") {
      status.applied = e->value.version;
      break;
    }
    if (!status.rejected && e == std::prev(end)) {
      status.rejected = e->value.version;
      status.reason = e->value.reason;
    }
  }
  return status;
}

ConfigStatus ControlTimeline::configAt(TimeNs t) const {
  ConfigStatus status;
  if (const Timed<ConfigEvent>* last = lastAtOrBefore(published_, t)) {
    status.published = last->value.version;
    status.cause = last->value.cause;
  }
  for (const auto& [node, history] : histories_) {
    if (!lastAtOrBefore(history.configs, t)) continue;
    const NodeConfigStatus n = configAt(&history, t);
    ++status.sidecars;
    if (n.rejected) ++status.rejected;
    if (status.published && n.applied == status.published) ++status.current;
  }
  return status;
}

CertStatus ControlTimeline::certAt(const InstanceHistory* h, TimeNs t) {
  CertStatus status;
  if (!h) return status;
  const auto& list = h->certs;
  const auto end = std::upper_bound(list.begin(), list.end(), t,
                                    [](TimeNs x, const Timed<CertEvent>& e) { return x < e.t; });
  for (auto e = end; e != list.begin();) {
    --e;
    const std::string& state = e->value.state;
    if (state == "issued" || state == "rotated") {
      status.current = &e->value;
      break;
    }
    if (state == "denied") status.denied = true;
    if (state == "expired") status.expired = true;
  }
  if (status.current && status.current->expires != 0 && status.current->expires <= t) status.expired = true;
  return status;
}

std::vector<const Timed<CertEvent>*> ControlTimeline::certRejections(TimeNs from, TimeNs to) const {
  std::vector<const Timed<CertEvent>*> out;
  const auto cmp = [](TimeNs x, const Timed<CertEvent>& e) { return x < e.t; };
  auto it = std::upper_bound(cert_rejections_.begin(), cert_rejections_.end(), from, cmp);
  const auto end = std::upper_bound(cert_rejections_.begin(), cert_rejections_.end(), to, cmp);
  for (; it != end; ++it) out.push_back(&*it);
  return out;
}

}  // namespace meshproof::viz
