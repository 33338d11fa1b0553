// What the live sidecar writes for every request it finishes (ProxyNode::emit): the
// trace line of its RequestEvent (EventsFile), the Envoy access-log line and the
// Prometheus series. The event is the inbound one of the bench's two-hop mesh
// (backend-v1-0 answering client-bench over mTLS), with its trace ids.
#include <benchmark/benchmark.h>

#include <string>

#include "chaos/trace/trace_format.h"
#include "mesh/telemetry/access_log.h"
#include "mesh/telemetry/metrics_registry.h"

namespace meshproof {
namespace {

RequestEvent benchEvent() {
  RequestEvent ev;
  ev.reporter = "destination";
  ev.source = "cluster.local/ns/default/sa/bench";
  ev.source_principal = "cluster.local/ns/default/sa/bench";
  ev.destination_service = "backend";
  ev.destination_subset = "v1";
  ev.destination_instance = "backend-v1-0";
  ev.method = "GET";
  ev.path = "/";
  ev.status = 200;
  ev.start = 65'830'278'484;
  ev.duration = 56'400;
  ev.mtls = true;
  ev.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  ev.span_id = "00f067aa0ba902b7";
  return ev;
}

void BM_TraceLineOfARequest(benchmark::State& state) {
  const Event event = benchEvent();
  std::string out;
  for (auto _ : state) {
    out.clear();
    chaos::appendTraceLine(out, 65'830'334'884, event);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_TraceLineOfARequest);

void BM_AccessLogLineOfARequest(benchmark::State& state) {
  const RequestEvent event = benchEvent();
  std::string out;
  for (auto _ : state) {
    out.clear();
    telemetry::appendAccessLogLine(out, event, 1'796'000'000'000'000'000);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_AccessLogLineOfARequest);

void BM_MetricsOfARequest(benchmark::State& state) {
  const RequestEvent event = benchEvent();
  telemetry::MetricsRegistry metrics;
  for (auto _ : state) metrics.observe(event);
}
BENCHMARK(BM_MetricsOfARequest);

}  // namespace
}  // namespace meshproof
