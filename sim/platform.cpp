// SimGrid zones, hosts and links from the scenario's network section.
#include "sim/platform.h"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <stdexcept>

namespace meshproof::sim {
namespace sg4 = simgrid::s4u;

namespace {
double seconds(DurationNs d) { return static_cast<double>(d) / kSecond; }
// SimGrid expresses bandwidth in bytes per second; scenarios in bits per second.
double bytesPerSecond(double bits_per_second) { return bits_per_second / 8; }
}  // namespace

std::vector<std::string> engineArguments(bool verbose) {
  std::vector<std::string> args = {
      "meshproof",
      // CM02 is SimGrid's plain latency + bandwidth model: no LV08 corrections.
      "--cfg=network/model:CM02",
      "--cfg=network/crosstraffic:0",
  };
#if defined(__SANITIZE_ADDRESS__)
  // SimGrid's default contexts switch stacks behind AddressSanitizer's back (the
  // Debian build does not announce its fibers), which ASan then reports as stack
  // overflows at the first exception thrown in an actor. Thread contexts give each
  // actor a stack ASan knows; actors still run one at a time in the same order.
  args.push_back("--cfg=contexts/factory:thread");
#endif
  if (!verbose) args.push_back("--log=root.thres:critical");
  return args;
}

Platform::Platform(const NetworkSpec& network, const std::vector<HostSpec>& hosts) : network_(network) {
  if (network_.zones.empty()) throw std::invalid_argument("platform: no network zone");
  auto* root = sg4::create_star_zone("mesh");
  std::map<std::string, sg4::NetZone*> zones;
  for (const ZoneSpec& z : network_.zones) {
    auto* zone = sg4::create_star_zone(z.name);
    zone->set_parent(root);
    zones[z.name] = zone;
  }
  for (const HostSpec& h : hosts) {
    auto it = zones.find(h.zone);
    if (it == zones.end()) throw std::invalid_argument("platform: host " + h.name + " in unknown zone " + h.zone);
    const ZoneSpec& spec = *std::find_if(network_.zones.begin(), network_.zones.end(),
                                         [&](const ZoneSpec& z) { return z.name == h.zone; });
    sg4::Host* host = it->second->create_host(h.name, 1e9);
    sg4::SplitDuplexLink* link = it->second->create_split_duplex_link(h.name + "-link", bytesPerSecond(spec.bandwidth_bps));
    link->set_latency(seconds(spec.latency) / 2);
    link->seal();
    it->second->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                          {sg4::LinkInRoute(link, sg4::LinkInRoute::Direction::UP)}, true);
    host->seal();
    hosts_[h.name] = host;
    host_links_[h.name] = link;
    host_zone_[h.name] = h.zone;
  }
  for (const ZoneSpec& z : network_.zones) {
    sg4::NetZone* zone = zones[z.name];
    auto* gateway = zone->create_router(z.name + "-gw");
    sg4::SplitDuplexLink* uplink = root->create_split_duplex_link(z.name + "-uplink",
                                                                     bytesPerSecond(network_.inter_zone_bandwidth_bps));
    uplink->set_latency(seconds(std::max<DurationNs>(0, network_.inter_zone_latency - z.latency)) / 2);
    uplink->seal();
    zone->seal();
    root->add_route(zone->get_netpoint(), nullptr, gateway, nullptr,
                    {sg4::LinkInRoute(uplink, sg4::LinkInRoute::Direction::UP)}, true);
  }
  root->seal();
}

sg4::Host* Platform::host(const std::string& name) const {
  auto it = hosts_.find(name);
  return it == hosts_.end() ? nullptr : it->second;
}

sg4::Link* Platform::hostLink(const std::string& name) const {
  auto it = host_links_.find(name);
  return it == host_links_.end() ? nullptr : it->second;
}

const std::string& Platform::zoneOf(const std::string& host) const { return host_zone_.at(host); }

std::vector<std::string> Platform::hostsInZone(const std::string& zone) const {
  std::vector<std::string> out;
  for (const auto& [name, z] : host_zone_)
    if (z == zone) out.push_back(name);
  return out;
}

}  // namespace meshproof::sim
