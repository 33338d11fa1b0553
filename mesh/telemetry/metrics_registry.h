// The metrics registry: turns RequestEvents into Istio-style standard metrics and
// into the per-service figures the report and the expectations need.
//
// - series(): one requests_total counter and one request-duration histogram per
//   label set (RequestLabels), for both reporters, ordered by labels.
// - services(): per destination service, as seen by its callers (reporter=source
//   events only, SCENARIO.md): requests, success rate, latency quantiles, count per
//   response flag. Ordered by service name.
// - serviceWindow() / subsetWindow(): the same figures for the reporter=source
//   requests whose end time (start + duration) falls in [from, to), for SLO and canary
//   checks. Requests are kept in slots of window_width_ns (default one second) by end
//   time; a slot [k·w, (k+1)·w) is part of a query when its start k·w lies in
//   [from, to), so bounds that are multiples of the width are exact and other bounds
//   snap up to the next slot start.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "mesh/core/events.h"
#include "mesh/core/time.h"
#include "mesh/telemetry/latency_histogram.h"
#include "mesh/telemetry/request_labels.h"
#include "mesh/telemetry/request_stats.h"

namespace meshproof::telemetry {

inline constexpr std::string_view kSourceReporter = "source";

// One Istio metric series: istio_requests_total and istio_request_duration_milliseconds.
struct RequestSeries {
  std::uint64_t requests_total = 0;
  LatencyHistogram duration;
};

class MetricsRegistry {
 public:
  using SeriesMap = std::map<RequestLabels, RequestSeries, RequestLabelsLess>;
  using ServiceMap = std::map<std::string, RequestStats, std::less<>>;

  // window_width_ns > 0; smaller widths give finer windows at more memory per service.
  explicit MetricsRegistry(DurationNs window_width_ns = kSecond);

  void observe(const RequestEvent& event);

  const SeriesMap& series() const { return series_; }
  const ServiceMap& services() const { return services_; }
  // nullptr when no caller has reported a request to `service`.
  const RequestStats* service(std::string_view service) const;

  // Every subset of `service`, requests ending in [from_ns, to_ns) (see file comment).
  RequestStats serviceWindow(std::string_view service, TimeNs from_ns, TimeNs to_ns) const;
  // One subset ("" for requests routed without subsets).
  RequestStats subsetWindow(std::string_view service, std::string_view subset, TimeNs from_ns,
                            TimeNs to_ns) const;

  DurationNs windowWidthNs() const { return window_width_ns_; }
  std::uint64_t observedEvents() const { return observed_events_; }

 private:
  struct SubsetKey {
    std::string service;
    std::string subset;
  };
  struct SubsetKeyLess {
    using is_transparent = void;
    static auto key(const SubsetKey& k) { return std::tuple<std::string_view, std::string_view>(k.service, k.subset); }
    static auto key(const std::tuple<std::string_view, std::string_view>& k) { return k; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return key(a) < key(b);
    }
  };
  using SlotMap = std::map<std::int64_t, RequestStats>;  // slot index -> requests ending in it

  std::int64_t slotOf(TimeNs end_ns) const;
  std::int64_t firstSlotAtOrAfter(TimeNs t_ns) const;
  void addSlots(const SlotMap& slots, TimeNs from_ns, TimeNs to_ns, RequestStats& into) const;

  DurationNs window_width_ns_;
  std::uint64_t observed_events_ = 0;
  SeriesMap series_;
  ServiceMap services_;
  std::map<SubsetKey, SlotMap, SubsetKeyLess> windows_;
};

}  // namespace meshproof::telemetry
