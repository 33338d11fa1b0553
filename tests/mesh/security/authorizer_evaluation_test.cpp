// AuthorizationPolicy evaluation order and selection, with known answers from Istio's
// reference (istio.io/docs/reference/config/security/authorization-policy): DENY before
// ALLOW; no ALLOW policy means allow; once an ALLOW selects the workload, unmatched
// requests are denied (403, RBAC); AUDIT never changes the outcome.
#include "mesh/security/authorizer.h"

#include <gtest/gtest.h>

#include "policy_builders.h"

namespace meshproof::security {
namespace {

using namespace test_policies;
using config::AuthzAction;

AuthzRequest req(std::string_view principal, std::string_view method = "GET", std::string_view path = "/") {
  return AuthzRequest::fromPeer(principal, method, path);
}

void expectDenied(const AuthzDecision& d, AuthzReason reason, std::string_view policy) {
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, reason);
  EXPECT_EQ(d.http_status, 403);
  EXPECT_EQ(d.flags, kRbacDenied);
  EXPECT_EQ(responseFlagsToString(d.flags), "RBAC");
  EXPECT_EQ(d.policy, policy);
}

void expectAllowed(const AuthzDecision& d, AuthzReason reason, std::string_view policy) {
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reason, reason);
  EXPECT_EQ(d.http_status, 0);
  EXPECT_EQ(d.flags, kNoFlags);
  EXPECT_EQ(d.policy, policy);
}

TEST(AuthorizerEvaluation, NoPoliciesAllowsEverything) {
  const Authorizer authz({}, "shop", "payments");
  expectAllowed(authz.evaluate(req(kCheckout)), AuthzReason::kNoAllowPolicy, "");
  expectAllowed(authz.evaluate(req(kPlaintext)), AuthzReason::kNoAllowPolicy, "");
}

TEST(AuthorizerEvaluation, AllowNothingDeniesEverything) {
  // Istio's allow-nothing: an ALLOW policy with no rules (`spec: {}`) matches nothing.
  const Authorizer authz({policy("allow-nothing", AuthzAction::kAllow, {}, "", "shop")}, "shop", "payments");
  expectDenied(authz.evaluate(req(kCheckout, "POST", "/pay")), AuthzReason::kNoAllowMatched, "");
  expectDenied(authz.evaluate(req(kPlaintext)), AuthzReason::kNoAllowMatched, "");
}

TEST(AuthorizerEvaluation, RulesWithOneEmptyRuleAllowAll) {
  // Istio's allow-all: `rules: [{}]` matches every request.
  const Authorizer authz({policy("allow-nothing", AuthzAction::kAllow, {}, "", "shop"),
                          policy("allow-all", AuthzAction::kAllow, matchAll(), "", "shop")},
                         "shop", "payments");
  expectAllowed(authz.evaluate(req(kCheckout, "DELETE", "/x")), AuthzReason::kAllowMatched, "allow-all");
  expectAllowed(authz.evaluate(req(kPlaintext)), AuthzReason::kAllowMatched, "allow-all");
}

TEST(AuthorizerEvaluation, DenyWithNoRulesHasNoEffect) {
  const Authorizer authz({policy("deny-nothing", AuthzAction::kDeny, {}, "payments")}, "shop", "payments");
  expectAllowed(authz.evaluate(req(kCheckout)), AuthzReason::kNoAllowPolicy, "");
}

TEST(AuthorizerEvaluation, AllowThatMatchesNothingDeniesOnceItSelectsTheWorkload) {
  const auto allow_checkout =
      policy("payments-from-checkout", AuthzAction::kAllow, {fromOnly({principals({kCheckout})})}, "payments");
  const Authorizer payments({allow_checkout}, "shop", "payments");
  expectAllowed(payments.evaluate(req(kCheckout)), AuthzReason::kAllowMatched, "payments-from-checkout");
  expectDenied(payments.evaluate(req(kCart)), AuthzReason::kNoAllowMatched, "");
  // The same policy list, a workload it does not select: allowed.
  const Authorizer cart({allow_checkout}, "shop", "cart");
  EXPECT_EQ(cart.allowPolicyCount(), 0u);
  expectAllowed(cart.evaluate(req(kBatch)), AuthzReason::kNoAllowPolicy, "");
}

