// Benchmarks for the telemetry hot paths: LatencyHistogram::record of log-normal
// latencies, MetricsRegistry::observe of a RequestEvent (series, per-service stats and the
// one-second windows; 8 label sets cycling, one request every 10 µs of simulated time),
// W3C traceparent format and parse, and one Envoy-format access-log line.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "mesh/core/rng.h"
#include "mesh/telemetry/access_log.h"
#include "mesh/telemetry/latency_histogram.h"
#include "mesh/telemetry/metrics_registry.h"
#include "mesh/telemetry/trace_context.h"

namespace meshproof::telemetry {
namespace {

// 4,096 latencies, log-normal around 2 ms with a long tail.
std::vector<DurationNs> latencies() {
  Rng rng(11);
  std::vector<DurationNs> out(4096);
  for (auto& v : out) v = static_cast<DurationNs>(rng.lognormal(std::log(2.0e6), 0.8));
  return out;
}

void BM_LatencyHistogramRecord(benchmark::State& state) {
  const std::vector<DurationNs> values = latencies();
  LatencyHistogram h;
  for (DurationNs v : values) h.record(v);  // allocate the blocks outside the timed loop
  std::size_t i = 0;
  for (auto _ : state) {
    h.record(values[i]);
    i = (i + 1) & (values.size() - 1);
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_LatencyHistogramRecord);

std::vector<RequestEvent> sampleEvents() {
  std::vector<RequestEvent> out;
  const int statuses[] = {200, 200, 200, 503, 200, 404, 200, 200};
  for (int i = 0; i < 8; ++i) {
    RequestEvent e;
    e.reporter = i % 4 == 3 ? "destination" : "source";
    e.source = "checkout-v1-0";
    e.source_principal = "cluster.local/ns/shop/sa/checkout";
    e.destination_service = "payments";
    e.destination_subset = i % 5 == 4 ? "v2" : "v1";
    e.destination_instance = "payments-" + e.destination_subset + "-" + std::to_string(i);
    e.route = "payments.api";
    e.method = "POST";
    e.path = "/api/pay";
    e.status = statuses[i];
    e.flags = e.status == 503 ? kUpstreamOverflow : kNoFlags;
    e.attempts = 1;
    e.mtls = true;
    e.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    e.span_id = "00f067aa0ba902b7";
    out.push_back(std::move(e));
  }
  return out;
}

void BM_MetricsRegistryObserve(benchmark::State& state) {
  std::vector<RequestEvent> events = sampleEvents();
  const std::vector<DurationNs> values = latencies();
  MetricsRegistry registry;
  TimeNs now = 0;
  for (auto& e : events) registry.observe(e);  // series and services exist before timing
  std::size_t i = 0;
  for (auto _ : state) {
    RequestEvent& e = events[i & 7];
    e.duration = values[i & (values.size() - 1)];
    e.start = now;
    registry.observe(e);
    now += 10 * kMicrosecond;
    ++i;
  }
  benchmark::DoNotOptimize(registry.observedEvents());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_MetricsRegistryObserve);

void BM_FormatTraceparent(benchmark::State& state) {
  Rng rng(5);
  std::vector<TraceContext> contexts;
  for (int i = 0; i < 256; ++i) contexts.push_back(newTrace(rng, true));
  std::size_t i = 0;
  for (auto _ : state) {
    std::string s = formatTraceparent(contexts[i]);
    benchmark::DoNotOptimize(s);
    i = (i + 1) & 255;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_FormatTraceparent);

void BM_ParseTraceparent(benchmark::State& state) {
  Rng rng(5);
  std::vector<std::string> values;
  for (int i = 0; i < 256; ++i) values.push_back(formatTraceparent(newTrace(rng, true)));
  std::size_t i = 0;
  for (auto _ : state) {
    std::optional<TraceContext> ctx = parseTraceparent(values[i]);
    benchmark::DoNotOptimize(ctx);
    i = (i + 1) & 255;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseTraceparent);

void BM_AccessLogLine(benchmark::State& state) {
  RequestEvent e = sampleEvents()[0];
  e.duration = 21 * kMillisecond;
  AccessLogExtras extras;
  extras.user_agent = "checkout/1.0";
  extras.request_id = "7f3c2a4e-1b2d-4c5e-9f60-0a1b2c3d4e5f";
  std::string line;
  TimeNs wall = 1'700'000'000 * kSecond;
  for (auto _ : state) {
    line.clear();
    appendAccessLogLine(line, e, wall, extras);
    benchmark::DoNotOptimize(line.data());
    wall += 10 * kMicrosecond;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_AccessLogLine);

}  // namespace
}  // namespace meshproof::telemetry
