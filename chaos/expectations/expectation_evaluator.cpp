// Fans the event stream out to one checker per expectation.
#include "chaos/expectations/expectation_evaluator.h"

namespace meshproof::chaos {

ExpectationEvaluator::ExpectationEvaluator(const scenario::Plan& plan) {
  for (const auto& expectation : plan.expectations)
    entries_.push_back({expectation.name, scenario::expectationTypeName(expectation.spec),
                        makeChecker(expectation, plan)});
}

void ExpectationEvaluator::emit(TimeNs t, const Event& event) {
  for (auto& entry : entries_) entry.checker->observe(t, event);
}

std::vector<ExpectationResult> ExpectationEvaluator::finish(TimeNs run_end) {
  std::vector<ExpectationResult> results;
  results.reserve(entries_.size());
  for (auto& entry : entries_) results.push_back({entry.name, entry.type, entry.checker->finish(run_end)});
  return results;
}

}  // namespace meshproof::chaos
