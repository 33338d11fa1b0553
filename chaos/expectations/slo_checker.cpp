// slo: the success rate and p99 latency of the requests sent towards a service, as
// its callers report them (reporter "source"), over the requests that ended in
// [window.from, window.to). Decided at the window's end (clipped to the run's end).
// The success-rate comparison tolerates 1e-9 percentage points of rounding.
#include <algorithm>

#include "chaos/expectations/checker_text.h"
#include "chaos/expectations/expectation_checker.h"
#include "chaos/text/numbers.h"
#include "mesh/telemetry/request_stats.h"

namespace meshproof::chaos {
namespace {

class SloChecker final : public ExpectationChecker {
 public:
  explicit SloChecker(const scenario::SloExpectation& spec) : spec_(spec) {}

  void observe(TimeNs t, const Event& event) override {
    const auto* request = std::get_if<RequestEvent>(&event);
    if (request == nullptr || request->reporter != "source" || request->destination_service != spec_.service)
      return;
    const TimeNs end = eventTime(t, event);
    if (end >= spec_.window_from && end < spec_.window_to)
      stats_.add(request->status, request->flags, request->duration);
  }

  Verdict finish(TimeNs run_end) override {
    Verdict v;
    v.decided_at = std::min(spec_.window_to, run_end);
    const auto rate = stats_.successRatePercent();
    const DurationNs p99 = stats_.latency().quantile(0.99);
    v.observed["successRate"] = rate ? nlohmann::ordered_json(roundedTo(*rate)) : nlohmann::ordered_json();
    v.observed["latencyP99_ms"] = roundedTo(toMillis(p99));
    v.observed["requests"] = stats_.requests();
    if (stats_.requests() == 0) {
      v.reason = "no requests";
      return v;
    }
    std::vector<std::string> problems;
    if (spec_.min_success_rate_percent) {
      const double min = *spec_.min_success_rate_percent;
      const double requests = static_cast<double>(stats_.requests());
      if (static_cast<double>(stats_.successes()) * 100.0 < min * requests - 1e-9 * requests)
        problems.push_back("success rate " + percentText(*rate) + " < min " + percentText(min));
    }
    if (spec_.max_latency_p99 && p99 > *spec_.max_latency_p99)
      problems.push_back("latency p99 " + millisText(p99) + " > max " + millisText(*spec_.max_latency_p99));
    for (const auto& problem : problems) v.reason += (v.reason.empty() ? "" : "; ") + problem;
    v.passed = problems.empty();
    return v;
  }

 private:
  scenario::SloExpectation spec_;
  telemetry::RequestStats stats_;
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeSloChecker(const scenario::SloExpectation& spec) {
  return std::make_unique<SloChecker>(spec);
}

}  // namespace meshproof::chaos
