// Retry decisions for one request (Envoy's router retry state, as Istio configures
// it): which outcomes are retriable under retryOn, how many attempts remain, and the
// fully jittered exponential backoff between attempts.
#pragma once
#include "mesh/config/model.h"
#include "mesh/core/rng.h"

namespace meshproof::dataplane {

// How one upstream attempt ended.
struct AttemptOutcome {
  enum class Kind {
    kResponse,        // the upstream answered with `status`
    kConnectFailure,  // no connection could be made (refused, connect timeout)
    kReset,           // the connection or stream was reset before a response
    kPerTryTimeout,   // perTryTimeout elapsed (Envoy: 504 towards the retry logic)
  };
  Kind kind = Kind::kResponse;
  int status = 0;

  static AttemptOutcome response(int status) { return {Kind::kResponse, status}; }
  static AttemptOutcome connectFailure() { return {Kind::kConnectFailure, 0}; }
  static AttemptOutcome reset() { return {Kind::kReset, 0}; }
  static AttemptOutcome perTryTimeout() { return {Kind::kPerTryTimeout, 0}; }
  // The status the downstream sees if this outcome is final.
  int finalStatus() const;
  bool isSuccess() const { return kind == Kind::kResponse && status < 500; }
};

// Whether retryOn covers this outcome (Envoy x-envoy-retry-on semantics).
bool isRetriable(const config::RetryOn& on, const AttemptOutcome& outcome);

// Envoy's JitteredExponentialBackOffStrategy: the Nth retry (1-based) waits a uniform
// draw in [0, (2^N - 1) * base), never more than max.
class RetryBackoff {
 public:
  RetryBackoff(DurationNs base_ns, DurationNs max_ns) : base_ns_(base_ns), max_ns_(max_ns) {}
  DurationNs next(Rng& rng);

 private:
  DurationNs base_ns_;
  DurationNs max_ns_;
  int retry_ = 1;
};

}  // namespace meshproof::dataplane
