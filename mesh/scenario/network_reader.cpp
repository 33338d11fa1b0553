// The `network:` section: zones with their intra-zone link, and the link between
// zones. Absent, the network is one zone "default" (100us, 10Gbps).
#include <map>

#include "mesh/scenario/reader_helpers.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {
namespace {

std::int64_t readPositiveBandwidthBps(const NodeReader& node) {
  const std::int64_t bps = node.asBandwidthBps();
  if (bps <= 0) node.fail("must be more than 0bps");
  return bps;
}

// Fields absent from `node` keep the values of `defaults`.
Link readLink(const NodeReader& node, Link defaults) {
  node.readIfPresent("latency", defaults.latency, &NodeReader::asDuration);
  node.readIfPresent("bandwidth", defaults.bandwidth_bps, readPositiveBandwidthBps);
  return defaults;
}

}  // namespace

Network readNetwork(const NodeReader& node) {
  node.expectOnly({"zones", "interZone"});
  Network network;
  if (auto zones = node.optional("zones")) {
    network.zones.clear();
    std::map<std::string, int> line_by_name;
    for (const auto& item : zones->nonEmptyItems()) {
      item.expectOnly({"name", "latency", "bandwidth"});
      const NodeReader name = item.required("name");
      Zone zone{readName(name), readLink(item, Link{})};
      auto [seen, inserted] = line_by_name.emplace(zone.name, name.line());
      if (!inserted)
        name.fail("duplicate zone \"" + zone.name + "\" (first at line " + std::to_string(seen->second) + ")");
      network.zones.push_back(std::move(zone));
    }
  }
  if (auto inter_zone = node.optional("interZone")) {
    inter_zone->expectOnly({"latency", "bandwidth"});
    network.inter_zone = readLink(*inter_zone, network.inter_zone);
  }
  return network;
}

}  // namespace meshproof::scenario
