// The visualizer at scale: a synthetic trace of 1,000 services (3,000 instances, 10
// layers, about 1,900 call paths) and 1,000,000 lines, written in the real trace
// format (chaos::appendTraceLine) once and cached in the temp directory.
//
//   BM_LoadTrace       parse (chaos::parseTraceLine on 2 threads) + model build + graph
//   BM_OpenScene       layout (Boost.Graph Fruchterman-Reingold) + scene items
//   BM_StateAt         the model's "state at t" alone, a new 1 s window each time
//   BM_Frame/...       one frame as playback draws it: stateAt + showState + render
//                      offscreen into a 1600x1000 QImage; `1x` steps 1/30 s per
//                      frame (playing at 1x), `30x` steps 1 s (a new window every
//                      frame); `fit` shows the whole graph, `zoom1` cards at 100%.
// Frame times are reported as ms per frame and frames per second.
#include <benchmark/benchmark.h>

#include <QApplication>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "chaos/trace/trace_format.h"
#include "viz/layout/graph_layout.h"
#include "viz/model/trace_loader.h"
#include "viz/ui/graph_scene.h"

namespace {

using namespace meshproof;
using namespace meshproof::viz;

constexpr int kServices = 1000;
constexpr int kLayers = 10;
constexpr int kPerLayer = kServices / kLayers;
constexpr int kCallsPerService = 2;
constexpr std::uint64_t kLines = 1'000'000;
constexpr TimeNs kDuration = 100 * kSecond;

std::string serviceName(int i) {
  char name[16];
  std::snprintf(name, sizeof name, "svc-%04d", i);
  return name;
}

// Deterministic pseudo-random numbers (a 64-bit LCG), for latencies and statuses.
struct Lcg {
  std::uint64_t state = 42;
  std::uint64_t next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  }
};

struct CallPath {
  int from = -1;  // -1: the ingress gateway
  int to = 0;
};

std::vector<CallPath> callPaths() {
  std::vector<CallPath> paths;
  for (int s = 0; s < kPerLayer; ++s) paths.push_back({-1, s});
  for (int layer = 0; layer + 1 < kLayers; ++layer)
    for (int s = 0; s < kPerLayer; ++s)
      for (int k = 0; k < kCallsPerService; ++k)
        paths.push_back({layer * kPerLayer + s, (layer + 1) * kPerLayer + (s * 7 + k * 13 + layer) % kPerLayer});
  return paths;
}

// Control-plane and failure events, sorted by time.
std::vector<chaos::TraceEntry> controlEvents() {
  std::vector<chaos::TraceEntry> events;
  events.push_back({0, RunEvent{"bench-1000-services", 1, "sim", kDuration, 0}});
  for (int s = 0; s < kServices; ++s)
    for (int r = 0; r < 3; ++r) {
      const std::string v = r < 2 ? "v1" : "v2";
      const std::string instance = serviceName(s) + "-" + v + "-" + std::to_string(r < 2 ? r : 0);
      events.push_back({0, EndpointEvent{instance, serviceName(s), v, r % 2 ? "zone-b" : "zone-a", "registered", ""}});
      events.push_back({0, CertEvent{instance, "issued", "spiffe://cluster.local/ns/default/sa/" + serviceName(s),
                                     "00" + std::to_string(s * 3 + r), 24 * 3600 * kSecond, "", ""}});
    }
  for (int f = 0; f < 10; ++f) {
    const std::string target = serviceName(f * 97 % kServices);
    events.push_back({(10 + 8 * f) * kSecond,
                      FaultEvent{"latency", target + " v1", {target + "-v1-0", target + "-v1-1"}, true}});
    events.push_back({(25 + 8 * f) * kSecond,
                      FaultEvent{"latency", target + " v1", {target + "-v1-0", target + "-v1-1"}, false}});
    events.push_back({(11 + 8 * f) * kSecond,
                      EjectionEvent{target, target + "-v1-0", true, "consecutive5xx", 1, 30 * kSecond, "caller"}});
    events.push_back({(12 + 8 * f) * kSecond, BreakerEvent{target, "maxConnections", true, "caller"}});
    events.push_back({(13 + 8 * f) * kSecond, BreakerEvent{target, "maxConnections", false, "caller"}});
  }
  for (int step = 0; step < 5; ++step) {
    CanaryEvent c;
    c.service = serviceName(5);
    c.stable = "v1";
    c.canary = "v2";
    c.iteration = step;
    c.weight = 10 * step;
    c.verdict = step == 0 ? "start" : "advance";
    events.push_back({step * 10 * kSecond, c});
    events.push_back({step * 10 * kSecond, ConfigEvent{"control-plane", static_cast<std::uint64_t>(step + 1),
                                                       "published", "canary weight", "", {}}});
  }
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
  return events;
}

