// Full dataplane::Sidecar round trips on the bench mesh (bench_mesh.h), NullSink, manual clock:
//   - outbound: checkout's app sends POST /api/pay to payments on a warm connection:
//     appRequest -> pollAction (SendUpstream) -> upstreamResponse(200) -> pollAction
//     (RespondToApp). Includes trace context creation, the request copy into SendUpstream
//     and the access-log RequestEvent (built, then dropped by the sink).
//   - inbound: payments' sidecar receives the request from an mTLS peer (checkout), allowed
//     by its 3rd ALLOW policy: peerRequest -> pollAction (DeliverToApp) -> appResponded(200)
//     -> pollAction (RespondToPeer).
//   - hop: both chained, the client's SendUpstream fed to the server as its peerRequest.
// One iteration = one request; the HttpRequest the app hands in is copied from a template
// inside the loop (a driver builds it per request too).
#include <benchmark/benchmark.h>

#include <optional>

#include "bench_mesh.h"
#include "mesh/core/clock.h"
#include "mesh/dataplane/sidecar.h"

namespace meshproof::dataplane {
namespace {

SidecarIdentity identityOf(std::string instance, std::string service) {
  SidecarIdentity id;
  id.instance = std::move(instance);
  id.service = std::move(service);
  id.version = "v1";
  id.namespace_ = "shop";
  id.zone = "zone-a";
  return id;
}

struct Mesh {
  config::MeshConfig config = bench::benchMeshConfig();
  ServiceDirectory directory = bench::benchDirectory();
  ManualClock clock{1 * kSecond};
  NullSink sink;
};

// Sends one request through `client`, accepting any connection it opens; answers `status`.
// Returns false if the request did not reach the upstream.
bool outboundOnce(Sidecar& client, ManualClock& clock, AppRequestId id, const HttpRequest& templ, int status,
                  std::uint64_t& connects) {
  client.appRequest(id, templ);
  SidecarAction a;
  std::optional<AttemptId> attempt;
  bool again = true;
  while (again) {
    again = false;
    while (client.pollAction(a)) {
      if (auto* send = std::get_if<SendUpstream>(&a)) attempt = send->attempt;
      if (auto* open = std::get_if<OpenUpstreamConnection>(&a)) {
        client.upstreamConnected(open->connection);
        ++connects;
        again = true;
      }
    }
  }
  if (!attempt) return false;
  clock.advance(1 * kMillisecond);
  client.upstreamResponse(*attempt, status);
  bool answered = false;
  while (client.pollAction(a)) answered |= std::holds_alternative<RespondToApp>(a);
  return answered;
}

// Enough sequential requests that every payments instance has an idle connection.
bool warmClient(Sidecar& client, ManualClock& clock, const HttpRequest& templ) {
  std::uint64_t connects = 0;
  for (AppRequestId id = 1; id <= 3000; ++id)
    if (!outboundOnce(client, clock, id, templ, 200, connects)) return false;
  return connects >= static_cast<std::uint64_t>(bench::kPaymentsInstances);
}

void BM_SidecarOutboundRoundTrip(benchmark::State& state) {
  Mesh mesh;
  Sidecar client(identityOf("checkout-v1-0", "checkout"), mesh.config, mesh.directory, mesh.clock, Rng(42),
                 mesh.sink);
  const HttpRequest templ = bench::benchRequest();
  if (!warmClient(client, mesh.clock, templ)) {
    state.SkipWithError("warm-up failed");
    return;
  }
  std::uint64_t connects = 0;
  std::uint64_t failed = 0;
  AppRequestId id = 1'000'000;
  for (auto _ : state) {
    HttpRequest request = templ;
    client.appRequest(id, std::move(request));
    SidecarAction a;
    AttemptId attempt = 0;
    while (client.pollAction(a)) {
      if (auto* send = std::get_if<SendUpstream>(&a)) {
        attempt = send->attempt;
      } else if (auto* open = std::get_if<OpenUpstreamConnection>(&a)) {
        ++connects;  // not expected once warm
        client.upstreamConnected(open->connection);
      }
    }
    mesh.clock.advance(1 * kMillisecond);
    client.upstreamResponse(attempt, 200);
    bool answered = false;
    while (client.pollAction(a)) answered |= std::holds_alternative<RespondToApp>(a);
    failed += answered ? 0 : 1;
    ++id;
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["new_connections"] = static_cast<double>(connects);
  state.counters["unanswered"] = static_cast<double>(failed);
}
BENCHMARK(BM_SidecarOutboundRoundTrip);

void BM_SidecarInboundRoundTrip(benchmark::State& state) {
  Mesh mesh;
  Sidecar server(identityOf("payments-v1-0", "payments"), mesh.config, mesh.directory, mesh.clock, Rng(42),
                 mesh.sink);
  HttpRequest templ = bench::benchRequest();
  templ.headers.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  const security::PeerConnection peer{security::PeerTransport::kMtls, bench::kCheckoutSpiffe};
  std::uint64_t not_delivered = 0;
  InboundId id = 1;
  for (auto _ : state) {
    HttpRequest request = templ;
    server.peerRequest(id, std::move(request), peer);
    SidecarAction a;
    bool delivered = false;
    while (server.pollAction(a)) delivered |= std::holds_alternative<DeliverToApp>(a);
    mesh.clock.advance(1 * kMillisecond);
    server.appResponded(id, 200);
    while (server.pollAction(a)) benchmark::DoNotOptimize(a);
    not_delivered += delivered ? 0 : 1;
    ++id;
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["not_delivered"] = static_cast<double>(not_delivered);
}
BENCHMARK(BM_SidecarInboundRoundTrip);

void BM_SidecarHop(benchmark::State& state) {
  Mesh mesh;
  Sidecar client(identityOf("checkout-v1-0", "checkout"), mesh.config, mesh.directory, mesh.clock, Rng(42),
                 mesh.sink);
  Sidecar server(identityOf("payments-v1-0", "payments"), mesh.config, mesh.directory, mesh.clock, Rng(43),
                 mesh.sink);
  const HttpRequest templ = bench::benchRequest();
  if (!warmClient(client, mesh.clock, templ)) {
    state.SkipWithError("warm-up failed");
    return;
  }
  std::uint64_t failed = 0;
  AppRequestId id = 1'000'000;
  for (auto _ : state) {
    HttpRequest request = templ;
    client.appRequest(id, std::move(request));
    SidecarAction a;
    AttemptId attempt = 0;
    while (client.pollAction(a)) {
      if (auto* send = std::get_if<SendUpstream>(&a)) {
        attempt = send->attempt;
        // The driver carries the request to the server's sidecar over mTLS, where
        // the client's certificate names it.
        server.peerRequest(id, std::move(send->request),
                           security::PeerConnection{security::PeerTransport::kMtls, client.spiffeUri()});
      }
    }
    SidecarAction b;
    while (server.pollAction(b)) benchmark::DoNotOptimize(b);
    mesh.clock.advance(1 * kMillisecond);
    server.appResponded(id, 200);
    int status = 0;
    ResponseFlags flags = kNoFlags;
    while (server.pollAction(b)) {
      if (auto* r = std::get_if<RespondToPeer>(&b)) {
        status = r->status;
        flags = r->flags;
      }
    }
    client.upstreamResponse(attempt, status, flags);
    bool answered = false;
    while (client.pollAction(a)) answered |= std::holds_alternative<RespondToApp>(a) && status == 200;
    failed += answered ? 0 : 1;
    ++id;
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["failed"] = static_cast<double>(failed);
}
BENCHMARK(BM_SidecarHop);

}  // namespace
}  // namespace meshproof::dataplane
