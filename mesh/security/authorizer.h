// The per-workload authorization filter: built once from the mesh's full list of
// AuthorizationPolicies, keeping (compiled) only those that select this workload, then
// asked per request. Istio's evaluation order (istio.io/docs/reference/config/security/
// authorization-policy): CUSTOM (not supported here), then DENY, then ALLOW:
//   - a matching DENY policy denies;
//   - with no ALLOW policy selecting the workload, the request is allowed;
//   - a matching ALLOW policy allows;
//   - otherwise the request is denied.
// AUDIT policies never change the outcome; a match is only reported in the decision.
// A denial is HTTP 403 with Envoy's RBAC response flag.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "mesh/config/model.h"
#include "mesh/core/events.h"
#include "mesh/core/time.h"
#include "mesh/security/authz_types.h"
#include "mesh/security/compiled_policy.h"

namespace meshproof::security {

// Whether `policy` applies to the workload. `service` set: that service (in
// `namespace_` when that is set too, else in any namespace); only `namespace_`: every
// workload of the namespace; neither: mesh-wide.
bool policySelectsWorkload(const config::AuthorizationPolicy& policy, std::string_view workload_namespace,
                           std::string_view workload_service);

class Authorizer {
 public:
  Authorizer(const std::vector<config::AuthorizationPolicy>& policies, std::string_view workload_namespace,
             std::string_view workload_service);

  // Allocation-free. Among several matching policies of one action, the first in the
  // configuration's order is the one reported.
  AuthzDecision evaluate(const AuthzRequest& request) const;

  // Emits an AuditEvent for `decision` when an AUDIT policy matched; nothing otherwise.
  void reportAudit(const AuthzDecision& decision, const AuthzRequest& request, TimeNs now,
                   EventSink& sink) const;

  const std::string& workloadNamespace() const { return workload_namespace_; }
  const std::string& workloadService() const { return workload_service_; }
  // Number of selected policies per action (after selection).
  std::size_t denyPolicyCount() const { return deny_.size(); }
  std::size_t allowPolicyCount() const { return allow_.size(); }
  std::size_t auditPolicyCount() const { return audit_.size(); }

 private:
  std::string workload_namespace_;
  std::string workload_service_;
  std::vector<CompiledPolicy> deny_;
  std::vector<CompiledPolicy> allow_;
  std::vector<CompiledPolicy> audit_;
};

}  // namespace meshproof::security
