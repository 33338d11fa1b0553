// The router filter: Istio VirtualService semantics for one destination service.
// The first http rule whose match list matches wins (a rule without matches matches
// everything); the rule's weighted destinations pick a subset; the mirror, if any,
// receives a copy of a share of the requests.
#pragma once
#include <memory>
#include <string>

#include "mesh/config/model.h"
#include "mesh/core/http.h"
#include "mesh/core/rng.h"

namespace meshproof::dataplane {

class Router {
 public:
  // `vs` may be null: the service has no traffic entry, so every request takes a
  // default route over all instances with Istio's default retry policy.
  // `keepalive` owns what `vs` points into (a configuration snapshot): a router taken by
  // a request in flight keeps its routes valid after a newer snapshot replaced them.
  explicit Router(const config::VirtualService* vs, std::shared_ptr<const void> keepalive = nullptr);

  // The winning rule, or nullptr when a VirtualService exists and no rule matches
  // (Envoy answers 404 with flag NR).
  const config::HttpRoute* match(const HttpRequest& request) const;

  // Weighted pick over the rule's destinations (weights sum to 100).
  const config::RouteDestination& pickDestination(const config::HttpRoute& route, Rng& rng) const;

  // Whether this request is also copied to the rule's mirror subset.
  static bool shouldMirror(const config::HttpRoute& route, Rng& rng);

  // The retry policy in force for a rule: its own or Istio's default.
  static const config::RetryPolicy& retryPolicy(const config::HttpRoute& route);

 private:
  static bool matches(const config::HttpMatch& m, const HttpRequest& request);
  std::shared_ptr<const void> keepalive_;
  const config::VirtualService* vs_;
  config::HttpRoute default_route_;
};

}  // namespace meshproof::dataplane
