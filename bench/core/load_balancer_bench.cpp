// Benchmarks for lb::LoadBalancer::choose over 1,000 hosts, one per policy (ROUND_ROBIN,
// LEAST_REQUEST, RANDOM, RING_HASH keyed on an x-user header, EWMA), each in three
// shapes: one zone; locality enabled over 3 zones; 10% of the hosts ejected. Every pick
// is reported the way the data plane does (onRequestStart at dispatch, onRequestEnd with
// the round-trip time when the answer comes), with 64 requests kept in flight so that
// LEAST_REQUEST and EWMA see uneven load. One iteration = one choose + start + end.
#include <benchmark/benchmark.h>

#include <array>
#include <string>
#include <vector>

#include "mesh/core/rng.h"
#include "mesh/loadbalancing/load_balancer.h"

namespace meshproof::lb {
namespace {

constexpr int kHostCount = 1000;
constexpr std::size_t kInFlight = 64;
constexpr std::size_t kUserKeys = 1024;

enum class Shape { kOneZone, kLocality3Zones, kEjected10Percent };

const char* policyName(config::LbPolicy policy) {
  switch (policy) {
    case config::LbPolicy::kRoundRobin: return "ROUND_ROBIN";
    case config::LbPolicy::kLeastRequest: return "LEAST_REQUEST";
    case config::LbPolicy::kRandom: return "RANDOM";
    case config::LbPolicy::kRingHash: return "RING_HASH";
    case config::LbPolicy::kEwma: return "EWMA";
  }
  return "?";
}

const char* shapeName(Shape shape) {
  switch (shape) {
    case Shape::kOneZone: return "one_zone";
    case Shape::kLocality3Zones: return "locality_3_zones";
    case Shape::kEjected10Percent: return "ejected_10pct";
  }
  return "?";
}

std::vector<Endpoint> thousandEndpoints(Shape shape) {
  static const std::array<const char*, 3> kZones = {"zone-a", "zone-b", "zone-c"};
  std::vector<Endpoint> out;
  out.reserve(kHostCount);
  for (int i = 0; i < kHostCount; ++i) {
    const char* zone = shape == Shape::kLocality3Zones ? kZones[static_cast<std::size_t>(i) % 3] : "zone-a";
    out.push_back(Endpoint{"payments-v1-" + std::to_string(i), "payments", "v1", zone});
  }
  return out;
}

void BM_LoadBalancer1000Hosts(benchmark::State& state, config::LbPolicy policy, Shape shape) {
  HostSet hosts(thousandEndpoints(shape));
  if (shape == Shape::kEjected10Percent) {
    for (HostIndex h = 0; h < hosts.size(); h += 10) hosts.setEjected(h, true);
  }
  BalancerSettings settings;
  settings.policy = policy;
  settings.consistent_hash.http_header_name = "x-user";
  settings.subset = "v1";
  settings.local_zone = "zone-a";
  if (shape == Shape::kLocality3Zones) {
    settings.locality.enabled = true;
    settings.locality.failover = {{"zone-a", "zone-b"}};
  }
  LoadBalancer balancer(hosts, settings, Rng(7).fork("bench/payments/v1/lb"));

  // Request headers with 1,024 distinct users (RING_HASH hashes x-user; the others ignore it).
  std::vector<Headers> headers(kUserKeys);
  for (std::size_t i = 0; i < kUserKeys; ++i) {
    headers[i].set("x-user", "user-" + std::to_string(i));
    headers[i].set("content-type", "application/json");
  }

  // Per-host round-trip times between 1 and 4.5 ms so EWMA has something to tell apart.
  auto rttOf = [](HostIndex h) { return DurationNs{1 * kMillisecond + (h % 8) * 500 * kMicrosecond}; };

  struct InFlight {
    HostIndex host;
    TimeNs sent;
  };
  std::array<InFlight, kInFlight> in_flight{};
  TimeNs now = 1 * kSecond;
  std::size_t next = 0;
  // Warm-up outside the timed loop: levels built, ring built, 64 requests in flight.
  for (std::size_t i = 0; i < kInFlight; ++i) {
    PickRequest pick;
    pick.now = now;
    pick.headers = &headers[i % kUserKeys];
    const auto host = balancer.choose(pick);
    if (!host) {
      state.SkipWithError("no host");
      return;
    }
    hosts.onRequestStart(*host, now);
    in_flight[i] = {*host, now};
    now += 10 * kMicrosecond;
  }

  std::uint64_t misses = 0;
  std::size_t user = 0;
  for (auto _ : state) {
    PickRequest pick;
    pick.now = now;
    pick.headers = &headers[user];
    user = (user + 1) % kUserKeys;
    const std::optional<HostIndex> host = balancer.choose(pick);
    benchmark::DoNotOptimize(host);
    // The oldest request in flight completes; the new one takes its slot.
    InFlight& slot = in_flight[next];
    hosts.onRequestEnd(slot.host, rttOf(slot.host), now);
    if (host) {
      hosts.onRequestStart(*host, now);
      slot = {*host, now};
    } else {
      ++misses;
    }
    next = (next + 1) % kInFlight;
    now += 10 * kMicrosecond;
  }
  benchmark::ClobberMemory();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["no_host"] = static_cast<double>(misses);
}

const bool kRegistered = [] {
  for (auto policy : {config::LbPolicy::kRoundRobin, config::LbPolicy::kLeastRequest, config::LbPolicy::kRandom,
                      config::LbPolicy::kRingHash, config::LbPolicy::kEwma}) {
    for (auto shape : {Shape::kOneZone, Shape::kLocality3Zones, Shape::kEjected10Percent}) {
      const std::string name = std::string("BM_LoadBalancer1000Hosts/") + policyName(policy) + "/" + shapeName(shape);
      benchmark::RegisterBenchmark(name.c_str(), BM_LoadBalancer1000Hosts, policy, shape);
    }
  }
  return true;
}();

}  // namespace
}  // namespace meshproof::lb
