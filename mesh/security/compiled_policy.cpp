// Compilation of AuthorizationPolicy rules and their per-request matching.
#include "mesh/security/compiled_policy.h"

namespace meshproof::security {
namespace {

// An mTLS-only field (principals, namespaces): false for a plaintext peer.
bool identityFieldMatches(const IstioStringMatchList& list, std::string_view authenticated_value) {
  return !authenticated_value.empty() && list.anyMatches(authenticated_value);
}

}  // namespace

CompiledSource::CompiledSource(const config::Source& source)
    : principals(source.principals),
      not_principals(source.not_principals),
      namespaces(source.namespaces),
      not_namespaces(source.not_namespaces) {}

bool CompiledSource::matches(const AuthzRequest& request) const {
  if (!principals.empty() && !identityFieldMatches(principals, request.principal)) return false;
  if (!not_principals.empty() && identityFieldMatches(not_principals, request.principal)) return false;
  // A plaintext peer has no namespace; an authenticated one without "/ns/<ns>/" neither.
  const std::string_view ns = request.principal.empty() ? std::string_view{} : request.source_namespace;
  if (!namespaces.empty() && !identityFieldMatches(namespaces, ns)) return false;
  if (!not_namespaces.empty() && identityFieldMatches(not_namespaces, ns)) return false;
  return true;
}

CompiledOperation::CompiledOperation(const config::Operation& operation)
    : methods(operation.methods),
      not_methods(operation.not_methods),
      paths(operation.paths),
      not_paths(operation.not_paths) {}

bool CompiledOperation::matches(std::string_view method, std::string_view path) const {
  if (!methods.empty() && !methods.anyMatches(method)) return false;
  if (!not_methods.empty() && not_methods.anyMatches(method)) return false;
  if (!paths.empty() && !paths.anyMatches(path)) return false;
  if (!not_paths.empty() && not_paths.anyMatches(path)) return false;
  return true;
}

CompiledRule::CompiledRule(const config::Rule& rule) {
  from.reserve(rule.from.size());
  for (const auto& s : rule.from) from.emplace_back(s);
  to.reserve(rule.to.size());
  for (const auto& o : rule.to) to.emplace_back(o);
}

bool CompiledRule::matches(const AuthzRequest& request, std::string_view path) const {
  bool source_ok = from.empty();
  for (const auto& s : from)
    if (s.matches(request)) {
      source_ok = true;
      break;
    }
  if (!source_ok) return false;
  if (to.empty()) return true;
  for (const auto& o : to)
    if (o.matches(request.method, path)) return true;
  return false;
}

CompiledPolicy::CompiledPolicy(const config::AuthorizationPolicy& policy)
    : name(policy.name), action(policy.action) {
  rules.reserve(policy.rules.size());
  for (const auto& r : policy.rules) rules.emplace_back(r);
}

bool CompiledPolicy::matches(const AuthzRequest& request, std::string_view path) const {
  for (const auto& r : rules)
    if (r.matches(request, path)) return true;
  return false;
}

std::string_view urlPathOf(std::string_view path) {
  const std::size_t end = path.find_first_of("?#");
  return end == std::string_view::npos ? path : path.substr(0, end);
}

}  // namespace meshproof::security
