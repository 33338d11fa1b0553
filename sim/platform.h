// Builds the SimGrid platform for a scenario's network: one star zone per network
// zone (each host has its own split-duplex link to the zone's centre) under a root
// star zone (each zone has an up/down link to the root's centre). Latencies are set
// so that a message sees exactly the configured one-way latency:
//   same zone A:      host link A/2 + host link A/2                     = zone latency A
//   zones A -> B:     A/2 + (I - A)/2 + (I - B)/2 + B/2                  = interZone latency I
// (an inter-zone latency smaller than a zone's own is raised to it). The network
// model is CM02 with no latency or bandwidth correction factors, so 2 ms means 2 ms.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "mesh/core/time.h"

namespace simgrid::s4u {
class Host;
class Link;
class NetZone;
}  // namespace simgrid::s4u

namespace meshproof::sim {

struct ZoneSpec {
  std::string name;
  DurationNs latency = 100 * kMicrosecond;
  double bandwidth_bps = 10e9;
};

struct NetworkSpec {
  std::vector<ZoneSpec> zones;  // at least one
  DurationNs inter_zone_latency = 2 * kMillisecond;
  double inter_zone_bandwidth_bps = 1e9;
};

struct HostSpec {
  std::string name;
  std::string zone;
};

// The SimGrid engine options meshproof always uses (call before creating the Engine's
// platform): CM02 without factors, no cross-traffic, quiet logs unless `verbose`.
std::vector<std::string> engineArguments(bool verbose);

class Platform {
 public:
  // Creates zones, hosts and links in the current Engine and seals them.
  Platform(const NetworkSpec& network, const std::vector<HostSpec>& hosts);

  simgrid::s4u::Host* host(const std::string& name) const;
  // The host's own link (both directions); nullptr if unknown.
  simgrid::s4u::Link* hostLink(const std::string& name) const;
  const std::string& zoneOf(const std::string& host) const;
  std::vector<std::string> hostsInZone(const std::string& zone) const;
  const NetworkSpec& network() const { return network_; }

 private:
  NetworkSpec network_;
  std::map<std::string, simgrid::s4u::Host*> hosts_;
  std::map<std::string, simgrid::s4u::Link*> host_links_;
  std::map<std::string, std::string> host_zone_;
};

}  // namespace meshproof::sim
