// The values authorization works on: one request as the authz filter sees it, and the
// decision it returns. Views only, so evaluating a request never allocates.
#pragma once
#include <string_view>

#include "mesh/core/http.h"

namespace meshproof::security {

struct AuthzRequest {
  // The authenticated peer, Istio principal form (cluster.local/ns/shop/sa/checkout);
  // empty when the connection is plaintext.
  std::string_view principal;
  // The peer's namespace from its authenticated identity; empty when plaintext.
  std::string_view source_namespace;
  std::string_view method;  // HTTP method as sent, e.g. "POST"
  std::string_view path;    // the :path header; query and fragment are ignored

  // A request whose source namespace is taken from `principal` (principalNamespace).
  static AuthzRequest fromPeer(std::string_view principal, std::string_view method, std::string_view path);
};

enum class AuthzReason {
  kNoAllowPolicy,   // allowed: no DENY matched and no ALLOW policy selects the workload
  kAllowMatched,    // allowed: an ALLOW policy matched
  kDenyMatched,     // denied: a DENY policy matched
  kNoAllowMatched,  // denied: ALLOW policies select the workload and none matched
};

struct AuthzDecision {
  bool allowed = true;
  AuthzReason reason = AuthzReason::kNoAllowPolicy;
  int http_status = 0;             // 403 when denied
  ResponseFlags flags = kNoFlags;  // kRbacDenied (RBAC) when denied
  // The policy that decided (the matching DENY or ALLOW); empty for kNoAllowPolicy and
  // kNoAllowMatched. A view into the Authorizer, valid while it lives.
  std::string_view policy;
  // An AUDIT policy matched (Istio marks the request for audit). Never changes `allowed`.
  bool audited = false;
  std::string_view audit_policy;  // the first AUDIT policy that matched
};

}  // namespace meshproof::security
