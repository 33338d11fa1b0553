// The expectation evaluator: an EventSink that feeds every event to one checker per
// expectation of the Plan (Plan::expectations order) and, once the run is over,
// returns one result per expectation in that same order.
//
// Semantics where SCENARIO.md is silent (the checkers' files say more):
// - success: status in [100, 500) (telemetry::isSuccessStatus; status 0 fails);
// - slo: source-reported requests to the service ending in [from, to), mirrored
//   copies included (they are requests sent towards it); none → failed "no requests";
//   p99 is the nearest-rank quantile of telemetry's LatencyHistogram (< 0.4% off);
// - circuit-breaker / ejection windows are closed, [after, after + within]; without
//   `within` they run to the end of the run;
// - recovers: at D = after + within (events at D count), every instance of the
//   service ejected before D has a later return, the service's last breaker event
//   (if any) is a close, and its source-reported requests ending in
//   [max(after, D − 5 s), D] succeeded ≥ 99% (or there were none);
// - authz: destination-reported requests at `to` from the caller's principal; for
//   allowed: false zero attempts pass (a caller that never tries is not let in),
//   with a note; allowed: true needs at least one attempt;
// - mtls: coverage over source-reported requests that reached an upstream
//   (attempts > 0): the hop between two sidecars, mTLS or not; none → failed;
// - canary: failed, "canary analysis is not simulated yet", until canary events exist.
#pragma once
#include <memory>
#include <vector>

#include "chaos/expectations/expectation_checker.h"
#include "chaos/expectations/expectation_result.h"
#include "mesh/core/events.h"
#include "mesh/scenario/plan.h"

namespace meshproof::chaos {

class ExpectationEvaluator final : public EventSink {
 public:
  explicit ExpectationEvaluator(const scenario::Plan& plan);

  void emit(TimeNs t, const Event& event) override;
  // Call once, after the last event; run_end is the simulated end of the run.
  std::vector<ExpectationResult> finish(TimeNs run_end);

 private:
  struct Entry {
    std::string name;
    std::string type;
    std::unique_ptr<ExpectationChecker> checker;
  };
  std::vector<Entry> entries_;
};

}  // namespace meshproof::chaos
