// The `destinations:` section: DestinationRule-like policy per upstream service
// (load balancer, consistent hash, connection pool limits, outlier detection, retry
// budget, locality failover). Connection-pool limits follow Istio: 0 means "not set"
// and keeps the default (unbounded).
#include <map>

#include "mesh/config/section_readers.h"

namespace meshproof::config {
namespace {

const EnumNames<LbPolicy> kLbPolicyNames{{"ROUND_ROBIN", LbPolicy::kRoundRobin},
                                         {"LEAST_REQUEST", LbPolicy::kLeastRequest},
                                         {"RANDOM", LbPolicy::kRandom},
                                         {"RING_HASH", LbPolicy::kRingHash},
                                         {"EWMA", LbPolicy::kEwma}};

constexpr int kMaxRingSize = 8'388'608;  // Envoy's maximum_ring_size limit

std::string toLower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// Istio: a limit of 0 is "not set"; the default stays.
void readLimit(const NodeReader& node, std::string_view key, int& target) {
  if (auto field = node.optional(key)) {
    const int value = field->asNonNegativeInt();
    if (value > 0) target = value;
  }
}

ConsistentHash readConsistentHash(const NodeReader& node) {
  node.expectOnly({"httpHeaderName", "minimumRingSize"});
  ConsistentHash hash;
  if (auto header = node.optional("httpHeaderName")) hash.http_header_name = toLower(header->asNonEmptyString());
  if (auto size = node.optional("minimumRingSize"))
    hash.minimum_ring_size = static_cast<int>(size->asIntInRange(1, kMaxRingSize));
  return hash;
}

ConnectionPool readConnectionPool(const NodeReader& node) {
  node.expectOnly({"tcp", "http"});
  ConnectionPool pool;
  if (auto tcp = node.optional("tcp")) {
    tcp->expectOnly({"maxConnections", "connectTimeout"});
    readLimit(*tcp, "maxConnections", pool.tcp.max_connections);
    tcp->readIfPresent("connectTimeout", pool.tcp.connect_timeout, &NodeReader::asPositiveDuration);
  }
  if (auto http = node.optional("http")) {
    http->expectOnly({"http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries"});
    readLimit(*http, "http1MaxPendingRequests", pool.http.http1_max_pending_requests);
    readLimit(*http, "http2MaxRequests", pool.http.http2_max_requests);
    readLimit(*http, "maxRequestsPerConnection", pool.http.max_requests_per_connection);
    readLimit(*http, "maxRetries", pool.http.max_retries);
  }
  return pool;
}

OutlierDetection readOutlierDetection(const NodeReader& node) {
  node.expectOnly({"consecutive5xxErrors", "consecutiveGatewayErrors", "interval", "baseEjectionTime",
                   "maxEjectionPercent"});
  OutlierDetection detection;
  node.readIfPresent("consecutive5xxErrors", detection.consecutive_5xx_errors, &NodeReader::asNonNegativeInt);
  node.readIfPresent("consecutiveGatewayErrors", detection.consecutive_gateway_errors,
                     &NodeReader::asNonNegativeInt);
  node.readIfPresent("interval", detection.interval, &NodeReader::asPositiveDuration);
  node.readIfPresent("baseEjectionTime", detection.base_ejection_time, &NodeReader::asPositiveDuration);
  node.readIfPresent("maxEjectionPercent", detection.max_ejection_percent, &NodeReader::asPercentage);
  return detection;
}

RetryBudget readRetryBudget(const NodeReader& node) {
  node.expectOnly({"percent", "minRetryConcurrency"});
  RetryBudget budget;
  node.readIfPresent("percent", budget.percent, &NodeReader::asPercentage);
  node.readIfPresent("minRetryConcurrency", budget.min_retry_concurrency, &NodeReader::asNonNegativeInt);
  return budget;
}

LocalityLbSetting readLocalityLbSetting(const NodeReader& node) {
  node.expectOnly({"enabled", "failover"});
  LocalityLbSetting setting;
  setting.enabled = true;  // giving the section turns it on unless `enabled: false`
  node.readIfPresent("enabled", setting.enabled, &NodeReader::asBool);
  if (auto failover = node.optional("failover")) {
    for (const auto& item : failover->items()) {
      item.expectOnly({"from", "to"});
      LocalityFailover entry{item.required("from").asNonEmptyString(), item.required("to").asNonEmptyString()};
      if (entry.from == entry.to) item.required("to").fail("must differ from 'from' (\"" + entry.from + "\")");
      setting.failover.push_back(entry);
    }
  }
  return setting;
}

DestinationRule readDestinationRule(const NodeReader& node) {
  node.expectOnly({"service", "loadBalancer", "consistentHash", "connectionPool", "outlierDetection", "retryBudget",
                   "localityLbSetting"});
  DestinationRule rule;
  rule.service = node.required("service").asNonEmptyString();
  const auto load_balancer = node.optional("loadBalancer");
  if (load_balancer) rule.load_balancer = load_balancer->asEnum(kLbPolicyNames);
  if (auto hash = node.optional("consistentHash")) {
    // Istio's consistentHash is itself the load-balancer choice: a ring hash.
    if (load_balancer && rule.load_balancer != LbPolicy::kRingHash)
      hash->fail("needs loadBalancer RING_HASH (or no loadBalancer), not " + load_balancer->asString());
    rule.load_balancer = LbPolicy::kRingHash;
    rule.consistent_hash = readConsistentHash(*hash);
  }
  if (auto pool = node.optional("connectionPool")) rule.connection_pool = readConnectionPool(*pool);
  if (auto detection = node.optional("outlierDetection")) rule.outlier_detection = readOutlierDetection(*detection);
  if (auto budget = node.optional("retryBudget")) rule.retry_budget = readRetryBudget(*budget);
  if (auto locality = node.optional("localityLbSetting")) rule.locality_lb = readLocalityLbSetting(*locality);
  return rule;
}

}  // namespace

std::vector<DestinationRule> readDestinations(const NodeReader& node) {
  std::vector<DestinationRule> destinations;
  std::map<std::string, int> line_by_service;
  for (const auto& item : node.items()) {
    DestinationRule rule = readDestinationRule(item);
    const NodeReader service = item.required("service");
    auto [seen, inserted] = line_by_service.emplace(rule.service, service.line());
    if (!inserted)
      service.fail("duplicate destinations entry for service \"" + rule.service + "\" (first at line " +
                   std::to_string(seen->second) + ")");
    destinations.push_back(std::move(rule));
  }
  return destinations;
}

}  // namespace meshproof::config
