// Helpers for simulation tests: run a scenario text in a forked child and bring the
// client-side results back as lines of text ("status duration_ns flags lost").
#pragma once
#include <sstream>
#include <string>
#include <vector>

#include "fork_runner.h"
#include "mesh/core/rng.h"
#include "mesh/scenario/scenario_loader.h"
#include "sim/simulation.h"

namespace meshproof::sim::testing {

struct ClientOutcome {
  int status = 0;
  DurationNs duration = 0;
  ResponseFlags flags = 0;
  bool lost = false;
};

struct SimRun {
  int exit_code = 0;
  std::string error;
  std::vector<ClientOutcome> clients;
  std::uint64_t events = 0;
  std::uint64_t fingerprint = 0;  // a hash over every event's kind, time and main fields
};

// Folds events into a fingerprint and keeps client outcomes.
class CollectingSink final : public EventSink {
 public:
  void emit(TimeNs t, const Event& e) override {
    ++events;
    mix(static_cast<std::uint64_t>(t));
    mix(e.index());
    if (const auto* r = std::get_if<RequestEvent>(&e)) {
      mix(static_cast<std::uint64_t>(r->status));
      mix(stableHash(r->destination_instance));
      mix(stableHash(r->trace_id));
    } else if (const auto* c = std::get_if<ClientRequestEvent>(&e)) {
      out << c->status << ' ' << c->duration << ' ' << c->flags << ' ' << c->lost << '\n';
    }
  }
  void mix(std::uint64_t v) { fingerprint = stableHash(std::to_string(v), fingerprint); }
  std::uint64_t events = 0;
  std::uint64_t fingerprint = 0;
  std::ostringstream out;
};

inline SimRun simulateText(const std::string& yaml, std::uint64_t seed) {
  const auto child = runInChild([&] {
    const scenario::Plan plan = scenario::loadScenarioText(yaml, "test.yaml");
    CollectingSink sink;
    SimulationOptions options;
    options.seed = seed;
    simulate(plan, options, sink);
    return std::to_string(sink.events) + " " + std::to_string(sink.fingerprint) + "\n" + sink.out.str();
  });
  SimRun run;
  run.exit_code = child.exit_code;
  if (child.exit_code != 0) {
    run.error = child.output;
    return run;
  }
  std::istringstream in(child.output);
  in >> run.events >> run.fingerprint;
  ClientOutcome o;
  while (in >> o.status >> o.duration >> o.flags >> o.lost) run.clients.push_back(o);
  return run;
}

}  // namespace meshproof::sim::testing

#include "chaos/trace/trace_format.h"
#include "chaos/trace/trace_reader.h"

namespace meshproof::sim::testing {

// Runs the scenario in a child and returns its whole trace, parsed.
inline chaos::TraceContents simulateTrace(const std::string& yaml, std::uint64_t seed) {
  const auto child = runInChild([&] {
    const scenario::Plan plan = scenario::loadScenarioText(yaml, "test.yaml");
    std::ostringstream trace;
    struct LineSink final : EventSink {
      std::ostringstream& out;
      explicit LineSink(std::ostringstream& o) : out(o) {}
      void emit(TimeNs t, const Event& e) override { out << chaos::formatTraceLine(t, e); }
    } sink(trace);
    SimulationOptions options;
    options.seed = seed;
    simulate(plan, options, sink);
    return trace.str();
  });
  if (child.exit_code != 0) throw std::runtime_error("simulation failed: " + child.output);
  std::istringstream in(child.output);
  return chaos::readTrace(in);
}

template <typename T>
std::vector<std::pair<TimeNs, T>> eventsOf(const chaos::TraceContents& trace) {
  std::vector<std::pair<TimeNs, T>> out;
  for (const auto& e : trace.entries)
    if (const T* p = std::get_if<T>(&e.event)) out.emplace_back(e.t, *p);
  return out;
}

}  // namespace meshproof::sim::testing
