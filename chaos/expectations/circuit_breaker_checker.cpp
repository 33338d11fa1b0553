// circuit-breaker: did the service's circuit break within [after, after + within]
// (to the end of the run without `within`)? Any of these is a signal: a BreakerEvent
// open=true for the service, a request to it answered with UO (whatever the
// reporter), an EjectionEvent ejected=true for one of its instances.
// opens: true passes at the first signal; opens: false fails at the first signal.
// Observed: opened, the first signal (what, at_s), and the counts of each signal.
#include <algorithm>
#include <optional>

#include "chaos/expectations/checker_text.h"
#include "chaos/expectations/expectation_checker.h"
#include "chaos/text/numbers.h"

namespace meshproof::chaos {
namespace {

class CircuitBreakerChecker final : public ExpectationChecker {
 public:
  explicit CircuitBreakerChecker(const scenario::CircuitBreakerExpectation& spec) : spec_(spec) {}

  void observe(TimeNs t, const Event& event) override {
    const TimeNs at = eventTime(t, event);
    if (at < spec_.after || (spec_.within && at > spec_.after + *spec_.within)) return;
    if (const auto* breaker = std::get_if<BreakerEvent>(&event)) {
      if (breaker->service == spec_.service && breaker->open) signal(at, "breaker " + breaker->threshold, breakers_);
    } else if (const auto* request = std::get_if<RequestEvent>(&event)) {
      if (request->destination_service == spec_.service && (request->flags & kUpstreamOverflow))
        signal(at, "UO", overflows_);
    } else if (const auto* ejection = std::get_if<EjectionEvent>(&event)) {
      if (ejection->service == spec_.service && ejection->ejected)
        signal(at, "ejection " + ejection->instance, ejections_);
    }
  }

  Verdict finish(TimeNs run_end) override {
    const TimeNs window_end = spec_.within ? std::min(spec_.after + *spec_.within, run_end) : run_end;
    const TimeNs window_to = spec_.within ? spec_.after + *spec_.within : run_end;
    Verdict v;
    v.observed["opened"] = first_at_.has_value();
    v.observed["firstSignal"] = first_signal_.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(first_signal_);
    v.observed["firstSignal_s"] = first_at_ ? nlohmann::ordered_json(reportSeconds(*first_at_)) : nlohmann::ordered_json();
    v.observed["breakerOpens"] = breakers_;
    v.observed["overflows"] = overflows_;
    v.observed["ejections"] = ejections_;
    const std::string window = closedWindowText(spec_.after, window_to);
    if (spec_.opens) {
      v.passed = first_at_.has_value();
      v.decided_at = first_at_ ? *first_at_ : window_end;
      if (!v.passed) v.reason = "no breaker opened, no UO and no ejection for " + spec_.service + " in " + window;
    } else {
      v.passed = !first_at_.has_value();
      v.decided_at = first_at_ ? *first_at_ : window_end;
      if (!v.passed)
        v.reason = "circuit of " + spec_.service + " broke at " + secondsText(*first_at_) + " (" + first_signal_ +
                   ") in " + window;
    }
    return v;
  }

 private:
  void signal(TimeNs at, std::string what, std::uint64_t& counter) {
    ++counter;
    if (first_at_) return;
    first_at_ = at;
    first_signal_ = std::move(what);
  }

  scenario::CircuitBreakerExpectation spec_;
  std::optional<TimeNs> first_at_;
  std::string first_signal_;
  std::uint64_t breakers_ = 0;
  std::uint64_t overflows_ = 0;
  std::uint64_t ejections_ = 0;
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeCircuitBreakerChecker(const scenario::CircuitBreakerExpectation& spec) {
  return std::make_unique<CircuitBreakerChecker>(spec);
}

}  // namespace meshproof::chaos
