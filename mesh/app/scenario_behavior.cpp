// scenario::Behavior -> app::Behavior (see scenario_behavior.h).
#include "mesh/app/scenario_behavior.h"

namespace meshproof::app {

Behavior behaviorFromScenario(const scenario::Behavior& b) {
  Behavior out;
  switch (b.service_time.kind) {
    case scenario::ServiceTime::Kind::kFixed:
      out.service_time = ServiceTime::fixed(b.service_time.fixed);
      break;
    case scenario::ServiceTime::Kind::kExponential:
      out.service_time = ServiceTime::exponential(b.service_time.mean);
      break;
    case scenario::ServiceTime::Kind::kLogNormal:
      out.service_time = ServiceTime::logNormal(b.service_time.log_mu, b.service_time.log_sigma);
      break;
  }
  out.error_rate_percent = b.error_rate_percent;
  out.concurrency = b.concurrency ? static_cast<std::uint32_t>(*b.concurrency) : 0;
  for (const auto& c : b.calls) out.calls.push_back(DownstreamCall{c.service, c.path, c.method, c.optional});
  return out;
}

}  // namespace meshproof::app
