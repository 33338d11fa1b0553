// Tests for the router filter: Istio's first-match-wins rules, match conditions,
// weighted subset splits and mirroring shares.
#include "mesh/dataplane/router.h"

#include <gtest/gtest.h>

namespace meshproof::dataplane {
namespace {

using config::HttpMatch;
using config::HttpRoute;
using config::StringMatch;

StringMatch exact(std::string v) { return {StringMatch::Kind::kExact, std::move(v), std::nullopt}; }
StringMatch prefix(std::string v) { return {StringMatch::Kind::kPrefix, std::move(v), std::nullopt}; }
StringMatch regex(std::string v) { return {StringMatch::Kind::kRegex, v, std::regex(v)}; }
StringMatch present() { return {StringMatch::Kind::kPresent, "", std::nullopt}; }

HttpRoute route(std::string name, std::vector<HttpMatch> match, std::vector<config::RouteDestination> dests) {
  HttpRoute r;
  r.name = std::move(name);
  r.match = std::move(match);
  r.route = std::move(dests);
  return r;
}

HttpRequest request(std::string method, std::string path, Headers headers = {}) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.headers = std::move(headers);
  return r;
}

config::VirtualService checkoutRoutes() {
  config::VirtualService vs;
  vs.service = "checkout";
  HttpMatch beta;
  beta.uri = prefix("/beta");
  beta.headers.push_back({"x-user", exact("tester")});
  vs.http.push_back(route("beta", {beta}, {{"v2", 100}}));
  HttpMatch post;
  post.method = exact("POST");
  post.uri = regex("/orders/[0-9]+");
  vs.http.push_back(route("orders", {post}, {{"v1", 100}}));
  HttpMatch traced;
  traced.headers.push_back({"x-trace", present()});
  vs.http.push_back(route("traced", {traced}, {{"v2", 100}}));
  vs.http.push_back(route("split", {}, {{"v1", 90}, {"v2", 10}}));
  return vs;
}

TEST(Router, FirstMatchingRuleWins) {
  const auto vs = checkoutRoutes();
  Router router(&vs);
  EXPECT_EQ(router.match(request("GET", "/beta/x", {{"x-user", "tester"}}))->name, "beta");
  // Both conditions of one match block must hold.
  EXPECT_EQ(router.match(request("GET", "/beta/x", {{"x-user", "other"}}))->name, "split");
  EXPECT_EQ(router.match(request("GET", "/other", {{"x-user", "tester"}}))->name, "split");
}

TEST(Router, MethodAndRegexUriMustBothMatch) {
  const auto vs = checkoutRoutes();
  Router router(&vs);
  EXPECT_EQ(router.match(request("POST", "/orders/42"))->name, "orders");
  EXPECT_EQ(router.match(request("GET", "/orders/42"))->name, "split");
  // Regex matches the whole path, as RE2 full match in Istio.
  EXPECT_EQ(router.match(request("POST", "/orders/42/items"))->name, "split");
}

TEST(Router, HeaderPresentMatch) {
  const auto vs = checkoutRoutes();
  Router router(&vs);
  EXPECT_EQ(router.match(request("GET", "/", {{"X-Trace", ""}}))->name, "traced");
}

TEST(Router, MatchBlocksAreOred) {
  config::VirtualService vs;
  vs.service = "s";
  HttpMatch a, b;
  a.uri = exact("/a");
  b.uri = exact("/b");
  vs.http.push_back(route("ab", {a, b}, {{"", 100}}));
  Router router(&vs);
  EXPECT_NE(router.match(request("GET", "/a")), nullptr);
  EXPECT_NE(router.match(request("GET", "/b")), nullptr);
  // No catch-all rule: Envoy answers 404 NR.
  EXPECT_EQ(router.match(request("GET", "/c")), nullptr);
}

TEST(Router, WithoutVirtualServiceEverythingTakesTheDefaultRoute) {
  Router router(nullptr);
  const HttpRoute* r = router.match(request("DELETE", "/anything"));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->route.size(), 1u);
  EXPECT_EQ(r->route[0].subset, "");
  // Istio's default retry policy: 2 attempts, connect-failure and 503.
  const auto& retry = Router::retryPolicy(*r);
  EXPECT_EQ(retry.attempts, 2);
  EXPECT_TRUE(retry.retry_on.connect_failure);
  EXPECT_EQ(retry.retry_on.status_codes, std::vector<int>{503});
}

TEST(Router, NinetyTenSplitOverOneHundredThousandDraws) {
  const auto vs = checkoutRoutes();
  Router router(&vs);
  const HttpRoute& split = vs.http.back();
  Rng rng(42);
  int v2 = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) v2 += router.pickDestination(split, rng).subset == "v2";
  EXPECT_NEAR(100.0 * v2 / n, 10.0, 1.0);
  EXPECT_GT(v2, 0);
}

TEST(Router, MirrorShare) {
  HttpRoute r = route("m", {}, {{"v1", 100}});
  r.mirror = config::Mirror{"v2", 5};
  Rng rng(9);
  int mirrored = 0;
  for (int i = 0; i < 100000; ++i) mirrored += Router::shouldMirror(r, rng);
  EXPECT_NEAR(mirrored / 1000.0, 5.0, 0.5);
  r.mirror.reset();
  EXPECT_FALSE(Router::shouldMirror(r, rng));
}

}  // namespace
}  // namespace meshproof::dataplane
