// Small builders for AuthorizationPolicy values, so tests read like the Istio YAML
// they transcribe.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "mesh/config/model.h"

namespace meshproof::security::test_policies {

inline config::AuthorizationPolicy policy(std::string name, config::AuthzAction action,
                                          std::vector<config::Rule> rules, std::string service = "",
                                          std::string namespace_ = "") {
  config::AuthorizationPolicy p;
  p.name = std::move(name);
  p.action = action;
  p.rules = std::move(rules);
  p.service = std::move(service);
  p.namespace_ = std::move(namespace_);
  return p;
}

inline config::Source principals(std::vector<std::string> values) {
  config::Source s;
  s.principals = std::move(values);
  return s;
}
inline config::Source notPrincipals(std::vector<std::string> values) {
  config::Source s;
  s.not_principals = std::move(values);
  return s;
}
inline config::Source namespaces(std::vector<std::string> values) {
  config::Source s;
  s.namespaces = std::move(values);
  return s;
}
inline config::Source notNamespaces(std::vector<std::string> values) {
  config::Source s;
  s.not_namespaces = std::move(values);
  return s;
}
inline config::Operation operation(std::vector<std::string> methods, std::vector<std::string> paths) {
  config::Operation o;
  o.methods = std::move(methods);
  o.paths = std::move(paths);
  return o;
}
inline config::Operation notPaths(std::vector<std::string> values) {
  config::Operation o;
  o.not_paths = std::move(values);
  return o;
}
inline config::Operation notMethods(std::vector<std::string> values) {
  config::Operation o;
  o.not_methods = std::move(values);
  return o;
}

inline config::Rule rule(std::vector<config::Source> from, std::vector<config::Operation> to) {
  return config::Rule{std::move(from), std::move(to)};
}
inline config::Rule fromOnly(std::vector<config::Source> from) { return rule(std::move(from), {}); }
inline config::Rule toOnly(std::vector<config::Operation> to) { return rule({}, std::move(to)); }
// `rules: [{}]`: matches every request.
inline std::vector<config::Rule> matchAll() { return {config::Rule{}}; }

inline constexpr const char* kCheckout = "cluster.local/ns/shop/sa/checkout";
inline constexpr const char* kCart = "cluster.local/ns/shop/sa/cart";
inline constexpr const char* kBatch = "cluster.local/ns/batch/sa/nightly";
inline constexpr const char* kPlaintext = "";

}  // namespace meshproof::security::test_policies
