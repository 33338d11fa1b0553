// Apply-time validation of a configuration snapshot (Envoy's NACK conditions).
#include "mesh/dataplane/config_validation.h"

#include <algorithm>

#include "mesh/config/re2_syntax.h"

namespace meshproof::dataplane {
namespace {

bool hasSubset(const ServiceInfo& service, const std::string& subset) {
  return std::any_of(service.endpoints.begin(), service.endpoints.end(),
                     [&](const Endpoint& e) { return e.subset == subset; });
}

std::optional<std::string> regexProblem(const std::optional<config::StringMatch>& match) {
  if (!match || match->kind != config::StringMatch::Kind::kRegex) return std::nullopt;
  if (auto problem = config::re2Unsupported(match->value)) return "regex \"" + match->value + "\": " + *problem;
  return std::nullopt;
}

std::optional<std::string> routeProblem(const config::HttpRoute& route, const ServiceInfo& service) {
  int sum = 0;
  for (const auto& destination : route.route) {
    sum += destination.weight;
    if (!destination.subset.empty() && !hasSubset(service, destination.subset))
      return "route: subset \"" + destination.subset + "\" is not a version of " + service.name;
  }
  if (sum != 100) return "route: weights sum to " + std::to_string(sum) + ", must be 100";
  if (route.mirror && !route.mirror->subset.empty() && !hasSubset(service, route.mirror->subset))
    return "mirror: subset \"" + route.mirror->subset + "\" is not a version of " + service.name;
  for (const auto& match : route.match) {
    if (auto p = regexProblem(match.uri)) return "match.uri: " + *p;
    if (auto p = regexProblem(match.method)) return "match.method: " + *p;
    for (const auto& [name, condition] : match.headers)
      if (auto p = regexProblem(std::optional<config::StringMatch>(condition))) return "match.headers." + name + ": " + *p;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> configRejection(const config::MeshConfig& config, const ServiceDirectory& directory) {
  for (const auto& vs : config.traffic) {
    const ServiceInfo* service = directory.find(vs.service);
    const std::string where = "traffic[" + vs.service + "]";
    if (service == nullptr) return where + ": unknown service";
    for (std::size_t i = 0; i < vs.http.size(); ++i)
      if (auto problem = routeProblem(vs.http[i], *service))
        return where + ".http[" + std::to_string(i) + "]." + *problem;
  }
  for (const auto& rule : config.destinations)
    if (directory.find(rule.service) == nullptr) return "destinations[" + rule.service + "]: unknown service";
  return std::nullopt;
}

}  // namespace meshproof::dataplane
