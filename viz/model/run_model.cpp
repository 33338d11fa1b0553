// Dispatches trace entries to the catalog, the traffic buckets and the control
// timeline, and answers "state at t" from them (see run_model.h, graph_state.h).
#include "viz/model/run_model.h"

#include <algorithm>
#include <set>
#include <type_traits>

#include "viz/model/window_quantile.h"

namespace meshproof::viz {
namespace {

constexpr std::string_view kControlPlaneNode = "control-plane";

void addBucket(Figures& f, const TrafficBucket& b) {
  f.requests += b.requests;
  f.successes += b.successes;
  f.hops += b.hops;
  f.mtls += b.mtls;
  f.rejected += b.rejected;
  f.denied += b.denied;
}

// The window's length and p99 (as LatencyHistogram reports it) from its samples.
void finish(Figures& f, std::vector<DurationNs>& samples, DurationNs window) {
  f.window = window;
  if (!samples.empty()) f.p99_ms = toMillis(histogramQuantile(samples, 0.99));
}

std::optional<std::int64_t> firstBucketWithRequests(const TrafficSeries& s) {
  for (std::size_t i = 0; i < s.buckets.size(); ++i)
    if (s.buckets[i].requests > 0) return s.first_bucket + static_cast<std::int64_t>(i);
  return std::nullopt;
}

MtlsState mtlsStateOf(const Figures& f, std::uint64_t cert_rejections) {
  if (f.rejected > 0 || cert_rejections > 0) return MtlsState::kRejected;
  if (f.hops == 0) return MtlsState::kNoTraffic;
  return f.mtls == f.hops ? MtlsState::kMutual : MtlsState::kPlaintext;
}

}  // namespace

std::optional<std::size_t> ServiceGraph::edgeBetween(std::size_t from, std::size_t to) const {
  const auto it = std::lower_bound(edges.begin(), edges.end(), std::pair{from, to},
                                   [](const CallEdge& e, const std::pair<std::size_t, std::size_t>& key) {
                                     return std::pair{e.from, e.to} < key;
                                   });
  if (it == edges.end() || it->from != from || it->to != to) return std::nullopt;
  return static_cast<std::size_t>(it - edges.begin());
}

RunModel::RunModel(DurationNs bucket_width) : traffic_(bucket_width) {}

TimeNs RunModel::endTime() const { return std::max(run_ ? run_->duration : 0, last_event_); }

std::uint64_t RunModel::structureRevision() const {
  return catalog_.revision() + traffic_.series().size() + timeline_.instanceNames().size();
}

RunModel::NameFacts& RunModel::factsOf(NameId id) {
  if (id >= facts_.size()) facts_.resize(static_cast<std::size_t>(id) + 1);
  return facts_[id];
}

NameId RunModel::versionOf(NameId subset, NameId instance, const RequestEvent& r) {
  if (!r.destination_subset.empty() || r.destination_instance.empty()) return subset;
  NameFacts& facts = factsOf(instance);
  if (!facts.version) {
    const auto parts = splitInstanceName(r.destination_instance);
    facts.version = parts && parts->service == r.destination_service ? names_.intern(parts->version) : subset;
  }
  return *facts.version;
}

void RunModel::appendRequest(const RequestEvent& r) {
  // The callee's line of an mTLS hop adds nothing the caller's line does not say
  // (TraceLoader does not even parse those lines: isIgnoredLine).
  if (r.reporter != "source" && !r.source_principal.empty() && (r.flags & kMtlsRejected) == 0) return;
  const NameId instance = names_.intern(r.destination_instance);
  NameFacts& answered = factsOf(instance);
  // An instance answers for one service and subset: compare with what it answered
  // for last time rather than look both names up (two hash lookups per line).
  NameId destination = 0, routed_subset = 0;
  if (answered.destination && answered.subset && names_.name(*answered.destination) == r.destination_service &&
      names_.name(*answered.subset) == r.destination_subset) {
    destination = *answered.destination;
    routed_subset = *answered.subset;
  } else {
    destination = names_.intern(r.destination_service);
    routed_subset = names_.intern(r.destination_subset);
  }
  // Routed without subsets: the version is the answering instance's (by its name).
  const NameId subset = versionOf(routed_subset, instance, r);
  if (answered.destination != destination || answered.subset != routed_subset) {
    catalog_.noteDestination(r.destination_service, r.destination_subset, r.destination_instance);
    answered.destination = destination;
    answered.subset = routed_subset;
  }
  const NameId caller = names_.intern(r.source);
  if (r.reporter == "source") {
    NameFacts& calling = factsOf(caller);
    if (!calling.principal || *calling.principal != r.source_principal) {
      catalog_.noteCaller(r.source, r.source_principal);
      calling.principal = r.source_principal;
    }
    traffic_.addSourceHop(caller, destination, subset, r);
  } else {
    traffic_.addDestinationHop(caller, destination, subset, r);  // its caller is noted in graph()
  }
}

void RunModel::append(TimeNs t, const Event& event) {
  ++events_;
  if (!std::holds_alternative<VerdictEvent>(event)) last_event_ = std::max(last_event_, t);
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, RequestEvent>) {
          appendRequest(e);
        } else if constexpr (std::is_same_v<E, BreakerEvent>) {
          timeline_.addBreaker(t, e);
        } else if constexpr (std::is_same_v<E, EjectionEvent>) {
          timeline_.addEjection(t, e);
        } else if constexpr (std::is_same_v<E, FaultEvent>) {
          timeline_.addFault(t, e);
        } else if constexpr (std::is_same_v<E, RunEvent>) {
          run_ = e;
        } else if constexpr (std::is_same_v<E, EndpointEvent>) {
          catalog_.noteEndpoint(e);
          timeline_.addEndpoint(t, e);
        } else if constexpr (std::is_same_v<E, ConfigEvent>) {
          timeline_.addConfig(t, e);
        } else if constexpr (std::is_same_v<E, CertEvent>) {
          timeline_.addCert(t, e);
        } else if constexpr (std::is_same_v<E, CanaryEvent>) {
          timeline_.addCanary(t, e);
        } else if constexpr (std::is_same_v<E, VerdictEvent>) {
          verdicts_.push_back(e);
          if (!e.passed) timeline_.addFailedExpectation(e.decided_at.value_or(t), e);
        }
        // client and audit lines: end-to-end and audit logs, not drawn.
      },
      event);
}

