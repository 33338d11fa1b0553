// Circuit-breaker accounting and retry admission; retry budget after Envoy's
// source/common/upstream/resource_manager_impl.h (RetryBudgetImpl).
#include "mesh/upstream/circuit_breakers.h"

#include <algorithm>
#include <utility>

namespace meshproof::upstream {

std::string_view breakerThresholdName(BreakerThreshold threshold) {
  switch (threshold) {
    case BreakerThreshold::kMaxConnections: return "maxConnections";
    case BreakerThreshold::kHttp1MaxPendingRequests: return "http1MaxPendingRequests";
    case BreakerThreshold::kHttp2MaxRequests: return "http2MaxRequests";
    case BreakerThreshold::kMaxRetries: return "maxRetries";
    case BreakerThreshold::kRetryBudget: return "retryBudget";
  }
  return "unknown";
}

CircuitBreakers::CircuitBreakers(std::string service, const config::ConnectionPool& limits,
                                 const std::optional<config::RetryBudget>& retry_budget, EventSink& sink)
    : service_(std::move(service)), limits_(limits), retry_budget_(retry_budget), sink_(sink) {}

std::int64_t CircuitBreakers::retryLimit() const {
  if (!retry_budget_) return limits_.http.max_retries;
  // "active" is requests_.count() + pending_requests_.count(): requests bound to a
  // connection plus requests waiting for one. Same expression and truncation as
  // Envoy: std::max<uint64_t>(budget_percent / 100.0 * current_active, min).
  const auto current_active = static_cast<std::uint64_t>(active_requests_ + pending_);
  const auto min_concurrency = static_cast<std::uint64_t>(std::max(0, retry_budget_->min_retry_concurrency));
  const auto by_percent = static_cast<std::uint64_t>(retry_budget_->percent / 100.0 * current_active);
  return static_cast<std::int64_t>(std::max(by_percent, min_concurrency));
}

bool CircuitBreakers::tryStartRetry(TimeNs now) {
  if (active_retries_ < retryLimit()) {
    ++active_retries_;
    return true;
  }
  recordOverflow(retry_budget_ ? BreakerThreshold::kRetryBudget : BreakerThreshold::kMaxRetries, now);
  return false;
}

void CircuitBreakers::retryFinished(TimeNs now) {
  if (active_retries_ > 0) --active_retries_;
  updateOpenState(now);
}

void CircuitBreakers::recordOverflow(BreakerThreshold threshold, TimeNs now) {
  const auto index = static_cast<std::size_t>(threshold);
  ++overflows_[index];
  if (open_[index]) return;
  open_[index] = true;
  sink_.emit(now, BreakerEvent{service_, std::string(breakerThresholdName(threshold)), true, {}});
}

bool CircuitBreakers::backUnderEveryThreshold() const {
  return pendingAllowed() && requestAllowed() && active_retries_ < retryLimit() &&
         (connectionAllowed() || pending_ == 0);
}

void CircuitBreakers::updateOpenState(TimeNs now) {
  if (!isOpen() || !backUnderEveryThreshold()) return;
  for (std::size_t index = 0; index < kBreakerThresholdCount; ++index) {
    if (!open_[index]) continue;
    open_[index] = false;
    sink_.emit(now, BreakerEvent{service_, std::string(breakerThresholdName(static_cast<BreakerThreshold>(index))),
                                 false, {}});
  }
}

bool CircuitBreakers::isOpen() const {
  return std::any_of(open_.begin(), open_.end(), [](bool open) { return open; });
}

}  // namespace meshproof::upstream