// Writes the trace once; later runs reuse it.
std::string syntheticTrace() {
  const auto path = std::filesystem::temp_directory_path() / "meshproof-viz-bench-1000svc-1M-v1.jsonl";
  if (std::filesystem::exists(path)) return path;
  const auto partial = path.string() + ".partial";
  std::ofstream out(partial, std::ios::binary);
  const std::vector<CallPath> paths = callPaths();
  const std::vector<chaos::TraceEntry> control = controlEvents();
  Lcg random;
  std::string line;
  std::uint64_t written = 0;
  std::size_t next_control = 0;
  const std::uint64_t hops = (kLines - control.size()) / 2;
  for (std::uint64_t h = 0; written < kLines; ++h) {
    const TimeNs end = static_cast<TimeNs>(h * static_cast<std::uint64_t>(kDuration) / hops);
    while (next_control < control.size() && control[next_control].t <= end && written < kLines) {
      line.clear();
      chaos::appendTraceLine(line, control[next_control].t, control[next_control].event);
      out << line;
      ++written;
      ++next_control;
    }
    const CallPath& p = paths[(h * 2654435761u) % paths.size()];
    const std::uint64_t r = random.next();
    RequestEvent e;
    e.reporter = "source";
    e.source = p.from < 0 ? "ingress-gateway-0" : serviceName(p.from) + "-v1-" + std::to_string(r % 2);
    e.source_principal =
        "cluster.local/ns/default/sa/" + (p.from < 0 ? std::string("ingress-gateway") : serviceName(p.from));
    e.destination_service = serviceName(p.to);
    e.destination_subset = r % 10 == 0 ? "v2" : "v1";
    e.destination_instance = e.destination_service + "-" + e.destination_subset + "-" +
                             std::to_string(e.destination_subset == "v2" ? 0 : (r >> 4) % 2);
    e.route = e.destination_service + ".0";
    e.method = "GET";
    e.path = "/";
    e.status = r % 200 == 0 ? 503 : 200;
    e.duration = static_cast<DurationNs>(kMillisecond + (r >> 8) % (50 * kMillisecond));
    e.start = end - e.duration;
    e.attempts = 1;
    e.mtls = true;
    char id[40];
    std::snprintf(id, sizeof id, "%016llx%016llx", static_cast<unsigned long long>(h),
                  static_cast<unsigned long long>(r));
    e.trace_id = id;
    std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(h));
    e.span_id = id;
    RequestEvent d = e;
    d.reporter = "destination";
    d.source = e.source_principal;
    d.route = "";
    d.attempts = 0;
    line.clear();
    chaos::appendTraceLine(line, end - 200 * kMicrosecond, d);
    if (written < kLines) ++written, out << line;
    line.clear();
    chaos::appendTraceLine(line, end, e);
    if (written < kLines) ++written, out << line;
  }
  out.close();
  std::filesystem::rename(partial, path);
  return path;
}

struct Loaded {
  std::unique_ptr<RunModel> model = std::make_unique<RunModel>();
  std::unique_ptr<GraphScene> scene;
};

