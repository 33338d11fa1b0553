// Hand-built trace lines for the visualizer's model tests: events with the fields a
// test cares about, written through the project's trace format so the tests read
// exactly what the simulator writes.
#pragma once
#include <sstream>
#include <string>
#include <vector>

#include "chaos/trace/trace_format.h"
#include "chaos/trace/trace_reader.h"
#include "mesh/core/events.h"
#include "viz/model/run_model.h"

namespace meshproof::viz::testing {

constexpr TimeNs ms(double v) { return static_cast<TimeNs>(v * 1e6); }
constexpr TimeNs sec(double v) { return static_cast<TimeNs>(v * 1e9); }

struct Hop {
  std::string source = "frontend-v1-0";
  std::string principal = "cluster.local/ns/shop/sa/frontend";
  std::string destination = "checkout";
  std::string subset = "v1";
  std::string instance = "checkout-v1-0";
  int status = 200;
  ResponseFlags flags = kNoFlags;
  TimeNs end = 0;
  DurationNs duration = ms(10);
  int attempts = 1;
  bool mtls = true;
  std::string span = "";
};

inline RequestEvent sourceLine(const Hop& h) {
  RequestEvent e;
  e.reporter = "source";
  e.source = h.source;
  e.source_principal = h.principal;
  e.destination_service = h.destination;
  e.destination_subset = h.subset;
  e.destination_instance = h.instance;
  e.route = h.destination + ".0";
  e.method = "GET";
  e.path = "/";
  e.status = h.status;
  e.flags = h.flags;
  e.start = h.end - h.duration;
  e.duration = h.duration;
  e.attempts = h.attempts;
  e.mtls = h.mtls;
  e.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  e.span_id = h.span;
  return e;
}

// The callee's line of the same hop: `source` is the caller's principal, or
// "unauthenticated" for a plaintext caller.
inline RequestEvent destinationLine(const Hop& h) {
  RequestEvent e = sourceLine(h);
  e.reporter = "destination";
  e.source = h.principal.empty() ? "unauthenticated" : h.principal;
  e.route = "";
  e.attempts = 0;
  e.mtls = !h.principal.empty();
  return e;
}

// Collects events and hands them out as trace text or straight into a model.
class TraceBuilder {
 public:
  TraceBuilder& add(TimeNs t, Event event) {
    entries_.push_back({t, std::move(event)});
    return *this;
  }
  TraceBuilder& source(const Hop& h) { return add(h.end, sourceLine(h)); }
  TraceBuilder& destination(const Hop& h) { return add(h.end, destinationLine(h)); }

  std::string text() const {
    std::string out;
    for (const auto& e : entries_) chaos::appendTraceLine(out, e.t, e.event);
    return out;
  }
  // Through the text, as a file would be read.
  RunModel model() const {
    RunModel m;
    std::istringstream in(text());
    for (const auto& entry : chaos::readTrace(in).entries) m.append(entry);
    return m;
  }
  const std::vector<chaos::TraceEntry>& entries() const { return entries_; }

 private:
  std::vector<chaos::TraceEntry> entries_;
};

inline BreakerEvent breakerLine(std::string service, bool open, std::string observer = "checkout-v1-0",
                                std::string threshold = "retryBudget") {
  return BreakerEvent{std::move(service), std::move(threshold), open, std::move(observer)};
}

inline EjectionEvent ejectionLine(std::string service, std::string instance, bool ejected,
                                  std::string observer = "checkout-v1-0") {
  EjectionEvent e;
  e.service = std::move(service);
  e.instance = std::move(instance);
  e.ejected = ejected;
  e.reason = ejected ? "consecutive5xx" : "expired";
  e.times_ejected = 1;
  e.duration = sec(30);
  e.observer = std::move(observer);
  return e;
}

inline FaultEvent faultLine(std::string type, std::string description, std::vector<std::string> targets,
                            bool started) {
  return FaultEvent{std::move(type), std::move(description), std::move(targets), started};
}

}  // namespace meshproof::viz::testing
