// ejection: outlier detection ejected the given instance (EjectionEvent ejected=true)
// within [after, after + within] (to the end of the run without `within`). Passes at
// the first such ejection; otherwise fails at the window's end.
#include <algorithm>
#include <optional>

#include "chaos/expectations/checker_text.h"
#include "chaos/expectations/expectation_checker.h"
#include "chaos/text/numbers.h"

namespace meshproof::chaos {
namespace {

class EjectionChecker final : public ExpectationChecker {
 public:
  explicit EjectionChecker(const scenario::EjectionExpectation& spec) : spec_(spec) {}

  void observe(TimeNs t, const Event& event) override {
    const auto* ejection = std::get_if<EjectionEvent>(&event);
    if (ejection == nullptr || !ejection->ejected || ejection->service != spec_.service ||
        ejection->instance != spec_.instance)
      return;
    if (t < spec_.after || (spec_.within && t > spec_.after + *spec_.within)) return;
    ++ejections_;
    if (!first_at_) {
      first_at_ = t;
      reason_ = ejection->reason;
    }
  }

  Verdict finish(TimeNs run_end) override {
    const TimeNs window_to = spec_.within ? spec_.after + *spec_.within : run_end;
    Verdict v;
    v.passed = first_at_.has_value();
    v.decided_at = first_at_ ? *first_at_ : std::min(window_to, run_end);
    v.observed["instance"] = spec_.instance;
    v.observed["ejected"] = v.passed;
    v.observed["ejected_s"] = first_at_ ? nlohmann::ordered_json(reportSeconds(*first_at_)) : nlohmann::ordered_json();
    v.observed["reason"] = first_at_ ? nlohmann::ordered_json(reason_) : nlohmann::ordered_json();
    v.observed["ejections"] = ejections_;
    if (!v.passed) v.reason = spec_.instance + " was not ejected in " + closedWindowText(spec_.after, window_to);
    return v;
  }

 private:
  scenario::EjectionExpectation spec_;
  std::optional<TimeNs> first_at_;
  std::string reason_;
  std::uint64_t ejections_ = 0;
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeEjectionChecker(const scenario::EjectionExpectation& spec) {
  return std::make_unique<EjectionChecker>(spec);
}

}  // namespace meshproof::chaos
