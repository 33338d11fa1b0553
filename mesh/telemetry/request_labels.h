// The label set of Istio's standard request metrics (istio_requests_total,
// istio_request_duration_milliseconds) that meshproof fills in: reporter,
// source_workload, destination_service, destination_version, response_code and
// response_flags. Missing values read "unknown", as Istio reports them. A view type
// and a transparent ordering let the registry look a series up without allocating.
#pragma once
#include <compare>
#include <string>
#include <string_view>
#include <tuple>

#include "mesh/core/events.h"
#include "mesh/core/http.h"

namespace meshproof::telemetry {

inline constexpr std::string_view kUnknownLabel = "unknown";

// Borrowed labels of one request; valid while the event it was made from lives.
struct RequestLabelsView {
  std::string_view reporter;
  std::string_view source_workload;
  std::string_view destination_service;
  std::string_view destination_version;
  int response_code = 0;
  ResponseFlags response_flags = kNoFlags;

  auto key() const {
    return std::tie(reporter, source_workload, destination_service, destination_version, response_code,
                    response_flags);
  }
};

// Owned labels: the key of one metric series.
struct RequestLabels {
  std::string reporter;             // "source" or "destination"
  std::string source_workload;      // RequestEvent::source
  std::string destination_service;
  std::string destination_version;  // the subset; "unknown" when routed without subsets
  int response_code = 0;
  ResponseFlags response_flags = kNoFlags;

  RequestLabelsView view() const {
    return {reporter, source_workload, destination_service, destination_version, response_code, response_flags};
  }
  // Envoy's text for the flags, as the response_flags label carries it ("-" for none).
  std::string responseFlagsLabel() const { return responseFlagsToString(response_flags); }
};

inline std::string_view orUnknown(std::string_view value) { return value.empty() ? kUnknownLabel : value; }

// The labels of a request event (no allocation).
inline RequestLabelsView labelsOf(const RequestEvent& event) {
  return {orUnknown(event.reporter),
          orUnknown(event.source),
          orUnknown(event.destination_service),
          orUnknown(event.destination_subset),
          event.status,
          event.flags};
}

inline RequestLabels ownedLabels(const RequestLabelsView& v) {
  return {std::string(v.reporter),
          std::string(v.source_workload),
          std::string(v.destination_service),
          std::string(v.destination_version),
          v.response_code,
          v.response_flags};
}

// Orders labels field by field, in declaration order; accepts owned or borrowed.
struct RequestLabelsLess {
  using is_transparent = void;
  static RequestLabelsView asView(const RequestLabels& l) { return l.view(); }
  static const RequestLabelsView& asView(const RequestLabelsView& l) { return l; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return asView(a).key() < asView(b).key();
  }
};

}  // namespace meshproof::telemetry
