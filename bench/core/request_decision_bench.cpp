// The whole per-request decision, composed from the core's parts in the order the
// sidecar runs them (sidecar.cpp), without the sidecar's bookkeeping around them:
//   authz evaluate (5 policies, allowed by the 3rd ALLOW)
//   -> Router::match (5 rules, the request matches the 3rd) -> pickDestination (90/10)
//   -> shouldMirror -> decideFault (0% delay and 0% abort: both draws run)
//   -> retry policy lookup -> LoadBalancer::choose (LEAST_REQUEST over the subset of 30 hosts)
//   -> connection pool newRequest + pollAction (Dispatch on a warm idle connection; the
//      circuit breakers are checked inside) -> host onRequestStart
//   -> the answer: onRequestEnd, outlier detection recordResponse, pool requestFinished,
//      isRetriable on the outcome.
// The DestinationCluster is the one the sidecar uses (balancer lookup by subset included).
// Target: under 1 µs median.
#include <benchmark/benchmark.h>

#include "bench_mesh.h"
#include "mesh/dataplane/destination_cluster.h"
#include "mesh/dataplane/fault_filter.h"
#include "mesh/dataplane/retry_policy.h"
#include "mesh/security/authorizer.h"

namespace meshproof::dataplane {
namespace {

// Gives every host of the cluster one idle, established connection.
bool warmPool(DestinationCluster& cluster, TimeNs now) {
  auto& pool = cluster.upstream().pool();
  for (lb::HostIndex h = 0; h < cluster.hosts().size(); ++h) {
    pool.newRequest(h, now);
    upstream::PoolAction a;
    upstream::ConnectionId connection = 0;
    while (pool.pollAction(a))
      if (auto* open = std::get_if<upstream::OpenConnection>(&a)) connection = open->connection_id;
    if (connection == 0) return false;
    pool.connectionEstablished(connection, now);
    bool dispatched = false;
    while (pool.pollAction(a)) dispatched |= std::holds_alternative<upstream::Dispatch>(a);
    if (!dispatched) return false;
    pool.requestFinished(connection, now);
    while (pool.pollAction(a)) {
    }
    if (pool.idleConnectionCount(h) != 1) return false;
  }
  return true;
}

void BM_RequestDecision(benchmark::State& state) {
  const auto shared_config = std::make_shared<const config::MeshConfig>(bench::benchMeshConfig());
  const config::MeshConfig& config = *shared_config;
  const ServiceDirectory directory = bench::benchDirectory();
  NullSink sink;
  TimeNs now = 1 * kSecond;
  const Rng sidecar_rng = Rng(42).fork("checkout-v1-0");
  DestinationCluster cluster(0, *directory.find("payments"), shared_config, "checkout-v1-0", "zone-a", sidecar_rng, sink, now);
  const security::Authorizer authorizer(config.security.authorization, "shop", "payments");
  Rng route_rng = sidecar_rng.fork("route");
  const HttpRequest request = bench::benchRequest();
  const std::string principal = bench::kCheckoutPrincipal;

  if (!warmPool(cluster, now)) {
    state.SkipWithError("could not warm the pool");
    return;
  }
  // Build both subsets' balancers (their first use allocates).
  cluster.balancer("v1");
  cluster.balancer("v2");

  // The composition must take the intended path: allowed by a policy, the 3rd rule.
  const security::AuthzDecision check =
      authorizer.evaluate(security::AuthzRequest::fromPeer(principal, request.method, request.path));
  const config::HttpRoute* check_route = cluster.router().match(request);
  if (!check.allowed || check.policy != "allow-checkout" || check_route == nullptr ||
      check_route->name != "payments.api") {
    state.SkipWithError("the request does not take the intended path");
    return;
  }

  auto& pool = cluster.upstream().pool();
  std::uint64_t not_dispatched = 0;
  std::uint64_t retriable = 0;
  for (auto _ : state) {
    // Inbound authorization, as the sidecar asks it.
    const auto authz_request = security::AuthzRequest::fromPeer(principal, request.method, request.path);
    const security::AuthzDecision decision = authorizer.evaluate(authz_request);
    benchmark::DoNotOptimize(decision);
    // Router, split, mirror, fault.
    const config::HttpRoute* route = cluster.router().match(request);
    const config::RouteDestination& destination = cluster.router().pickDestination(*route, route_rng);
    const bool mirror = Router::shouldMirror(*route, route_rng);
    benchmark::DoNotOptimize(mirror);
    const FaultDecision fault = decideFault(*route->fault, route_rng);
    benchmark::DoNotOptimize(fault);
    const config::RetryPolicy& retry = Router::retryPolicy(*route);
    // Load balancer.
    lb::PickRequest pick;
    pick.now = now;
    pick.headers = &request.headers;
    const std::optional<lb::HostIndex> host = cluster.balancer(destination.subset).choose(pick);
    // Connection pool and circuit breakers: a warm idle connection, dispatched at once.
    pool.newRequest(*host, now);
    upstream::PoolAction action;
    upstream::ConnectionId connection = 0;
    while (pool.pollAction(action))
      if (auto* d = std::get_if<upstream::Dispatch>(&action)) connection = d->connection_id;
    if (connection == 0) ++not_dispatched;
    cluster.hosts().onRequestStart(*host, now);
    // The answer comes back 1 ms later.
    const TimeNs sent = now;
    now += 1 * kMillisecond;
    cluster.hosts().onRequestEnd(*host, now - sent, now);
    cluster.recordResponse(*host, 200, now);
    pool.requestFinished(connection, now);
    while (pool.pollAction(action)) {
    }
    const AttemptOutcome outcome = AttemptOutcome::response(200);
    retriable += isRetriable(retry.retry_on, outcome) ? 1 : 0;
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["not_dispatched"] = static_cast<double>(not_dispatched);
  state.counters["retriable"] = static_cast<double>(retriable);
}
BENCHMARK(BM_RequestDecision);

}  // namespace
}  // namespace meshproof::dataplane
