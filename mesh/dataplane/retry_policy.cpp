// Retriable outcomes and jittered exponential backoff.
#include "mesh/dataplane/retry_policy.h"

#include <algorithm>

namespace meshproof::dataplane {

int AttemptOutcome::finalStatus() const {
  switch (kind) {
    case Kind::kResponse: return status;
    case Kind::kConnectFailure: return 503;
    case Kind::kReset: return 503;
    case Kind::kPerTryTimeout: return 504;
  }
  return 503;
}

bool isRetriable(const config::RetryOn& on, const AttemptOutcome& outcome) {
  // Envoy RetryStateImpl::wouldRetryFromReset: `reset` retries every reset (connect
  // failures included); 5xx and gateway-error count a reset as a 5xx; connect-failure
  // retries only connection failures. A per-try timeout (not hedged) is retried only
  // under 5xx or gateway-error.
  switch (outcome.kind) {
    case AttemptOutcome::Kind::kConnectFailure:
      return on.reset || on.on_5xx || on.gateway_error || on.connect_failure;
    case AttemptOutcome::Kind::kReset:
      return on.reset || on.on_5xx || on.gateway_error;
    case AttemptOutcome::Kind::kPerTryTimeout:
      return on.on_5xx || on.gateway_error;
    case AttemptOutcome::Kind::kResponse:
      break;
  }
  const int s = outcome.status;
  if (on.on_5xx && s >= 500) return true;
  if (on.gateway_error && (s == 502 || s == 503 || s == 504)) return true;
  if (on.retriable_status_codes &&
      std::find(on.status_codes.begin(), on.status_codes.end(), s) != on.status_codes.end())
    return true;
  return false;
}

DurationNs RetryBackoff::next(Rng& rng) {
  const DurationNs ceiling = ((DurationNs{1} << std::min(retry_, 30)) - 1) * base_ns_;
  if (ceiling <= max_ns_) ++retry_;
  if (ceiling <= 0) return 0;
  return std::min<DurationNs>(static_cast<DurationNs>(rng.below(static_cast<std::uint64_t>(ceiling))), max_ns_);
}

}  // namespace meshproof::dataplane
