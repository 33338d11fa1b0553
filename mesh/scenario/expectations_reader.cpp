// The `expect:` section: each expectation's type and the fields of that type
// (SCENARIO.md), read strictly, with services, instances and canaries checked
// against the scenario. Names are unique; an unnamed expectation gets a readable
// one ("slo frontend", "ejection payments-v1-0", "authz frontend -> payments").
#include <map>

#include "mesh/scenario/reader_helpers.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {
namespace {

enum class ExpectationType {
  kSlo,
  kCircuitBreaker,
  kEjection,
  kRecovers,
  kCanary,
  kAuthz,
  kMtls,
  kNoLostRequests,
  kConfig,
  kCertificate
};

const config::EnumNames<ExpectationType> kExpectationTypeNames{
    {"slo", ExpectationType::kSlo},           {"circuit-breaker", ExpectationType::kCircuitBreaker},
    {"ejection", ExpectationType::kEjection}, {"recovers", ExpectationType::kRecovers},
    {"canary", ExpectationType::kCanary},     {"authz", ExpectationType::kAuthz},
    {"mtls", ExpectationType::kMtls},         {"no-lost-requests", ExpectationType::kNoLostRequests},
    {"config", ExpectationType::kConfig},     {"certificate", ExpectationType::kCertificate}};

const config::EnumNames<ConfigExpectation::Outcome> kConfigOutcomeNames{
    {"applied", ConfigExpectation::Outcome::kApplied}, {"rejected", ConfigExpectation::Outcome::kRejected}};

const config::EnumNames<CertificateExpectation::Outcome> kCertificateOutcomeNames{
    {"rotated", CertificateExpectation::Outcome::kRotated}, {"expired", CertificateExpectation::Outcome::kExpired}};

const config::EnumNames<CanaryExpectation::Outcome> kOutcomeNames{
    {"promoted", CanaryExpectation::Outcome::kPromoted}, {"rolled-back", CanaryExpectation::Outcome::kRolledBack}};

// The fields each type takes besides name and type.
std::vector<std::string> typeFields(ExpectationType type) {
  switch (type) {
    case ExpectationType::kSlo: return {"service", "successRate", "latencyP99", "window"};
    case ExpectationType::kCircuitBreaker: return {"service", "opens", "within", "after"};
    case ExpectationType::kEjection: return {"service", "instance", "within", "after"};
    case ExpectationType::kRecovers: return {"service", "within", "after"};
    case ExpectationType::kCanary: return {"service", "outcome", "within"};
    case ExpectationType::kAuthz: return {"from", "to", "allowed"};
    case ExpectationType::kMtls: return {"coverage"};
    case ExpectationType::kNoLostRequests: return {};
    case ExpectationType::kConfig: return {"change", "outcome", "within"};
    case ExpectationType::kCertificate: return {"service", "outcome", "within", "after"};
  }
  return {};
}

std::string serviceOf(const NodeReader& item, const Plan& plan) {
  return readServiceReference(item.required("service"), plan).name;
}

// {<key>: value} with one field, e.g. successRate: {min: 99}.
NodeReader onlyField(const NodeReader& node, const std::string& key) {
  node.expectOnly({key});
  return node.required(key);
}

SloExpectation readSlo(const NodeReader& item, const Plan& plan) {
  SloExpectation slo;
  slo.service = serviceOf(item, plan);
  if (auto rate = item.optional("successRate")) slo.min_success_rate_percent = onlyField(*rate, "min").asPercentage();
  if (auto latency = item.optional("latencyP99"))
    slo.max_latency_p99 = onlyField(*latency, "max").asPositiveDuration();
  if (!slo.min_success_rate_percent && !slo.max_latency_p99) item.fail("give successRate, latencyP99 or both");
  slo.window_to = plan.duration;
  if (auto window = item.optional("window")) {
    window->expectOnly({"from", "to"});
    if (auto from = window->optional("from")) slo.window_from = readTimeBeforeEnd(*from, plan.duration);
    if (auto to = window->optional("to")) {
      slo.window_to = readTimeUpToEnd(*to, plan.duration);
      if (slo.window_to <= slo.window_from) to->fail(to->asString() + " is not after from");
    }
  }
  return slo;
}

void readWithinAfter(const NodeReader& item, const Plan& plan, std::optional<DurationNs>& within, TimeNs& after) {
  if (auto field = item.optional("within")) within = field->asPositiveDuration();
  if (auto field = item.optional("after")) after = readTimeBeforeEnd(*field, plan.duration);
}

EjectionExpectation readEjection(const NodeReader& item, const Plan& plan) {
  EjectionExpectation ejection;
  ejection.service = serviceOf(item, plan);
  const NodeReader instance = item.required("instance");
  ejection.instance_index = instance.asNonNegativeInt();
  const auto pool = plan.instancesOf(ejection.service);
  if (static_cast<std::size_t>(ejection.instance_index) >= pool.size())
    instance.fail("there is no instance " + std::to_string(ejection.instance_index) + ": " + ejection.service +
                  " has " + std::to_string(pool.size()) +
                  (pool.size() == 1 ? " instance (0)" : " instances (0-" + std::to_string(pool.size() - 1) + ")"));
  ejection.instance = pool[static_cast<std::size_t>(ejection.instance_index)]->name;
  readWithinAfter(item, plan, ejection.within, ejection.after);
  return ejection;
}

CanaryExpectation readCanaryOutcome(const NodeReader& item, const Plan& plan) {
  CanaryExpectation expectation;
  const NodeReader service = item.required("service");
  expectation.service = readServiceReference(service, plan).name;
  bool defined = false;
  for (const auto& canary : plan.canaries) defined = defined || canary.service == expectation.service;
  if (!defined) service.fail("no canary of " + expectation.service + " is defined in canaries");
  expectation.outcome = item.required("outcome").asEnum(kOutcomeNames);
  if (auto within = item.optional("within")) expectation.within = within->asPositiveDuration();
  return expectation;
}

ConfigExpectation readConfigOutcome(const NodeReader& item, const Plan& plan) {
  ConfigExpectation expectation;
  const NodeReader change = item.required("change");
  expectation.change = change.asNonEmptyString();
  const ConfigChange* found = nullptr;
  std::vector<std::string> known;
  for (const auto& c : plan.changes) {
    known.push_back(c.name);
    if (c.name == expectation.change) found = &c;
  }
  if (found == nullptr) failUnknown(change, "no change named \"" + expectation.change + "\" in changes", expectation.change, known);
  expectation.change_at = found->at;
  expectation.outcome = item.required("outcome").asEnum(kConfigOutcomeNames);
  if (auto within = item.optional("within")) expectation.within = within->asPositiveDuration();
  return expectation;
}

CertificateExpectation readCertificateOutcome(const NodeReader& item, const Plan& plan) {
  CertificateExpectation expectation;
  expectation.service = serviceOf(item, plan);
  expectation.outcome = item.required("outcome").asEnum(kCertificateOutcomeNames);
  readWithinAfter(item, plan, expectation.within, expectation.after);
  return expectation;
}

AuthzExpectation readAuthz(const NodeReader& item, const Plan& plan) {
  AuthzExpectation authz;
  const NodeReader from = item.required("from");
  from.expectOnly({"service", "principal"});
  if (from.has("service") == from.has("principal")) from.fail("give either service or principal");
  if (auto service = from.optional("service")) authz.from_service = readServiceReference(*service, plan).name;
  if (auto principal = from.optional("principal")) authz.from_principal = readPrincipal(*principal);
  authz.to_service = readServiceReference(onlyField(item.required("to"), "service"), plan).name;
  authz.allowed = item.required("allowed").asBool();
  return authz;
}

ExpectationSpec readSpec(ExpectationType type, const NodeReader& item, const Plan& plan) {
  switch (type) {
    case ExpectationType::kSlo: return readSlo(item, plan);
    case ExpectationType::kCircuitBreaker: {
      CircuitBreakerExpectation breaker;
      breaker.service = serviceOf(item, plan);
      item.readIfPresent("opens", breaker.opens, &NodeReader::asBool);
      readWithinAfter(item, plan, breaker.within, breaker.after);
      return breaker;
    }
    case ExpectationType::kEjection: return readEjection(item, plan);
    case ExpectationType::kRecovers: {
      RecoversExpectation recovers;
      recovers.service = serviceOf(item, plan);
      recovers.after = readTimeBeforeEnd(item.required("after"), plan.duration);
      recovers.within = item.required("within").asPositiveDuration();
      return recovers;
    }
    case ExpectationType::kCanary: return readCanaryOutcome(item, plan);
    case ExpectationType::kAuthz: return readAuthz(item, plan);
    case ExpectationType::kMtls:
      return MtlsExpectation{onlyField(item.required("coverage"), "min").asPercentage()};
    case ExpectationType::kNoLostRequests: return NoLostRequestsExpectation{};
    case ExpectationType::kConfig: return readConfigOutcome(item, plan);
    case ExpectationType::kCertificate: return readCertificateOutcome(item, plan);
  }
  item.fail("unhandled expectation type");
}

std::string defaultName(const ExpectationSpec& spec) {
  const std::string type = expectationTypeName(spec);
  if (const auto* slo = std::get_if<SloExpectation>(&spec)) return type + " " + slo->service;
  if (const auto* breaker = std::get_if<CircuitBreakerExpectation>(&spec)) return type + " " + breaker->service;
  if (const auto* ejection = std::get_if<EjectionExpectation>(&spec)) return type + " " + ejection->instance;
  if (const auto* recovers = std::get_if<RecoversExpectation>(&spec)) return type + " " + recovers->service;
  if (const auto* canary = std::get_if<CanaryExpectation>(&spec)) return type + " " + canary->service;
  if (const auto* change = std::get_if<ConfigExpectation>(&spec)) return type + " " + change->change;
  if (const auto* cert = std::get_if<CertificateExpectation>(&spec)) return type + " " + cert->service;
  if (const auto* authz = std::get_if<AuthzExpectation>(&spec))
    return type + " " + (authz->from_service.empty() ? authz->from_principal : authz->from_service) + " -> " +
           authz->to_service;
  return type;
}

Expectation readExpectation(const NodeReader& item, const Plan& plan) {
  item.expectMap();
  const ExpectationType type = item.required("type").asEnum(kExpectationTypeNames);
  std::vector<std::string> fields{"name", "type"};
  for (auto& field : typeFields(type)) fields.push_back(std::move(field));
  item.expectOnly(fields);
  Expectation expectation;
  expectation.spec = readSpec(type, item, plan);
  expectation.name = defaultName(expectation.spec);
  item.readIfPresent("name", expectation.name, &NodeReader::asNonEmptyString);
  return expectation;
}

}  // namespace

std::vector<Expectation> readExpectations(const NodeReader& node, const Plan& plan) {
  std::vector<Expectation> expectations;
  std::map<std::string, int> line_by_name;
  for (const auto& item : node.items()) {
    Expectation expectation = readExpectation(item, plan);
    const NodeReader at = item.optional("name").value_or(item);
    auto [seen, inserted] = line_by_name.emplace(expectation.name, at.line());
    if (!inserted)
      at.fail("duplicate expectation name \"" + expectation.name + "\" (first at line " +
              std::to_string(seen->second) + "); give each a distinct name");
    expectations.push_back(std::move(expectation));
  }
  return expectations;
}

}  // namespace meshproof::scenario
