// Authorization and the peer's SPIFFE ID check run per request: neither may allocate.
// Counts global operator new calls around many evaluations over a large policy set.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>

#include "mesh/security/authorizer.h"
#include "mesh/security/spiffe_id.h"
#include "policy_builders.h"

namespace {
std::size_t g_allocations = 0;
}

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace meshproof::security {
namespace {

using namespace test_policies;
using config::AuthzAction;

TEST(AuthorizerAllocation, EvaluateDoesNotAllocate) {
  std::vector<config::AuthorizationPolicy> policies;
  for (int i = 0; i < 1000; ++i) {
    const std::string n = std::to_string(i);
    config::Source s = principals({"cluster.local/ns/team" + n + "/sa/*", "*/sa/robot" + n});
    s.not_namespaces = {"quarantine" + n};
    config::Operation o = operation({"GET", "POST"}, {"/v" + n + "/*"});
    o.not_paths = {"*.secret"};
    const AuthzAction action = i % 3 == 0 ? AuthzAction::kDeny : i % 3 == 1 ? AuthzAction::kAllow : AuthzAction::kAudit;
    policies.push_back(policy("p" + n, action, {rule({s}, {o})}, "", "shop"));
  }
  const Authorizer authz(policies, "shop", "payments");
  ASSERT_EQ(authz.denyPolicyCount() + authz.allowPolicyCount() + authz.auditPolicyCount(), 1000u);

  const AuthzRequest requests[] = {
      AuthzRequest::fromPeer(kCheckout, "GET", "/v1/orders?x=1"),
      AuthzRequest::fromPeer("cluster.local/ns/team997/sa/x", "POST", "/v997/pay"),
      AuthzRequest::fromPeer(kPlaintext, "DELETE", "/"),
  };
  bool any_allowed = false;
  bool any_denied = false;
  const std::size_t before = g_allocations;
  for (int round = 0; round < 100; ++round)
    for (const auto& r : requests) {
      const AuthzDecision d = authz.evaluate(r);
      any_allowed |= d.allowed;
      any_denied |= !d.allowed;
    }
  EXPECT_EQ(g_allocations - before, 0u);
  EXPECT_TRUE(any_allowed);
  EXPECT_TRUE(any_denied);
}

TEST(AuthorizerAllocation, CheckingAWellFormedSpiffeIdDoesNotAllocate) {
  const std::string uri = "spiffe://cluster.local/ns/a-long-namespace-name/sa/a-long-service-account";
  const std::size_t before = g_allocations;
  std::size_t bad = 0;
  for (int round = 0; round < 100; ++round) bad += spiffeIdError(uri).size();
  EXPECT_EQ(g_allocations - before, 0u);
  EXPECT_EQ(bad, 0u);
}

}  // namespace
}  // namespace meshproof::security
