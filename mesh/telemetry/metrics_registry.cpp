// Implementation of the metrics registry: label series, per-service figures and
// time-windowed views, fed by RequestEvents.
#include "mesh/telemetry/metrics_registry.h"

#include <stdexcept>

namespace meshproof::telemetry {
namespace {

// Floor division that rounds towards minus infinity for negative times too.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

}  // namespace

MetricsRegistry::MetricsRegistry(DurationNs window_width_ns) : window_width_ns_(window_width_ns) {
  if (window_width_ns_ <= 0) throw std::invalid_argument("MetricsRegistry: window width must be positive");
}

std::int64_t MetricsRegistry::slotOf(TimeNs end_ns) const { return floorDiv(end_ns, window_width_ns_); }

std::int64_t MetricsRegistry::firstSlotAtOrAfter(TimeNs t_ns) const {
  const std::int64_t slot = floorDiv(t_ns, window_width_ns_);
  return slot * window_width_ns_ == t_ns ? slot : slot + 1;
}

void MetricsRegistry::observe(const RequestEvent& event) {
  ++observed_events_;
  const RequestLabelsView labels = labelsOf(event);

  auto series = series_.find(labels);
  if (series == series_.end()) series = series_.emplace(ownedLabels(labels), RequestSeries{}).first;
  ++series->second.requests_total;
  series->second.duration.record(event.duration);

  if (event.reporter != kSourceReporter) return;

  auto service = services_.find(std::string_view(event.destination_service));
  if (service == services_.end()) service = services_.emplace(event.destination_service, RequestStats{}).first;
  service->second.add(event.status, event.flags, event.duration);

  const std::tuple<std::string_view, std::string_view> subset_key(event.destination_service,
                                                                  event.destination_subset);
  auto window = windows_.find(subset_key);
  if (window == windows_.end())
    window = windows_.emplace(SubsetKey{event.destination_service, event.destination_subset}, SlotMap{}).first;
  window->second[slotOf(event.start + event.duration)].add(event.status, event.flags, event.duration);
}

const RequestStats* MetricsRegistry::service(std::string_view service) const {
  const auto it = services_.find(service);
  return it == services_.end() ? nullptr : &it->second;
}

void MetricsRegistry::addSlots(const SlotMap& slots, TimeNs from_ns, TimeNs to_ns, RequestStats& into) const {
  const std::int64_t first = firstSlotAtOrAfter(from_ns);
  const std::int64_t end = firstSlotAtOrAfter(to_ns);
  for (auto it = slots.lower_bound(first); it != slots.end() && it->first < end; ++it) into.merge(it->second);
}

RequestStats MetricsRegistry::serviceWindow(std::string_view service, TimeNs from_ns, TimeNs to_ns) const {
  RequestStats out;
  const std::tuple<std::string_view, std::string_view> first_subset(service, std::string_view{});
  for (auto it = windows_.lower_bound(first_subset); it != windows_.end() && it->first.service == service; ++it)
    addSlots(it->second, from_ns, to_ns, out);
  return out;
}

RequestStats MetricsRegistry::subsetWindow(std::string_view service, std::string_view subset, TimeNs from_ns,
                                           TimeNs to_ns) const {
  RequestStats out;
  const auto it = windows_.find(std::tuple<std::string_view, std::string_view>(service, subset));
  if (it != windows_.end()) addSlots(it->second, from_ns, to_ns, out);
  return out;
}

}  // namespace meshproof::telemetry
