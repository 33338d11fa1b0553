// Benchmarks for the router: first-match over 1,000 rules (the request matches the
// last one, the worst case) and the weighted subset pick.
#include <benchmark/benchmark.h>

#include "mesh/dataplane/router.h"

namespace meshproof::dataplane {
namespace {

config::VirtualService thousandRoutes() {
  config::VirtualService vs;
  vs.service = "checkout";
  for (int i = 0; i < 1000; ++i) {
    config::HttpRoute r;
    r.name = "r" + std::to_string(i);
    config::HttpMatch m;
    m.uri = config::StringMatch{config::StringMatch::Kind::kPrefix, "/api/v1/resource-" + std::to_string(i) + "/",
                                std::nullopt};
    m.headers.push_back({"x-tenant", config::StringMatch{config::StringMatch::Kind::kExact, "tenant-" +
                                                                                             std::to_string(i),
                                                         std::nullopt}});
    r.match.push_back(std::move(m));
    r.route = {{"v1", 90}, {"v2", 10}};
    vs.http.push_back(std::move(r));
  }
  return vs;
}

void BM_RouteMatch1000Rules(benchmark::State& state) {
  const auto vs = thousandRoutes();
  Router router(&vs);
  HttpRequest req;
  req.method = "GET";
  req.path = "/api/v1/resource-999/items/7";
  req.headers.set("x-tenant", "tenant-999");
  for (auto _ : state) {
    const config::HttpRoute* r = router.match(req);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_RouteMatch1000Rules);

void BM_WeightedSubsetPick(benchmark::State& state) {
  const auto vs = thousandRoutes();
  Router router(&vs);
  Rng rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(&router.pickDestination(vs.http[0], rng));
}
BENCHMARK(BM_WeightedSubsetPick);

}  // namespace
}  // namespace meshproof::dataplane
