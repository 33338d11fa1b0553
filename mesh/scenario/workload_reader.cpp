// The `workload:` section: clients entering the mesh at a service, either open loop
// (rate + arrival) or closed loop (clients + thinkTime), with an identity, headers
// and an active window inside the run.
#include <map>

#include "mesh/config/edit_distance.h"
#include "mesh/scenario/behavior_reader.h"
#include "mesh/scenario/reader_helpers.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {
namespace {

constexpr double kMaxRatePerS = 1'000'000;
constexpr int kMaxClients = 100'000;

const config::EnumNames<Arrival> kArrivalNames{{"poisson", Arrival::kPoisson}, {"constant", Arrival::kConstant}};

std::string toLower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

ClientIdentity readIdentity(const NodeReader& node, const std::string& trust_domain) {
  const std::string text = node.asNonEmptyString();
  if (text == "ingress") return {ClientIdentity::Kind::kIngress, trust_domain + "/ns/meshproof-system/sa/ingress-gateway"};
  if (text == "unauthenticated") return {ClientIdentity::Kind::kUnauthenticated, ""};
  if (isPrincipal(text)) return {ClientIdentity::Kind::kPrincipal, text};
  node.fail("\"" + text + "\" is not ingress, unauthenticated or a principal " +
            "(<trustDomain>/ns/<namespace>/sa/<serviceAccount>)" +
            config::didYouMean(text, {"ingress", "unauthenticated"}));
}

OpenLoop readOpenLoop(const NodeReader& item) {
  OpenLoop open;
  const NodeReader rate = item.required("rate");
  open.rate_per_s = rate.asNumber();
  if (open.rate_per_s <= 0 || open.rate_per_s > kMaxRatePerS)
    rate.fail(rate.asString() + " requests per second is outside (0, 1000000]");
  if (auto arrival = item.optional("arrival")) open.arrival = arrival->asEnum(kArrivalNames);
  return open;
}

ClosedLoop readClosedLoop(const NodeReader& node) {
  node.expectOnly({"clients", "thinkTime"});
  ClosedLoop closed;
  closed.clients = static_cast<int>(node.required("clients").asIntInRange(1, kMaxClients));
  node.readIfPresent("thinkTime", closed.think_time, &NodeReader::asDuration);
  return closed;
}

Workload readOne(const NodeReader& item, const Plan& plan) {
  item.expectOnly({"name", "target", "path", "method", "rate", "arrival", "closedLoop", "identity", "headers", "start",
                   "stop"});
  Workload workload;
  workload.name = item.required("name").asNonEmptyString();
  workload.target = readServiceReference(item.required("target"), plan).name;
  item.readIfPresent("path", workload.path, readHttpPath);
  item.readIfPresent("method", workload.method, readHttpMethod);

  const auto closed_loop = item.optional("closedLoop");
  if (closed_loop && item.has("rate")) closed_loop->fail("give either rate (open loop) or closedLoop, not both");
  if (closed_loop && item.has("arrival"))
    item.required("arrival").fail("applies to an open loop (rate) only, not to closedLoop");
  if (!closed_loop && !item.has("rate")) item.fail("give either rate (open loop) or closedLoop");
  if (closed_loop) workload.load = readClosedLoop(*closed_loop);
  else workload.load = readOpenLoop(item);

  workload.identity = {ClientIdentity::Kind::kIngress,
                       plan.mesh.mesh.trust_domain + "/ns/meshproof-system/sa/ingress-gateway"};
  if (auto identity = item.optional("identity")) workload.identity = readIdentity(*identity, plan.mesh.mesh.trust_domain);

  if (auto headers = item.optional("headers")) {
    std::map<std::string, int> line_by_name;
    for (const auto& [name, value] : headers->entries()) {
      const std::string lower = toLower(name);
      if (lower.empty()) headers->fail("a header name must not be empty");
      auto [seen, inserted] = line_by_name.emplace(lower, value.line());
      if (!inserted)
        value.fail("header '" + lower + "' is set twice (header names are case-insensitive; first at line " +
                   std::to_string(seen->second) + ")");
      workload.headers.emplace_back(lower, value.asString());
    }
  }

  if (auto start = item.optional("start")) workload.start = readTimeBeforeEnd(*start, plan.duration);
  workload.stop = plan.duration;
  if (auto stop = item.optional("stop")) {
    workload.stop = readTimeUpToEnd(*stop, plan.duration);
    if (workload.stop <= workload.start) stop->fail(stop->asString() + " is not after start");
  }
  return workload;
}

}  // namespace

std::vector<Workload> readWorkload(const NodeReader& node, const Plan& plan) {
  std::vector<Workload> workload;
  std::map<std::string, int> line_by_name;
  for (const auto& item : node.items()) {
    Workload entry = readOne(item, plan);
    const NodeReader name = item.required("name");
    auto [seen, inserted] = line_by_name.emplace(entry.name, name.line());
    if (!inserted)
      name.fail("duplicate workload name \"" + entry.name + "\" (first at line " + std::to_string(seen->second) + ")");
    workload.push_back(std::move(entry));
  }
  return workload;
}

}  // namespace meshproof::scenario
