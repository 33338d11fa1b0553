// Lookups over a Plan and the `type:` spellings of faults and expectations.
#include "mesh/scenario/plan.h"

#include <type_traits>

namespace meshproof::scenario {

const Zone* Network::zone(const std::string& name) const {
  for (const auto& zone : zones)
    if (zone.name == name) return &zone;
  return nullptr;
}

const Version* Service::version(const std::string& name) const {
  for (const auto& version : versions)
    if (version.name == name) return &version;
  return nullptr;
}

const Service* Plan::service(const std::string& name) const {
  for (const auto& service : services)
    if (service.name == name) return &service;
  return nullptr;
}

const Instance* Plan::instance(const std::string& name) const {
  for (const auto& instance : instances)
    if (instance.name == name) return &instance;
  return nullptr;
}

std::vector<const Instance*> Plan::instancesOf(const std::string& service,
                                               const std::optional<std::string>& version) const {
  std::vector<const Instance*> out;
  for (const auto& instance : instances)
    if (instance.service == service && (!version || instance.version == *version)) out.push_back(&instance);
  return out;
}

std::string faultTypeName(const FaultSpec& spec) {
  return std::visit(
      [](const auto& fault) -> std::string {
        using T = std::decay_t<decltype(fault)>;
        if constexpr (std::is_same_v<T, LatencyFault>) return "latency";
        else if constexpr (std::is_same_v<T, AbortFault>) return "abort";
        else if constexpr (std::is_same_v<T, CrashFault>) return "crash";
        else if constexpr (std::is_same_v<T, PartitionFault>) return "partition";
        else if constexpr (std::is_same_v<T, LossFault>) return "loss";
        else if constexpr (std::is_same_v<T, BandwidthFault>) return "bandwidth";
        else if constexpr (std::is_same_v<T, CpuFault>) return "cpu";
        else if constexpr (std::is_same_v<T, ClockSkewFault>) return "clock-skew";
        else if constexpr (std::is_same_v<T, ControlPlaneDownFault>) return "control-plane-down";
        else return "revoke-ca";
      },
      spec);
}

std::string expectationTypeName(const ExpectationSpec& spec) {
  return std::visit(
      [](const auto& expectation) -> std::string {
        using T = std::decay_t<decltype(expectation)>;
        if constexpr (std::is_same_v<T, SloExpectation>) return "slo";
        else if constexpr (std::is_same_v<T, CircuitBreakerExpectation>) return "circuit-breaker";
        else if constexpr (std::is_same_v<T, EjectionExpectation>) return "ejection";
        else if constexpr (std::is_same_v<T, RecoversExpectation>) return "recovers";
        else if constexpr (std::is_same_v<T, CanaryExpectation>) return "canary";
        else if constexpr (std::is_same_v<T, AuthzExpectation>) return "authz";
        else if constexpr (std::is_same_v<T, MtlsExpectation>) return "mtls";
        else if constexpr (std::is_same_v<T, ConfigExpectation>) return "config";
        else if constexpr (std::is_same_v<T, CertificateExpectation>) return "certificate";
        else return "no-lost-requests";
      },
      spec);
}

}  // namespace meshproof::scenario
