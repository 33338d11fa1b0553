// The discrete events of a run — circuit breakers, ejections, faults, endpoint
// health, configuration versions, certificates, canary steps — kept in time-sorted
// lists so that "what holds at time t" is a binary search, plus the markers the
// timeline draws. Every state is the last event at or before t.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mesh/core/events.h"
#include "mesh/core/time.h"

namespace meshproof::viz {

template <typename T>
struct Timed {
  TimeNs t = 0;
  T value;
};

enum class MarkerKind { kFaultStart, kFaultStop, kEjection, kBreakerTrip, kConfig, kCanary, kCert, kExpectationFailed };

struct Marker {
  TimeNs t = 0;
  MarkerKind kind = MarkerKind::kFaultStart;
  std::string label;  // one line for a tooltip, e.g. "fault latency start: payments v1"
};

struct FaultInterval {
  std::string type;
  std::string description;
  std::vector<std::string> targets;
  TimeNs start = 0;
  TimeNs stop = kNever;  // kNever: until the end of the run
};

struct BreakerStatus {
  bool open = false;                    // some caller's breaker is over a threshold at t
  int trips = 0;                        // overflows that began in (t - window, t]
  std::vector<std::string> thresholds;  // the thresholds open at t, sorted
};

struct CertStatus {
  const CertEvent* current = nullptr;  // the last issued or rotated certificate
  bool expired = false;              // its notAfter passed, or an `expired` line said so
  bool denied = false;               // the CA refused the last request
};

struct ConfigStatus {
  std::optional<std::uint64_t> published;  // latest version the control plane published
  std::string cause;                        // what it changed
  int sidecars = 0;                         // nodes that acknowledged or refused any version
  int current = 0;                          // ... whose applied version is the latest published
  int rejected = 0;                         // ... whose last answer was a rejection
};

struct NodeConfigStatus {
  std::optional<std::uint64_t> applied;
  std::optional<std::uint64_t> rejected;  // set when the last answer was a rejection
  std::string reason;
};

// Everything that happened to one instance (or sidecar, for config answers).
struct InstanceHistory {
  std::map<std::string, std::vector<Timed<bool>>> ejections;  // by observing caller: ejected?
  std::vector<Timed<std::string>> endpoint;                    // registered | healthy | unhealthy
  std::vector<Timed<CertEvent>> certs;                         // issued, rotated, denied, expired
  std::vector<Timed<ConfigEvent>> configs;                     // applied, rejected
};

class ControlTimeline {
 public:
  void addBreaker(TimeNs t, const BreakerEvent& e);
  void addEjection(TimeNs t, const EjectionEvent& e);
  void addFault(TimeNs t, const FaultEvent& e);
  void addEndpoint(TimeNs t, const EndpointEvent& e);
  void addConfig(TimeNs t, const ConfigEvent& e);
  void addCert(TimeNs t, const CertEvent& e);
  void addCanary(TimeNs t, const CanaryEvent& e);
  void addFailedExpectation(TimeNs t, const VerdictEvent& e);

  BreakerStatus breakerAt(std::string_view service, TimeNs t, DurationNs window) const;
  std::vector<const FaultInterval*> faultsAt(TimeNs t) const;
  std::optional<Timed<CanaryEvent>> canaryAt(std::string_view service, TimeNs t) const;
  ConfigStatus configAt(TimeNs t) const;

  // One instance's history (nullptr when nothing happened to it); the pointer stays
  // valid as events arrive. historiesRevision() grows when a new one appears.
  const InstanceHistory* history(std::string_view instance) const;
  std::uint64_t historiesRevision() const { return histories_.size(); }
  // Per-instance states at t, from its history (nullptr: none).
  static bool ejectedAt(const InstanceHistory* h, TimeNs t);  // by at least one caller
  static const std::string* endpointStateAt(const InstanceHistory* h, TimeNs t);
  static NodeConfigStatus configAt(const InstanceHistory* h, TimeNs t);
  static CertStatus certAt(const InstanceHistory* h, TimeNs t);
  bool ejectedAt(std::string_view instance, TimeNs t) const { return ejectedAt(history(instance), t); }
  CertStatus certAt(std::string_view instance, TimeNs t) const { return certAt(history(instance), t); }
  // Certificates refused by a verifying sidecar in (from, to].
  std::vector<const Timed<CertEvent>*> certRejections(TimeNs from, TimeNs to) const;

  const std::vector<Marker>& markers() const { return markers_; }
  const std::vector<FaultInterval>& faults() const { return faults_; }
  // Every instance named by an event (so the topology can list it).
  const std::set<std::string>& instanceNames() const { return instance_names_; }

 private:
  struct BreakerHistory {
    std::map<std::pair<std::string, std::string>, std::vector<Timed<bool>>> by_observer_threshold;
    std::vector<TimeNs> trips;
  };
  void mark(TimeNs t, MarkerKind kind, std::string label);
  void nameInstance(const std::string& instance);

  std::map<std::string, BreakerHistory, std::less<>> breakers_;
  std::map<std::string, InstanceHistory, std::less<>> histories_;
  std::vector<FaultInterval> faults_;
  std::map<std::pair<std::string, std::string>, std::size_t> open_faults_;  // (type, target) -> faults_
  std::vector<Timed<ConfigEvent>> published_;
  std::vector<Timed<CertEvent>> cert_rejections_;
  std::map<std::string, std::vector<Timed<CanaryEvent>>, std::less<>> canaries_;
  std::vector<Marker> markers_;
  std::set<std::string> instance_names_;
};

}  // namespace meshproof::viz