Loaded& loaded() {
  static Loaded* l = [] {
    auto* x = new Loaded;
    loadTraceFile(syntheticTrace(), *x->model);
    x->scene = std::make_unique<GraphScene>();
    x->scene->setModel(x->model.get());
    return x;
  }();
  return *l;
}

void BM_LoadTrace(benchmark::State& state) {
  const std::string path = syntheticTrace();
  LoadOptions options;
  options.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    RunModel model;
    const LoadSummary summary = loadTraceFile(path, model, options);
    const ServiceGraph& g = model.graph();
    state.counters["lines"] = static_cast<double>(summary.lines);
    state.counters["nodes"] = static_cast<double>(g.topology.nodes.size());
    state.counters["call_paths"] = static_cast<double>(g.edges.size());
    state.counters["MB"] = static_cast<double>(summary.bytes) / 1e6;
  }
}
BENCHMARK(BM_LoadTrace)->Arg(2)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_Layout(benchmark::State& state) {
  const ServiceGraph& g = loaded().model->graph();
  std::vector<LayoutBox> boxes(g.topology.nodes.size(), LayoutBox{264, 140});
  std::vector<LayoutEdge> edges;
  for (const CallEdge& e : g.edges) edges.push_back({e.from, e.to});
  for (auto _ : state) benchmark::DoNotOptimize(layoutGraph(boxes, edges).data());
}
BENCHMARK(BM_Layout)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

void BM_OpenScene(benchmark::State& state) {
  const RunModel& model = *loaded().model;
  for (auto _ : state) {
    GraphScene scene;
    scene.setModel(&model);
    benchmark::DoNotOptimize(scene.nodeItems().data());
  }
}
BENCHMARK(BM_OpenScene)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

void BM_StateAt(benchmark::State& state) {
  const RunModel& model = *loaded().model;
  TimeNs t = 10 * kSecond;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.stateAt(t).nodes.data());
    t = t + kSecond < kDuration ? t + kSecond : 10 * kSecond;
  }
}
BENCHMARK(BM_StateAt)->Unit(benchmark::kMillisecond)->UseRealTime();

// The two halves of a frame at 1x: the model and the items (no drawing), then the
// drawing alone.
void BM_FrameStateOnly(benchmark::State& state) {
  Loaded& l = loaded();
  TimeNs t = 20 * kSecond;
  for (auto _ : state) {
    l.scene->showState(l.model->stateAt(t));
    t = t + 33 * kMillisecond < kDuration ? t + 33 * kMillisecond : 20 * kSecond;
  }
}
BENCHMARK(BM_FrameStateOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FrameDrawOnly(benchmark::State& state) {
  Loaded& l = loaded();
  l.scene->showState(l.model->stateAt(30 * kSecond));
  for (auto _ : state) {
    const RenderedFrame frame = renderGraph(*l.scene, QSize(1600, 1000), QStringLiteral("bench"), 0);
    benchmark::DoNotOptimize(frame.image.constBits());
  }
}
BENCHMARK(BM_FrameDrawOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

// args: step in ms of simulated time per frame, zoom (0: fit the whole graph).
void BM_Frame(benchmark::State& state) {
  Loaded& l = loaded();
  const TimeNs step = state.range(0) * kMillisecond;
  const double zoom = static_cast<double>(state.range(1));
  TimeNs t = 20 * kSecond;
  for (auto _ : state) {
    l.scene->showState(l.model->stateAt(t));
    const RenderedFrame frame = renderGraph(*l.scene, QSize(1600, 1000), QStringLiteral("bench"), zoom);
    benchmark::DoNotOptimize(frame.image.constBits());
    t = t + step < kDuration ? t + step : 20 * kSecond;
  }
  state.counters["fps"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);

}
BENCHMARK(BM_Frame)
    ->ArgsProduct({{33, 1000}, {0, 1}})
    ->ArgNames({"step_ms", "zoom"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace

int main(int argc, char** argv) {
  setenv("QT_QPA_PLATFORM", "offscreen", 1);
  QApplication app(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
