// Policy selection per workload and Istio's DENY-then-ALLOW evaluation (see authorizer.h).
#include "mesh/security/authorizer.h"

#include "mesh/security/spiffe_id.h"

namespace meshproof::security {
namespace {

inline constexpr int kForbiddenStatus = 403;

AuthzDecision denied(AuthzReason reason, std::string_view policy) {
  AuthzDecision d;
  d.allowed = false;
  d.reason = reason;
  d.http_status = kForbiddenStatus;
  d.flags = kRbacDenied;
  d.policy = policy;
  return d;
}

const CompiledPolicy* firstMatch(const std::vector<CompiledPolicy>& policies, const AuthzRequest& request,
                                 std::string_view path) {
  for (const auto& p : policies)
    if (p.matches(request, path)) return &p;
  return nullptr;
}

}  // namespace

AuthzRequest AuthzRequest::fromPeer(std::string_view principal, std::string_view method, std::string_view path) {
  return AuthzRequest{principal, principalNamespace(principal), method, path};
}

bool policySelectsWorkload(const config::AuthorizationPolicy& policy, std::string_view workload_namespace,
                           std::string_view workload_service) {
  if (!policy.service.empty())
    return policy.service == workload_service &&
           (policy.namespace_.empty() || policy.namespace_ == workload_namespace);
  if (!policy.namespace_.empty()) return policy.namespace_ == workload_namespace;
  return true;
}

Authorizer::Authorizer(const std::vector<config::AuthorizationPolicy>& policies,
                       std::string_view workload_namespace, std::string_view workload_service)
    : workload_namespace_(workload_namespace), workload_service_(workload_service) {
  for (const auto& policy : policies) {
    if (!policySelectsWorkload(policy, workload_namespace, workload_service)) continue;
    switch (policy.action) {
      case config::AuthzAction::kDeny: deny_.emplace_back(policy); break;
      case config::AuthzAction::kAllow: allow_.emplace_back(policy); break;
      case config::AuthzAction::kAudit: audit_.emplace_back(policy); break;
    }
  }
}

AuthzDecision Authorizer::evaluate(const AuthzRequest& request) const {
  const std::string_view path = urlPathOf(request.path);
  const CompiledPolicy* audit = firstMatch(audit_, request, path);

  AuthzDecision decision;
  if (const CompiledPolicy* deny = firstMatch(deny_, request, path)) {
    decision = denied(AuthzReason::kDenyMatched, deny->name);
  } else if (allow_.empty()) {
    decision.reason = AuthzReason::kNoAllowPolicy;
  } else if (const CompiledPolicy* allow = firstMatch(allow_, request, path)) {
    decision.reason = AuthzReason::kAllowMatched;
    decision.policy = allow->name;
  } else {
    decision = denied(AuthzReason::kNoAllowMatched, {});
  }
  if (audit != nullptr) {
    decision.audited = true;
    decision.audit_policy = audit->name;
  }
  return decision;
}

void Authorizer::reportAudit(const AuthzDecision& decision, const AuthzRequest& request, TimeNs now,
                             EventSink& sink) const {
  if (!decision.audited) return;
  sink.emit(now, AuditEvent{std::string(decision.audit_policy), workload_service_, std::string(request.principal),
                            std::string(request.method), std::string(request.path)});
}

}  // namespace meshproof::security
