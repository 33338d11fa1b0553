// Hand-built events for the chaos tests: short constructors with the fields a test
// cares about and fixed values for the rest.
#pragma once
#include <string>
#include <vector>

#include "mesh/core/events.h"

namespace meshproof::chaos::testing {

// A hop reported by the calling sidecar that ends at `end` after `duration`.
inline RequestEvent sourceHop(std::string destination, int status, TimeNs end, DurationNs duration,
                              ResponseFlags flags = kNoFlags) {
  RequestEvent e;
  e.reporter = "source";
  e.source = "frontend-v1-0";
  e.source_principal = "cluster.local/ns/shop/sa/frontend";
  e.destination_service = std::move(destination);
  e.destination_subset = "v1";
  e.destination_instance = e.destination_service + "-v1-0";
  e.route = "default";
  e.method = "GET";
  e.path = "/";
  e.status = status;
  e.flags = flags;
  e.start = end - duration;
  e.duration = duration;
  e.attempts = flags == kNoFlags ? 1 : 0;
  e.mtls = true;
  e.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  e.span_id = "00f067aa0ba902b7";
  return e;
}

// A hop reported by the called sidecar, from `principal`.
inline RequestEvent destinationHop(std::string destination, std::string principal, int status, TimeNs end,
                                   ResponseFlags flags = kNoFlags) {
  RequestEvent e;
  e.reporter = "destination";
  e.source = principal.empty() ? "unauthenticated" : principal;
  e.source_principal = std::move(principal);
  e.destination_service = std::move(destination);
  e.destination_subset = "v1";
  e.method = "POST";
  e.path = "/pay";
  e.status = status;
  e.flags = flags;
  e.start = end - 1'000'000;
  e.duration = 1'000'000;
  e.mtls = !e.source_principal.empty();
  return e;
}

inline ClientRequestEvent clientRequest(int status, TimeNs end, DurationNs duration, bool lost = false) {
  ClientRequestEvent e;
  e.workload = "shoppers";
  e.target_service = "frontend";
  e.method = "GET";
  e.path = "/";
  e.status = status;
  e.start = end - duration;
  e.duration = duration;
  e.lost = lost;
  e.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  return e;
}

inline BreakerEvent breaker(std::string service, bool open, std::string threshold = "http1MaxPendingRequests") {
  return BreakerEvent{std::move(service), std::move(threshold), open, {}};
}

inline EjectionEvent ejection(std::string service, std::string instance, bool ejected) {
  EjectionEvent e;
  e.service = std::move(service);
  e.instance = std::move(instance);
  e.ejected = ejected;
  e.reason = ejected ? "consecutive5xx" : "expired";
  e.times_ejected = 1;
  e.duration = 30'000'000'000;
  return e;
}

}  // namespace meshproof::chaos::testing
