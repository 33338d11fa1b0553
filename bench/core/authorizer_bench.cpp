// Benchmarks for security::Authorizer::evaluate with 1,000 policies selecting the workload
// (payments in namespace shop):
//   - 1,000 ALLOW policies, one per caller principal; an mTLS caller matched by the last one,
//     an mTLS caller matched by none (403), and a plaintext caller (never matches principals:
//     403 after every policy);
//   - a mix of 500 DENY and 500 ALLOW policies: an mTLS caller allowed by the last ALLOW, a
//     plaintext caller allowed by the last ALLOW's path-only rule, and an mTLS caller denied
//     by the last DENY.
// Policies are built and compiled outside the timed loop; evaluate() does not allocate.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "mesh/security/authorizer.h"

namespace meshproof::security {
namespace {

constexpr int kPolicyCount = 1000;

std::string clientPrincipal(int i) { return "cluster.local/ns/shop/sa/client-" + std::to_string(i); }
std::string batchPrincipal(int i) { return "cluster.local/ns/batch/sa/job-" + std::to_string(i); }

config::AuthorizationPolicy selectingPayments(std::string name, config::AuthzAction action) {
  config::AuthorizationPolicy p;
  p.name = std::move(name);
  p.service = "payments";
  p.namespace_ = "shop";
  p.action = action;
  return p;
}

// ALLOW i: from principal client-i, to GET/POST /api/*.
std::vector<config::AuthorizationPolicy> thousandAllows() {
  std::vector<config::AuthorizationPolicy> out;
  for (int i = 0; i < kPolicyCount; ++i) {
    auto p = selectingPayments("allow-client-" + std::to_string(i), config::AuthzAction::kAllow);
    config::Rule r;
    config::Source s;
    s.principals = {clientPrincipal(i)};
    r.from.push_back(s);
    config::Operation o;
    o.methods = {"GET", "POST"};
    o.paths = {"/api/*"};
    r.to.push_back(o);
    p.rules.push_back(r);
    out.push_back(std::move(p));
  }
  return out;
}

// Even i: DENY from principal job-i to /admin/*. Odd i: ALLOW as above. The last ALLOW also
// has a rule that admits anyone (plaintext included) to /public/*.
std::vector<config::AuthorizationPolicy> denyAllowMix() {
  std::vector<config::AuthorizationPolicy> out;
  for (int i = 0; i < kPolicyCount; ++i) {
    const bool deny = i % 2 == 0;
    auto p = selectingPayments((deny ? "deny-job-" : "allow-client-") + std::to_string(i),
                               deny ? config::AuthzAction::kDeny : config::AuthzAction::kAllow);
    config::Rule r;
    config::Source s;
    s.principals = {deny ? batchPrincipal(i) : clientPrincipal(i)};
    r.from.push_back(s);
    config::Operation o;
    if (!deny) o.methods = {"GET", "POST"};
    o.paths = {deny ? "/admin/*" : "/api/*"};
    r.to.push_back(o);
    p.rules.push_back(r);
    if (i == kPolicyCount - 1) {
      config::Rule open;
      config::Operation pub;
      pub.paths = {"/public/*"};
      open.to.push_back(pub);
      p.rules.push_back(open);
    }
    out.push_back(std::move(p));
  }
  return out;
}

void runEvaluate(benchmark::State& state, const std::vector<config::AuthorizationPolicy>& policies,
                 const std::string& principal, const std::string& method, const std::string& path,
                 bool expect_allowed) {
  const Authorizer authorizer(policies, "shop", "payments");
  const AuthzRequest request = AuthzRequest::fromPeer(principal, method, path);
  if (authorizer.evaluate(request).allowed != expect_allowed) {
    state.SkipWithError("unexpected decision");
    return;
  }
  for (auto _ : state) {
    AuthzDecision d = authorizer.evaluate(request);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["deny_policies"] = static_cast<double>(authorizer.denyPolicyCount());
  state.counters["allow_policies"] = static_cast<double>(authorizer.allowPolicyCount());
}

void BM_Authz1000Allow_MtlsMatchLast(benchmark::State& state) {
  runEvaluate(state, thousandAllows(), clientPrincipal(kPolicyCount - 1), "POST", "/api/pay?x=1", true);
}
BENCHMARK(BM_Authz1000Allow_MtlsMatchLast);

void BM_Authz1000Allow_MtlsNoMatch(benchmark::State& state) {
  runEvaluate(state, thousandAllows(), "cluster.local/ns/shop/sa/stranger", "POST", "/api/pay", false);
}
BENCHMARK(BM_Authz1000Allow_MtlsNoMatch);

void BM_Authz1000Allow_Plaintext(benchmark::State& state) {
  runEvaluate(state, thousandAllows(), "", "POST", "/api/pay", false);
}
BENCHMARK(BM_Authz1000Allow_Plaintext);

void BM_Authz500Deny500Allow_MtlsAllowedByLast(benchmark::State& state) {
  runEvaluate(state, denyAllowMix(), clientPrincipal(kPolicyCount - 1), "POST", "/api/pay", true);
}
BENCHMARK(BM_Authz500Deny500Allow_MtlsAllowedByLast);

void BM_Authz500Deny500Allow_PlaintextAllowedByLast(benchmark::State& state) {
  runEvaluate(state, denyAllowMix(), "", "GET", "/public/index.html", true);
}
BENCHMARK(BM_Authz500Deny500Allow_PlaintextAllowedByLast);

void BM_Authz500Deny500Allow_MtlsDeniedByLastDeny(benchmark::State& state) {
  runEvaluate(state, denyAllowMix(), batchPrincipal(kPolicyCount - 2), "DELETE", "/admin/users", false);
}
BENCHMARK(BM_Authz500Deny500Allow_MtlsDeniedByLastDeny);

}  // namespace
}  // namespace meshproof::security