TEST(AuthorizerEvaluation, DenyWinsOverAllow) {
  const Authorizer authz({policy("allow-all", AuthzAction::kAllow, matchAll(), "payments"),
                          policy("deny-delete", AuthzAction::kDeny, {toOnly({operation({"DELETE"}, {})})}, "payments")},
                         "shop", "payments");
  expectDenied(authz.evaluate(req(kCheckout, "DELETE", "/pay")), AuthzReason::kDenyMatched, "deny-delete");
  expectAllowed(authz.evaluate(req(kCheckout, "POST", "/pay")), AuthzReason::kAllowMatched, "allow-all");
}

TEST(AuthorizerEvaluation, DenyWithoutAnyAllowLeavesTheRestAllowed) {
  const Authorizer authz({policy("deny-batch", AuthzAction::kDeny, {fromOnly({namespaces({"batch"})})})}, "shop",
                         "payments");
  expectDenied(authz.evaluate(req(kBatch)), AuthzReason::kDenyMatched, "deny-batch");
  expectAllowed(authz.evaluate(req(kCheckout)), AuthzReason::kNoAllowPolicy, "");
}

TEST(AuthorizerEvaluation, FirstMatchingPolicyInConfigOrderIsReported) {
  const Authorizer authz({policy("deny-a", AuthzAction::kDeny, matchAll()),
                          policy("deny-b", AuthzAction::kDeny, matchAll())},
                         "shop", "payments");
  expectDenied(authz.evaluate(req(kCheckout)), AuthzReason::kDenyMatched, "deny-a");
}

TEST(AuthorizerAudit, AuditNeverChangesTheOutcomeButIsReported) {
  const auto audit_pay = policy("audit-pay", AuthzAction::kAudit, {toOnly({operation({}, {"/pay*"})})}, "payments");
  // Alone: the AUDIT policy is not an ALLOW policy, so nothing is denied.
  {
    const Authorizer authz({audit_pay}, "shop", "payments");
    const AuthzDecision d = authz.evaluate(req(kCart, "POST", "/pay/1"));
    expectAllowed(d, AuthzReason::kNoAllowPolicy, "");
    EXPECT_TRUE(d.audited);
    EXPECT_EQ(d.audit_policy, "audit-pay");
    const AuthzDecision other = authz.evaluate(req(kCart, "GET", "/status"));
    EXPECT_FALSE(other.audited);
    EXPECT_EQ(other.audit_policy, "");
  }
  // With a DENY that matches: still denied, still audited.
  {
    const Authorizer authz({audit_pay, policy("deny-cart", AuthzAction::kDeny, {fromOnly({principals({kCart})})})},
                           "shop", "payments");
    const AuthzDecision d = authz.evaluate(req(kCart, "POST", "/pay"));
    expectDenied(d, AuthzReason::kDenyMatched, "deny-cart");
    EXPECT_TRUE(d.audited);
  }
  // With an ALLOW that does not match: still denied; one that matches: allowed.
  {
    const Authorizer authz(
        {audit_pay, policy("allow-checkout", AuthzAction::kAllow, {fromOnly({principals({kCheckout})})})}, "shop",
        "payments");
    expectDenied(authz.evaluate(req(kCart, "POST", "/pay")), AuthzReason::kNoAllowMatched, "");
    expectAllowed(authz.evaluate(req(kCheckout, "POST", "/pay")), AuthzReason::kAllowMatched, "allow-checkout");
    EXPECT_TRUE(authz.evaluate(req(kCart, "POST", "/pay")).audited);
  }
}

TEST(AuthorizerAudit, ReportAuditEmitsAnAuditEventOnlyWhenAudited) {
  const Authorizer authz({policy("audit-pay", AuthzAction::kAudit, {toOnly({operation({}, {"/pay*"})})})}, "shop",
                         "payments");
  RecordingSink sink;
  const AuthzRequest audited = req(kCheckout, "POST", "/pay?amount=3");
  authz.reportAudit(authz.evaluate(audited), audited, 42 * kMillisecond, sink);
  const AuthzRequest quiet = req(kCheckout, "GET", "/status");
  authz.reportAudit(authz.evaluate(quiet), quiet, 43 * kMillisecond, sink);
  ASSERT_EQ(sink.entries.size(), 1u);
  EXPECT_EQ(sink.entries[0].t, 42 * kMillisecond);
  const auto events = sink.all<AuditEvent>();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].policy, "audit-pay");
  EXPECT_EQ(events[0].service, "payments");
  EXPECT_EQ(events[0].principal, kCheckout);
  EXPECT_EQ(events[0].method, "POST");
  EXPECT_EQ(events[0].path, "/pay?amount=3");
}

