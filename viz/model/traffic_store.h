// Request traffic in time buckets, per call path as the caller reported it.
//
// A series is one (caller, destination service, subset) triple (for a request routed
// without subsets, the version of the instance that answered); its buckets hold,
// per bucket of width w (default 1 s) of request *end* time (start + duration, as
// the metrics registry slots them): requests, successes (telemetry::isSuccessStatus),
// in-mesh hops (attempts > 0) and how many of them went over mTLS, UMTLS rejections,
// RBAC denials and every latency (for windowed quantiles as telemetry::LatencyHistogram
// reports them: window_quantile.h).
//
// Figures follow SCENARIO.md: source-reported lines. The one exception is a caller
// with no sidecar (a plaintext client outside the mesh): it reports nothing, so a
// destination-reported line that is plaintext or rejected (UMTLS) is kept in a
// series of its own *until* a source-reported line with the same span id claims it
// (the caller did have a sidecar after all, and its line counts instead). Lines
// claimed early (the caller gave up before the callee answered) are remembered.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "mesh/core/events.h"
#include "mesh/core/time.h"
#include "viz/model/name_table.h"

namespace meshproof::viz {

struct TrafficKey {
  NameId caller = 0;
  NameId destination = 0;
  NameId subset = 0;
  bool destination_reported = false;  // a caller with no sidecar (see the file comment)
  auto operator<=>(const TrafficKey&) const = default;
};

struct TrafficBucket {
  std::uint32_t requests = 0;
  std::uint32_t successes = 0;
  std::uint32_t hops = 0;      // attempts > 0: the request left the caller
  std::uint32_t mtls = 0;      // hops over mTLS
  std::uint32_t rejected = 0;  // UMTLS
  std::uint32_t denied = 0;    // RBAC
  std::vector<DurationNs> latencies;
};

struct TrafficSeries {
  TrafficKey key;
  TimeNs first_end = kNever;       // earliest request end seen
  std::int64_t first_bucket = 0;   // index of buckets[0]
  std::vector<TrafficBucket> buckets;

  // Calls visit(const TrafficBucket&) for the buckets with index in [from, to).
  template <typename Visit>
  void forEachBucket(std::int64_t from, std::int64_t to, Visit&& visit) const {
    const std::int64_t begin = std::max(from, first_bucket);
    const std::int64_t end = std::min(to, first_bucket + static_cast<std::int64_t>(buckets.size()));
    for (std::int64_t i = begin; i < end; ++i) visit(buckets[static_cast<std::size_t>(i - first_bucket)]);
  }
};

class TrafficStore {
 public:
  explicit TrafficStore(DurationNs bucket_width);

  // A source-reported request line.
  void addSourceHop(NameId caller, NameId destination, NameId subset, const RequestEvent& request);
  // A destination-reported line; kept only when plaintext or UMTLS-rejected and not
  // (yet) claimed by its caller's line. `caller` is the line's `source`.
  void addDestinationHop(NameId caller, NameId destination, NameId subset, const RequestEvent& request);

  const std::vector<TrafficSeries>& series() const { return series_; }
  DurationNs bucketWidth() const { return bucket_width_; }
  std::int64_t bucketOf(TimeNs end) const;
  // One past the last bucket that holds a request (0 when empty).
  std::int64_t bucketEnd() const { return bucket_end_; }

 private:
  struct Pending {
    std::size_t series = 0;
    std::int64_t bucket = 0;
    DurationNs duration = 0;
    bool success = false;
    bool hop = false;
    bool mtls = false;
    bool rejected = false;
    bool denied = false;
  };
  std::size_t seriesFor(const TrafficKey& key);
  TrafficBucket& bucketFor(std::size_t series, std::int64_t bucket);
  Pending record(std::size_t series, const RequestEvent& request);
  void unrecord(const Pending& pending);

  DurationNs bucket_width_;
  std::int64_t bucket_end_ = 0;
  std::vector<TrafficSeries> series_;
  struct KeyHash {
    std::size_t operator()(const TrafficKey& k) const {
      std::uint64_t h = k.caller;
      h = h * 0x9E3779B97F4A7C15ull + k.destination;
      h = h * 0x9E3779B97F4A7C15ull + k.subset;
      return static_cast<std::size_t>(h * 2 + (k.destination_reported ? 1 : 0));
    }
  };
  std::unordered_map<TrafficKey, std::size_t, KeyHash> series_index_;
  std::unordered_map<SpanIdText, std::vector<Pending>> unclaimed_;  // span id -> destination lines
  std::unordered_set<SpanIdText> claimed_early_;                // span ids of plaintext source lines
};

}  // namespace meshproof::viz
