// A version's `behavior:`: the application model (service time distribution, error
// rate, worker slots, downstream calls). Call targets are checked later, once every
// service is known (checkCalls).
#include <cmath>
#include <limits>

#include "mesh/scenario/behavior_reader.h"

namespace meshproof::scenario {
namespace {

// Request methods as HTTP defines them: an upper-case token.
std::string readMethod(const NodeReader& node) {
  std::string method = node.asNonEmptyString();
  for (char c : method)
    if (c < 'A' || c > 'Z') node.fail("\"" + method + "\" is not an HTTP method (upper-case letters, e.g. GET, POST)");
  return method;
}

std::string readPath(const NodeReader& node) {
  std::string path = node.asNonEmptyString();
  if (path.front() != '/') node.fail("\"" + path + "\" must start with '/'");
  return path;
}

ServiceTime readServiceTime(const NodeReader& node) {
  node.expectOnly({"p50", "p99", "fixed", "mean"});
  const bool percentiles = node.has("p50") || node.has("p99");
  const int forms = (percentiles ? 1 : 0) + (node.has("fixed") ? 1 : 0) + (node.has("mean") ? 1 : 0);
  if (forms != 1) node.fail("give exactly one of {p50, p99}, {fixed} or {mean}");
  ServiceTime time;
  if (percentiles) {
    time.kind = ServiceTime::Kind::kLogNormal;
    time.p50 = node.required("p50").asPositiveDuration();
    const NodeReader p99 = node.required("p99");
    time.p99 = p99.asPositiveDuration();
    if (time.p99 < time.p50)
      p99.fail(p99.asString() + " is below p50 (" + node.required("p50").asString() + ")");
    time.log_mu = std::log(static_cast<double>(time.p50));
    time.log_sigma = std::log(static_cast<double>(time.p99) / static_cast<double>(time.p50)) / kNormalQuantile99;
  } else if (auto fixed = node.optional("fixed")) {
    time.kind = ServiceTime::Kind::kFixed;
    time.fixed = fixed->asDuration();
  } else {
    time.kind = ServiceTime::Kind::kExponential;
    time.mean = node.required("mean").asPositiveDuration();
  }
  return time;
}

Call readCall(const NodeReader& node) {
  node.expectOnly({"service", "path", "method", "optional"});
  Call call;
  call.service = node.required("service").asNonEmptyString();
  node.readIfPresent("path", call.path, readPath);
  node.readIfPresent("method", call.method, readMethod);
  node.readIfPresent("optional", call.optional, &NodeReader::asBool);
  return call;
}

}  // namespace

std::string readHttpMethod(const NodeReader& node) { return readMethod(node); }
std::string readHttpPath(const NodeReader& node) { return readPath(node); }

Behavior readBehavior(const NodeReader& node) {
  node.expectOnly({"serviceTime", "errorRate", "concurrency", "calls"});
  Behavior behavior;
  behavior.service_time = readServiceTime(node.required("serviceTime"));
  node.readIfPresent("errorRate", behavior.error_rate_percent, &NodeReader::asPercentage);
  if (auto concurrency = node.optional("concurrency"))
    behavior.concurrency = static_cast<int>(concurrency->asIntInRange(1, std::numeric_limits<int>::max()));
  if (auto calls = node.optional("calls"))
    for (const auto& item : calls->items()) behavior.calls.push_back(readCall(item));
  return behavior;
}

}  // namespace meshproof::scenario
