// Route matching, weighted subset choice and mirroring (Istio VirtualService).
#include "mesh/dataplane/router.h"

namespace meshproof::dataplane {

Router::Router(const config::VirtualService* vs, std::shared_ptr<const void> keepalive)
    : keepalive_(std::move(keepalive)), vs_(vs) {
  default_route_.name = "default";
  default_route_.route = {config::RouteDestination{"", 100}};
}

bool Router::matches(const config::HttpMatch& m, const HttpRequest& request) {
  if (m.uri && !m.uri->matches(&request.path)) return false;
  if (m.method && !m.method->matches(&request.method)) return false;
  for (const auto& [name, condition] : m.headers)
    if (!condition.matches(request.headers.find(name))) return false;
  return true;
}

const config::HttpRoute* Router::match(const HttpRequest& request) const {
  if (vs_ == nullptr) return &default_route_;
  for (const auto& route : vs_->http) {
    if (route.match.empty()) return &route;
    // Istio: the conditions of one match block are ANDed, the blocks ORed.
    for (const auto& m : route.match)
      if (matches(m, request)) return &route;
  }
  return nullptr;
}

const config::RouteDestination& Router::pickDestination(const config::HttpRoute& route, Rng& rng) const {
  if (route.route.size() == 1) return route.route.front();
  int draw = static_cast<int>(rng.below(100));
  for (const auto& destination : route.route) {
    if (draw < destination.weight) return destination;
    draw -= destination.weight;
  }
  return route.route.back();
}

bool Router::shouldMirror(const config::HttpRoute& route, Rng& rng) {
  return route.mirror && rng.chancePercent(route.mirror->percentage);
}

const config::RetryPolicy& Router::retryPolicy(const config::HttpRoute& route) {
  static const config::RetryPolicy istio_default = config::defaultRetryPolicy();
  return route.retries ? *route.retries : istio_default;
}

}  // namespace meshproof::dataplane