const ServiceGraph& RunModel::graph() const {
  if (graph_ && graph_revision_ == structureRevision()) return *graph_;
  // Callers with no sidecar exist only while some of their lines stay unclaimed.
  ServiceCatalog catalog = catalog_;
  for (const std::string& name : timeline_.instanceNames()) catalog.noteInstanceName(name);
  for (const TrafficSeries& s : traffic_.series())
    if (s.key.destination_reported && firstBucketWithRequests(s)) catalog.noteCaller(names_.name(s.key.caller), {});
  ServiceGraph g;
  g.topology = catalog.build();
  const Topology& topo = g.topology;
  std::map<std::pair<std::size_t, std::size_t>, TimeNs> edges;
  struct Endpoints {
    std::size_t from, to, version;
  };
  std::vector<Endpoints> ends;
  for (const TrafficSeries& s : traffic_.series()) {
    const auto from = topo.nodeOfCaller(names_.name(s.key.caller));
    const auto to = topo.nodeNamed(names_.name(s.key.destination));
    const auto first_bucket = firstBucketWithRequests(s);
    if (!from || !to || !first_bucket) {
      ends.push_back({ServiceGraph::kNone, ServiceGraph::kNone, ServiceGraph::kNone});
      continue;
    }
    const auto version = topo.versionNamed(*to, names_.name(s.key.subset));
    ends.push_back({*from, *to, version.value_or(ServiceGraph::kNone)});
    // Claims may have emptied the first buckets of a destination-reported series.
    const TimeNs first_seen = s.key.destination_reported ? *first_bucket * traffic_.bucketWidth() : s.first_end;
    auto [it, inserted] = edges.try_emplace({*from, *to}, first_seen);
    if (!inserted) it->second = std::min(it->second, first_seen);
  }
  for (const auto& [key, first_seen] : edges) g.edges.push_back({key.first, key.second, first_seen});
  g.series_into.resize(topo.nodes.size());
  g.edge_series.resize(g.edges.size());
  for (std::size_t i = 0; i < ends.size(); ++i) {
    ServiceGraph::Route route;
    if (ends[i].from != ServiceGraph::kNone) {
      route.edge = *g.edgeBetween(ends[i].from, ends[i].to);
      route.node = ends[i].to;
      route.version = ends[i].version;
      g.edge_series[route.edge].push_back(i);
      if (!traffic_.series()[i].key.destination_reported) g.series_into[route.node].push_back(i);
    }
    g.routes.push_back(route);
  }
  graph_ = std::move(g);
  graph_revision_ = structureRevision();
  figures_cache_ = {};
  return *graph_;
}

