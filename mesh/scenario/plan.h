// The Plan: a whole scenario file (SCENARIO.md) as plain, validated value types —
// the mesh configuration, the network, the services expanded into named instances,
// canaries, workload, faults with their targets resolved to instances, and
// expectations. Both drivers (sim and live) run a Plan; nothing here reads a clock.
// Durations are integer nanoseconds; times ("at", "after") are offsets from the
// start of the run; percentages are 0-100; lists keep file order.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "mesh/config/model.h"
#include "mesh/core/time.h"

namespace meshproof::scenario {

// ---- network ----------------------------------------------------------------------

struct Link {
  DurationNs latency = 100 * kMicrosecond;
  std::int64_t bandwidth_bps = 10'000'000'000;
  bool operator==(const Link&) const = default;
};

struct Zone {
  std::string name;
  Link link;  // between two hosts of this zone
  bool operator==(const Zone&) const = default;
};

// Default (no `network:`): one zone "default", 100us, 10Gbps. A zone without
// latency or bandwidth takes those same values; interZone defaults to 1ms, 1Gbps.
struct Network {
  std::vector<Zone> zones{Zone{"default", Link{}}};
  Link inter_zone{kMillisecond, 1'000'000'000};

  const Zone* zone(const std::string& name) const;  // nullptr when unknown
  bool operator==(const Network&) const = default;
};

// ---- services -----------------------------------------------------------------------

// The application's time to answer one request, without queueing.
struct ServiceTime {
  enum class Kind { kLogNormal, kFixed, kExponential };
  Kind kind = Kind::kFixed;
  DurationNs p50 = 0;    // kLogNormal: the median, as written
  DurationNs p99 = 0;    // kLogNormal: the 99th percentile, as written (>= p50)
  DurationNs fixed = 0;  // kFixed
  DurationNs mean = 0;   // kExponential
  // kLogNormal fit of ln(service time in nanoseconds): mu = ln(p50_ns),
  // sigma = ln(p99 / p50) / z(0.99); a draw is exp(mu + sigma * N(0, 1)) ns.
  double log_mu = 0;
  double log_sigma = 0;
  bool operator==(const ServiceTime&) const = default;
};

// z(0.99): the standard normal quantile at 0.99.
inline constexpr double kNormalQuantile99 = 2.3263478740408408;

struct Call {
  std::string service;
  std::string path = "/";
  std::string method = "GET";
  bool optional = false;  // a failed optional call does not fail the request
  bool operator==(const Call&) const = default;
};

struct Behavior {
  ServiceTime service_time;
  double error_rate_percent = 0;
  std::optional<int> concurrency;  // worker slots; absent: unlimited
  std::vector<Call> calls;          // in order, each through the sidecar
  bool operator==(const Behavior&) const = default;
};

struct Version {
  std::string name;
  int replicas = 1;                // at least 1
  std::vector<std::string> zones;  // replicas spread round-robin; default: first zone
  Behavior behavior;
  bool operator==(const Version&) const = default;
};

struct Service {
  std::string name;
  std::string namespace_ = "default";
  std::string service_account;  // default: the service name
  std::vector<Version> versions;

