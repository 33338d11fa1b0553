// The `traffic:` section: VirtualService-like routing per destination service
// (matches, weighted routes, timeout, retries, fault injection, mirroring).
#include <algorithm>
#include <map>

#include "mesh/config/retry_on.h"
#include "mesh/config/section_readers.h"

namespace meshproof::config {
namespace {

std::string toLower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  return text;
}

HttpMatch readHttpMatch(const NodeReader& node, Checks checks) {
  node.expectOnly({"uri", "method", "headers"});
  HttpMatch match;
  if (auto uri = node.optional("uri")) match.uri = readStringMatch(*uri, false, checks);
  if (auto method = node.optional("method")) match.method = readStringMatch(*method, false, checks);
  if (auto headers = node.optional("headers")) {
    std::map<std::string, int> line_by_name;
    for (const auto& [name, value] : headers->entries()) {
      const std::string lower = toLower(name);
      if (lower.empty()) headers->fail("a header name must not be empty");
      auto [seen, inserted] = line_by_name.emplace(lower, value.line());
      if (!inserted)
        value.fail("header '" + lower + "' is matched twice (header names are case-insensitive; first at line " +
                   std::to_string(seen->second) + ")");
      match.headers.emplace_back(lower, readStringMatch(value, true, checks));
    }
  }
  return match;
}

std::vector<RouteDestination> readRouteList(const NodeReader& node, Checks checks) {
  const auto items = node.nonEmptyItems();
  std::vector<RouteDestination> route;
  int sum = 0;
  for (const auto& item : items) {
    item.expectOnly({"subset", "weight"});
    RouteDestination destination;
    item.readIfPresent("subset", destination.subset, &NodeReader::asNonEmptyString);
    // Istio: a lone destination takes all traffic; with several, an omitted weight is 0.
    destination.weight = items.size() == 1 ? 100 : 0;
    if (auto weight = item.optional("weight")) destination.weight = static_cast<int>(weight->asIntInRange(0, 100));
    sum += destination.weight;
    route.push_back(destination);
  }
  if (sum != 100 && checks == Checks::kFull) node.fail("weights sum to " + std::to_string(sum) + ", must be 100");
  return route;
}

RetryPolicy readRetries(const NodeReader& node) {
  node.expectOnly({"attempts", "perTryTimeout", "retryOn", "backoff"});
  RetryPolicy policy = defaultRetryPolicy();
  policy.attempts = node.required("attempts").asNonNegativeInt();
  node.readIfPresent("perTryTimeout", policy.per_try_timeout, &NodeReader::asPositiveDuration);
  if (auto retry_on = node.optional("retryOn")) {
    try {
      policy.retry_on = parseRetryOn(retry_on->asString());
    } catch (const ValueError& problem) {
      retry_on->fail(problem.what());
    }
  }
  if (auto backoff = node.optional("backoff")) {
    policy.backoff_base = backoff->asPositiveDuration();
    if (policy.backoff_base > kNever / 10) backoff->fail("is too large");
    policy.backoff_max = 10 * policy.backoff_base;  // Envoy: max_interval defaults to 10 x base
  }
  return policy;
}

FaultPolicy readFault(const NodeReader& node) {
  node.expectOnly({"delay", "abort"});
  FaultPolicy fault;
  if (auto delay = node.optional("delay")) {
    delay->expectOnly({"fixedDelay", "percentage"});
    FaultDelay value;
    value.fixed_delay = delay->required("fixedDelay").asDuration();
    value.percentage = delay->required("percentage").asPercentage();
    fault.delay = value;
  }
  if (auto abort = node.optional("abort")) {
    abort->expectOnly({"httpStatus", "percentage"});
    FaultAbort value;
    value.http_status = static_cast<int>(abort->required("httpStatus").asIntInRange(200, 599));
    value.percentage = abort->required("percentage").asPercentage();
    fault.abort = value;
  }
  if (!fault.delay && !fault.abort) node.fail("give a delay, an abort, or both");
  return fault;
}

Mirror readMirror(const NodeReader& node) {
  node.expectOnly({"subset", "percentage"});
  Mirror mirror;
  node.readIfPresent("subset", mirror.subset, &NodeReader::asNonEmptyString);
  node.readIfPresent("percentage", mirror.percentage, &NodeReader::asPercentage);
  return mirror;
}

HttpRoute readHttpRoute(const NodeReader& node, const std::string& service, std::size_t index, Checks checks) {
  node.expectOnly({"name", "match", "route", "timeout", "retries", "fault", "mirror"});
  HttpRoute route;
  route.name = service + "." + std::to_string(index);
  node.readIfPresent("name", route.name, &NodeReader::asNonEmptyString);
  if (auto match = node.optional("match"))
    for (const auto& item : match->items()) route.match.push_back(readHttpMatch(item, checks));
  route.route = readRouteList(node.required("route"), checks);
  node.readIfPresent("timeout", route.timeout, &NodeReader::asDuration);
  if (auto retries = node.optional("retries")) route.retries = readRetries(*retries);
  if (auto fault = node.optional("fault")) route.fault = readFault(*fault);
  if (auto mirror = node.optional("mirror")) route.mirror = readMirror(*mirror);
  return route;
}

VirtualService readVirtualService(const NodeReader& node, Checks checks) {
  node.expectOnly({"service", "http"});
  VirtualService vs;
  vs.service = node.required("service").asNonEmptyString();
  std::map<std::string, int> line_by_route_name;
  std::size_t index = 0;
  for (const auto& item : node.required("http").nonEmptyItems()) {
    HttpRoute route = readHttpRoute(item, vs.service, index++, checks);
    auto [seen, inserted] = line_by_route_name.emplace(route.name, item.line());
    if (!inserted)
      item.fail("duplicate route name \"" + route.name + "\" (first at line " + std::to_string(seen->second) + ")");
    vs.http.push_back(std::move(route));
  }
  return vs;
}

}  // namespace

std::vector<VirtualService> readTraffic(const NodeReader& node, Checks checks) {
  std::vector<VirtualService> traffic;
  std::map<std::string, int> line_by_service;
  for (const auto& item : node.items()) {
    VirtualService vs = readVirtualService(item, checks);
    const NodeReader service = item.required("service");
    auto [seen, inserted] = line_by_service.emplace(vs.service, service.line());
    if (!inserted)
      service.fail("duplicate traffic entry for service \"" + vs.service + "\" (first at line " +
                   std::to_string(seen->second) + ")");
    traffic.push_back(std::move(vs));
  }
  return traffic;
}

}  // namespace meshproof::config
