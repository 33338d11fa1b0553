// recovers: by D = after + within the service is healthy again. Over the events up
// to D (included):
// - every instance of the service that any caller's sidecar ejected has returned in
//   that sidecar (each caller keeps its own outlier detector, as every Envoy does):
//   the last EjectionEvent per (observer, instance) is ejected=false;
// - each caller's last BreakerEvent for the service, if any, is open=false;
// - its source-reported requests ending in [max(after, D - 5 s), D] succeeded at
//   least 99% of the time, or there were none (nothing contradicts recovery).
// Decided at D (clipped to the run's end; a run that ends before D is judged on the
// state it ended in).
#include <algorithm>
#include <map>

#include "chaos/expectations/checker_text.h"
#include "chaos/expectations/expectation_checker.h"
#include "chaos/text/numbers.h"
#include "mesh/telemetry/request_stats.h"

namespace meshproof::chaos {
namespace {

constexpr DurationNs kRecoveredWindow = 5 * kSecond;
constexpr double kRecoveredSuccessRatePercent = 99.0;

class RecoversChecker final : public ExpectationChecker {
 public:
  explicit RecoversChecker(const scenario::RecoversExpectation& spec)
      : spec_(spec),
        deadline_(spec.after + spec.within),
        window_from_(std::max(spec.after, deadline_ - kRecoveredWindow)) {}

  void observe(TimeNs t, const Event& event) override {
    const TimeNs at = eventTime(t, event);
    if (at > deadline_) return;
    if (const auto* ejection = std::get_if<EjectionEvent>(&event)) {
      if (ejection->service != spec_.service) return;
      ejected_[{ejection->instance, ejection->observer}] = ejection->ejected;
      if (ejection->ejected) ++ejections_;
    } else if (const auto* breaker = std::get_if<BreakerEvent>(&event)) {
      if (breaker->service != spec_.service) return;
      breakers_[breaker->observer] = {breaker->open, breaker->threshold};
    } else if (const auto* request = std::get_if<RequestEvent>(&event)) {
      if (request->reporter == "source" && request->destination_service == spec_.service && at >= window_from_)
        recent_.add(request->status, request->flags, request->duration);
    }
  }

  Verdict finish(TimeNs run_end) override {
    Verdict v;
    v.decided_at = std::min(deadline_, run_end);
    std::vector<std::string> still_ejected;
    for (const auto& [key, ejected] : ejected_)
      if (ejected && (still_ejected.empty() || still_ejected.back() != key.first)) still_ejected.push_back(key.first);
    std::string open_threshold;
    for (const auto& [observer, state] : breakers_)
      if (state.first && open_threshold.empty())
        open_threshold = observer.empty() ? state.second : state.second + " at " + observer;
    const auto rate = recent_.successRatePercent();
    v.observed["ejectedInstances"] = still_ejected;
    v.observed["ejections"] = ejections_;
    v.observed["breakerOpen"] = !open_threshold.empty();
    v.observed["successRate"] = rate ? nlohmann::ordered_json(roundedTo(*rate)) : nlohmann::ordered_json();
    v.observed["requests"] = recent_.requests();

    std::vector<std::string> problems;
    for (const auto& instance : still_ejected) problems.push_back(instance + " still ejected");
    if (!open_threshold.empty()) problems.push_back("breaker open (" + open_threshold + ")");
    const double requests = static_cast<double>(recent_.requests());
    if (rate && static_cast<double>(recent_.successes()) * 100.0 <
                    kRecoveredSuccessRatePercent * requests - 1e-9 * requests)
      problems.push_back("success rate " + percentText(*rate) + " < " + percentText(kRecoveredSuccessRatePercent) +
                         " over " + closedWindowText(window_from_, deadline_));
    for (const auto& problem : problems) v.reason += (v.reason.empty() ? "" : "; ") + problem;
    if (!problems.empty()) v.reason += " at " + secondsText(deadline_);
    v.passed = problems.empty();
    return v;
  }

 private:
  scenario::RecoversExpectation spec_;
  TimeNs deadline_;
  TimeNs window_from_;
  // (instance, observer) -> ejected after its last event; ordered by instance.
  std::map<std::pair<std::string, std::string>, bool> ejected_;
  std::uint64_t ejections_ = 0;
  std::map<std::string, std::pair<bool, std::string>> breakers_;  // observer -> (open, threshold)
  telemetry::RequestStats recent_;
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeRecoversChecker(const scenario::RecoversExpectation& spec) {
  return std::make_unique<RecoversChecker>(spec);
}

}  // namespace meshproof::chaos
