// Configuration snapshots applied to a running sidecar (xDS): a route change takes
// effect for new requests while one in flight finishes under its old route; a bad
// snapshot is refused with the reason and the last good one stays; a DestinationRule
// change replaces the cluster and drains the old one's connections; an
// AuthorizationPolicy change applies to the next inbound request; service discovery
// (EDS) removes and returns hosts.
#include "mesh/dataplane/config_validation.h"
#include "sidecar_harness.h"

namespace meshproof::dataplane {
namespace {

using testing::SidecarHarness;
using H = SidecarHarness;

config::VirtualService splitPayments(int v1, int v2) {
  config::VirtualService vs;
  vs.service = "payments";
  config::HttpRoute route;
  route.name = "split";
  route.route = {{"v1", v1}, {"v2", v2}};
  vs.http.push_back(route);
  return vs;
}

std::shared_ptr<const config::MeshConfig> withTraffic(const config::MeshConfig& base, config::VirtualService vs) {
  auto next = std::make_shared<config::MeshConfig>(base);
  next->traffic = {std::move(vs)};
  return next;
}

// The subset a new request to payments is sent to (connects and answers it).
std::string subsetOfNextRequest(SidecarHarness& h, AppRequestId id) {
  h.send(id);
  const auto actions = h.connectAll(h.drain());
  const auto sends = H::only<SendUpstream>(actions);
  EXPECT_EQ(sends.size(), 1u);
  if (sends.empty()) return "";
  h.sidecar->upstreamResponse(sends[0].attempt, 200);
  h.drain();
  return sends[0].endpoint.subset;
}

TEST(SidecarReconfigure, NewRoutesForNewRequestsOldRouteForTheOneInFlight) {
  SidecarHarness h;
  h.config.traffic = {splitPayments(100, 0)};
  h.client();
  h.send(1);  // routed to v1, still waiting for its connection
  const auto first = h.drain();
  EXPECT_EQ(h.sidecar->applyConfig(withTraffic(h.config, splitPayments(0, 100))), std::nullopt);
  auto actions = h.connectAll(first);
  const auto sends = H::only<SendUpstream>(actions);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].endpoint.subset, "v1");
  h.sidecar->upstreamResponse(sends[0].attempt, 200);
  h.drain();
  EXPECT_EQ(h.sink.all<RequestEvent>().back().route, "split");
  for (AppRequestId id = 2; id < 6; ++id) EXPECT_EQ(subsetOfNextRequest(h, id), "v2");
}

TEST(SidecarReconfigure, ABadSnapshotIsRefusedAndTheLastGoodOneKept) {
  SidecarHarness h;
  h.config.traffic = {splitPayments(100, 0)};
  h.client();
  const auto bad_weights = withTraffic(h.config, splitPayments(50, 40));
  EXPECT_EQ(h.sidecar->applyConfig(bad_weights), "traffic[payments].http[0].route: weights sum to 90, must be 100");
  auto unknown_subset = std::make_shared<config::MeshConfig>(h.config);
  unknown_subset->traffic[0].http[0].route = {{"v3", 100}};
  EXPECT_EQ(h.sidecar->applyConfig(unknown_subset),
            "traffic[payments].http[0].route: subset \"v3\" is not a version of payments");
  auto lookahead = std::make_shared<config::MeshConfig>(h.config);
  config::HttpMatch match;
  match.uri = config::StringMatch{config::StringMatch::Kind::kRegex, "/pay(?=ment)", std::regex("/pay(?=ment)")};
  lookahead->traffic[0].http[0].match = {match};
  EXPECT_EQ(h.sidecar->applyConfig(lookahead),
            "traffic[payments].http[0].match.uri: regex \"/pay(?=ment)\": lookahead (?= is not supported by RE2 "
            "(the sidecar's regex engine)");
  EXPECT_EQ(h.sidecar->config().traffic[0].http[0].route[0].weight, 100);
  EXPECT_EQ(subsetOfNextRequest(h, 1), "v1");
}

