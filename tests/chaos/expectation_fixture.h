// A small Plan (frontend, checkout, payments in namespace "shop") and a helper that
// runs hand-built events through the ExpectationEvaluator for one expectation and
// returns its verdict as the compact report.json entry, so tests compare exact text.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "chaos/expectations/expectation_evaluator.h"
#include "chaos/report/report_json.h"
#include "mesh/scenario/plan.h"

namespace meshproof::chaos::testing {

using TimedEvents = std::vector<std::pair<TimeNs, Event>>;

inline constexpr TimeNs kRunEnd = 120 * kSecond;

inline scenario::Plan testPlan(std::vector<scenario::Expectation> expectations) {
  scenario::Plan plan;
  plan.name = "checkout-test";
  plan.seed = 42;
  plan.duration = kRunEnd;
  plan.mesh.mesh.trust_domain = "cluster.local";
  for (const char* name : {"frontend", "checkout", "payments"}) {
    scenario::Service service;
    service.name = name;
    service.namespace_ = "shop";
    service.service_account = name;
    plan.services.push_back(service);
  }
  plan.expectations = std::move(expectations);
  return plan;
}

inline std::vector<ExpectationResult> evaluate(const scenario::Plan& plan, const TimedEvents& events,
                                               TimeNs run_end = kRunEnd) {
  ExpectationEvaluator evaluator(plan);
  for (const auto& [t, event] : events) evaluator.emit(t, event);
  return evaluator.finish(run_end);
}

// The one expectation's report entry, compact JSON.
inline std::string verdictOf(scenario::ExpectationSpec spec, const TimedEvents& events, TimeNs run_end = kRunEnd) {
  const auto plan = testPlan({scenario::Expectation{"e", std::move(spec)}});
  return expectationJson(evaluate(plan, events, run_end).at(0)).dump();
}

// A RequestEvent placed at its end time.
inline std::pair<TimeNs, Event> at(const RequestEvent& e) { return {e.start + e.duration, e}; }

}  // namespace meshproof::chaos::testing