const RunModel::WindowFigures& RunModel::figuresFor(std::int64_t from_bucket, std::int64_t to_bucket) const {
  const ServiceGraph& g = graph();
  WindowFigures& cache = figures_cache_;
  if (cache.from_bucket == from_bucket && cache.to_bucket == to_bucket && cache.revision == revision() &&
      cache.nodes.size() == g.topology.nodes.size())
    return cache;
  const DurationNs window = (to_bucket - from_bucket) * traffic_.bucketWidth();
  const auto& series = traffic_.series();
  // One pass over the buckets (the memory-bound part): each series' window totals,
  // and its samples side by side in one buffer.
  struct SeriesWindow {
    Figures totals;
    std::size_t begin = 0, end = 0;  // its samples in `flat`
  };
  std::vector<SeriesWindow> windows(series.size());
  std::vector<DurationNs>& flat = scratch_flat_;
  flat.clear();
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (g.routes[i].edge == ServiceGraph::kNone) continue;
    windows[i].begin = flat.size();
    series[i].forEachBucket(from_bucket, to_bucket, [&](const TrafficBucket& b) {
      addBucket(windows[i].totals, b);
      flat.insert(flat.end(), b.latencies.begin(), b.latencies.end());
    });
    windows[i].end = flat.size();
  }
  std::vector<DurationNs>& samples = scratch_samples_;
  // Figures of a set of series over the window.
  auto figuresOf = [&](auto&& series_indices) {
    Figures f;
    samples.clear();
    for (const std::size_t i : series_indices) {
      const SeriesWindow& w = windows[i];
      f.requests += w.totals.requests;
      f.successes += w.totals.successes;
      f.hops += w.totals.hops;
      f.mtls += w.totals.mtls;
      f.rejected += w.totals.rejected;
      f.denied += w.totals.denied;
      samples.insert(samples.end(), flat.begin() + static_cast<std::ptrdiff_t>(w.begin),
                     flat.begin() + static_cast<std::ptrdiff_t>(w.end));
    }
    finish(f, samples, window);
    return f;
  };
  cache.edges.resize(g.edges.size());
  for (std::size_t e = 0; e < g.edges.size(); ++e) cache.edges[e] = figuresOf(g.edge_series[e]);
  const std::size_t node_count = g.topology.nodes.size();
  cache.nodes.resize(node_count);
  cache.versions.resize(node_count);
  std::vector<std::size_t> of_version;
  for (std::size_t n = 0; n < node_count; ++n) {
    cache.nodes[n] = figuresOf(g.series_into[n]);
    cache.versions[n].resize(g.topology.nodes[n].versions.size());
    for (std::size_t v = 0; v < cache.versions[n].size(); ++v) {
      of_version.clear();
      for (const std::size_t i : g.series_into[n])
        if (g.routes[i].version == v) of_version.push_back(i);
      cache.versions[n][v] = figuresOf(of_version);
    }
  }
  cache.from_bucket = from_bucket;
  cache.to_bucket = to_bucket;
  cache.revision = revision();
  return cache;
}

GraphState RunModel::stateAt(TimeNs t, DurationNs window) const {
  const ServiceGraph& g = graph();
  const DurationNs width = traffic_.bucketWidth();
  GraphState state;
  state.t = t;
  state.window_to = std::max<TimeNs>(0, t) / width * width;
  state.window_from = std::max<TimeNs>(0, state.window_to - window);
  const WindowFigures& figures = figuresFor(state.window_from / width, state.window_to / width);

  state.nodes.resize(g.topology.nodes.size());
  for (std::size_t n = 0; n < state.nodes.size(); ++n) {
    NodeState& node = state.nodes[n];
    node.figures = figures.nodes[n];
    node.versions.resize(figures.versions[n].size());
    for (std::size_t v = 0; v < node.versions.size(); ++v) node.versions[v].figures = figures.versions[n][v];
  }
  state.edges.resize(g.edges.size());
  for (std::size_t e = 0; e < g.edges.size(); ++e) {
    state.edges[e].figures = figures.edges[e];
    state.edges[e].seen = g.edges[e].first_seen <= t;
  }
  addDiscreteState(g, t, window, state);
  for (EdgeState& e : state.edges) e.mtls = mtlsStateOf(e.figures, e.cert_rejections);
  return state;
}

const std::vector<std::vector<const InstanceHistory*>>& RunModel::historiesOf(const ServiceGraph& g) const {
  const std::pair<std::uint64_t, std::uint64_t> key{graph_revision_, timeline_.historiesRevision()};
  if (histories_key_ == key && histories_.size() == g.topology.nodes.size()) return histories_;
  histories_.assign(g.topology.nodes.size(), {});
  for (std::size_t n = 0; n < g.topology.nodes.size(); ++n)
    for (const Topology::Instance& instance : g.topology.nodes[n].instances)
      histories_[n].push_back(timeline_.history(instance.name));
  histories_key_ = key;
  return histories_;
}

