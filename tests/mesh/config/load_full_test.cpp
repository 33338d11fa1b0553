// Loads fixtures that use every field of the mesh sections and checks each value
// exactly; the JSON twin must give an equal MeshConfig, and the SCENARIO.md example
// must load as written.
#include <gtest/gtest.h>

#include <string>

#include "mesh/config/mesh_config_loader.h"

namespace meshproof::config {
namespace {

const std::string kDataDir = std::string(MESHPROOF_TEST_DATA) + "/config/";

class FullMesh : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { config_ = new MeshConfig(loadMeshConfigFile(kDataDir + "full_mesh.yaml")); }
  static void TearDownTestSuite() {
    delete config_;
    config_ = nullptr;
  }
  static const MeshConfig& config() { return *config_; }
  static MeshConfig* config_;
};
MeshConfig* FullMesh::config_ = nullptr;

TEST_F(FullMesh, MeshSettings) {
  EXPECT_EQ(config().mesh.trust_domain, "example.org");
  EXPECT_EQ(config().mesh.mtls, MtlsMode::kPermissive);
  EXPECT_EQ(config().mesh.proxy.termination_drain_duration, 12 * kSecond);
  EXPECT_EQ(config().mesh.proxy.idle_timeout, 600 * kSecond);
  EXPECT_EQ(config().mesh.proxy.request_headers_timeout, 250 * kMillisecond);
  EXPECT_FALSE(config().mesh.proxy.access_log);
}

TEST_F(FullMesh, MatchConditions) {
  ASSERT_EQ(config().traffic.size(), 2u);
  const VirtualService& checkout = config().traffic[0];
  EXPECT_EQ(checkout.service, "checkout");
  ASSERT_EQ(checkout.http.size(), 2u);
  const HttpRoute& beta = checkout.http[0];
  EXPECT_EQ(beta.name, "beta-testers");
  ASSERT_EQ(beta.match.size(), 2u);

  const HttpMatch& first = beta.match[0];
  ASSERT_TRUE(first.uri.has_value());
  EXPECT_EQ(first.uri->kind, StringMatch::Kind::kPrefix);
  EXPECT_EQ(first.uri->value, "/beta");
  ASSERT_TRUE(first.method.has_value());
  EXPECT_EQ(first.method->kind, StringMatch::Kind::kExact);
  EXPECT_EQ(first.method->value, "POST");
  ASSERT_EQ(first.headers.size(), 2u);
  EXPECT_EQ(first.headers[0].first, "x-user");  // lower-cased from X-User
  EXPECT_EQ(first.headers[0].second.kind, StringMatch::Kind::kExact);
  EXPECT_EQ(first.headers[0].second.value, "tester");
  EXPECT_EQ(first.headers[1].first, "x-trace");
  EXPECT_EQ(first.headers[1].second.kind, StringMatch::Kind::kPresent);

  const HttpMatch& second = beta.match[1];
  ASSERT_TRUE(second.uri.has_value());
  EXPECT_EQ(second.uri->kind, StringMatch::Kind::kRegex);
  EXPECT_EQ(second.uri->value, "/v[0-9]+/items");
  ASSERT_TRUE(second.uri->regex.has_value());
  const std::string matching = "/v12/items", not_matching = "/v/items";
  EXPECT_TRUE(second.uri->matches(&matching));
  EXPECT_FALSE(second.uri->matches(&not_matching));
  EXPECT_FALSE(second.method.has_value());

  ASSERT_EQ(beta.route.size(), 1u);
  EXPECT_EQ(beta.route[0].subset, "v2");
  EXPECT_EQ(beta.route[0].weight, 100);
  EXPECT_EQ(beta.timeout, 0);
  EXPECT_FALSE(beta.retries.has_value());
  EXPECT_FALSE(beta.fault.has_value());
  EXPECT_FALSE(beta.mirror.has_value());
}

TEST_F(FullMesh, WeightedRouteWithTimeoutRetriesFaultAndMirror) {
  const HttpRoute& route = config().traffic[0].http[1];
  EXPECT_EQ(route.name, "checkout.1");
  EXPECT_TRUE(route.match.empty());
  ASSERT_EQ(route.route.size(), 2u);
  EXPECT_EQ(route.route[0].subset, "v1");
  EXPECT_EQ(route.route[0].weight, 90);
  EXPECT_EQ(route.route[1].subset, "v2");
  EXPECT_EQ(route.route[1].weight, 10);
  EXPECT_EQ(route.timeout, 2'000'000'000);

  ASSERT_TRUE(route.retries.has_value());
  EXPECT_EQ(route.retries->attempts, 3);
  EXPECT_EQ(route.retries->per_try_timeout, 500'000'000);
  EXPECT_EQ(route.retries->backoff_base, 25'000'000);
  EXPECT_EQ(route.retries->backoff_max, 250'000'000);
  const RetryOn& on = route.retries->retry_on;
  EXPECT_TRUE(on.on_5xx);
  EXPECT_TRUE(on.reset);
  EXPECT_TRUE(on.connect_failure);
  EXPECT_FALSE(on.gateway_error);
  EXPECT_FALSE(on.refused_stream);
  EXPECT_TRUE(on.retriable_status_codes);  // Istio: numeric codes imply retriable-status-codes
  EXPECT_EQ(on.status_codes, (std::vector<int>{409, 503}));

  ASSERT_TRUE(route.fault.has_value());
  ASSERT_TRUE(route.fault->delay.has_value());
  EXPECT_EQ(route.fault->delay->fixed_delay, 1'500'000'000);
  EXPECT_EQ(route.fault->delay->percentage, 10.0);
  ASSERT_TRUE(route.fault->abort.has_value());
  EXPECT_EQ(route.fault->abort->http_status, 503);
  EXPECT_EQ(route.fault->abort->percentage, 5.0);

  ASSERT_TRUE(route.mirror.has_value());
  EXPECT_EQ(route.mirror->subset, "v2");
  EXPECT_EQ(route.mirror->percentage, 5.0);
}

TEST_F(FullMesh, RetryOnEveryNamedToken) {
  const VirtualService& payments = config().traffic[1];
  EXPECT_EQ(payments.service, "payments");
  ASSERT_EQ(payments.http.size(), 1u);
  const HttpRoute& route = payments.http[0];
  EXPECT_EQ(route.name, "payments.0");
  ASSERT_EQ(route.route.size(), 1u);
  EXPECT_EQ(route.route[0].subset, "");   // every instance
  EXPECT_EQ(route.route[0].weight, 100);  // a lone destination takes everything
  ASSERT_TRUE(route.retries.has_value());
  EXPECT_EQ(route.retries->attempts, 1);
  EXPECT_EQ(route.retries->per_try_timeout, 0);
  EXPECT_EQ(route.retries->backoff_base, 100'000);
  EXPECT_EQ(route.retries->backoff_max, 1'000'000);
  const RetryOn& on = route.retries->retry_on;
  EXPECT_FALSE(on.on_5xx);
  EXPECT_TRUE(on.gateway_error);
  EXPECT_FALSE(on.reset);
  EXPECT_FALSE(on.connect_failure);
  EXPECT_TRUE(on.refused_stream);
  EXPECT_TRUE(on.retriable_status_codes);
  EXPECT_TRUE(on.status_codes.empty());
}

TEST_F(FullMesh, DestinationRuleWithEveryPolicy) {
  ASSERT_EQ(config().destinations.size(), 3u);
  const DestinationRule& payments = config().destinations[0];
  EXPECT_EQ(payments.service, "payments");
  EXPECT_EQ(payments.load_balancer, LbPolicy::kLeastRequest);
  EXPECT_EQ(payments.connection_pool.tcp.max_connections, 10);
  EXPECT_EQ(payments.connection_pool.tcp.connect_timeout, 1'000'000'000);
  EXPECT_EQ(payments.connection_pool.http.http1_max_pending_requests, 5);
  EXPECT_EQ(payments.connection_pool.http.http2_max_requests, 100);
  EXPECT_EQ(payments.connection_pool.http.max_requests_per_connection, 0);
  EXPECT_EQ(payments.connection_pool.http.max_retries, 3);
  ASSERT_TRUE(payments.outlier_detection.has_value());
  EXPECT_EQ(payments.outlier_detection->consecutive_5xx_errors, 5);
  EXPECT_EQ(payments.outlier_detection->consecutive_gateway_errors, 0);
  EXPECT_EQ(payments.outlier_detection->interval, 10'000'000'000);
  EXPECT_EQ(payments.outlier_detection->base_ejection_time, 30'000'000'000);
  EXPECT_EQ(payments.outlier_detection->max_ejection_percent, 50.0);
  ASSERT_TRUE(payments.retry_budget.has_value());
  EXPECT_EQ(payments.retry_budget->percent, 20.0);
  EXPECT_EQ(payments.retry_budget->min_retry_concurrency, 3);
  EXPECT_TRUE(payments.locality_lb.enabled);
  ASSERT_EQ(payments.locality_lb.failover.size(), 1u);
  EXPECT_EQ(payments.locality_lb.failover[0].from, "zone-a");
  EXPECT_EQ(payments.locality_lb.failover[0].to, "zone-b");
}

TEST_F(FullMesh, ConsistentHashMeansRingHash) {
  const DestinationRule& checkout = config().destinations[1];
  EXPECT_EQ(checkout.service, "checkout");
  EXPECT_EQ(checkout.load_balancer, LbPolicy::kRingHash);
  EXPECT_EQ(checkout.consistent_hash.http_header_name, "x-user");
  EXPECT_EQ(checkout.consistent_hash.minimum_ring_size, 2048);
  EXPECT_FALSE(checkout.outlier_detection.has_value());
  EXPECT_FALSE(checkout.retry_budget.has_value());
  EXPECT_FALSE(checkout.locality_lb.enabled);
  EXPECT_EQ(checkout.connection_pool, ConnectionPool{});  // untouched defaults

  EXPECT_EQ(config().destinations[2].load_balancer, LbPolicy::kEwma);
  EXPECT_EQ(config().destinationRule("frontend"), &config().destinations[2]);
}

TEST_F(FullMesh, PeerAuthentication) {
  const auto& peers = config().security.peer_authentication;
  ASSERT_EQ(peers.size(), 2u);
  EXPECT_EQ(peers[0].namespace_, "shop");
  EXPECT_EQ(peers[0].service, "");
  EXPECT_EQ(peers[0].mode, MtlsMode::kStrict);
  EXPECT_EQ(peers[1].namespace_, "shop");
  EXPECT_EQ(peers[1].service, "legacy");
  EXPECT_EQ(peers[1].mode, MtlsMode::kDisable);
}

TEST_F(FullMesh, AuthorizationPolicies) {
  const auto& policies = config().security.authorization;
  ASSERT_EQ(policies.size(), 3u);

  const AuthorizationPolicy& allow = policies[0];
  EXPECT_EQ(allow.name, "payments-from-checkout");
  EXPECT_EQ(allow.service, "payments");
  EXPECT_EQ(allow.namespace_, "");
  EXPECT_EQ(allow.action, AuthzAction::kAllow);
  ASSERT_EQ(allow.rules.size(), 1u);
  ASSERT_EQ(allow.rules[0].from.size(), 1u);
  EXPECT_EQ(allow.rules[0].from[0].principals, std::vector<std::string>{"cluster.local/ns/shop/sa/checkout"});
  EXPECT_EQ(allow.rules[0].from[0].not_namespaces, std::vector<std::string>{"batch"});
  EXPECT_TRUE(allow.rules[0].from[0].namespaces.empty());
  ASSERT_EQ(allow.rules[0].to.size(), 1u);
  EXPECT_EQ(allow.rules[0].to[0].methods, std::vector<std::string>{"POST"});
  EXPECT_EQ(allow.rules[0].to[0].paths, std::vector<std::string>{"/pay*"});
  EXPECT_EQ(allow.rules[0].to[0].not_paths, std::vector<std::string>{"/pay/admin"});

  const AuthorizationPolicy& deny = policies[1];
  EXPECT_EQ(deny.name, "deny-batch");
  EXPECT_EQ(deny.service, "");
  EXPECT_EQ(deny.namespace_, "shop");
  EXPECT_EQ(deny.action, AuthzAction::kDeny);
  ASSERT_EQ(deny.rules.size(), 1u);
  EXPECT_EQ(deny.rules[0].from[0].namespaces, std::vector<std::string>{"batch"});
  EXPECT_EQ(deny.rules[0].from[0].not_principals, std::vector<std::string>{"*/sa/ops"});
  EXPECT_EQ(deny.rules[0].to[0].not_methods, std::vector<std::string>{"GET"});

  const AuthorizationPolicy& audit = policies[2];
  EXPECT_EQ(audit.action, AuthzAction::kAudit);
  ASSERT_EQ(audit.rules.size(), 1u);  // one empty rule: matches every request
  EXPECT_TRUE(audit.rules[0].from.empty());
  EXPECT_TRUE(audit.rules[0].to.empty());
}

TEST_F(FullMesh, Certificates) {
  EXPECT_EQ(config().security.certificates.ttl, 24 * 3'600'000'000'000);
  EXPECT_EQ(config().security.certificates.rotate_before, 6 * 3'600'000'000'000);
}

TEST_F(FullMesh, JsonTwinLoadsEqual) {
  const MeshConfig from_json = loadMeshConfigFile(kDataDir + "full_mesh.json");
  EXPECT_EQ(from_json.mesh, config().mesh);
  EXPECT_EQ(from_json.traffic, config().traffic);
  EXPECT_EQ(from_json.destinations, config().destinations);
  EXPECT_EQ(from_json.security, config().security);
  EXPECT_TRUE(from_json == config());
}

TEST_F(FullMesh, EqualityNoticesADifference) {
  MeshConfig changed = config();
  changed.traffic[0].http[1].retries->retry_on.status_codes.push_back(504);
  EXPECT_FALSE(changed == config());
}

TEST(ScenarioExample, LoadsAsWrittenInScenarioMd) {
  const MeshConfig config = loadMeshConfigFile(kDataDir + "scenario_example.yaml");
  EXPECT_EQ(config.mesh.trust_domain, "cluster.local");
  EXPECT_EQ(config.mesh.mtls, MtlsMode::kStrict);
  // Without mesh.proxy: Istio's and Envoy's defaults.
  EXPECT_EQ(config.mesh.proxy.termination_drain_duration, 5 * kSecond);
  EXPECT_EQ(config.mesh.proxy.idle_timeout, 3600 * kSecond);
  EXPECT_EQ(config.mesh.proxy.request_headers_timeout, 0);
  EXPECT_TRUE(config.mesh.proxy.access_log);
  ASSERT_EQ(config.traffic.size(), 1u);
  const VirtualService& checkout = config.traffic[0];
  ASSERT_EQ(checkout.http.size(), 2u);
  ASSERT_EQ(checkout.http[0].match.size(), 1u);
  EXPECT_EQ(checkout.http[0].match[0].headers.size(), 1u);
  EXPECT_EQ(checkout.http[1].route[1].weight, 10);
  EXPECT_EQ(checkout.http[1].retries->backoff_base, 25'000'000);
  EXPECT_EQ(checkout.http[1].fault->delay->fixed_delay, 1'000'000'000);
  ASSERT_EQ(config.destinations.size(), 1u);
  EXPECT_EQ(config.destinations[0].load_balancer, LbPolicy::kLeastRequest);
  EXPECT_EQ(config.destinations[0].outlier_detection->interval, 10'000'000'000);
  ASSERT_EQ(config.security.authorization.size(), 1u);
  EXPECT_EQ(config.security.authorization[0].rules[0].to[0].paths, std::vector<std::string>{"/pay*"});
  EXPECT_EQ(config.security.certificates.rotate_before, 12 * 3'600'000'000'000);
}

TEST(Defaults, AbsentSectionsKeepModelDefaults) {
  const MeshConfig config = loadMeshConfigText("name: empty\n", "empty.yaml");
  EXPECT_TRUE(config == MeshConfig{});
}

TEST(Defaults, RetriesWithoutRetryOnUseIstioDefaultConditions) {
  const MeshConfig config = loadMeshConfigText(
      "traffic:\n"
      "  - service: a\n"
      "    http: [{route: [{subset: v1}], retries: {attempts: 4}}]\n",
      "r.yaml");
  const RetryPolicy& retries = *config.traffic[0].http[0].retries;
  EXPECT_EQ(retries.attempts, 4);
  EXPECT_EQ(retries.retry_on, defaultRetryPolicy().retry_on);
  EXPECT_EQ(retries.retry_on.status_codes, std::vector<int>{503});
  EXPECT_EQ(retries.backoff_base, 25'000'000);
  EXPECT_EQ(retries.backoff_max, 250'000'000);
}

TEST(Defaults, ZeroConnectionLimitsMeanNotSetAsInIstio) {
  const MeshConfig config = loadMeshConfigText(
      "destinations:\n"
      "  - service: a\n"
      "    connectionPool: {tcp: {maxConnections: 0}, http: {maxRetries: 0, http2MaxRequests: 7}}\n",
      "p.yaml");
  const ConnectionPool& pool = config.destinations[0].connection_pool;
  EXPECT_EQ(pool.tcp.max_connections, ConnectionPool{}.tcp.max_connections);
  EXPECT_EQ(pool.http.max_retries, ConnectionPool{}.http.max_retries);
  EXPECT_EQ(pool.http.http2_max_requests, 7);
}

TEST(Defaults, TtlAloneRotatesAtHalfLife) {
  const MeshConfig config = loadMeshConfigText("security: {certificates: {ttl: 1h}}\n", "c.yaml");
  EXPECT_EQ(config.security.certificates.ttl, 3'600'000'000'000);
  EXPECT_EQ(config.security.certificates.rotate_before, 1'800'000'000'000);
}

TEST(Defaults, LocalitySettingWithoutEnabledIsOn) {
  const MeshConfig config =
      loadMeshConfigText("destinations: [{service: a, localityLbSetting: {failover: []}}]\n", "l.yaml");
  EXPECT_TRUE(config.destinations[0].locality_lb.enabled);
}

TEST(Defaults, RingHashWithoutConsistentHashHashesARandomKey) {
  const MeshConfig config = loadMeshConfigText("destinations: [{service: a, loadBalancer: RING_HASH}]\n", "h.yaml");
  EXPECT_EQ(config.destinations[0].load_balancer, LbPolicy::kRingHash);
  EXPECT_EQ(config.destinations[0].consistent_hash.http_header_name, "");
  EXPECT_EQ(config.destinations[0].consistent_hash.minimum_ring_size, 1024);
}

TEST(Defaults, UnknownExtensionIsDetectedByContent) {
  const MeshConfig json = loadMeshConfigText("{\"mesh\": {\"mtls\": \"DISABLE\"}}", "config.txt");
  EXPECT_EQ(json.mesh.mtls, MtlsMode::kDisable);
  const MeshConfig yaml = loadMeshConfigText("mesh:\n  mtls: PERMISSIVE\n", "config.txt");
  EXPECT_EQ(yaml.mesh.mtls, MtlsMode::kPermissive);
}

}  // namespace
}  // namespace meshproof::config
