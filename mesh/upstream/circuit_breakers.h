// Envoy's cluster circuit breakers (Istio ConnectionPoolSettings) for one cluster:
// counts of connections, pending requests, active requests and active retries
// against their limits, plus retry admission by maxRetries or the retry budget.
// Emits BreakerEvent open when a threshold overflows and closed when the cluster is
// back under every threshold.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mesh/config/model.h"
#include "mesh/core/events.h"
#include "mesh/core/time.h"

namespace meshproof::upstream {

enum class BreakerThreshold : std::uint8_t {
  kMaxConnections,
  kHttp1MaxPendingRequests,
  kHttp2MaxRequests,
  kMaxRetries,
  kRetryBudget,
};
inline constexpr std::size_t kBreakerThresholdCount = 5;

// The Istio field name, as BreakerEvent::threshold carries it.
std::string_view breakerThresholdName(BreakerThreshold threshold);

class CircuitBreakers {
 public:
  // When `retry_budget` is set it replaces maxRetries (Envoy: "If the retry budget
  // is specified, max_retries is ignored").
  CircuitBreakers(std::string service, const config::ConnectionPool& limits,
                  const std::optional<config::RetryBudget>& retry_budget, EventSink& sink);

  // ---- resource accounting (the connection pool drives these) ----
  bool connectionAllowed() const { return connections_ < limits_.tcp.max_connections; }
  bool pendingAllowed() const { return pending_ < limits_.http.http1_max_pending_requests; }
  bool requestAllowed() const { return active_requests_ < limits_.http.http2_max_requests; }
  void connectionOpened() { ++connections_; }
  void connectionClosed() { --connections_; }
  void pendingAdded() { ++pending_; }
  void pendingRemoved() { --pending_; }
  void requestStarted() { ++active_requests_; }
  void requestFinished() { --active_requests_; }

  // ---- retry admission ----
  // True: the retry may go ahead and counts as outstanding until retryFinished.
  // False: over maxRetries / the budget; the data plane gives up with URX.
  bool tryStartRetry(TimeNs now);
  void retryFinished(TimeNs now);
  // Concurrent retries allowed right now. With a budget (Envoy RetryBudgetImpl::max):
  // max(trunc(percent / 100 x (active requests + pending requests)), minRetryConcurrency).
  std::int64_t retryLimit() const;

  // ---- breaker state ----
  // Records that `threshold` refused something; emits BreakerEvent{open=true} the
  // first time it does so while that threshold is not already open.
  void recordOverflow(BreakerThreshold threshold, TimeNs now);
  // "Back under every threshold": one more pending request, request and retry would
  // each be admitted, and a new connection would be allowed or none is wanted (no
  // request is pending). Idle connections at maxConnections are spare capacity, not
  // pressure. When that holds and thresholds are open, emits one BreakerEvent
  // {open=false} per open threshold (in enum order) and closes them all. Called by
  // the pool and by retryFinished after anything is released.
  void updateOpenState(TimeNs now);

  bool isOpen() const;
  bool isOpen(BreakerThreshold threshold) const { return open_[static_cast<std::size_t>(threshold)]; }
  int connections() const { return connections_; }
  int pendingRequests() const { return pending_; }
  int activeRequests() const { return active_requests_; }
  int activeRetries() const { return active_retries_; }
  // How many times each threshold refused something (Envoy's *_overflow counters).
  std::uint64_t overflowCount(BreakerThreshold threshold) const {
    return overflows_[static_cast<std::size_t>(threshold)];
  }

 private:
  bool backUnderEveryThreshold() const;

  std::string service_;
  config::ConnectionPool limits_;
  std::optional<config::RetryBudget> retry_budget_;
  EventSink& sink_;
  int connections_ = 0;
  int pending_ = 0;
  int active_requests_ = 0;
  int active_retries_ = 0;
  std::array<bool, kBreakerThresholdCount> open_{};
  std::array<std::uint64_t, kBreakerThresholdCount> overflows_{};
};

}  // namespace meshproof::upstream