void RunModel::addDiscreteState(const ServiceGraph& g, TimeNs t, DurationNs window, GraphState& state) const {
  const Topology& topo = g.topology;
  // Faults: on their instances, or mesh-wide.
  for (const FaultInterval* f : timeline_.faultsAt(t)) {
    state.faults.push_back({f->type, f->description, f->targets.empty(), f->start});
    for (const std::string& target : f->targets) {
      const auto ref = topo.instanceNamed(target);
      if (!ref) continue;
      InstanceState& instance = [&]() -> InstanceState& {
        NodeState& node = state.nodes[ref->node];
        node.instances.resize(topo.nodes[ref->node].instances.size());
        return node.instances[ref->instance];
      }();
      instance.faults.push_back(f->type);
      if (f->type == "crash") instance.down = true;
    }
  }
  for (std::size_t n = 0; n < topo.nodes.size(); ++n) {
    const Topology::Node& tn = topo.nodes[n];
    NodeState& node = state.nodes[n];
    node.instances.resize(tn.instances.size());
    if (tn.kind != NodeKind::kService) continue;
    const BreakerStatus breaker = timeline_.breakerAt(tn.name, t, window);
    node.breaker = {breaker.open, breaker.trips, breaker.thresholds};
    if (const auto canary = timeline_.canaryAt(tn.name, t)) {
      const CanaryEvent& c = canary->value;
      node.canary = CanaryBadge{c.stable, c.canary, c.weight, c.verdict, c.iteration, c.reason, canary->t};
      if (const auto v = topo.versionNamed(n, c.canary)) node.versions[*v].weight_percent = c.weight;
      if (const auto v = topo.versionNamed(n, c.stable)) node.versions[*v].weight_percent = 100 - c.weight;
    }
    std::set<std::string> fault_types;
    const std::vector<const InstanceHistory*>& histories = historiesOf(g)[n];
    for (std::size_t i = 0; i < tn.instances.size(); ++i) {
      const InstanceHistory* history = histories[i];
      InstanceState& instance = node.instances[i];
      instance.ejected = ControlTimeline::ejectedAt(history, t);
      const std::string* endpoint = ControlTimeline::endpointStateAt(history, t);
      instance.unhealthy = endpoint && *endpoint == "unhealthy";
      const CertStatus cert = ControlTimeline::certAt(history, t);
      if (cert.current && cert.current->expires != 0) instance.cert_expires = cert.current->expires;
      instance.cert_expired = cert.expired;
      instance.cert_denied = cert.denied;
      const NodeConfigStatus config = ControlTimeline::configAt(history, t);
      instance.config_applied = config.applied;
      instance.config_rejected = config.rejected;
      instance.health = instance.down        ? Health::kDown
                        : instance.ejected   ? Health::kEjected
                        : instance.unhealthy ? Health::kUnhealthy
                                             : Health::kHealthy;
      node.ejected += instance.ejected ? 1 : 0;
      node.down += instance.down ? 1 : 0;
      node.expired_certs += instance.cert_expired ? 1 : 0;
      node.config_rejected += config.rejected ? 1 : 0;
      fault_types.insert(instance.faults.begin(), instance.faults.end());
    }
    node.faults.assign(fault_types.begin(), fault_types.end());
  }
  // Certificates refused by a verifying sidecar: on the edge from the peer to it.
  for (const Timed<CertEvent>* rejection : timeline_.certRejections(t - window, t)) {
    const CertEvent& c = rejection->value;
    const auto verifier = topo.instanceNamed(c.instance);
    std::optional<std::size_t> peer = topo.nodeOfCaller(c.peer);
    if (!peer) {
      if (const auto ref = topo.instanceNamed(c.peer)) peer = ref->node;
    }
    if (!verifier || !peer) continue;
    if (const auto edge = g.edgeBetween(*peer, verifier->node)) ++state.edges[*edge].cert_rejections;
  }
  const ConfigStatus config = timeline_.configAt(t);
  state.config = {config.published, config.cause, config.sidecars, config.current, config.rejected};
}

std::vector<SeriesPoint> RunModel::nodeSeries(std::size_t node) const {
  const ServiceGraph& g = graph();
  std::vector<SeriesPoint> points;
  if (node >= g.series_into.size()) return points;
  const DurationNs width = traffic_.bucketWidth();
  const auto& series = traffic_.series();
  std::vector<DurationNs> samples;
  for (std::int64_t b = 0; b < traffic_.bucketEnd(); ++b) {
    SeriesPoint p;
    p.from = b * width;
    samples.clear();
    for (const std::size_t i : g.series_into[node]) {
      series[i].forEachBucket(b, b + 1, [&](const TrafficBucket& bucket) {
        addBucket(p.figures, bucket);
        samples.insert(samples.end(), bucket.latencies.begin(), bucket.latencies.end());
      });
    }
    finish(p.figures, samples, width);
    points.push_back(std::move(p));
  }
  return points;
}

}  // namespace meshproof::viz
