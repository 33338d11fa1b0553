// Buckets request lines per call path; destination-reported lines of callers with no
// sidecar wait for a claim by span id (see traffic_store.h).
#include "viz/model/traffic_store.h"

#include <algorithm>
#include <stdexcept>

#include "mesh/telemetry/request_stats.h"

namespace meshproof::viz {

TrafficStore::TrafficStore(DurationNs bucket_width) : bucket_width_(bucket_width) {
  if (bucket_width <= 0) throw std::invalid_argument("bucket width must be positive");
}

std::int64_t TrafficStore::bucketOf(TimeNs end) const { return end <= 0 ? 0 : end / bucket_width_; }

std::size_t TrafficStore::seriesFor(const TrafficKey& key) {
  const auto [it, inserted] = series_index_.try_emplace(key, series_.size());
  if (inserted) {
    TrafficSeries s;
    s.key = key;
    series_.push_back(std::move(s));
  }
  return it->second;
}

TrafficBucket& TrafficStore::bucketFor(std::size_t series, std::int64_t bucket) {
  TrafficSeries& s = series_[series];
  if (s.buckets.empty()) {
    s.first_bucket = bucket;
  } else if (bucket < s.first_bucket) {
    s.buckets.insert(s.buckets.begin(), static_cast<std::size_t>(s.first_bucket - bucket), TrafficBucket{});
    s.first_bucket = bucket;
  }
  const auto offset = static_cast<std::size_t>(bucket - s.first_bucket);
  if (offset >= s.buckets.size()) s.buckets.resize(offset + 1);
  bucket_end_ = std::max(bucket_end_, bucket + 1);
  return s.buckets[offset];
}

TrafficStore::Pending TrafficStore::record(std::size_t series, const RequestEvent& request) {
  const TimeNs end = request.start + request.duration;
  Pending p;
  p.series = series;
  p.bucket = bucketOf(end);
  p.duration = request.duration;
  p.success = telemetry::isSuccessStatus(request.status);
  p.hop = request.attempts > 0 || request.reporter != "source";  // a destination line's request did travel
  p.mtls = p.hop && request.mtls;
  p.rejected = (request.flags & kMtlsRejected) != 0;
  p.denied = (request.flags & kRbacDenied) != 0;
  TrafficBucket& b = bucketFor(series, p.bucket);
  ++b.requests;
  b.successes += p.success ? 1 : 0;
  b.hops += p.hop ? 1 : 0;
  b.mtls += p.mtls ? 1 : 0;
  b.rejected += p.rejected ? 1 : 0;
  b.denied += p.denied ? 1 : 0;
  b.latencies.push_back(request.duration);
  series_[series].first_end = std::min(series_[series].first_end, end);
  return p;
}

void TrafficStore::unrecord(const Pending& p) {
  TrafficBucket& b = bucketFor(p.series, p.bucket);
  --b.requests;
  b.successes -= p.success ? 1 : 0;
  b.hops -= p.hop ? 1 : 0;
  b.mtls -= p.mtls ? 1 : 0;
  b.rejected -= p.rejected ? 1 : 0;
  b.denied -= p.denied ? 1 : 0;
  if (const auto it = std::find(b.latencies.begin(), b.latencies.end(), p.duration); it != b.latencies.end())
    b.latencies.erase(it);
}

void TrafficStore::addSourceHop(NameId caller, NameId destination, NameId subset, const RequestEvent& request) {
  const Pending mine = record(seriesFor({caller, destination, subset, false}), request);
  if (const auto it = unclaimed_.find(request.span_id); it != unclaimed_.end()) {
    // The callee's lines of this hop (one per attempt) were kept for want of a
    // caller's line: this is it.
    bool rejected = false;
    for (const Pending& p : it->second) {
      rejected = rejected || p.rejected;
      unrecord(p);
    }
    if (rejected && !mine.rejected) ++bucketFor(mine.series, mine.bucket).rejected;
    unclaimed_.erase(it);
  } else if (!request.mtls && request.flags != kNoFlags && !request.span_id.empty()) {
    claimed_early_.insert(request.span_id);  // the callee may answer after the caller gave up
  }
}

void TrafficStore::addDestinationHop(NameId caller, NameId destination, NameId subset, const RequestEvent& request) {
  const bool plaintext = request.source_principal.empty();
  const bool rejected = (request.flags & kMtlsRejected) != 0;
  if (!plaintext && !rejected) return;
  if (claimed_early_.erase(request.span_id) > 0) return;
  const Pending pending = record(seriesFor({caller, destination, subset, true}), request);
  if (!request.span_id.empty()) unclaimed_[request.span_id].push_back(pending);
}

}  // namespace meshproof::viz