TEST(AuthorizerSelection, ServiceNamespaceAndMeshWideSelectors) {
  const auto svc_in_ns = policy("p1", AuthzAction::kAllow, {}, "payments", "shop");
  const auto svc_any_ns = policy("p2", AuthzAction::kAllow, {}, "payments", "");
  const auto ns_only = policy("p3", AuthzAction::kAllow, {}, "", "shop");
  const auto mesh_wide = policy("p4", AuthzAction::kAllow, {}, "", "");
  EXPECT_TRUE(policySelectsWorkload(svc_in_ns, "shop", "payments"));
  EXPECT_FALSE(policySelectsWorkload(svc_in_ns, "batch", "payments"));
  EXPECT_FALSE(policySelectsWorkload(svc_in_ns, "shop", "cart"));
  EXPECT_TRUE(policySelectsWorkload(svc_any_ns, "batch", "payments"));
  EXPECT_FALSE(policySelectsWorkload(svc_any_ns, "shop", "cart"));
  EXPECT_TRUE(policySelectsWorkload(ns_only, "shop", "cart"));
  EXPECT_TRUE(policySelectsWorkload(ns_only, "shop", "payments"));
  EXPECT_FALSE(policySelectsWorkload(ns_only, "batch", "payments"));
  EXPECT_TRUE(policySelectsWorkload(mesh_wide, "anything", "at-all"));
}

TEST(AuthorizerSelection, NamespaceLevelDenyAppliesToEveryServiceThere) {
  const std::vector<config::AuthorizationPolicy> policies = {
      policy("shop-deny-plaintext", AuthzAction::kDeny, {fromOnly({notPrincipals({"*"})})}, "", "shop"),
      policy("cart-allow-shop", AuthzAction::kAllow, {fromOnly({namespaces({"shop"})})}, "cart", "shop")};
  const Authorizer cart(policies, "shop", "cart");
  const Authorizer payments(policies, "shop", "payments");
  const Authorizer batch(policies, "batch", "cart");
  expectDenied(cart.evaluate(req(kPlaintext)), AuthzReason::kDenyMatched, "shop-deny-plaintext");
  expectDenied(payments.evaluate(req(kPlaintext)), AuthzReason::kDenyMatched, "shop-deny-plaintext");
  expectAllowed(batch.evaluate(req(kPlaintext)), AuthzReason::kNoAllowPolicy, "");
  // The service-level ALLOW applies to cart only.
  expectAllowed(cart.evaluate(req(kCheckout)), AuthzReason::kAllowMatched, "cart-allow-shop");
  expectDenied(cart.evaluate(req(kBatch)), AuthzReason::kNoAllowMatched, "");
  expectAllowed(payments.evaluate(req(kBatch)), AuthzReason::kNoAllowPolicy, "");
}

TEST(AuthorizerSelection, ScenarioExamplePaymentsFromCheckout) {
  // SCENARIO.md: payments accepts POST /pay* from checkout only.
  const Authorizer authz({policy("payments-from-checkout", AuthzAction::kAllow,
                                 {rule({principals({kCheckout})}, {operation({"POST"}, {"/pay*"})})}, "payments")},
                         "shop", "payments");
  EXPECT_TRUE(authz.evaluate(req(kCheckout, "POST", "/pay")).allowed);
  EXPECT_TRUE(authz.evaluate(req(kCheckout, "POST", "/payments/7")).allowed);
  EXPECT_FALSE(authz.evaluate(req(kCheckout, "GET", "/pay")).allowed);
  EXPECT_FALSE(authz.evaluate(req(kCheckout, "POST", "/refund")).allowed);
  EXPECT_FALSE(authz.evaluate(req(kCart, "POST", "/pay")).allowed);
  EXPECT_FALSE(authz.evaluate(req(kPlaintext, "POST", "/pay")).allowed);
}

}  // namespace
}  // namespace meshproof::security
