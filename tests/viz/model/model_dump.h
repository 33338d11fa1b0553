// Everything a RunModel says, as text: topology, call paths, markers, verdicts and
// the state at a few instants, every field of it. Two models are the same for the
// views when their dumps are equal (and a failing comparison shows where they differ).
#pragma once
#include <sstream>
#include <string>
#include <vector>

#include "chaos/trace/trace_format.h"
#include "viz/model/run_model.h"

namespace meshproof::viz::testing {

inline void dumpFigures(std::ostream& out, const Figures& f) {
  out << " req=" << f.requests << " ok=" << f.successes << " hops=" << f.hops << " mtls=" << f.mtls
      << " rej=" << f.rejected << " den=" << f.denied << " w=" << f.window << " p99=";
  if (f.p99_ms) out << *f.p99_ms;
  else out << "-";
}

inline std::string dumpState(const GraphState& s) {
  std::ostringstream out;
  out.precision(17);
  out << "t=" << s.t << " window=[" << s.window_from << "," << s.window_to << ")\n";
  for (std::size_t n = 0; n < s.nodes.size(); ++n) {
    const NodeState& node = s.nodes[n];
    out << " node " << n;
    dumpFigures(out, node.figures);
    out << " breaker=" << node.breaker.open << "/" << node.breaker.trips;
    for (const auto& t : node.breaker.thresholds) out << "," << t;
    out << " ejected=" << node.ejected << " down=" << node.down << " expired=" << node.expired_certs
        << " cfg_rej=" << node.config_rejected << " faults=";
    for (const auto& f : node.faults) out << f << ",";
    if (node.canary)
      out << " canary=" << node.canary->stable << ">" << node.canary->canary << ":" << node.canary->weight << ":"
          << node.canary->verdict << ":" << node.canary->iteration << ":" << node.canary->reason << "@"
          << node.canary->at;
    out << "\n";
    for (std::size_t v = 0; v < node.versions.size(); ++v) {
      out << "  version " << v;
      dumpFigures(out, node.versions[v].figures);
      out << " weight=" << (node.versions[v].weight_percent ? std::to_string(*node.versions[v].weight_percent) : "-")
          << "\n";
    }
    for (std::size_t i = 0; i < node.instances.size(); ++i) {
      const InstanceState& in = node.instances[i];
      out << "  instance " << i << " health=" << static_cast<int>(in.health) << " down=" << in.down
          << " ejected=" << in.ejected << " unhealthy=" << in.unhealthy << " faults=";
      for (const auto& f : in.faults) out << f << ",";
      out << " cert=" << (in.cert_expires ? std::to_string(*in.cert_expires) : "-") << "/" << in.cert_expired << "/"
          << in.cert_denied << " cfg=" << (in.config_applied ? std::to_string(*in.config_applied) : "-") << "/"
          << (in.config_rejected ? std::to_string(*in.config_rejected) : "-") << "\n";
    }
  }
  for (std::size_t e = 0; e < s.edges.size(); ++e) {
    const EdgeState& edge = s.edges[e];
    out << " edge " << e << " seen=" << edge.seen;
    dumpFigures(out, edge.figures);
    out << " mtls=" << static_cast<int>(edge.mtls) << " certrej=" << edge.cert_rejections << "\n";
  }
  for (const ActiveFault& f : s.faults)
    out << " fault " << f.type << " " << f.description << " wide=" << f.mesh_wide << " since=" << f.since << "\n";
  out << " config " << (s.config.version ? std::to_string(*s.config.version) : "-") << " " << s.config.cause << " "
      << s.config.sidecars << "/" << s.config.current << "/" << s.config.rejected << "\n";
  return out.str();
}

// `count_events` off: leave out how many events were appended (a load that skips the
// lines the model ignores appends fewer, to the same effect).
inline std::string dumpModel(const RunModel& m, const std::vector<TimeNs>& times, bool count_events = true) {
  std::ostringstream out;
  if (count_events) out << "events=" << m.events();
  out << " end=" << m.endTime() << "\n";
  if (m.run()) out << "run " << chaos::formatTraceLine(0, *m.run());
  const ServiceGraph& g = m.graph();
  for (const Topology::Node& n : g.topology.nodes) {
    out << "node " << n.name << " kind=" << static_cast<int>(n.kind) << "\n";
    for (const Topology::Version& v : n.versions) {
      out << " version " << v.name << ":";
      for (const std::size_t i : v.instances) out << " " << i;
      out << "\n";
    }
    for (const Topology::Instance& i : n.instances)
      out << " instance " << i.name << " v" << i.version << " " << i.zone << "\n";
  }
  for (const CallEdge& e : g.edges) out << "edge " << e.from << "->" << e.to << " first=" << e.first_seen << "\n";
  for (const Marker& mk : m.markers())
    out << "marker " << mk.t << " " << static_cast<int>(mk.kind) << " " << mk.label << "\n";
  for (const VerdictEvent& v : m.expectations()) out << "verdict " << chaos::formatTraceLine(0, v);
  for (const TimeNs t : times) out << dumpState(m.stateAt(t));
  return out.str();
}

}  // namespace meshproof::viz::testing