TEST(SidecarReconfigure, ADestinationRuleChangeReplacesTheClusterAndDrainsTheOld) {
  SidecarHarness h;
  h.client();
  h.send(1);
  auto actions = h.connectAll(h.drain());
  auto sends = H::only<SendUpstream>(actions);
  ASSERT_EQ(sends.size(), 1u);
  const ConnectionId old_connection = sends[0].connection;
  h.sidecar->upstreamResponse(sends[0].attempt, 200);
  h.drain();  // the connection is idle and kept alive

  auto stricter = std::make_shared<config::MeshConfig>(h.config);
  config::DestinationRule rule;
  rule.service = "payments";
  rule.connection_pool.tcp.max_connections = 1;
  stricter->destinations = {rule};
  ASSERT_EQ(h.sidecar->applyConfig(stricter), std::nullopt);
  actions = h.drain();
  const auto closes = H::only<CloseUpstreamConnection>(actions);
  ASSERT_EQ(closes.size(), 1u);  // the old cluster's idle connection
  EXPECT_EQ(closes[0].connection, old_connection);

  h.send(2);
  actions = h.drain();
  const auto opens = H::only<OpenUpstreamConnection>(actions);
  ASSERT_EQ(opens.size(), 1u);
  EXPECT_NE(clusterOfId(opens[0].connection), clusterOfId(old_connection));  // a new cluster
}

TEST(SidecarReconfigure, AnAuthorizationChangeAppliesToTheNextInboundRequest) {
  SidecarHarness h;
  h.client("payments-v1-0", "payments");
  const security::PeerConnection checkout{security::PeerTransport::kMtls, "spiffe://cluster.local/ns/shop/sa/checkout"};
  HttpRequest request;
  request.authority = "payments";
  request.path = "/pay";
  request.method = "POST";
  h.sidecar->peerRequest(1, request, checkout);
  EXPECT_EQ(H::only<DeliverToApp>(h.drain()).size(), 1u);

  auto deny = std::make_shared<config::MeshConfig>(h.config);
  config::AuthorizationPolicy policy;
  policy.name = "deny-checkout";
  policy.service = "payments";
  policy.action = config::AuthzAction::kDeny;
  config::Rule rule;
  rule.from = {config::Source{{"cluster.local/ns/shop/sa/checkout"}, {}, {}, {}}};
  policy.rules = {rule};
  deny->security.authorization = {policy};
  ASSERT_EQ(h.sidecar->applyConfig(deny), std::nullopt);
  h.sidecar->peerRequest(2, request, checkout);
  const auto replies = H::only<RespondToPeer>(h.drain());
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].status, 403);
  EXPECT_EQ(replies[0].flags, kRbacDenied);
  h.sidecar->appResponded(1, 200);  // the request admitted before the change still completes
  const auto done = H::only<RespondToPeer>(h.drain());
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, 200);
}

TEST(SidecarReconfigure, ServiceDiscoveryRemovesAndReturnsHosts) {
  SidecarHarness h;
  h.client();
  auto only_v2 = std::make_shared<EndpointTable>();
  (*only_v2)["payments"] = {"payments-v2-0"};
  h.sidecar->applyEndpoints(only_v2);
  for (AppRequestId id = 1; id < 5; ++id) EXPECT_EQ(subsetOfNextRequest(h, id), "v2");

  auto none = std::make_shared<EndpointTable>();
  h.sidecar->applyEndpoints(none);
  h.send(9);
  const auto answers = H::only<RespondToApp>(h.drain());
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status, 503);
  EXPECT_EQ(answers[0].flags, kNoHealthyUpstream);

  h.sidecar->applyEndpoints(nullptr);  // everyone again
  std::set<std::string> seen;
  for (AppRequestId id = 10; id < 40; ++id) seen.insert(subsetOfNextRequest(h, id));
  EXPECT_EQ(seen, (std::set<std::string>{"v1", "v2"}));
}

}  // namespace
}  // namespace meshproof::dataplane
