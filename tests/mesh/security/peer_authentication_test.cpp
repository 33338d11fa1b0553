// PeerAuthentication: mode precedence (service over namespace over mesh-wide entry over
// the mesh default) and the connection accept/reject table for STRICT, PERMISSIVE and
// DISABLE (istio.io/docs/reference/config/security/peer_authentication).
#include "mesh/security/peer_authentication.h"

#include <gtest/gtest.h>

#include <vector>

namespace meshproof::security {
namespace {

using config::MtlsMode;

config::PeerAuthentication entry(std::string ns, std::string service, MtlsMode mode) {
  return config::PeerAuthentication{std::move(ns), std::move(service), mode};
}

config::MeshSettings meshWith(MtlsMode mode) {
  config::MeshSettings m;
  m.mtls = mode;
  return m;
}

TEST(PeerAuthenticationMode, MeshDefaultWhenNoEntryApplies) {
  const std::vector<config::PeerAuthentication> entries = {entry("other", "", MtlsMode::kDisable),
                                                           entry("shop", "cart", MtlsMode::kDisable)};
  EXPECT_EQ(resolveMtlsMode(meshWith(MtlsMode::kPermissive), entries, "shop", "payments"), MtlsMode::kPermissive);
  EXPECT_EQ(resolveMtlsMode(meshWith(MtlsMode::kStrict), {}, "shop", "payments"), MtlsMode::kStrict);
}

TEST(PeerAuthenticationMode, MeshWideEntryOverridesMeshSettings) {
  const std::vector<config::PeerAuthentication> entries = {entry("", "", MtlsMode::kPermissive)};
  EXPECT_EQ(resolveMtlsMode(meshWith(MtlsMode::kStrict), entries, "shop", "payments"), MtlsMode::kPermissive);
}

TEST(PeerAuthenticationMode, NamespaceEntryOverridesMeshWideEntry) {
  // Listed before and after the mesh-wide entry: order does not matter across levels.
  const std::vector<config::PeerAuthentication> ns_first = {entry("shop", "", MtlsMode::kStrict),
                                                            entry("", "", MtlsMode::kDisable)};
  const std::vector<config::PeerAuthentication> ns_last = {entry("", "", MtlsMode::kDisable),
                                                           entry("shop", "", MtlsMode::kStrict)};
  const auto mesh = meshWith(MtlsMode::kPermissive);
  EXPECT_EQ(resolveMtlsMode(mesh, ns_first, "shop", "payments"), MtlsMode::kStrict);
  EXPECT_EQ(resolveMtlsMode(mesh, ns_last, "shop", "payments"), MtlsMode::kStrict);
  EXPECT_EQ(resolveMtlsMode(mesh, ns_last, "batch", "payments"), MtlsMode::kDisable);
}

TEST(PeerAuthenticationMode, ServiceEntryOverridesNamespaceEntry) {
  const std::vector<config::PeerAuthentication> entries = {
      entry("", "", MtlsMode::kStrict), entry("shop", "", MtlsMode::kStrict),
      entry("shop", "legacy", MtlsMode::kPermissive)};
  const auto mesh = meshWith(MtlsMode::kStrict);
  EXPECT_EQ(resolveMtlsMode(mesh, entries, "shop", "legacy"), MtlsMode::kPermissive);
  EXPECT_EQ(resolveMtlsMode(mesh, entries, "shop", "payments"), MtlsMode::kStrict);
  // The service entry names namespace shop: a "legacy" service elsewhere is not selected.
  EXPECT_EQ(resolveMtlsMode(meshWith(MtlsMode::kDisable), {entries[2]}, "batch", "legacy"), MtlsMode::kDisable);
}

TEST(PeerAuthenticationMode, ServiceEntryWithNamespaceBeatsOneWithout) {
  const std::vector<config::PeerAuthentication> entries = {entry("", "legacy", MtlsMode::kDisable),
                                                           entry("shop", "legacy", MtlsMode::kPermissive)};
  const auto mesh = meshWith(MtlsMode::kStrict);
  EXPECT_EQ(resolveMtlsMode(mesh, entries, "shop", "legacy"), MtlsMode::kPermissive);
  EXPECT_EQ(resolveMtlsMode(mesh, entries, "batch", "legacy"), MtlsMode::kDisable);
}

TEST(PeerAuthenticationMode, FirstEntryOfALevelWins) {
  const std::vector<config::PeerAuthentication> entries = {entry("shop", "", MtlsMode::kDisable),
                                                           entry("shop", "", MtlsMode::kStrict)};
  EXPECT_EQ(resolveMtlsMode(meshWith(MtlsMode::kPermissive), entries, "shop", "x"), MtlsMode::kDisable);
}

constexpr std::string_view kCheckoutUri = "spiffe://cluster.local/ns/shop/sa/checkout";

PeerConnection mtlsPeer() { return {PeerTransport::kMtls, kCheckoutUri}; }
PeerConnection plaintextPeer() { return {PeerTransport::kPlaintext, {}}; }
PeerConnection badCertPeer() { return {PeerTransport::kTlsWithoutValidCert, {}}; }

void expectAccepted(const PeerAdmission& a, bool mtls) {
  EXPECT_TRUE(a.accepted) << a.reason;
  EXPECT_EQ(a.flags, kNoFlags);
  EXPECT_EQ(a.mtls, mtls);
  EXPECT_EQ(a.principal, mtls ? "cluster.local/ns/shop/sa/checkout" : "");
}

void expectRejected(const PeerAdmission& a) {
  EXPECT_FALSE(a.accepted);
  EXPECT_EQ(a.flags, kMtlsRejected);
  EXPECT_EQ(responseFlagsToString(a.flags), "UMTLS");
  EXPECT_TRUE(a.principal.empty());
  EXPECT_FALSE(a.reason.empty());
}

TEST(PeerAdmissionTable, StrictAcceptsOnlyValidMtls) {
  expectAccepted(admitPeer(MtlsMode::kStrict, mtlsPeer()), true);
  expectRejected(admitPeer(MtlsMode::kStrict, plaintextPeer()));
  expectRejected(admitPeer(MtlsMode::kStrict, badCertPeer()));
}

TEST(PeerAdmissionTable, PermissiveAcceptsMtlsAndPlaintextButNotAFailedHandshake) {
  expectAccepted(admitPeer(MtlsMode::kPermissive, mtlsPeer()), true);
  expectAccepted(admitPeer(MtlsMode::kPermissive, plaintextPeer()), false);
  expectRejected(admitPeer(MtlsMode::kPermissive, badCertPeer()));
}

TEST(PeerAdmissionTable, DisableAcceptsOnlyPlaintext) {
  // The inbound sidecar does not terminate TLS under DISABLE: an mTLS attempt fails
  // (istio/istio#32079).
  expectAccepted(admitPeer(MtlsMode::kDisable, plaintextPeer()), false);
  expectRejected(admitPeer(MtlsMode::kDisable, mtlsPeer()));
  expectRejected(admitPeer(MtlsMode::kDisable, badCertPeer()));
}

TEST(PeerAdmissionTable, MtlsWithANonSpiffeUriSanIsRejected) {
  expectRejected(admitPeer(MtlsMode::kStrict, {PeerTransport::kMtls, "https://checkout.shop"}));
  expectRejected(admitPeer(MtlsMode::kPermissive, {PeerTransport::kMtls, ""}));
}

TEST(PeerAdmissionTable, MeshedClientsSendPlaintextOnlyToDisabledWorkloads) {
  EXPECT_TRUE(clientOriginatesMtls(MtlsMode::kStrict));
  EXPECT_TRUE(clientOriginatesMtls(MtlsMode::kPermissive));
  EXPECT_FALSE(clientOriginatesMtls(MtlsMode::kDisable));
}

TEST(PeerAdmissionTable, ModeNames) {
  EXPECT_EQ(mtlsModeName(MtlsMode::kStrict), "STRICT");
  EXPECT_EQ(mtlsModeName(MtlsMode::kPermissive), "PERMISSIVE");
  EXPECT_EQ(mtlsModeName(MtlsMode::kDisable), "DISABLE");
}

}  // namespace
}  // namespace meshproof::security
