// Counts client requests and feeds request hops into the metrics registry.
#include "chaos/report/run_statistics.h"

#include "mesh/telemetry/request_stats.h"

namespace meshproof::chaos {

void RunStatistics::emit(TimeNs, const Event& event) {
  if (const auto* request = std::get_if<RequestEvent>(&event)) {
    metrics_.observe(*request);
  } else if (const auto* client = std::get_if<ClientRequestEvent>(&event)) {
    ++clients_.total;
    if (client->lost) ++clients_.lost;
    else if (telemetry::isSuccessStatus(client->status)) ++clients_.succeeded;
    else ++clients_.failed;
  }
}

}  // namespace meshproof::chaos
