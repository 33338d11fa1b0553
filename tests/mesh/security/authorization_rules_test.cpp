// Rule matching inside an AuthorizationPolicy: from/to AND, entries OR'd, fields AND'd,
// values OR'd, not* negation, Istio's prefix/suffix/"*" matching on paths and principals,
// and the mTLS-only fields against plaintext peers (ISTIO-SECURITY-2021-004: principals
// and namespaces never match plaintext; notPrincipals/notNamespaces compare an empty
// value and so do match it; "`*` implies non-empty and `not *` implies empty").
#include <gtest/gtest.h>

#include "mesh/security/authorizer.h"
#include "policy_builders.h"

namespace meshproof::security {
namespace {

using namespace test_policies;
using config::AuthzAction;

// Whether one ALLOW policy with `rules` lets the request through.
bool allows(std::vector<config::Rule> rules, std::string_view principal, std::string_view method = "GET",
            std::string_view path = "/") {
  const Authorizer authz({policy("p", AuthzAction::kAllow, std::move(rules))}, "shop", "payments");
  return authz.evaluate(AuthzRequest::fromPeer(principal, method, path)).allowed;
}

TEST(AuthorizationRules, PathPrefixSuffixAndStar) {
  const auto prefix = std::vector<config::Rule>{toOnly({operation({}, {"/api/*"})})};
  EXPECT_TRUE(allows(prefix, kCheckout, "GET", "/api/v1"));
  EXPECT_TRUE(allows(prefix, kCheckout, "GET", "/api/"));
  EXPECT_FALSE(allows(prefix, kCheckout, "GET", "/api"));
  EXPECT_FALSE(allows(prefix, kCheckout, "GET", "/v1/api/x"));

  const auto suffix = std::vector<config::Rule>{toOnly({operation({}, {"*.png"})})};
  EXPECT_TRUE(allows(suffix, kCheckout, "GET", "/img/logo.png"));
  EXPECT_FALSE(allows(suffix, kCheckout, "GET", "/img/logo.png.txt"));

  const auto star = std::vector<config::Rule>{toOnly({operation({}, {"*"})})};
  EXPECT_TRUE(allows(star, kCheckout, "GET", "/"));
  EXPECT_TRUE(allows(star, kPlaintext, "GET", "/anything"));

  const auto exact = std::vector<config::Rule>{toOnly({operation({}, {"/healthz"})})};
  EXPECT_TRUE(allows(exact, kCheckout, "GET", "/healthz"));
  EXPECT_FALSE(allows(exact, kCheckout, "GET", "/healthz/live"));
}

TEST(AuthorizationRules, PathIgnoresQueryAndFragment) {
  // Envoy's PathMatcher matches the URL path portion of :path.
  const auto exact = std::vector<config::Rule>{toOnly({operation({}, {"/data"})})};
  EXPECT_TRUE(allows(exact, kCheckout, "GET", "/data?param=value"));
  EXPECT_TRUE(allows(exact, kCheckout, "GET", "/data#fragment"));
  EXPECT_FALSE(allows(exact, kCheckout, "GET", "/data2?x"));
}

TEST(AuthorizationRules, PrincipalExactPrefixSuffixAndStar) {
  const auto exact = std::vector<config::Rule>{fromOnly({principals({kCheckout})})};
  EXPECT_TRUE(allows(exact, kCheckout));
  EXPECT_FALSE(allows(exact, kCart));

  const auto prefix = std::vector<config::Rule>{fromOnly({principals({"cluster.local/ns/shop/*"})})};
  EXPECT_TRUE(allows(prefix, kCheckout));
  EXPECT_TRUE(allows(prefix, kCart));
  EXPECT_FALSE(allows(prefix, kBatch));

  const auto suffix = std::vector<config::Rule>{fromOnly({principals({"*/sa/checkout"})})};
  EXPECT_TRUE(allows(suffix, kCheckout));
  EXPECT_TRUE(allows(suffix, "other.domain/ns/x/sa/checkout"));
  EXPECT_FALSE(allows(suffix, kCart));

  const auto any = std::vector<config::Rule>{fromOnly({principals({"*"})})};
  EXPECT_TRUE(allows(any, kBatch));
  EXPECT_FALSE(allows(any, kPlaintext));  // "*" means any authenticated peer
}

TEST(AuthorizationRules, PlaintextNeverMatchesPrincipalsOrNamespaces) {
  EXPECT_FALSE(allows({fromOnly({principals({"*"})})}, kPlaintext));
  EXPECT_FALSE(allows({fromOnly({principals({"*checkout"})})}, kPlaintext));
  EXPECT_FALSE(allows({fromOnly({namespaces({"*"})})}, kPlaintext));
  EXPECT_FALSE(allows({fromOnly({namespaces({"shop"})})}, kPlaintext));
  // A source namespace handed in without an authenticated principal is ignored.
  const Authorizer authz({policy("p", AuthzAction::kAllow, {fromOnly({namespaces({"shop"})})})}, "shop",
                         "payments");
  EXPECT_FALSE(authz.evaluate(AuthzRequest{"", "shop", "GET", "/"}).allowed);
}

TEST(AuthorizationRules, NotFieldsMatchPlaintextPeers) {
  // ISTIO-SECURITY-2021-004: an ALLOW on notNamespaces: ["foo"] lets a plaintext request
  // from foo through; notPrincipals: ["*"] matches exactly the unauthenticated peers.
  EXPECT_TRUE(allows({fromOnly({notNamespaces({"batch"})})}, kPlaintext));
  EXPECT_TRUE(allows({fromOnly({notPrincipals({kBatch})})}, kPlaintext));
  EXPECT_TRUE(allows({fromOnly({notPrincipals({"*"})})}, kPlaintext));
  EXPECT_FALSE(allows({fromOnly({notPrincipals({"*"})})}, kCheckout));
  EXPECT_FALSE(allows({fromOnly({notNamespaces({"*"})})}, kCheckout));
  // The bulletin's fix: add namespaces: ["*"] to require mTLS.
  config::Source fixed = notNamespaces({"batch"});
  fixed.namespaces = {"*"};
  EXPECT_FALSE(allows({fromOnly({fixed})}, kPlaintext));
  EXPECT_TRUE(allows({fromOnly({fixed})}, kCheckout));
  EXPECT_FALSE(allows({fromOnly({fixed})}, kBatch));
}

TEST(AuthorizationRules, DenyNotPrincipalsStarRejectsPlaintextOnly) {
  // istio.io security policy examples, "require mTLS in authorization layer".
  const Authorizer authz({policy("require-mtls", AuthzAction::kDeny, {fromOnly({notPrincipals({"*"})})})}, "shop",
                         "payments");
  EXPECT_FALSE(authz.evaluate(AuthzRequest::fromPeer(kPlaintext, "GET", "/")).allowed);
  EXPECT_TRUE(authz.evaluate(AuthzRequest::fromPeer(kCheckout, "GET", "/")).allowed);
}

TEST(AuthorizationRules, NotPrincipalsAndNotPathsNegate) {
  EXPECT_FALSE(allows({fromOnly({notPrincipals({kCheckout})})}, kCheckout));
  EXPECT_TRUE(allows({fromOnly({notPrincipals({kCheckout})})}, kCart));
  EXPECT_FALSE(allows({fromOnly({notPrincipals({"cluster.local/ns/shop/*"})})}, kCart));

  EXPECT_FALSE(allows({toOnly({notPaths({"/admin*"})})}, kCheckout, "GET", "/admin/users"));
  EXPECT_TRUE(allows({toOnly({notPaths({"/admin*"})})}, kCheckout, "GET", "/shop"));
  EXPECT_FALSE(allows({toOnly({notMethods({"DELETE", "PUT"})})}, kCheckout, "PUT", "/x"));
  EXPECT_TRUE(allows({toOnly({notMethods({"DELETE", "PUT"})})}, kCheckout, "GET", "/x"));
}

TEST(AuthorizationRules, PositiveAndNegativeFieldsInOneOperationAreAnded) {
  config::Operation op = operation({"GET"}, {"/api/*"});
  op.not_paths = {"/api/internal*"};
  const std::vector<config::Rule> rules = {toOnly({op})};
  EXPECT_TRUE(allows(rules, kCheckout, "GET", "/api/orders"));
  EXPECT_FALSE(allows(rules, kCheckout, "GET", "/api/internal/x"));
  EXPECT_FALSE(allows(rules, kCheckout, "POST", "/api/orders"));
}

TEST(AuthorizationRules, NamespacesComeFromTheIdentity) {
  const std::vector<config::Rule> rules = {fromOnly({namespaces({"shop", "pay*"})})};
  EXPECT_TRUE(allows(rules, kCheckout));
  EXPECT_TRUE(allows(rules, "cluster.local/ns/payments-eu/sa/x"));
  EXPECT_FALSE(allows(rules, kBatch));
  EXPECT_FALSE(allows(rules, "cluster.local/sa/no-namespace"));
}

TEST(AuthorizationRules, FromAndToAreAnded) {
  const std::vector<config::Rule> rules = {rule({principals({kCheckout})}, {operation({"POST"}, {})})};
  EXPECT_TRUE(allows(rules, kCheckout, "POST"));
  EXPECT_FALSE(allows(rules, kCheckout, "GET"));
  EXPECT_FALSE(allows(rules, kCart, "POST"));
}

TEST(AuthorizationRules, FromEntriesAreOredAndToEntriesAreOred) {
  const std::vector<config::Rule> rules = {
      rule({principals({kCheckout}), namespaces({"batch"})}, {operation({"POST"}, {}), operation({}, {"/read*"})})};
  EXPECT_TRUE(allows(rules, kCheckout, "POST", "/x"));
  EXPECT_TRUE(allows(rules, kBatch, "POST", "/x"));
  EXPECT_TRUE(allows(rules, kBatch, "GET", "/read/1"));
  EXPECT_FALSE(allows(rules, kCart, "POST", "/x"));
  EXPECT_FALSE(allows(rules, kCheckout, "GET", "/x"));
}

TEST(AuthorizationRules, FieldsWithinASourceAreAnded) {
  config::Source s = principals({"*/sa/checkout"});
  s.namespaces = {"shop"};
  const std::vector<config::Rule> rules = {fromOnly({s})};
  EXPECT_TRUE(allows(rules, kCheckout));
  EXPECT_FALSE(allows(rules, "cluster.local/ns/batch/sa/checkout"));
  EXPECT_FALSE(allows(rules, kCart));
}

TEST(AuthorizationRules, RulesAreOred) {
  const std::vector<config::Rule> rules = {fromOnly({principals({kCheckout})}), toOnly({operation({"GET"}, {})})};
  EXPECT_TRUE(allows(rules, kCheckout, "POST"));
  EXPECT_TRUE(allows(rules, kCart, "GET"));
  EXPECT_FALSE(allows(rules, kCart, "POST"));
}

TEST(AuthorizationRules, MethodsAreCaseSensitiveAndSupportWildcards) {
  EXPECT_FALSE(allows({toOnly({operation({"GET"}, {})})}, kCheckout, "get"));
  EXPECT_TRUE(allows({toOnly({operation({"P*"}, {})})}, kCheckout, "PATCH"));
  EXPECT_FALSE(allows({toOnly({operation({"P*"}, {})})}, kCheckout, "GET"));
}

TEST(AuthorizationRules, EmptyRuleMatchesEverythingNoRulesMatchNothing) {
  EXPECT_TRUE(allows(matchAll(), kPlaintext, "DELETE", "/anything"));
  EXPECT_FALSE(allows({}, kCheckout));
}

}  // namespace
}  // namespace meshproof::security
