// The mesh configuration as plain value types: the `mesh`, `traffic`, `destinations`
// and `security` sections of a scenario (SCENARIO.md), validated once by the loader.
// Field names follow Istio; durations are integer nanoseconds; percentages 0-100.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "mesh/core/time.h"

namespace meshproof::config {

// ---- mesh -------------------------------------------------------------------------

enum class MtlsMode { kStrict, kPermissive, kDisable };

// What the live sidecar does with its downstream connections and when it stops
// (`mesh.proxy`, after Istio's ProxyConfig and Envoy's HttpConnectionManager; the
// simulator has no such connections to time out and no SIGTERM, so it ignores them).
struct ProxySettings {
  // On SIGTERM: how long it answers what it accepted before it answers the rest 503
  // (Istio's terminationDrainDuration, 5 s).
  DurationNs termination_drain_duration = 5 * kSecond;
  // A downstream connection with no request under way for this long is closed
  // (Envoy's idle_timeout, 1 h); 0: never.
  DurationNs idle_timeout = 3600 * kSecond;
  // A request whose headers have not all come this long after its first byte gets
  // 408 and its connection is closed (Envoy's request_headers_timeout); 0: no limit
  // (Envoy's default).
  DurationNs request_headers_timeout = 0;
  // An access-log line per request in Envoy's default format (Istio's
  // meshConfig.accessLogFile; its default profile has none, its demo profile one). The
  // trace is written either way.
  bool access_log = true;
  bool operator==(const ProxySettings&) const = default;
};

struct MeshSettings {
  std::string trust_domain = "cluster.local";
  MtlsMode mtls = MtlsMode::kStrict;
  ProxySettings proxy;
  bool operator==(const MeshSettings&) const = default;
};

// ---- traffic (VirtualService) -----------------------------------------------------

// Istio's StringMatch: exact, prefix or regex (RE2 in Istio; ECMAScript here, matched
// against the whole value), plus `present` for headers.
struct StringMatch {
  enum class Kind { kExact, kPrefix, kRegex, kPresent };
  Kind kind = Kind::kExact;
  std::string value;
  std::optional<std::regex> regex;  // compiled once when kind == kRegex
  bool matches(const std::string* actual) const;  // nullptr: absent
  // Same kind and text (the compiled regex follows from the text).
  bool operator==(const StringMatch& other) const;
};

struct HttpMatch {
  std::optional<StringMatch> uri;
  std::optional<StringMatch> method;
  std::vector<std::pair<std::string, StringMatch>> headers;  // names lower-case
  bool operator==(const HttpMatch&) const = default;
};

struct RouteDestination {
  std::string subset;  // empty: every instance of the service
  int weight = 100;
  bool operator==(const RouteDestination&) const = default;
};

// Conditions of Envoy's x-envoy-retry-on, as Istio's retryOn accepts them.
struct RetryOn {
  bool on_5xx = false;
  bool gateway_error = false;   // 502, 503, 504
  bool reset = false;           // no response: disconnect, reset, read timeout
  bool connect_failure = false;
  bool refused_stream = false;
  bool retriable_status_codes = false;
  std::vector<int> status_codes;  // from numbers in retryOn (Istio) when retriable_status_codes
  bool operator==(const RetryOn&) const = default;
};

struct RetryPolicy {
  int attempts = 2;                      // retries after the first try
  DurationNs per_try_timeout = 0;        // 0: the route timeout bounds each try
  RetryOn retry_on;
  DurationNs backoff_base = 25 * kMillisecond;  // Envoy default base_interval
  DurationNs backoff_max = 250 * kMillisecond;  // Envoy default: 10 x base
  bool operator==(const RetryPolicy&) const = default;
};

struct FaultDelay {
  DurationNs fixed_delay = 0;
  double percentage = 0;
  bool operator==(const FaultDelay&) const = default;
};
struct FaultAbort {
  int http_status = 503;
  double percentage = 0;
  bool operator==(const FaultAbort&) const = default;
};
struct FaultPolicy {
  std::optional<FaultDelay> delay;
  std::optional<FaultAbort> abort;
  bool operator==(const FaultPolicy&) const = default;
};

struct Mirror {
  std::string subset;
  double percentage = 100;
  bool operator==(const Mirror&) const = default;
};

struct HttpRoute {
  std::string name;                  // "<service>.<index>" unless given
  std::vector<HttpMatch> match;      // empty: matches every request
  std::vector<RouteDestination> route;
  DurationNs timeout = 0;            // 0: none (Istio's default for HTTP routes)
  std::optional<RetryPolicy> retries;  // absent: Istio's default policy (see defaultRetryPolicy)
  std::optional<FaultPolicy> fault;
  std::optional<Mirror> mirror;
  bool operator==(const HttpRoute&) const = default;
};

struct VirtualService {
  std::string service;
  std::vector<HttpRoute> http;
  bool operator==(const VirtualService&) const = default;
};

// Istio's mesh-wide default: 2 retries on connect-failure, refused-stream, unavailable,
// cancelled and retriable status code 503.
RetryPolicy defaultRetryPolicy();

// ---- destinations (DestinationRule) -----------------------------------------------

enum class LbPolicy { kRoundRobin, kLeastRequest, kRandom, kRingHash, kEwma };

struct ConsistentHash {
  std::string http_header_name;  // lower-case; empty: hash a random key
  int minimum_ring_size = 1024;  // Envoy default
  bool operator==(const ConsistentHash&) const = default;
};

struct TcpSettings {
  int max_connections = 1 << 30;   // Envoy default 1024; Istio sets 2^32-1 (unbounded)
  DurationNs connect_timeout = 10 * kSecond;  // Istio default
  bool operator==(const TcpSettings&) const = default;
};

struct HttpSettings {
  int http1_max_pending_requests = 1 << 30;
  int http2_max_requests = 1 << 30;
  int max_requests_per_connection = 0;  // 0: unlimited
  int max_retries = 1 << 30;
  bool operator==(const HttpSettings&) const = default;
};

struct ConnectionPool {
  TcpSettings tcp;
  HttpSettings http;
  bool operator==(const ConnectionPool&) const = default;
};

struct OutlierDetection {
  int consecutive_5xx_errors = 5;      // 0 disables
  int consecutive_gateway_errors = 0;  // 0 disables
  DurationNs interval = 10 * kSecond;
  DurationNs base_ejection_time = 30 * kSecond;
  double max_ejection_percent = 10;
  DurationNs max_ejection_time = 300 * kSecond;  // Envoy default cap
  bool operator==(const OutlierDetection&) const = default;
};

struct RetryBudget {
  double percent = 20;
  int min_retry_concurrency = 3;
  bool operator==(const RetryBudget&) const = default;
};

struct LocalityFailover {
  std::string from;
  std::string to;
  bool operator==(const LocalityFailover&) const = default;
};

struct LocalityLbSetting {
  bool enabled = false;
  std::vector<LocalityFailover> failover;
  bool operator==(const LocalityLbSetting&) const = default;
};

struct DestinationRule {
  std::string service;
  LbPolicy load_balancer = LbPolicy::kLeastRequest;  // Istio's default since 1.14 (was ROUND_ROBIN)
  ConsistentHash consistent_hash;
  ConnectionPool connection_pool;
  std::optional<OutlierDetection> outlier_detection;  // absent: no outlier detection
  std::optional<RetryBudget> retry_budget;
  LocalityLbSetting locality_lb;
  bool operator==(const DestinationRule&) const = default;
};

// ---- security ---------------------------------------------------------------------

struct PeerAuthentication {
  std::string namespace_;  // empty: mesh-wide
  std::string service;     // empty: the whole namespace
  MtlsMode mode = MtlsMode::kStrict;
  bool operator==(const PeerAuthentication&) const = default;
};

struct Source {
  std::vector<std::string> principals, not_principals;
  std::vector<std::string> namespaces, not_namespaces;
  bool operator==(const Source&) const = default;
};
struct Operation {
  std::vector<std::string> methods, not_methods;
  std::vector<std::string> paths, not_paths;
  bool operator==(const Operation&) const = default;
};
struct Rule {
  std::vector<Source> from;    // empty: any source
  std::vector<Operation> to;   // empty: any operation
  bool operator==(const Rule&) const = default;
};

enum class AuthzAction { kAllow, kDeny, kAudit };

struct AuthorizationPolicy {
  std::string name;
  std::string service;     // selector; empty with namespace_ empty: mesh-wide
  std::string namespace_;
  AuthzAction action = AuthzAction::kAllow;
  std::vector<Rule> rules;  // empty: matches nothing
  bool operator==(const AuthorizationPolicy&) const = default;
};

struct CertificateSettings {
  DurationNs ttl = 24 * kHour;
  DurationNs rotate_before = 12 * kHour;
  bool operator==(const CertificateSettings&) const = default;
};

struct Security {
  std::vector<PeerAuthentication> peer_authentication;
  std::vector<AuthorizationPolicy> authorization;
  CertificateSettings certificates;
  bool operator==(const Security&) const = default;
};

// ---- the whole mesh configuration -------------------------------------------------

struct MeshConfig {
  MeshSettings mesh;
  std::vector<VirtualService> traffic;
  std::vector<DestinationRule> destinations;
  Security security;

  const VirtualService* virtualService(const std::string& service) const;
  const DestinationRule* destinationRule(const std::string& service) const;
  bool operator==(const MeshConfig&) const = default;
};

// Mesh resources applied to a running mesh (as `kubectl apply`): each replaces the
// resource with the same key, or is added after the others: traffic and destinations
// by service, authorization policies by name, peer authentication by (namespace,
// service).
struct MeshChange {
  std::vector<VirtualService> traffic;
  std::vector<DestinationRule> destinations;
  std::vector<PeerAuthentication> peer_authentication;
  std::vector<AuthorizationPolicy> authorization;
  bool operator==(const MeshChange&) const = default;
};

void applyChange(MeshConfig& config, const MeshChange& change);

}  // namespace meshproof::config
