// One AuthorizationPolicy compiled for per-request matching: every string pattern is
// turned into an IstioStringMatch once, so matching is comparisons only.
// Matching semantics (istio.io/docs/reference/config/security/authorization-policy):
//   policy: any rule matches (no rules: matches nothing);
//   rule: (no `from` or any source matches) AND (no `to` or any operation matches);
//   source / operation: every field that is set matches (values within a field OR'd);
//   not* fields: the value matches none of them.
// principals/namespaces are mTLS-only: a plaintext peer never matches `principals` or
// `namespaces` (even "*") and always satisfies `notPrincipals` / `notNamespaces`
// (Envoy's Authenticated principal is false without TLS, and Istio wraps not* in
// not_id; ISTIO-SECURITY-2021-004: "notNamespaces will be compared to an empty value",
// "`*` implies non-empty and `not *` implies empty").
#pragma once
#include <string>
#include <vector>

#include "mesh/config/model.h"
#include "mesh/security/authz_types.h"
#include "mesh/security/istio_string_match.h"

namespace meshproof::security {

struct CompiledSource {
  IstioStringMatchList principals, not_principals;
  IstioStringMatchList namespaces, not_namespaces;

  explicit CompiledSource(const config::Source& source);
  bool matches(const AuthzRequest& request) const;
};

struct CompiledOperation {
  IstioStringMatchList methods, not_methods;
  IstioStringMatchList paths, not_paths;

  explicit CompiledOperation(const config::Operation& operation);
  // `path` is the request path without query or fragment.
  bool matches(std::string_view method, std::string_view path) const;
};

struct CompiledRule {
  std::vector<CompiledSource> from;   // empty: any source
  std::vector<CompiledOperation> to;  // empty: any operation

  explicit CompiledRule(const config::Rule& rule);
  bool matches(const AuthzRequest& request, std::string_view path) const;
};

struct CompiledPolicy {
  std::string name;
  config::AuthzAction action;
  std::vector<CompiledRule> rules;  // empty: matches nothing

  explicit CompiledPolicy(const config::AuthorizationPolicy& policy);
  bool matches(const AuthzRequest& request, std::string_view path) const;
};

// The URL path portion of a :path value: Envoy's PathMatcher removes the query and
// fragment before matching ("/data" matches "/data?x=1"; envoy type.matcher.v3.PathMatcher).
std::string_view urlPathOf(std::string_view path);

}  // namespace meshproof::security
