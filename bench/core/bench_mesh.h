// A small, realistic mesh shared by the per-request decision and sidecar benchmarks:
// checkout (shop) calls payments (shop, 30 instances: 27 v1 + 3 v2 over three zones).
// payments has a 5-rule VirtualService; the benchmark request (POST /api/pay) matches the
// 3rd rule, which splits 90/10 over v1/v2, carries a 0% delay and 0% abort fault (so both
// draws run) and a retry policy. The DestinationRule is LEAST_REQUEST with outlier
// detection. payments admits callers through 1 DENY and 4 ALLOW policies; checkout is
// allowed by the 3rd ALLOW.
#pragma once
#include <string>

#include "mesh/config/model.h"
#include "mesh/core/http.h"
#include "mesh/dataplane/service_directory.h"

namespace meshproof::bench {

inline constexpr int kPaymentsInstances = 30;
inline constexpr const char* kCheckoutPrincipal = "cluster.local/ns/shop/sa/checkout";
inline constexpr const char* kCheckoutSpiffe = "spiffe://cluster.local/ns/shop/sa/checkout";

inline config::StringMatch exact(std::string v) {
  return config::StringMatch{config::StringMatch::Kind::kExact, std::move(v), std::nullopt};
}
inline config::StringMatch prefix(std::string v) {
  return config::StringMatch{config::StringMatch::Kind::kPrefix, std::move(v), std::nullopt};
}

inline config::VirtualService paymentsRoutes() {
  config::VirtualService vs;
  vs.service = "payments";
  {  // 1: debug traffic to v2
    config::HttpRoute r;
    r.name = "payments.debug";
    config::HttpMatch m;
    m.uri = prefix("/admin");
    m.headers.push_back({"x-debug", exact("1")});
    r.match.push_back(m);
    r.route = {{"v2", 100}};
    vs.http.push_back(r);
  }
  {  // 2: canary users to v2
    config::HttpRoute r;
    r.name = "payments.canary-users";
    config::HttpMatch m;
    m.headers.push_back({"x-canary", exact("true")});
    r.match.push_back(m);
    r.route = {{"v2", 100}};
    vs.http.push_back(r);
  }
  {  // 3: the API, 90/10 split, 0% faults, retries (the benchmark request lands here)
    config::HttpRoute r;
    r.name = "payments.api";
    config::HttpMatch m;
    m.uri = prefix("/api/");
    m.method = exact("POST");
    r.match.push_back(m);
    config::HttpMatch m2;
    m2.uri = prefix("/api/");
    m2.method = exact("GET");
    r.match.push_back(m2);
    r.route = {{"v1", 90}, {"v2", 10}};
    config::FaultPolicy f;
    f.delay = config::FaultDelay{100 * kMillisecond, 0.0};
    f.abort = config::FaultAbort{503, 0.0};
    r.fault = f;
    config::RetryPolicy retry;
    retry.attempts = 2;
    retry.retry_on.gateway_error = true;
    retry.retry_on.connect_failure = true;
    retry.retry_on.reset = true;
    r.retries = retry;
    vs.http.push_back(r);
  }
  {  // 4: health checks
    config::HttpRoute r;
    r.name = "payments.health";
    config::HttpMatch m;
    m.uri = exact("/healthz");
    r.match.push_back(m);
    r.route = {{"v1", 100}};
    vs.http.push_back(r);
  }
  {  // 5: everything else
    config::HttpRoute r;
    r.name = "payments.default";
    r.route = {{"v1", 100}};
    vs.http.push_back(r);
  }
  return vs;
}

inline config::AuthorizationPolicy paymentsPolicy(std::string name, config::AuthzAction action) {
  config::AuthorizationPolicy p;
  p.name = std::move(name);
  p.service = "payments";
  p.namespace_ = "shop";
  p.action = action;
  return p;
}

inline config::MeshConfig benchMeshConfig() {
  config::MeshConfig c;
  c.mesh.trust_domain = "cluster.local";
  c.traffic.push_back(paymentsRoutes());

  config::DestinationRule dr;
  dr.service = "payments";
  dr.load_balancer = config::LbPolicy::kLeastRequest;
  dr.outlier_detection = config::OutlierDetection{};
  c.destinations.push_back(dr);

  {  // DENY the batch namespace on /admin/*
    auto p = paymentsPolicy("deny-batch-admin", config::AuthzAction::kDeny);
    config::Rule r;
    config::Source s;
    s.namespaces = {"batch"};
    r.from.push_back(s);
    config::Operation o;
    o.paths = {"/admin/*"};
    r.to.push_back(o);
    p.rules.push_back(r);
    c.security.authorization.push_back(p);
  }
  const auto allowFrom = [&c](std::string name, std::string principal, std::vector<std::string> methods,
                              std::vector<std::string> paths) {
    auto p = paymentsPolicy(std::move(name), config::AuthzAction::kAllow);
    config::Rule r;
    config::Source s;
    s.principals = {std::move(principal)};
    r.from.push_back(s);
    config::Operation o;
    o.methods = std::move(methods);
    o.paths = std::move(paths);
    r.to.push_back(o);
    p.rules.push_back(r);
    c.security.authorization.push_back(p);
  };
  allowFrom("allow-frontend", "cluster.local/ns/web/sa/frontend", {"GET"}, {"/api/*"});
  allowFrom("allow-cart", "cluster.local/ns/shop/sa/cart", {"GET", "POST"}, {"/api/cart/*"});
  allowFrom("allow-checkout", kCheckoutPrincipal, {"POST", "GET"}, {"/api/*"});
  allowFrom("allow-prometheus", "cluster.local/ns/monitoring/sa/prometheus", {"GET"}, {"/metrics"});
  return c;
}

inline dataplane::ServiceDirectory benchDirectory() {
  dataplane::ServiceDirectory d;
  dataplane::ServiceInfo payments;
  payments.name = "payments";
  payments.namespace_ = "shop";
  static const char* const kZones[] = {"zone-a", "zone-b", "zone-c"};
  for (int i = 0; i < kPaymentsInstances; ++i) {
    const std::string subset = i < kPaymentsInstances - 3 ? "v1" : "v2";
    payments.endpoints.push_back(
        Endpoint{"payments-" + subset + "-" + std::to_string(i), "payments", subset, kZones[i % 3]});
  }
  d.add(payments);
  dataplane::ServiceInfo checkout;
  checkout.name = "checkout";
  checkout.namespace_ = "shop";
  checkout.endpoints = {Endpoint{"checkout-v1-0", "checkout", "v1", "zone-a"}};
  d.add(checkout);
  return d;
}

// The request checkout's app sends: matches rule 3 of paymentsRoutes().
inline HttpRequest benchRequest() {
  HttpRequest r;
  r.method = "POST";
  r.path = "/api/pay";
  r.authority = "payments";
  r.headers.set("content-type", "application/json");
  r.headers.set("x-user", "user-1234");
  r.headers.set("user-agent", "checkout/1.0");
  return r;
}

}  // namespace meshproof::bench