  const Version* version(const std::string& name) const;  // nullptr when unknown
  bool operator==(const Service&) const = default;
};

// One replica of one version: `<service>-<version>-<n>`, n 0-based per version.
struct Instance {
  std::string name;
  std::string service;
  std::string version;
  std::string namespace_;
  std::string service_account;
  std::string zone;
  int index_in_service = 0;  // over the service's instances, versions in file order
  int index_in_version = 0;  // the n of the name
  bool operator==(const Instance&) const = default;
};

// ---- canaries -------------------------------------------------------------------------

struct Canary {
  std::string service;
  std::string stable;  // a version of service
  std::string canary;  // another version of service
  int step_weight_percent = 0;
  int max_weight_percent = 0;
  DurationNs interval = 0;
  int threshold = 0;  // failed checks before rollback
  std::optional<double> min_success_rate_percent;
  std::optional<DurationNs> max_latency_p99;
  bool operator==(const Canary&) const = default;
};

// ---- changes ---------------------------------------------------------------------------

// Mesh resources applied during the run (`changes:`), as an operator's `kubectl apply`
// at `at`; they reach the sidecars through the control plane.
struct ConfigChange {
  std::string name;  // unique
  TimeNs at = 0;
  config::MeshChange change;
  // false: pushed past the control plane's validation (as with the validating webhook
  // off), so that a change the sidecars cannot apply reaches them and is NACKed.
  bool validate = true;
  bool operator==(const ConfigChange&) const = default;
};

// ---- workload -------------------------------------------------------------------------

enum class Arrival { kPoisson, kConstant };

struct OpenLoop {
  double rate_per_s = 0;
  Arrival arrival = Arrival::kPoisson;
  bool operator==(const OpenLoop&) const = default;
};

struct ClosedLoop {
  int clients = 1;
  DurationNs think_time = 0;
  bool operator==(const ClosedLoop&) const = default;
};

// Who the workload's clients are. `principal` is always filled: for kIngress it is
// <trustDomain>/ns/meshproof-system/sa/ingress-gateway; for kUnauthenticated empty.
struct ClientIdentity {
  enum class Kind { kIngress, kUnauthenticated, kPrincipal };
  Kind kind = Kind::kIngress;
  std::string principal;
  bool operator==(const ClientIdentity&) const = default;
};

struct Workload {
  std::string name;
  std::string target;  // the service where requests enter the mesh
  std::string path = "/";
  std::string method = "GET";
  std::variant<OpenLoop, ClosedLoop> load;
  ClientIdentity identity;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case, file order
  TimeNs start = 0;
  TimeNs stop = 0;  // default: the scenario's duration
  bool operator==(const Workload&) const = default;
};

// ---- faults ---------------------------------------------------------------------------

// A target as written: {zone} or {service, version?, instance?}.
struct TargetSpec {
  std::string zone;  // set for a zone target; then service is empty
  std::string service;
  std::optional<std::string> version;
  std::optional<int> instance;  // 0-based over the service's (or the version's) instances
  bool operator==(const TargetSpec&) const = default;
};

// A target and the instances it covers, in Plan::instances order (never empty).
struct Target {
  TargetSpec spec;
  std::vector<std::string> instances;
  bool operator==(const Target&) const = default;
};

struct LatencyFault {
  Target target;
  DurationNs delay = 0;
  DurationNs jitter = 0;
  bool operator==(const LatencyFault&) const = default;
};
struct AbortFault {
  Target target;
  int http_status = 503;
  double percentage = 0;
  bool operator==(const AbortFault&) const = default;
};
struct CrashFault {
  Target target;
  std::optional<DurationNs> restart_after;  // absent: stays down
  bool operator==(const CrashFault&) const = default;
};
struct PartitionFault {
  Target side_a;
  Target side_b;
  bool operator==(const PartitionFault&) const = default;
};
struct LossFault {
  Target target;
  double percentage = 0;
  bool operator==(const LossFault&) const = default;
};
struct BandwidthFault {
  Target target;
  std::int64_t rate_bps = 0;
  bool operator==(const BandwidthFault&) const = default;
};
struct CpuFault {
  Target target;
  double factor = 1;  // > 0; 0.25: the CPU runs at a quarter of its speed
  bool operator==(const CpuFault&) const = default;
};
struct ClockSkewFault {
  Target target;
  DurationNs offset = 0;  // non-zero; negative: the clock runs behind
  bool operator==(const ClockSkewFault&) const = default;
};
struct ControlPlaneDownFault {
  bool operator==(const ControlPlaneDownFault&) const = default;
};
struct RevokeCaFault {
  bool operator==(const RevokeCaFault&) const = default;
};

using FaultSpec = std::variant<LatencyFault, AbortFault, CrashFault, PartitionFault, LossFault, BandwidthFault,
                               CpuFault, ClockSkewFault, ControlPlaneDownFault, RevokeCaFault>;

struct Fault {
  TimeNs at = 0;
  std::optional<DurationNs> duration;  // absent: until the end of the run
  FaultSpec spec;
  bool operator==(const Fault&) const = default;
};

// The `type:` spelling of a fault ("latency", "clock-skew", ...).
std::string faultTypeName(const FaultSpec& spec);

// ---- expectations ---------------------------------------------------------------------

struct SloExpectation {
  std::string service;
  std::optional<double> min_success_rate_percent;
  std::optional<DurationNs> max_latency_p99;
  TimeNs window_from = 0;
  TimeNs window_to = 0;  // default: the scenario's duration
  bool operator==(const SloExpectation&) const = default;
};
struct CircuitBreakerExpectation {
  std::string service;
  bool opens = true;
  TimeNs after = 0;
  std::optional<DurationNs> within;  // absent: any time until the end
  bool operator==(const CircuitBreakerExpectation&) const = default;
};
struct EjectionExpectation {
  std::string service;
  int instance_index = 0;  // over the service's instances, as in fault targets
  std::string instance;    // its name
  TimeNs after = 0;
  std::optional<DurationNs> within;
  bool operator==(const EjectionExpectation&) const = default;
};
struct RecoversExpectation {
  std::string service;
  TimeNs after = 0;
  DurationNs within = 0;
  bool operator==(const RecoversExpectation&) const = default;
};
struct CanaryExpectation {
  enum class Outcome { kPromoted, kRolledBack };
  std::string service;
  Outcome outcome = Outcome::kPromoted;
  std::optional<DurationNs> within;
  bool operator==(const CanaryExpectation&) const = default;
};
// Every sidecar that is up ACKed (applied) or NACKed (rejected) the configuration
// version carrying a change within `within` of its `at`.
struct ConfigExpectation {
  enum class Outcome { kApplied, kRejected };
  std::string change;
  TimeNs change_at = 0;  // the change's `at`
  Outcome outcome = Outcome::kApplied;
  std::optional<DurationNs> within;  // absent: until the end
  bool operator==(const ConfigExpectation&) const = default;
};
// The service's workload certificates were rotated (each instance got a new one, none
// expired) or expired unrenewed (one did at least) in [after, after + within].
struct CertificateExpectation {
  enum class Outcome { kRotated, kExpired };
  std::string service;
  Outcome outcome = Outcome::kRotated;
  TimeNs after = 0;
  std::optional<DurationNs> within;  // absent: until the end
  bool operator==(const CertificateExpectation&) const = default;
};
struct AuthzExpectation {
  std::string from_service;    // one of from_service and from_principal is set
  std::string from_principal;
  std::string to_service;
  bool allowed = false;
  bool operator==(const AuthzExpectation&) const = default;
};
struct MtlsExpectation {
  double min_coverage_percent = 100;
  bool operator==(const MtlsExpectation&) const = default;
};
struct NoLostRequestsExpectation {
  bool operator==(const NoLostRequestsExpectation&) const = default;
};

using ExpectationSpec =
    std::variant<SloExpectation, CircuitBreakerExpectation, EjectionExpectation, RecoversExpectation,
                 CanaryExpectation, AuthzExpectation, MtlsExpectation, NoLostRequestsExpectation, ConfigExpectation,
                 CertificateExpectation>;

struct Expectation {
  std::string name;  // unique; default e.g. "slo frontend", "authz frontend -> payments"
  ExpectationSpec spec;
  bool operator==(const Expectation&) const = default;
};

// The `type:` spelling of an expectation ("slo", "no-lost-requests", ...).
std::string expectationTypeName(const ExpectationSpec& spec);

// ---- the whole scenario ---------------------------------------------------------------

struct Plan {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  DurationNs duration = 0;
  config::MeshConfig mesh;
  Network network;
  std::vector<Service> services;
  std::vector<Instance> instances;  // services, then versions, in file order
  std::vector<Canary> canaries;
  std::vector<ConfigChange> changes;  // in file order
  std::vector<Workload> workload;
  std::vector<Fault> faults;
  std::vector<Expectation> expectations;

  const Service* service(const std::string& name) const;    // nullptr when unknown
  const Instance* instance(const std::string& name) const;  // nullptr when unknown
  // The instances of one service (optionally one version), in Plan::instances order.
  std::vector<const Instance*> instancesOf(const std::string& service,
                                           const std::optional<std::string>& version = std::nullopt) const;
  bool operator==(const Plan&) const = default;
};

}  // namespace meshproof::scenario
