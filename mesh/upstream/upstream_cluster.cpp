// Wires the per-cluster upstream state machines together.
#include "mesh/upstream/upstream_cluster.h"

#include <algorithm>

namespace meshproof::upstream {

UpstreamCluster::UpstreamCluster(const config::DestinationRule& rule, const std::vector<Endpoint>& hosts,
                                 EventSink& sink, TimeNs now, OutlierDetectorOptions outlier_options)
    : breakers_(rule.service, rule.connection_pool, rule.retry_budget, sink),
      pool_(hosts.size(), rule.connection_pool.tcp, rule.connection_pool.http, breakers_) {
  if (rule.outlier_detection)
    outlier_ = std::make_unique<OutlierDetector>(rule.service, hosts, *rule.outlier_detection, sink, now,
                                                 outlier_options);
}

void UpstreamCluster::recordResponse(HostIndex host, int status, TimeNs now) {
  if (outlier_) outlier_->recordResponse(host, status, now);
}

void UpstreamCluster::recordLocalFailure(HostIndex host, LocalOriginFailure failure, TimeNs now) {
  if (outlier_) outlier_->recordLocalFailure(host, failure, now);
}

TimeNs UpstreamCluster::nextDeadline() const {
  return std::min(pool_.nextDeadline(), outlier_ ? outlier_->nextDeadline() : kNever);
}

void UpstreamCluster::onDeadline(TimeNs now) {
  pool_.onDeadline(now);
  if (outlier_) outlier_->onDeadline(now);
}

}  // namespace meshproof::upstream
