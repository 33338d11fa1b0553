// The `faults:` section: each fault's start (`at`), optional `duration` (absent:
// until the end), `type` and the fields of that type (SCENARIO.md), with targets
// resolved to instances.
#include "mesh/config/units.h"
#include "mesh/scenario/reader_helpers.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {
namespace {

enum class FaultType { kLatency, kAbort, kCrash, kPartition, kLoss, kBandwidth, kCpu, kClockSkew, kControlPlaneDown,
                       kRevokeCa };

const config::EnumNames<FaultType> kFaultTypeNames{
    {"latency", FaultType::kLatency},     {"abort", FaultType::kAbort},
    {"crash", FaultType::kCrash},         {"partition", FaultType::kPartition},
    {"loss", FaultType::kLoss},           {"bandwidth", FaultType::kBandwidth},
    {"cpu", FaultType::kCpu},             {"clock-skew", FaultType::kClockSkew},
    {"control-plane-down", FaultType::kControlPlaneDown}, {"revoke-ca", FaultType::kRevokeCa}};

// The fields each type takes besides at, duration and type.
std::vector<std::string> typeFields(FaultType type) {
  switch (type) {
    case FaultType::kLatency: return {"target", "delay", "jitter"};
    case FaultType::kAbort: return {"target", "httpStatus", "percentage"};
    case FaultType::kCrash: return {"target", "restartAfter"};
    case FaultType::kPartition: return {"between"};
    case FaultType::kLoss: return {"target", "percentage"};
    case FaultType::kBandwidth: return {"target", "rate"};
    case FaultType::kCpu: return {"target", "factor"};
    case FaultType::kClockSkew: return {"target", "offset"};
    case FaultType::kControlPlaneDown: return {};
    case FaultType::kRevokeCa: return {};
  }
  return {};
}

// A duration that may be negative ("-5m"), and not zero.
DurationNs readOffset(const NodeReader& node) {
  std::string text = node.asString();
  const bool negative = !text.empty() && text.front() == '-';
  DurationNs magnitude = 0;
  try {
    magnitude = config::parseDuration(negative ? std::string_view(text).substr(1) : std::string_view(text));
  } catch (const config::ValueError& problem) {
    node.fail(problem.what());
  }
  if (magnitude == 0) node.fail("must not be 0s");
  return negative ? -magnitude : magnitude;
}

PartitionFault readPartition(const NodeReader& item, const Plan& plan) {
  const NodeReader between = item.required("between");
  const auto sides = between.items();
  if (sides.size() != 2)
    between.fail("give exactly two targets, the sides of the partition (got " + std::to_string(sides.size()) + ")");
  PartitionFault partition{readTarget(sides[0], plan), readTarget(sides[1], plan)};
  for (const auto& name : partition.side_a.instances)
    for (const auto& other : partition.side_b.instances)
      if (name == other) between.fail("instance " + name + " is on both sides");
  return partition;
}

FaultSpec readSpec(FaultType type, const NodeReader& item, const Plan& plan) {
  auto target = [&] { return readTarget(item.required("target"), plan); };
  switch (type) {
    case FaultType::kLatency: {
      LatencyFault fault{target(), item.required("delay").asPositiveDuration(), 0};
      item.readIfPresent("jitter", fault.jitter, &NodeReader::asDuration);
      return fault;
    }
    case FaultType::kAbort:
      return AbortFault{target(), static_cast<int>(item.required("httpStatus").asIntInRange(200, 599)),
                        item.required("percentage").asPercentage()};
    case FaultType::kCrash: {
      if (auto duration = item.optional("duration"))
        duration->fail("a crashed instance stays down until restartAfter; give restartAfter instead");
      CrashFault fault{target(), std::nullopt};
      if (auto restart = item.optional("restartAfter")) fault.restart_after = restart->asPositiveDuration();
      return fault;
    }
    case FaultType::kPartition: return readPartition(item, plan);
    case FaultType::kLoss: return LossFault{target(), item.required("percentage").asPercentage()};
    case FaultType::kBandwidth: {
      BandwidthFault fault{target(), 0};
      const NodeReader rate = item.required("rate");
      fault.rate_bps = rate.asBandwidthBps();
      if (fault.rate_bps <= 0) rate.fail("must be more than 0bps");
      return fault;
    }
    case FaultType::kCpu: {
      CpuFault fault{target(), 1};
      const NodeReader factor = item.required("factor");
      fault.factor = factor.asNumber();
      if (fault.factor <= 0) factor.fail(factor.asString() + " must be more than 0");
      return fault;
    }
    case FaultType::kClockSkew: return ClockSkewFault{target(), readOffset(item.required("offset"))};
    case FaultType::kControlPlaneDown: return ControlPlaneDownFault{};
    case FaultType::kRevokeCa: return RevokeCaFault{};
  }
  item.fail("unhandled fault type");
}

Fault readFault(const NodeReader& item, const Plan& plan) {
  item.expectMap();
  const FaultType type = item.required("type").asEnum(kFaultTypeNames);
  std::vector<std::string> fields{"at", "duration", "type"};
  for (auto& field : typeFields(type)) fields.push_back(std::move(field));
  item.expectOnly(fields);
  Fault fault;
  fault.at = readTimeBeforeEnd(item.required("at"), plan.duration);
  fault.spec = readSpec(type, item, plan);
  if (auto duration = item.optional("duration")) fault.duration = duration->asPositiveDuration();
  return fault;
}

}  // namespace

std::vector<Fault> readFaults(const NodeReader& node, const Plan& plan) {
  std::vector<Fault> faults;
  for (const auto& item : node.items()) faults.push_back(readFault(item, plan));
  return faults;
}

}  // namespace meshproof::scenario
