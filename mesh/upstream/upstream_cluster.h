// Everything the data plane keeps per destination service (Envoy's cluster):
// outlier detection, circuit breakers with retry admission, and the HTTP/1.1
// connection pool, behind one deadline. A thin owner: each part stays usable alone.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mesh/config/model.h"
#include "mesh/core/endpoint.h"
#include "mesh/core/events.h"
#include "mesh/core/time.h"
#include "mesh/upstream/circuit_breakers.h"
#include "mesh/upstream/http1_connection_pool.h"
#include "mesh/upstream/outlier_detector.h"

namespace meshproof::upstream {

class UpstreamCluster {
 public:
  // Without rule.outlier_detection there is no outlier detection (Istio's default).
  UpstreamCluster(const config::DestinationRule& rule, const std::vector<Endpoint>& hosts, EventSink& sink,
                  TimeNs now, OutlierDetectorOptions outlier_options = {});

  // Requests and connections: see Http1ConnectionPool.
  Http1ConnectionPool& pool() { return pool_; }
  const Http1ConnectionPool& pool() const { return pool_; }
  CircuitBreakers& breakers() { return breakers_; }
  const CircuitBreakers& breakers() const { return breakers_; }
  // nullptr when outlier detection is not configured.
  const OutlierDetector* outlierDetector() const { return outlier_.get(); }

  bool isEjected(HostIndex host) const { return outlier_ && outlier_->isEjected(host); }
  // Service discovery listed or unlisted the host (for outlier detection's share).
  void setPresent(HostIndex host, bool present) {
    if (outlier_) outlier_->setPresent(host, present);
  }
  // One finished attempt, for outlier detection (no-op without it). Report every
  // response, and every pool Fail whose outlierFailureFor(reason) is set, and
  // request timeouts as LocalOriginFailure::kRequestTimeout.
  void recordResponse(HostIndex host, int status, TimeNs now);
  void recordLocalFailure(HostIndex host, LocalOriginFailure failure, TimeNs now);

  // Retry admission (maxRetries, or the retry budget when configured).
  bool tryStartRetry(TimeNs now) { return breakers_.tryStartRetry(now); }
  void retryFinished(TimeNs now) { breakers_.retryFinished(now); }

  // The earliest of the pool's connect deadlines and the outlier sweep.
  TimeNs nextDeadline() const;
  void onDeadline(TimeNs now);

 private:
  CircuitBreakers breakers_;
  Http1ConnectionPool pool_;
  std::unique_ptr<OutlierDetector> outlier_;
};

}  // namespace meshproof::upstream
