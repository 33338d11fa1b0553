// The EventSink seam: one structured event stream out of the core. It feeds the
// trace, the expectations, the metrics and the visualizer. Events are typed values;
// serialisation belongs to the sink.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mesh/core/hex_id.h"
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
  TraceIdText trace_id;
  SpanIdText span_id;
  // The reporting sidecar's own id for the request (its AppRequestId at the source,
  // its InboundId at the destination): what lets a live proxy find the messages of the
  // request an event reports, for its access log. Not in the trace.
  std::uint64_t exchange = 0;
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
  TraceIdText trace_id;
};

// An injected fault started or stopped.
struct FaultEvent {
  std::string type;                  // latency | abort | crash | partition | loss | bandwidth | cpu | ...
  std::string description;           // the target as written, e.g. "payments v1" or "zone-a <-> zone-b"
  std::vector<std::string> targets;  // resolved instance names (empty for mesh-wide faults)
  bool started = true;               // false: the fault stopped (healed, restarted)
};

// The run itself: the first line of a trace. `wall_epoch` is the wall-clock time (ns
// since the Unix epoch) at t = 0, the origin of certificate validity in simulation.
struct RunEvent {
  std::string scenario;
  std::uint64_t seed = 0;
  std::string mode;  // sim | live
  DurationNs duration = 0;
  TimeNs wall_epoch = 0;
  bool operator==(const RunEvent&) const = default;
};

// The control plane's registry: an instance registered, or its health changed.
// Healthy instances are the endpoints the control plane pushes to sidecars.
struct EndpointEvent {
  std::string instance;
  std::string service;
  std::string version;
  std::string zone;
  std::string state;   // registered | healthy | unhealthy
  std::string reason;  // why its health changed ("no health report for 15 s", "reported ready")
  bool operator==(const EndpointEvent&) const = default;
};

// A configuration version: published by the control plane (node "control-plane"),
// then applied (ACK) or rejected (NACK, with the reason) by each sidecar, which keeps
// its last good version when it rejects one.
struct ConfigEvent {
  std::string node;  // "control-plane" or the sidecar's instance
  std::uint64_t version = 0;
  std::string state;   // published | applied | rejected
  std::string cause;   // what the version changes: "initial", "endpoints", "canary checkout weight 20", ...
  std::string reason;  // rejected: why the sidecar could not apply it
  std::vector<std::string> changes;  // published: the scenario changes this version is the first to carry
  bool operator==(const ConfigEvent&) const = default;
};

// Workload certificates: issued or rotated by the mesh CA, denied (the CA would not
// sign), or rejected by a sidecar verifying a peer (expired, not yet valid, unknown CA,
// wrong identity), and a sidecar's own certificate expiring unrenewed.
struct CertEvent {
  std::string instance;   // whose certificate; for rejected: the verifying sidecar
  std::string state;      // issued | rotated | denied | rejected | expired
  std::string spiffe_id;  // the certificate's URI SAN (rejected: the peer's, when it had one)
  std::string serial;     // hex; drawn from the seeded Rng, never from the key material
  TimeNs expires = 0;     // notAfter on the run's timeline (t when an unskewed clock passes it); 0: none
  std::string peer;       // rejected: the peer whose certificate was refused
  std::string reason;     // rejected, denied: why
  bool operator==(const CertEvent&) const = default;
};

// A step of a canary analysis (Flagger-like, run by the control plane).
struct CanaryEvent {
  std::string service;
  std::string stable;
  std::string canary;
  int iteration = 0;  // checks made so far
  int weight = 0;     // the canary's traffic weight after this step, 0-100
  std::string verdict;  // start | advance | hold | failed-check | promoted | rolled-back
  std::optional<double> success_rate;     // percent over the last interval; nullopt without traffic
  std::optional<DurationNs> latency_p99;  // over the last interval; nullopt without traffic
  int failed_checks = 0;
  std::string reason;  // what the check found ("success rate 91.2% < 99%", "no traffic to judge")
  bool operator==(const CanaryEvent&) const = default;
};

// The verdict on one expectation, written at the end of a trace so a replay shows it.
struct VerdictEvent {
  std::string name;
  std::string type;
  bool passed = false;
  std::string observed;  // "successRate=99.5 latencyP99_ms=410.2"
  std::string reason;
  std::optional<TimeNs> decided_at;
  bool operator==(const VerdictEvent&) const = default;
};

using Event = std::variant<RequestEvent, BreakerEvent, EjectionEvent, AuditEvent, ClientRequestEvent, FaultEvent,
                           RunEvent, EndpointEvent, ConfigEvent, CertEvent, CanaryEvent, VerdictEvent>;

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
