// RunModel: everything the visualizer knows about one run, with no widgets.
//
// It takes trace entries one at a time (append), in trace order, so the same model
// serves a recorded trace (TraceLoader feeds it) and, later, a live run streaming
// events while it is in progress (RunModelSink below is an EventSink that feeds
// it). Queries answer "what was the state at time t" without replaying: request
// figures come from per-call-path time buckets (TrafficStore), discrete states from
// time-sorted event lists (ControlTimeline).
//
// Not thread-safe: one thread appends and queries (the GUI thread in live mode,
// receiving batches from the driver through a queued connection).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "chaos/trace/trace_reader.h"
#include "mesh/core/events.h"
#include "viz/model/control_timeline.h"
#include "viz/model/graph_state.h"
#include "viz/model/name_table.h"
#include "viz/model/service_catalog.h"
#include "viz/model/traffic_store.h"

namespace meshproof::viz {

inline constexpr DurationNs kDefaultWindow = 5 * kSecond;

// One observed call path between two nodes of the topology.
struct CallEdge {
  std::size_t from = 0;
  std::size_t to = 0;
  TimeNs first_seen = kNever;  // earliest end of a request on it
};

// The topology plus the call paths, and where each traffic series belongs.
struct ServiceGraph {
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct Route {
    std::size_t edge = kNone;
    std::size_t node = kNone;     // destination node
    std::size_t version = kNone;  // destination version (kNone without a subset)
  };
  Topology topology;
  std::vector<CallEdge> edges;  // sorted by (from, to)
  std::vector<Route> routes;    // one per TrafficStore series
  std::vector<std::vector<std::size_t>> series_into;  // per node: its source-reported series
  std::vector<std::vector<std::size_t>> edge_series;  // per edge: its series

  std::optional<std::size_t> edgeBetween(std::size_t from, std::size_t to) const;
};

// One bucket of a service's figures, for the charts.
struct SeriesPoint {
  TimeNs from = 0;
  Figures figures;
};

class RunModel {
 public:
  explicit RunModel(DurationNs bucket_width = kSecond);

  void append(const chaos::TraceEntry& entry) { append(entry.t, entry.event); }
  void append(TimeNs t, const Event& event);

  const std::optional<RunEvent>& run() const { return run_; }
  const std::vector<VerdictEvent>& expectations() const { return verdicts_; }
  const std::vector<Marker>& markers() const { return timeline_.markers(); }
  const ControlTimeline& timeline() const { return timeline_; }
  std::uint64_t events() const { return events_; }
  // The run's duration or the last event before the verdicts, whichever is later.
  TimeNs endTime() const;
  DurationNs bucketWidth() const { return traffic_.bucketWidth(); }

  // Grows with every append; views refresh when it moves.
  std::uint64_t revision() const { return events_; }
  // Grows when a node, version, instance or call path appears (the layout changes).
  std::uint64_t structureRevision() const;

  const ServiceGraph& graph() const;
  GraphState stateAt(TimeNs t, DurationNs window = kDefaultWindow) const;
  // Figures of a node per bucket, from 0 to the last bucket with traffic.
  std::vector<SeriesPoint> nodeSeries(std::size_t node) const;

 private:
  struct WindowFigures {
    std::int64_t from_bucket = -1;
    std::int64_t to_bucket = -1;
    std::uint64_t revision = 0;
    std::vector<Figures> nodes;
    std::vector<std::vector<Figures>> versions;
    std::vector<Figures> edges;
  };
  void appendRequest(const RequestEvent& request);
  // The subset, or for a request routed without subsets the answering instance's version.
  NameId versionOf(NameId subset, NameId instance, const RequestEvent& request);
  const WindowFigures& figuresFor(std::int64_t from_bucket, std::int64_t to_bucket) const;
  void addDiscreteState(const ServiceGraph& g, TimeNs t, DurationNs window, GraphState& state) const;

  NameTable names_;
  ServiceCatalog catalog_;
  TrafficStore traffic_;
  ControlTimeline timeline_;
  std::optional<RunEvent> run_;
  std::vector<VerdictEvent> verdicts_;
  std::uint64_t events_ = 0;
  TimeNs last_event_ = 0;
  // Per interned name, what the catalog has already been told (so that it hears each
  // fact once, without a hash lookup per line) and an instance's version by name.
  struct NameFacts {
    std::optional<NameId> version;
    std::optional<NameId> destination;  // as an answering instance: of this service...
    std::optional<NameId> subset;       // ...routed to this subset
    std::optional<std::string> principal;  // as a caller: with this principal
  };
  NameFacts& factsOf(NameId id);
  std::vector<NameFacts> facts_;

  mutable std::optional<ServiceGraph> graph_;
  mutable std::uint64_t graph_revision_ = 0;
  mutable WindowFigures figures_cache_;
  mutable std::vector<DurationNs> scratch_samples_;
  mutable std::vector<DurationNs> scratch_flat_;
  // Per topology instance, its history in the timeline (lookups by name once, not per frame).
  const std::vector<std::vector<const InstanceHistory*>>& historiesOf(const ServiceGraph& g) const;
  mutable std::vector<std::vector<const InstanceHistory*>> histories_;
  mutable std::pair<std::uint64_t, std::uint64_t> histories_key_{~0ull, ~0ull};
};

// Live mode's entry point: an EventSink that appends to a model.
class RunModelSink final : public EventSink {
 public:
  explicit RunModelSink(RunModel& model) : model_(model) {}
  void emit(TimeNs t, const Event& event) override { model_.append(t, event); }

 private:
  RunModel& model_;
};

}  // namespace meshproof::viz
