// Sidecar inbound path: PeerAuthentication decides whether a peer is accepted (UMTLS
// otherwise), AuthorizationPolicy whether its request reaches the app (403 RBAC
// otherwise); accepted requests are answered with the app's status.
#include "sidecar_harness.h"

namespace meshproof::dataplane {
namespace {

using testing::SidecarHarness;
using H = SidecarHarness;

const std::string kCheckout = "spiffe://cluster.local/ns/shop/sa/checkout";
const std::string kFrontend = "spiffe://cluster.local/ns/shop/sa/frontend";

security::PeerConnection mtls(const std::string& uri) {
  return security::PeerConnection{security::PeerTransport::kMtls, uri};
}
security::PeerConnection plaintext() { return security::PeerConnection{security::PeerTransport::kPlaintext, {}}; }

HttpRequest post(std::string path) {
  HttpRequest r;
  r.method = "POST";
  r.path = std::move(path);
  r.authority = "payments";
  return r;
}

void allowCheckoutToPay(config::MeshConfig& c) {
  config::AuthorizationPolicy p;
  p.name = "payments-from-checkout";
  p.service = "payments";
  p.namespace_ = "shop";
  p.action = config::AuthzAction::kAllow;
  config::Rule rule;
  rule.from.push_back(config::Source{{"cluster.local/ns/shop/sa/checkout"}, {}, {}, {}});
  rule.to.push_back(config::Operation{{"POST"}, {}, {"/pay*"}, {}});
  p.rules.push_back(rule);
  c.security.authorization.push_back(p);
}

TEST(SidecarInbound, StrictRejectsPlaintextWithUMTLS) {
  SidecarHarness h;
  h.client("payments-v1-0", "payments");
  h.sidecar->peerRequest(7, post("/pay"), plaintext());
  const auto actions = h.drain();
  ASSERT_EQ(actions.size(), 1u);
  const auto reply = H::only<RespondToPeer>(actions).at(0);
  EXPECT_EQ(reply.request, 7u);
  EXPECT_EQ(reply.flags & kMtlsRejected, kMtlsRejected);
  const auto ev = h.sink.all<RequestEvent>().at(0);
  EXPECT_EQ(ev.reporter, "destination");
  EXPECT_EQ(ev.source, "unauthenticated");
  EXPECT_FALSE(ev.mtls);
}

TEST(SidecarInbound, PermissiveNamespaceAcceptsPlaintext) {
  SidecarHarness h;
  h.config.security.peer_authentication.push_back({"shop", "", config::MtlsMode::kPermissive});
  h.client("payments-v1-0", "payments");
  h.sidecar->peerRequest(1, post("/pay"), plaintext());
  const auto delivered = H::only<DeliverToApp>(h.drain());
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].source_principal, "");
}

TEST(SidecarInbound, AllowedPrincipalReachesTheAppAndGetsItsAnswer) {
  SidecarHarness h;
  allowCheckoutToPay(h.config);
  h.client("payments-v1-0", "payments");
  h.sidecar->peerRequest(1, post("/pay/visa"), mtls(kCheckout));
  const auto delivered = H::only<DeliverToApp>(h.drain());
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].source_principal, "cluster.local/ns/shop/sa/checkout");
  EXPECT_EQ(h.sidecar->inboundInFlight(), 1u);
  h.clock.advance(15 * kMillisecond);
  h.sidecar->appResponded(1, 201);
  const auto reply = H::only<RespondToPeer>(h.drain()).at(0);
  EXPECT_EQ(reply.status, 201);
  EXPECT_EQ(reply.flags, kNoFlags);
  const auto ev = h.sink.all<RequestEvent>().at(0);
  EXPECT_EQ(ev.destination_instance, "payments-v1-0");
  EXPECT_EQ(ev.destination_subset, "v1");
  EXPECT_EQ(ev.duration, 15 * kMillisecond);
  EXPECT_TRUE(ev.mtls);
  EXPECT_EQ(h.sidecar->inboundInFlight(), 0u);
}

TEST(SidecarInbound, OtherPrincipalOrOperationIsDenied403RBAC) {
  SidecarHarness h;
  allowCheckoutToPay(h.config);
  h.client("payments-v1-0", "payments");
  h.sidecar->peerRequest(1, post("/pay"), mtls(kFrontend));  // wrong principal
  HttpRequest get = post("/pay");
  get.method = "GET";
  h.sidecar->peerRequest(2, get, mtls(kCheckout));  // wrong method
  const auto actions = h.drain();
  EXPECT_TRUE(H::only<DeliverToApp>(actions).empty());
  const auto replies = H::only<RespondToPeer>(actions);
  ASSERT_EQ(replies.size(), 2u);
  for (const auto& r : replies) {
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.flags, kRbacDenied);
  }
}

TEST(SidecarInbound, DenyOverridesAllow) {
  SidecarHarness h;
  allowCheckoutToPay(h.config);
  config::AuthorizationPolicy deny;
  deny.name = "no-admin";
  deny.namespace_ = "shop";
  deny.action = config::AuthzAction::kDeny;
  config::Rule rule;
  rule.to.push_back(config::Operation{{}, {}, {"/pay/admin*"}, {}});
  deny.rules.push_back(rule);
  h.config.security.authorization.push_back(deny);
  h.client("payments-v1-0", "payments");
  h.sidecar->peerRequest(1, post("/pay/admin/refund"), mtls(kCheckout));
  const auto reply = H::only<RespondToPeer>(h.drain()).at(0);
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.flags, kRbacDenied);
}

TEST(SidecarInbound, AuditPolicyLogsWithoutChangingTheOutcome) {
  SidecarHarness h;
  config::AuthorizationPolicy audit;
  audit.name = "audit-pay";
  audit.service = "payments";
  audit.action = config::AuthzAction::kAudit;
  audit.rules.push_back(config::Rule{});
  h.config.security.authorization.push_back(audit);
  h.client("payments-v1-0", "payments");
  h.sidecar->peerRequest(1, post("/pay"), mtls(kFrontend));
  EXPECT_EQ(H::only<DeliverToApp>(h.drain()).size(), 1u);
  const auto audits = h.sink.all<AuditEvent>();
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_EQ(audits[0].policy, "audit-pay");
}

TEST(SidecarOutbound, DisabledDestinationGetsPlaintextFromTheCaller) {
  SidecarHarness h;
  h.config.security.peer_authentication.push_back({"shop", "payments", config::MtlsMode::kDisable});
  h.client();
  h.send(1);
  const auto opens = H::only<OpenUpstreamConnection>(h.drain());
  ASSERT_EQ(opens.size(), 1u);
  EXPECT_FALSE(opens[0].mtls);  // Istio auto-mTLS respects DISABLE
}

}  // namespace
}  // namespace meshproof::dataplane
