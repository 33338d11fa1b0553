// canary: the canary analysis of the service ended with the expected outcome
// (promoted or rolled-back) within `within` of the start of the run (any time
// without it). Decided at the analysis' end; an analysis still running when the
// run ends fails with its last weight.
#include <optional>

#include "chaos/expectations/checker_text.h"
#include "chaos/expectations/expectation_checker.h"
#include "chaos/text/numbers.h"

namespace meshproof::chaos {
namespace {

std::string outcomeName(scenario::CanaryExpectation::Outcome outcome) {
  return outcome == scenario::CanaryExpectation::Outcome::kPromoted ? "promoted" : "rolled-back";
}

class CanaryChecker final : public ExpectationChecker {
 public:
  explicit CanaryChecker(const scenario::CanaryExpectation& spec) : spec_(spec) {}

  void observe(TimeNs t, const Event& event) override {
    const auto* step = std::get_if<CanaryEvent>(&event);
    if (step == nullptr || step->service != spec_.service || ended_at_) return;
    last_ = *step;
    if (step->verdict == "promoted" || step->verdict == "rolled-back") ended_at_ = t;
  }

  Verdict finish(TimeNs run_end) override {
    Verdict v;
    const std::string expected = outcomeName(spec_.outcome);
    const std::string outcome = ended_at_ ? last_.verdict : std::string(last_.verdict.empty() ? "none" : "running");
    v.observed["outcome"] = outcome;
    v.observed["at_s"] = ended_at_ ? nlohmann::ordered_json(reportSeconds(*ended_at_)) : nlohmann::ordered_json();
    v.observed["weight"] = last_.weight;
    v.observed["iterations"] = last_.iteration;
    v.observed["failedChecks"] = last_.failed_checks;
    v.decided_at = ended_at_ ? *ended_at_ : run_end;
    if (last_.verdict.empty()) {
      v.reason = "no canary analysis of " + spec_.service + " ran";
    } else if (!ended_at_) {
      v.reason = "still analysing at the end of the run (weight " + std::to_string(last_.weight) + "%), expected " +
                 expected;
    } else if (outcome != expected) {
      v.reason = outcome + " at " + secondsText(*ended_at_) + ", expected " + expected +
                 (last_.reason.empty() ? "" : " (" + last_.reason + ")");
    } else if (spec_.within && *ended_at_ > *spec_.within) {
      v.reason = outcome + " at " + secondsText(*ended_at_) + ", later than " + secondsText(*spec_.within);
    } else {
      v.passed = true;
    }
    return v;
  }

 private:
  scenario::CanaryExpectation spec_;
  CanaryEvent last_;
  std::optional<TimeNs> ended_at_;
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeCanaryChecker(const scenario::CanaryExpectation& spec) {
  return std::make_unique<CanaryChecker>(spec);
}

}  // namespace meshproof::chaos
