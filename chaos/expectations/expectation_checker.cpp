// Event times and the choice of checker for an expectation.
#include "chaos/expectations/expectation_checker.h"

#include <type_traits>

namespace meshproof::chaos {
namespace {

// <trustDomain>/ns/<namespace>/sa/<serviceAccount>; empty when the service is unknown.
std::string principalOf(const scenario::Plan& plan, const std::string& service_name) {
  const scenario::Service* service = plan.service(service_name);
  if (service == nullptr) return {};
  const std::string& account = service->service_account.empty() ? service->name : service->service_account;
  return plan.mesh.mesh.trust_domain + "/ns/" + service->namespace_ + "/sa/" + account;
}

}  // namespace

TimeNs eventTime(TimeNs t, const Event& event) {
  if (const auto* request = std::get_if<RequestEvent>(&event)) return request->start + request->duration;
  return t;
}

std::unique_ptr<ExpectationChecker> makeChecker(const scenario::Expectation& expectation,
                                                const scenario::Plan& plan) {
  return std::visit(
      [&](const auto& spec) -> std::unique_ptr<ExpectationChecker> {
        using T = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<T, scenario::SloExpectation>) return makeSloChecker(spec);
        else if constexpr (std::is_same_v<T, scenario::CircuitBreakerExpectation>)
          return makeCircuitBreakerChecker(spec);
        else if constexpr (std::is_same_v<T, scenario::EjectionExpectation>) return makeEjectionChecker(spec);
        else if constexpr (std::is_same_v<T, scenario::RecoversExpectation>) return makeRecoversChecker(spec);
        else if constexpr (std::is_same_v<T, scenario::CanaryExpectation>) return makeCanaryChecker(spec);
        else if constexpr (std::is_same_v<T, scenario::AuthzExpectation>)
          return makeAuthzChecker(spec, spec.from_principal.empty() ? principalOf(plan, spec.from_service)
                                                                    : spec.from_principal);
        else if constexpr (std::is_same_v<T, scenario::MtlsExpectation>) return makeMtlsChecker(spec);
        else if constexpr (std::is_same_v<T, scenario::ConfigExpectation>) return makeConfigChecker(spec);
        else if constexpr (std::is_same_v<T, scenario::CertificateExpectation>) {
          std::vector<std::string> instances;
          for (const auto* instance : plan.instancesOf(spec.service)) instances.push_back(instance->name);
          return makeCertificateChecker(spec, std::move(instances));
        } else return makeNoLostRequestsChecker();
      },
      expectation.spec);
}

}  // namespace meshproof::chaos
