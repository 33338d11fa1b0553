// The EventSink seam: one structured event stream out of the core. It feeds the
// trace, the expectations, the metrics and the visualizer. Events are typed values;
// serialisation belongs to the sink.
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "mesh/core/http.h"
#include "mesh/core/time.h"

namespace meshproof {

// One finished request as seen by the reporting sidecar (an access-log line).
struct RequestEvent {
  std::string reporter;          // "source" (outbound sidecar) or "destination" (inbound)
  std::string source;            // calling workload (instance or service), or "unauthenticated"
  std::string source_principal;  // SPIFFE principal without scheme, empty when plaintext
  std::string destination_service;
  std::string destination_subset;    // empty when routed without subsets
  std::string destination_instance;  // last attempted upstream, empty when answered locally
  std::string route;                 // matched route name, empty when none
  std::string method;
  std::string path;
  int status = 0;
  ResponseFlags flags = kNoFlags;
  TimeNs start = 0;
  DurationNs duration = 0;
  int attempts = 0;  // upstream attempts made (0 when answered locally)
  bool mtls = false;
  bool shadow = false;  // a mirrored copy (its answer was discarded)
  std::string trace_id;
  std::string span_id;
};

// A circuit breaker (connection-pool threshold) overflowed or recovered.
struct BreakerEvent {
  std::string service;
  std::string threshold;  // maxConnections | http1MaxPendingRequests | http2MaxRequests | maxRetries | retryBudget
  bool open = true;       // true: overflow seen; false: back under every threshold
  std::string observer;   // the sidecar (instance) whose circuit breaker this is
};

// Outlier detection ejected a host or returned it.
struct EjectionEvent {
  std::string service;
  std::string instance;
  bool ejected = true;
  std::string reason;       // consecutive5xx | consecutiveGateway | (for returns) "expired"
  int times_ejected = 0;
  DurationNs duration = 0;  // planned ejection length
  std::string observer;     // the sidecar (instance) whose outlier detector decided it
};

// An AUDIT policy matched (Istio logs it; the request is unaffected).
struct AuditEvent {
  std::string policy;
  std::string service;
  std::string principal;
  std::string method;
  std::string path;
};

// A workload request seen end to end by the client that sent it (the load generator),
// through the ingress sidecar or directly. `lost` marks a request that never got an
// answer by the end of the run (no response and no defined local reply).
struct ClientRequestEvent {
  std::string workload;
  std::string target_service;
  std::string method;
  std::string path;
  int status = 0;
  ResponseFlags flags = kNoFlags;
  TimeNs start = 0;
  DurationNs duration = 0;
  bool lost = false;
  std::string trace_id;
};

// An injected fault started or stopped.
struct FaultEvent {
  std::string type;                  // latency | abort | crash | partition | loss | bandwidth | cpu | ...
  std::string description;           // the target as written, e.g. "payments v1" or "zone-a <-> zone-b"
  std::vector<std::string> targets;  // resolved instance names (empty for mesh-wide faults)
  bool started = true;               // false: the fault stopped (healed, restarted)
};

using Event = std::variant<RequestEvent, BreakerEvent, EjectionEvent, AuditEvent, ClientRequestEvent, FaultEvent>;

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void emit(TimeNs t, const Event& event) = 0;
};

// Drops everything.
class NullSink final : public EventSink {
 public:
  void emit(TimeNs, const Event&) override {}
};

// Forwards every event to several sinks, in the order they were added.
class FanOutSink final : public EventSink {
 public:
  void add(EventSink& sink) { sinks_.push_back(&sink); }
  void emit(TimeNs t, const Event& event) override {
    for (EventSink* s : sinks_) s->emit(t, event);
  }

 private:
  std::vector<EventSink*> sinks_;
};

// Keeps everything in order; for tests and in-process consumers.
class RecordingSink final : public EventSink {
 public:
  struct Entry {
    TimeNs t;
    Event event;
  };
  void emit(TimeNs t, const Event& event) override { entries.push_back({t, event}); }
  template <typename T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const auto& e : entries)
      if (const T* p = std::get_if<T>(&e.event)) out.push_back(*p);
    return out;
  }
  std::vector<Entry> entries;
};

}  // namespace meshproof
